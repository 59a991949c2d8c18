"""xlreport serve, the office's side: the board, an agency's page and the actions, through
the real app (starlette's TestClient) on a real campaign. Each action is POSTed with its
CSRF token as the page's form would; the ledger is then read through the library API
(campaign_status, campaign_history) and the page must show the new state."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
from campaign_helpers import YEAR, write_return
from serve_helpers import ServeCampaign, csrf_of, make_campaign, valid_values_for
from starlette.testclient import TestClient

from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignIngestRequest,
    campaign_approve,
    campaign_ingest,
)
from xlreport.api.campaign_board import (
    CampaignHistoryRequest,
    CampaignStatusRequest,
    campaign_history,
    campaign_status,
)
from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links
from xlreport.api.check import CheckRequest, check_files, exit_code
from xlreport.checks.catalogue import CATALOGUE
from xlreport.ledger import Campaign
from xlreport.ledger.campaign import INBOX_DIR
from xlreport.ledger.events import EVENT_TEXT
from xlreport.ledger.links import owner_of
from xlreport.web.app import WebSettings, build_app

LOCAL = ("127.0.0.1", 50000)
BASE = "http://127.0.0.1:8700"


@contextmanager
def _served(camp: ServeCampaign) -> Iterator[TestClient]:
    with TestClient(build_app(WebSettings(camp.folder)), client=LOCAL, base_url=BASE) as c:
        yield c


def _act(c: TestClient, page_url: str, action: str, **form: str) -> httpx.Response:
    """POST the action with the CSRF token of ``page_url`` (as its form does); the page the
    redirect leads to."""
    page = c.get(page_url)
    assert page.status_code == 200
    r = c.post(
        f"/action/{action}", data={"csrf": csrf_of(page.text), **form}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    landed = c.get(r.headers["location"])
    assert landed.status_code == 200
    return landed


def _flash(page: str) -> str:
    found = re.search(r'<p class="notice good" id="flash">(.*?)</p>', page, re.S)
    assert found is not None, "no flash"
    return html.unescape(found.group(1))


def _state(camp: ServeCampaign, code: str) -> str:
    board = campaign_status(CampaignStatusRequest(camp.folder)).board
    return next(a.state for a in board.agencies if a.code == code)


def _page_state(page: str) -> str:
    found = re.search(r'id="state">([^<]*)<', page)
    assert found is not None
    return html.unescape(found.group(1))


def _section(page: str, start: str, end: str = "</section>") -> str:
    """The HTML from ``start`` to ``end`` (default: the end of its section)."""
    at = page.index(start)
    return page[at : page.index(end, at)]


def _rows(table: str) -> list[list[str]]:
    """A table's rows as the text of their cells (tags dropped, entities read)."""
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        out.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return out


def _agency_row(page: str, code: str) -> list[str]:
    """The row of ``code`` in the board's 全部单位 table."""
    rows = [r for r in _rows(_section(page, 'id="agencies"')) if r and r[0] == code]
    assert len(rows) == 1, code
    return rows[0]


def _card(page: str, label: str) -> int:
    found = re.search(re.escape(label) + r"(?:</span>)?<b>(\d+)</b>", page)
    assert found is not None, label
    return int(found.group(1))


def _ingest(camp: ServeCampaign, *paths: Path) -> None:
    report = campaign_ingest(CampaignIngestRequest(list(paths), camp.folder, workers=1)).report
    assert report.count("version") == len(paths)


def _events(camp: ServeCampaign, code: str) -> list[dict[str, object]]:
    return campaign_history(CampaignHistoryRequest(code, camp.folder)).events


# --- the actions ---------------------------------------------------------------------------


