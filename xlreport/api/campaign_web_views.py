"""What the web pages of ``xlreport serve`` show: plain records filled by the API
(``xlreport.api.campaign_web``), rendered by ``xlreport.web``; each with ``to_json()``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


def _json(value: Any) -> dict[str, Any]:
    out = asdict(value)
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in out.items()}


@dataclass(frozen=True)
class FindingRow:
    severity: str  # error, warning, info
    code: str
    message: str
    sheet: str
    cell: str
    row_label: str
    col_label: str
    expected: str
    found: str
    hint: str
    mark: str = ""  # 已改正 / 仍存在 / 新出现 against the previous version, '' for a first


@dataclass(frozen=True)
class ChangedCellRow:
    sheet: str
    cell: str
    row_label: str
    col_label: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionRow:
    id: int
    round: int
    received_at: str
    original_name: str
    sha256: str
    verdict: str  # ok, warning, error
    errors: int
    warnings: int
    current: bool


@dataclass(frozen=True)
class ReceiptRow:
    number: str
    issued_at: str
    round: int | None
    file_name: str
    verdict: str
    errors: int
    warnings: int
    text: str  # the one line to paste into a message
    has_document: bool


@dataclass(frozen=True)
class EventRow:
    at: str
    kind: str
    from_state: str
    to_state: str
    reason: str
    text: str  # what happened, in Chinese


@dataclass(frozen=True)
class AgencyView:
    code: str
    name: str
    type: str
    state: str
    contact: str
    phone: str
    email: str
    versions: tuple[VersionRow, ...]
    findings: tuple[FindingRow, ...]  # the current version's, marked against the previous
    fixed: tuple[FindingRow, ...]  # the previous version's findings the current one fixed
    changed: tuple[ChangedCellRow, ...]
    receipts: tuple[ReceiptRow, ...]
    events: tuple[EventRow, ...]
    can_approve: bool
    can_return: bool
    can_unapprove: bool
    has_notice: bool

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True)
class RateRow:
    type: str  # 单位类型, '' for all
    expected: int
    received: int
    on_time: int
    approved: int
    needs_fix: int
    overdue: int
    report_rate: str  # "85.0%"
    on_time_rate: str


@dataclass(frozen=True)
class ContactRow:
    code: str
    name: str
    type: str
    state: str
    contact: str
    phone: str
    email: str


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    type: str
    state: str
    round: int | None
    received_at: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class ReminderList:
    key: str  # missing, returned, overdue
    title: str
    rows: tuple[ContactRow, ...]
    message: str  # the 催报 message to paste


@dataclass(frozen=True)
class BoardView:
    title: str
    year: int
    county: str
    deadline: str
    now: str
    counts: tuple[tuple[str, int], ...]  # state → agencies
    rates: tuple[RateRow, ...]  # all agencies first, then by 单位类型
    lists: tuple[ReminderList, ...]
    agencies: tuple[AgencyRow, ...]
    inbox_files: int
    summary_ready: bool

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True)
class LinkView:
    """What an agency sees through its link."""

    code: str
    name: str
    state: str
    title: str
    year: int
    deadline: str
    expires: str
    max_upload_mb: int
    versions: tuple[VersionRow, ...]
    receipts: tuple[ReceiptRow, ...]
    findings: tuple[FindingRow, ...]  # the current version's
    has_template: bool

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True)
class UploadOutcome:
    """The answer to one upload through a link."""

    accepted: bool  # recorded as a new version
    code: str  # the ingest's result code (or the refusal's)
    message: str  # in Chinese, what happened and what to do
    verdict: str  # ok, warning, error; '' when refused
    round: int | None
    findings: tuple[FindingRow, ...]
    fixed: tuple[FindingRow, ...]
    changed: tuple[ChangedCellRow, ...]
    receipt: ReceiptRow | None
    annotated: bool  # an annotated copy can be downloaded
    version_id: int | None

    def to_json(self) -> dict[str, Any]:
        return _json(self)


@dataclass(frozen=True)
class Download:
    path: Path  # the file to send (when ``data`` is None)
    filename: str
    media_type: str
    data: bytes | None = None  # made on request (an annotated copy, a zip)

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "filename": self.filename, "media_type": self.media_type}


@dataclass(frozen=True)
class ActionDone:
    message: str

    def to_json(self) -> dict[str, Any]:
        return _json(self)
