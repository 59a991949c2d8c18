"""What the ledger's operations report: plain records, each with ``to_dict()`` for JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from xlreport.batch.spill import SpilledList
from xlreport.codes import FindingCode
from xlreport.jsonout import JsonArray

Outcome = Literal[
    "version", "duplicate", "unchanged", "refused", "already", "skipped", "unreadable"
]


@dataclass(frozen=True, slots=True)
class IngestItem:
    """What became of one file handed to ingest.

    ``outcome``: ``version`` (a new version of ``agency_code``), ``duplicate`` (bytes
    already received from elsewhere), ``unchanged`` (same values as the agency's current
    version: refused), ``refused`` (another campaign's file, an agency not on the roster,
    an unreadable file: recorded with ``code``), ``already`` (this very file was ingested
    before: nothing happened), ``skipped`` (not a spreadsheet, a lock file: not recorded),
    ``unreadable`` (the source could not be read or changed meanwhile: not recorded)."""

    source: str
    outcome: Outcome
    code: FindingCode | None
    message: str
    sha256: str = ""
    agency_code: str = ""
    round: int | None = None
    verdict: str = ""
    errors: int = 0
    warnings: int = 0
    state_before: str = ""
    state_after: str = ""
    receipt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)


@dataclass
class IngestReport:
    """Every file handed to one ingest, in order. The items wait in a temporary file
    (an ingest may be handed 100,000 files) and are counted as they are added."""

    check_run_id: int | None = None
    items: SpilledList[IngestItem] = field(default_factory=SpilledList, init=False)
    _counts: Counter[str] = field(default_factory=Counter, init=False, repr=False)

    def add(self, item: IngestItem) -> None:
        self.items.append(item)
        self._counts[item.outcome] += 1
        if item.errors:
            self._counts["with_errors"] += 1

    def extend(self, items: Iterable[IngestItem]) -> None:
        for item in items:
            self.add(item)

    def count(self, outcome: Outcome) -> int:
        return self._counts[outcome]

    @property
    def with_errors(self) -> int:
        """Items whose file has blocking findings (new versions and refusals alike)."""
        return self._counts["with_errors"]

    def json_document(self) -> dict[str, Any]:
        """For :mod:`xlreport.jsonout`: the items are written one by one."""
        return {
            "check_run_id": self.check_run_id,
            "counts": {o: self.count(o) for o in _OUTCOMES},
            "items": JsonArray(self.items, IngestItem.to_dict),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.json_document(), "items": [i.to_dict() for i in self.items]}


@dataclass(frozen=True)
class StateChange:
    """One agency's state change asked for (approve, return, unapprove) and what happened."""

    agency_code: str
    action: str
    done: bool
    state_before: str
    state_after: str
    code: FindingCode | None = None  # why it was refused
    message: str = ""
    version_round: int | None = None
    sha256: str = ""
    event_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RosterChange:
    code: str
    change: Literal["added", "renamed", "withdrawn", "restored", "details"]
    old: dict[str, str]
    new: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    """One thing ``verify`` found wrong."""

    code: FindingCode
    message: str
    event_id: int | None = None
    sha256: str = ""
    path: str = ""

    @property
    def blocking(self) -> bool:
        return self.code != "campaign-store-extra"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "blocking": self.blocking}