def test_ingest_the_inbox_from_the_board(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path)
    inbox = camp.folder / INBOX_DIR
    inbox.mkdir(exist_ok=True)
    shutil.copy(camp.good["QH001"], inbox)
    shutil.copy(camp.bad["QH002"], inbox)
    with _served(camp) as c:
        assert _card(c.get("/").text, "收件箱待接收") == 2
        board = _act(c, "/", "ingest")
        assert "新版本 2 份" in _flash(board.text)
        assert "拒收 0 份" in _flash(board.text)
        assert _state(camp, "QH001") == "已报（待审核）"
        assert _state(camp, "QH002") == "需修改"
        assert _agency_row(board.text, "QH001")[3] == "已报（待审核）"
        assert _agency_row(board.text, "QH002")[3] == "需修改"
        assert _agency_row(board.text, "QH003")[3] == "未报"
        assert _card(board.text, "收件箱待接收") == 0
        # a second time: nothing new, nothing recorded twice
        again = _act(c, "/", "ingest")
        assert "新版本 0 份" in _flash(again.text)
        assert "此前已导入 2 份" in _flash(again.text)
    assert len(campaign_history(CampaignHistoryRequest("QH001", camp.folder)).versions) == 1


def test_approve_every_clean_return_from_the_board(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path)
    _ingest(camp, camp.good["QH001"], camp.bad["QH002"], camp.good["QH003"])
    with _served(camp) as c:
        board = _act(c, "/", "approve-clean")
        assert _flash(board.text) == "已通过 2 个单位的报表。"
        assert [_state(camp, a) for a in ("QH001", "QH002", "QH003", "QH004")] == [
            "已通过",
            "需修改",
            "已通过",
            "未报",
        ]
        assert _card(board.text, "已通过") == 2
        assert _card(board.text, "需修改") == 1
        assert _agency_row(board.text, "QH003")[3] == "已通过"
        approved = _events(camp, "QH001")[-1]
        assert (approved["kind"], approved["from_state"], approved["to_state"]) == (
            "agency-approve",
            "已报（待审核）",
            "已通过",
        )
        assert _events(camp, "QH002")[-1]["kind"] == "file-version"  # not approved


def test_undo_an_approval_with_a_reason(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path)
    _ingest(camp, camp.good["QH001"])
    campaign_approve(CampaignApproveRequest(("QH001",), False, camp.folder))
    with _served(camp) as c:
        page = c.get("/agency/QH001").text
        assert 'id="unapprove"' in page and 'id="approve"' not in page
        # no reason: refused, nothing changed
        r = c.post("/action/unapprove", data={"csrf": csrf_of(page), "code": "QH001"})
        assert r.status_code == 400
        assert "请填写原因" in r.text
        assert _state(camp, "QH001") == "已通过"

        reason = "第三部分数据与上年差异过大，需复核"
        page2 = _act(c, "/agency/QH001", "unapprove", code="QH001", reason=reason)
        assert _flash(page2.text) == "已撤销通过。"
        assert _state(camp, "QH001") == "已报（待审核）"
        assert _page_state(page2.text) == "已报（待审核）"
        assert 'id="approve"' in page2.text and 'id="unapprove"' not in page2.text
        events = _rows(_section(page2.text, "<h2>事件</h2>"))
        assert events[1][1:] == ["撤销通过", "已通过", "已报（待审核）", reason]
    last = _events(camp, "QH001")[-1]
    assert (last["action"], last["reason"], last["to_state"]) == (
        "unapprove",
        reason,
        "已报（待审核）",
    )


def test_return_with_a_reason(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path)
    _ingest(camp, camp.good["QH002"])
    reason = "请补填联系人<电话> & 单位负责人"
    with _served(camp) as c:
        page = _act(c, "/agency/QH002", "return", code="QH002", reason=reason)
        assert _flash(page.text) == "已退回修改。"
        assert _state(camp, "QH002") == "退回"
        assert _page_state(page.text) == "退回"
        assert "&lt;电话&gt; &amp; 单位负责人" in page.text  # the reason, escaped
        events = _rows(_section(page.text, "<h2>事件</h2>"))
        assert events[1][1:] == ["退回修改", "已报（待审核）", "退回", reason]
        board = c.get("/").text
        returned = _section(board, 'id="list-returned"')
        assert [r[0] for r in _rows(returned)[1:]] == ["QH002"]
        assert "清河县测试单位002（QH002）［退回］" in html.unescape(returned)
    last = _events(camp, "QH002")[-1]
    assert (last["kind"], last["reason"]) == ("agency-return", reason)


