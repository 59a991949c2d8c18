"""A campaign with returns typed in LibreOffice (headless, UNO) into the campaign's own
templates, each cell found by its printed row and column labels: a first round with a
mistake (units typed into a count), its correction, a re-save with the same figures, a
clean return; ingest, return, resubmission, approval, verify."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from campaign_helpers import COUNTY, YEAR, agencies, valid_values, write_roster
from lo import Job, run_jobs
from lo.locate import address_by_labels, grid_of

from xlreport.checks.values import fmt
from xlreport.ledger import (
    STATE_APPROVED,
    STATE_FIX,
    STATE_PENDING,
    STATE_RETURNED,
    approve,
    create_campaign,
    ingest,
    return_agency,
    verify,
)
from xlreport.spec import Layout

pytestmark = pytest.mark.libreoffice
AGENCIES = agencies(3)


def _entries(layout: Layout, template: Path, values: dict[str, Decimal | str]) -> tuple:  # type: ignore[type-arg]
    wb = openpyxl.load_workbook(template)
    grids = {s.key: grid_of(wb[s.name]) for s in layout.sheets}
    return tuple(
        (
            layout.sheet(layout.cells[cid].sheet).name,
            address_by_labels(layout, cid, grids[layout.cells[cid].sheet]),
            fmt(v) if isinstance(v, Decimal) else v,
        )
        for cid, v in values.items()
    )


def test_a_campaign_of_returns_typed_in_libreoffice(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    camp, _ = create_campaign(tmp_path / "活动", year=YEAR, roster=roster, county=COUNTY)
    with camp:
        layout = camp.layout
        templates = {
            a.code: next(p for p in (camp.dir / "templates").glob("*.xlsx") if a.name in p.name)
            for a in AGENCIES
        }
        good = {a.code: valid_values(layout, i) for i, a in enumerate(AGENCIES)}
        wrong = dict(good["QH001"]) | {"s3.new.natural": "12件"}
        sent = tmp_path / "收到"
        sent.mkdir()
        jobs = [
            Job(templates["QH001"], sent / "一局（初稿）.xlsx", _entries(layout, templates["QH001"], wrong)),
            Job(templates["QH001"], sent / "一局（改正）.xlsx", _entries(layout, templates["QH001"], good["QH001"])),
            Job(templates["QH001"], sent / "一局（又存一次）.xlsx", _entries(layout, templates["QH001"], good["QH001"])),
            Job(templates["QH002"], sent / "二局.xlsx", _entries(layout, templates["QH002"], good["QH002"])),
        ]  # fmt: skip
        run_jobs(jobs)

        first = ingest(camp, [sent / "一局（初稿）.xlsx", sent / "二局.xlsx"], workers=1)
        by_code = {i.agency_code: i for i in first.items}
        assert by_code["QH001"].state_after == STATE_FIX
        assert by_code["QH002"].state_after == STATE_PENDING, by_code["QH002"].message
        assert return_agency(camp, "QH001", "第三部分自然人新收申请数写了“件”").done

        fixed = ingest(camp, [sent / "一局（改正）.xlsx"], workers=1).items[0]
        assert (fixed.round, fixed.state_before, fixed.state_after) == (
            2,
            STATE_RETURNED,
            STATE_PENDING,
        )
        again = ingest(camp, [sent / "一局（又存一次）.xlsx"], workers=1).items[0]
        # LibreOffice saves the same figures as other bytes: refused as unchanged, or the
        # very same bytes: a duplicate; never a third version
        assert again.outcome in ("unchanged", "duplicate")
        assert [c.done for c in approve(camp, all_clean=True)] == [True, True]
        states = {r["code"]: r["state"] for r in camp.agencies()}
        assert states == {"QH001": STATE_APPROVED, "QH002": STATE_APPROVED, "QH003": "未报"}
        assert verify(camp) == []
