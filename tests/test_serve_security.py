"""xlreport serve: what a request may not do (CSRF, other machines, traversal, tokens, other
agencies' files, oversize and slow bodies, markup in agencies' text), through the real app
on a real campaign (starlette's TestClient)."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import ServeCampaign, csrf_of, make_campaign
from starlette.testclient import TestClient

from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links
from xlreport.web.app import WebSettings, build_app
from xlreport.web.security import (
    LOGIN_TRIES,
    LOGIN_WINDOW_S,
    OFFICE_IDLE_S,
    SESSION_COOKIE,
    Sessions,
)

LOCAL = ("127.0.0.1", 50000)
BASE = "http://127.0.0.1:8700"  # the Host a browser on the office machine sends
LAN = "http://192.168.1.20:8700"  # and one on another machine


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> ServeCampaign:
    return make_campaign(tmp_path_factory.mktemp("serve"))


@pytest.fixture
def client(camp: ServeCampaign) -> Iterator[TestClient]:
    with TestClient(build_app(WebSettings(camp.folder)), client=LOCAL, base_url=BASE) as c:
        yield c


def _upload(client: TestClient, token: str, path: Path, name: str | None = None) -> Any:
    page = client.get(f"/u/{token}")
    assert page.status_code == 200
    return client.post(
        f"/u/{token}/upload",
        data={"csrf": csrf_of(page.text)},
        files={"file": (name or path.name, path.read_bytes(), "application/octet-stream")},
    )


def _versions(camp: ServeCampaign, code: str) -> int:
    conn = sqlite3.connect(camp.folder / "ledger.sqlite3")
    try:
        return int(
            conn.execute("SELECT COUNT(*) FROM versions WHERE agency_code = ?", (code,)).fetchone()[
                0
            ]
        )
    finally:
        conn.close()


def test_pages_carry_the_security_headers(client: TestClient, camp: ServeCampaign) -> None:
    for url in ["/", f"/u/{camp.tokens['QH001']}", "/static/htmx.min.js", "/no/such/page"]:
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff", url
        assert "script-src 'self'" in r.headers["content-security-policy"], url
        assert "unsafe-inline" not in r.headers["content-security-policy"], url
        assert r.headers["referrer-policy"] == "same-origin", url


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, camp: ServeCampaign) -> None:
    code = camp.agencies[1].code
    token = camp.tokens[code]
    client.get(f"/u/{token}")  # a session, but no token sent
    for data in ({}, {"csrf": "0" * 64}):
        r = client.post(
            f"/u/{token}/upload",
            data=data,
            files={"file": ("a.xlsx", camp.good[code].read_bytes(), "application/octet-stream")},
        )
        assert r.status_code == 403
        assert "页面已过期" in r.text
    board = client.get("/")
    r = client.post("/action/approve-clean", data={})
    assert r.status_code == 403
    # another site's form: the right token is no help when the Origin is not this server
    r = client.post(
        "/action/ingest",
        data={"csrf": csrf_of(board.text)},
        headers={"origin": "http://evil.example"},
    )
    assert r.status_code == 403
    assert "其他网站" in r.text
    assert _versions(camp, code) == 0


def test_office_pages_only_from_this_machine(camp: ServeCampaign) -> None:
    app = build_app(WebSettings(camp.folder))
    with TestClient(app, client=("192.168.1.50", 50000), base_url=LAN) as other:
        r = other.get("/")
        assert r.status_code == 403
        assert "只能在运行 xlreport serve 的电脑上打开" in r.text
        assert other.get("/agency/QH001").status_code == 403
        assert other.get("/download/templates").status_code == 403
        # an agency's link works from anywhere
        assert other.get(f"/u/{camp.tokens['QH001']}").status_code == 200


def test_office_password_admits_other_machines(camp: ServeCampaign) -> None:
    app = build_app(WebSettings(camp.folder, office_password="县办 2025"))
    with TestClient(app, client=("192.168.1.50", 50000), base_url=LAN) as other:
        r = other.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        login = other.get("/login")
        wrong = other.post("/login", data={"csrf": csrf_of(login.text), "password": "县办"})
        assert wrong.status_code == 403
        assert "密码不对" in wrong.text
        right = other.post("/login", data={"csrf": csrf_of(login.text), "password": "县办 2025"})
        assert right.status_code == 200
        assert "报送看板" in right.text
    with TestClient(app, client=("192.168.1.51", 50000), base_url=LAN) as third:
        assert third.get("/", follow_redirects=False).status_code == 303


def test_office_login_is_limited_renewed_and_expires(camp: ServeCampaign) -> None:
    now = [1000.0]
    sessions = Sessions("县办 2025", clock=lambda: now[0])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("xlreport.web.app.Sessions", lambda password: sessions)
        app = build_app(WebSettings(camp.folder, office_password="县办 2025"))
    with TestClient(app, client=("192.168.1.60", 50000), base_url=LAN) as other:
        login = other.get("/login")
        shown_under = other.cookies[SESSION_COOKIE]
        for _ in range(LOGIN_TRIES):
            wrong = other.post("/login", data={"csrf": csrf_of(login.text), "password": "猜"})
            assert wrong.status_code == 403
        # then even the right password waits (another machine is not held up)
        held = other.post("/login", data={"csrf": csrf_of(login.text), "password": "县办 2025"})
        assert held.status_code == 429 and "分钟后再试" in held.text
        now[0] += LOGIN_WINDOW_S + 1
        right = other.post("/login", data={"csrf": csrf_of(login.text), "password": "县办 2025"})
        assert right.status_code == 200 and "报送看板" in right.text
        # admitted under a new session id, not the one the login page was shown under
        assert other.cookies[SESSION_COOKIE] != shown_under
        now[0] += OFFICE_IDLE_S - 10
        assert other.get("/", follow_redirects=False).status_code == 200  # in use: kept
        now[0] += OFFICE_IDLE_S + 1
        assert other.get("/", follow_redirects=False).status_code == 303  # idle: log in again


def test_downloads_are_by_ledger_id_never_by_path(client: TestClient, camp: ServeCampaign) -> None:
    for url in [
        "/download/original/..%2F..%2Fledger.sqlite3",
        "/download/original/../../ledger.sqlite3",
        "/download/receipt/..%2Fledger.sqlite3",
        "/download/annotated/1%20OR%201=1",
        "/static/..%2F..%2Fapi%2Fcampaign.py",
        "/static/../ledger.sqlite3",
        f"/u/{camp.tokens['QH001']}/download/receipt/..%2F..%2Fledger.sqlite3",
    ]:
        r = client.get(url)
        assert r.status_code == 404, url
        assert b"SQLite format" not in r.content, url


def test_an_agency_cannot_download_another_agencys_copies(
    client: TestClient, camp: ServeCampaign
) -> None:
    r = _upload(client, camp.tokens["QH003"], camp.bad["QH003"])
    assert r.status_code == 200
    found = re.search(r"/download/annotated/(\d+)", r.text)
    assert found is not None
    version = found.group(1)
    mine = client.get(f"/u/{camp.tokens['QH003']}/download/annotated/{version}")
    assert mine.status_code == 200
    assert mine.headers["content-disposition"].startswith("attachment;")
    assert mine.content[:2] == b"PK"
    theirs = client.get(f"/u/{camp.tokens['QH002']}/download/annotated/{version}")
    assert theirs.status_code == 404
    receipt = re.search(r"回执号 <b class=\"mono\">([^<]+)</b>", r.text)
    assert receipt is not None


def test_unknown_and_revoked_tokens_are_refused(camp: ServeCampaign) -> None:
    app = build_app(WebSettings(camp.folder))
    with TestClient(app, client=LOCAL, base_url=BASE) as c:
        r = c.get("/u/" + "x" * 43)
        assert r.status_code == 403
        assert "链接无效" in r.text
        token = camp.tokens["QH004"]
        page = c.get(f"/u/{token}")
        assert page.status_code == 200
        campaign_links(CampaignLinksRequest(campaign=camp.folder, revoke=("QH004",)))
        assert c.get(f"/u/{token}").status_code == 403
        assert "停用" in c.get(f"/u/{token}").text
        r = c.post(
            f"/u/{token}/upload",
            data={"csrf": csrf_of(page.text)},
            files={"file": ("a.xlsx", camp.good["QH004"].read_bytes(), "application/octet-stream")},
        )
        assert r.status_code == 403
        assert _versions(camp, "QH004") == 0
        # a new link for QH004 works; the old one stays dead
        issued = campaign_links(CampaignLinksRequest(campaign=camp.folder, codes=("QH004",)))
        new = issued.issued[0].url.rsplit("/u/", 1)[1]
        assert c.get(f"/u/{new}").status_code == 200
        assert c.get(f"/u/{token}").status_code == 403
        camp.tokens["QH004"] = new


def test_the_ledger_keeps_no_token(camp: ServeCampaign) -> None:
    data = (camp.folder / "ledger.sqlite3").read_bytes()
    for token in camp.tokens.values():
        assert token.encode() not in data


def test_a_file_of_another_agency_is_refused_with_the_reason(
    client: TestClient, camp: ServeCampaign
) -> None:
    before = (_versions(camp, "QH001"), _versions(camp, "QH002"))
    r = _upload(client, camp.tokens["QH001"], camp.good["QH002"])
    assert r.status_code == 422
    assert "其他单位的报表" in r.text
    assert "QH002" in r.text
    assert "serve-other-agency" in r.text
    assert (_versions(camp, "QH001"), _versions(camp, "QH002")) == before


def _claiming_two_agencies(src: Path, dst: Path, first: str, last: str) -> Path:
    """``src`` with its identity sheet's agency_code row saying ``first`` and one more
    agency_code row after it keeping the original code (a crafted file)."""
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    shared = re.findall(r"<si>(.*?)</si>", parts["xl/sharedStrings.xml"].decode(), re.S)
    index = next(i for i, si in enumerate(shared) if re.sub("<[^>]+>", "", si) == "agency_code")
    for name, data in parts.items():
        text = data.decode("utf-8", "replace")
        m = re.search(rf'<c r="A(\d+)"[^>]*t="s"[^>]*><v>{index}</v></c>', text)
        if not name.startswith("xl/worksheets/") or m is None:
            continue
        row = m.group(1)
        cell = re.search(rf'<c r="B{row}"[^>]*?(/>|>.*?</c>)', text, re.S)
        assert cell is not None
        original = cell.group(0)
        text = text.replace(original, f'<c r="B{row}" t="inlineStr"><is><t>{first}</t></is></c>')
        extra = (
            '<row r="900"><c r="A900" t="inlineStr"><is><t>agency_code</t></is></c>'
            f'<c r="B900" t="inlineStr"><is><t>{last}</t></is></c></row>'
        )
        parts[name] = text.replace("</sheetData>", extra + "</sheetData>").encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return dst


def test_a_file_claiming_two_agencies_is_never_recorded_for_the_other(
    client: TestClient, camp: ServeCampaign, tmp_path: Path
) -> None:
    """Whose return a file is, is read one way only (the check's): a file whose identity
    sheet names QH001 first and QH002 last is QH002's, refused through QH001's link."""
    theirs = camp.good["QH002"]
    crafted = _claiming_two_agencies(theirs, tmp_path / "QH002.xlsx", "QH001", "QH002")
    before = (_versions(camp, "QH001"), _versions(camp, "QH002"))
    r = _upload(client, camp.tokens["QH001"], crafted, "本单位.xlsx")
    assert r.status_code == 422 and "serve-other-agency" in r.text
    assert (_versions(camp, "QH001"), _versions(camp, "QH002")) == before


def test_oversize_is_refused_before_the_body_is_read(camp: ServeCampaign) -> None:
    app = build_app(WebSettings(camp.folder, max_upload=100_000))
    read: list[bytes] = []

    async def call() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            read.append(b"x")
            return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": f"/u/{camp.tokens['QH001']}/upload",
            "raw_path": b"/u/x/upload",
            "query_string": b"",
            "headers": [
                (b"host", b"127.0.0.1:8700"),
                (b"content-type", b"multipart/form-data; boundary=b"),
                (b"content-length", b"50000000"),
            ],
            "client": LOCAL,
            "server": ("127.0.0.1", 8700),
        }
        await app(scope, receive, send)
        return sent

    sent = asyncio.run(call())
    assert sent[0]["status"] == 413
    assert read == []  # not one byte of the body was read
    assert "超过大小上限" in b"".join(m.get("body", b"") for m in sent[1:]).decode()


def test_oversize_without_content_length_is_refused_while_streaming(
    camp: ServeCampaign,
) -> None:
    app = build_app(WebSettings(camp.folder, max_upload=100_000))
    with TestClient(app, client=LOCAL, base_url=BASE) as c:
        page = c.get(f"/u/{camp.tokens['QH001']}")
        boundary = "xlrb"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
            f"{csrf_of(page.text)}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()

        def body() -> Iterator[bytes]:
            yield head
            for _ in range(100):
                yield b"\0" * 10_000
            yield f"\r\n--{boundary}--\r\n".encode()

        r = c.post(
            f"/u/{camp.tokens['QH001']}/upload",
            content=body(),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
        assert r.status_code == 413
        assert "超过大小上限" in r.text


def test_a_body_that_stops_arriving_is_refused(camp: ServeCampaign) -> None:
    app = build_app(WebSettings(camp.folder, read_timeout=0.3))

    async def call() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        first = True

        async def receive() -> dict[str, Any]:
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": b"--b\r\n", "more_body": True}
            await asyncio.sleep(30)  # the client went quiet
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/login",
            "raw_path": b"/login",
            "query_string": b"",
            "headers": [
                (b"host", b"127.0.0.1:8700"),
                (b"content-type", b"multipart/form-data; boundary=b"),
                (b"content-length", b"5000"),
            ],
            "client": LOCAL,
            "server": ("127.0.0.1", 8700),
        }
        await asyncio.wait_for(app(scope, receive, send), 10)
        return sent

    sent = asyncio.run(call())
    assert sent[0]["status"] == 408


def test_agency_text_is_escaped(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=2)
    conn = sqlite3.connect(camp.folder / "ledger.sqlite3")
    conn.execute(
        "UPDATE agencies SET contact = ?, name = ? WHERE code = 'QH002'",
        ("<script>alert(1)</script>", '测试"><img src=x onerror=alert(1)>'),
    )
    conn.commit()
    conn.close()
    with TestClient(build_app(WebSettings(camp.folder)), client=LOCAL, base_url=BASE) as c:
        board = c.get("/").text
        assert "<script>alert(1)" not in board
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board
        assert "<img src=x" not in board
        r = _upload(c, camp.tokens["QH001"], camp.bad["QH001"], name="<b>A&B 初稿<b>.xlsx")
        assert r.status_code == 200
        assert "<b>A&" not in r.text
        # the name is made safe as a file name (markup characters replaced), then escaped
        assert "_b_A&amp;B 初稿_b_.xlsx" in r.text


def test_the_request_log_holds_no_token(
    client: TestClient, camp: ServeCampaign, caplog: pytest.LogCaptureFixture
) -> None:
    token = camp.tokens["QH002"]
    with caplog.at_level(logging.INFO, logger="xlreport.web"):
        client.get(f"/u/{token}")
        client.get(f"/u/{token}/download/template")
        client.get("/?secret=1")
    lines = [r.getMessage() for r in caplog.records if r.name == "xlreport.web"]
    assert len(lines) == 3
    assert all(token not in line for line in lines)
    assert any("/u/…" in line for line in lines)
    assert not any("secret" in line for line in lines)


def test_the_agency_downloads_its_own_template(client: TestClient, camp: ServeCampaign) -> None:
    r = client.get(f"/u/{camp.tokens['QH002']}/download/template")
    assert r.status_code == 200
    assert "QH002" in r.headers["content-disposition"] or r.content[:2] == b"PK"
    from xlreport.api.campaign_web import _file_agency  # the identity the template carries

    target = camp.folder.parent / "dl.xlsx"
    target.write_bytes(r.content)
    assert _file_agency(target) == "QH002"


def test_office_downloads_are_attachments(client: TestClient, camp: ServeCampaign) -> None:
    import io
    import zipfile

    status = client.get("/download/status")
    assert status.status_code == 200
    assert status.headers["content-disposition"].startswith("attachment;")
    assert status.headers["x-content-type-options"] == "nosniff"
    templates = client.get("/download/templates")
    assert templates.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(templates.content)).namelist()
    assert len(names) == len(camp.agencies)
    assert all(n.endswith(".xlsx") and "清河县测试单位" in n for n in names)
    assert client.get("/download/summary").status_code == 404  # not merged yet
    assert client.get("/favicon.ico").status_code == 204


def test_demo_serve_opens_a_working_board(tmp_path: Path) -> None:
    """``xlreport demo --serve``: the demo's returns as a campaign, its board served."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from cli_helpers import ROOT

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "演示 输出"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BROWSER": "true"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xlreport",
            "demo",
            "--out",
            str(out),
            "--serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        board = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    board = r.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.3)
        assert "报送看板" in board, proc.poll()
        assert "清河县" in board
        assert 'id="download-summary"' in board  # the demo merged its approved versions
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0].decode("utf-8", errors="replace")
    assert "6. 报送网页" in output
    assert f"http://127.0.0.1:{port}/u/" in output


