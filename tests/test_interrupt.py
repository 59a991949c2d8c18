"""Ctrl-C during a merge of 2,000 returns, as a terminal sends it: SIGINT to the whole
process group (the command and its workers), at random moments, once or twice.

Every run ends within BOUND seconds of the signal, with exit status 130 and one Chinese
line on stderr, no traceback, nothing in the output folder (no summary, no export, no
temporary file), nothing in TMPDIR, and no process of the group left (no orphaned
worker). The moments are drawn (seeded) over the time an uninterrupted merge of the same
folder takes, measured first: from the interpreter's start to the summary being written
(see EARLIEST).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile.measure import xlreport_cmd
from hostile.returns import write_good_returns
from hostile.values import agencies

from xlreport.batch.check import iter_checked
from xlreport.checks.model import CheckOptions
from xlreport.interrupt import EXIT_CODE, MESSAGE
from xlreport.spec import resolve_layout

pytestmark = pytest.mark.slow
N = 2000
RUNS = 15
#: Seconds from the (last) SIGINT to the end of the command. Measured 0.05–0.4 s on a
#: loaded 2-core machine; the bound leaves room for a slower CI machine, not for a hang.
BOUND = 5.0
SEED = 20240131
ROOT = Path(__file__).resolve().parents[1]  # the child runs this checkout's xlreport
#: The earliest moment drawn: before ~0.05 s the interpreter has not started running
#: xlreport yet, and SIGINT ends it the default way (killed by the signal, nothing printed,
#: nothing written) — Python's domain, not the command's.
EARLIEST = 0.25


@dataclass
class Setup:
    inbox: Path
    work: Path
    full_seconds: float


def _env(tmp: Path) -> dict[str, str]:
    tmp.mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "TMPDIR": str(tmp), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8",
            "PYTHONPATH": path}  # fmt: skip


def _merge_cmd(inbox: Path, out: Path) -> list[str]:
    return xlreport_cmd("merge", str(inbox), "--out", str(out / "清河县汇总.xlsx"),
                        "--export", str(out / "长表.csv"), "--format", "gov-2021",
                        "--year", "2024", "--name", "清河县")  # fmt: skip


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    work = tmp_path_factory.mktemp("interrupt")
    inbox = work / "收到的报表"
    write_good_returns(inbox, resolve_layout("gov-2021"), agencies(N, prefix="IR"),
                       styles=("excel",))  # fmt: skip
    out = work / "full"
    start = time.monotonic()
    run = subprocess.run(_merge_cmd(inbox, out), capture_output=True, env=_env(work / "tmp0"),
                         cwd=ROOT, timeout=600)  # fmt: skip
    seconds = time.monotonic() - start
    assert run.returncode == 0, (run.stdout + run.stderr).decode()[-2000:]
    assert (out / "清河县汇总.xlsx").is_file()
    print(f"\nuninterrupted merge of {N} returns: {seconds:.1f} s")
    return Setup(inbox, work, seconds)


def _group(pgid: int) -> list[str]:
    """Processes (not zombies) still in the process group ``pgid``: "pid state command"."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(f"{entry.name} {fields[0]} {stat.split(' ', 2)[1]}")
    return found


@dataclass
class Outcome:
    delay: float
    twice: bool
    code: int | None
    seconds: float
    stdout: str
    stderr: str
    left_out: list[str]
    left_tmp: list[str]
    group: list[str]


def _interrupted(s: Setup, i: int, delay: float, twice: bool) -> Outcome | None:
    out, tmp = s.work / f"out{i}", s.work / f"tmp{i}"
    out.mkdir()
    proc = subprocess.Popen(_merge_cmd(s.inbox, out), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env(tmp), cwd=ROOT,
                            start_new_session=True)  # fmt: skip
    time.sleep(delay)
    if proc.poll() is not None:  # finished before the moment drawn: not this test's case
        proc.communicate()
        return None
    os.killpg(proc.pid, signal.SIGINT)
    if twice:
        time.sleep(0.03)
        os.killpg(proc.pid, signal.SIGINT)
    sent = time.monotonic()
    try:
        stdout, stderr = proc.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    seconds = time.monotonic() - sent
    group = _group(proc.pid)
    for _ in range(10):  # a worker the command killed may take a moment to be reaped
        if not group:
            break
        time.sleep(0.05)
        group = _group(proc.pid)
    return Outcome(delay, twice, proc.returncode, seconds, stdout.decode("utf-8", "replace"),
                   stderr.decode("utf-8", "replace"), sorted(p.name for p in out.iterdir()),
                   sorted(p.name for p in tmp.iterdir()), group)  # fmt: skip


