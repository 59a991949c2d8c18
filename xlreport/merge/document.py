"""The summary workbook as a document a leader reads and prints.

Sheet order: 概览 (with the narrative paragraph), the statutory tables (a cover block on
each: who is in it, who is missing, its id; no input shading, no 填报说明), with
``merge --by-type`` the statutory tables once more for each 单位类型 that has returns,
分类小计, 报送情况, 分单位明细, 校验结果 — every sheet set up for A4 with page numbers.

The summary carries no wall-clock time: the same inputs give the same bytes. What dates
it is 数据截至, the latest saved time of the returns it counts, and its 汇总编号, which
changes whenever the counted files do.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from xlreport.checks.model import ReturnData
from xlreport.identity import Identity
from xlreport.merge.detail import detail_sheet, subtotals_in_detail
from xlreport.merge.model import FileOutcome
from xlreport.merge.narrative import NarrativeText
from xlreport.merge.overview import overview_sheet
from xlreport.merge.sheets import findings_sheet, status_sheet
from xlreport.merge.status import RosterStatus
from xlreport.merge.subtotals import (
    GROUPS,
    group_coverage,
    grouper,
    subtotal_sheet,
    type_layout,
)
from xlreport.spec.model import Layout
from xlreport.writer.summary_sheets import ExtraSheet
from xlreport.writer.workbook import Cover, TableSet

#: Longest name in a page header (as on the returns).
_HEADER_NAME_MAX = 40


@dataclass(frozen=True)
class SummaryDocument:
    before: list[ExtraSheet]  # before the statutory tables
    after: list[ExtraSheet]  # after them
    cover: Cover
    #: the statutory tables per 单位类型 (``merge --by-type``), after the summary's own
    tables: list[TableSet] = field(default_factory=list)


def summary_id(identity: Identity, counted: Sequence[ReturnData]) -> str:
    """The summary's id: the same for the same layout, year, summary code and counted files
    (by content), another as soon as one counted file differs."""
    own = [identity.layout_fingerprint, str(identity.year), identity.agency_code]
    key = "|".join([*own, *sorted(d.sha256 for d in counted)])
    return "HZ-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12].upper()


def data_cutoff(counted: Sequence[ReturnData]) -> str:
    """The latest saved time among the counted returns, as "2025-01-15 10:32" ("" unknown)."""
    latest = max((d.saved_at for d in counted if d.saved_at), default="")
    return latest[:16].replace("T", " ")


def coverage_line(identity: Identity, status: RosterStatus, roster_size: int | None) -> str:
    """ "汇总 N 个单位，应报 M 个，未报 K 个" (and those whose return was not counted)."""
    text = f"汇总 {len(identity.contributors)} 个单位"
    if roster_size is None:
        return text + "（未给出单位名单）"
    text += f"，应报 {roster_size} 个，未报 {len(status.missing)} 个"
    left_out = len(status.not_reported) - len(status.missing)
    if left_out:
        text += f"，已报未计入 {left_out} 个"
    return text


def cover_lines(
    identity: Identity,
    counted: Sequence[ReturnData],
    status: RosterStatus,
    roster_size: int | None,
) -> list[str]:
    cutoff = data_cutoff(counted)
    first = f"汇总单位：{identity.agency_name}　报告年度：{identity.year}年度"
    first += f"　汇总编号：{summary_id(identity, counted)}"
    second = coverage_line(identity, status, roster_size)
    if cutoff:
        second += f"　数据截至：{cutoff}（计入报表的最晚保存时间）"
    return [first, second]


def page_header(identity: Identity, group: str = "") -> str:
    """The page header: the summary's name (and the 单位类型 of its tables per type)."""
    name = identity.agency_name[:_HEADER_NAME_MAX].replace("&", "&&")
    of = f"（{group}）" if group else ""
    return f"&L汇总单位：{name}{of}&R报告年度：{identity.year}年度"


def type_cover(first: str, group: str, agencies: int) -> list[str]:
    """The cover block of the statutory tables of one 单位类型: the summary's first line,
    then which type and how many agencies."""
    return [
        first,
        f"分类汇总：单位类型“{group}”，汇总 {agencies} 个单位（各类型之和等于本汇总表的统计表）",
    ]


def type_tables(
    layout: Layout,
    identity: Identity,
    first: str,
    by_group: Mapping[str, Mapping[str, Decimal]],
    covered: Mapping[str, int],
) -> list[TableSet]:
    """The statutory tables of every group in ``covered`` (those with returns), holding the
    group's sums (:func:`~xlreport.merge.subtotals.group_values`)."""
    inputs = [c.id for c in layout.inputs()]
    return [
        TableSet(
            type_layout(layout, g),
            {cid: by_group[g][cid] for cid in inputs},
            Cover(type_cover(first, g, n), page_header(identity, g)),
        )
        for g, n in covered.items()
    ]


def summary_document(
    layout: Layout,
    identity: Identity,
    values: dict[str, Decimal],
    counted: Sequence[ReturnData],
    files: Sequence[FileOutcome],
    status: RosterStatus,
    roster_size: int | None,
    roster_types: Mapping[str, str] | None,
    story: NarrativeText | None,
    by_type: bool,
    by_group: Mapping[str, Mapping[str, Decimal]],
) -> SummaryDocument:
    """What the summary holds besides the statutory tables (and, ``by_type``, those tables
    once more per 单位类型); ``by_group``: each group's sums
    (:func:`~xlreport.merge.subtotals.group_values`)."""
    title = f"{identity.agency_name}{identity.year}年度"
    header = page_header(identity)
    group_of = grouper(roster_types)
    per_group = Counter(map(group_of, counted))  # (one pass: the returns may be read from disk)
    counts = {g: per_group[g] for g in GROUPS}
    overview = overview_sheet(layout, identity, values, counted, files, status, roster_size, title)
    overview = replace(
        overview,
        intro=f"{story.title}：{story.text}" if story is not None else "",
        intro_cols=len(overview.widths),
        charts=[replace(c, anchor_col=0) for c in overview.charts],
        charts_below=True,
    )
    # a county's detail carries the subtotals by type; a bigger one has them on their own
    sheets = (
        []
        if subtotals_in_detail(counted)
        else [subtotal_sheet(layout, values, by_group, counts, title)]
    )
    sheets += [
        status_sheet(status.rows, title),
        detail_sheet(
            layout, counted, values, title, group_of, GROUPS, by_group, identity.agency_name
        ),
        findings_sheet(files, title),
    ]
    lines = cover_lines(identity, counted, status, roster_size)
    tables = (
        type_tables(layout, identity, lines[0], by_group, group_coverage(counted, group_of))
        if by_type
        else []
    )
    return SummaryDocument(
        before=[replace(overview, header=header)],
        after=[replace(s, header=header) for s in sheets],
        cover=Cover(lines, header),
        tables=tables,
    )
