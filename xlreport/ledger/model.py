"""What the ledger's operations report: plain records, each with ``to_dict()`` for JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from xlreport.codes import FindingCode

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


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)
    check_run_id: int | None = None

    def count(self, outcome: Outcome) -> int:
        return sum(1 for i in self.items if i.outcome == outcome)

    def to_dict(self) -> dict[str, Any]:
        outcomes: tuple[Outcome, ...] = (
            "version",
            "duplicate",
            "unchanged",
            "refused",
            "already",
            "skipped",
            "unreadable",
        )
        return {
            "check_run_id": self.check_run_id,
            "counts": {o: self.count(o) for o in outcomes},
            "items": [i.to_dict() for i in self.items],
        }


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
