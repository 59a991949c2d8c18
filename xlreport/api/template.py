"""``make_templates``: the locked workbooks a county office sends to its agencies
(``xlreport template``) — one per roster agency, or one generic workbook."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlreport.errors import UsageError
from xlreport.spec import resolve_layout
from xlreport.template import write_templates
from xlreport.years import YEAR_MAX, YEAR_MIN, is_report_year


@dataclass(frozen=True)
class TemplateRequest:
    year: int
    out: str | Path  # the folder the workbooks go to (made when missing)
    format_id: str | None = None  # a shipped layout (None and no spec: the default one)
    spec: str | Path | None = None  # a layout file (.toml) instead of format_id
    roster: str | Path | None = None  # one workbook per agency of this roster file
    county: str = ""
    password: str | None = None  # None: generated and saved beside ``out``
    force: bool = False  # replace existing workbooks of the same names
    #: last year's returns or summary (files or folders): pre-fill the carried cells
    prior: tuple[str | Path, ...] = ()


@dataclass(frozen=True)
class TemplateResult:
    layout_id: str
    year: int
    out_dir: Path
    paths: tuple[Path, ...]  # the workbooks written, in roster order
    password_file: Path | None  # None when the password was given
    agencies: int  # 0 for a generic template
    roster_notes: tuple[str, ...] = ()  # what reading the roster normalised
    prefilled: tuple[Path, ...] = ()  # the workbooks pre-filled from ``prior``
    prior_missing: tuple[str, ...] = ()  # agencies with no return of last year in ``prior``

    def to_json(self) -> str:
        doc: dict[str, Any] = {
            "layout": self.layout_id,
            "year": self.year,
            "folder": str(self.out_dir),
            "agencies": self.agencies,
            "templates": [str(p) for p in self.paths],
            "password_file": str(self.password_file) if self.password_file else None,
            "roster_notes": list(self.roster_notes),
            "prefilled": [str(p) for p in self.prefilled],
            "prior_missing": list(self.prior_missing),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)


def make_templates(req: TemplateRequest) -> TemplateResult:
    """Write the templates ``req`` asks for; a wrong year, layout or roster, or an output
    that would overwrite something: :class:`UsageError` (nothing written)."""
    layout = resolve_layout(req.format_id, req.spec)
    if not is_report_year(req.year):
        raise UsageError(
            f"报告年度 {req.year} 不合理",
            f"请填写 {YEAR_MIN} 到 {YEAR_MAX} 之间的年份，如 --year 2024",
        )
    made = write_templates(
        layout,
        req.year,
        req.out,
        roster=req.roster,
        county=req.county,
        password=req.password,
        force=req.force,
        prior=req.prior,
    )
    return TemplateResult(
        layout_id=layout.id,
        year=req.year,
        out_dir=made.out_dir,
        paths=tuple(made.paths),
        password_file=made.password_file,
        agencies=made.agencies,
        roster_notes=tuple(made.roster_notes),
        prefilled=tuple(made.prefilled),
        prior_missing=tuple(made.prior_missing),
    )
