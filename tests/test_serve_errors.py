"""``xlreport serve`` when things go wrong: long and GBK upload names, errors of the API and
unforeseen ones; always a Chinese page with what to do, inside the security headers."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import ServeCampaign, csrf_of, make_campaign
from starlette.testclient import TestClient

import xlreport.api.campaign_web as web_api
from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links
from xlreport.errors import UsageError
from xlreport.fsutil import safe_filename
from xlreport.web.app import WebSettings, build_app
from xlreport.web.names import client_filename

LOCAL = ("127.0.0.1", 50000)
BASE = "http://127.0.0.1:8700"


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> ServeCampaign:
    return make_campaign(tmp_path_factory.mktemp("serve-errors"), n=8)


@pytest.fixture
def client(camp: ServeCampaign) -> Iterator[TestClient]:
    with TestClient(build_app(WebSettings(camp.folder)), client=LOCAL, base_url=BASE) as c:
        yield c


def _upload(client: TestClient, token: str, data: bytes, name: str) -> Any:
    page = client.get(f"/u/{token}")
    assert page.status_code == 200
    return client.post(
        f"/u/{token}/upload",
        data={"csrf": csrf_of(page.text)},
        files={"file": (name, data, "application/octet-stream")},
    )


def _raw_upload(client: TestClient, token: str, data: bytes, raw_name: bytes) -> Any:
    """A multipart upload whose file name is the bytes ``raw_name`` (as an old browser
    sends it, in the computer's own code page)."""
    csrf = csrf_of(client.get(f"/u/{token}").text).encode()
    b = b"XLREPORTBOUNDARY"
    body = (
        b"--" + b + b'\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf + b"\r\n"
        b"--"
        + b
        + b'\r\nContent-Disposition: form-data; name="file"; filename="'
        + raw_name
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + b"\r\n--"
        + b
        + b"--\r\n"
    )
    return client.post(
        f"/u/{token}/upload",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=" + b.decode()},
    )


def _secure(r: Any) -> None:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "same-origin"
    assert "Internal Server Error" not in r.text


def _kept(camp: ServeCampaign, code: str) -> list[Path]:
    """Each upload folder of ``code`` (each must hold its file)."""
    root = camp.folder / "uploads" / code
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _ledger_names(camp: ServeCampaign, code: str) -> list[str]:
    conn = sqlite3.connect(camp.folder / "ledger.sqlite3")
    try:
        rows = conn.execute(
            "SELECT original_name FROM files WHERE agency_code = ?", (code,)
        ).fetchall()
    finally:
        conn.close()
    return [str(row[0]) for row in rows]


# --- file names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["报" * 119 + ".xlsx", "报" * 300 + ".xlsx", "a" * 123 + ".xlsx", "清河" * 40 + "x.xlsx"],
)
def test_safe_filename_fits_any_file_system_and_keeps_the_extension(name: str) -> None:
    safe = safe_filename(name)
    assert len(safe.encode("utf-8")) <= 150
    assert safe.endswith(".xlsx")
    assert safe[: -len(".xlsx")] and name.startswith(safe[: -len(".xlsx")])


def test_safe_filename_keeps_short_names_and_the_callers_budgets() -> None:
    assert safe_filename("报" * 40 + ".xlsx") == "报" * 40 + ".xlsx"
    assert safe_filename("a:b.xlsx") == "a_b.xlsx"
    assert safe_filename("a" * 123 + ".x") == "a" * 123 + ".x"  # once cut to "a….x"
    assert safe_filename("CON.xlsx") == "_CON.xlsx"
    # callers that add ".xlsx" themselves (receipts, notices, annotated copies)
    stem = safe_filename("回执_R2024-0001_" + "某" * 200, max_len=150)
    assert len((stem + ".xlsx").encode("utf-8")) <= 155
    assert stem.startswith("回执_R2024-0001_某")
    assert "\ufffd" not in stem


@pytest.mark.parametrize(
    ("index", "name"),
    [(0, "报" * 119 + ".xlsx"), (1, "报" * 300 + ".xlsx"), (2, "a" * 300 + ".xlsx")],
)
def test_a_long_upload_name_is_received(
    client: TestClient, camp: ServeCampaign, index: int, name: str
) -> None:
    code = camp.agencies[index].code
    r = _upload(client, camp.tokens[code], camp.good[code].read_bytes(), name)
    assert r.status_code == 200, r.text[:300]
    assert "已收到第 1 轮报送" in r.text
    [folder] = _kept(camp, code)
    [kept] = list(folder.iterdir())
    assert kept.suffix == ".xlsx"
    assert len(kept.name.encode("utf-8")) <= 150
    assert name.startswith(kept.stem)


