"""Checking many files: discovery, the process pool, the worker result, packed values.

:func:`check_file` reads one file and checks it (the checks themselves, in
:mod:`xlreport.checks`, only look at what a file holds); :func:`check_paths` checks files
and folders on every core; :func:`discover` lists what a path names.
"""

from xlreport.batch.check import check_file, check_paths
from xlreport.batch.discover import FoundFile, discover

__all__ = ["FoundFile", "check_file", "check_paths", "discover"]
