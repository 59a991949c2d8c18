"""``merge_paths``: check every input, choose what counts, add it up, write the summary."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import IO

from xlreport.batch.check import iter_checked, skipped_file, worker_count
from xlreport.batch.discover import FoundFile, discover, file_key
from xlreport.batch.spill import ValueSpill
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.overview import suspect_year
from xlreport.errors import UsageError
from xlreport.fsutil import atomic_write_bytes, atomic_writer
from xlreport.identity import Identity
from xlreport.merge.document import summary_document, summary_id
from xlreport.merge.export import export_bytes, export_format, long_rows
from xlreport.merge.model import MergeResult, RosterAgency
from xlreport.merge.naming import derived_code, summary_identity
from xlreport.merge.narrative import NarrativeText, PriorSummary, load_prior, narrative
from xlreport.merge.outputs import guard_outputs
from xlreport.merge.select import coverage, select_returns
from xlreport.merge.status import RosterStatus, roster_status
from xlreport.merge.subtotals import group_coverage, group_values, grouper
from xlreport.merge.sums import merge_values
from xlreport.safetext import printable
from xlreport.spec.model import Layout
from xlreport.writer import write_workbook
from xlreport.writer.summary_sheets import summary_sheets_hook
from xlreport.years import year_hint_text

Progress = Callable[[int, int], None]
#: With a progress display, files are checked in about this many chunks of at least _CHUNK.
_CHUNKS = 10
_CHUNK = 200


def roster_map(
    roster: Sequence[RosterAgency] | None, options: CheckOptions
) -> dict[str, str] | None:
    """Agency code → name from --roster (or what the options already carry), in roster order."""
    if roster is not None:
        return {a.code: a.name for a in roster}
    return dict(options.roster_codes) if options.roster_codes is not None else None


def roster_types(roster: Sequence[RosterAgency] | None) -> dict[str, str] | None:
    """Agency code → the roster's 单位类型 (when the roster has that column)."""
    if roster is None:
        return None
    return {a.code: kind for a in roster if (kind := str(getattr(a, "type", "") or ""))}


