"""A worksheet that writes plain data rows straight to XML: many rows, little time and memory.

xlsxwriter keeps one object per cell and spends ~15 µs on each; a province summary has a
row per agency × ~170 columns in 分单位明细, i.e. millions of cells. :class:`BulkWorksheet`
keeps each such row as the caller's own list of values and writes its ``<row>`` element
when the sheet is assembled, between the rows xlsxwriter writes itself (titles, headers,
total rows). Each row is rendered as soon as it is added and spilled to a temporary file
(kept in memory while small), so the memory a sheet holds does not grow with its rows. Text is an inline string cell (escaped exactly as xlsxwriter escapes inline
strings), never a formula, and stays out of the shared-string table so that a summary
listing thousands of agencies stays within the reader's bounds; numbers are written as
their exact decimal text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import IO, Any

from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet


class _Inline:
    """A text cell: its ``<is>`` element, escaped when the row is added."""

    __slots__ = ("xml",)

    def __init__(self, xml: str) -> None:
        self.xml = xml


def number_text(value: int | Decimal) -> str:
    """Exact decimal text without exponent: 12 → "12", 1E+2 → "100", 1E-7 → "0.0000001"."""
    text = str(value)
    if "E" not in text:
        return text
    assert isinstance(value, Decimal)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


#: Rendered rows of one sheet kept in memory up to this size, then in a temporary file.
_SPOOL_BYTES = 1 << 20


@cache
def _letters(width: int) -> tuple[str, ...]:
    return tuple(xl_col_to_name(c) for c in range(width))


class BulkWorksheet(Worksheet):  # type: ignore[misc]
    """Pass as ``worksheet_class`` to ``add_worksheet``; add rows with :meth:`add_bulk_row`."""

    def __init__(self) -> None:
        super().__init__()
        # row → (offset, length) of its rendered ``<row>`` element in the spill file
        self._bulk: dict[int, tuple[int, int]] = {}
        self._spill: IO[bytes] | None = None

    def add_bulk_row(
        self, row: int, values: Sequence[object], number_formats: Sequence[Any], text_format: Any
    ) -> None:
        """One row of str / int / Decimal / None values starting in column A; other values
        are written as blank cells."""
        cells: list[object] = []
        for v in values:
            t = type(v)
            if t is Decimal or t is int:
                cells.append(v)
            elif t is str and v:
                cells.append(self._inline(str(v)))
            else:
                cells.append(None)
        styles = tuple(f._get_xf_index() for f in number_formats[: len(cells)])
        xml = self._row_xml(row, cells, styles, text_format._get_xf_index()).encode("utf-8")
        if self._spill is None:
            # closed once its last row is written into the sheet
            self._spill = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
        self._spill.seek(0, 2)
        self._bulk[row] = (self._spill.tell(), len(xml))
        self._spill.write(xml)
        self._check_dimensions(row, max(len(cells) - 1, 0))

    def _inline(self, text: str) -> _Inline:
        escaped = self._escape_data(self._escape_control_characters(text))
        space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        return _Inline(f"<is><t{space}>{escaped}</t></is>")

    def _write_rows(self) -> None:
        if not self._bulk:
            super()._write_rows()
            return
        lo, hi = self.dim_rowmin, self.dim_rowmax  # type: ignore[has-type]
        r = lo
        for row in sorted(self._bulk):
            if row > r:
                self._plain_rows(r, row - 1)
            self._write_bulk_row(row)
            r = row + 1
        if r <= hi:
            self._plain_rows(r, hi)
        self.dim_rowmin, self.dim_rowmax = lo, hi

    def _plain_rows(self, first: int, last: int) -> None:
        """xlsxwriter's own rows ``first..last``."""
        self.dim_rowmin, self.dim_rowmax = first, last
        super()._write_rows()

    def _write_bulk_row(self, row: int) -> None:
        offset, length = self._bulk.pop(row)
        assert self._spill is not None
        self._spill.seek(offset)
        self.fh.write(self._spill.read(length).decode("utf-8"))
        if not self._bulk:
            self._spill.close()
            self._spill = None

    @staticmethod
    def _row_xml(row: int, cells: list[object], styles: tuple[int, ...], text_style: int) -> str:
        n = row + 1
        parts = [f'<row r="{n}">']
        add = parts.append
        for v, letters, style in zip(cells, _letters(len(cells)), styles, strict=True):
            if v is None:
                add(f'<c r="{letters}{n}" s="{text_style}"/>')
            elif type(v) is _Inline:
                add(f'<c r="{letters}{n}" s="{text_style}" t="inlineStr">{v.xml}</c>')
            else:
                add(f'<c r="{letters}{n}" s="{style}"><v>{number_text(v)}</v></c>')  # type: ignore[arg-type]
        add("</row>")
        return "".join(parts)