def test_merge_and_download_the_summary(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path)
    _ingest(camp, *(camp.good[a.code] for a in camp.agencies[:3]), camp.bad["QH004"])
    campaign_approve(CampaignApproveRequest((), True, camp.folder))
    with _served(camp) as c:
        before = c.get("/").text
        assert 'id="download-summary"' not in before
        assert c.get("/download/summary").status_code == 404
        board = _act(c, "/", "merge")
        assert _flash(board.text) == (
            "已生成汇总表：3 个单位已通过的报表计入汇总，1 个单位未计入（汇总表中已注明）。"
        )
        assert 'id="download-summary"' in board.text
        summary = c.get("/download/summary")
        assert summary.status_code == 200
        assert summary.headers["content-disposition"].startswith("attachment;")
        assert summary.content[:2] == b"PK"
    target = tmp_path / "下载的汇总表.xlsx"
    target.write_bytes(summary.content)
    checked = check_files(CheckRequest([target]))
    assert exit_code(checked.files) == 0
    assert [_state(camp, a.code) for a in camp.agencies] == ["已通过"] * 3 + ["需修改"]


# --- an agency's page ---------------------------------------------------------------------


def test_the_agency_page_shows_versions_marked_findings_changes_receipts_events(
    tmp_path: Path,
) -> None:
    """Round 1: 12件 in D6 and 3项 in B9; round 2 fixes D6, keeps B9, types 7次 into B12."""
    camp = make_campaign(tmp_path)
    agency = camp.agencies[0]
    values = valid_values_for(0)
    first = write_return(
        tmp_path / "一稿.xlsx",
        agency,
        {**values, "s3.new.natural": "12件", "a20_5.permit.decisions": "3项"},
    )
    second = write_return(
        tmp_path / "二稿.xlsx",
        agency,
        {**values, "a20_5.permit.decisions": "3项", "a20_6.penalty.decisions": "7次"},
    )
    token = camp.tokens["QH001"]
    with _served(camp) as c:
        for path in (first, second):
            link = c.get(f"/u/{token}")
            r = c.post(
                f"/u/{token}/upload",
                data={"csrf": csrf_of(link.text)},
                files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
            )
            assert r.status_code == 200
        page = c.get("/agency/QH001").text

    versions = _rows(_section(page, "<h2>各版本</h2>"))
    assert [(v[0], v[2], v[3]) for v in versions[1:]] == [
        ("2（当前）", "二稿.xlsx", "有错误，需修改"),
        ("1", "一稿.xlsx", "有错误，需修改"),
    ]
    ids = [int(i) for i in re.findall(r'href="/download/annotated/(\d+)"', page)]
    assert len(ids) == 2 and ids[0] > ids[1]

    # the current findings: 仍存在 / 新出现, with cell, labels, expected, found
    current = _rows(_section(page, "<h2>当前版本的问题", "<h2>上一版的问题已改正"))
    head = current[0]
    assert head[:8] == ["与上一版相比", "级别", "工作表", "单元格", "行", "列", "应为", "实际"]
    by_cell = {r[3]: r for r in current[1:]}
    assert set(by_cell) == {"B9", "B12"}
    assert by_cell["B9"][:8] == [
        "仍存在",
        "错误",
        "二、主动公开",
        "B9",
        "第二十条第（五）项 / 行政许可",
        "本年处理决定数量",
        "3",
        "3项",
    ]
    assert by_cell["B12"][0] == "新出现"
    assert by_cell["B12"][4:8] == ["第二十条第（六）项 / 行政处罚", "本年处理决定数量", "7", "7次"]
    assert "value-text-number" in by_cell["B12"][8]
    # the previous version's finding now fixed
    fixed = _rows(_section(page, "<h2>上一版的问题已改正"))
    assert [r[:8] for r in fixed[1:]] == [
        [
            "已改正",
            "错误",
            "三、依申请公开",
            "D6",
            "一、本年新收政府信息公开申请数量",
            "申请人情况 / 自然人",
            "12",
            "12件",
        ]
    ]

    # the changed cells, old → new: a text typed where a number belongs shows as that text
    changed = {r[1]: r for r in _rows(_section(page, "<h2>与上一版相比改动的单元格"))[1:]}
    assert set(changed) == {"D6", "B12"}
    natural = Decimal(values["s3.new.natural"])
    assert changed["D6"] == [
        "三、依申请公开",
        "D6",
        "一、本年新收政府信息公开申请数量",
        "申请人情况 / 自然人",
        "12件",
        format(natural.normalize(), "f"),
    ]
    penalty = Decimal(values["a20_6.penalty.decisions"])
    assert changed["B12"][4:] == [format(penalty.normalize(), "f"), "7次"]

    receipts = _rows(_section(page, "<h2>回执</h2>"))[1:]
    assert [r[0] for r in receipts] == [f"{YEAR}-QH001-002", f"{YEAR}-QH001-001"]
    assert receipts[0][5].startswith(f"回执 {YEAR}-QH001-002：清河县测试单位001 的 二稿.xlsx 已于")
    assert "第 2 轮，有错误，需修改（错误 2、" in receipts[0][5]
    assert f'href="/download/receipt/{YEAR}-QH001-001"' in page

    events = _rows(_section(page, "<h2>事件</h2>"))
    assert [e[1:4] for e in events[1:]] == [
        ["收到新版本（有错误）", "需修改", "需修改"],
        ["收到新版本（有错误）", "未报", "需修改"],
        ["列入单位名单", "", ""],
    ]
    for kind in EVENT_TEXT:  # no event shows as its code
        assert f">{kind}<" not in page
    history = campaign_history(CampaignHistoryRequest("QH001", camp.folder)).events
    assert [e["text"] for e in reversed(history)] == [e[1] for e in events[1:]]


