"""Good returns of distinct agencies, written fast, in the styles real offices save them.

Styles: ``xlsxwriter`` (the template as the writer makes it, as a script would fill it),
``excel`` (re-saved like Excel), ``lo-like`` (LibreOffice's XML mimicked) and
``libreoffice`` (the base re-saved by real LibreOffice, then personalised).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hostile.saved_as import excel_like, libreoffice_convert, libreoffice_like
from hostile.stamp import Parts, Stamper, base_parts
from hostile.values import Agency, realistic_values, signoff
from hostile.zipkit import read_members, write_members
from xlreport.spec.model import Layout

STYLES = ("xlsxwriter", "excel", "lo-like", "libreoffice")
YEAR = 2024


@dataclass(frozen=True)
class GoodReturn:
    path: Path
    agency: Agency
    values: dict[str, Decimal]  # the inputs (totals follow from the layout)
    style: str
    saved_at: str


def style_parts(layout: Layout, style: str, seed: int = 7, workdir: Path | None = None) -> Parts:
    """The token workbook saved in ``style``."""
    parts = base_parts(layout, YEAR, realistic_values(layout, random.Random(seed)))
    if style == "xlsxwriter":
        return parts
    if style == "excel":
        return excel_like(parts)
    if style == "lo-like":
        return libreoffice_like(parts)
    if style == "libreoffice":
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            src = Path(tmp) / "base.xlsx"
            src.write_bytes(write_members(parts))
            (out,) = libreoffice_convert([src], Path(tmp) / "out", Path(tmp) / "profile")
            return read_members(out.read_bytes())
    raise ValueError(f"unknown style {style!r} (known: {', '.join(STYLES)})")


def saved_time(rng: random.Random) -> str:
    day, hour, minute = rng.randint(5, 25), rng.randint(8, 18), rng.randint(0, 59)
    return f"2025-01-{day:02d}T{hour:02d}:{minute:02d}:{rng.randint(0, 59):02d}Z"


def file_name(agency: Agency, i: int) -> str:
    kinds = (
        f"{agency.name}{YEAR}年政府信息公开年报统计表.xlsx",
        f"{agency.code}.xlsx",
        f"{YEAR}年度政府信息公开工作年度报告_{agency.name}（终稿）.xlsx",
        f"附件2-{agency.name}.xlsx",
    )
    return kinds[i % len(kinds)]


def write_good_returns(
    out_dir: Path,
    layout: Layout,
    agency_list: Sequence[Agency],
    *,
    styles: Sequence[str] = ("xlsxwriter", "excel", "lo-like"),
    seed: int = 1,
    stampers: dict[str, Stamper] | None = None,
) -> list[GoodReturn]:
    """One valid return per agency in ``out_dir``, styles taken in turn."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if stampers is None:
        stampers = {s: Stamper(layout, style_parts(layout, s)) for s in styles}
    written = []
    for i, agency in enumerate(agency_list):
        rng = random.Random(f"{seed}-{agency.code}")
        style = styles[i % len(styles)]
        values = realistic_values(layout, rng)
        when = saved_time(rng)
        data = stampers[style].make(agency, values, signoff(rng, int(when[8:10])), when)
        path = out_dir / file_name(agency, i)
        path.write_bytes(data)
        written.append(GoodReturn(path, agency, values, style, when))
    return written
