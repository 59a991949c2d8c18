"""The extra sheets of a summary workbook (分单位明细, 报送情况, 校验结果, 概览).

:mod:`xlreport.merge` decides what they say and describes each sheet as plain data
(:class:`ExtraSheet` made of :class:`Block` tables and :class:`ChartSpec` charts); this
module only lays them out. Text is always written with ``write_string`` — an agency name
"=HYPERLINK(…)" stays text — and the only formulas are the :class:`SumAbove` totals, each
with its exact cached value. Pass :func:`summary_sheets_hook` as ``after_sheets`` to
:func:`~xlreport.writer.build_workbook`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from xlreport.spec.model import col_letter
from xlreport.writer.cells import excel_number
from xlreport.writer.styles import FONT, display_width
from xlreport.writer.summary_bulk import BulkWorksheet
from xlreport.writer.workbook import FOOTER
from xlreport.writer.xlsxwriter_private import spill_parts_to_disk


@dataclass(frozen=True)
class SumAbove:
    """``=SUM(…)`` over this column's data rows above, in the same block; ``value`` is cached."""

    value: Decimal


@dataclass(frozen=True)
class SumCells:
    """``=SUM(…)`` over the cells of this row in ``cols`` (a run of columns is one range);
    ``value`` is cached."""

    value: Decimal
    cols: tuple[int, ...]


CellValue = str | int | Decimal | SumAbove | SumCells | None
_NO_TOTAL = frozenset({SumAbove})  # a row is a total row when a cell is a SumAbove
_FORMULAS = frozenset({SumAbove, SumCells})  # a row with one is written cell by cell


@dataclass(frozen=True)
class Block:
    """A titled table: header rows, then data rows. ``key`` names it for charts."""

    rows: Sequence[Sequence[CellValue]]
    header: Sequence[Sequence[str]] = ()
    title: str = ""
    key: str = ""
    autofilter: bool = False
    #: column index → Excel number format (default "General" for numbers)
    number_formats: Mapping[int, str] = field(default_factory=dict)
    #: cells in the longest row, when known beforehand (rows made as they are read are
    #: then not made twice); only read when there are rows
    width: int | None = None
    #: cells merged down: (data row index, column, rows), e.g. a label over its rows
    spans: Sequence[tuple[int, int, int]] = ()


@dataclass(frozen=True)
class ChartSpec:
    """A chart of one value column of a block against its category column."""

    kind: Literal["bar", "column", "pie"]
    title: str
    block: str
    category_col: int
    value_col: int
    first: int = 0  # first data row of the block to chart
    count: int | None = None  # how many rows (None: all)
    anchor_col: int = 0  # column of the chart's left edge; charts stack down from the top
    series_name: str = ""


@dataclass(frozen=True)
class ExtraSheet:
    name: str
    blocks: Sequence[Block]
    title: str = ""
    charts: Sequence[ChartSpec] = ()
    widths: Sequence[float] = ()  # explicit column widths; else from the content
    freeze_cols: int = 0  # columns kept in view (with the first block's header rows)
    active: bool = False  # the sheet shown when the workbook opens
    #: the rows of all blocks, when known beforehand (blocks made as they are written, a
    #: province's 分单位明细, are then not made twice); None: counted from the blocks
    row_count: int | None = None
    #: printing (A4, fit to the page width, page numbers in the footer)
    landscape: bool = False
    print_cols: int | None = None  # the columns printed (None: all); the others follow
    header: str = ""  # page header (Excel header syntax)
    #: a paragraph under the title, wrapped over the first ``intro_cols`` columns
    intro: str = ""
    intro_cols: int = 3
    wrap: bool = False  # text cells wrap (rows grow) instead of running over
    #: the charts under the tables (each from its ``anchor_col``), on a page of their own
    charts_below: bool = False
    #: printed at a scale that puts about this many rows on a page (0: fit the width only)
    page_rows: int = 0


