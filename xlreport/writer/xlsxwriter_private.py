"""Every use of xlsxwriter's private API, in one place, and why each is needed.

xlsxwriter's public API has no way to do four things the writer needs. The classes and
functions below reach into its internals for them, under names of our own; no other
module of xlreport touches an xlsxwriter internal. ``pyproject.toml`` bounds xlsxwriter
to the minor version these were tested with, and ``tests/test_xlsxwriter_private.py``
checks each name in :data:`PRIVATE_API` (it exists, its signature is the one recorded
here, the xlsxwriter code that should call or read it still does) and fails naming the
one an upgrade changed.

1. Workbook-structure protection (``<workbookProtection lockStructure="1">``): xlsxwriter
   protects worksheets only. :class:`LockedWorkbook` overrides ``Workbook._write_workbook_pr``
   to write the element right after ``<workbookPr>`` (ECMA-376 CT_Workbook order) with
   ``XMLwriter._xml_empty_tag``.
2. A package whose parts are stored, not deflated (``stored=True``): for a caller that
   deflates every part again (:func:`~xlreport.writer.zippack.repack_to`), so the bytes do
   not depend on how the parts arrive and nothing is deflated twice. ``Workbook._store_workbook``
   takes its compression from the module global ``xlsxwriter.workbook.ZIP_DEFLATED``,
   which :class:`LockedWorkbook` swaps for the call.
3. Rows written straight to the sheet's XML (:class:`~xlreport.writer.summary_bulk.BulkWorksheet`,
   a province summary's millions of cells): :class:`RowsWorksheet` overrides
   ``Worksheet._write_rows`` (called by ``_write_sheet_data``), narrows the rows it writes
   through ``dim_rowmin``/``dim_rowmax``, writes to the sheet's stream ``fh``, extends the
   used range with ``_check_dimensions``, escapes text as xlsxwriter does
   (``_escape_control_characters``, ``_escape_data``, ``utility._preserve_whitespace``)
   and numbers a cell format's style with ``Format._get_xf_index``.
4. Big summaries assembled through temporary files: ``Workbook.in_memory`` is an option of
   the constructor only; :func:`spill_parts_to_disk` turns it off once the sheets are known
   to be big (``_store_workbook`` reads it when the package is written).

Besides these, the writer relies on documented behaviour only (``worksheet_class`` of
``add_worksheet``; a number cell written with ``format()``, which
:class:`~xlreport.writer.cells.ShortestFloat` uses), also checked by the test.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.utility import _preserve_whitespace
from xlsxwriter.worksheet import Worksheet


@dataclass(frozen=True)
class PrivateUse:
    """One internal of xlsxwriter that this module uses."""

    owner: str  # dotted path of the class or module it belongs to
    name: str
    kind: str  # "method", "function", "attribute" (of an instance), "global" (of the module)
    signature: str  # parameters in the tested version, without annotations ("" if no call)
    used_by: tuple[str, ...]  # xlsxwriter functions that must still call or read it
    why: str


_WB = "xlsxwriter.workbook.Workbook"
_WS = "xlsxwriter.worksheet.Worksheet"
PRIVATE_API: tuple[PrivateUse, ...] = (
    PrivateUse(
        _WB,
        "_write_workbook_pr",
        "method",
        "(self)",
        (f"{_WB}._assemble_xml_file",),
        "overridden: <workbookProtection> goes right after <workbookPr>",
    ),
    PrivateUse(
        "xlsxwriter.xmlwriter.XMLwriter",
        "_xml_empty_tag",
        "method",
        "(self, tag, attributes=[])",
        (),
        "writes the <workbookProtection> element",
    ),
    PrivateUse(
        _WB,
        "_store_workbook",
        "method",
        "(self)",
        (f"{_WB}.close",),
        "overridden: stores the parts undeflated for a caller that deflates them again",
    ),
    PrivateUse(
        "xlsxwriter.workbook",
        "ZIP_DEFLATED",
        "global",
        "",
        (f"{_WB}._store_workbook",),
        "the compression _store_workbook zips the parts with, swapped for ZIP_STORED",
    ),
    PrivateUse(
        _WB,
        "in_memory",
        "attribute",
        "",
        (f"{_WB}._store_workbook",),
        "turned off after construction: a big summary's parts go through temporary files",
    ),
    PrivateUse(
        _WS,
        "_write_rows",
        "method",
        "(self)",
        (f"{_WS}._write_sheet_data",),
        "overridden: bulk rows are copied into the sheet's XML between xlsxwriter's own",
    ),
    PrivateUse(
        _WS,
        "dim_rowmin",
        "attribute",
        "",
        (f"{_WS}._write_rows", f"{_WS}._check_dimensions"),
        "first row _write_rows writes (narrowed to write xlsxwriter's rows in runs)",
    ),
    PrivateUse(
        _WS,
        "dim_rowmax",
        "attribute",
        "",
        (f"{_WS}._write_rows", f"{_WS}._check_dimensions"),
        "last row _write_rows writes (narrowed to write xlsxwriter's rows in runs)",
    ),
    PrivateUse(
        _WS,
        "fh",
        "attribute",
        "",
        ("xlsxwriter.xmlwriter.XMLwriter._xml_start_tag",),
        "the stream of the sheet's XML the bulk rows are copied into",
    ),
    PrivateUse(
        _WS,
        "_check_dimensions",
        "method",
        "(self, row, col, ignore_row=False, ignore_col=False)",
        (),
        "a bulk row extends the sheet's used range (<dimension>) as a written cell does",
    ),
    PrivateUse(
        _WS,
        "_escape_control_characters",
        "function",
        "(data)",
        (),
        "text of a bulk row escaped exactly as xlsxwriter escapes an inline string",
    ),
    PrivateUse(
        _WS,
        "_escape_data",
        "method",
        "(self, data)",
        (),
        "text of a bulk row escaped exactly as xlsxwriter escapes an inline string",
    ),
    PrivateUse(
        "xlsxwriter.utility",
        "_preserve_whitespace",
        "function",
        "(string)",
        (),
        'whether a bulk row\'s text needs xml:space="preserve", as xlsxwriter decides',
    ),
    PrivateUse(
        "xlsxwriter.format.Format",
        "_get_xf_index",
        "method",
        "(self)",
        (),
        "the style number (s=) of a bulk row's cells, from the caller's cell formats",
    ),
)


class StoredWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """xlsxwriter's workbook, its parts optionally stored rather than deflated (2)."""

    def __init__(self, fh: IO[bytes], options: dict[str, Any], *, stored: bool) -> None:
        super().__init__(fh, options)
        self._xlreport_stored = stored

    def _store_workbook(self) -> None:
        if not self._xlreport_stored:
            super()._store_workbook()
            return
        deflated = xlsxwriter.workbook.ZIP_DEFLATED
        xlsxwriter.workbook.ZIP_DEFLATED = zipfile.ZIP_STORED
        try:
            super()._store_workbook()
        finally:
            xlsxwriter.workbook.ZIP_DEFLATED = deflated


