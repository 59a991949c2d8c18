"""Many agencies uploading at once through their links (tests/test_serve_load.py and
benchmarks/bench_serve.py): one HTTP client per agency, each uploading its versions in turn."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
from campaign_helpers import agencies, valid_values, write_return
from serve_helpers import ServeCampaign, make_campaign

from xlreport.spec import resolve_layout

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_ROUND = re.compile(r"已收到第 (\d+) 轮报送")


@dataclass(frozen=True)
class Upload:
    code: str
    status: int
    seconds: float
    round: int | None


def make_load_campaign(
    root: Path, n_agencies: int, versions: int
) -> tuple[ServeCampaign, dict[str, list[Path]]]:
    """A campaign of ``n_agencies`` and, for each, ``versions`` returns with different values."""
    camp = make_campaign(root, n=n_agencies)
    layout = resolve_layout("gov-2021")
    folder = root / "版本"
    folder.mkdir()
    files: dict[str, list[Path]] = {}
    for i, a in enumerate(agencies(n_agencies)):
        files[a.code] = []
        for v in range(versions):
            values: dict[str, Decimal | str] = valid_values(layout, 1000 * i + v)
            files[a.code].append(
                write_return(folder / f"{a.code} 第{v + 1}版.xlsx", a, values, layout=layout)
            )
    return camp, files


def _agency_uploads(url: str, token: str, code: str, paths: list[Path]) -> list[Upload]:
    out: list[Upload] = []
    with httpx.Client(base_url=url, timeout=120) as client:
        page = client.get(f"/u/{token}")
        found = _CSRF.search(page.text)
        assert found is not None, page.text[:300]
        for p in paths:
            started = time.perf_counter()
            r = client.post(
                f"/u/{token}/upload",
                data={"csrf": found.group(1)},
                files={"file": (p.name, p.read_bytes(), "application/octet-stream")},
            )
            took = time.perf_counter() - started
            m = _ROUND.search(r.text)
            out.append(Upload(code, r.status_code, took, int(m.group(1)) if m else None))
    return out


def run_load(
    url: str, tokens: dict[str, str], files: dict[str, list[Path]], clients: int
) -> list[Upload]:
    """Every agency's uploads, ``clients`` agencies at a time."""
    with ThreadPoolExecutor(clients) as pool:
        futures = [
            pool.submit(_agency_uploads, url, tokens[code], code, paths)
            for code, paths in files.items()
        ]
        return [u for f in futures for u in f.result()]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]
