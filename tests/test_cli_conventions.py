"""Command-line conventions (issue 11): --version, results on stdout and errors on stderr,
no hard wrapping when piped, `formats` within 80 columns, help all in Chinese."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from check_helpers import layout_of

import xlreport

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = layout_of()


def xlreport_piped(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m xlreport ARGS`` with stdout and stderr piped and COLUMNS unset (as in
    ``xlreport check … > out.txt``), importing this checkout's package."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    base.update(PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "xlreport", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=base,
        timeout=120,
        check=False,
    )


def test_version_comes_from_the_package_metadata(tmp_path: Path) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    written = pyproject["project"]["version"]
    assert importlib.metadata.version("xlreport") == written == xlreport.__version__
    proc = xlreport_piped("--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"xlreport {written}\n" and proc.stderr == ""
