"""The only code that parses xlsx files: safe, bounded, streaming."""

from xlreport.reader.model import RawCell, RawSheet, RawWorkbook

__all__ = ["RawCell", "RawSheet", "RawWorkbook"]
