"""`xlreport check` as one library call: options in, every checked file (and copies) out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlreport.batch import check_paths
from xlreport.checks.annotate import annotate_files
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.overview import RosterView, roster_view, suspect_year
from xlreport.checks.workbook_check import prior_key
from xlreport.errors import UsageError
from xlreport.outputs import check_folder_writable
from xlreport.roster import load_roster
from xlreport.safetext import printable
from xlreport.spec import resolve_layout

YEAR_MIN, YEAR_MAX = 2008, 2100


@dataclass
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
class CheckRun:
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


def year_hint_text(asked: int, likely: int, files: int, saying: int, doing: str = "校验") -> str:
    return (
        f"本次{doing}要求 {asked} 年度（--year {asked}），但 {files} 个文件中有 {saying} 个是 "
        f"{likely} 年度的报表：很可能是 --year 写错了，请改用 --year {likely} 重新{doing}"
        "（不要因为年度把报表退回单位）。"
    )


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
    checked = [c for c in check_paths(paths, CheckOptions(), workers=workers) if not c.skipped]
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


def run_check(req: CheckRequest) -> CheckRun:
    if not req.paths:
        raise UsageError("没有指定要校验的文件或文件夹", "用法：xlreport check 文件或文件夹…")
    if req.year is not None and not YEAR_MIN <= req.year <= YEAR_MAX:
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
    if req.annotate is not None and Path(req.annotate).exists() and not Path(req.annotate).is_dir():
        raise UsageError(f"--annotate 应为文件夹，但 {req.annotate} 是文件", "请指定一个文件夹")
    if req.annotate is not None:
        check_folder_writable(Path(req.annotate), "退回修改稿（--annotate）")
    prior, prior_files = _priors(req.prior, req.workers)
    options = CheckOptions(
        layout=layout, year=req.year, roster_codes=roster, prior=prior, county=_county(req.county)
    )
    files = check_paths(req.paths, options, workers=req.workers, keep="check")
    if not any(not f.skipped for f in files):
        skipped = "；".join(f"{printable(f.report.path)}：{f.skipped}" for f in files[:5])
        more = f"等 {len(files)} 个" if len(files) > 5 else ""
        raise UsageError(
            "没有找到可以校验的电子表格文件" + (f"（跳过了{more}：{skipped}）" if files else ""),
            "请指定 .xlsx 文件或包含 .xlsx 文件的文件夹",
        )
    run = CheckRun(files, prior_files, asked_year=req.year, roster_notes=notes)
    if roster is not None:
        run.roster = roster_view(files, roster)
    known = [f.report.year for f in run.checked if not f.report.unreadable]
    run.year_hint = suspect_year(known, req.year)
    if run.year_hint is not None:
        _reword_year(run.checked, run.year_hint)
        return run  # no annotated copies: the files are not what is wrong
    if req.annotate is not None:
        run.annotated = annotate_files(
            run.checked, Path(req.annotate), password=req.password, round_no=req.round_no
        )
    return run


def _county(county: str | None) -> str | None:
    """--county as given (None: not checked); an empty one is a usage error."""
    if county is None:
        return None
    if not county.strip():
        raise UsageError(
            "--county 不能为空", "例如 --county 清河县（与制作模板时的 --county 相同）"
        )
    return county.strip()
