"""One statutory table sheet: labels, input and total cells, validation, live checks, printing."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlreport.spec.model import Cell, Layout, RuleCheck, Sheet, ValueType, a1
from xlreport.spec.sheet_map import INFO_ROW, check_blocks, check_column
from xlreport.writer.cells import CellWriter
from xlreport.writer.formulas import (
    difference_formula,
    expr_formula,
    status_cell,
)
from xlreport.writer.styles import Styles, display_width, number_format

CHECK_HEADING = "勾稽检查"
_LINE_HEIGHT = 15.0
_MAX_LABEL_WIDTH = 44.0
_CHECK_WIDTHS = (30.0, 34.0)


@dataclass(frozen=True)
class SheetTexts:
    """What a table sheet shows about its agency and year."""

    info: str  # row 1 text; or the cached value when ``info_formula`` is set
    info_formula: str  # "" for plain text
    header: str  # page header (already in Excel header syntax)
    footer: str
    #: a summary printed as a document: the figures are not shaded as inputs nor validated,
    #: and the info row is a cover block (``info``, its lines joined by "\n")
    document: bool = False


def write_table_sheet(
    wb: Any,
    styles: Styles,
    layout: Layout,
    sheet: Sheet,
    texts: SheetTexts,
    values: Mapping[str, Decimal | str],
    computed: Mapping[str, Decimal],
    notes: Mapping[tuple[int, int], str],
    password: str,
) -> None:
    ws = wb.add_worksheet(sheet.name)
    out = CellWriter(ws, styles, notes)
    widths = _column_widths(sheet)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    _row_heights(ws, sheet, widths)

    for lb in sheet.labels:
        kind = "row_vertical" if lb.vertical else lb.role
        out.text(lb.r1, lb.c1, lb.text, kind, lb.r2, lb.c2)
    last_col = sheet.width - 1
    if texts.info_formula:
        out.formula(INFO_ROW, 0, texts.info_formula, texts.info, "info", r2=INFO_ROW, c2=last_col)
    elif texts.document:
        out.text(INFO_ROW, 0, texts.info, "cover", INFO_ROW, last_col)
        ws.set_row(INFO_ROW, _LINE_HEIGHT * (texts.info.count("\n") + 1) + 4)
    else:
        out.text(INFO_ROW, 0, texts.info, "info", INFO_ROW, last_col)

    for cell in layout.cells.values():
        if cell.sheet != sheet.key:
            continue
        nf = number_format(cell.type)
        if cell.kind == "total":
            total = layout.total_of(cell.id)
            assert total is not None  # every total cell has its total (checked at load)
            formula = "=" + expr_formula(total.expr, layout, sheet.key)
            cached = computed.get(cell.id, Decimal(0))
            out.formula(cell.r, cell.c, formula, cached, "total", nf, c2=cell.c2)
        elif texts.document:
            out.value(cell.r, cell.c, cell.c2, values.get(cell.id), "value", nf)
        else:
            out.value(cell.r, cell.c, cell.c2, values.get(cell.id), "input", nf)
            ws.data_validation(cell.r, cell.c, cell.r, cell.c2, validation(cell))

    _check_block(ws, out, styles, layout, sheet, computed, widths)
    out.finish()
    _page_setup(ws, sheet, texts)
    ws.protect(password)


def _type_hint(vt: ValueType) -> str:
    unit = f"（单位：{vt.unit}）" if vt.unit and vt.unit not in vt.label else ""
    return f"{vt.label}{unit}"


def validation(cell: Cell) -> dict[str, Any]:
    """Data validation for an input cell, from its value type, with Chinese messages."""
    vt = cell.type
    hint = _type_hint(vt)
    opts: dict[str, Any] = {
        "input_title": (cell.col_label.split(" / ")[-1] or "填写数字")[:32],
        "input_message": f"{cell.row_label}\n请填写{hint}。没有发生的请填 0，不要留空或填“-”“无”。"[
            -255:
        ],
        "error_title": "填写的内容不符合要求"[:32],
        "error_message": f"这里只能填{hint}，不要带单位、文字或空格。请改为数字后再确认。"[:255],
        "error_type": "stop",
    }
    # the type's hard bound (``limit``) caps whatever min/max allow
    lo = max(vt.min, -vt.limit) if vt.min is not None else -vt.limit
    hi = min(vt.max, vt.limit) if vt.max is not None else vt.limit
    if vt.kind == "integer":
        opts.update(
            {"validate": "integer", "criteria": "between", "minimum": int(lo), "maximum": int(hi)}
        )
        return opts
    ref = a1(cell.r, cell.c)
    parts = [
        f"ISNUMBER({ref})",
        f"{ref}>={lo:f}",
        f"{ref}<={hi:f}",
        f"ROUND({ref},{vt.decimals})={ref}",
    ]
    opts.update({"validate": "custom", "value": "=AND(" + ",".join(parts) + ")"})
    return opts


def _check_block(
    ws: Any,
    out: CellWriter,
    styles: Styles,
    layout: Layout,
    sheet: Sheet,
    computed: Mapping[str, Decimal],
    widths: Sequence[float],
) -> None:
    """Beside each table with hard rules: one status cell per rule entry, plus red marking."""
    col = check_column(sheet)
    blocks = check_blocks(layout, sheet)
    for block in blocks:
        r = block.heading_row
        out.text(r, col, CHECK_HEADING, "check_head", r, col + 1)
        for r, instances in block.rows:
            first = instances[0]
            out.text(r, col, f"{first.rule} {first.name}", "check_rule")
            formula, cached = status_cell(instances, layout, sheet.key, computed)
            out.formula(r, col + 1, formula, cached, "check_status")
            ws.conditional_format(
                r,
                col + 1,
                r,
                col + 1,
                {"type": "text", "criteria": "begins with", "value": "✗", "format": styles.broken},
            )
            for inst in instances:
                _mark_broken(ws, styles, layout, sheet, inst)
    if blocks:
        for i, w in enumerate(_CHECK_WIDTHS):
            ws.set_column(col + i, col + i, w)


def _mark_broken(ws: Any, styles: Styles, layout: Layout, sheet: Sheet, inst: RuleCheck) -> None:
    cells = [layout.cells[c] for c in inst.cells() if layout.cells[c].sheet == sheet.key]
    if not cells:
        return
    diff = difference_formula(inst, layout, sheet.key, absolute=True)
    ws.conditional_format(
        cells[0].r,
        cells[0].c,
        cells[0].r,
        cells[0].c,
        {
            "type": "formula",
            "criteria": f"={diff}<>0",
            "format": styles.broken,
            "multi_range": " ".join(a1(c.r, c.c) for c in cells),
        },
    )


def _column_widths(sheet: Sheet) -> list[float]:
    """Widths from the labels that sit in one column (merged labels wrap over theirs)."""
    wants: dict[int, float] = {}
    vertical: set[int] = set()
    for lb in sheet.labels:
        if lb.c1 != lb.c2 or lb.role in ("title", "caption"):
            continue
        if lb.vertical:
            vertical.add(lb.c1)
            continue
        want = display_width(lb.text) + 2.0
        if lb.role == "column":
            want = min(max(want / 2 + 1, 10.0), 14.0)  # headers wrap over two lines
        wants[lb.c1] = max(wants.get(lb.c1, 0.0), min(max(want, 8.0), _MAX_LABEL_WIDTH))
    return [wants.get(c, 4.0 if c in vertical else 10.0) for c in range(sheet.width)]


def _row_heights(ws: Any, sheet: Sheet, widths: Sequence[float]) -> None:
    """Rows tall enough for their wrapped labels."""
    heights: dict[int, float] = {0: 28.0, 1: 18.0}
    for lb in sheet.labels:
        if lb.vertical or lb.role == "title":
            continue
        room = max(sum(widths[lb.c1 : lb.c2 + 1]) - 1.0, 4.0)
        lines = max(1, math.ceil(display_width(lb.text) / room))
        per_row = lines * _LINE_HEIGHT / (lb.r2 - lb.r1 + 1)
        for r in range(lb.r1, lb.r2 + 1):
            heights[r] = max(heights.get(r, _LINE_HEIGHT), per_row, _LINE_HEIGHT + 3)
    for r, h in sorted(heights.items()):
        ws.set_row(r, h)


def _page_setup(ws: Any, sheet: Sheet, texts: SheetTexts) -> None:
    ws.set_paper(9)  # A4
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    r1, r2 = sheet.repeat_rows
    ws.repeat_rows(r1, r2)
    ws.print_area(0, 0, sheet.height - 1, sheet.width - 1)
    ws.hide_gridlines(2)
    ws.set_header(texts.header)
    ws.set_footer(texts.footer)
