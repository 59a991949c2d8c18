"""Findings: what checking a workbook reports, one per problem, at its cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
FileStatus = Literal["ok", "warning", "error", "unreadable"]


@dataclass(frozen=True)
class Finding:
    code: str  # stable, kebab-case, e.g. "formula-overwritten"
    severity: Severity
    message: str  # Chinese, complete
    file: str = ""
    sheet: str = ""
    cell: str = ""  # A1
    row_label: str = ""
    col_label: str = ""
    expected: str = ""
    found: str = ""
    hint: str = ""  # what to do, Chinese
    rule: str = ""  # H1…S3 when a consistency rule is broken

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FileReport:
    """Everything checking one file produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    agency_code: str = ""
    agency_name: str = ""
    layout: str = ""
    year: int | None = None
    unreadable: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def status(self) -> FileStatus:
        if self.unreadable:
            return "unreadable"
        if self.errors:
            return "error"
        return "warning" if self.warnings else "ok"
