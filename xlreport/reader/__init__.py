"""The only code that parses xlsx files: safe, bounded, streaming."""

from xlreport.reader.limits import DEFAULT_LIMITS, ReadLimits
from xlreport.reader.model import RawCell, RawSheet, RawWorkbook
from xlreport.reader.read import read_xlsx

__all__ = ["DEFAULT_LIMITS", "RawCell", "RawSheet", "RawWorkbook", "ReadLimits", "read_xlsx"]
