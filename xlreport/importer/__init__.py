"""Importing published annual reports (HTML pages, Word, PDF, text) back into returns.

Layer: above spec/reader/writer, below checks (``check --prior`` uses
:func:`prior_workbooks`). Readers turn each kind into a common grid
(:mod:`xlreport.importer.grid`); :mod:`xlreport.importer.match` detects the layout from
the table headers and matches every cell by its labels.
"""

from xlreport.importer.document import ImportOutcome, import_document, import_path, read_document
from xlreport.importer.issues import ImportIssue, ImportRefused
from xlreport.importer.limits import DEFAULT_IMPORT_LIMITS, ImportLimits
from xlreport.importer.workbook import (
    identity_of,
    is_document,
    prior_workbooks,
    workbook_bytes,
    workbook_name,
)

__all__ = [
    "DEFAULT_IMPORT_LIMITS",
    "ImportIssue",
    "ImportLimits",
    "ImportOutcome",
    "ImportRefused",
    "identity_of",
    "import_document",
    "import_path",
    "is_document",
    "prior_workbooks",
    "read_document",
    "workbook_bytes",
    "workbook_name",
]
