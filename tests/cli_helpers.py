"""Running the ``xlreport`` command in the test's own process, as a clerk would type it."""

from __future__ import annotations

import contextlib
import io
import sys

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