# --- the board ----------------------------------------------------------------------------


def _rates(page: str) -> dict[str, list[str]]:
    rows = _rows(_section(page, 'id="rates"'))
    assert rows[0][:3] == ["单位类型", "应报", "已报"]
    return {r[0]: r[1:] for r in rows[1:]}


def _message(page: str, key: str) -> str:
    found = re.search(
        rf'<textarea class="message" id="msg-{key}" readonly>(.*?)</textarea>', page, re.S
    )
    assert found is not None, key
    return html.unescape(found.group(1))


def test_the_board_counts_by_type_and_lists_whom_to_remind(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=8, deadline="2099-01-20")
    _ingest(camp, camp.good["QH001"], camp.bad["QH002"], camp.good["QH005"])
    campaign_approve(CampaignApproveRequest(("QH005",), False, camp.folder))
    status = campaign_status(CampaignStatusRequest(camp.folder))
    with _served(camp) as c:
        page = c.get("/").text
        assert c.get("/board/body").text.count('id="rates"') == 1  # what the page polls
    # QH001, QH005: 乡镇; QH002, QH006: 街道; QH003, QH007: 其他; QH004, QH008: 部门
    rates = _rates(page)
    assert set(rates) == {"全部", "乡镇", "街道", "其他", "部门"}
    #                       应报 已报 按时 已通过 需修改 逾期 报送率 按时率
    assert rates["全部"][:6] == ["8", "3", "3", "1", "1", "0"]
    assert rates["乡镇"][:6] == ["2", "2", "2", "1", "0", "0"]
    assert rates["街道"][:6] == ["2", "1", "1", "0", "1", "0"]
    assert rates["部门"][:6] == ["2", "0", "0", "0", "0", "0"]
    assert rates["全部"][6:] == ["37.5%", "37.5%"]
    assert rates["乡镇"][6:] == ["100.0%", "100.0%"]
    assert _card(page, "已通过") == 1 and _card(page, "未报") == 5

    missing = _section(page, 'id="list-missing"')
    assert [r[0] for r in _rows(missing)[1:]] == ["QH003", "QH004", "QH006", "QH007", "QH008"]
    assert 'data-copy="msg-missing"' in missing  # the copy button copies this textarea
    text = _message(page, "missing")
    assert text == status.reminders()["missing"]
    assert (
        text.startswith("【") and "以下 5 个单位尚未报送（截止 2099-01-20），请尽快报送：" in text
    )
    assert "3. 清河县测试单位006（QH006）联系人：联系人6" in text
    returned = _section(page, 'id="list-returned"')
    assert [r[0] for r in _rows(returned)[1:]] == ["QH002"]
    assert "清河县测试单位002（QH002）［需修改］" in _message(page, "returned")
    overdue = _section(page, 'id="list-overdue"')
    assert "逾期未报（0）" in overdue and "无。" in overdue
    assert 'id="msg-overdue"' not in page


