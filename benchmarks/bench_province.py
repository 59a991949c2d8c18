"""Province scale: `xlreport check` and `xlreport merge` over N generated returns.

    python benchmarks/bench_province.py [--n 1000 10000] [--work /tmp/xlr-province]
                                        [--subset 500] [--reuse]

For each N: generate N distinct returns (benchmarks/make_returns.py: half saved like
Excel, half personalised from a return re-saved by real LibreOffice, 20 each re-saved by
LibreOffice), then run, as child processes, ``xlreport check`` (terminal output) and
``xlreport merge --json`` over the folder; verify that merge counted all N and that the
summary's every input cell is the exact sum; and read a subset of the same files with
xlreport's reader and with an openpyxl-based reader (benchmarks/readers.py), timing
extrapolated to N — the table says which figures are extrapolated.

Peak memory: "proc" is the largest resident set of any one process (the command or one of
its worker processes); "tree" is the largest sum over the command and its workers seen at
one time (sampled every 10 ms). Targets (2-core machine): check + merge ≥ 400 returns/s
(10,000 in under 25 s), ≥ 10× the openpyxl reader, peak memory < 250 MB and flat in N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from hostile.measure import Measured, run_measured, xlreport_cmd  # noqa: E402
from make_returns import make_returns  # noqa: E402

TARGET_RATE, TARGET_MB, TARGET_RATIO = 400, 250, 10
#: "Flat in N": the peak at the largest N at most this many times that at the smallest.
FLAT_RATIO = 1.1


@dataclass
class Row:
    n: int
    gen_s: float
    check: Measured
    merge: Measured
    merged_ok: str
    readers: dict[str, float]  # kind → seconds per file (from the subset)
    subset: int

    def rate(self, seconds: float) -> float:
        return self.n / seconds if seconds else 0.0


def _reader_seconds(kind: str, listfile: Path, workers: int) -> float:
    m = run_measured([sys.executable, str(HERE / "readers.py"), kind, str(listfile),
                      "--workers", str(workers)], timeout=3600, sample=False)  # fmt: skip
    if m.returncode != 0:
        raise RuntimeError(f"{kind} reader failed: {m.output[-800:]}")
    files, seconds, _cells = m.stdout.split()
    return float(seconds) / int(files)


def _verify(merge: Measured, expected_file: Path, n: int) -> str:
    try:
        doc = json.loads(merge.stdout)
    except json.JSONDecodeError:
        return "merge printed no JSON: " + merge.output[-300:]
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    merged = doc["counts"]["merged"]
    if merged != n:
        return f"merged {merged} of {n}"
    values = doc["summary"]["values"]
    wrong = [k for k, v in expected["sums"].items() if Decimal(values.get(k, "0")) != Decimal(v)]
    return f"{len(wrong)} cells differ from the exact sums" if wrong else "all merged, sums exact"


def bench(n: int, work: Path, subset: int, reuse: bool) -> Row:
    out = work / f"n{n}"
    expected = out / "expected.json"
    gen_s = 0.0
    if not (reuse and expected.is_file() and json.loads(expected.read_text())["count"] == n):
        if out.exists():
            shutil.rmtree(out)
        g = make_returns(n, out)
        gen_s = g.seconds
        print(f"  generated {n} in {g.seconds:.1f} s; styles {g.styles}; base: {g.lo_base}")
    returns = out / "returns"
    common = ["--format", "gov-2021", "--year", "2024"]
    check = run_measured(xlreport_cmd("check", str(returns), *common), timeout=3600)
    print(f"  check: exit {check.returncode}, {check.seconds:.1f} s")
    summary = work / f"summary-{n}.xlsx"
    merge = run_measured(
        xlreport_cmd("merge", str(returns), "--out", str(summary), *common, "--name", "某某省",
                     "--json"), timeout=3600)  # fmt: skip
    merged_ok = _verify(merge, expected, n)
    print(f"  merge: exit {merge.returncode}, {merge.seconds:.1f} s, {merged_ok}")
    files = sorted(str(p) for p in returns.rglob("*.xlsx"))
    step = max(1, len(files) // subset)
    listfile = work / f"subset-{n}.txt"
    listfile.write_text("\n".join(files[::step][:subset]), encoding="utf-8")
    readers = {
        "xlreport reader, 1 process": _reader_seconds("xlreport", listfile, 1),
        "openpyxl read-only, 1 pass, 1 process": _reader_seconds("openpyxl", listfile, 1),
        "openpyxl read-only, 1 pass, 2 processes": _reader_seconds("openpyxl", listfile, 2),
        "openpyxl read-only, 2 passes, 1 process": _reader_seconds("openpyxl2", listfile, 1),
        "openpyxl read-only, 2 passes, 2 processes": _reader_seconds("openpyxl2", listfile, 2),
    }
    return Row(n, gen_s, check, merge, merged_ok, readers, len(files[::step][:subset]))


def report(rows: list[Row]) -> None:
    print(
        "\n| N | check s (returns/s) | merge s (returns/s) | check + merge returns/s | "
        "check peak MB proc / tree | merge peak MB proc / tree | merge verified |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        both = r.check.seconds + r.merge.seconds
        print(
            f"| {r.n:,} | {r.check.seconds:.1f} ({r.rate(r.check.seconds):.0f}) | "
            f"{r.merge.seconds:.1f} ({r.rate(r.merge.seconds):.0f}) | {r.rate(both):.0f} | "
            f"{r.check.peak_rss_mb:.0f} / {r.check.peak_tree_mb:.0f} | "
            f"{r.merge.peak_rss_mb:.0f} / {r.merge.peak_tree_mb:.0f} | {r.merged_ok} |"
        )
    print("\nReading the same files (subset timed, extrapolated to N):")
    print("| N | reader | ms per file | extrapolated s for N | merge is × faster |")
    print("|---|---|---|---|---|")
    for r in rows:
        for kind, per_file in r.readers.items():
            print(
                f"| {r.n:,} | {kind} (subset of {r.subset}) | {per_file * 1000:.1f} | "
                f"{per_file * r.n:.1f} | {per_file * r.n / r.merge.seconds:.1f} |"
            )
    print("\nTargets:")
    for r in rows:
        both = r.check.seconds + r.merge.seconds
        openpyxl = r.readers["openpyxl read-only, 1 pass, 2 processes"] * r.n
        ours = r.readers["xlreport reader, 1 process"]
        reader_ratio = r.readers["openpyxl read-only, 1 pass, 1 process"] / ours
        reader_ratio2 = r.readers["openpyxl read-only, 2 passes, 1 process"] / ours
        openpyxl2 = r.readers["openpyxl read-only, 2 passes, 2 processes"] * r.n
        peak_proc = max(r.check.peak_rss_mb, r.merge.peak_rss_mb)
        peak_tree = max(r.check.peak_tree_mb, r.merge.peak_tree_mb)
        checks = [
            (f"merge (checks every file) ≥ {TARGET_RATE}/s", r.rate(r.merge.seconds) >= TARGET_RATE,
             f"{r.rate(r.merge.seconds):.0f}/s"),
            (f"check then merge ≥ {TARGET_RATE}/s", r.rate(both) >= TARGET_RATE,
             f"{r.rate(both):.0f}/s"),
            (f"merge ≥ {TARGET_RATIO}× openpyxl reading what checking needs "
             "(formulas and cached values: 2 passes, 2 processes)",
             openpyxl2 / r.merge.seconds >= TARGET_RATIO, f"{openpyxl2 / r.merge.seconds:.1f}×"),
            (f"merge ≥ {TARGET_RATIO}× openpyxl reading formulas only (1 pass, 2 processes)",
             openpyxl / r.merge.seconds >= TARGET_RATIO, f"{openpyxl / r.merge.seconds:.1f}×"),
            (f"reader ≥ {TARGET_RATIO}× openpyxl reader, 2 passes (1 process each)",
             reader_ratio2 >= TARGET_RATIO, f"{reader_ratio2:.1f}×"),
            (f"reader ≥ {TARGET_RATIO}× openpyxl reader, 1 pass (1 process each)",
             reader_ratio >= TARGET_RATIO, f"{reader_ratio:.1f}×"),
            (f"peak per process < {TARGET_MB} MB", peak_proc < TARGET_MB, f"{peak_proc:.0f} MB"),
            (f"peak process tree < {TARGET_MB} MB", peak_tree < TARGET_MB, f"{peak_tree:.0f} MB"),
        ]  # fmt: skip
        for name, ok, value in checks:
            print(f"  N={r.n:,}: {'PASS' if ok else 'FAIL'}  {name}: {value}")
    _flatness(rows)


def _flatness(rows: list[Row]) -> None:
    """Flat in N: the peaks at the largest N against those at the smallest, per return added
    and as a ratio (PASS within FLAT_RATIO)."""
    if len(rows) < 2:
        return
    lo, hi = min(rows, key=lambda r: r.n), max(rows, key=lambda r: r.n)
    if hi.n == lo.n:
        return
    for name, small, large in (
        ("merge peak per process", lo.merge.peak_rss_mb, hi.merge.peak_rss_mb),
        ("merge peak process tree", lo.merge.peak_tree_mb, hi.merge.peak_tree_mb),
        ("check peak per process", lo.check.peak_rss_mb, hi.check.peak_rss_mb),
    ):
        per_return_kb = (large - small) * 1024 / (hi.n - lo.n)
        ok = large <= small * FLAT_RATIO
        print(
            f"  N={lo.n:,}→{hi.n:,}: {'PASS' if ok else 'FAIL'}  {name} flat in N "
            f"(≤ {FLAT_RATIO}×): {small:.0f} → {large:.0f} MB, {per_return_kb:.1f} KB per return"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="province-scale benchmark of check and merge")
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/xlr-province"))
    ap.add_argument("--subset", type=int, default=500)
    ap.add_argument("--reuse", action="store_true", help="reuse returns generated earlier")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
    rows = []
    for n in args.n:
        print(f"N = {n:,}")
        rows.append(bench(n, args.work, args.subset, args.reuse))
    print(f"load average at end {os.getloadavg()[0]:.1f} (the machine is shared: figures move)")
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