def test_an_upload_that_cannot_be_kept_leaves_no_empty_folder(
    client: TestClient, camp: ServeCampaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = camp.agencies[3].code

    def failing_move(src: str, dst: str) -> str:
        raise OSError(36, "File name too long", dst)

    monkeypatch.setattr(web_api.shutil, "move", failing_move)
    r = _upload(client, camp.tokens[code], camp.good[code].read_bytes(), "终稿.xlsx")
    assert r.status_code == 500
    _secure(r)
    assert _kept(camp, code) == []


def test_a_gbk_file_name_from_an_old_browser_is_read_as_chinese(
    client: TestClient, camp: ServeCampaign
) -> None:
    code = camp.agencies[4].code
    raw = "报表（终稿）.xlsx".encode("gbk")
    r = _raw_upload(client, camp.tokens[code], camp.good[code].read_bytes(), raw)
    assert r.status_code == 200, r.text[:300]
    assert "报表（终稿）.xlsx" in r.text
    [folder] = _kept(camp, code)
    assert [p.name for p in folder.iterdir()] == ["报表（终稿）.xlsx"]
    assert "报表（终稿）.xlsx" in _ledger_names(camp, code)


def test_client_filename() -> None:
    mojibake = "报表.xlsx".encode("gbk").decode("latin-1")
    assert mojibake == "±¨±í.xlsx"
    assert client_filename(mojibake) == "报表.xlsx"
    for kept in ["报表.xlsx", "Müller.xlsx", "café.xlsx", "ÿþ±¨±í.xlsx", "a.xlsx", "€.xlsx"]:
        assert client_filename(kept) == kept


# --- errors -----------------------------------------------------------------------------


def test_a_link_revoked_during_the_upload_is_refused_in_chinese(
    client: TestClient, camp: ServeCampaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = camp.agencies[5].code
    original = web_api.upload_return

    def racing(req: web_api.UploadRequest) -> Any:
        campaign_links(CampaignLinksRequest(campaign=camp.folder, revoke=(code,)))
        return original(req)

    monkeypatch.setattr(web_api, "upload_return", racing)
    r = _upload(client, camp.tokens[code], camp.good[code].read_bytes(), "终稿.xlsx")
    assert r.status_code == 403
    _secure(r)
    assert "链接无效" in r.text


def test_an_api_refusal_of_the_upload_is_a_chinese_page(
    client: TestClient, camp: ServeCampaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = camp.agencies[6].code

    def refusing(req: web_api.UploadRequest) -> Any:
        raise UsageError("本活动已结束收集", "请联系报送负责人")

    monkeypatch.setattr(web_api, "upload_return", refusing)
    r = _upload(client, camp.tokens[code], camp.good[code].read_bytes(), "终稿.xlsx")
    assert r.status_code == 400
    _secure(r)
    assert "本活动已结束收集；请联系报送负责人" in r.text
    # a reason naming the office's folders is shown without them
    folder = str(camp.folder)

    def naming(req: web_api.UploadRequest) -> Any:
        raise UsageError(f"无法写入台账 {folder}/ledger.sqlite3：disk I/O error", "请稍后重试")

    monkeypatch.setattr(web_api, "upload_return", naming)
    r = _upload(client, camp.tokens[code], camp.good[code].read_bytes(), "终稿.xlsx")
    assert r.status_code == 400 and "无法写入台账" in r.text and folder not in r.text


def test_an_unforeseen_upload_error_says_what_to_do_and_logs_no_token(
    client: TestClient,
    camp: ServeCampaign,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    code = camp.agencies[7].code
    token = camp.tokens[code]

    def crashing(req: web_api.UploadRequest) -> Any:
        raise RuntimeError(f"disk on fire while keeping {req.token}")

    monkeypatch.setattr(web_api, "upload_return", crashing)
    with caplog.at_level(logging.INFO, logger="xlreport.web"):
        r = _upload(client, token, camp.good[code].read_bytes(), "终稿.xlsx")
    assert r.status_code == 500
    _secure(r)
    assert "可能已经收到" in r.text and "回执" in r.text and "联系" in r.text
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "disk on fire" in logged  # the cause is logged …
    assert token not in logged  # … never the token


def test_an_unforeseen_office_error_is_a_chinese_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crashing(req: web_api.CampaignRequest) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(web_api, "board_view", crashing)
    r = client.get("/")
    assert r.status_code == 500
    _secure(r)
    assert "服务器出错" in r.text and "刷新" in r.text


def test_an_office_api_refusal_is_a_chinese_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refusing(req: web_api.CampaignRequest) -> Any:
        raise UsageError("账本正被另一程序使用", "请稍后刷新")

    monkeypatch.setattr(web_api, "board_view", refusing)
    r = client.get("/board/body")
    assert r.status_code == 400
    _secure(r)
    assert "账本正被另一程序使用；请稍后刷新" in r.text
