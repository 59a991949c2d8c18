"""The key figures a clerk looks at first, found in the layout by its structure.

The 2021/2019 layouts have a table of applications (section 三) with a row keyed "new"
(本年新收), a per-row 总计 column and a column total over the outcome rows; section 四 has
its 总计 cells. Nothing here names a cell address or label: every cell is found through
the layout's keys and totals, and a custom layout without them simply gets fewer figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from xlreport.spec.model import Cell, Layout, Table

#: Row key of “一、本年新收政府信息公开申请数量” in the shipped layouts.
NEW_ROW = "new"
_TRAILING_NOTE = re.compile(r"(?<=.)（[^（）]*）$")


@dataclass(frozen=True)
class Figure:
    label: str
    cell_id: str


@dataclass(frozen=True)
class OutcomeGroup:
    label: str
    cell_ids: tuple[str, ...]


def short_label(text: str) -> str:
    """“（二）部分公开（区分处理的，只计这一情形，不计其他情形）” → “（二）部分公开”."""
    return _TRAILING_NOTE.sub("", text)


def _tables(layout: Layout) -> list[Table]:
    return [t for s in layout.sheets for t in s.tables]


def _cell(layout: Layout, table: str, row: str, col: str) -> Cell | None:
    return layout.cells.get(f"{table}.{row}.{col}")


def applications_table(layout: Layout) -> Table | None:
    """The table with a "new" row whose row total is a total cell (section 三)."""
    for t in _tables(layout):
        if any(r.key == NEW_ROW for r in t.rows) and row_total_column(layout, t):
            return t
    return None


def row_total_column(layout: Layout, table: Table) -> str | None:
    """The column whose cells are totals on every row (“总计”), if there is one."""
    for col in table.columns:
        cells = [_cell(layout, table.key, r.key, col.key) for r in table.rows]
        if cells and all(c is not None and c.kind == "total" for c in cells):
            return col.key
    return None


def applications_cell(layout: Layout) -> str | None:
    """The cell id of the year's new applications, all applicants (s3.new.total)."""
    t = applications_table(layout)
    col = row_total_column(layout, t) if t else None
    return f"{t.key}.{NEW_ROW}.{col}" if t and col else None


def outcome_rows(layout: Layout, table: Table) -> tuple[str, ...]:
    """Row keys a column total of ``table`` adds up (the outcome leaves of section 三)."""
    for total in layout.totals:
        target = layout.cells[total.cell]
        if target.table != table.key:
            continue
        terms = [layout.cells[t.cell] for t in total.expr.terms if not t.prior]
        if len(terms) > 1 and all(c.table == table.key and c.col == target.col for c in terms):
            return tuple(c.row for c in terms)
    return ()


def outcome_groups(layout: Layout) -> list[OutcomeGroup]:
    """The outcome rows grouped as printed (（一）…（六）), each summed over its 总计 column."""
    t = applications_table(layout)
    if t is None:
        return []
    col = row_total_column(layout, t)
    groups: dict[str, list[str]] = {}
    for key in outcome_rows(layout, t):
        path = t.row(key).path
        label = short_label(path[1] if len(path) > 1 else path[0])
        groups.setdefault(label, []).append(f"{t.key}.{key}.{col}")
    return [OutcomeGroup(label, tuple(ids)) for label, ids in groups.items()]


def key_figures(layout: Layout) -> list[Figure]:
    """The 总计 of each non-outcome row of section 三, then every other total of the layout
    (section 四's 行政复议/行政诉讼 总计); every total when section 三 is not recognised."""
    t = applications_table(layout)
    out: list[Figure] = []
    skip: set[str] = set()
    if t is not None:
        col = row_total_column(layout, t)
        leaves = set(outcome_rows(layout, t))
        for row in t.rows:
            if row.key in leaves:
                continue
            out.append(Figure("".join(row.path), f"{t.key}.{row.key}.{col}"))
        skip = {c.id for c in layout.cells.values() if c.table == t.key}
    for cell in layout.total_cells():
        if cell.id in skip:
            continue
        label = cell.col_label if t is not None else f"{cell.row_label} / {cell.col_label}"
        out.append(Figure(label.replace(" / ", "·"), cell.id))
    return out


def value_of(values: Mapping[str, Decimal], cell_ids: tuple[str, ...] | str) -> Decimal:
    ids = (cell_ids,) if isinstance(cell_ids, str) else cell_ids
    return sum((values.get(c, Decimal(0)) for c in ids), Decimal(0))


def cell_value(layout: Layout, values: Mapping[str, Decimal], cell_id: str) -> Decimal:
    """One cell of a return: an input as given (blank = 0), a total computed from the
    inputs it depends on only (as ``Layout.compute_totals`` would, without the others)."""
    done: dict[str, Decimal] = {}

    def value(cid: str) -> Decimal:
        total = layout.total_of(cid)
        if total is None:
            v = values.get(cid)
            return v if v is not None else Decimal(0)
        if cid not in done:
            done[cid] = total.expr.evaluate({c: value(c) for c in total.expr.cells()})
        return done[cid]

    return value(cell_id)
