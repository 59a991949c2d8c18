"""The 概览 sheet: who is in the summary, then the figures and charts the layout's
``[overview]`` names (:class:`~xlreport.spec.model.Overview`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from xlreport.checks.model import ReturnData
from xlreport.identity import Identity
from xlreport.mapped_view import MappedView
from xlreport.merge.figures import cell_value, sum_value
from xlreport.merge.model import FileOutcome, agency_key, agency_name
from xlreport.merge.sheets import OVERVIEW_SHEET
from xlreport.merge.status import RosterStatus
from xlreport.spec.model import Layout
from xlreport.spec.overview import SHOWN
from xlreport.writer.summary_sheets import Block, CellValue, ChartSpec, ExtraSheet

#: Agencies shown in the ranking chart (the block beside it lists them all).
CHART_AGENCIES = 30


def _count(files: Sequence[FileOutcome], *statuses: str) -> int:
    return sum(1 for f in files if f.status in statuses)


def reporting_rows(
    identity: Identity,
    layout: Layout,
    files: Sequence[FileOutcome],
    status: RosterStatus,
    roster_size: int | None,
) -> list[list[CellValue]]:
    rows: list[list[CellValue]] = [
        ["汇总单位", identity.agency_name],
        ["汇总单位编码", identity.agency_code],
        ["报告年度", identity.year],
        ["报表布局", f"{layout.id}（{layout.name}）"],
        ["收到文件数", len(files)],
        ["计入汇总的文件数", _count(files, "merged")],
        ["汇总覆盖的单位数", len(identity.contributors)],
    ]
    if roster_size is not None:
        reported = roster_size - len(status.not_reported)
        rows += [
            ["名单单位数", roster_size],
            ["已报送（已计入汇总）", reported],
            ["未报送", len(status.missing)],
            ["有报表但未计入汇总", len(status.not_reported) - len(status.missing)],
            ["不在名单中但已计入", len(status.not_in_roster)],
        ]
        if status.missing:
            rows.append(
                ["汇总范围", f"部分汇总：名单中 {len(status.missing)} 个单位未报送，未计入"]
            )
    rows += [
        ["已被替换的旧版本", _count(files, "superseded")],
        ["版本冲突未汇总", _count(files, "conflict")],
        ["重复文件（只计一次）", _count(files, "duplicate")],
        ["有错误未汇总", _count(files, "error", "mismatch", "overlap", "unidentified")],
        ["无法读取的文件", _count(files, "unreadable")],
        ["未校验（跳过）的文件", _count(files, "skipped")],
    ]
    return rows


def overview_sheet(
    layout: Layout,
    identity: Identity,
    values: dict[str, Decimal],
    counted: Sequence[ReturnData],
    files: Sequence[FileOutcome],
    status: RosterStatus,
    roster_size: int | None,
    title: str,
) -> ExtraSheet:
    blocks = [
        Block(
            title="报送与汇总情况",
            rows=reporting_rows(identity, layout, files, status, roster_size),
        ),
        Block(
            title="主要数据（全部计入单位合计）",
            rows=[[f.label, values.get(f.cell, Decimal(0))] for f in layout.overview.figures],
            number_formats={1: "General"},
        ),
    ]
    charts: list[ChartSpec] = []
    breakdown = layout.overview.breakdown
    if breakdown is not None:
        rows: list[list[CellValue]] = [
            [s.label, sum_value(values, s.expr)] for s in breakdown.slices
        ]
        blocks.append(
            Block(title=breakdown.title, header=[breakdown.header], rows=rows, key="breakdown")
        )
        charts.append(ChartSpec("pie", breakdown.title, "breakdown", 0, 1, anchor_col=4))
    ranking = layout.overview.ranking
    if ranking is not None:
        # the agencies by their figure (largest first), then code: kept as their places
        # and each line made as it is written (``counted`` may make each return as it is
        # read: a province's 100,000 are not all held at once)
        keys = [(-cell_value(layout, d.values, ranking.cell), agency_key(d)) for d in counted]
        places = sorted(range(len(keys)), key=keys.__getitem__)
        del keys
        cell = ranking.cell

        def ranked(i: int) -> list[CellValue]:
            d = counted[i]
            code = agency_key(d)
            return [agency_name(d) or code, code, cell_value(layout, d.values, cell)]

        lines = MappedView(places, ranked)
        blocks.append(
            Block(title=ranking.title, header=[ranking.header], rows=lines, key="ranking", width=3)
        )
        shown = min(len(lines), CHART_AGENCIES)
        head = (
            ranking.chart_title
            if len(lines) <= CHART_AGENCIES
            else ranking.chart_title_top.replace(SHOWN, str(shown))
        )
        charts.append(
            ChartSpec(
                "bar",
                head,
                "ranking",
                0,
                2,
                count=shown,
                anchor_col=4,
                series_name=ranking.header[-1],
            )
        )
    return ExtraSheet(
        name=OVERVIEW_SHEET,
        title=f"{title}汇总概览",
        blocks=blocks,
        charts=charts,
        widths=[40, 28, 14],
        active=True,
    )
