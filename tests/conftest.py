"""Test-wide setup: the ``libreoffice`` marker.

A test marked ``@pytest.mark.libreoffice`` drives LibreOffice headless through Debian's
``/usr/bin/python3`` + ``python3-uno`` (see tests/lo/). Where those are missing it is skipped
with the reason and the install command; under CI (``CI=true``) it fails instead, so a CI
machine without LibreOffice can never pass by skipping.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lo import unavailable_reason

_skipped_for_lo: list[str] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
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
