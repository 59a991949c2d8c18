"""A real campaign for the serve tests: created, links issued, returns ready to upload."""

from __future__ import annotations

import re
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


def make_campaign(
    root: Path, n: int = 4, *, name: str = "清河县 2024 报送", deadline: str = f"{YEAR + 1}-01-20"
) -> ServeCampaign:
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
            deadline=deadline,
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


class Served:
    """``xlreport serve CAMPAIGN`` as its own process on 127.0.0.1 and a free port."""

    def __init__(self, folder: Path, *extra: str) -> None:
        import os
        import socket
        import subprocess
        import sys

        from cli_helpers import ROOT

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder.parent / f"serve-{self.port}.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self._log = self.log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "xlreport",
                "serve",
                str(folder),
                "--port",
                str(self.port),
                *extra,
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self._wait()

    def _wait(self) -> None:
        import time
        import urllib.request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text(encoding="utf-8", errors="replace"))
            try:
                with urllib.request.urlopen(self.url + "/static/xlreport.css", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("xlreport serve did not start: " + self.log.read_text(errors="replace"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self._log.close()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)