def _problems(o: Outcome) -> list[str]:
    out = []
    if o.code != EXIT_CODE:
        out.append(f"exit status {o.code}")
    if o.seconds >= BOUND:
        out.append(f"still running {BOUND} s after the signal")
    if o.stderr != MESSAGE + "\n":
        out.append(f"stderr {o.stderr[-600:]!r}")
    if "Traceback" in o.stdout + o.stderr or "KeyboardInterrupt" in o.stdout + o.stderr:
        out.append("a traceback")
    if o.left_out:
        out.append(f"left in the output folder: {o.left_out}")
    if o.left_tmp:
        out.append(f"left in TMPDIR: {o.left_tmp}")
    if o.group:
        out.append(f"processes left: {o.group}")
    return out


def test_ctrl_c_at_random_moments_ends_cleanly(setup: Setup) -> None:
    rng = random.Random(SEED)
    plan = [(rng.uniform(EARLIEST, 0.9 * setup.full_seconds), False) for _ in range(RUNS)]
    plan.append((rng.uniform(0.2, 0.6 * setup.full_seconds), True))  # Ctrl-C twice, 30 ms apart
    problems, done, tries = [], 0, 0
    print(f"\n{'delay s':>8} twice exit  end s")
    for i, (delay, twice) in enumerate(plan):
        o = None
        while o is None:  # finished before the moment drawn: try an earlier one
            tries += 1
            o = _interrupted(setup, tries, delay, twice)
            delay /= 2
        done += 1
        print(f"{o.delay:8.2f} {o.twice!s:5} {o.code!s:>4} {o.seconds:6.2f}")
        problems += [f"run {i} (SIGINT at {o.delay:.2f} s{', twice' if twice else ''}): {p}"
                     for p in _problems(o)]  # fmt: skip
    assert done == RUNS + 1
    assert not problems, "\n".join(problems)


def test_workers_end_when_the_reader_stops(setup: Setup) -> None:
    """The library: a caller that stops reading (closes the iterator) ends the pool at
    once; the workers do not check the rest of the files first."""
    import multiprocessing

    paths = sorted(str(p) for p in setup.inbox.rglob("*.xlsx"))
    options = CheckOptions(layout=resolve_layout("gov-2021"), year=2024)
    # children an earlier test of this process may still be reaping are not this pool's
    before = {p.pid for p in multiprocessing.active_children()}
    results = iter_checked(paths, options, workers=2, keep="merge")
    first = next(results)
    assert first.report.status == "ok"
    workers = [p for p in multiprocessing.active_children() if p.pid not in before]
    assert workers
    start = time.monotonic()
    results.close()
    seconds = time.monotonic() - start
    assert seconds < BOUND / 2, f"{seconds:.1f} s to stop"
    # every worker gone within the same bound (the system may take a moment to reap one)
    alive = [p for p in workers if p.is_alive()]
    while alive and time.monotonic() - start < BOUND / 2:
        time.sleep(0.05)
        alive = [p for p in alive if p.is_alive()]
    assert not alive, f"{len(alive)} worker(s) alive {time.monotonic() - start:.1f} s after close"


_FINALIZER_SCRIPT = """
import os, signal, time
from xlreport.interrupt import handles_interrupts

class Spool:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C lands while a finalizer runs
        time.sleep(0.05)

@handles_interrupts
def main():
    Spool()  # collected at once: its __del__ swallows the Interrupted raised in it
    for _ in range(200):  # the command goes on: Ctrl-C must still stop it
        time.sleep(0.01)
    print("not interrupted")

main()
"""


def test_ctrl_c_swallowed_by_a_finalizer_still_stops_the_command() -> None:
    """Python ignores an exception raised in ``__del__`` ("Exception ignored in …"): a
    Ctrl-C that lands there is delivered again, so the command still ends with the one line
    and 130, instead of going on with Ctrl-C ignored."""
    proc = subprocess.run(
        [sys.executable, "-c", _FINALIZER_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 130, (proc.stdout, proc.stderr)
    assert proc.stderr == MESSAGE + "\n"
    assert "not interrupted" not in proc.stdout
