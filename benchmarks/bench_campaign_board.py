"""How fast the campaign board and the campaign merge are at N agencies.

    python benchmarks/bench_campaign_board.py [N ...]   (default: 1000)  [--workers W] [--work DIR]
                                                 [--memory]

For each N: a campaign of N agencies (as bench_campaign_ingest.py: every fifth return with
an error), ingested; every clean one approved; then 2 % of the faulty agencies resubmit a
fixed return (so the board computes resubmission marks). Measured: ``campaign status``
(the board, with marks), ``status --export`` (the workbook), ``campaign notice`` for 20 agencies,
``campaign merge --allow-missing`` (the stored files of the approved versions through the
merge code), and ``merge`` again after one more approval. Prints numbers; asserts only that
the counts add up.
With ``--memory``: then each campaign command once more in a fresh process (``python -m
xlreport``), with its peak memory (the command or a process it waited for, whichever is
largest, as /usr/bin/time reports).
Targets (issue 12): status at 10,000 agencies < 1 s; merge at 10,000 < 3 s and < 1 s more
after one new return; peak memory < 150 MB at 10,000 and 100,000 agencies.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench_campaign_ingest import COUNTY, YEAR, agency, valid_values

from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignIngestRequest,
    CampaignInitRequest,
    campaign_approve,
    campaign_ingest,
    campaign_init,
)
from xlreport.api.campaign_board import (
    CampaignMergeRequest,
    CampaignNoticeRequest,
    CampaignStatusRequest,
    campaign_merge,
    campaign_notices,
    campaign_status,
)
from xlreport.fsutil import atomic_write_bytes
from xlreport.spec import resolve_layout
from xlreport.template import agency_identity
from xlreport.writer import build_workbook


def _write(args: tuple[str, int, bool]) -> None:
    target, i, bad = args
    layout = resolve_layout("gov-2021")
    values = valid_values(layout, random.Random(i))
    if bad:
        values["s3.new.natural"] = "12件"
    ident = agency_identity(layout, YEAR, agency(i), county=COUNTY)
    atomic_write_bytes(target, build_workbook(layout, ident, password="bench", values=values))


def _timed(what: str, fn: object) -> object:
    t = time.perf_counter()
    out = fn()  # type: ignore[operator]
    print(f"  {what}: {time.perf_counter() - t:.3f} s", flush=True)
    return out


def bench(n: int, work: Path, workers: int | None) -> None:
    print(f"N = {n}", flush=True)
    work.mkdir(parents=True, exist_ok=True)
    roster = work / "roster.csv"
    lines = ["单位编码,单位名称,单位类型,联系人,电话,邮箱"]
    for i in range(1, n + 1):
        a = agency(i)
        lines.append(f"{a.code},{a.name},{a.type},{a.contact},{a.phone},{a.email}")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = work / f"c{n}"
    campaign_init(
        CampaignInitRequest(folder, YEAR, roster, format_id="gov-2021", name=COUNTY,
                            deadline="2025-01-20", grace_days=3)
    )  # fmt: skip
    inbox = folder / "inbox"
    jobs = [(str(inbox / f"r{i:06d}.xlsx"), i, i % 5 == 0) for i in range(1, n + 1)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_write, jobs, chunksize=64))
    campaign_ingest(CampaignIngestRequest((), folder, workers=workers))
    campaign_approve(CampaignApproveRequest(all_clean=True, campaign=folder))
    fixes = work / f"fix{n}"
    fixed = [i for i in range(1, n + 1) if i % 5 == 0][: max(1, n // 50)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_write, [(str(fixes / f"f{i:06d}.xlsx"), i, False) for i in fixed]))
    campaign_ingest(CampaignIngestRequest([fixes], folder, workers=workers))

    status = _timed("campaign status (board with marks)", lambda: campaign_status(
        CampaignStatusRequest(folder)))  # fmt: skip
    total = status.board.total  # type: ignore[attr-defined]
    assert total.expected == n and total.received == n
    assert total.approved + total.pending + total.to_fix == n
    _timed("campaign status --export", lambda: campaign_status(
        CampaignStatusRequest(folder, export=work / f"status{n}.xlsx")))  # fmt: skip
    some = [agency(i).code for i in range(5, n + 1, 5)][-20:]  # not among the fixed ones
    _timed(f"campaign notice ({len(some)} agencies)", lambda: campaign_notices(
        CampaignNoticeRequest(some, campaign=folder)))  # fmt: skip
    _timed("campaign merge --allow-missing", lambda: campaign_merge(
        CampaignMergeRequest(folder, allow_missing=True)))  # fmt: skip
    first = fixed[0]
    campaign_approve(CampaignApproveRequest([agency(first).code], campaign=folder))
    _timed("campaign merge after one more approval", lambda: campaign_merge(
        CampaignMergeRequest(folder, allow_missing=True)))  # fmt: skip


#: Runs ``xlreport`` in this (fresh) process and, at its end, writes its own peak (VmHWM:
#: this process since its exec, not the benchmark it was forked from) and the largest of
#: the processes it waited for (its check workers) to stderr.
_MEASURED = """
import resource, sys
from xlreport.__main__ import main
sys.argv = sys.argv[1:]  # ["xlreport", args…]
try:
    main()
finally:
    hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM"))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"XLR-PEAK {hwm} {kids}", file=sys.stderr)
"""


def peak_mb(args: list[str]) -> tuple[float, int, int]:
    """``xlreport args…`` in a fresh process: its wall time, exit code and peak memory in
    MB (the command's own or its largest worker's, whichever is larger)."""
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "xlreport", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - t
    line = next(x for x in reversed(done.stderr.splitlines()) if x.startswith("XLR-PEAK"))
    own, kids = (int(v) for v in line.split()[1:])
    return seconds, done.returncode, max(own, kids) // 1024


def memory(n: int, work: Path) -> None:
    """Peak memory of each campaign command on the campaign ``bench`` built (target: < 150 MB)."""
    folder = str(work / f"c{n}")
    roster = work / "roster.csv"
    renamed = work / "roster-renamed.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    code, name = lines[2].split(",")[:2]
    lines[2] = lines[2].replace(name, name + "（更名）", 1)
    renamed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    some = [agency(i).code for i in range(5, n + 1, 5)][-20:]
    commands = {
        "ingest (unchanged inbox)": ["campaign", "ingest"],
        "status": ["campaign", "status"],
        "status --json": ["campaign", "status", "--json"],
        "status --export": ["campaign", "status", "--export", str(work / f"status{n}-m.xlsx")],
        f"notice ({len(some)} agencies)": ["campaign", "notice", *some],
        "history": ["campaign", "history", code],
        "receipts --json": ["campaign", "receipts", "--json"],
        "verify": ["campaign", "verify"],
        "roster (one renamed)": ["campaign", "roster", str(renamed)],
        "merge --allow-missing": ["campaign", "merge", "--allow-missing"],
    }
    print(f"peak memory, N = {n} (fresh process per command; target < 150 MB)", flush=True)
    for what, args in commands.items():
        seconds, code_, mb = peak_mb([*args, "--campaign", folder])
        print(f"  {what}: {mb} MB, {seconds:.1f} s, exit {code_}", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("n", nargs="*", type=int, default=[1000])
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--work", type=Path, default=None)
    p.add_argument("--memory", action="store_true", help="then each command's peak memory")
    args = p.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="xlr-bench-board-"))
    try:
        for n in args.n:
            bench(n, work, args.workers)
            if args.memory:
                memory(n, work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
