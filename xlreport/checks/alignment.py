"""Aligning a sheet of the file with its layout sheet by the labels its rows and columns carry.

:mod:`difflib` on per-row and per-column label signatures maps every layout row and column
onto the file's, so an inserted or deleted row is one clear finding — and the values below
it are still read from where they now stand — instead of a hundred edited labels.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import eq, ne

from xlreport.checks.catalogue import finding
from xlreport.findings import Finding
from xlreport.reader.model import RawCell, RawSheet
from xlreport.spec.compiled import SheetLabels
from xlreport.spec.model import Layout, Sheet, a1, col_letter

_TEXT_TYPES = ("s", "inlineStr", "str")


def raw_text(cell: RawCell | None) -> str:
    """A cell's text as shown, stripped ("" when blank)."""
    if cell is None or cell.text is None:
        return ""
    return cell.text.strip()


@dataclass
class SheetView:
    """A layout sheet as found in the file: expected row/column → the file's row/column.

    ``rows`` and ``cols`` are not changed once the view is made (``shifted`` and ``plain``
    are worked out once).
    """

    sheet: Sheet
    raw: RawSheet | None
    rows: dict[int, int] = field(default_factory=dict)  # absent key: the row was deleted
    cols: dict[int, int] = field(default_factory=dict)
    inserted_rows: set[int] = field(default_factory=set)  # file rows
    inserted_cols: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.raw.name if self.raw is not None else self.sheet.name

    @cached_property
    def shifted(self) -> bool:
        # map(ne, ...) keeps the comparison in C
        return any(map(ne, self.rows, self.rows.values())) or any(
            map(ne, self.cols, self.cols.values())
        )

    @cached_property
    def plain(self) -> bool:
        """The sheet is there and every layout row and column is where the layout puts it:
        ``where(r, c)`` is ``(r, c)`` for every cell of the layout sheet."""
        return (
            self.raw is not None
            and len(self.rows) == self.sheet.height
            and len(self.cols) == self.sheet.width
            and all(0 <= r < self.sheet.height for r in self.rows)
            and all(0 <= c < self.sheet.width for c in self.cols)
            and not self.shifted
        )

    def where(self, r: int, c: int) -> tuple[int, int] | None:
        """The file position of the layout's (r, c); None when its row or column is gone."""
        if self.raw is None or r not in self.rows or c not in self.cols:
            return None
        return self.rows[r], self.cols[c]

    def cell(self, r: int, c: int) -> RawCell | None:
        pos = self.where(r, c)
        if pos is None or self.raw is None:
            return None
        return self.raw.cells.get(pos)

    def a1(self, r: int, c: int) -> str:
        pos = self.where(r, c)
        return a1(*pos) if pos is not None else a1(r, c)


def _row_leaf(sheet: Sheet, r: int) -> str:
    """The most specific label on layout row r (or the nearest row above)."""
    for row in range(r, -1, -1):
        here = [lb for lb in sheet.labels if lb.r1 <= row <= lb.r2 and lb.text]
        if here:
            return max(here, key=lambda lb: (lb.c1, -lb.r1)).text
    return ""


def _col_leaf(sheet: Sheet, c: int) -> str:
    here = [lb for lb in sheet.labels if lb.c1 <= c <= lb.c2 and lb.text and lb.role != "title"]
    if not here:
        return ""
    return max(here, key=lambda lb: (lb.r1, -lb.c2)).text


def _row_anchor(sheet: Sheet, r: int) -> tuple[int, int]:
    """The cell to mark for layout row r: its most specific label's top-left cell."""
    here = [lb for lb in sheet.labels if lb.r1 == r and lb.text]
    if not here:
        return r, 0
    leaf = max(here, key=lambda lb: lb.c1)
    return leaf.r1, leaf.c1


def _col_anchor(sheet: Sheet, c: int) -> tuple[int, int]:
    """The cell to mark for layout column c: the top label starting in it."""
    here = [lb for lb in sheet.labels if lb.c1 == c and lb.text and lb.role != "title"]
    if not here:
        return 0, c
    top = min(here, key=lambda lb: lb.r1)
    return top.r1, top.c1


@dataclass(frozen=True)
class _Change:
    kind: str  # "insert" | "delete"
    expected_at: int  # layout index before which rows were inserted / first deleted
    file_at: int  # first inserted file index / file index where deleted ones would be
    count: int


