"""How fast ``xlreport check`` is: per file (read + check) and for a folder of returns.

    python benchmarks/bench_check.py [N]        (default: 300)

Writes N distinct returns (real 平潭 table with small random changes, one in five with a
mistake typed in) into a temporary folder, then measures:

- read_xlsx alone and check_workbook alone (the pure checks), median / p95 ms per file;
- check_paths over the folder with 1 process and with every core;
- building one annotated copy.

Prints numbers; asserts nothing.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from realdata import load_real_report, real_report_inputs

from xlreport.annotate import annotated_bytes
from xlreport.batch import check_paths
from xlreport.checks import CheckOptions, check_workbook
from xlreport.identity import Identity
from xlreport.reader import read_xlsx
from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

YEAR = 2022


def _ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
    return f"median {statistics.median(xs) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    layout = resolve_layout("gov-2021")
    base = {
        k: v
        for k, v in real_report_inputs(load_real_report("pingtan_2022"), layout).items()
        if v is not None
    }
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="xlreport-bench-check-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        for i in range(n):
            values: dict[str, Decimal | str] = dict(base)
            cid = rng.choice(sorted(base))
            values[cid] = base[cid] + rng.randint(0, 3)
            if i % 5 == 0:
                values[rng.choice(sorted(base))] = "12件"
            ident = Identity(
                layout.id, layout.version, layout.fingerprint, YEAR, f"A{i:04d}", f"单位{i}"
            )
            data = build_workbook(layout, ident, password="pw", values=values)
            (folder / f"A{i:04d}.xlsx").write_bytes(data)
        print(f"{n} returns written in {time.perf_counter() - t0:.1f} s")

        paths = sorted(folder.glob("*.xlsx"))
        reads, checks = [], []
        options = CheckOptions(layout=layout, year=YEAR)
        for p in paths:
            t = time.perf_counter()
            raw = read_xlsx(p)
            reads.append(time.perf_counter() - t)
            t = time.perf_counter()
            check_workbook(raw, options, path=str(p))
            checks.append(time.perf_counter() - t)
        print(f"read_xlsx:      {_ms(reads)}")
        print(f"check_workbook: {_ms(checks)}")
        print(f"read + check:   {_ms([a + b for a, b in zip(reads, checks, strict=True)])}")

        for workers in (1, os.cpu_count() or 1):
            t = time.perf_counter()
            results = check_paths([folder], options, workers=workers)
            dt = time.perf_counter() - t
            errors = sum(1 for r in results if r.report.errors)
            print(
                f"check_paths, {workers} process(es): {dt:.2f} s for {len(results)} files "
                f"({dt / len(results) * 1000:.1f} ms/file; {errors} with errors)"
            )

        bad = next(r for r in results if r.report.errors)
        t = time.perf_counter()
        copy = annotated_bytes(bad)
        print(f"annotated copy: {(time.perf_counter() - t) * 1000:.0f} ms, {len(copy)} bytes")


if __name__ == "__main__":
    main()
