"""Regenerate samples/sample_values_2024.csv: plausible figures for the demo county's agencies.

Run from the project root: python samples/make_sample_values.py
The figures satisfy every hard rule of gov-2021 (they are what a careful agency would send);
the demo then introduces its own mistakes on purpose.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from xlreport.roster import load_roster
from xlreport.spec import resolve_layout

HERE = Path(__file__).resolve().parent


def agency_values(rng: random.Random, scale: int) -> dict[str, Decimal]:
    layout = resolve_layout("gov-2021")
    values: dict[str, Decimal] = {}
    for cell in layout.inputs():
        if cell.table == "s3":
            continue
        if cell.type.kind == "decimal":
            values[cell.id] = Decimal(rng.randint(0, 5000 * scale)) / 100
        else:
            values[cell.id] = Decimal(rng.choice([0, 0, 1, 2, rng.randint(0, 30 * scale)]))
    s3 = layout.sheet("s3").tables[0]
    outcome_rows = [
        r.key for r in s3.rows if r.key not in ("new", "carried", "outcome_total", "carryover")
    ]
    for col in s3.columns:
        if col.key == "total":
            continue
        heavy = col.key in ("natural", "commercial")
        for rk in outcome_rows:
            hi = (
                6 * scale
                if heavy and rk in ("open", "partial", "unable_none")
                else (1 if heavy else 0)
            )
            values[f"s3.{rk}.{col.key}"] = Decimal(rng.randint(0, hi))
        outcomes = sum(values[f"s3.{rk}.{col.key}"] for rk in outcome_rows)
        carryover = Decimal(rng.randint(0, 2) if heavy else 0)
        carried = Decimal(min(int(outcomes + carryover), rng.randint(0, 2) if heavy else 0))
        values[f"s3.carryover.{col.key}"] = carryover
        values[f"s3.carried.{col.key}"] = carried
        values[f"s3.new.{col.key}"] = outcomes + carryover - carried
    return values


def main() -> None:
    roster = load_roster(HERE / "roster.csv")
    rng = random.Random(2024)
    with (HERE / "sample_values_2024.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位编码", "单元格", "数值"])
        for agency in roster:
            scale = 4 if agency.type == "部门" else 1
            for cid, v in sorted(agency_values(rng, scale).items()):
                w.writerow([agency.code, cid, str(v)])


if __name__ == "__main__":
    main()
