"""Checking returned workbooks: pure functions from what a file holds to findings.

``check_file`` reads and checks one file; ``check_paths`` checks files and folders (every
core when there are many); ``run_check`` (in :mod:`xlreport.checks.run`) is the whole
`xlreport check` command.
"""

from xlreport.checks.files import check_file, check_paths, discover
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.workbook_check import check_workbook, prior_key

__all__ = [
    "CheckOptions",
    "CheckedFile",
    "ReturnData",
    "check_file",
    "check_paths",
    "check_workbook",
    "discover",
    "prior_key",
]
