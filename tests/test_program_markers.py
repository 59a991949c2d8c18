"""The ``libreoffice`` and ``browser`` markers: skipped with a reason where the program is
missing (a laptop), a failure under CI=true."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Marker:
    name: str
    env: str  # the variable naming the program; pointed at a file that does not exist
    skipped: tuple[str, ...]  # what the skip reason says
    failed: str  # what the CI failure says ({ci}: the CI value)


MARKERS = [
    Marker(
        "libreoffice",
        "XLREPORT_SOFFICE",
        ("需要 LibreOffice 的测试已跳过", "libreoffice-calc-nogui python3-uno"),
        "在 CI 中（CI={ci}），但无法使用 LibreOffice",
    ),
    Marker(
        "browser",
        "XLREPORT_CHROMIUM",
        ("需要浏览器的测试已跳过", "apt-get install chromium"),
        "无法使用浏览器",
    ),
]


def _run(tmp_path: Path, marker: Marker, ci: str | None) -> subprocess.CompletedProcess[str]:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    shutil.copytree(HERE / "lo", tmp_path / "lo", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pytest.ini").write_text(
        f"[pytest]\nmarkers =\n    {marker.name}: needs a program\n", encoding="utf-8"
    )
    test = f"import pytest\n\n@pytest.mark.{marker.name}\ndef test_needs_it():\n    assert True\n"
    test += "\ndef test_plain():\n    assert True\n"
    (tmp_path / "test_needs_program.py").write_text(test, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env[marker.env] = str(tmp_path / "no-such-program")
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


@pytest.mark.parametrize("marker", MARKERS, ids=lambda m: m.name)
def test_without_the_program_the_test_is_skipped_with_the_reason(
    tmp_path: Path, marker: Marker
) -> None:
    done = _run(tmp_path, marker, ci=None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout
    assert all(text in done.stdout for text in marker.skipped), done.stdout


@pytest.mark.parametrize("marker", MARKERS, ids=lambda m: m.name)
@pytest.mark.parametrize("ci", ["true", "1"])
def test_under_ci_a_missing_program_fails(tmp_path: Path, marker: Marker, ci: str) -> None:
    done = _run(tmp_path, marker, ci=ci)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 1 error" in done.stdout  # fails in setup, before the test body
    assert marker.failed.format(ci=ci) in done.stdout
