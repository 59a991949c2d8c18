"""Benchmark: 1,000 personalised templates vs a plain per-file xlsxwriter loop.

Target (issue 2): 1,000 workbooks in under 5 s on a 2-core machine, at least 8x the plain loop.

    python benchmarks/bench_template.py [--agencies 1000] [--plain 100] [--format gov-2021]

The fast path is the real ``write_templates`` (roster CSV in, one .xlsx per agency written
atomically, password file) — build once, personalise per agency. The plain loop calls
``build_workbook`` (one full xlsxwriter build per agency) and writes each file the same way;
it runs ``--plain`` agencies (default 100) and is extrapolated linearly to the same count,
which the output says. ``--plain 1000`` runs it in full.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from xlreport.fsutil import atomic_write_bytes
from xlreport.roster import load_roster
from xlreport.spec import resolve_layout
from xlreport.template import agency_identity, file_names, write_templates
from xlreport.writer import build_workbook

KINDS = ("部门", "乡镇", "街道", "其他")


def write_roster(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位编码", "单位名称", "单位类型"])
        for i in range(n):
            w.writerow([f"QH{i:04d}", f"清河县第{i + 1}号单位（测试）", KINDS[i % len(KINDS)]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=1000)
    ap.add_argument("--plain", type=int, default=100, help="agencies for the plain loop")
    ap.add_argument("--format", default="gov-2021")
    ap.add_argument("--year", type=int, default=2024)
    args = ap.parse_args()
    layout = resolve_layout(args.format)
    with tempfile.TemporaryDirectory(prefix="xlreport-bench-") as tmp:
        root = Path(tmp)
        roster = root / "roster.csv"
        write_roster(roster, args.agencies)

        t0 = time.perf_counter()
        result = write_templates(
            layout, args.year, root / "fast", roster=roster, county="清河县", password="bench"
        )
        fast = time.perf_counter() - t0
        assert len(result.paths) == args.agencies

        agencies = load_roster(roster)[: args.plain]
        names = file_names(layout, args.year, agencies)
        t0 = time.perf_counter()
        for agency, name in zip(agencies, names, strict=True):
            who = agency_identity(layout, args.year, agency, county="清河县")
            data = build_workbook(layout, who, password="bench")
            atomic_write_bytes(root / "plain" / name, data)
        plain_run = time.perf_counter() - t0
        plain = plain_run * args.agencies / len(agencies)
        same = sum(
            (root / "plain" / n).read_bytes() == (root / "fast" / n).read_bytes() for n in names
        )

    print(f"layout {layout.id}, {args.agencies} agencies, year {args.year}")
    print(
        f"fast path (write_templates, build once + personalise): {fast:.2f} s "
        f"({fast / args.agencies * 1000:.2f} ms/file)"
    )
    extrap = (
        ""
        if len(agencies) == args.agencies
        else (
            f" (measured {len(agencies)} files in {plain_run:.2f} s, extrapolated x"
            f"{args.agencies / len(agencies):g})"
        )
    )
    print(f"plain loop (build_workbook per agency): {plain:.2f} s{extrap}")
    print(f"ratio plain/fast: {plain / fast:.1f}x  (target: fast < 5 s and ratio >= 8x)")
    print(f"byte-identical files between the two: {same}/{len(agencies)}")


if __name__ == "__main__":
    main()
