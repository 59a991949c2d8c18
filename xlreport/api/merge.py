"""``merge_returns``: check the returns, merge those that count, write the summary
(``xlreport merge``); the result renders itself as the ``merge --json`` document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from xlreport.api.check import county_option
from xlreport.checks.model import CheckOptions
from xlreport.errors import UsageError
from xlreport.merge import merge_paths
from xlreport.merge.model import MergeResult as MergeOutcome
from xlreport.merge.report import result_json_text, write_result_json
from xlreport.roster import load_roster
from xlreport.spec import resolve_layout
from xlreport.years import is_report_year


@dataclass(frozen=True)
class MergeRequest:
    paths: Sequence[str | Path]  # returns and summaries, files or folders
    out: str | Path  # the summary workbook (.xlsx)
    roster: str | Path | None = None  # the roster file: who has not reported
    name: str = ""  # the summary's agency name, e.g. 某某县
    code: str = ""  # its code (default: derived from the name)
    format_id: str | None = None  # None and no spec: the layout most returns use
    spec: str | Path | None = None  # a layout file (.toml) instead of format_id
    year: int | None = None  # None: the year most returns say
    export: str | Path | None = None  # long-form data (.csv or .json)
    county: str | None = None  # the county the returns must be for (None: they agree on one)
    prefer: Sequence[str | Path] = ()  # the versions that count when an agency sent several
    allow_missing: bool = False  # roster agencies missing: still exit status 0
    blank_as_zero: bool = False  # count returns with blank cells, blanks as 0
    confirm: Sequence[str | Path] = ()  # returns whose date-like counts are numbers
    force: bool = False  # replace an existing --out/--export that is not ours
    prior: str | Path | None = None  # last year's summary: the narrative compares with it
    by_type: bool = False  # the statutory tables once more per 单位类型 (县直部门/乡镇/街道/其他)
    workers: int | None = None  # checking processes (None: one per core)
    progress: Callable[[int, int], None] | None = None  # (done, total) as files are checked


@dataclass(frozen=True)
class MergeResult:
    outcome: MergeOutcome  # every input's status, the summary's identity and sums
    roster_notes: tuple[str, ...] = ()  # what reading the roster normalised

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code

    def to_json(self) -> str:
        """The ``merge --json`` document (without the final newline)."""
        return result_json_text(self.outcome)

    def write_json(self, out: TextIO) -> None:
        """``to_json()`` and a newline, written piece by piece (a province: ~10,000 files)."""
        write_result_json(self.outcome, out)


def merge_returns(req: MergeRequest) -> MergeResult:
    """Merge the returns under ``req.paths`` into the summary ``req.out``. A wrong year,
    layout, roster or output: :class:`UsageError` before any file is checked."""
    if req.year is not None and not is_report_year(req.year):
        raise UsageError(f"--year {req.year} 不是有效的报告年度", "例如 --year 2024")
    layout = resolve_layout(req.format_id, req.spec) if (req.format_id or req.spec) else None
    notes: list[str] = []
    agencies = load_roster(req.roster, notes=notes) if req.roster is not None else None
    options = CheckOptions(
        layout=layout,
        year=req.year,
        county=county_option(req.county),
        blank_as_zero=req.blank_as_zero,
    )
    outcome = merge_paths(
        req.paths,
        req.out,
        options,
        roster=agencies,
        name=req.name,
        export=req.export,
        code=req.code,
        workers=req.workers,
        progress=req.progress,
        roster_file=req.roster,
        force=req.force,
        prefer=req.prefer,
        allow_missing=req.allow_missing,
        confirm=req.confirm,
        prior=req.prior,
        by_type=req.by_type,
    )
    return MergeResult(outcome, tuple(notes))
