"""How fast ``campaign ingest`` is: N generated returns into a fresh campaign.

    python benchmarks/bench_campaign_ingest.py [N ...]        (default: 1000)
                                               [--workers W] [--work DIR]

For each N: a roster of N agencies, ``campaign init`` (templates, ledger), N distinct valid
returns written into the inbox (every fifth with an error, on every core), then measured:
the first ingest (hash, store, check on W processes, record: files/s), the re-ingest of
the unchanged inbox (hash and skip), the ledger's size per return (after a WAL
checkpoint), and peak memory of this process and of the check workers. Prints numbers;
asserts only that every return was recorded once and that verify passes.
Target (issue 12): first ingest ≥ 400 returns/s on 2 cores; re-ingest of 10,000 < 2 s;
ledger < 20 KB per return; peak memory < 150 MB.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from xlreport.api.campaign import (
    CampaignIngestRequest,
    CampaignInitRequest,
    campaign_ingest,
    campaign_init,
)
from xlreport.ledger import Campaign, verify
from xlreport.ledger.schema import LEDGER_FILE
from xlreport.roster import Agency
from xlreport.spec import Layout, resolve_layout
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

YEAR = 2024
COUNTY = "基准县"


def valid_values(layout: Layout, rng: random.Random) -> dict[str, Decimal | str]:
    """Plausible figures satisfying the hard rules (as benchmarks/bench_merge.py)."""
    out: dict[str, Decimal | str] = {}
    for cell in layout.inputs():
        if cell.type.kind == "decimal":
            out[cell.id] = Decimal(rng.randint(0, 10**6)) / 100
        else:
            out[cell.id] = Decimal(rng.choice([0, 0, 1, 2, rng.randint(0, 300)]))
    for total in layout.totals:
        if not total.cell.startswith("s3.outcome_total."):
            continue
        col = total.cell.rsplit(".", 1)[1]
        if not all(t.cell.endswith(f".{col}") for t in total.expr.terms):
            continue
        outcomes = sum((Decimal(out[t.cell]) for t in total.expr.terms), Decimal(0))
        carried = Decimal(rng.randint(0, int(outcomes)))
        out[f"s3.carried.{col}"] = carried
        out[f"s3.new.{col}"] = outcomes + Decimal(out[f"s3.carryover.{col}"]) - carried
    return out


def agency(i: int) -> Agency:
    return Agency(f"B{i:05d}", f"基准测试单位{i:05d}", ("部门", "乡镇", "街道", "其他")[i % 4])


def _write(args: tuple[str, int]) -> None:
    folder, i = args
    layout = resolve_layout("gov-2021")
    values = valid_values(layout, random.Random(i))
    if i % 5 == 0:
        values["s3.new.natural"] = "12件"  # an error: this agency is to be sent back
    ident = agency_identity(layout, YEAR, agency(i), county=COUNTY)
    data = build_workbook(layout, ident, password="bench", values=values)
    Path(folder, f"{i:05d}.xlsx").write_bytes(data)


def _mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def bench(n: int, work: Path, workers: int | None) -> None:
    folder = work / f"campaign-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    roster = work / f"roster-{n}.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位编码", "单位名称", "单位类型"])
        for i in range(n):
            a = agency(i)
            w.writerow([a.code, a.name, a.type])
    t0 = time.perf_counter()
    campaign_init(CampaignInitRequest(folder, YEAR, roster, format_id="gov-2021", name=COUNTY))
    t_init = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write, [(str(folder / "inbox"), i) for i in range(n)], chunksize=50))
    t_gen = time.perf_counter() - t0
    inbox_bytes = sum(p.stat().st_size for p in (folder / "inbox").iterdir())

    t0 = time.perf_counter()
    first = campaign_ingest(CampaignIngestRequest(campaign=folder, workers=workers))
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = campaign_ingest(CampaignIngestRequest(campaign=folder, workers=workers))
    t_again = time.perf_counter() - t0

    counts = first.report.to_dict()["counts"]
    assert counts["version"] == n, counts
    assert again.report.count("already") == n
    conn = sqlite3.connect(folder / LEDGER_FILE)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    ledger_bytes = (folder / LEDGER_FILE).stat().st_size
    with Campaign.open(folder) as camp:
        t0 = time.perf_counter()
        problems = [p for p in verify(camp) if p.blocking]
        t_verify = time.perf_counter() - t0
    assert problems == [], problems

    print(
        f"N = {n:,} returns ({inbox_bytes / n / 1024:.1f} KB each), workers = {workers or os.cpu_count()}"
    )
    print(
        f"  campaign init (templates + ledger):  {t_init:6.2f} s   (returns generated in {t_gen:.1f} s)"
    )
    print(
        f"  first ingest:                        {t_first:6.2f} s   {n / t_first:7.0f} files/s   (target ≥ 400/s)"
    )
    print(f"  re-ingest, unchanged inbox:          {t_again:6.2f} s   {n / t_again:7.0f} files/s")
    print(f"  verify (chain + every stored hash):  {t_verify:6.2f} s")
    print(
        f"  ledger: {ledger_bytes / 1e6:.2f} MB = {ledger_bytes / n / 1024:.1f} KB per return   (target < 20 KB)"
    )
    print(f"  peak memory: this process {_mb(resource.RUSAGE_SELF):.0f} MB, largest child process (generation or check) {_mb(resource.RUSAGE_CHILDREN):.0f} MB   (target < 150 MB)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="*", type=int, default=[1000])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="xlr-bench-campaign-"))
    try:
        for n in args.n:
            bench(n, work, args.workers)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
