"""The 报送情况 lines: every input file and every roster agency, each with its status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xlreport.batch.spill import IN_MEMORY, SpilledList
from xlreport.merge.diff import describe_differences
from xlreport.merge.model import (
    STATUS_MISSING,
    STATUS_TEXT,
    AgencyRow,
    FileOutcome,
    FileStatus,
    agency_key,
)
from xlreport.merge.select import coverage, is_summary

IN_ROSTER = "是"
NOT_IN_ROSTER = "否（不在名单中）"
_RANK: dict[FileStatus, int] = {
    "merged": 0,
    "duplicate": 1,
    "superseded": 2,
    "conflict": 3,
    "error": 3,
    "mismatch": 3,
    "overlap": 3,
    "unidentified": 3,
    "blank": 3,
    "unconfirmed": 3,
    "unreadable": 5,
    "skipped": 5,
}
_RANK_COVERED = 0
_RANK_MISSING = 6


def _places(files: Sequence[FileOutcome]) -> Sequence[int]:
    """Each file's place by (file name, hash): its index when the files come in that order
    (as merging gives them), else their ranks."""
    previous: tuple[str, str] | None = None
    for f in files:
        key = (f.file_name, f.sha256)
        if previous is not None and key < previous:
            by_name = sorted(range(len(files)), key=lambda i: (files[i].file_name, files[i].sha256))
            places = [0] * len(files)
            for place, i in enumerate(by_name):
                places[i] = place
            return places
        previous = key
    return range(len(files))


def blank_note(blanks: int) -> str:
    """How a counted return with blank cells is described (merge --blank-as-zero)."""
    return f"空白{blanks}格（按0计）"


@dataclass
class RosterStatus:
    rows: Sequence[AgencyRow]  # a SpilledList: 100,000 lines wait in a temporary file
    missing: list[tuple[str, str]] = field(default_factory=list)  # roster, no file at all
    not_reported: list[tuple[str, str]] = field(default_factory=list)  # roster, nothing counted
    not_in_roster: list[tuple[str, str]] = field(default_factory=list)  # counted, not on roster


def roster_status(
    files: Sequence[FileOutcome], roster: Mapping[str, str] | None, *, keep: int = IN_MEMORY
) -> RosterStatus:
    """One line per input file, one per roster agency counted through a summary, one
    未报送 line per roster agency with no file; ``roster`` maps code → name (None: no roster).
    The lines are ordered by code (the unidentified last), status, then file name and hash;
    they are made one at a time and wait in a :class:`SpilledList` (in memory up to
    ``keep`` of them)."""
    made: SpilledList[AgencyRow] = SpilledList(keep=keep)
    # sort keys without the rows' texts: (unidentified, code, rank, place by file name and
    # hash); a roster line's code is never also a file's
    ranked: list[tuple[int, str, int, int]] = []
    covered: set[str] = set()
    has_file: set[str] = set()
    not_in: dict[str, str] = {}
    via_summary: dict[str, FileOutcome] = {}

    def flag(code: str) -> str:
        if roster is None or not code:
            return ""
        return IN_ROSTER if code in roster else NOT_IN_ROSTER

    places = _places(files)
    for i, f in enumerate(files):
        data = f.data
        code = f.code
        name = f.agency_name or (roster or {}).get(code, "")
        has_file.add(code)
        note = f.reason
        if f.status == "superseded" and f.differences:
            # the sheet lists every differing cell; the terminal shows the first few
            note = f"以“{f.instead}”为准；" + describe_differences(
                f.differences, len(f.differences)
            )
        elif f.status == "conflict" and f.differences:
            head, _sep, rest = f.reason.partition("（与“")
            every = describe_differences(f.differences, len(f.differences), f"本文件→“{f.instead}”")
            note = f"{head}；{every}{rest.rpartition('）')[2]}"
        if f.status == "merged" and data is not None:
            covered |= coverage(data) | {code}
            if is_summary(data):
                via_summary.update(dict.fromkeys(coverage(data), f))
                note = f"汇总表，含{len(coverage(data))}个单位"
            if roster is not None and code not in roster:
                note = (note + "；" if note else "") + "该单位不在报送名单中，已计入汇总，请核实"
        if f.status == "merged" and data is not None and data.blank_cells:
            note = (note + "；" if note else "") + blank_note(data.blank_cells)
        ours = f.status == "skipped"  # e.g. our own earlier summary: no roster matter
        if roster is not None and code and code not in roster and data is not None and not ours:
            not_in[code] = name
        row = AgencyRow(
            code=code,
            name=name,
            status=STATUS_TEXT[f.status],
            in_roster="" if ours else flag(code),
            file_name=f.file_name,
            sha256=f.sha256,
            saved_at=data.saved_at if data else "",
            errors=f.checked.report.errors,
            warnings=f.checked.report.warnings,
            note=note,
            blanks=data.blank_cells if data is not None else None,
        )
        ranked.append((1 if not code else 0, code, _RANK[f.status], places[i]))
        made.append(row)

    out = RosterStatus(rows=[])
    for code, name in (roster or {}).items():
        if code in has_file:
            if code not in covered:
                out.not_reported.append((code, name))
            continue
        via = via_summary.get(code)
        if via is not None and via.data is not None:
            row = AgencyRow(
                code=code,
                name=name,
                status=STATUS_TEXT["merged"],
                in_roster=IN_ROSTER,
                file_name=via.file_name,
                sha256=via.sha256,
                saved_at=via.data.saved_at,
                note=f"含于“{via.agency_name or agency_key(via.data)}”的汇总表",
            )
            ranked.append((0, code, _RANK_COVERED, len(made)))
            made.append(row)
            continue
        out.missing.append((code, name))
        out.not_reported.append((code, name))
        row = AgencyRow(code, name, STATUS_MISSING, IN_ROSTER, note="名单中的单位，未收到报表")
        ranked.append((0, code, _RANK_MISSING, len(made)))
        made.append(row)
    order = sorted(range(len(ranked)), key=ranked.__getitem__)
    del ranked
    out.rows = SpilledList((made[i] for i in order), keep=keep)
    out.missing.sort()
    out.not_reported.sort()
    out.not_in_roster = sorted(not_in.items())
    return out
