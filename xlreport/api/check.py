"""``check_files``: check returned workbooks (``xlreport check``) — every checked file, the
copies to send back, the roster's view, and the run as a JSON document."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xlreport.api.annotate import AnnotateRequest, annotate_folder, annotate_returns
from xlreport.batch import check_paths
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.overview import RosterView, roster_view, suspect_year
from xlreport.checks.workbook_check import prior_key
from xlreport.errors import UsageError
from xlreport.findings import FileReport
from xlreport.importer import prior_workbooks
from xlreport.roster import load_roster
from xlreport.safetext import printable
from xlreport.spec import resolve_layout
from xlreport.years import YEAR_MAX, YEAR_MIN, is_report_year, year_hint_text

#: The statuses a checked file can have, in the order the JSON summary counts them.
STATUSES = ("ok", "warning", "error", "unreadable")


@dataclass(frozen=True)
class CheckRequest:
    paths: Sequence[str | Path]
    format_id: str | None = None
    spec: str | Path | None = None
    year: int | None = None
    roster: str | Path | None = None
    prior: Sequence[str | Path] = ()
    annotate: str | Path | None = None
    password: str | None = None  # protection of the annotated copies (default: derived)
    workers: int | None = None
    county: str | None = None  # --county: the county the returns must be for
    round_no: int = 1  # --round: the how-manieth time the returns are sent back (file names)


@dataclass
class CheckResult:
    files: list[CheckedFile]  # every file found, in path order (skipped ones included)
    prior_files: list[CheckedFile] = field(default_factory=list)
    annotated: list[Path] = field(default_factory=list)  # copies written by --annotate
    roster: RosterView | None = None  # with --roster: who has not reported, who sent several
    #: The year most files say when --year says another: --year was most likely mistyped
    #: (exit status 2, and no file is to be sent back for its year).
    year_hint: int | None = None
    asked_year: int | None = None
    roster_notes: list[str] = field(default_factory=list)  # what reading the roster normalised

    @property
    def checked(self) -> list[CheckedFile]:
        return [f for f in self.files if not f.skipped]

    @property
    def exit_code(self) -> int:
        return 2 if self.year_hint is not None else exit_code(self.files, self.prior_files)

    def year_hint_message(self) -> str:
        """The line saying --year is most likely mistyped (only with a ``year_hint``)."""
        assert self.year_hint is not None and self.asked_year is not None
        known = [f for f in self.checked if f.report.year is not None and not f.report.unreadable]
        saying = sum(1 for f in known if f.report.year == self.year_hint)
        return year_hint_text(self.asked_year, self.year_hint, len(known), saying)

    def to_json(self) -> str:
        """The ``check --json`` document (without the final newline)."""
        doc = json_document(self.files, prior=self.prior_files, annotated=self.annotated)
        doc["summary"]["exit_code"] = self.exit_code
        if self.roster is not None:
            doc["roster"] = _roster_json(self.roster)
        if self.year_hint is not None and self.asked_year is not None:
            doc["year_hint"] = {
                "asked": self.asked_year,
                "likely": self.year_hint,
                "message": self.year_hint_message(),
            }
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _reword_year(files: Sequence[CheckedFile], likely: int) -> None:
    """The year findings of a run whose --year is most likely wrong: no advice to return."""
    hint = f"很可能是 --year 写错了：多数文件是 {likely} 年度，请改用 --year {likely} 重新校验。"
    for c in files:
        c.report.findings = [
            replace(f, hint=hint) if f.code == "year-mismatch" else f for f in c.report.findings
        ]


def exit_code(files: Sequence[CheckedFile], prior: Sequence[CheckedFile] = ()) -> int:
    """2: an input cannot be read as a return; 1: some error finding; 0: clean
    (warnings, skipped files and last year's findings do not count)."""
    checked = [f for f in files if not f.skipped]
    if any(f.report.unreadable for f in [*checked, *prior]):
        return 2
    return 1 if any(f.report.errors for f in checked) else 0


def _priors(
    paths: Sequence[str | Path], workers: int | None
) -> tuple[dict[str, ReturnData], list[CheckedFile]]:
    if not paths:
        return {}, []
    with prior_workbooks(paths) as books:  # last year's published reports, imported (issue 14)
        checked = [c for c in check_paths(books, CheckOptions(), workers=workers) if not c.skipped]
    index: dict[str, ReturnData] = {}
    for c in checked:
        if c.data is None:
            continue
        key = prior_key(c.data.identity)
        if key in index:
            raise UsageError(
                f"--prior 给出的 {index[key].path} 和 {c.data.path} 属于同一单位（{key}）",
                "每个单位只给一份上年报表",
            )
        index[key] = c.data
    return index, checked


def check_files(req: CheckRequest) -> CheckResult:
    """Check every workbook under ``req.paths`` (and last year's, ``req.prior``); with
    ``req.annotate``, write the copies to send back. Usage errors: :class:`UsageError`."""
    if not req.paths:
        raise UsageError("没有指定要校验的文件或文件夹", "用法：xlreport check 文件或文件夹…")
    if req.year is not None and not is_report_year(req.year):
        raise UsageError(
            f"--year {req.year} 不是有效的报告年度", f"应在 {YEAR_MIN}–{YEAR_MAX} 之间"
        )
    layout = resolve_layout(req.format_id, req.spec) if req.format_id or req.spec else None
    roster = None
    notes: list[str] = []
    if req.roster is not None:
        roster = {a.code: a.name for a in load_roster(req.roster, notes=notes)}
    if not 1 <= req.round_no <= 99:
        raise UsageError(f"--round {req.round_no} 不是有效的轮次", "应为 1–99，如 --round 2")
    if req.annotate is not None:
        annotate_folder(Path(req.annotate))
    prior, prior_files = _priors(req.prior, req.workers)
    options = CheckOptions(
        layout=layout,
        year=req.year,
        roster_codes=roster,
        prior=prior,
        county=county_option(req.county),
    )
    files = check_paths(req.paths, options, workers=req.workers, keep="check")
    if not any(not f.skipped for f in files):
        skipped = "；".join(f"{printable(f.report.path)}：{f.skipped}" for f in files[:5])
        more = f"等 {len(files)} 个" if len(files) > 5 else ""
        raise UsageError(
            "没有找到可以校验的电子表格文件" + (f"（跳过了{more}：{skipped}）" if files else ""),
            "请指定 .xlsx 文件或包含 .xlsx 文件的文件夹",
        )
    run = CheckResult(files, prior_files, asked_year=req.year, roster_notes=notes)
    if roster is not None:
        run.roster = roster_view(files, roster)
    known = [f.report.year for f in run.checked if not f.report.unreadable]
    run.year_hint = suspect_year(known, req.year)
    if run.year_hint is not None:
        _reword_year(run.checked, run.year_hint)
        return run  # no annotated copies: the files are not what is wrong
    if req.annotate is not None:
        copies = annotate_returns(
            AnnotateRequest(run.checked, req.annotate, req.password, round_no=req.round_no)
        )
        run.annotated = list(copies.written)
    return run


def county_option(county: str | None) -> str | None:
    """--county as given (None: not checked); an empty one is a usage error."""
    if county is None:
        return None
    if not county.strip():
        raise UsageError(
            "--county 不能为空", "例如 --county 清河县（与制作模板时的 --county 相同）"
        )
    return county.strip()


# --- JSON ------------------------------------------------------------------------------

_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _file_json(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "agency": {"code": report.agency_code, "name": report.agency_name},
        "layout": report.layout,
        "year": report.year,
        "status": report.status,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [f.to_dict() for f in report.findings],
    }


def summary(files: Sequence[CheckedFile], prior: Sequence[CheckedFile] = ()) -> dict[str, Any]:
    """How many files were checked, with which status, and the exit status."""
    checked = [f for f in files if not f.skipped]
    counts = {s: sum(1 for f in checked if f.report.status == s) for s in STATUSES}
    return {
        "files": len(checked),
        **counts,
        "skipped": len(files) - len(checked),
        "errors": sum(f.report.errors for f in checked),
        "warnings": sum(f.report.warnings for f in checked),
        "exit_code": exit_code(files, prior),
    }


def json_document(
    files: Sequence[CheckedFile],
    *,
    prior: Sequence[CheckedFile] = (),
    annotated: Sequence[Path] = (),
) -> dict[str, Any]:
    """The --json document of checked files (skipped ones listed apart, with the reason)."""
    return {
        "files": [_file_json(f.report) for f in files if not f.skipped],
        "skipped": [{"path": f.report.path, "reason": f.skipped} for f in files if f.skipped],
        "prior": [_file_json(f.report) for f in prior],
        "annotated": [str(p) for p in annotated],
        "summary": summary(files, prior),
    }


def _roster_json(view: RosterView) -> dict[str, Any]:
    return {
        "size": view.size,
        "missing": [{"code": c, "name": n} for c, n in view.missing],
        "several_files": [
            {"code": c, "name": n, "versions": v, "files": ps} for c, n, v, ps in view.several
        ],
    }
