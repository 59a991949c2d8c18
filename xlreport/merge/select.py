"""Which input counts: errors out, one layout, year and county, duplicates once, one version
of each agency (differing versions are a conflict unless one is preferred, see
``xlreport.merge.versions``), and a summary never mixed with the inputs it could contain.

Pure: works on what ``check_paths`` produced, never reads a file. The result does not depend
on the order of the inputs.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from xlreport.checks.catalogue import CATALOGUE, IDENTITY_GROUP
from xlreport.checks.model import CheckedFile, ReturnData
from xlreport.findings import FileReport
from xlreport.identity import CONTRIBUTOR_SEPARATOR, WORKBOOK_KIND_SUMMARY, normal_name
from xlreport.mapped_view import MappedView
from xlreport.merge.confirm import drop_unconfirmed
from xlreport.merge.model import FileOutcome, FileOutcomes, agency_key, agency_name, base_name
from xlreport.merge.naming import DERIVED_PREFIX
from xlreport.merge.versions import resolve_versions, version_key
from xlreport.spec.model import Layout

#: Other files named in one overlap reason at most.
_NAMED = 5
_K = TypeVar("_K", int, str, tuple[str, str])


@dataclass
class Selection:
    layout: Layout | None
    year: int | None
    files: FileOutcomes  # every input, in file order
    counted: Sequence[ReturnData] = ()  # sorted by agency code


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


@dataclass(slots=True)
class Candidate:
    """What choosing needs to know of an input that may count (or is a draft of an agency),
    made once from its checked file, without its values: 100,000 inputs are decided
    without holding their records (which may wait in a temporary file)."""

    sha256: str
    layout: Layout
    year: int
    county: str | None  # normalised (:func:`normal_name`); None for a summary
    agency: str  # :func:`agency_key`
    version: str  # :func:`~xlreport.merge.versions.version_key`
    generic: bool  # no agency code: known by the name it typed
    coded_name: bool  # not a summary, not generic, and it states a name
    coverage: frozenset[str] | None  # a summary's contributors (None: just ``agency``)
    blanks: int

    @property
    def covers(self) -> frozenset[str]:
        return self.coverage if self.coverage is not None else frozenset({self.agency})


def candidate(data: ReturnData) -> Candidate:
    summary = is_summary(data)
    agency = agency_key(data)
    version = version_key(data)
    generic = not data.identity.agency_code and version.startswith(DERIVED_PREFIX)
    return Candidate(
        data.sha256,
        data.layout,
        data.identity.year,
        None if summary else sys.intern(normal_name(data.identity.county)),
        agency,
        version,
        generic,
        not generic and not summary and bool(agency_name(data)),
        frozenset(data.identity.contributors) if summary and data.identity.contributors else None,
        data.blank_cells,
    )


def in_file_order(checked: Sequence[CheckedFile]) -> Sequence[CheckedFile]:
    """``checked`` in :func:`file_order`: itself when it already is (the campaign's records
    come sorted by their stored paths), else sorted (stable)."""
    previous: tuple[str, str, str] | None = None
    for key in map(file_order, checked):
        if previous is not None and key < previous:
            return sorted(checked, key=file_order)
        previous = key
    return checked


def select_returns(
    checked: Sequence[CheckedFile],
    layout: Layout | None = None,
    year: int | None = None,
    *,
    own_code: str = "",
    prefer: Collection[str] = (),
    explicit: Collection[str] = (),
    county: str | None = None,
    blank_as_zero: bool = False,
    confirm: Collection[str] = (),
) -> Selection:
    """Decide for every input whether it counts; ``layout``/``year`` default to the most
    common among the returns without errors (ties: the later year, the larger layout id).
    A summary whose code is ``own_code`` (the summary being made: an earlier run's output
    lying in an input folder) is skipped, never merged into itself — unless its path is in
    ``explicit`` (named on the command line: never silently skipped). ``prefer``: paths of
    the inputs that count when an agency has several differing versions. ``county`` None:
    the returns must agree on one county (those of another are left out). ``confirm``:
    paths of the inputs whose counts that look like dates are numbers (else such a return
    is left out, see :mod:`xlreport.merge.confirm`).

    Each input is looked at once to make its :class:`Candidate`; the inputs are read
    again only where a decision needs more (versions to compare, a reason to word), so
    ``checked`` may be a sequence that makes its items when asked (a
    :class:`~xlreport.batch.spill.SpilledList`)."""
    ordered = in_file_order(checked)
    outcomes: dict[int, FileOutcome] = {}
    facts: dict[int, Candidate] = {}  # the valid inputs, and the erroneous ones with data
    valid: list[int] = []
    wanted: set[str] = set()  # a preferred file's byte-identical copy stands for it
    for i, cf in enumerate(ordered):
        rep, data = cf.report, cf.data
        if data is not None and rep.path in prefer:
            wanted.add(data.sha256)
        if data is None and cf.skipped:
            outcomes[i] = FileOutcome(cf, "skipped", f"未校验：{cf.skipped}")
        elif data is None or rep.unreadable:
            first = next((f.code for f in rep.findings if f.severity == "error"), "")
            outcomes[i] = FileOutcome(cf, "unreadable", _unreadable_reason(rep), reason_code=first)
        elif rep.errors:
            outcomes[i] = FileOutcome(cf, "error", _error_reason(rep))
            # an erroneous file is a version too (a draft, say), unless its identity is
            # in doubt (another county's, another agency's figures …)
            if agency_key(data) and not _identity_in_doubt(rep):
                facts[i] = candidate(data)
        elif not agency_key(data):
            reason = "工作簿中既没有单位编码，也没有填写单位名称，无法确定是哪个单位的报表"
            outcomes[i] = FileOutcome(cf, "unidentified", reason)
        elif CONTRIBUTOR_SEPARATOR in agency_key(data):
            reason = (
                f"单位编码“{agency_key(data)}”含有逗号：汇总表用逗号分隔所含单位，"
                "这个编码会被读成两个单位，无法汇总；请改正名单和模板中的单位编码"
            )
            outcomes[i] = FileOutcome(cf, "unidentified", reason)
        elif (
            own_code
            and is_summary(data)
            and data.identity.agency_code == own_code
            and rep.path not in explicit
        ):
            reason = (
                f"这是本单位（{data.identity.agency_name}）此前生成的汇总表，"
                "本次重新汇总，不把它作为输入"
            )
            outcomes[i] = FileOutcome(cf, "skipped", reason)
        else:
            valid.append(i)
            facts[i] = candidate(data)

    if layout is None:
        by_id = {(facts[i].layout.id, facts[i].layout.fingerprint): facts[i].layout for i in valid}
        chosen = _most_common((facts[i].layout.id, facts[i].layout.fingerprint) for i in valid)
        layout = by_id[chosen] if chosen else None
    if year is None:
        year = _most_common(facts[i].year for i in valid)

    same: list[int] = []
    for i in valid:
        reason = _mismatch(facts[i], layout, year)
        if reason:
            outcomes[i] = FileOutcome(ordered[i], "mismatch", reason)
        else:
            same.append(i)

    if county is None:
        same = _one_county(ordered, facts, same, outcomes)
    unique = _drop_duplicates(ordered, facts, same, outcomes)
    drafts = [
        i
        for i, c in facts.items()
        if outcomes.get(i) is not None
        and outcomes[i].status == "error"
        and not _mismatch(c, layout, year)
    ]
    members = sorted([*unique, *drafts])
    draft_notes: dict[int, str] = {}
    latest = resolve_versions(
        ordered,
        members,
        set(unique),
        lambda i: facts[i].sha256 in wanted,
        outcomes,
        layout,
        draft_notes,
        facts,
    )
    counted = _drop_overlaps(ordered, facts, latest, outcomes)
    if not blank_as_zero:
        counted = _drop_blanks(ordered, facts, counted, outcomes)
    counted, notes = drop_unconfirmed(ordered, counted, outcomes, set(confirm))
    merged_notes: dict[int, str] = {}
    for i in counted:
        note = "；".join(n for n in (draft_notes.get(i, ""), notes.get(i, "")) if n)
        if note:
            merged_notes[i] = note
    by_agency = sorted(counted, key=lambda i: facts[i].agency)
    files = FileOutcomes(ordered, outcomes, merged_notes)
    return Selection(layout, year, files, MappedView(by_agency, lambda i: _data(ordered[i])))


def _data(cf: CheckedFile) -> ReturnData:
    assert cf.data is not None
    return cf.data


def _identity_in_doubt(report: FileReport) -> bool:
    return any(
        f.severity == "error"
        and (k := CATALOGUE.get(f.code)) is not None
        and k.group == IDENTITY_GROUP
        for f in report.findings
    )


def _mismatch(c: Candidate, layout: Layout | None, year: int | None) -> str:
    if layout is not None and c.layout.id != layout.id:
        return (
            f"报表布局为“{c.layout.id}”（{c.layout.name}），与本次汇总的“{layout.id}”不同，未汇总"
        )
    if layout is not None and c.layout.fingerprint != layout.fingerprint:
        return (
            f"报表布局“{c.layout.id}”的版本（指纹 {c.layout.fingerprint}）"
            f"与本次汇总所用版本（指纹 {layout.fingerprint}）不同，未汇总"
        )
    if year is not None and c.year != year:
        return f"报告年度为{c.year}年，与本次汇总的{year}年不同，未汇总"
    return ""


def _drop_duplicates(
    ordered: Sequence[CheckedFile],
    facts: dict[int, Candidate],
    idx: list[int],
    outcomes: dict[int, FileOutcome],
) -> list[int]:
    """Byte-identical files count once: the one with the shortest name (“X.xlsx” rather
    than “X (1).xlsx”), then the first name, then the first path."""
    first_of: dict[str, int] = {}
    twins: dict[str, list[int]] = {}  # only the contents met more than once
    for i in idx:
        sha = facts[i].sha256
        if sha in first_of:
            twins.setdefault(sha, [first_of[sha]]).append(i)
        else:
            first_of[sha] = i

    def preference(i: int) -> tuple[int, str, str]:
        name = base_name(ordered[i].report.path)
        return (len(name), name, ordered[i].report.path)

    keep: list[int] = [i for sha, i in first_of.items() if sha not in twins]
    for members in twins.values():
        first = min(members, key=preference)
        keep.append(first)
        twin = base_name(ordered[first].report.path)
        for i in members:
            if i != first:
                reason = f"与文件“{twin}”完全相同（SHA-256 一致），只计一次"
                outcomes[i] = FileOutcome(ordered[i], "duplicate", reason, instead=twin)
    return sorted(keep)


def _drop_overlaps(
    ordered: Sequence[CheckedFile],
    facts: dict[int, Candidate],
    idx: list[int],
    outcomes: dict[int, FileOutcome],
) -> list[int]:
    """A summary is never mixed with an input it could contain: when two inputs speak for
    one agency (a summary and that agency's return, or two summaries sharing agencies),
    neither counts — an old summary must not outrank corrected returns, nor they it."""
    first_owner: dict[str, int] = {}
    owners: dict[str, list[int]] = {}  # only the agencies spoken for more than once
    for i in idx:
        for code in facts[i].covers:
            if code in first_owner:
                owners.setdefault(code, [first_owner[code]]).append(i)
            else:
                first_owner[code] = i
    del first_owner
    clashes: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code, who in owners.items():
        for i in who:
            for j in who:
                if i != j:
                    clashes[i][j].append(code)
    keep: list[int] = []
    for i in idx:
        if i not in clashes:
            keep.append(i)
            continue
        parts = []
        for j, codes in sorted(clashes[i].items())[:_NAMED]:
            other = ordered[j].data
            assert other is not None
            kind = "汇总表" if is_summary(other) else "报表"
            shown = "、".join(sorted(codes)[:5]) + ("等" if len(codes) > 5 else "")
            parts.append(f"{kind}“{base_name(other.path)}”（共同的单位：{shown}）")
        first = min(clashes[i])
        reason = (
            "汇总表不能与它所含单位的报表（或含相同单位的另一份汇总表）一起汇总，"
            f"本文件与{'、'.join(parts)}"
            + (f"等{len(clashes[i])}个文件" if len(clashes[i]) > _NAMED else "")
            + "都含有相同单位，均未汇总；"
            "请移走旧汇总表（或这些报表）后重新汇总"
        )
        if any(_same_code_summaries(ordered, i, j) for j in clashes[i]):
            reason += (
                "；编码相同的两份汇总表所含单位不同，如为两个不同地区（如同名的区），"
                "请各自重新汇总时用 --code 给出不同的编码"
            )
        outcomes[i] = FileOutcome(
            ordered[i],
            "overlap",
            reason,
            instead=base_name(ordered[first].report.path),
            reason_code="summary-overlap",
        )
    return sorted(keep)


def _same_code_summaries(ordered: Sequence[CheckedFile], i: int, j: int) -> bool:
    a, b = ordered[i].data, ordered[j].data
    return (
        a is not None
        and b is not None
        and is_summary(a)
        and is_summary(b)
        and a.identity.agency_code == b.identity.agency_code
    )


def _one_county(
    ordered: Sequence[CheckedFile],
    facts: dict[int, Candidate],
    idx: list[int],
    outcomes: dict[int, FileOutcome],
) -> list[int]:
    """Without --county, the returns must be for one county: those for another than the
    most common one are left out (a neighbouring county's template with the same codes)."""
    counties = [c for i in idx if (c := facts[i].county) is not None]
    ours = _most_common(counties)
    if ours is None or len(set(counties)) == 1:
        return idx
    keep: list[int] = []
    for i in idx:
        theirs = facts[i].county
        if theirs is None or theirs == ours:
            keep.append(i)
            continue
        reason = (
            f"这份报表的模板是发给“{theirs or '未指定县（区）'}”的，本次汇总的其他报表属于"
            f"“{ours or '未指定县（区）'}”，未汇总；如确应汇总，请用 --county 指定本次汇总的县（区）"
        )
        outcomes[i] = FileOutcome(ordered[i], "mismatch", reason, reason_code="county-conflict")
    return keep


def _drop_blanks(
    ordered: Sequence[CheckedFile],
    facts: dict[int, Candidate],
    idx: list[int],
    outcomes: dict[int, FileOutcome],
) -> list[int]:
    """A return with blank input cells is not counted unless merge is told to take blanks
    as 0 (``--blank-as-zero``): blank is not a number, and saying 0 is the agency's call."""
    keep: list[int] = []
    for i in idx:
        blanks = facts[i].blanks
        if not blanks:
            keep.append(i)
            continue
        reason = (
            f"有{blanks}个填报单元格为空白，未计入汇总：请单位补填（没有的填 0）；"
            "如确认空白即为 0，可加 --blank-as-zero 重新汇总"
        )
        outcomes[i] = FileOutcome(ordered[i], "blank", reason)
    return keep
