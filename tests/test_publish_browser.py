"""The published page in a real browser (Debian's Chromium driven by Playwright): on a
phone-sized screen the page itself never gets wider than the screen — each wide table
scrolls sideways inside its own box — and the page loads nothing from anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from golden_helpers import updating
from publish_helpers import write_demo_return

from xlreport.api.publish import PublishRequest, publish_file

CHROMIUM = "/usr/bin/chromium"
#: the phone-sized picture in docs/publish.md, rewritten with XLREPORT_UPDATE_GOLDEN=1
IMAGE = Path(__file__).resolve().parent.parent / "docs" / "images" / "publish-html-phone.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and shutil.which("chromium") is None,
        reason="需要 Chromium（apt-get install chromium）",
    ),
]


def test_wide_tables_scroll_in_their_box_on_a_phone(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "报告.html"
    src = write_demo_return(tmp_path / "in")
    assert publish_file(PublishRequest(src, "html", out=page_file, full=True)).written
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(
                viewport={"width": 375, "height": 812}, java_script_enabled=True
            )
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page_width = page.evaluate("document.documentElement.scrollWidth")
            boxes = page.evaluate(
                "[...document.querySelectorAll('table')].map(t => {"
                " const box = t.parentElement;"
                " return [box.clientWidth, box.scrollWidth, getComputedStyle(box).overflowX,"
                " t.caption.textContent]; })"
            )
            if updating():
                page.evaluate(
                    "[...document.querySelectorAll('caption')]"
                    ".find(c => c.textContent.startsWith('三、')).scrollIntoView()"
                )
                page.screenshot(path=str(IMAGE))
            vertical = page.evaluate(
                "[...document.querySelectorAll('th')].filter(th =>"
                " getComputedStyle(th).writingMode === 'vertical-rl').map(th => th.textContent)"
            )
        finally:
            browser.close()
    assert page_width <= 375  # the page itself does not scroll sideways
    assert len(boxes) == 3
    assert all(b[2] == "auto" and b[0] <= 375 for b in boxes)
    wide = [b[3] for b in boxes if b[1] > b[0]]
    assert any(title.startswith("三、") for title in wide)
    assert any(title.startswith("四、") for title in wide)
    assert vertical == ["三、本年度办理结果"]
    assert requests == [page_file.as_uri()]  # nothing else loaded
