"""Test-wide setup: the ``libreoffice`` and ``browser`` markers.

A test marked ``@pytest.mark.libreoffice`` drives LibreOffice headless through Debian's
``/usr/bin/python3`` + ``python3-uno`` (see tests/lo/). Where those are missing it is skipped
with the reason and the install command; under CI (``CI=true``) it fails instead, so a CI
machine without LibreOffice can never pass by skipping.

A test marked ``@pytest.mark.browser`` drives Debian's Chromium (``/usr/bin/chromium``) through
Playwright; the same rule holds: skipped with the reason where it is missing, failed under CI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lo import unavailable_reason

_skipped_for_lo: list[str] = []
_skipped_for_browser: list[str] = []

CHROMIUM = Path(os.environ.get("XLREPORT_CHROMIUM", "/usr/bin/chromium"))


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"没有 {CHROMIUM}（Debian：apt-get install chromium fonts-noto-cjk）"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "没有安装 playwright（pip install -e '.[test]'）"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is not None:
        why = browser_unavailable_reason()
        if why is not None:
            if in_ci():
                ci = os.environ.get("CI", "")
                pytest.fail(f"在 CI 中（CI={ci}），但无法使用浏览器：{why}", pytrace=False)
            _skipped_for_browser.append(item.nodeid)
            pytest.skip(f"需要 Chromium：{why}")
    if item.get_closest_marker("libreoffice") is None:
        return
    reason = unavailable_reason()
    if reason is None:
        return
    if in_ci():
        ci = os.environ.get("CI", "")
        pytest.fail(f"在 CI 中（CI={ci}），但无法使用 LibreOffice：{reason}", pytrace=False)
    _skipped_for_lo.append(item.nodeid)
    pytest.skip(f"需要 LibreOffice：{reason}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped_for_lo:
        terminalreporter.write_line(
            f"注意：{len(_skipped_for_lo)} 个需要 LibreOffice 的测试已跳过——{unavailable_reason()}",
            yellow=True,
        )
    if _skipped_for_browser:
        terminalreporter.write_line(
            f"注意：{len(_skipped_for_browser)} 个需要浏览器的测试已跳过——{browser_unavailable_reason()}",
            yellow=True,
        )
