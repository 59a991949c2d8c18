"""Every case of the hostile corpus through `xlreport check`: time and memory against targets.

    python benchmarks/bench_hostile.py [--work /tmp/xlr-hostile] [--repeat 3]

For each case: ``xlreport check --format gov-2021 --year 2024 FILE`` as a child process
(median wall time of ``--repeat`` runs, largest resident set of any of its processes),
and the library call behind it (``check_paths``) in this process. Targets: under 1 s and
under 250 MB per file. The command's wall time includes starting Python and importing
xlreport, shown on its own in the first line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from hostile.make_corpus import make_corpus  # noqa: E402
from hostile.measure import printable, run_measured, xlreport_cmd  # noqa: E402

from xlreport.batch import check_paths  # noqa: E402
from xlreport.checks.model import CheckOptions  # noqa: E402
from xlreport.errors import XlreportError  # noqa: E402
from xlreport.spec import resolve_layout  # noqa: E402

TARGET_S, TARGET_MB = 1.0, 250.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="hostile corpus: time and memory per case")
    ap.add_argument("--work", type=Path, default=Path("/tmp/xlr-hostile"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if args.work.exists():
        shutil.rmtree(args.work)
    cases = make_corpus(args.work)
    options = CheckOptions(layout=resolve_layout("gov-2021"), year=2024)
    startup = [run_measured(xlreport_cmd("--help")).seconds for _ in range(args.repeat)]
    print(f"load average {os.getloadavg()[0]:.1f}; `xlreport --help` (start-up and imports): "
          f"{statistics.median(startup):.2f} s")  # fmt: skip
    print(f"{'case':34} {'exit':>4} {'cmd s':>6} {'peak MB':>8} {'lib ms':>8}  verdict")
    failures = 0
    for case in cases:
        runs = [
            run_measured(
                xlreport_cmd("check", "--format", "gov-2021", "--year", "2024", str(case.path)),
                timeout=300,
            )
            for _ in range(args.repeat)
        ]
        wall = statistics.median(r.seconds for r in runs)
        peak = max(r.peak_rss_mb for r in runs)
        start = time.perf_counter()
        with contextlib.suppress(XlreportError):
            check_paths([case.path], options)
        lib_ms = (time.perf_counter() - start) * 1000
        bad = [w for w, ok in (("slow", wall < TARGET_S), ("memory", peak < TARGET_MB),
                               ("traceback", "Traceback" not in runs[0].output)) if not ok]  # fmt: skip
        failures += bool(bad)
        print(f"{printable(case.name)[:34]:34} {runs[0].returncode:>4} {wall:6.2f} {peak:8.0f} {lib_ms:8.1f}"
              f"  {'FAIL ' + ','.join(bad) if bad else 'ok'}")  # fmt: skip
    print(f"{failures} of {len(cases)} cases miss a target (< {TARGET_S:.0f} s, < {TARGET_MB:.0f} MB)"
          f"; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
