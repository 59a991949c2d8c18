"""The ledger under stress: kill -9 in the middle of an ingest, two ingests at once, a
full disk (the store, and the ledger itself)."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
from campaign_helpers import (
    COUNTY,
    YEAR,
    agencies,
    broken,
    valid_values,
    write_return,
    write_roster,
)
from cli_helpers import ROOT, invoke

from xlreport.errors import UsageError
from xlreport.ledger import Campaign, create_campaign, ingest, verify
from xlreport.ledger import store as store_module
from xlreport.ledger.schema import LEDGER_FILE

N = 48


def _campaign(tmp_path: Path, n: int = N) -> Path:
    rows = agencies(n)
    roster = write_roster(tmp_path / "名单.csv", rows)
    camp, _ = create_campaign(tmp_path / "活动", year=YEAR, roster=roster, county=COUNTY)
    with camp:
        layout = camp.layout
        for i, a in enumerate(rows):
            values = valid_values(layout, i)
            write_return(
                camp.dir / "inbox" / f"{a.code}.xlsx", a, broken(values) if i % 5 == 0 else values
            )
    return tmp_path / "活动"


def _ingest_process(folder: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "xlreport", "campaign", "ingest", "--campaign", str(folder),
         "--workers", str(workers), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # kill -9 reaches its worker processes too
    )  # fmt: skip


def _counts(folder: Path) -> dict[str, int]:
    conn = sqlite3.connect(folder / LEDGER_FILE)
    try:
        return {
            t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in ("files", "arrivals", "versions", "events", "receipts", "findings", "values")
        }
    finally:
        conn.close()


def _assert_complete(folder: Path, n: int = N) -> None:
    with Campaign.open(folder) as camp:
        assert [p for p in verify(camp) if p.blocking] == []
        conn = camp.conn
        # every inbox file recorded exactly once, each agency with exactly one version
        per_source = conn.execute(
            "SELECT source_path, COUNT(*) FROM arrivals GROUP BY 1"
        ).fetchall()
        assert len(per_source) == n and {c for _, c in per_source} == {1}
        rounds = conn.execute("SELECT agency_code, MAX(round) FROM versions GROUP BY 1").fetchall()
        assert len(rounds) == n and {r for _, r in rounds} == {1}
        assert conn.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] == n
        states = dict(conn.execute("SELECT state, COUNT(*) FROM agencies GROUP BY 1").fetchall())
        assert states == {"需修改": len(range(0, n, 5)), "已报（待审核）": n - len(range(0, n, 5))}


def _wait_for(proc: subprocess.Popen[bytes], folder: Path, recorded: int) -> None:
    """Until ``recorded`` files are in the ledger (or the process has ended)."""
    while proc.poll() is None:
        try:
            if _counts(folder)["arrivals"] >= recorded:
                return
        except sqlite3.OperationalError:
            pass  # being created or locked for a moment
        time.sleep(0.002)


def test_kill_9_at_random_moments_then_ingest_completes(tmp_path: Path) -> None:
    folder = _campaign(tmp_path)
    rng = random.Random(12)
    seen: list[int] = []  # files recorded after each kill (printed with -s)
    for attempt in range(6):
        proc = _ingest_process(folder, workers=1 + attempt % 2)
        # a random point of the ingest: once a random number of files is recorded (0:
        # while hashing, copying or checking), a further random few milliseconds
        done = _counts(folder)["arrivals"]
        target = done + rng.randrange(0, max(1, (N - done) // 2))
        _wait_for(proc, folder, target)
        time.sleep(rng.uniform(0.3, 0.8) if target == done else rng.uniform(0, 0.03))
        with contextlib.suppress(ProcessLookupError):  # it had finished
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        seen.append(_counts(folder)["arrivals"])
        with Campaign.open(folder) as camp:  # the ledger opens, the chain holds
            assert [p for p in verify(camp) if p.blocking] == [], attempt
    print("recorded after each kill:", seen)
    proc = _ingest_process(folder)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1), err.decode()
    _assert_complete(folder)
    before = _counts(folder)
    proc = _ingest_process(folder)
    proc.communicate(timeout=300)
    assert _counts(folder) == before  # idempotent


def test_two_ingests_at_once_record_every_file_once(tmp_path: Path) -> None:
    folder = _campaign(tmp_path)
    procs = [_ingest_process(folder), _ingest_process(folder)]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode in (0, 1), err.decode()
        assert b"Traceback" not in err
    _assert_complete(folder)


class _FullDisk:
    """A file that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, f: BinaryIO, room: int) -> None:
        self._f, self._room = f, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._f.write(data)


def test_full_disk_at_the_store_leaves_no_partial_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _campaign(tmp_path, 6)
    real = store_module.atomic_writer
    calls = {"n": 0}

    @contextmanager
    def failing(path: str | Path, *, private: bool = False) -> Iterator[_FullDisk]:
        calls["n"] += 1
        with real(path, private=private) as f:
            yield _FullDisk(f, 10**9 if calls["n"] < 4 else 1000)

    monkeypatch.setattr(store_module, "atomic_writer", failing)
    before = _counts(folder)
    code, out, err = invoke(["campaign", "ingest", "--campaign", str(folder), "--workers", "1"])
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert "无法把" in lines[0] and "台账未作改动" in lines[0] and "Traceback" not in err
    assert _counts(folder) == before
    store = folder / "store"
    assert not [p for p in store.rglob("*") if p.is_file() and p.name.startswith(".~")]
    with Campaign.open(folder) as camp:
        assert [p for p in verify(camp) if p.blocking] == []
    monkeypatch.setattr(store_module, "atomic_writer", real)
    with Campaign.open(folder) as camp:
        report = ingest(camp, workers=1)
        assert report.count("version") == 6
        assert verify(camp) == []


def test_full_disk_at_the_ledger_rolls_back(tmp_path: Path) -> None:
    folder = _campaign(tmp_path, 6)
    before = _counts(folder)
    with Campaign.open(folder) as camp:
        pages = camp.conn.execute("PRAGMA page_count").fetchone()[0]
        camp.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(UsageError, match="无法写入台账"):
            ingest(camp, workers=1)
    after = _counts(folder)
    # each file is one transaction: those before the disk filled are whole, none is half
    with Campaign.open(folder) as camp:
        assert [p for p in verify(camp) if p.blocking] == []
        assert after["arrivals"] == after["receipts"] == after["versions"] < 6
        assert after["events"] - before["events"] == after["arrivals"]
        report = ingest(camp, workers=1)
        assert report.count("version") == 6 - after["versions"]
        assert verify(camp) == []