class LockedWorkbook(StoredWorkbook):
    """xlsxwriter's workbook plus ``<workbookProtection lockStructure="1">`` (1), its
    parts optionally stored rather than deflated (2)."""

    def __init__(
        self, fh: IO[bytes], options: dict[str, Any], structure_hash: str, *, stored: bool
    ) -> None:
        super().__init__(fh, options, stored=stored)
        self._xlreport_structure_hash = structure_hash

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        self._xml_empty_tag(
            "workbookProtection",
            [("workbookPassword", self._xlreport_structure_hash), ("lockStructure", 1)],
        )


def spill_parts_to_disk(workbook: Any) -> None:
    """The package of ``workbook`` is assembled through temporary files, not in memory (4)."""
    workbook.in_memory = False


def style_index(cell_format: Any) -> int:
    """The style number (``s="…"``) xlsxwriter gives ``cell_format``; formats are numbered
    when first asked (3)."""
    index: int = cell_format._get_xf_index()
    return index


#: What xlsxwriter changes in a text (xmlwriter's ``re_control_chars_1/2``, ``\ufffe``,
#: ``\uffff``, the ``& < >`` of ``_escape_data``) or marks ``xml:space="preserve"``
#: (``utility.RE_LEADING/TRAILING_WHITESPACE``): a text without any is written as it is.
_NEEDS_ESCAPING = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|^\s|\s$")


class RowsWorksheet(Worksheet):  # type: ignore[misc]
    """A worksheet whose subclass writes the rows of ``<sheetData>`` itself (3).

    :meth:`write_sheet_rows` is called where xlsxwriter writes the rows; it may call
    :meth:`write_own_rows` for xlsxwriter's own rows within :attr:`row_span`.
    """

    def _write_rows(self) -> None:
        self.write_sheet_rows()

    def write_sheet_rows(self) -> None:
        """The rows of the sheet's ``<sheetData>``; xlsxwriter's own by default."""
        self.write_own_rows()

    def write_own_rows(self) -> None:
        """xlsxwriter's own rows in :attr:`row_span` (rows without a cell are skipped)."""
        super()._write_rows()

    @property
    def row_span(self) -> tuple[int | None, int | None]:
        """First and last row written (None before any cell)."""
        return self.dim_rowmin, self.dim_rowmax

    @row_span.setter
    def row_span(self, span: tuple[int | None, int | None]) -> None:
        self.dim_rowmin, self.dim_rowmax = span

    def extend_used_range(self, row: int, col: int) -> None:
        """Row ``row`` and columns up to ``col`` hold data (the sheet's ``<dimension>``)."""
        self._check_dimensions(row, col)

    def write_xml(self, text: str) -> None:
        """Text into the sheet's XML where the rows go (only from :meth:`write_sheet_rows`)."""
        self.fh.write(text)

    def inline_string(self, text: str) -> str:
        """The ``<is>`` element of an inline string cell, escaped as xlsxwriter escapes it
        (most texts need nothing: a 分单位明细 of 100,000 agencies has millions of them)."""
        if _NEEDS_ESCAPING.search(text) is None:
            return f"<is><t>{text}</t></is>"
        return self.escaped_inline_string(text)

    def escaped_inline_string(self, text: str) -> str:
        """:meth:`inline_string` through xlsxwriter's own escaping, whatever ``text`` holds."""
        escaped = self._escape_data(self._escape_control_characters(text))
        space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        return f"<is><t{space}>{escaped}</t></is>"