_MAX_WIDTH = 48.0
#: From this many rows in all, the sheets' XML is assembled on disk rather than in memory.
ON_DISK_ROWS = 2_000
_CHART_ROWS = 20  # rows a chart of default size covers
_CHART_X = 1.2  # charts' width, of xlsxwriter's default
#: Rows of tables printed on a page of a sheet with its charts below them.
_TEXT_ROWS = 66
#: A sheet with charts prints about this many rows a page (or more, to keep them whole).
_PAGE_ROWS = 56


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
        cell = {**base, "border": 1}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.block_title = wb.add_format({**base, "bold": True, "font_size": 12})
        self.header = wb.add_format(
            {**cell, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"}
        )
        self.text = wb.add_format({**cell, "align": "left"})
        self.wrapped = wb.add_format({**cell, "align": "left", "text_wrap": True})
        self.intro = wb.add_format({**base, "align": "left", "valign": "top", "text_wrap": True})
        self.total = wb.add_format({**cell, "bold": True, "bg_color": "#EDEDED"})
        self._wb = wb
        self._cell = cell
        self._numbers: dict[tuple[str, bool], Any] = {}

    def number(self, num_format: str, total: bool) -> Any:
        key = (num_format, total)
        if key not in self._numbers:
            props = {**self._cell, "num_format": num_format, "align": "right"}
            if total:
                props.update({"bold": True, "bg_color": "#EDEDED"})
            self._numbers[key] = self._wb.add_format(props)
        return self._numbers[key]


def summary_sheets_hook(sheets: Sequence[ExtraSheet], password: str) -> Callable[[Any], None]:
    """The ``after_sheets`` callback that adds ``sheets`` (protected with ``password``)."""

    def add(wb: Any) -> None:
        if sum(_row_count(s) for s in sheets) > ON_DISK_ROWS:
            # big listings (a province's 分单位明细): xlsxwriter writes each sheet's XML to a
            # temporary file instead of one huge string; the parts, hence the bytes, are
            # the same either way
            spill_parts_to_disk(wb)
        fmts = _Formats(wb)
        for sheet in sheets:
            write_extra_sheet(wb, fmts, sheet, password)

    return add


def _row_count(sheet: ExtraSheet) -> int:
    if sheet.row_count is not None:
        return sheet.row_count
    return sum(len(b.rows) for b in sheet.blocks)


def write_extra_sheet(wb: Any, fmts: _Formats, sheet: ExtraSheet, password: str) -> None:
    ws = wb.add_worksheet(sheet.name, worksheet_class=BulkWorksheet)
    widths: dict[int, float] = {}
    r = 0
    if sheet.title:
        ws.write_string(0, 0, sheet.title, fmts.title)
        r = 2
    if sheet.intro:
        r = _write_intro(ws, fmts, sheet, r)
    places: dict[str, int] = {}  # block key → sheet row of its first data row
    freeze_row = 0
    repeat: tuple[int, int] | None = None
    header_width = 0  # cells in the widest header row
    for n, block in enumerate(sheet.blocks):
        header_width = max([header_width, *(len(h) for h in block.header)])
        if block.title:
            ws.write_string(r, 0, block.title, fmts.block_title)
            r += 1
        header_top = r
        r = _write_header(ws, fmts, block.header, r, widths)
        if sheet.wrap:
            _header_heights(ws, sheet, block.header, header_top)
        if n == 0 and block.header:
            freeze_row = r
            if len(sheet.blocks) == 1:
                repeat = (header_top, r - 1)
        if block.key:
            places[block.key] = r
        text = fmts.wrapped if sheet.wrap else fmts.text
        first_row = r
        sized = _row_heights(sheet, block) if sheet.wrap else None
        r = _write_rows(
            ws, fmts, block, r, widths, len(sheet.widths), _charted(sheet, block), text, sized
        )
        for i, c, n in block.spans:
            if n > 1:
                # the first cell holds the text; the others are blank or absent
                ws.merge.append([first_row + i, c, first_row + i + n - 1, c])
        if block.autofilter and block.header:
            last_col = max(len(h) for h in block.header) - 1
            ws.autofilter(r - len(block.rows) - 1, 0, max(r - 1, header_top), last_col)
        r += 1
    for i, w in enumerate(sheet.widths):
        widths[i] = w
    for c in sorted(widths):
        ws.set_column(c, c, widths[c])
    if sheet.charts_below:
        bottom = _add_charts(wb, ws, sheet, places, r + 1)
        # the tables on pages of about _TEXT_ROWS rows, the charts on the next one
        tall = math.ceil(r / _TEXT_ROWS) + 1 if bottom else 0
        if bottom:
            ws.set_h_pagebreaks([r])
        r = max(r, bottom)
        chart_rows = 0
    else:
        tall = -1
        chart_rows = _add_charts(wb, ws, sheet, places, 2 if sheet.title else 0)
    width = max(len(widths), header_width)
    _page_setup(ws, sheet, r, width, repeat, chart_rows, tall)
    if freeze_row and (freeze_row < 40):
        ws.freeze_panes(freeze_row, sheet.freeze_cols)
    if sheet.active:
        ws.activate()
    ws.protect(
        password,
        {"autofilter": True, "sort": False, "format_columns": True, "format_rows": True},
    )


def _row_heights(
    sheet: ExtraSheet, block: Block
) -> Callable[[int, Sequence[CellValue]], float | None]:
    """The height a data row of ``block`` needs for its wrapped texts in the sheet's column
    widths (None: one line); a text merged down over several rows has their room."""
    merged = {i for i, c, n in block.spans if n > 1 and c == 0}

    def height(i: int, row: Sequence[CellValue]) -> float | None:
        lines = 1
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v or (c == 0 and i in merged):
                continue
            room = sheet.widths[c] if c < len(sheet.widths) else _MAX_WIDTH
            lines = max(lines, math.ceil(display_width(v) / max(room - 1.0, 2.0)))
        return 14.5 * lines + 1 if lines > 1 else None

    return height


def _header_heights(ws: Any, sheet: ExtraSheet, header: Sequence[Sequence[str]], top: int) -> None:
    """The last header row tall enough for its wrapped texts (in the sheet's column widths;
    the rows above merge runs of the same text across)."""
    for depth, row in enumerate(header):
        if depth < len(header) - 1:
            continue
        lines = 1
        for c, text in enumerate(row):
            room = sheet.widths[c] if c < len(sheet.widths) else _MAX_WIDTH
            lines = max(lines, math.ceil(display_width(text) / max(room - 1.0, 2.0)))
        if lines > 1:
            ws.set_row(top + depth, 15.0 * lines + 2)


def _write_intro(ws: Any, fmts: _Formats, sheet: ExtraSheet, r: int) -> int:
    """The paragraph under the title: one merged, wrapped cell as tall as its lines."""
    cols = max(1, sheet.intro_cols)
    room = sum(sheet.widths[:cols]) if len(sheet.widths) >= cols else 8.43 * cols
    lines = max(1, math.ceil(display_width(sheet.intro) * 1.1 / max(room - 2.0, 8.0)))
    ws.merge_range(r, 0, r, cols - 1, None, fmts.intro)
    ws.write_string(r, 0, sheet.intro, fmts.intro)
    ws.set_row(r, 16.0 * lines + 4)
    return r + 2


def _page_setup(
    ws: Any,
    sheet: ExtraSheet,
    rows: int,
    width: int,
    repeat: tuple[int, int] | None,
    chart_rows: int,
    tall: int = -1,
) -> None:
    """A4, fit to one page wide, the header rows of a listing on every page, page numbers;
    only ``print_cols`` columns printed (others, e.g. file hashes, stay on screen only). A
    sheet with charts prints at a scale that keeps them on its first page."""
    ws.set_paper(9)
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if tall < 0 and sheet.page_rows:
        tall = math.ceil(rows / sheet.page_rows)
    elif tall < 0:
        tall = max(1, rows // max(chart_rows + 4, _PAGE_ROWS)) if chart_rows else 0
    ws.fit_to_pages(1, tall)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    cols = width if sheet.print_cols is None else min(width, sheet.print_cols)
    ws.print_area(0, 0, max(rows - 1, 0), max(cols - 1, 0))
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if sheet.header:
        ws.set_header(sheet.header)
    ws.set_footer(FOOTER)


def _charted(sheet: ExtraSheet, block: Block) -> int:
    """How many of ``block``'s first data rows a chart of ``sheet`` reads (xlsxwriter
    caches a chart's data from its own cells, so those rows are written cell by cell)."""
    if not block.key:
        return 0
    n = len(block.rows)
    return max(
        (
            min(n, s.first + (n if s.count is None else s.count))
            for s in sheet.charts
            if s.block == block.key
        ),
        default=0,
    )


def _fit(widths: dict[int, float], c: int, text: str) -> None:
    w = min(_MAX_WIDTH, max(8.0, display_width(text) + 2.0))
    widths[c] = max(widths.get(c, 0.0), w)


def _write_header(
    ws: Any, fmts: _Formats, header: Sequence[Sequence[str]], r: int, widths: dict[int, float]
) -> int:
    """Header rows; in every row but the last, runs of the same text merge across."""
    for depth, row in enumerate(header):
        last = depth == len(header) - 1
        c = 0
        while c < len(row):
            end = c
            if not last:
                while end + 1 < len(row) and row[end + 1] == row[c] and row[c]:
                    end += 1
            if end > c:
                ws.merge_range(r, c, r, end, None, fmts.header)
            if row[c]:
                ws.write_string(r, c, row[c], fmts.header)
            else:
                ws.write_blank(r, c, None, fmts.header)
            if last or end == c:
                _fit(widths, c, row[c] if len(row[c]) < 24 else row[c][:24])
            c = end + 1
        r += 1
    return r


def _write_rows(
    ws: BulkWorksheet,
    fmts: _Formats,
    block: Block,
    r: int,
    widths: dict[int, float],
    fixed: int,
    charted: int = 0,
    text: Any = None,
    height: Callable[[int, Sequence[CellValue]], float | None] | None = None,
) -> int:
    """Data rows in bulk (straight to XML); total rows, and the first ``charted`` rows (a
    chart reads them), cell by cell. Columns from ``fixed`` on are widened to fit their
    text."""
    first = r
    text = fmts.text if text is None else text
    width = block.width if block.width is not None and len(block.rows) else None
    if width is None:
        width = max((len(row) for row in block.rows), default=0)
    plain = [fmts.number(block.number_formats.get(c, "General"), False) for c in range(width)]
    for row in block.rows:
        for c in range(fixed, len(row)):
            v = row[c]
            if isinstance(v, str) and v:
                _fit(widths, c, v)
        kinds = set(map(type, row))
        is_total = not _NO_TOTAL.isdisjoint(kinds)
        tall = height(r - first, row) if height is not None else None
        if _FORMULAS.isdisjoint(kinds) and r - first >= charted:
            ws.add_bulk_row(r, row, plain, text, tall)
            r += 1
            continue
        if tall is not None:
            ws.set_row(r, tall)
        for c, v in enumerate(row):
            num_format = block.number_formats.get(c, "General")
            if isinstance(v, SumAbove):
                ref = f"{col_letter(c)}{first + 1}:{col_letter(c)}{r}"
                fmt = fmts.number(num_format, True)
                ws.write_formula(r, c, f"=SUM({ref})", fmt, excel_number(v.value))
            elif isinstance(v, SumCells):
                fmt = fmts.number(num_format, True)
                ws.write_formula(r, c, f"=SUM({_ranges(v.cols, r)})", fmt, excel_number(v.value))
            elif isinstance(v, Decimal | int) and not isinstance(v, bool):
                number = excel_number(v) if isinstance(v, Decimal) else v
                ws.write_number(r, c, number, fmts.number(num_format, is_total))
            elif isinstance(v, str) and v:
                ws.write_string(r, c, v, fmts.total if is_total else text)
            else:
                ws.write_blank(r, c, None, fmts.total if is_total else text)
        r += 1
    return r


def _ranges(cols: Sequence[int], r: int) -> str:
    """Columns ``cols`` of sheet row ``r`` as SUM arguments: each run of columns one range."""
    parts: list[str] = []
    run: list[int] = []
    for c in [*sorted(cols), -2]:
        if run and c != run[-1] + 1:
            a, b = f"{col_letter(run[0])}{r + 1}", f"{col_letter(run[-1])}{r + 1}"
            parts.append(a if a == b else f"{a}:{b}")
            run = []
        run.append(c)
    return ",".join(parts)


def _add_charts(wb: Any, ws: Any, sheet: ExtraSheet, places: Mapping[str, int], top: int) -> int:
    """The charts, stacked down from ``top``; the row below the last (0 without charts)."""
    bottom = 0
    for spec in sheet.charts:
        block = next(b for b in sheet.blocks if b.key == spec.block)
        count = len(block.rows) - spec.first if spec.count is None else spec.count
        count = min(count, len(block.rows) - spec.first)
        if count <= 0:
            continue
        start = places[spec.block] + spec.first
        end = start + count - 1
        chart = wb.add_chart({"type": spec.kind})
        chart.add_series(
            {
                "name": spec.series_name or spec.title,
                "categories": [sheet.name, start, spec.category_col, end, spec.category_col],
                "values": [sheet.name, start, spec.value_col, end, spec.value_col],
                "data_labels": {"value": True} if spec.kind != "pie" else {"percentage": True},
            }
        )
        chart.set_title({"name": spec.title, "name_font": {"name": FONT, "size": 12}})
        chart.set_legend({"none": True} if spec.kind != "pie" else {"position": "right"})
        scale = 1.0
        if spec.kind == "bar":
            scale = max(1.0, count / 12)
            chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
            chart.set_x_axis({"num_font": {"name": FONT}})
        ws.insert_chart(top, spec.anchor_col, chart, {"x_scale": _CHART_X, "y_scale": scale})
        top += int(_CHART_ROWS * scale) + 2
        bottom = top
    return bottom
