"""Checking returned workbooks: pure functions from what a file holds to findings.

``check_workbook`` turns what one file holds (a ``RawWorkbook``, read by
:mod:`xlreport.reader`) and the options into a :class:`CheckedFile`. Reading files from
disk, folders and the process pool are in :mod:`xlreport.batch`; ``run_check`` (in
:mod:`xlreport.checks.run`) is the whole `xlreport check` command.
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
