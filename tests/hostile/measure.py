"""Run a command as a child process and measure it: exit status, output, wall time, memory.

``peak_rss_mb`` is the largest resident set of any one process of the command (the
command runs under a tiny wrapper that reports ``RUSAGE_CHILDREN``: Linux keeps the
high-water mark across ``exec``, so the parent's own size must not be forked into it);
``peak_tree_mb`` samples /proc every 10 ms and is the largest *sum* over the child and
all its descendants (a process pool's workers included) seen at one time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    peak_tree_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss(p)
        todo.extend(_children(p))
    return total


#: Runs argv[2:], writes the largest max-RSS (KB) of its process tree to argv[1].
_WRAPPER = (
    "import resource,subprocess,sys\n"
    "r=subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1],'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(r if r>=0 else 128-r)\n"
)


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` (a file name may carry any)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def xlreport_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "xlreport", *args]


def run_measured(
    cmd: Sequence[str], *, cwd: Path | None = None, timeout: float = 120, sample: bool = True
) -> Measured:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
    ):
        start = time.perf_counter()
        wrapped = [sys.executable, "-I", "-S", "-c", _WRAPPER, rss.name, *cmd]
        proc = subprocess.Popen(wrapped, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=cwd, env=env)  # fmt: skip
        peak = [0]
        done = threading.Event()

        def sampler() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(proc.pid))
                done.wait(0.01)

        thread = threading.Thread(target=sampler, daemon=True)
        if sample:
            thread.start()

        def kill() -> None:  # the wrapper's child, then the wrapper
            for child in _children(proc.pid):
                os.kill(child, 9)
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        proc.wait()  # blocking: no polling granularity in the wall time
        timer.cancel()
        seconds = time.perf_counter() - start
        done.set()
        if sample:
            thread.join()
        out.seek(0)
        err.seek(0)
        text = rss.read().strip()
        return Measured(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            int(text) / 1024 if text else float("nan"),
            peak[0] / (1024 * 1024),
        )
