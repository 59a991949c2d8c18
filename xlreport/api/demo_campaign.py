"""``xlreport demo``, step 5: the same sample county as a collection campaign.

Two rounds: the agencies' first returns are ingested (receipts written), one has errors
and is sent back with a reason (退回修改通知 and annotated copy in notices/), its corrected
return arrives in the second round and its finding is verified 已改正, every clean return
is approved, the summary is merged from the approved versions, and the board is exported.
The clock is the demo's own (January 2025), so the outputs are the same on every run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignIngestRequest,
    CampaignInitRequest,
    CampaignReturnRequest,
    campaign_approve,
    campaign_ingest,
    campaign_init,
    campaign_return,
)
from xlreport.api.campaign_board import (
    CampaignHistoryRequest,
    CampaignHistoryResult,
    CampaignMergeRequest,
    CampaignMergeResult,
    CampaignNoticeRequest,
    CampaignNoticeResult,
    CampaignStatusRequest,
    CampaignStatusResult,
    campaign_history,
    campaign_merge,
    campaign_notices,
    campaign_status,
)
from xlreport.demo import COUNTY, PASSWORD, YEAR, load_sample_values, samples_dir
from xlreport.fsutil import atomic_write_bytes
from xlreport.ledger.schema import LEDGER_FILE
from xlreport.roster import load_roster
from xlreport.spec import resolve_layout
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

CAMPAIGN_PART = "5-收集活动"
DEADLINE = "2025-01-20"
GRACE_DAYS = 3
RETURN_REASON = "第三部分“自然人”新收申请数填写了文字，请改为数字后重新报送"


def demo_clock(start: datetime) -> Callable[[], str]:
    """A clock that starts at ``start`` and moves one second per reading (the order of the
    events is kept; the outputs do not depend on the real time)."""
    now = [start]

    def tick() -> str:
        now[0] += timedelta(seconds=1)
        return now[0].isoformat(timespec="microseconds")

    return tick


@dataclass
class CampaignDemoResult:
    folder: Path
    returned: str = ""  # the agency sent back and corrected
    notices: CampaignNoticeResult | None = None
    history: CampaignHistoryResult | None = None
    merge: CampaignMergeResult | None = None
    status: CampaignStatusResult | None = None
    rounds: list[int] = field(default_factory=list)  # new versions per round

    exit_code = 0


def run_campaign_demo(out: Path) -> CampaignDemoResult:
    """The campaign part of the demo in ``out``/5-收集活动 (an earlier one replaced)."""
    folder = out / CAMPAIGN_PART
    if (folder / LEDGER_FILE).is_file():  # an earlier demo's campaign
        shutil.rmtree(folder)
    layout = resolve_layout("gov-2021")
    roster_path = samples_dir() / "roster.csv"
    roster = load_roster(roster_path)
    figures = load_sample_values(samples_dir() / "sample_values_2024.csv")
    result = CampaignDemoResult(folder)
    campaign_init(
        CampaignInitRequest(
            folder, YEAR, roster_path, format_id=layout.id, name=COUNTY, deadline=DEADLINE,
            grace_days=GRACE_DAYS, password=PASSWORD,
        ),
        clock=demo_clock(datetime(2025, 1, 6, 1, tzinfo=UTC)),
    )  # fmt: skip

    def fill(target: Path, code: str, values: dict[str, Decimal | str]) -> None:
        agency = next(a for a in roster if a.code == code)
        ident = agency_identity(layout, YEAR, agency, county=COUNTY)
        atomic_write_bytes(target, build_workbook(layout, ident, password=PASSWORD, values=values))

    reporting = roster[:-1]  # the last agency never reports
    bad = reporting[1]
    result.returned = bad.code
    round1 = out / CAMPAIGN_PART / "inbox" / "第1轮"
    for a in reporting:
        values: dict[str, Decimal | str] = dict(figures[a.code])
        if a.code == bad.code:
            values["s3.new.natural"] = "12件"  # units typed into a count
        fill(round1 / f"{a.name}.xlsx", a.code, values)
    first = campaign_ingest(
        CampaignIngestRequest((round1,), folder, workers=1),
        clock=demo_clock(datetime(2025, 1, 15, 1, tzinfo=UTC)),
    )
    result.rounds.append(first.report.count("version"))
    campaign_return(
        CampaignReturnRequest(bad.code, RETURN_REASON, folder),
        clock=demo_clock(datetime(2025, 1, 16, 1, tzinfo=UTC)),
    )
    result.notices = campaign_notices(
        CampaignNoticeRequest((bad.code,), campaign=folder, deadline="2025-01-23")
    )
    round2 = out / CAMPAIGN_PART / "inbox" / "第2轮"
    fill(round2 / f"{bad.name}（已修改）.xlsx", bad.code, dict(figures[bad.code]))
    second = campaign_ingest(
        CampaignIngestRequest((round2,), folder, workers=1),
        clock=demo_clock(datetime(2025, 1, 21, 1, tzinfo=UTC)),
    )
    result.rounds.append(second.report.count("version"))
    result.history = campaign_history(CampaignHistoryRequest(bad.code, folder))
    later = demo_clock(datetime(2025, 1, 24, 1, tzinfo=UTC))
    campaign_approve(CampaignApproveRequest(all_clean=True, campaign=folder), clock=later)
    result.merge = campaign_merge(CampaignMergeRequest(folder, allow_missing=True), clock=later)
    result.status = campaign_status(
        CampaignStatusRequest(folder, export=folder / "报送进度.xlsx"), clock=later
    )
    return result


__all__ = ["CAMPAIGN_PART", "CampaignDemoResult", "demo_clock", "run_campaign_demo"]
