"""xlreport serve in a real browser: Debian's Chromium driven by Playwright against a real
``xlreport serve`` process on 127.0.0.1, on a real campaign in a folder whose name has
Chinese characters and spaces.

An agency uploads a bad return through its link, sees its findings, downloads the annotated
copy, uploads the fix, sees 已改正 and its receipt; the office approves it, returns another
agency's with a reason, merges and downloads the summary, which passes ``xlreport check``.
Screenshots go to tests/artifacts/serve/ (with XLREPORT_UPDATE_SCREENSHOTS=1 the board's also
to docs/images/serve-board.png, the agency's page after its fix to docs/images/serve-agency.png).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from cli_helpers import ROOT, run_process
from serve_helpers import Served, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = ROOT / "tests" / "artifacts" / "serve"
CHROMIUM = os.environ.get("XLREPORT_CHROMIUM", "/usr/bin/chromium")


def test_agency_and_office_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    camp = make_campaign(tmp_path, n=4, name="清河县 2024 报送")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    downloads = tmp_path / "下载 的文件"
    downloads.mkdir()
    problems: list[str] = []
    with Served(camp.folder) as served, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            context = browser.new_context(
                accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.on(
                "console",
                lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
            )
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("dialog", lambda d: d.accept())

            # --- the agency: a bad return, its findings, the annotated copy, the fix --------
            link = f"{served.url}/u/{camp.tokens['QH001']}"
            page.goto(link)
            assert "清河县测试单位001" in page.inner_text("header")
            with page.expect_download() as template:
                page.click("#download-template")
            assert template.value.suggested_filename.endswith(".xlsx")
            page.set_input_files("#file", str(camp.bad["QH001"]))
            page.click("#upload")
            page.wait_for_selector("#verdict")
            assert "有错误" in page.inner_text("#verdict")
            findings = page.inner_text("table.findings")
            assert "D6" in findings and "12件" in findings and "自然人" in findings
            page.screenshot(path=str(ARTIFACTS / "agency-findings.png"), full_page=True)
            with page.expect_download() as annotated:
                page.click("#download-annotated")
            copy = downloads / annotated.value.suggested_filename
            annotated.value.save_as(copy)
            assert copy.name.startswith("退回修改_")
            assert zipfile.is_zipfile(copy)

            page.set_input_files("#file", str(camp.good["QH001"]))
            page.click("#upload")
            page.wait_for_selector("#verdict")
            assert "通过" in page.inner_text("#verdict")
            assert "已改正" in page.inner_text("#outcome")
            receipt = page.inner_text("#receipt")
            assert "2024-QH001-002" in receipt
            assert page.inner_text("#state") == "已报（待审核）"
            with page.expect_download() as receipt_doc:
                page.click("#receipt a")
            assert receipt_doc.value.suggested_filename.startswith("回执_2024-QH001-002")
            page.screenshot(path=str(ARTIFACTS / "agency-fixed.png"), full_page=True)

            # another agency reports through its own link (it will be returned)
            page.goto(f"{served.url}/u/{camp.tokens['QH002']}")
            page.set_input_files("#file", str(camp.good["QH002"]))
            page.click("#upload")
            page.wait_for_selector("#verdict")

            # --- the office: approve, return with a reason, merge, download -------------------
            page.goto(served.url + "/")
            assert page.evaluate("typeof htmx") == "object"
            page.click("text=清河县测试单位001")
            page.click("#approve")
            page.wait_for_selector("#flash")
            assert page.inner_text("#state") == "已通过"

            page.goto(f"{served.url}/agency/QH002")
            page.fill("#return-reason", "第三部分 <数据> 与上年差异过大，请核实")
            page.click("#return")
            page.wait_for_selector("#flash")
            assert page.inner_text("#state") == "退回"
            assert "第三部分 <数据> 与上年差异过大" in page.inner_text("body")
            page.click("#notice")
            page.wait_for_selector("#download-notice")
            with page.expect_download() as notice:
                page.click("#download-notice")
            assert notice.value.suggested_filename.startswith("退回修改通知_")

            page.goto(served.url + "/")
            page.click("#merge")
            page.wait_for_selector("#download-summary")
            assert "已生成汇总表" in page.inner_text("#flash")
            with page.expect_download() as summary:
                page.click("#download-summary")
            summary_file = downloads / summary.value.suggested_filename
            summary.value.save_as(summary_file)
            # the board updates itself (htmx polling every 10 s)
            with page.expect_response(lambda r: "/board/body" in r.url, timeout=20_000) as polled:
                pass
            assert polled.value.status == 200
            page.screenshot(path=str(ARTIFACTS / "serve-board.png"), full_page=True)
            rates = page.inner_text("#rates")
            assert "乡镇" in rates and "部门" in rates
            returned = page.inner_text("#list-returned")
            assert "清河县测试单位002" in returned
            # the copy button puts the 催报 message on the clipboard
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url)
            page.click('[data-copy="msg-returned"]')
            page.wait_for_selector('[data-copy="msg-returned"]:text-is("已复制")')
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == page.input_value("#msg-returned")
            assert "清河县测试单位002（QH002）［退回］" in copied
        finally:
            browser.close()

    checked = run_process("check", summary_file)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    verified = run_process("campaign", "verify", "--campaign", camp.folder)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    log = served.log.read_text(encoding="utf-8", errors="replace")
    assert all(token not in log for token in camp.tokens.values())
    assert "/u/…" in log
    if os.environ.get("XLREPORT_UPDATE_SCREENSHOTS") == "1":
        shutil.copy(ARTIFACTS / "serve-board.png", ROOT / "docs" / "images" / "serve-board.png")
        shutil.copy(ARTIFACTS / "agency-fixed.png", ROOT / "docs" / "images" / "serve-agency.png")
