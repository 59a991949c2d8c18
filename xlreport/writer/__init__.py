"""The workbook writer: the only part of xlreport that imports xlsxwriter."""

from xlreport.writer.cells import CellNote
from xlreport.writer.workbook import build_workbook, write_workbook

__all__ = ["CellNote", "build_workbook", "write_workbook"]
