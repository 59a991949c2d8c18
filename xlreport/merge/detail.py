"""分单位明细 printed: one row per cell of the statutory tables, one column per agency.

The cells run down the page in the layout's order (each table row's label merged over
its columns' rows); the agencies run across, grouped by 单位类型 (:mod:`.subtotals`). Up
to :data:`AGENCIES_PER_BLOCK` agencies, one block holds them all, each group followed by
its 小计 column and the block ending with 合计 — formulas whose cached values are the
group's and the summary's sums — so the sheet is also the summary's subtotals by type.
More agencies: blocks of that many, one under another, and the subtotals go to their own
sheet (:func:`xlreport.merge.subtotals.subtotal_sheet`). From :data:`LIST_FROM` agencies on
(a city or a province merging returns directly) the sheet is a list instead: one row per
agency, one column per input cell, filterable, with a 合计 row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import overload

from xlreport.batch.packed import packed_of
from xlreport.checks.model import ReturnData
from xlreport.mapped_view import MappedView
from xlreport.merge.model import agency_key, agency_name
from xlreport.merge.select import coverage, is_summary
from xlreport.merge.sheets import DETAIL_SHEET
from xlreport.spec.model import Cell, Layout
from xlreport.writer.summary_sheets import Block, CellValue, ExtraSheet, SumAbove, SumCells

#: Agencies side by side in one block (a landscape A4 page wide, readable).
AGENCIES_PER_BLOCK = 12
#: From this many agencies on (a city or province merging returns directly), 分单位明细 is
#: a list to sort and filter — one row per agency, one column per input cell, a 合计 row —
#: instead of blocks to print (hundreds of pages nobody prints; a province's 10,000 agencies
#: in blocks would be a 70 MB sheet and most of the merge's time).
LIST_FROM = 20 * AGENCIES_PER_BLOCK + 1
LIST_LEAD = ("单位编码", "单位名称", "单位类型")
#: Rows printed on a landscape page (a little smaller than at 100%, still readable).
PAGE_ROWS = 50
LEAD = ("项目", "栏目")
TOTAL = "合计"
SUBTOTAL = "小计"
_LABEL_WIDTH, _COL_WIDTH, _VALUE_WIDTH = 28.0, 17.0, 7.5


def row_label(cell: Cell) -> str:
    return cell.row_label.replace(" / ", "·")


def col_label(cell: Cell) -> str:
    return cell.col_label.split(" / ")[-1]


def listing(layout: Layout) -> tuple[list[Cell | str], list[tuple[int, int, int]]]:
    """Every cell of the layout in order, a sheet's title before its cells; and the spans
    (row index, column 0, rows) that merge each table row's label over its cells."""
    rows: list[Cell | str] = []
    spans: list[tuple[int, int, int]] = []
    section, last = "", ""
    for cell in layout.cells.values():
        if cell.sheet != section:
            section = cell.sheet
            rows.append(layout.sheet(section).title)
        key = f"{cell.table}.{cell.row}"
        if key != last:
            spans.append((len(rows), 0, 0))
            last = key
        i, c, n = spans[-1]
        spans[-1] = (i, c, n + 1)
        rows.append(cell)
    return rows, spans


def label_cells(cell: Cell, first: bool) -> list[CellValue]:
    return [row_label(cell) if first else None, col_label(cell)]


def shown_name(data: ReturnData, county: str = "") -> str:
    """The agency's name in a column header, without the county's name before it (清河县教育局
    in 清河县's summary: 教育局)."""
    name = agency_name(data) or agency_key(data)
    if county and name.startswith(county) and len(name) > len(county):
        name = name[len(county) :]
    if is_summary(data):
        name += f"（汇总{len(coverage(data))}个单位）"
    return name


def _values(layout: Layout, data: ReturnData) -> dict[str, Decimal]:
    """A return's cells: its inputs (blank ones absent) and every total."""
    inputs = dict(data.values)
    return {**layout.compute_totals(inputs), **inputs}


