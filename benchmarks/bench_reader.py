"""Benchmark: read_xlsx against an openpyxl-based reader on the same returns, plus hostile files.

    python benchmarks/bench_reader.py [--n 200] [--variants 50] [--no-libreoffice] [--keep DIR]

1. Writes N distinct returns with xlreport's own writer (the gov-2021 layout: 3 table sheets,
   ~150 inputs, ~180 formulas, merged Chinese headers, validation, protection, hidden meta
   sheet) — "written like Excel" (shared strings, cached formula values).
2. Re-saves the first ``--variants`` of them with openpyxl (inline strings, no cached values)
   and with LibreOffice (when ``soffice`` is installed).
3. Reads every set with ``read_xlsx`` and with openpyxl ``load_workbook(read_only=True)``
   iterating every cell, once with ``data_only=False`` (formulas) and once with
   ``data_only=True`` (cached values); prints median / p95 ms per file and the ratios. An
   openpyxl-based reader that returns what read_xlsx returns (formulas *and* cached values)
   needs both passes, so "both" is the like-for-like comparison.
4. Reads every file of the hostile corpus (tests/reader_corpus.py) and prints the time to
   refusal of each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from reader_corpus import hostile_corpus, libreoffice_convert, soffice  # noqa: E402

from xlreport.errors import UnreadableFileError  # noqa: E402
from xlreport.reader import read_xlsx  # noqa: E402


def write_returns(n: int, outdir: Path, seed: int = 2024) -> list[Path]:
    """N distinct returns, realistic values, one agency each."""
    from xlreport.identity import Identity
    from xlreport.spec import resolve_layout
    from xlreport.writer import build_workbook

    layout = resolve_layout("gov-2021")
    rnd = random.Random(seed)
    paths = []
    for i in range(n):
        values: dict[str, Decimal | str] = {}
        for cell in layout.inputs():
            if rnd.random() < 0.35:
                continue  # left blank, as many agencies do
            if cell.type.kind == "decimal":
                values[cell.id] = Decimal(rnd.randrange(0, 10_000_000)) / 1000
            else:
                values[cell.id] = Decimal(rnd.choice((0, 0, 1, 2, 3, 5, 8, 13, 40, 250)))
        identity = Identity(
            layout_id=layout.id,
            layout_version=layout.version,
            layout_fingerprint=layout.fingerprint,
            year=2024,
            agency_code=f"A{i:04d}",
            agency_name=f"县第{i}局",
        )
        path = outdir / f"return_{i:04d}.xlsx"
        path.write_bytes(build_workbook(layout, identity, password="bench", values=values))
        paths.append(path)
    return paths


def openpyxl_resave(sources: list[Path], outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for src in sources:
        wb = openpyxl.load_workbook(src)
        dst = outdir / src.name
        wb.save(dst)
        out.append(dst)
    return out


def read_openpyxl(path: Path, data_only: bool) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    n += 1
    wb.close()
    return n


def read_ours(path: Path) -> int:
    return sum(len(s.cells) for s in read_xlsx(path).sheets)


def timed_side_by_side(paths: list[Path]) -> tuple[list[float], list[float], list[float]]:
    """ms per file for each reader, the three reads of one file back to back (so that load
    from other processes on the machine hits all three alike)."""
    ours: list[float] = []
    formulas: list[float] = []
    values: list[float] = []
    for p in paths:
        for out, fn in (
            (ours, read_ours),
            (formulas, lambda q: read_openpyxl(q, False)),
            (values, lambda q: read_openpyxl(q, True)),
        ):
            t = time.perf_counter()
            fn(p)
            out.append((time.perf_counter() - t) * 1000)
    return ours, formulas, values


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def bench_set(label: str, paths: list[Path]) -> None:
    for p in paths[:3]:  # warm caches (imports, regexes) before timing
        read_ours(p)
        read_openpyxl(p, False)
    ours, formulas, values = timed_side_by_side(paths)
    both = [a + b for a, b in zip(formulas, values, strict=True)]
    m = statistics.median(ours)
    print(
        f"\n{label}: {len(paths)} files, median size {statistics.median(p.stat().st_size for p in paths) / 1024:.1f} KB"
    )
    print(f"  {'reader':42s} {'median ms':>10s} {'p95 ms':>8s} {'ratio':>7s}")
    for name, xs in (
        ("read_xlsx (values + formulas + merges...)", ours),
        ("openpyxl read_only, data_only=False", formulas),
        ("openpyxl read_only, data_only=True", values),
        ("openpyxl both passes (like for like)", both),
    ):
        med = statistics.median(xs)
        print(f"  {name:42s} {med:10.2f} {p95(xs):8.2f} {med / m:6.1f}x")


def bench_hostile(workdir: Path) -> None:
    print("\nhostile corpus: time to refusal")
    worst = 0.0
    for h in hostile_corpus():
        path = workdir / f"{h.name}{h.suffix}"
        h.build(path)
        t = time.perf_counter()
        try:
            read_xlsx(path)
            outcome = "NOT REFUSED"
        except UnreadableFileError as e:
            outcome = "ok" if h.expect in str(e) else f"unexpected reason: {e}"
        ms = (time.perf_counter() - t) * 1000
        worst = max(worst, ms)
        print(f"  {h.name:30s} {path.stat().st_size / 1024:10.1f} KB {ms:8.1f} ms  {outcome}")
    print(f"  slowest refusal: {worst:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=200, help="returns written by xlreport's writer")
    ap.add_argument(
        "--variants", type=int, default=50, help="of which re-saved by openpyxl / LibreOffice"
    )
    ap.add_argument("--no-libreoffice", action="store_true")
    ap.add_argument("--no-hostile", action="store_true")
    ap.add_argument("--keep", type=Path, help="write the files here instead of a temporary folder")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench_reader_") as tmp:
        work = args.keep or Path(tmp)
        (work / "writer").mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        written = write_returns(args.n, work / "writer")
        print(f"wrote {len(written)} returns in {time.perf_counter() - t:.1f} s")
        bench_set("written like Excel (xlreport writer / xlsxwriter)", written)
        some = written[: args.variants]
        bench_set("re-saved by openpyxl", openpyxl_resave(some, work / "openpyxl"))
        if args.no_libreoffice or soffice() is None:
            print("\nsaved by LibreOffice: skipped (soffice not installed or --no-libreoffice)")
        else:
            bench_set("saved by LibreOffice", libreoffice_convert(some, work / "libreoffice"))
        if not args.no_hostile:
            (work / "hostile").mkdir(exist_ok=True)
            bench_hostile(work / "hostile")
        print(f"\nload average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
