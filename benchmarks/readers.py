"""Read the same returns with xlreport's reader or with an openpyxl-based reader, and time it.

    python benchmarks/readers.py openpyxl|openpyxl2|xlreport LISTFILE [--workers N]

LISTFILE holds one path per line. ``openpyxl`` is one read-only pass (labels, values and
formula text, identity sheet, defined names — but no cached values); ``openpyxl2`` adds
the second pass (``data_only=True``) an openpyxl-based reader needs for the cached values
that xlreport's reader gets in its single pass. Prints ``files seconds`` on one line.
"""

from __future__ import annotations

import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from xlreport.identity import META_SHEET
from xlreport.reader import read_xlsx
from xlreport.spec import resolve_layout

LAYOUT = resolve_layout("gov-2021")
SHEETS = [s.name for s in LAYOUT.sheets]


def read_openpyxl(path: str, passes: int = 1) -> int:
    """Everything the checks look at, the openpyxl way; returns the number of cells seen."""
    import openpyxl

    warnings.simplefilter("ignore")
    seen = 0
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    names: dict[str, Any] = {n: d.attr_text for n, d in wb.defined_names.items()}
    for name in [*SHEETS, META_SHEET]:
        if name in wb.sheetnames:
            for row in wb[name].iter_rows():
                seen += sum(1 for c in row if c.value is not None)
    wb.close()
    if passes == 2:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for name in SHEETS:
            if name in wb.sheetnames:
                for row in wb[name].iter_rows():
                    seen += sum(1 for c in row if c.value is not None)
        wb.close()
    return seen + len(names)


def read_ours(path: str) -> int:
    wb = read_xlsx(path)
    return sum(len(s.cells) for s in wb.sheets) + len(wb.defined_names)


def _one(job: tuple[str, str]) -> int:
    kind, path = job
    if kind == "xlreport":
        return read_ours(path)
    return read_openpyxl(path, 2 if kind == "openpyxl2" else 1)


def main(argv: list[str]) -> int:
    kind, listfile = argv[1], argv[2]
    workers = int(argv[4]) if len(argv) > 4 and argv[3] == "--workers" else 1
    paths = [p for p in Path(listfile).read_text(encoding="utf-8").splitlines() if p]
    start = time.perf_counter()
    if workers == 1:
        cells = sum(_one((kind, p)) for p in paths)
    else:
        with ProcessPoolExecutor(workers) as pool:
            cells = sum(pool.map(_one, [(kind, p) for p in paths], chunksize=8))
    seconds = time.perf_counter() - start
    print(f"{len(paths)} {seconds:.4f} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
