"""Running the ``xlreport`` command in the test's own process, as a clerk would type it."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from xlreport.cli import main


def invoke(argv: list[str]) -> tuple[int, str, str]:
    """``xlreport ARGV`` run in this process: (exit status, stdout, stderr)."""
    old = sys.argv
    sys.argv = ["xlreport", *argv]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0
    finally:
        sys.argv = old
    return code, out.getvalue(), err.getvalue()


ROOT = Path(__file__).resolve().parent.parent


def run_process(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m xlreport ARGS`` as its own process, importing this checkout's package
    (PYTHONPATH) whatever an editable install elsewhere points at."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "xlreport", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


def as_nobody() -> tuple[list[str] | None, str]:
    """A command prefix that runs this checkout's Python as ``nobody`` (root ignores file
    permissions), or None with the reason when this machine cannot (no setpriv, or the
    interpreter or checkout is not reachable by another user)."""
    if os.geteuid() != 0:
        return [], ""
    tool = next((t for t in ("/usr/bin/setpriv", "/bin/setpriv") if os.path.exists(t)), None)
    if tool is None:
        return None, "running as root without setpriv"
    prefix = [tool, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import xlreport"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        return None, "user nobody cannot run this checkout's Python here"
    return prefix, ""
