"""Building campaigns for tests: a roster, and returns as the agencies would send them."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from xlreport.fsutil import atomic_write_bytes
from xlreport.roster import Agency
from xlreport.spec import Layout, resolve_layout
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

YEAR = 2024
COUNTY = "清河县"
PASSWORD = "campaign-test"
TYPES = ("部门", "乡镇", "街道", "其他")


def agencies(n: int, *, prefix: str = "QH") -> list[Agency]:
    return [
        Agency(
            f"{prefix}{i:03d}",
            f"清河县测试单位{i:03d}",
            TYPES[i % 4],
            f"联系人{i}",
            f"0310-66{i:05d}",
            f"u{i}@example.cn",
        )
        for i in range(1, n + 1)
    ]


def write_roster(path: Path, rows: Sequence[Agency]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位编码", "单位名称", "单位类型", "联系人", "电话", "邮箱"])
        for a in rows:
            w.writerow([a.code, a.name, a.type, a.contact, a.phone, a.email])
    return path


def valid_values(layout: Layout, seed: int) -> dict[str, Decimal | str]:
    """Plausible figures satisfying the hard rules (H2 per column of section 三)."""
    rng = random.Random(seed)
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


def broken(values: dict[str, Decimal | str]) -> dict[str, Decimal | str]:
    """The same figures with one blocking error: units typed into a count."""
    out = dict(values)
    out["s3.new.natural"] = "12件"
    return out


def write_return(
    target: Path,
    agency: Agency,
    values: dict[str, Decimal | str],
    *,
    layout: Layout | None = None,
    year: int = YEAR,
    county: str = COUNTY,
) -> Path:
    layout = layout or resolve_layout("gov-2021")
    ident = agency_identity(layout, year, agency, county=county)
    atomic_write_bytes(target, build_workbook(layout, ident, password=PASSWORD, values=values))
    return target