def _align(
    expected: Sequence[tuple[str, ...]], found: Sequence[tuple[str, ...]]
) -> tuple[dict[int, int], list[_Change]]:
    """Map layout indices onto file indices by their label signatures."""
    if len(expected) == len(found) and all(map(eq, expected, found)):
        # what difflib's one "equal" opcode gives, without the matcher
        return {i: i for i in range(len(expected))}, []
    mapping: dict[int, int] = {}
    changes: list[_Change] = []
    matcher = difflib.SequenceMatcher(None, list(expected), list(found), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        n, m = i2 - i1, j2 - j1
        paired = n if op == "equal" else min(n, m) if op == "replace" else 0
        for k in range(paired):
            mapping[i1 + k] = j1 + k
        if m > paired and i2 < len(expected):  # rows past the layout's end do not matter
            changes.append(_Change("insert", i2, j1 + paired, m - paired))
        if n > paired:
            changes.append(_Change("delete", i1 + paired, j1 + paired, n - paired))
    return mapping, changes


def _file_signatures(
    plan: SheetLabels, raw: RawSheet
) -> tuple[Sequence[tuple[str, ...]], Sequence[tuple[str, ...]]]:
    """Per file row and column: the sorted label texts found there."""
    sheet, texts = plan.sheet, plan.texts
    # only cells holding a label text shape the signatures: a stray value far away (say at
    # XFD1048576) must not blow the lists up to a million entries
    labelled = [
        (r, c, t)
        for (r, c), cell in raw.cells.items()
        if cell.formula is None
        and cell.t in _TEXT_TYPES
        and cell.text is not None
        and (t := cell.text.strip()) in texts
    ]
    if len(labelled) == len(plan.labels) and set(labelled) == plan.label_set:
        return plan.row_signatures, plan.col_signatures  # every label where the layout has it
    height = max([sheet.height, *(r + 1 for r, _c, _t in labelled)])
    width = max([sheet.width, *(c + 1 for _r, c, _t in labelled)])
    file_rows: list[list[str]] = [[] for _ in range(height)]
    file_cols: list[list[str]] = [[] for _ in range(width)]
    for r, c, t in labelled:
        file_rows[r].append(t)
        file_cols[c].append(t)
    return [tuple(sorted(x)) for x in file_rows], [tuple(sorted(x)) for x in file_cols]


def align_sheet(layout: Layout, sheet: Sheet, raw: RawSheet) -> tuple[SheetView, list[Finding]]:
    """The view of one sheet and one finding per inserted/deleted run of rows or columns."""
    plan = layout.compiled.labels[sheet.key]
    file_r, file_c = _file_signatures(plan, raw)
    rows, row_changes = _align(plan.row_signatures, file_r)
    cols, col_changes = _align(plan.col_signatures, file_c)
    view = SheetView(sheet, raw, rows, cols)
    out: list[Finding] = []
    for ch in row_changes:
        out.append(_row_change(view, ch))
        if ch.kind == "insert":
            view.inserted_rows |= set(range(ch.file_at, ch.file_at + ch.count))
    for ch in col_changes:
        out.append(_col_change(view, ch))
        if ch.kind == "insert":
            view.inserted_cols |= set(range(ch.file_at, ch.file_at + ch.count))
    return view, out


def _span(first: int, count: int, unit: str) -> str:
    return f"第 {first} {unit}" if count == 1 else f"第 {first}–{first + count - 1} {unit}"


def _row_change(view: SheetView, ch: _Change) -> Finding:
    sheet = view.sheet
    below = _row_leaf(sheet, ch.expected_at) if ch.kind == "insert" else ""
    at = (sheet.name, *_row_anchor(sheet, min(ch.expected_at, sheet.height - 1)))
    if ch.kind == "insert":
        above = _row_leaf(sheet, ch.expected_at - 1) if ch.expected_at else "表格开头"
        where = _span(ch.file_at + 1, ch.count, "行")
        return finding(
            "rows-inserted",
            f"工作表“{view.name}”插入了 {ch.count} 行（文件中的{where}），"
            f"位于“{above}”与“{below}”之间。其余数值已按原位置对应读取。",
            sheet=view.name,
            cell=f"A{ch.file_at + 1}",
            expected="不插入行",
            found=f"插入 {ch.count} 行",
            at=at,
        )
    gone = [_row_leaf(sheet, r) for r in range(ch.expected_at, ch.expected_at + ch.count)]
    names = "、".join(f"“{g}”" for g in dict.fromkeys(g for g in gone if g))
    return finding(
        "rows-deleted",
        f"工作表“{view.name}”删除了 {ch.count} 行（模板中的"
        f"{_span(ch.expected_at + 1, ch.count, '行')}{'：' + names if names else ''}）。"
        "这些行中的数值无法读取。",
        sheet=view.name,
        cell=f"A{ch.file_at + 1}",
        expected=names or f"{ch.count} 行",
        found="（已删除）",
        at=at,
    )


def _col_change(view: SheetView, ch: _Change) -> Finding:
    sheet = view.sheet
    letters = col_letter(ch.file_at)
    if ch.count > 1:
        letters += f"–{col_letter(ch.file_at + ch.count - 1)}"
    at = (sheet.name, *_col_anchor(sheet, min(ch.expected_at, sheet.width - 1)))
    if ch.kind == "insert":
        left = _col_leaf(sheet, ch.expected_at - 1) if ch.expected_at else "表格左端"
        right = _col_leaf(sheet, ch.expected_at)
        return finding(
            "columns-inserted",
            f"工作表“{view.name}”插入了 {ch.count} 列（文件中的 {letters} 列），"
            f"位于“{left}”与“{right}”之间。其余数值已按原位置对应读取。",
            sheet=view.name,
            cell=f"{col_letter(ch.file_at)}1",
            expected="不插入列",
            found=f"插入 {ch.count} 列",
            at=at,
        )
    gone = [_col_leaf(sheet, c) for c in range(ch.expected_at, ch.expected_at + ch.count)]
    names = "、".join(f"“{g}”" for g in dict.fromkeys(g for g in gone if g))
    first = col_letter(ch.expected_at)
    last = col_letter(ch.expected_at + ch.count - 1)
    span = first if ch.count == 1 else f"{first}–{last}"
    return finding(
        "columns-deleted",
        f"工作表“{view.name}”删除了 {ch.count} 列（模板中的 {span} 列"
        f"{'：' + names if names else ''}）。这些列中的数值无法读取。",
        sheet=view.name,
        cell=f"{col_letter(ch.file_at)}1",
        expected=names or f"{ch.count} 列",
        found="（已删除）",
        at=at,
    )