def test_the_board_lists_the_overdue_after_the_deadline(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=4, deadline=f"{YEAR + 1}-01-20")  # long past
    _ingest(camp, camp.good["QH001"])
    with _served(camp) as c:
        page = c.get("/").text
    overdue = _section(page, 'id="list-overdue"')
    assert [r[0] for r in _rows(overdue)[1:]] == ["QH002", "QH003", "QH004"]
    text = _message(page, "overdue")
    assert f"以下 3 个单位逾期未报（截止 {YEAR + 1}-01-20）" in text
    assert text == campaign_status(CampaignStatusRequest(camp.folder)).reminders()["overdue"]
    # QH001 reported after the deadline: late, counted with the overdue of its type
    assert _rates(page)["全部"][:6] == ["4", "1", "0", "0", "0", "4"]


# --- links ----------------------------------------------------------------------------------


def test_a_link_past_its_expiry_date_is_refused(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=2)
    issued = campaign_links(
        CampaignLinksRequest(campaign=camp.folder, codes=("QH001",), expires="2025-06-30")
    )
    token = issued.issued[0].url.rsplit("/u/", 1)[1]
    expired = CATALOGUE["serve-link-expired"]
    with _served(camp) as c:
        page = c.get(f"/u/{token}")
        assert page.status_code == 403
        assert expired.title in page.text
        assert expired.action in page.text
        template = c.get(f"/u/{token}/download/template")  # no file through it either
        assert template.status_code == 404
        assert expired.title in template.text and template.content[:2] != b"PK"
        other = c.get(f"/u/{camp.tokens['QH002']}")  # a link in force still works
        assert other.status_code == 200
        r = c.post(
            f"/u/{token}/upload",
            data={"csrf": csrf_of(other.text)},
            files={"file": ("a.xlsx", camp.good["QH001"].read_bytes(), "application/octet-stream")},
        )
        assert r.status_code == 403
    assert campaign_history(CampaignHistoryRequest("QH001", camp.folder)).versions == []
    with Campaign.open(camp.folder) as opened:
        assert owner_of(opened, token).refusal == "serve-link-expired"
        assert owner_of(opened, camp.tokens["QH002"]).refusal is None


def test_a_link_expires_with_the_campaign(tmp_path: Path) -> None:
    """Issued without an expiry: it works until the campaign's end, not a day after."""
    camp = make_campaign(tmp_path, n=1)
    token = camp.tokens["QH001"]
    with Campaign.open(camp.folder) as opened:
        last_day = owner_of(opened, token).expires_on
    next_day = dt.date.fromisoformat(last_day) + dt.timedelta(days=1)
    with Campaign.open(camp.folder, clock=lambda: f"{last_day}T23:59:59.000000+00:00") as opened:
        assert owner_of(opened, token).refusal is None
    with Campaign.open(camp.folder, clock=lambda: f"{next_day}T00:00:00.000000+00:00") as opened:
        assert owner_of(opened, token).refusal == "serve-link-expired"
