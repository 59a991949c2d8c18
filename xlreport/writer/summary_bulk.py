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

import io
import tempfile
from array import array
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from itertools import takewhile
from typing import IO, Any

from xlsxwriter.utility import xl_col_to_name

from xlreport.writer.xlsxwriter_private import RowsWorksheet, style_index


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
#: Rendered rows gathered in memory up to this size, then appended to the spill at once.
_WRITE_BYTES = 1 << 16
#: Rendered rows copied into the sheet's XML at most this many at a time.
_RUN_ROWS = 256
_NUMBER_TYPES = frozenset({int, Decimal})


@cache
def _letters(width: int) -> tuple[str, ...]:
    return tuple(xl_col_to_name(c) for c in range(width))


class BulkWorksheet(RowsWorksheet):
    """Pass as ``worksheet_class`` to ``add_worksheet``; add rows with :meth:`add_bulk_row`."""

    def __init__(self) -> None:
        super().__init__()
        # the rendered ``<row>`` elements, one after another in the spill file, in the order
        # added: their row numbers and where each ends (kept as arrays: ~20 bytes a row)
        self._rows = array("q")
        self._ends = array("q")
        self._spill: IO[bytes] | None = None
        # rendered rows not yet in the spill: written a batch at a time
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        # the columns of the last call: (number formats, text format, width, (letters,
        # style) of each column, text style)
        self._columns: tuple[object, object, int, tuple[tuple[str, int], ...], int] | None = None
        self._parts: tuple[object, list[str], list[str]] | None = None

    def add_bulk_row(
        self,
        row: int,
        values: Sequence[object],
        number_formats: Sequence[Any],
        text_format: Any,
        height: float | None = None,
    ) -> None:
        """One row of str / int / Decimal / None values starting in column A; other values
        are written as blank cells. ``number_formats`` (a cell format per column, the
        same list for row after row) must not change between calls. ``height``: the row's
        height in points (None: the sheet's default)."""
        if not isinstance(values, list | tuple):
            values = list(values)
        cols, text_style = self._columns_of(len(values), number_formats, text_format)
        n = row + 1
        parts = [
            f'<row r="{n}">'
            if height is None
            else f'<row r="{n}" ht="{height:g}" customHeight="1">'
        ]
        add = parts.append
        # the numbers ending the row (most of a 分单位明细 row) are joined in one go
        types = list(map(type, values))
        numbers = len(list(takewhile(_NUMBER_TYPES.__contains__, reversed(types))))
        head = len(values) - numbers
        for v, (letters, style) in zip(values[:head], cols[:head], strict=True):
            t = type(v)
            if t is int:
                add(f'<c r="{letters}{n}" s="{style}"><v>{v}</v></c>')
            elif t is Decimal:
                add(f'<c r="{letters}{n}" s="{style}"><v>{number_text(v)}</v></c>')
            elif t is str and v:
                xml = self._inline(v).xml
                add(f'<c r="{letters}{n}" s="{text_style}" t="inlineStr">{xml}</c>')
            else:
                add(f'<c r="{letters}{n}" s="{text_style}"/>')
        if numbers:
            opens, mids = self._number_parts(cols)
            shown: Sequence[object] = values[head:]
            if Decimal in types[head:]:
                shown = [number_text(v) if type(v) is Decimal else v for v in shown]
            r = str(n)
            tail = zip(opens[head:], mids[head:], shown, strict=True)
            add("".join([f"{o}{r}{m}{v}</v></c>" for o, m, v in tail]))
        add("</row>")
        data = "".join(parts).encode("utf-8")
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= _WRITE_BYTES:
            self._flush()
        self._rows.append(row)
        self._ends.append((self._ends[-1] if self._ends else 0) + len(data))
        self.extend_used_range(row, max(len(values) - 1, 0))

    def _flush(self) -> None:
        """The rendered rows waiting in memory appended to the spill."""
        if not self._pending:
            return
        if self._spill is None:
            # closed once its last row is written into the sheet
            self._spill = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
        self._spill.seek(0, io.SEEK_END)
        self._spill.write(b"".join(self._pending))
        self._pending.clear()
        self._pending_bytes = 0

    def _columns_of(
        self, width: int, number_formats: Sequence[Any], text_format: Any
    ) -> tuple[tuple[tuple[str, int], ...], int]:
        """Letters and style of each column, and the text style (xlsxwriter numbers a
        format when first asked: the number formats in order, then the text format)."""
        last = self._columns
        if last and last[0] is number_formats and last[1] is text_format and last[2] == width:
            return last[3], last[4]
        styles = tuple(style_index(f) for f in number_formats[:width])
        text_style = style_index(text_format)
        if len(styles) != width:
            raise ValueError(f"{width} cells but {len(styles)} number formats")
        cols = tuple(zip(_letters(width), styles, strict=True))
        self._columns = (number_formats, text_format, width, cols, text_style)
        return cols, text_style

    def _number_parts(self, cols: tuple[tuple[str, int], ...]) -> tuple[list[str], list[str]]:
        """Per column, the text of a number cell before its row number and before its
        value: ``<c r="B`` + ``12`` + ``" s="3"><v>`` + value + ``</v></c>``."""
        if self._parts is None or self._parts[0] is not cols:
            opens = [f'<c r="{letters}' for letters, _style in cols]
            mids = [f'" s="{style}"><v>' for _letters, style in cols]
            self._parts = (cols, opens, mids)
        return self._parts[1], self._parts[2]

    def _inline(self, text: str) -> _Inline:
        return _Inline(self.inline_string(text))

    def write_sheet_rows(self) -> None:
        if not self._rows:
            self.write_own_rows()
            return
        self._flush()
        lo, hi = self.row_span
        assert lo is not None and hi is not None  # a bulk row extends the span
        # a row added twice is written as last added
        last = {row: i for i, row in enumerate(self._rows)}
        r = lo
        run: list[int] = []  # rows to copy: consecutive in the sheet and in the spill
        for row in sorted(last):
            i = last[row]
            if run and (row > r or i != run[-1] + 1 or len(run) >= _RUN_ROWS):
                self._copy_rows(run)
                run = []
            if row > r:
                self._plain_rows(r, row - 1)
            run.append(i)
            r = row + 1
        if run:
            self._copy_rows(run)
        if r <= hi:
            self._plain_rows(r, hi)
        self.row_span = (lo, hi)
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        self._rows, self._ends = array("q"), array("q")

    def _plain_rows(self, first: int, last: int) -> None:
        """xlsxwriter's own rows ``first..last``."""
        self.row_span = (first, last)
        self.write_own_rows()

    def _copy_rows(self, run: list[int]) -> None:
        """The rendered rows ``run`` (consecutive in the spill) into the sheet's XML."""
        start = self._ends[run[0] - 1] if run[0] else 0
        assert self._spill is not None
        self._spill.seek(start)
        self.write_xml(self._spill.read(self._ends[run[-1]] - start).decode("utf-8"))