def summary_password(identity: Identity) -> str:
    """The summary's sheet password: derived from its identity, so the bytes are reproducible.

    Protection only keeps the summary from being edited by accident; a summary is
    regenerated (xlreport merge), never edited.
    """
    key = f"{identity.layout_fingerprint}|{identity.year}|{identity.agency_code}|"
    key += ",".join(identity.contributors)
    return "xlr-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def check_all(
    found: Sequence[FoundFile],
    options: CheckOptions,
    workers: int | None,
    progress: Progress | None,
) -> list[CheckedFile]:
    """Every file ``found`` (:func:`discover`) checked as ``check_paths`` does (results in its order),
    keeping only what merging needs (``keep="merge"``, see ``xlreport.batch.worker_result``), the
    values in a temporary file (``xlreport.batch.spill``); with ``progress``, called about
    _CHUNKS times (at least every _CHUNK files) as results arrive."""
    todo = [str(f.path) for f in found if f.to_check]
    total = len(found)
    done = len(found) - len(todo)
    step = max(_CHUNK, -(-len(todo) // _CHUNKS))
    if progress is not None:
        progress(done, total)
    spill = ValueSpill()
    results = iter_checked(todo, options, worker_count(workers), "merge", spill.values)
    out: list[CheckedFile] = []
    with closing(results):  # interrupted: the workers are stopped now, not when collected
        for f in found:
            if not f.to_check:
                out.append(skipped_file(f))
                continue
            out.append(next(results))
            done += 1
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)
    return out


def _not_output(checked: Sequence[CheckedFile], *outputs: Path | None) -> list[CheckedFile]:
    """The inputs without our own outputs (a re-run over the folder that holds them)."""
    # an output not written yet is no input
    targets = {file_key(p, st) for p in outputs if p is not None and (st := _stat(p))}
    if not targets:
        return list(checked)
    return [c for c in checked if not _is_one_of(c.report.path, targets)]


def _is_one_of(path: str, targets: set[object]) -> bool:
    st = _stat(path)
    return st is not None and file_key(path, st) in targets


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def merge_paths(
    paths: Sequence[str | Path],
    out: str | Path,
    options: CheckOptions,
    *,
    roster: Sequence[RosterAgency] | None = None,
    name: str = "",
    export: str | Path | None = None,
    workers: int | None = None,
    code: str = "",
    progress: Progress | None = None,
    roster_file: str | Path | None = None,
    force: bool = False,
    prefer: Sequence[str | Path] = (),
    allow_missing: bool = False,
    confirm: Sequence[str | Path] = (),
    prior: str | Path | None = None,
    by_type: bool = False,
) -> MergeResult:
    """Merge the returns (and summaries) under ``paths`` into the summary workbook ``out``.

    Every input is checked as ``xlreport check`` does; ``options.layout``/``options.year``
    restrict the merge (None: the most common among valid inputs). ``name`` is the
    summary's agency name (e.g. 某某县), ``code`` its code (default: derived from the name).
    Nothing is written when nothing can be merged (``result.summary_written`` is False).
    ``progress(done, total)`` is called as files are checked. ``prefer``: the files that
    count when an agency has several differing versions (else such versions are a
    conflict); ``allow_missing``: roster agencies without a return do not make the exit
    status 1 (the summary says it is partial). ``confirm``: the files whose counts that look
    like dates are numbers (else such a return is left out, see
    :mod:`xlreport.merge.confirm`). ``options.county``: the county the returns
    must be for (None: they must agree on one). Before any file is checked, the outputs
    are (:mod:`xlreport.outputs`): never an input or ``roster_file``, an existing file
    only when it is an earlier output of ours or with ``force``. ``prior``: last year's
    summary, compared with in the narrative paragraph. ``by_type``: the statutory tables
    once more for each 单位类型 that has returns (:mod:`xlreport.merge.subtotals`).
    """
    out_path = Path(out)
    if out_path.suffix.lower() != ".xlsx":
        raise UsageError(f"汇总表必须保存为 .xlsx 文件：{out_path.name}", "例如 --out 汇总表.xlsx")
    export_path = Path(export) if export is not None else None
    if export_path is not None:
        export_format(export_path)
    codes = roster_map(roster, options)
    if (
        prior is not None
        and _key(prior) is not None
        and _key(prior) in (_key(out_path), _key(export_path or out_path))
    ):
        raise UsageError("--prior 不能与 --out/--export 是同一个文件", "请给出上年的汇总表")
    last_year = load_prior(prior) if prior is not None else None
    check_options = replace(options, roster_codes=codes)
    found = discover(paths)
    guard_outputs(paths, found, out_path, export_path, roster_file=roster_file, force=force)
    checked = check_all(found, check_options, workers, progress)
    checked = _not_output(checked, out_path, export_path)
    by_key = _input_keys(checked)
    preferred = _named_inputs("--prefer", prefer, by_key)
    confirmed = _named_inputs("--confirm", confirm, by_key)
    # the files named on the command line (however they were reached first)
    explicit = {by_key[k] for p in paths if Path(p).is_file() and (k := _key(p)) in by_key}
    return merge_checked(
        checked,
        out_path,
        options,
        roster=codes,
        name=name,
        export=export_path,
        code=code,
        prefer=preferred,
        explicit=explicit,
        allow_missing=allow_missing,
        confirm=confirmed,
        roster_types=roster_types(roster),
        prior=last_year,
        by_type=by_type,
    )


def _key(path: str | Path) -> object | None:
    st = _stat(path)
    return file_key(path, st) if st is not None else None


def _input_keys(checked: Sequence[CheckedFile]) -> dict[object, str]:
    """The inputs' file identities → their paths as the results show them."""
    out: dict[object, str] = {}
    for c in checked:
        k = _key(c.report.path)
        if k is not None:
            out[k] = c.report.path
    return out


def _named_inputs(
    option: str, named: Sequence[str | Path], by_key: Mapping[object, str]
) -> set[str]:
    """The input paths (as the results show them) of the files given with ``option``
    (--prefer, --confirm): each must be one of the inputs (a usage error otherwise)."""
    out: set[str] = set()
    for p in named:
        k = _key(p)
        found = by_key.get(k) if k is not None else None
        if found is None:
            raise UsageError(
                f"{option} 给出的文件 {printable(str(p))} 不在本次汇总的输入中",
                f"{option} 只能指定要汇总的文件之一（也要作为输入给出，或在输入的文件夹中）",
            )
        out.add(found)
    return out


def merge_checked(
    checked: Sequence[CheckedFile],
    out: Path,
    options: CheckOptions,
    *,
    roster: Mapping[str, str] | None = None,
    name: str = "",
    export: Path | None = None,
    code: str = "",
    prefer: Collection[str] = (),
    explicit: Collection[str] = (),
    allow_missing: bool = False,
    confirm: Collection[str] = (),
    roster_types: Mapping[str, str] | None = None,
    prior: PriorSummary | None = None,
    by_type: bool = False,
) -> MergeResult:
    """The part of :func:`merge_paths` after checking (no file is read here)."""
    own = code.strip() or (derived_code(name) if name.strip() else "")
    sel = select_returns(
        checked,
        options.layout,
        options.year,
        own_code=own,
        prefer=prefer,
        explicit=explicit,
        county=options.county,
        blank_as_zero=options.blank_as_zero,
        confirm=confirm,
    )
    status = roster_status(sel.files, roster)
    result = MergeResult(
        out=out,
        files=sel.files,
        agencies=status.rows,
        layout=sel.layout,
        year=sel.year,
        counted=sel.counted,
        missing=status.missing,
        not_in_roster=status.not_in_roster,
        roster_size=len(roster) if roster is not None else None,
        allow_missing=allow_missing,
    )
    _year_hint(result, checked, options.year)
    if not sel.counted or sel.layout is None or sel.year is None:
        result.problem = _nothing_reason(checked)
        return result
    layout, year = sel.layout, sel.year
    contributors: set[str] = set()
    for d in sel.counted:
        contributors |= coverage(d)
    identity = summary_identity(layout, year, contributors, name=name, code=code)
    # each 单位类型's sums, and the summary's as theirs added up (exact: the same numbers
    # as adding every return, with each return's values read once)
    by_group = group_values(layout, sel.counted, grouper(roster_types))
    values = merge_values(layout, by_group.values())
    result.identity, result.values = identity, values
    if prior is not None and prior.year >= year:
        raise UsageError(
            f"--prior 给出的是 {prior.year} 年度的汇总表，本次汇总的是 {year} 年度",
            "--prior 应为上一年度的汇总表",
        )
    result.narrative = narrative(layout, values, prior.values if prior else None)
    result.summary_id = summary_id(identity, sel.counted)
    if by_type:
        result.by_type = group_coverage(sel.counted, grouper(roster_types))
    with atomic_writer(out) as fh:
        write_summary(
            fh,
            layout,
            identity,
            values,
            sel.counted,
            result,
            status,
            roster_types,
            result.narrative,
            by_type,
            by_group,
        )
    result.summary_written = True
    if export is not None:
        rows = long_rows(layout, sel.counted, identity, values)
        atomic_write_bytes(export, export_bytes(export, rows))
        result.export = export
    return result


def _year_hint(result: MergeResult, checked: Sequence[CheckedFile], asked: int | None) -> None:
    """--year that most inputs contradict: say so once, suggest their year."""
    known = [c.report.year for c in checked if not c.skipped and not c.report.unreadable]
    result.year_hint = suspect_year(known, asked)
    if result.year_hint is not None and asked is not None:
        saying = sum(1 for y in known if y == result.year_hint)
        result.year_hint_text = year_hint_text(
            asked, result.year_hint, sum(1 for y in known if y is not None), saying, "汇总"
        )


def write_summary(
    out: IO[bytes],
    layout: Layout,
    identity: Identity,
    values: dict[str, Decimal],
    counted: Sequence[ReturnData],
    result: MergeResult,
    status: RosterStatus,
    roster_types: Mapping[str, str] | None,
    story: NarrativeText | None,
    by_type: bool,
    by_group: Mapping[str, Mapping[str, Decimal]],
) -> None:
    """The summary written to ``out`` (seekable, at its start) as it is made: 概览, the
    statutory tables holding the sums (``by_type``: then once more per 单位类型), then the
    other sheets (:mod:`xlreport.merge.document`); ``by_group``: each 单位类型's sums
    (:func:`~xlreport.merge.subtotals.group_values`)."""
    doc = summary_document(
        layout,
        identity,
        values,
        counted,
        result.files,
        status,
        result.roster_size,
        roster_types,
        story,
        by_type,
        by_group,
    )
    password = summary_password(identity)
    inputs: dict[str, Decimal | str] = {c.id: values[c.id] for c in layout.inputs()}
    write_workbook(
        out,
        layout,
        identity,
        password=password,
        values=inputs,
        before_sheets=summary_sheets_hook(doc.before, password),
        after_sheets=summary_sheets_hook(doc.after, password),
        cover=doc.cover,
        tables=doc.tables,
    )


def _nothing_reason(checked: Sequence[CheckedFile]) -> str:
    if not checked:
        return "没有找到任何 .xlsx 文件"
    return f"收到的{len(checked)}个文件都不能计入汇总（原因见下）"
