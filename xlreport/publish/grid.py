"""The statutory tables as a grid of printed cells, derived from the compiled layout.

Every sheet of a layout (sections 二、三、四) becomes one :class:`GridTable`: the rows from
its first table's top to its last table's bottom, every label and value cell anchored at
its top-left position with its row and column span, exactly as the workbook merges them.
Nothing here names a label, a row or a cell address: all of it comes from
:class:`~xlreport.spec.model.Sheet` (labels, cells, repeated rows, orientation).

The writers (:mod:`xlreport.publish.docx_writer`, :mod:`xlreport.publish.html_writer`)
print this grid; the tests parse their outputs back into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from xlreport.spec.model import Layout, Sheet, ValueType

#: What a printed cell is: a header label (caption, corner, column), a row label, a value,
#: or a position no label or value covers (printed empty; the layouts have none).
GridKind = Literal["header", "row", "value", "empty"]


@dataclass(frozen=True)
class GridCell:
    r: int  # 0-based row within the grid
    c: int  # 0-based column
    rowspan: int
    colspan: int
    kind: GridKind
    text: str
    vertical: bool = False  # printed top to bottom (the 三、本年度办理结果 label)
    cell_id: str = ""  # the value cell's id (table.row.col)


@dataclass(frozen=True)
class GridTable:
    """One section's table: ``rows`` holds the anchored cells of each grid row."""

    sheet: str  # the layout sheet's key
    title: str  # the section heading (二、主动公开政府信息情况 …)
    width: int  # columns
    label_cols: int  # leading columns that hold row labels (0: none)
    header_rows: int  # leading rows repeated on every page (0: none)
    landscape: bool  # the layout prints this sheet landscape
    rows: tuple[tuple[GridCell, ...], ...]

    def cells(self) -> list[GridCell]:
        return [c for row in self.rows for c in row]


def format_value(value: Decimal | None, vtype: ValueType) -> str:
    """A value as printed: no exponent, no thousands separator, no trailing zeros after
    the decimal point; a blank cell (None) and zero are both ``0``."""
    if value is None or value == 0:
        return "0"
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    if vtype.decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _sheet_grid(
    layout: Layout, sheet: Sheet, values: Mapping[str, Decimal], raw: Mapping[str, str]
) -> GridTable:
    top = min(t.top for t in sheet.tables)
    bottom = max(t.bottom for t in sheet.tables)
    height = bottom - top + 1
    anchors: dict[tuple[int, int], GridCell] = {}
    covered: set[tuple[int, int]] = set()

    def place(cell: GridCell) -> None:
        anchors[(cell.r, cell.c)] = cell
        for r in range(cell.r, cell.r + cell.rowspan):
            for c in range(cell.c, cell.c + cell.colspan):
                covered.add((r, c))

    for lb in sheet.labels:
        if lb.role == "title" or not top <= lb.r1 <= bottom:
            continue
        place(
            GridCell(
                r=lb.r1 - top,
                c=lb.c1,
                rowspan=lb.r2 - lb.r1 + 1,
                colspan=lb.c2 - lb.c1 + 1,
                kind="row" if lb.role == "row" else "header",
                text=lb.text,
                vertical=lb.vertical,
            )
        )
    for cell in layout.cells.values():
        if cell.sheet != sheet.key:
            continue
        place(
            GridCell(
                r=cell.r - top,
                c=cell.c,
                rowspan=1,
                colspan=cell.c2 - cell.c + 1,
                kind="value",
                text=_shown(cell.id, values, raw, cell.type),
                cell_id=cell.id,
            )
        )
    rows: list[tuple[GridCell, ...]] = []
    for r in range(height):
        row: list[GridCell] = []
        for c in range(sheet.width):
            if (r, c) in anchors:
                row.append(anchors[(r, c)])
            elif (r, c) not in covered:
                row.append(GridCell(r, c, 1, 1, "empty", ""))
        rows.append(tuple(row))
    repeat_last = sheet.repeat_rows[1]
    header_rows = repeat_last - top + 1 if repeat_last >= top else 0
    label_cols = max(t.label_cols for t in sheet.tables)
    return GridTable(
        sheet=sheet.key,
        title=sheet.title,
        width=sheet.width,
        label_cols=label_cols,
        header_rows=header_rows,
        landscape=sheet.landscape,
        rows=tuple(rows),
    )


def _shown(
    cell_id: str, values: Mapping[str, Decimal], raw: Mapping[str, str], vtype: ValueType
) -> str:
    """A value cell's text: its number; what the file holds when that is no valid number
    (only in a file published with --force); 0 for a blank cell."""
    value = values.get(cell_id)
    if value is None and raw.get(cell_id, "").strip():
        return " ".join(raw[cell_id].split())
    return format_value(value, vtype)


def build_grids(
    layout: Layout, values: Mapping[str, Decimal], raw: Mapping[str, str] | None = None
) -> tuple[GridTable, ...]:
    """Every section's table, in layout order; ``values``: inputs and totals (blank = 0);
    ``raw``: what the file holds in input cells that are not valid numbers."""
    return tuple(_sheet_grid(layout, s, values, raw or {}) for s in layout.sheets)


__all__ = ["GridCell", "GridKind", "GridTable", "build_grids", "format_value"]
