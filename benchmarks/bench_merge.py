"""How fast ``xlreport merge`` is: N distinct valid returns, checked and merged.

    python benchmarks/bench_merge.py [N ...]        (default: 200 1000)

Writes the returns once per N into a temporary folder (xlsxwriter, on every core), then
measures: merge_paths end to end (check on every core + select + sum + summary workbook),
the part after checking alone (merge_checked), the summary's size, and peak memory of this
process and of the check workers. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from xlreport.batch import check_paths
from xlreport.checks.model import CheckOptions
from xlreport.identity import Identity
from xlreport.merge import merge_checked, merge_paths
from xlreport.spec import Layout, resolve_layout
from xlreport.writer import build_workbook

YEAR = 2024


def valid_values(layout: Layout, rng: random.Random) -> dict[str, Decimal | str]:
    """Plausible figures satisfying the hard rules (H2 per column of section 三)."""
    out: dict[str, Decimal | str] = {}
    for cell in layout.inputs():
        if cell.type.kind == "decimal":
            out[cell.id] = Decimal(rng.randint(0, 10**8)) / 10**4
        else:
            out[cell.id] = Decimal(rng.choice([0, 0, 1, 2, rng.randint(0, 300)]))
    for total in layout.totals:
        if not total.cell.startswith("s3.outcome_total."):
            continue
        col = total.cell.rsplit(".", 1)[1]
        if not all(t.cell.endswith(f".{col}") for t in total.expr.terms):
            continue  # the row's own 总计, not a column total
        outcomes = sum((Decimal(out[t.cell]) for t in total.expr.terms), Decimal(0))
        carried = Decimal(rng.randint(0, int(outcomes)))
        out[f"s3.carried.{col}"] = carried
        out[f"s3.new.{col}"] = outcomes + Decimal(out[f"s3.carryover.{col}"]) - carried
    return out


def _write(args: tuple[str, int]) -> None:
    folder, i = args
    layout = resolve_layout("gov-2021")
    ident = Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=YEAR,
        agency_code=f"B{i:05d}",
        agency_name=f"基准测试单位{i:05d}",
        template_id=f"bench-{i}",
        county="基准县",
    )
    data = build_workbook(
        layout, ident, password="bench", values=valid_values(layout, random.Random(i))
    )
    Path(folder, f"{i:05d}.xlsx").write_bytes(data)


def make_returns(folder: Path, n: int) -> float:
    t0 = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write, [(str(folder), i) for i in range(n)], chunksize=50))
    return time.perf_counter() - t0


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def bench(n: int) -> None:
    layout = resolve_layout("gov-2021")
    options = CheckOptions(layout=layout, year=YEAR)
    with tempfile.TemporaryDirectory(prefix="xlr-bench-merge-") as tmp:
        folder = Path(tmp, "in")
        folder.mkdir()
        made = make_returns(folder, n)
        out = Path(tmp, "summary.xlsx")
        t0 = time.perf_counter()
        result = merge_paths([folder], out, options, name="基准县")
        total = time.perf_counter() - t0
        assert result.exit_code == 0, [f.reason for f in result.left_out][:3]
        checked = check_paths([folder], options)
        t1 = time.perf_counter()
        merge_checked(checked, Path(tmp, "again.xlsx"), options, name="基准县")
        after_check = time.perf_counter() - t1
        print(
            f"N={n:>6}: made in {made:5.1f} s | merge_paths {total:6.2f} s "
            f"({n / total:6.0f} returns/s) | after checking {after_check:5.2f} s | "
            f"summary {out.stat().st_size / 1024:7.0f} KiB | peak RSS self "
            f"{peak_mb(resource.RUSAGE_SELF):5.0f} MB, workers {peak_mb(resource.RUSAGE_CHILDREN):5.0f} MB"
        )


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["200", "1000"]:
        bench(int(arg))