#: A column of a block: (group, shown name, the agency — None for the group's 小计).
Column = tuple[str, str, ReturnData | None]


def _columns(
    chunk: Sequence[ReturnData], single: bool, group_of: Callable[[ReturnData], str], county: str
) -> list[Column]:
    cols: list[Column] = []
    for d in chunk:
        g = group_of(d)
        if single and cols and cols[-1][0] != g:
            cols.append((cols[-1][0], SUBTOTAL, None))
        cols.append((g, shown_name(d, county), d))
    if single and cols:
        cols.append((cols[-1][0], SUBTOTAL, None))
    return cols


class _Blocks(Sequence[Block]):
    """The blocks of 分单位明细, each made when it is written (a province's thousands of
    agencies are never all held at once)."""

    def __init__(
        self,
        layout: Layout,
        chunks: Sequence[Sequence[ReturnData]],
        columns: Callable[[Sequence[ReturnData]], list[Column]],
        summary: Mapping[str, Decimal],
        by_group: Mapping[str, Mapping[str, Decimal]],
        total: int,
    ) -> None:
        self.layout, self.chunks, self.columns = layout, chunks, columns
        self.summary, self.by_group, self.total = summary, by_group, total
        self.listed, self.spans = listing(layout)
        self.starts = {i for i, _c, _n in self.spans}

    def __len__(self) -> int:
        return len(self.chunks)

    @overload
    def __getitem__(self, n: int) -> Block: ...
    @overload
    def __getitem__(self, n: slice) -> Sequence[Block]: ...
    def __getitem__(self, n: int | slice) -> Block | Sequence[Block]:
        if isinstance(n, slice):
            return [self[i] for i in range(len(self))[n]]
        return self._block(range(len(self))[n])

    def _block(self, n: int) -> Block:
        layout, single = self.layout, len(self.chunks) == 1
        cols = self.columns(self.chunks[n])
        header = [
            ["", "", *(g for g, _s, _d in cols), *([TOTAL] if single else [])],
            [*LEAD, *(s for _g, s, _d in cols), *([f"{self.total}个单位"] if single else [])],
        ]
        own = [_values(layout, a) if a is not None else {} for _g, _s, a in cols]
        sub_cols = [len(LEAD) + j for j, (_g, _s, a) in enumerate(cols) if a is None]
        rows: list[list[CellValue]] = []
        for i, item in enumerate(self.listed):
            if isinstance(item, str):
                rows.append([item])
                continue
            row = label_cells(item, i in self.starts)
            start = len(LEAD)
            for j, (g, _s, member) in enumerate(cols):
                if member is not None:
                    v = own[j].get(item.id)
                    row.append(v if v is not None or item.kind == "input" else Decimal(0))
                    continue
                members = tuple(range(start, len(LEAD) + j))
                row.append(SumCells(self.by_group[g][item.id], members))
                start = len(LEAD) + j + 1
            if single:
                row.append(SumCells(self.summary[item.id], tuple(sub_cols)))
            rows.append(row)
        return Block(
            rows=rows,
            header=header,
            title="" if single else f"第 {n + 1} 组（共 {len(self.chunks)} 组）",
            width=len(LEAD) + len(cols) + (1 if single else 0),
            spans=self.spans,
        )


