"""分类小计: the summary's every cell by 单位类型 (县直部门 / 乡镇 / 街道 / 其他).

A return's type is the roster's 单位类型 (``--roster`` with that column), else the one its
template carries; a summary merged upward, or an agency of no known type, counts as 其他.
The sheet lists every cell of the statutory tables (inputs and totals), one column per
type and a 合计 column whose formula adds them up — equal to the summary's own cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from xlreport.checks.model import ReturnData
from xlreport.identity import TYPE_GROUPS, type_sheet_names
from xlreport.merge.detail import label_cells, listing
from xlreport.merge.model import agency_key
from xlreport.merge.select import coverage, is_summary
from xlreport.merge.sheets import SUBTOTAL_SHEET
from xlreport.merge.sums import merge_values
from xlreport.spec.compiled import with_sheet_names
from xlreport.spec.model import Layout
from xlreport.writer.summary_sheets import Block, CellValue, ExtraSheet, SumCells

GROUPS = tuple(g for _t, g in TYPE_GROUPS)
OTHER = GROUPS[-1]
LEAD = ("项目", "栏目")
TOTAL = "合计"


def grouper(roster_types: Mapping[str, str] | None) -> Callable[[ReturnData], str]:
    """The group of a counted return: by the roster's type of its code, else its template's."""
    group = dict(TYPE_GROUPS)
    types = roster_types or {}

    def group_of(data: ReturnData) -> str:
        if is_summary(data):
            return OTHER
        kind = types.get(agency_key(data)) or data.identity.agency_type
        return group.get(kind, OTHER)

    return group_of


def group_values(
    layout: Layout, counted: Sequence[ReturnData], group_of: Callable[[ReturnData], str]
) -> dict[str, dict[str, Decimal]]:
    """Every group (all of :data:`GROUPS`, empty ones too) → its sums of every cell. The
    groups' members are kept by their places: ``counted`` may make each return as it is
    read (a province's 100,000 are not all held at once)."""
    members: dict[str, list[int]] = {g: [] for g in GROUPS}
    for i, d in enumerate(counted):
        members[group_of(d)].append(i)
    return {
        g: merge_values(layout, (counted[i].values for i in places))
        for g, places in members.items()
    }


def group_coverage(
    counted: Sequence[ReturnData], group_of: Callable[[ReturnData], str]
) -> dict[str, int]:
    """Every group with at least one counted return (in :data:`GROUPS` order) → how many
    agencies its returns cover (a summary merged upward: all of its agencies)."""
    covered: dict[str, set[str]] = {}
    for d in counted:
        covered.setdefault(group_of(d), set()).update(coverage(d))
    return {g: len(covered[g]) for g in GROUPS if g in covered}


def type_layout(layout: Layout, group: str) -> Layout:
    """``layout`` with its sheets named for ``group`` (:func:`type_sheet_names`): the
    statutory tables of one 单位类型 in a summary (``merge --by-type``)."""
    names = type_sheet_names([s.name for s in layout.sheets])
    return with_sheet_names(layout, {s.key: names[(s.name, group)] for s in layout.sheets})


def subtotal_sheet(
    layout: Layout,
    summary: Mapping[str, Decimal],
    by_group: Mapping[str, Mapping[str, Decimal]],
    counts: Mapping[str, int],
    title: str,
) -> ExtraSheet:
    header = [[*LEAD, *(f"{g}（{counts.get(g, 0)}个）" for g in GROUPS), TOTAL]]
    listed, spans = listing(layout)
    starts = {i for i, _c, _n in spans}
    groups = tuple(range(len(LEAD), len(LEAD) + len(GROUPS)))
    rows: list[list[CellValue]] = []
    for i, item in enumerate(listed):
        if isinstance(item, str):
            rows.append([item])
            continue
        row = label_cells(item, i in starts)
        row += [by_group[g][item.id] for g in GROUPS]
        row.append(SumCells(summary[item.id], groups))
        rows.append(row)
    return ExtraSheet(
        name=SUBTOTAL_SHEET,
        title=f"{title}分类小计（按单位类型，合计为公式，等于汇总表）",
        blocks=[Block(rows=rows, header=header, width=len(header[0]), spans=spans)],
        widths=[30.0, 14.0] + [10.0] * (len(GROUPS) + 1),
        freeze_cols=len(LEAD),
        wrap=True,
    )
