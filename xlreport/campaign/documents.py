"""Printable A4 documents of a campaign (receipts, notices, the board) as .xlsx workbooks.

A document is a list of sheets; a sheet is a title, some labelled fields (one line each,
the value across the table's width), and tables (headings and rows, every cell wrapped
text). Every value is written as text (an agency's text is never read as a formula), in
宋体, on A4 fit to the page width, with the table headings repeated on every page. The
bytes depend only on the content (``created`` is given), so the same ledger gives the same
documents.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xlsxwriter

from xlreport.writer.guide import GENERATOR
from xlreport.writer.styles import FONT, NOTE_FILL, display_width

#: Excel's paper number for A4.
A4 = 9
_MAX_WIDTH = 60


@dataclass(frozen=True)
class DocTable:
    title: str
    headings: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    #: Widths (characters) no column grows beyond; the default: _MAX_WIDTH each.
    max_widths: tuple[int, ...] = ()
    #: Rows (0-based in ``rows``) to fill in the annotate colour (a blocking finding).
    marked: frozenset[int] = frozenset()
    autofilter: bool = False


@dataclass(frozen=True)
class DocSheet:
    name: str
    title: str
    fields: Sequence[tuple[str, str]] = ()
    tables: Sequence[DocTable] = ()
    notes: Sequence[str] = ()  # paragraphs after the tables
    landscape: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    sheets: Sequence[DocSheet]
    created: datetime
    subject: str = ""


def document_bytes(doc: Document) -> bytes:
    """The document as an .xlsx workbook."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties(
        {"title": doc.title, "subject": doc.subject, "author": GENERATOR, "created": doc.created}
    )
    base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True}
    fmt = {
        "title": wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"}),
        "label": wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#F2F2F2"}),
        "value": wb.add_format({**base, "border": 1}),
        "caption": wb.add_format({**base, "bold": True, "font_size": 12}),
        "head": wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#DDEBF7"}),
        "cell": wb.add_format({**base, "border": 1}),
        "marked": wb.add_format({**base, "border": 1, "bg_color": NOTE_FILL}),
        "note": wb.add_format(base),
    }
    for sheet in doc.sheets:
        _write_sheet(wb, sheet, fmt)
    wb.close()
    return out.getvalue()


def _widths(sheet: DocSheet) -> list[int]:
    ncols = max([2, *(len(t.headings) for t in sheet.tables)])
    widths = [6] * ncols
    if not sheet.tables:  # a form: labels, then values
        widths = [16, 56]
    for t in sheet.tables:
        limits = t.max_widths or (_MAX_WIDTH,) * len(t.headings)
        for c, h in enumerate(t.headings):
            widths[c] = max(widths[c], display_width(h) + 2)
        for row in t.rows:
            for c, v in enumerate(row):
                longest = max((display_width(line) for line in v.split("\n")), default=0)
                widths[c] = max(widths[c], min(longest + 2, limits[c]))
    if sheet.fields:
        widths[0] = max(widths[0], *(display_width(k) + 2 for k, _ in sheet.fields))
    return widths


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at ``width`` characters (for the row height)."""
    return sum(max(1, -(-display_width(part) // max(width - 1, 1))) for part in text.split("\n"))


def _write_sheet(wb: Any, sheet: DocSheet, fmt: dict[str, Any]) -> None:
    ws = wb.add_worksheet(sheet.name)
    widths = _widths(sheet)
    last = len(widths) - 1
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    rest = sum(widths[1:])
    r = 0
    ws.merge_range(r, 0, r, last, sheet.title, fmt["title"])
    ws.set_row(r, 24 * (sheet.title.count("\n") + 1))
    r += 2
    for label, value in sheet.fields:
        ws.write_string(r, 0, label, fmt["label"])
        if last > 1:
            ws.merge_range(r, 1, r, last, value, fmt["value"])
        else:
            ws.write_string(r, 1, value, fmt["value"])
        ws.set_row(r, 15 * max(_lines(value, rest), _lines(label, widths[0])))
        r += 1
    if sheet.fields:
        r += 1
    repeat: tuple[int, int] | None = None
    for t in sheet.tables:
        if t.title:
            ws.merge_range(r, 0, r, last, t.title, fmt["caption"])
            r += 1
        head = r
        for c, h in enumerate(t.headings):
            ws.write_string(r, c, h, fmt["head"])
        if repeat is None:
            repeat = (r, r)
        r += 1
        for i, row in enumerate(t.rows):
            style = fmt["marked"] if i in t.marked else fmt["cell"]
            for c, v in enumerate(row):
                ws.write_string(r, c, v, style)
            ws.set_row(r, 15 * max([1, *(_lines(v, widths[c]) for c, v in enumerate(row))]))
            r += 1
        if not t.rows:
            ws.merge_range(r, 0, r, len(t.headings) - 1, "（无）", fmt["cell"])
            r += 1
        if t.autofilter:
            ws.autofilter(head, 0, max(head, r - 1), len(t.headings) - 1)
        r += 1
    for note in sheet.notes:
        ws.merge_range(r, 0, r, last, note, fmt["note"])
        ws.set_row(r, 15 * _lines(note, sum(widths)))
        r += 1
    ws.set_paper(A4)
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    if repeat is not None and len(sheet.tables) == 1:
        ws.repeat_rows(*repeat)
    ws.set_footer("&C第 &P 页，共 &N 页")


__all__ = ["A4", "DocSheet", "DocTable", "Document", "document_bytes"]