def test_a_form_with_more_parts_than_allowed_is_refused(
    client: TestClient, camp: ServeCampaign
) -> None:
    token = camp.tokens["QH002"]
    page = client.get(f"/u/{token}")
    data = camp.good["QH002"].read_bytes()
    r = client.post(
        f"/u/{token}/upload",
        data={"csrf": csrf_of(page.text)},
        files=[
            ("file", ("a.xlsx", data, "application/octet-stream")),
            ("file", ("b.xlsx", data, "application/octet-stream")),
        ],
    )
    assert r.status_code == 400
    assert "一次上传了多个文件" in r.text
    many = {"csrf": csrf_of(page.text), **{f"f{i}": "x" for i in range(20)}}
    r = client.post("/login", data=many)
    assert r.status_code == 400


def test_office_pages_refuse_a_foreign_host_name(client: TestClient) -> None:
    """DNS rebinding: a site whose name points at 127.0.0.1 does not get the office pages."""
    assert client.get("/", headers={"host": "evil.example:8700"}).status_code == 403
    assert client.get("/", headers={"host": "127.0.0.1:8700"}).status_code == 200
    assert client.get("/", headers={"host": "localhost:8700"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8700"}).status_code == 200


def test_an_upload_answers_for_its_own_version_when_another_lands_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two uploads of one agency at once: each page shows its own version (its findings,
    its annotated copy), not whichever was recorded last."""
    import shutil

    from xlreport.api import campaign_web
    from xlreport.api.campaign import CampaignIngestRequest, campaign_ingest

    camp = make_campaign(tmp_path)
    faulty = tmp_path / "另一份.xlsx"
    shutil.copyfile(camp.bad["QH002"], faulty)
    receipts = campaign_web.campaign_receipts

    def meanwhile(req: Any) -> Any:  # the other upload is recorded just after this one
        campaign_ingest(CampaignIngestRequest([faulty], camp.folder, workers=1, sender="QH002"))
        return receipts(req)

    monkeypatch.setattr(campaign_web, "campaign_receipts", meanwhile)
    upload = tmp_path / "上传.xlsx"
    shutil.copyfile(camp.good["QH002"], upload)
    out = campaign_web.upload_return(
        campaign_web.UploadRequest(camp.folder, camp.tokens["QH002"], upload, "终稿.xlsx")
    )
    assert out.accepted and out.verdict == "ok" and out.round == 1
    assert out.findings == () and not out.annotated
    with sqlite3.connect(camp.folder / "ledger.sqlite3") as conn:
        rounds = dict(conn.execute("SELECT round, id FROM versions WHERE agency_code = 'QH002'"))
    assert sorted(rounds) == [1, 2] and out.version_id == rounds[1]


def test_wrong_passwords_are_counted_per_ipv4_address_or_ipv6_network() -> None:
    from types import SimpleNamespace

    from xlreport.web.security import login_machine

    def of(host: str) -> str:
        return login_machine(SimpleNamespace(client=SimpleNamespace(host=host)))  # type: ignore[arg-type]

    assert of("2001:db8:1:2::5") == of("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert of("2001:db8:1:3::5") != of("2001:db8:1:2::5")
    assert of("192.168.1.5") != of("192.168.1.6")
