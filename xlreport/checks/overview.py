"""What a whole check run says beyond each file: who on the roster has not sent anything,
who sent several different files, and a ``--year`` that most files contradict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xlreport.checks.model import CheckedFile
from xlreport.identity import WORKBOOK_KIND_SUMMARY


@dataclass
class RosterView:
    size: int
    missing: list[tuple[str, str]] = field(default_factory=list)  # (code, name), roster order
    #: (code, name, versions, paths): agencies with more than one different file (versions:
    #: how many different contents; paths: every file, copies included), roster order first
    several: list[tuple[str, str, int, list[str]]] = field(default_factory=list)


def _codes(c: CheckedFile) -> list[str]:
    data = c.data
    if data is not None and data.identity.kind == WORKBOOK_KIND_SUMMARY:
        return list(data.identity.contributors)
    return [c.report.agency_code] if c.report.agency_code else []


def roster_view(files: Sequence[CheckedFile], roster: Mapping[str, str]) -> RosterView:
    """Roster agencies without any file, and agencies with several different files."""
    versions: dict[str, dict[str, list[str]]] = {}  # code → content → paths
    names: dict[str, str] = {}
    for c in files:
        if c.skipped or c.report.unreadable:
            continue
        content = c.data.sha256 if c.data is not None else c.report.path
        for code in _codes(c):
            versions.setdefault(code, {}).setdefault(content, []).append(c.report.path)
            names.setdefault(code, c.report.agency_name)
    view = RosterView(size=len(roster))
    view.missing = [(code, name) for code, name in roster.items() if code not in versions]
    order = {code: i for i, code in enumerate(roster)}
    for code in sorted(versions, key=lambda k: (order.get(k, len(order)), k)):
        if len(versions[code]) > 1:
            name = roster.get(code) or names.get(code, "")
            paths = sorted(p for ps in versions[code].values() for p in ps)
            view.several.append((code, name, len(versions[code]), paths))
    return view


#: Files of known year needed before a --year most of them contradict is called mistyped.
MIN_FILES = 2


def suspect_year(years: Sequence[int | None], asked: int | None) -> int | None:
    """The year most files say when it is not ``asked`` and more than half of the files
    whose year is known (at least MIN_FILES of them) say it: ``--year`` was most likely
    mistyped. None otherwise (one file of another year is that file's own finding, whose
    hint names both possibilities)."""
    known = [y for y in years if y is not None]
    if asked is None or len(known) < MIN_FILES:
        return None
    year, count = Counter(known).most_common(1)[0]
    if year != asked and count * 2 > len(known):
        return year
    return None
