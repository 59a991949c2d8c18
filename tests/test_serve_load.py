"""xlreport serve under load on loopback, bounded: 200 uploads from 20 concurrent clients
(20 agencies, 10 versions each) against a real ``xlreport serve`` process, while oversize,
truncated and slow (slowloris) uploads and a revoked link are refused without blocking the
others. Every upload is recorded exactly once and ``campaign verify`` passes. Response times
are not asserted (benchmarks/bench_serve.py prints them)."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest
from cli_helpers import run_process
from serve_helpers import Served
from serve_load import make_load_campaign, run_load

from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links

pytestmark = pytest.mark.slow

AGENCIES = 20
VERSIONS = 10


def _raw(port: int, head: bytes, body: bytes, *, then_sleep: float = 0.0) -> bytes:
    """Send ``head`` + ``body`` over a plain socket (optionally go quiet), return the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(head + body)
        if then_sleep:
            time.sleep(then_sleep)
        chunks = []
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except (ConnectionResetError, TimeoutError):
            pass
        return b"".join(chunks)


def _head(path: str, length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=xlrb\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()


def test_two_hundred_uploads_from_twenty_clients(tmp_path: Path) -> None:
    camp, files = make_load_campaign(tmp_path, AGENCIES, VERSIONS)
    revoked_token = camp.tokens["QH020"]
    extra = campaign_links(CampaignLinksRequest(campaign=camp.folder, revoke=("QH020",)))
    assert extra.revoked == ["QH020"]
    tokens = {c: t for c, t in camp.tokens.items() if c != "QH020"}
    reissued = campaign_links(CampaignLinksRequest(campaign=camp.folder, codes=("QH020",)))
    tokens["QH020"] = reissued.issued[0].url.rsplit("/u/", 1)[1]

    with Served(camp.folder, "--max-upload-mb", "1", "--body-timeout", "2") as served:
        path = f"/u/{tokens['QH001']}/upload"
        refusals: dict[str, bytes] = {}

        def attack() -> None:
            # announced oversize: refused before the body is sent
            refusals["oversize"] = _raw(served.port, _head(path, 50 * 1024 * 1024), b"")
            # slow: half a body, then silence past --body-timeout
            part = (
                b'--xlrb\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
                b"Content-Type: application/octet-stream\r\n\r\nPK"
            )
            refusals["slow"] = _raw(served.port, _head(path, 5000), part, then_sleep=4)
            # truncated: the client hangs up in the middle
            with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
                s.sendall(_head(path, 100_000) + b"x" * 1000)
            refusals["revoked"] = httpx.get(f"{served.url}/u/{revoked_token}").content

        attacker = threading.Thread(target=attack)
        attacker.start()
        uploads = run_load(served.url, tokens, files, clients=AGENCIES)
        attacker.join(timeout=120)
        assert not attacker.is_alive()

    assert len(uploads) == AGENCIES * VERSIONS
    assert all(u.status == 200 for u in uploads), [u for u in uploads if u.status != 200][:3]
    by_agency: dict[str, list[int | None]] = {}
    for u in uploads:
        by_agency.setdefault(u.code, []).append(u.round)
    assert all(rounds == list(range(1, VERSIONS + 1)) for rounds in by_agency.values()), by_agency

    conn = sqlite3.connect(camp.folder / "ledger.sqlite3")
    try:
        versions = conn.execute(
            "SELECT agency_code, COUNT(*), COUNT(DISTINCT round), MAX(round) FROM versions"
            " GROUP BY agency_code"
        ).fetchall()
        arrivals = conn.execute("SELECT COUNT(*) FROM arrivals").fetchone()[0]
        receipts = conn.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]
    finally:
        conn.close()
    assert sorted(versions) == [(c, VERSIONS, VERSIONS, VERSIONS) for c in sorted(files)]
    assert arrivals == AGENCIES * VERSIONS  # each upload recorded exactly once
    assert receipts == AGENCIES * VERSIONS

    assert refusals["oversize"].startswith(b"HTTP/1.1 413")
    assert refusals["slow"].startswith(b"HTTP/1.1 408")
    assert "停用".encode() in refusals["revoked"]
    verified = run_process("campaign", "verify", "--campaign", camp.folder)
    assert verified.returncode == 0, verified.stdout + verified.stderr
