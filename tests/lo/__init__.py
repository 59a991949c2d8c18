"""Pytest-side driver for LibreOffice: fill and re-save xlsx files through ``uno_fill.py``.

The project's Python cannot ``import uno``; Debian's ``/usr/bin/python3`` (with the
``python3-uno`` package) can. So the tests write a jobs file and run ``uno_fill.py`` with that
interpreter; one run serves many files (one ``soffice`` start, ~1.6 s, for the whole batch).

Override the interpreter with ``XLREPORT_UNO_PYTHON`` and soffice with ``XLREPORT_SOFFICE``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SCRIPT = Path(__file__).with_name("uno_fill.py")
INSTALL_HINT = "sudo apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno"
#: seconds for one batch, plus this much per job
BATCH_TIMEOUT = 120.0
JOB_TIMEOUT = 30.0

Entry = tuple[str, str, str]  # sheet name, A1 reference, text typed into the cell


class LibreOfficeError(RuntimeError):
    """LibreOffice did not do what a job asked."""


@dataclass(frozen=True)
class Job:
    src: Path
    dst: Path
    entries: Sequence[Entry] = field(default_factory=tuple)
    #: run calculateAll() before saving; False shows what loading alone recalculated
    calculate_all: bool = True
    #: type through the user interface (go to the cell, enter the text) rather than
    #: ``XCell.setFormula``: Calc's input recognition then also sets the cell's number
    #: format (a date typed into a count cell gets a date format), and protection applies
    ui: bool = False


def uno_python() -> str:
    return os.environ.get("XLREPORT_UNO_PYTHON", "/usr/bin/python3")


def soffice_path() -> str | None:
    return os.environ.get("XLREPORT_SOFFICE") or shutil.which("soffice")


@cache
def unavailable_reason() -> str | None:
    """Why LibreOffice cannot be driven here, or None when it can."""
    soffice = soffice_path()
    if soffice is None or not os.access(soffice, os.X_OK):
        return f"找不到 soffice（LibreOffice 未安装；安装：{INSTALL_HINT}）"
    py = uno_python()
    if not Path(py).is_file():
        return f"找不到 {py}（Debian 自带的 Python，python3-uno 依赖它；安装：{INSTALL_HINT}）"
    try:
        probe = subprocess.run(
            [py, "-c", "import uno"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"无法运行 {py}：{e}"
    if probe.returncode != 0:
        return f"{py} 无法 import uno（缺少 python3-uno；安装：{INSTALL_HINT}）"
    return None


def run_jobs(
    jobs: Sequence[Job],
    *,
    timeout: float | None = None,
    workdir: Path | None = None,
    locale: str = "",
) -> list[float]:
    """Run every job in one LibreOffice session; the seconds each job took.

    ``timeout`` bounds the whole batch (default: generous, by the number of jobs);
    ``workdir`` is where soffice's private profile is made (default: the system temp dir);
    ``locale`` is LibreOffice's locale setting (e.g. "zh-CN"; default: the system's), which
    decides how typed text is recognised (in zh-CN "1-2" is a date).

    Raises :class:`LibreOfficeError` naming every failed job, or when LibreOffice itself
    failed (could not start, hung, crashed).
    """
    if not jobs:
        return []
    reason = unavailable_reason()
    if reason:
        raise LibreOfficeError(reason)
    limit = timeout if timeout is not None else BATCH_TIMEOUT + JOB_TIMEOUT * len(jobs)
    spec = {
        "soffice": soffice_path(),
        "timeout": limit,
        "workdir": str(workdir) if workdir is not None else None,
        "locale": locale,
        "jobs": [
            {
                "src": str(Path(j.src).resolve()),
                "dst": str(Path(j.dst).resolve()),
                "entries": [list(e) for e in j.entries],
                "calculate_all": j.calculate_all,
                "ui": j.ui,
            }
            for j in jobs
        ],
    }
    with tempfile.TemporaryDirectory(prefix="xlreport-lo-jobs-") as tmp:
        jobs_file = Path(tmp) / "jobs.json"
        jobs_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        out, err, code = _run([uno_python(), str(SCRIPT), str(jobs_file)], limit + 30)
    try:
        results = json.loads(out.strip().splitlines()[-1])["jobs"] if out.strip() else []
    except (json.JSONDecodeError, KeyError, IndexError):
        results = []
    failed = [f"{r['dst']}: {r['error']}" for r in results if not r["ok"]]
    if code != 0 or failed or len(results) != len(jobs):
        detail = "; ".join([*failed, err.strip()] if err.strip() else failed)
        detail = detail or out.strip() or "(no output)"
        raise LibreOfficeError(f"uno_fill.py exited with status {code}: {detail}")
    return [float(r["seconds"]) for r in results]


def _run(cmd: list[str], timeout: float) -> tuple[str, str, int]:
    """Run the harness in its own session; on timeout SIGTERM it (it then kills soffice)."""
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
        raise LibreOfficeError(
            f"uno_fill.py did not finish within {timeout:.0f} s: {err.strip()}"
        ) from None
    return out, err, proc.returncode


def fill_with_libreoffice(src: Path, dst: Path, entries: Sequence[Entry]) -> None:
    """Open ``src`` in LibreOffice, type each (sheet name, A1, text), recalculate, save ``dst``."""
    run_jobs([Job(Path(src), Path(dst), tuple(entries))])


def resave_with_libreoffice(src: Path, dst: Path) -> None:
    """Open ``src`` in LibreOffice and save it unchanged (recalculated) as ``dst``."""
    run_jobs([Job(Path(src), Path(dst), ())])