def detail_sheet(
    layout: Layout,
    counted: Sequence[ReturnData],
    summary: Mapping[str, Decimal],
    title: str,
    group_of: Callable[[ReturnData], str],
    groups: Sequence[str],
    by_group: Mapping[str, Mapping[str, Decimal]],
    county: str = "",
) -> ExtraSheet:
    """The agencies ordered by group (``groups``' order), then code; ``by_group``: each
    group's sums (the 小计 columns' cached values); ``county``: the summary's name, left
    out of the agencies' names that start with it."""
    order = {g: i for i, g in enumerate(groups)}
    # sorted by their places (``counted`` may make each return as it is read: a province's
    # 100,000 are not all held at once)
    keys = [(order.get(group_of(d), len(order)), agency_key(d)) for d in counted]
    places = sorted(range(len(keys)), key=keys.__getitem__)
    del keys
    agencies: Sequence[ReturnData] = MappedView(places, counted.__getitem__)
    if len(agencies) >= LIST_FROM:
        return _list_sheet(layout, agencies, summary, title, group_of, county)
    chunks = [
        agencies[i : i + AGENCIES_PER_BLOCK] for i in range(0, len(agencies), AGENCIES_PER_BLOCK)
    ] or [[]]
    single = len(chunks) == 1

    def columns(chunk: Sequence[ReturnData]) -> list[Column]:
        return _columns(chunk, single, group_of, county)

    blocks = _Blocks(layout, chunks, columns, summary, by_group, len(agencies))
    widest = max(len(columns(c)) + (1 if single else 0) for c in chunks)
    return ExtraSheet(
        name=DETAIL_SHEET,
        title=f"{title}分单位明细（按单位类型排列，小计、合计为公式，合计等于汇总表）",
        blocks=blocks,
        widths=[_LABEL_WIDTH, _COL_WIDTH] + [_VALUE_WIDTH] * widest,
        freeze_cols=len(LEAD),
        landscape=True,
        wrap=True,
        page_rows=PAGE_ROWS,
        row_count=len(blocks.listed) * len(chunks),
    )


class _ListRows(Sequence[list[CellValue]]):
    """The rows of the listed 分单位明细, each made when it is written, then the 合计 row."""

    def __init__(
        self,
        layout: Layout,
        agencies: Sequence[ReturnData],
        group_of: Callable[[ReturnData], str],
        county: str,
        total: list[CellValue],
    ) -> None:
        self.layout, self.agencies, self.group_of = layout, agencies, group_of
        self.county, self.total = county, total
        self.inputs = [c.id for c in layout.inputs()]

    def __len__(self) -> int:
        return len(self.agencies) + 1

    @overload
    def __getitem__(self, i: int) -> list[CellValue]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[list[CellValue]]: ...
    def __getitem__(self, i: int | slice) -> list[CellValue] | Sequence[list[CellValue]]:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        i = range(len(self))[i]
        if i == len(self.agencies):
            return self.total
        d = self.agencies[i]
        row: list[CellValue] = [agency_key(d), shown_name(d, self.county), self.group_of(d)]
        row += packed_of(self.layout, d.values)  # ints and Decimals, in the layout's input order
        return row


def _list_sheet(
    layout: Layout,
    agencies: Sequence[ReturnData],
    summary: Mapping[str, Decimal],
    title: str,
    group_of: Callable[[ReturnData], str],
    county: str,
) -> ExtraSheet:
    inputs = list(layout.inputs())
    lead = len(LIST_LEAD)
    header = [
        [""] * lead + [layout.sheet(c.sheet).title for c in inputs],
        [""] * lead + [row_label(c) for c in inputs],
        [*LIST_LEAD, *(col_label(c) for c in inputs)],
    ]
    total: list[CellValue] = [TOTAL, f"{len(agencies)}个单位", ""]
    total += [SumAbove(summary[c.id]) for c in inputs]
    formats = {
        lead + i: "0" if c.type.kind == "integer" else "General" for i, c in enumerate(inputs)
    }
    block = Block(
        rows=_ListRows(layout, agencies, group_of, county, total),
        header=header,
        autofilter=True,
        number_formats=formats,
        width=len(total),
    )
    return ExtraSheet(
        name=DETAIL_SHEET,
        title=f"{title}分单位明细（每个单位一行，可筛选；合计行为公式，等于汇总表）",
        blocks=[block],
        widths=[14, 28, 10] + [12] * len(inputs),
        freeze_cols=2,
        landscape=True,
        row_count=len(agencies) + 1,
    )


def subtotals_in_detail(counted: Sequence[ReturnData]) -> bool:
    """Whether :func:`detail_sheet` carries the subtotals by type (one block of agencies)."""
    return len(counted) <= AGENCIES_PER_BLOCK
