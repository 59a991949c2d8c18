"""The hostile corpus: everything an agency (or an attacker) may send instead of a return.

``make_corpus(dir, good_return)`` writes every case under ``dir`` and returns one
:class:`CorpusCase` per case, saying what ``xlreport check`` must conclude:

- ``unreadable``: exit status 2, one Chinese line naming what the file really is;
- ``findings``: exit status 1, with at least the finding ``codes`` listed;
- ``warnings``: exit status 0 with those warning codes — a deviation from the issue's
  "1 or 2 for every case", kept because the catalogue makes them warnings (see README);
- ``ok``: a valid return, hostile only in its texts or in its relation to other files;
- ``refused`` (the cases of issue 10): exit status 1 or 2, the file left out by merge.

``merge`` is the status ``xlreport merge`` must give the file in a folder that also holds
the good return ("" when the case is not a file of that folder). Everything is generated
in Python; cases derived from ``good_return`` are edited at the zip/XML level.

    python tests/hostile/make_corpus.py DIR     # write the corpus and list it
"""

from __future__ import annotations

import shutil
import sys
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hostile import corpus_returns as cr
from hostile.cases import DEFAULT_MERGE, FORMULA_TEXTS, CorpusCase, Ctx, Spec
from hostile.kinds_files import CRAFTED, NOT_XLSX
from hostile.kinds_issue10 import ISSUE10
from hostile.kinds_returns import OTHERS, TAMPERED
from hostile.returns import write_good_returns
from hostile.values import agencies
from hostile.zipkit import read_members
from xlreport.identity import NAME_OF_KEY
from xlreport.reader import read_xlsx
from xlreport.spec import resolve_layout
from xlreport.spec.model import Layout

__all__ = ["FORMULA_TEXTS", "SPECS", "CorpusCase", "make_corpus"]
SPECS: list[Spec] = [*NOT_XLSX, *CRAFTED, *TAMPERED, *OTHERS, *ISSUE10]


def good_inputs(layout: Layout, path: Path) -> dict[str, Decimal]:
    """The input figures of a good return (read back; the file is ours)."""
    wb = read_xlsx(path)
    out = {}
    for c in layout.inputs():
        sheet = wb.sheet(layout.sheet(c.sheet).name)
        cell = sheet.cells.get((c.r, c.c)) if sheet else None
        if cell is not None and cell.number is not None:
            out[c.id] = cell.number
    return out


def context(dir: Path, layout: Layout, good_return: Path) -> Ctx:
    good = good_return.read_bytes()
    parts = read_members(good)
    code = read_xlsx(good_return).defined_names.get(NAME_OF_KEY["agency_code"], "").strip('"')
    return Ctx(dir, layout, good, parts, cr.saved_of(parts), cr.anatomy(layout), code,
               good_inputs(layout, good_return))  # fmt: skip


def make_corpus(
    dir: Path, good_return: Path | None = None, layout: Layout | None = None
) -> list[CorpusCase]:
    """Write every case under ``dir``; without ``good_return``, one is made (and listed)."""
    layout = layout or resolve_layout("gov-2021")
    dir.mkdir(parents=True, exist_ok=True)
    cases: list[CorpusCase] = []
    if good_return is None:
        (good,) = write_good_returns(dir, layout, agencies(1, prefix="HB"), styles=("excel",))
        good_return = good.path
        cases.append(CorpusCase("base-good", good.path, "ok", "the good return itself",
                                merge="merged", values=good.values, agency=good.agency.code))  # fmt: skip
    ctx = context(dir, layout, good_return)
    for spec in SPECS:
        target = dir.joinpath(*spec.folders, spec.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(spec.make(ctx))
        merge = DEFAULT_MERGE[spec.expect] if spec.merge is None else spec.merge
        values = spec.values(ctx) if spec.values is not None else None
        name = "very-long-path" if spec.folders else spec.name
        cases.append(CorpusCase(name, target, spec.expect, spec.note, spec.codes, spec.says,
                                merge, values, spec.agency or _base_agency(spec, ctx)))  # fmt: skip
    folder = dir / "目录.xlsx"
    folder.mkdir(exist_ok=True)
    cases.append(CorpusCase("directory.xlsx", folder, "unreadable",
                            "an (empty) folder named .xlsx", says=("没有找到", "文件夹")))  # fmt: skip
    cases.append(CorpusCase("missing-path", dir / "不存在的报表.xlsx", "unreadable",
                            "a path that does not exist", says=("找不到", "不存在")))  # fmt: skip
    return cases


def _base_agency(spec: Spec, ctx: Ctx) -> str:
    return ctx.base_code if spec in TAMPERED else ""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_corpus.py DIR", file=sys.stderr)
        return 2
    target = Path(argv[1])
    if target.exists():
        shutil.rmtree(target)
    for c in make_corpus(target):
        size = c.path.stat().st_size if c.path.is_file() else 0
        print(f"{c.expect:10} {size:>10}  {c.name}  — {c.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
