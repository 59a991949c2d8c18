"""Checking returned workbooks: pure functions from what a file holds to findings.

``check_workbook`` turns what one file holds (a ``RawWorkbook``, read by
:mod:`xlreport.reader`) and the options into a :class:`CheckedFile`. Reading files from
disk, folders and the process pool are in :mod:`xlreport.batch`; the annotated copies in
:mod:`xlreport.annotate`; the whole `xlreport check` command is
:func:`xlreport.api.check.check_files`. Nothing here reads a file or starts a process.
"""

from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.workbook_check import check_workbook, prior_key

__all__ = [
    "CheckOptions",
    "CheckedFile",
    "ReturnData",
    "check_workbook",
    "prior_key",
]
