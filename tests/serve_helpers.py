"""A real campaign for the serve tests: created, links issued, returns ready to upload."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from campaign_helpers import COUNTY, PASSWORD, YEAR, agencies, broken, valid_values, write_return
from campaign_helpers import write_roster as write_roster

from xlreport.api.campaign import CampaignInitRequest, campaign_init
from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links
from xlreport.roster import Agency


@dataclass
class ServeCampaign:
    folder: Path
    agencies: list[Agency]
    tokens: dict[str, str]  # agency code → token
    good: dict[str, Path]  # agency code → a clean return
    bad: dict[str, Path]  # agency code → a return with one blocking error


def make_campaign(root: Path, n: int = 4, *, name: str = "清河县 2024 报送") -> ServeCampaign:
    rows = agencies(n)
    roster = write_roster(root / "花名册.csv", rows)
    folder = root / name
    campaign_init(
        CampaignInitRequest(
            folder=folder,
            year=YEAR,
            roster=roster,
            format_id="gov-2021",
            name=COUNTY,
            deadline=f"{YEAR + 1}-01-20",
            password=PASSWORD,
        )
    )
    links = campaign_links(CampaignLinksRequest(campaign=folder))
    tokens = {r.code: r.url.rsplit("/u/", 1)[1] for r in links.issued}
    returns = root / "收到的报表"
    returns.mkdir()
    good: dict[str, Path] = {}
    bad: dict[str, Path] = {}
    for i, a in enumerate(rows):
        values: dict[str, Decimal | str] = valid_values_for(i)
        good[a.code] = write_return(returns / f"{a.name} 终稿.xlsx", a, values)
        bad[a.code] = write_return(returns / f"{a.name} 初稿.xlsx", a, broken(values))
    return ServeCampaign(folder, rows, tokens, good, bad)


def valid_values_for(seed: int) -> dict[str, Decimal | str]:
    from xlreport.spec import resolve_layout

    return valid_values(resolve_layout("gov-2021"), seed)
