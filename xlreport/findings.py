"""Findings: what checking a workbook reports, one per problem, at its cell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from xlreport.codes import FindingCode

#: How serious a finding (or a layout's rule) is. The one table of the words and their
#: Chinese names, most serious first: every report, sheet and document reads it.
Severity = Literal["error", "warning", "info"]
SEVERITY_ZH: Mapping[Severity, str] = {"error": "错误", "warning": "警告", "info": "提示"}
FileStatus = Literal["ok", "warning", "error", "unreadable"]
#: Where a finding belongs in a freshly built copy of the template: (visible sheet name,
#: 0-based row, 0-based column).
TemplatePos = tuple[str, int, int]


@dataclass(frozen=True)
class Finding:
    code: FindingCode  # stable, kebab-case, e.g. "formula-overwritten" (the catalogue's)
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
    #: Findings with the same cause are one thing to fix (the same rule broken in a column
    #: and in its 总计 column; a rule broken by an overwritten total): ``rule@sheet!cell`` of
    #: the group's first finding (xlreport.checks.causes). "" until the checks set it.
    cause: str = ""
    #: The cell of a fresh copy of the template to mark when `check --annotate` builds the
    #: copy for the agency (``sheet``/``cell`` say where the problem is in the file as
    #: received, where rows may have been inserted); None when no cell is to be marked.
    #: Not part of the finding's identity (equality) nor of its JSON.
    at: TemplatePos | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["at"]
        return out


@dataclass(slots=True)
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
