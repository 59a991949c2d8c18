"""Which input counts: errors out, one layout and year, duplicates once, the latest return of
each agency, and no agency counted twice through a summary.

Pure: works on what ``check_paths`` produced, never reads a file. The result does not depend
on the order of the inputs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from xlreport.checks.model import CheckedFile, ReturnData
from xlreport.findings import FileReport
from xlreport.identity import WORKBOOK_KIND_SUMMARY
from xlreport.merge.diff import describe_differences, differing_cells
from xlreport.merge.model import FileOutcome, agency_key, agency_name, base_name
from xlreport.spec.model import Layout

_K = TypeVar("_K", int, tuple[str, str])


@dataclass
class Selection:
    layout: Layout | None
    year: int | None
    files: list[FileOutcome]  # every input, in file order
    counted: list[ReturnData] = field(default_factory=list)  # sorted by agency code


def file_order(cf: CheckedFile) -> tuple[str, str, str]:
    """Inputs are handled by file name, content hash, then path: never by the order given."""
    sha = cf.data.sha256 if cf.data else ""
    return (base_name(cf.report.path), sha, cf.report.path)


def is_summary(data: ReturnData) -> bool:
    return data.identity.kind == WORKBOOK_KIND_SUMMARY


def coverage(data: ReturnData) -> frozenset[str]:
    """The agencies an input speaks for: itself, or every contributor of a summary."""
    if is_summary(data) and data.identity.contributors:
        return frozenset(data.identity.contributors)
    return frozenset({agency_key(data)})


def saved_timestamp(saved_at: str) -> float:
    """The workbook's own saved time as a POSIX time; -inf when absent or unreadable."""
    text = saved_at.strip()
    if not text:
        return -math.inf
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return -math.inf
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def recency(data: ReturnData) -> tuple[float, float, str]:
    """Later is newer: the workbook's saved time, then the file time, then the path."""
    return (saved_timestamp(data.saved_at), data.file_mtime, data.path)


def _first(report: FileReport, severity: str) -> str:
    for f in report.findings:
        if f.severity == severity:
            where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else f.cell or f.sheet
            return f"{where} {f.message}".strip() if where else f.message
    return ""


def _error_reason(report: FileReport) -> str:
    first = _first(report, "error")
    return f"校验发现{report.errors}个错误，例如：{first}" if first else "校验发现错误"


def _unreadable_reason(report: FileReport) -> str:
    first = next((f for f in report.findings if f.severity == "error"), None)
    if first is None:
        return "无法作为报表读取"
    return first.message + (f"；{first.hint}" if first.hint else "")


def _most_common(items: Iterable[_K]) -> _K | None:
    """The most frequent item; among equally frequent ones the largest."""
    counts = Counter(items)
    if not counts:
        return None
    top = max(counts.values())
    return max(k for k, n in counts.items() if n == top)


def select_returns(
    checked: Sequence[CheckedFile],
    layout: Layout | None = None,
    year: int | None = None,
    *,
    own_code: str = "",
    blank_as_zero: bool = False,
) -> Selection:
    """Decide for every input whether it counts; ``layout``/``year`` default to the most
    common among the returns without errors (ties: the later year, the larger layout id).
    A summary whose code is ``own_code`` (the summary being made: an earlier run's output
    lying among the inputs) is skipped, never merged into itself."""
    ordered = sorted(checked, key=file_order)
    outcomes: dict[int, FileOutcome] = {}
    valid: list[int] = []
    for i, cf in enumerate(ordered):
        rep, data = cf.report, cf.data
        if data is None and cf.skipped:
            outcomes[i] = FileOutcome(cf, "skipped", f"未校验：{cf.skipped}")
        elif data is None or rep.unreadable:
            outcomes[i] = FileOutcome(cf, "unreadable", _unreadable_reason(rep))
        elif rep.errors:
            outcomes[i] = FileOutcome(cf, "error", _error_reason(rep))
        elif not agency_key(data):
            reason = "工作簿中既没有单位编码，也没有填写单位名称，无法确定是哪个单位的报表"
            outcomes[i] = FileOutcome(cf, "unidentified", reason)
        elif own_code and is_summary(data) and data.identity.agency_code == own_code:
            reason = (
                f"这是本单位（{data.identity.agency_name}）此前生成的汇总表，"
                "本次重新汇总，不把它作为输入"
            )
            outcomes[i] = FileOutcome(cf, "skipped", reason)
        else:
            valid.append(i)

    def data_of(i: int) -> ReturnData:
        d = ordered[i].data
        assert d is not None
        return d

    if layout is None:
        by_id = {(d.layout.id, d.layout.fingerprint): d.layout for d in map(data_of, valid)}
        chosen = _most_common((data_of(i).layout.id, data_of(i).layout.fingerprint) for i in valid)
        layout = by_id[chosen] if chosen else None
    if year is None:
        year = _most_common(data_of(i).identity.year for i in valid)

    same: list[int] = []
    for i in valid:
        reason = _mismatch(data_of(i), layout, year)
        if reason:
            outcomes[i] = FileOutcome(ordered[i], "mismatch", reason)
        else:
            same.append(i)

    unique = _drop_duplicates(ordered, same, outcomes)
    latest = _keep_latest(ordered, unique, outcomes, layout)
    counted = _drop_overlaps(ordered, latest, outcomes)
    if not blank_as_zero:
        counted = _drop_blanks(ordered, counted, outcomes)
    for i in counted:
        outcomes[i] = FileOutcome(ordered[i], "merged")
    files = [outcomes[i] for i in range(len(ordered))]
    chosen_data = sorted((data_of(i) for i in counted), key=agency_key)
    return Selection(layout, year, files, chosen_data)


