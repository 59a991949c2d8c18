"""Find a value cell in a generated workbook by its printed labels, as a person would.

A person looks for the column header (“申请人情况” → “法人或其他组织” → “商业企业”) and the row label
(“三、本年度办理结果” → “（三）不予公开” → “1.属于国家秘密”), then types where they cross. Here the
layout's :class:`~xlreport.spec.model.Label` objects say where each printed label stands; every
label on the way is checked against the workbook's own cells and merges, and the address is
computed from the labels' geometry — never taken from ``Cell.a1``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xlreport.spec.model import Label, Layout, a1


@dataclass(frozen=True)
class SheetGrid:
    """The text of a worksheet's cells and its merged ranges, 0-based."""

    texts: dict[tuple[int, int], str]
    merges: frozenset[tuple[int, int, int, int]]


def grid_of(ws: object) -> SheetGrid:
    """A :class:`SheetGrid` from an openpyxl worksheet."""
    texts: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for c in row:
            if isinstance(c.value, str):
                texts[(c.row - 1, c.column - 1)] = c.value
    merges = frozenset(
        (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
        for m in ws.merged_cells.ranges  # type: ignore[attr-defined]
    )
    return SheetGrid(texts, merges)


class LabelNotFound(LookupError):
    pass


def _one(cands: list[Label], what: str) -> Label:
    if len(cands) != 1:
        raise LabelNotFound(f"{len(cands)} labels match {what}")
    return cands[0]


def _check_in_grid(labels: Iterable[Label], grid: SheetGrid) -> None:
    for lb in labels:
        found = grid.texts.get((lb.r1, lb.c1))
        if found != lb.text:
            raise LabelNotFound(f"{lb.a1} holds {found!r}, expected the label {lb.text!r}")
        if (lb.r1, lb.c1) != (lb.r2, lb.c2) and (lb.r1, lb.c1, lb.r2, lb.c2) not in grid.merges:
            span = f"{lb.a1}:{a1(lb.r2, lb.c2)}"
            raise LabelNotFound(f"label {lb.text!r} should be merged over {span}")


def address_by_labels(layout: Layout, cell_id: str, grid: SheetGrid) -> str:
    """The A1 address where the row and column labels of ``cell_id`` cross in ``grid``."""
    cell = layout.cells[cell_id]
    sheet = layout.sheet(cell.sheet)
    table = next(t for t in sheet.tables if t.key == cell.table)
    mine = [lb for lb in sheet.labels if table.top <= lb.r1 <= table.bottom]
    used = [lb for lb in mine if lb.role == "caption"]
    cols = [lb for lb in mine if lb.role == "column"]
    rows = [lb for lb in mine if lb.role == "row"]
    top = min(lb.r1 for lb in cols)
    parent: Label | None = None
    for text in table.column(cell.col).path:
        p = parent
        parent = _one(
            [
                lb
                for lb in cols
                if lb.text == text
                and (
                    lb.r1 == top
                    if p is None
                    else lb.r1 == p.r2 + 1 and p.c1 <= lb.c1 and lb.c2 <= p.c2
                )
            ],
            f"column label {text!r} of {cell_id}",
        )
        used.append(parent)
    if parent is None:
        raise LabelNotFound(f"{cell_id} has no column label")
    col_leaf = parent
    parent = None
    for text in table.row(cell.row).path:
        p = parent
        parent = _one(
            [
                lb
                for lb in rows
                if lb.text == text
                and (
                    lb.c1 == 0
                    if p is None
                    else lb.c1 == p.c2 + 1 and p.r1 <= lb.r1 and lb.r2 <= p.r2
                )
            ],
            f"row label {text!r} of {cell_id}",
        )
        used.append(parent)
    row = parent.r1 if parent is not None else col_leaf.r2 + 1  # no row label: under the header
    _check_in_grid(used, grid)
    return a1(row, col_leaf.c1)
