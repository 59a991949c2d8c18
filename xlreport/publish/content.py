"""What a published document says: the grid of the file's values, who and when, and the
fixed texts of the report (``texts.toml`` beside this module, data and not code)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from xlreport.checks.model import ReturnData
from xlreport.publish.grid import GridTable, build_grids

TEXTS_FILE = Path(__file__).with_name("texts.toml")


@dataclass(frozen=True)
class Part:
    """A part of the full report: a layout sheet's table, or a headed placeholder."""

    sheet: str = ""  # the layout sheet whose table this part prints ("" for a text part)
    heading: str = ""
    placeholder: str = ""


@dataclass(frozen=True)
class PageGeometry:
    page_width: float
    page_height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    value_col_min: float
    label_col_min: float
    vertical_col: float

    def text_width(self, landscape: bool) -> float:
        """Centimetres between the margins (a landscape page is the portrait one turned)."""
        if landscape:
            return self.page_height - self.margin_top - self.margin_bottom
        return self.page_width - self.margin_left - self.margin_right


@dataclass(frozen=True)
class Texts:
    title_full: str
    title_tables: str
    stamp: str
    stamp_note: str
    intro: str
    parts: tuple[Part, ...]
    signoff_agency: str
    signoff_date: str
    signoff_no_date: str
    geometry: PageGeometry


def _str(table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{TEXTS_FILE.name}: {key} must be text")
    return value


@cache
def load_texts(path: Path = TEXTS_FILE) -> Texts:
    """The fixed texts (read once)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    parts = tuple(
        Part(
            sheet=str(p.get("sheet", "")),
            heading=str(p.get("heading", "")),
            placeholder=str(p.get("placeholder", "")),
        )
        for p in data["parts"]
    )
    geo = data["layout"]
    return Texts(
        title_full=_str(data["title"], "full"),
        title_tables=_str(data["title"], "tables"),
        stamp=_str(data["stamp"], "text"),
        stamp_note=_str(data["stamp"], "note"),
        intro=_str(data["intro"], "text"),
        parts=parts,
        signoff_agency=_str(data["signoff"], "agency"),
        signoff_date=_str(data["signoff"], "date"),
        signoff_no_date=_str(data["signoff"], "no_date"),
        geometry=PageGeometry(**{k: float(v) for k, v in geo.items()}),
    )


_UNSAFE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text from a file as it may be printed in a document: control characters (which
    XML cannot hold) and bidi overrides dropped, runs of white space made one space."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    return " ".join(_UNSAFE.sub("", kept).split())


@dataclass(frozen=True)
class Content:
    """Everything a writer prints."""

    layout_id: str
    kind: str  # "return" or "summary"
    agency: str
    year: int
    date: str  # the sign-off date as the file gives it ("" when none)
    grids: tuple[GridTable, ...]
    errors: int  # blocking check errors of the file (0 for a clean file)
    stamped: bool  # published with --force although it has errors
    blank_cells: int  # input cells left blank in the file (printed as 0)
    texts: Texts

    def fill(self, template: str) -> str:
        return template.format(
            agency=self.agency,
            year=self.year,
            year_next=self.year + 1,
            date=self.date,
            errors=self.errors,
        )

    @property
    def full_title(self) -> str:
        return self.fill(self.texts.title_full)

    @property
    def tables_title(self) -> str:
        return self.fill(self.texts.title_tables)

    @property
    def signoff_date(self) -> str:
        return self.fill(self.texts.signoff_date if self.date else self.texts.signoff_no_date)

    def grid(self, sheet: str) -> GridTable | None:
        return next((g for g in self.grids if g.sheet == sheet), None)

    def parts(self, full: bool) -> list[Part]:
        """The parts printed: all of them (``full``), or only the tables; a table part of
        a sheet the layout lacks is left out, and a sheet no part names comes after the
        tables (a custom layout keeps every table)."""
        named = {p.sheet for p in self.texts.parts if p.sheet}
        out = [
            p for p in self.texts.parts if (full or p.sheet) and (not p.sheet or self.grid(p.sheet))
        ]
        extra = [Part(sheet=g.sheet) for g in self.grids if g.sheet not in named]
        if extra:
            last = max((i for i, p in enumerate(out) if p.sheet), default=len(out) - 1)
            out[last + 1 : last + 1] = extra
        return out


def content_of(data: ReturnData, *, errors: int, stamped: bool) -> Content:
    """The content of a checked file: its agency, year, sign-off date and every value
    (inputs as read, totals recomputed from them; a blank input is printed 0)."""
    identity = data.identity
    agency = identity.agency_name or data.signoff.get("agency_name", "")
    if not agency and identity.kind == "summary":
        agency = identity.county
    return Content(
        layout_id=data.layout.id,
        kind=identity.kind,
        agency=clean_text(agency),
        year=identity.year,
        date=clean_text(data.signoff.get("date", "")),
        grids=build_grids(
            data.layout,
            data.totals,
            {k: clean_text(v) for k, v in data.raw_inputs.items() if k not in data.values},
        ),
        errors=errors,
        stamped=stamped,
        blank_cells=data.blank_cells,
        texts=load_texts(),
    )


__all__ = ["Content", "PageGeometry", "Part", "Texts", "clean_text", "content_of", "load_texts"]