def _mismatch(data: ReturnData, layout: Layout | None, year: int | None) -> str:
    if layout is not None and data.layout.id != layout.id:
        return (
            f"报表布局为“{data.layout.id}”（{data.layout.name}），"
            f"与本次汇总的“{layout.id}”不同，未汇总"
        )
    if layout is not None and data.layout.fingerprint != layout.fingerprint:
        return (
            f"报表布局“{data.layout.id}”的版本（指纹 {data.layout.fingerprint}）"
            f"与本次汇总所用版本（指纹 {layout.fingerprint}）不同，未汇总"
        )
    if year is not None and data.identity.year != year:
        return f"报告年度为{data.identity.year}年，与本次汇总的{year}年不同，未汇总"
    return ""


def _drop_duplicates(
    ordered: Sequence[CheckedFile], idx: list[int], outcomes: dict[int, FileOutcome]
) -> list[int]:
    """Byte-identical files count once: the one with the shortest name (“X.xlsx” rather
    than “X (1).xlsx”), then the first name, then the first path."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        data = ordered[i].data
        assert data is not None
        groups[data.sha256].append(i)

    def preference(i: int) -> tuple[int, str, str]:
        name = base_name(ordered[i].report.path)
        return (len(name), name, ordered[i].report.path)

    keep: list[int] = []
    for members in groups.values():
        first = min(members, key=preference)
        keep.append(first)
        twin = base_name(ordered[first].report.path)
        for i in members:
            if i != first:
                reason = f"与文件“{twin}”完全相同（SHA-256 一致），只计一次"
                outcomes[i] = FileOutcome(ordered[i], "duplicate", reason, instead=twin)
    return sorted(keep)


def _keep_latest(
    ordered: Sequence[CheckedFile],
    idx: list[int],
    outcomes: dict[int, FileOutcome],
    layout: Layout | None,
) -> list[int]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        data = ordered[i].data
        assert data is not None
        groups[agency_key(data)].append(i)
    keep: list[int] = []
    for members in groups.values():

        def newness(i: int) -> tuple[float, float, str]:
            d = ordered[i].data
            assert d is not None
            return recency(d)

        winner = max(members, key=newness)
        keep.append(winner)
        won = ordered[winner].data
        assert won is not None
        win_name = base_name(won.path)
        for i in members:
            if i == winner:
                continue
            old = ordered[i].data
            assert old is not None
            diffs = differing_cells(layout, won.values, old.values) if layout else ()
            by = (
                "保存时间更晚"
                if saved_timestamp(won.saved_at) > saved_timestamp(old.saved_at)
                else (
                    "文件修改时间更晚" if won.file_mtime > old.file_mtime else "按文件路径排序在后"
                )
            )
            reason = (
                f"同一单位（{agency_name(won) or agency_key(won)}）另有报表“{win_name}”"
                f"（{by}），以它为准；{describe_differences(diffs)}"
            )
            outcomes[i] = FileOutcome(ordered[i], "superseded", reason, win_name, diffs)
    return sorted(keep)


def _drop_overlaps(
    ordered: Sequence[CheckedFile], idx: list[int], outcomes: dict[int, FileOutcome]
) -> list[int]:
    """Summaries first (most agencies first): an input whose agencies are already counted
    through another input is left out, naming them, so no agency is counted twice."""

    def priority(i: int) -> tuple[int, int, str]:
        d = ordered[i].data
        assert d is not None
        return (0 if is_summary(d) else 1, -len(coverage(d)), agency_key(d))

    owner: dict[str, int] = {}
    keep: list[int] = []
    for i in sorted(idx, key=priority):
        data = ordered[i].data
        assert data is not None
        clash = sorted(coverage(data) & owner.keys())
        if not clash:
            keep.append(i)
            owner.update(dict.fromkeys(coverage(data), i))
            continue
        other = ordered[owner[clash[0]]].data
        assert other is not None
        other_file = base_name(other.path)
        shown = "、".join(clash[:5]) + ("等" if len(clash) > 5 else "")
        reason = (
            f"单位 {shown}（共{len(clash)}个）已通过“{agency_name(other)}”的汇总表"
            f"“{other_file}”计入，再计入本文件会重复计算，未汇总；"
            "如需以本文件为准，请从汇总表中剔除这些单位后重新汇总"
        )
        outcomes[i] = FileOutcome(ordered[i], "overlap", reason, instead=other_file)
    return sorted(keep)


def _drop_blanks(
    ordered: Sequence[CheckedFile], idx: list[int], outcomes: dict[int, FileOutcome]
) -> list[int]:
    """A return with blank input cells is not counted unless merge is told to take blanks
    as 0 (``--blank-as-zero``): blank is not a number, and saying 0 is the agency's call."""
    keep: list[int] = []
    for i in idx:
        data = ordered[i].data
        assert data is not None
        if not data.blank_cells:
            keep.append(i)
            continue
        reason = (
            f"有{data.blank_cells}个填报单元格为空白，未计入汇总：请单位补填（没有的填 0）；"
            "如确认空白即为 0，可加 --blank-as-zero 重新汇总"
        )
        outcomes[i] = FileOutcome(ordered[i], "blank", reason)
    return keep
