"""The ``libreoffice`` marker: skipped with a reason on a laptop, a failure under CI=true."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

NEEDS_LO = """
import pytest

@pytest.mark.libreoffice
def test_needs_libreoffice():
    assert True

def test_plain():
    assert True
"""


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    shutil.copytree(HERE / "lo", tmp_path / "lo", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    libreoffice: needs LibreOffice\n", encoding="utf-8"
    )
    (tmp_path / "test_needs_lo.py").write_text(NEEDS_LO, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["XLREPORT_SOFFICE"] = str(tmp_path / "no-such-soffice")
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


def test_without_libreoffice_the_test_is_skipped_with_the_reason(tmp_path: Path) -> None:
    done = _run(tmp_path, ci=None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout
    assert "需要 LibreOffice 的测试已跳过" in done.stdout
    assert "libreoffice-calc-nogui python3-uno" in done.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_libreoffice_fails(tmp_path: Path, ci: str) -> None:
    done = _run(tmp_path, ci=ci)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 1 error" in done.stdout  # fails in setup, before the test body
    assert f"在 CI 中（CI={ci}），但无法使用 LibreOffice" in done.stdout
