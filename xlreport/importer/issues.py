"""What the importer says about a document: refusals and per-cell issues, each with a
stable finding code (catalogued in xlreport/checks/catalogue_import.py)."""

from __future__ import annotations

from dataclasses import dataclass

from xlreport.codes import FindingCode
from xlreport.errors import XlreportError


class ImportRefused(XlreportError):
    """A document that cannot be imported at all; ``code`` says why."""

    def __init__(self, code: FindingCode, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.code: FindingCode = code


@dataclass(frozen=True)
class ImportIssue:
    """One thing noticed while importing, at its row and column of the statutory table
    (``cell``: the layout's cell id, when the issue is about one cell)."""

    code: FindingCode
    message: str
    sheet: str = ""
    cell: str = ""  # layout cell id
    row_label: str = ""
    col_label: str = ""
    found: str = ""
    expected: str = ""
