"""The ``browser`` marker: skipped with a reason where Chromium is missing, a failure under CI=true."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

NEEDS_BROWSER = """
import pytest

@pytest.mark.browser
def test_needs_chromium():
    assert True

def test_plain():
    assert True
"""


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    shutil.copytree(HERE / "lo", tmp_path / "lo", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    browser: needs Chromium\n", encoding="utf-8"
    )
    (tmp_path / "test_needs_browser.py").write_text(NEEDS_BROWSER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["XLREPORT_CHROMIUM"] = str(tmp_path / "no-such-chromium")
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_chromium_the_test_is_skipped_with_the_reason(tmp_path: Path) -> None:
    done = _run(tmp_path, ci=None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout
    assert "需要浏览器的测试已跳过" in done.stdout
    assert "apt-get install chromium" in done.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_chromium_fails(tmp_path: Path, ci: str) -> None:
    done = _run(tmp_path, ci=ci)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 1 error" in done.stdout
    assert "无法使用浏览器" in done.stdout
