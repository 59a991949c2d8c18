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
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from xlreport.writer.guide import GENERATOR
from xlreport.writer.styles import FONT, NOTE_FILL, display_width
from xlreport.writer.summary_bulk import BulkWorksheet
from xlreport.writer.summary_sheets import ON_DISK_ROWS
from xlreport.writer.tokens import SHARED_STRING, plain, substitute, xml_text
from xlreport.writer.xlsxwriter_private import StoredWorkbook, spill_parts_to_disk
from xlreport.writer.zippack import Member, member, repack_to, unzip, write_zip

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
    """The document as an .xlsx workbook (deterministic: see :func:`~xlreport.writer.zippack.pack`).

    A long document (the manifest or the board of 100,000 agencies) is assembled in a
    temporary file and deflated from there part by part (:func:`repack_to`, the same bytes
    as ``pack``): only the deflated workbook is held in memory."""
    geometries = [_measure(sheet) for sheet in doc.sheets]
    long = sum(len(t.rows) for sheet in doc.sheets for t in sheet.tables) > ON_DISK_ROWS
    out = io.BytesIO()
    with tempfile.TemporaryFile() if long else io.BytesIO() as stored:
        _write_stored(doc, geometries, stored, on_disk=long)
        stored.seek(0)
        repack_to(stored, out)
    return out.getvalue()


def _members(doc: Document, geometries: Sequence[_Geometry]) -> list[tuple[str, bytes]]:
    out = io.BytesIO()
    _write_stored(doc, geometries, out, on_disk=False)
    return unzip(out.getvalue())


def _write_stored(
    doc: Document, geometries: Sequence[_Geometry], out: IO[bytes], *, on_disk: bool
) -> None:
    """The workbook written to ``out`` by xlsxwriter, its parts stored (deflated once, by
    ``pack``); ``on_disk``: its parts assembled through temporary files."""
    options = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    wb = StoredWorkbook(out, options, stored=True)
    if on_disk:
        spill_parts_to_disk(wb)
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
    for sheet, geometry in zip(doc.sheets, geometries, strict=True):
        _write_sheet(wb, sheet, fmt, geometry)
    wb.close()


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
                longest = (
                    max(display_width(line) for line in v.split("\n"))
                    if "\n" in v
                    else display_width(v)
                )
                widths[c] = max(widths[c], min(longest + 2, limits[c]))
    if sheet.fields:
        widths[0] = max(widths[0], *(display_width(k) + 2 for k, _ in sheet.fields))
    return widths


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at ``width`` characters (for the row height)."""
    if "\n" not in text:
        return max(1, -(-display_width(text) // max(width - 1, 1)))
    return sum(max(1, -(-display_width(part) // max(width - 1, 1))) for part in text.split("\n"))


@dataclass(frozen=True)
class _Geometry:
    """A sheet's column widths and row heights, measured on its content. Row heights are
    keyed by what the row shows: ``("title",)``, ``("field", i)``, ``("note", i)``; a
    table's rows have theirs in ``rows`` (a table may list 100,000 agencies)."""

    widths: tuple[int, ...]
    heights: tuple[tuple[tuple[int | str, ...], float], ...]
    rows: tuple[tuple[int, ...], ...]  # table t's row i: rows[t][i]


def _measure(sheet: DocSheet) -> _Geometry:
    widths = _widths(sheet)
    rest = sum(widths[1:])
    heights: dict[tuple[int | str, ...], float] = {("title",): 24 * (sheet.title.count("\n") + 1)}
    for i, (label, value) in enumerate(sheet.fields):
        heights["field", i] = 15 * max(_lines(value, rest), _lines(label, widths[0]))
    rows = tuple(
        tuple(15 * max([1, *(_lines(v, widths[c]) for c, v in enumerate(row))]) for row in t.rows)
        for t in sheet.tables
    )
    for i, note in enumerate(sheet.notes):
        heights["note", i] = 15 * _lines(note, sum(widths))
    return _Geometry(tuple(widths), tuple(heights.items()), rows)


def _write_sheet(wb: Any, sheet: DocSheet, fmt: dict[str, Any], geometry: _Geometry) -> None:
    # table rows go straight to the sheet's XML (inline text, no object per cell): a
    # manifest or a board lists every agency of a campaign, up to 100,000
    ws = wb.add_worksheet(sheet.name, worksheet_class=BulkWorksheet)
    widths = geometry.widths
    height = dict(geometry.heights)
    last = len(widths) - 1
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    r = 0
    ws.merge_range(r, 0, r, last, sheet.title, fmt["title"])
    ws.set_row(r, height["title",])
    r += 2
    for i, (label, value) in enumerate(sheet.fields):
        ws.write_string(r, 0, label, fmt["label"])
        if last > 1:
            ws.merge_range(r, 1, r, last, value, fmt["value"])
        else:
            ws.write_string(r, 1, value, fmt["value"])
        ws.set_row(r, height["field", i])
        r += 1
    if sheet.fields:
        r += 1
    repeat: tuple[int, int] | None = None
    for t, table in enumerate(sheet.tables):
        if table.title:
            ws.merge_range(r, 0, r, last, table.title, fmt["caption"])
            r += 1
        head = r
        for c, h in enumerate(table.headings):
            ws.write_string(r, c, h, fmt["head"])
        if repeat is None:
            repeat = (r, r)
        r += 1
        texts = [fmt["cell"]] * len(table.headings)  # every value is text: no number formats
        for i, row in enumerate(table.rows):
            style = fmt["marked"] if i in table.marked else fmt["cell"]
            ws.add_bulk_row(r, row, texts, style, geometry.rows[t][i])
            r += 1
        if not table.rows:
            ws.merge_range(r, 0, r, len(table.headings) - 1, "（无）", fmt["cell"])
            r += 1
        if table.autofilter:
            ws.autofilter(head, 0, max(head, r - 1), len(table.headings) - 1)
        r += 1
    for i, note in enumerate(sheet.notes):
        ws.merge_range(r, 0, r, last, note, fmt["note"])
        ws.set_row(r, height["note", i])
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


# --- many documents of one form ---------------------------------------------------------

_SST = "xl/sharedStrings.xml"
_CORE = "docProps/core.xml"
_TOKEN_TITLE = "XLRTOKxDOCTITLEx7Q"
_TOKEN_SUBJECT = "XLRTOKxDOCSUBJx7Q"
#: The creation time the form is built with, replaced by each document's own.
_FORM_CREATED = datetime(1999, 9, 9, 9, 9, 9)


def _token(kind: str, i: int) -> str:
    return f"XLRTOKx{kind}{i:03d}x7Q"


def _iso(created: datetime) -> bytes:
    """The creation time as xlsxwriter writes it in docProps/core.xml."""
    return created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


@dataclass(frozen=True)
class _Form:
    fixed: dict[str, Member]  # the parts without tokens, deflated once
    raw: dict[str, bytes]  # the parts with tokens
    order: tuple[str, ...]
    shared: frozenset[bytes]  # shared strings without tokens
    tokened: tuple[bytes, ...]  # shared strings with tokens


class FormWriter:
    """Many one-sheet documents of one form (same labels and layout; only the field
    values, the notes, the title, subject and time differ) fast — the campaign writes one
    receipt per file received. The form is built once with xlsxwriter, with tokens in the
    varying text and the geometry measured on the real document; each document then
    replaces the tokens in the shared strings and the document properties and reuses
    every other part's deflated bytes. The result is byte-identical to
    :func:`document_bytes` (tested); a document whose text xlsxwriter could write
    otherwise (control characters, edge whitespace, a text repeated, which xlsxwriter
    stores once) is built directly."""

    def __init__(self) -> None:
        self._forms: dict[tuple[object, ...], _Form] = {}

    def build(self, doc: Document) -> bytes:
        if len(doc.sheets) != 1 or doc.sheets[0].tables:
            return document_bytes(doc)
        sheet = doc.sheets[0]
        pairs = {_TOKEN_TITLE: doc.title, _TOKEN_SUBJECT: doc.subject}
        fields = []
        for i, (label, value) in enumerate(sheet.fields):
            token = _token("F", i) if value else ""
            fields.append((label, token))
            pairs[token] = value
        notes = []
        for i, note in enumerate(sheet.notes):
            token = _token("N", i) if note else ""
            notes.append(token)
            pairs[token] = note
        pairs.pop("", None)
        if not all(plain(v) for v in pairs.values()):
            return document_bytes(doc)
        geometry = _measure(sheet)
        form_sheet = DocSheet(sheet.name, sheet.title, fields, (), notes, sheet.landscape)
        key = (sheet.name, sheet.title, sheet.landscape, tuple(fields), tuple(notes), geometry)
        form = self._forms.get(key)
        if form is None:
            form_doc = Document(_TOKEN_TITLE, [form_sheet], _FORM_CREATED, _TOKEN_SUBJECT)
            form = _prepare(_members(form_doc, [geometry]), list(pairs))
            self._forms[key] = form
        text = {k.encode(): xml_text(v) for k, v in pairs.items()}
        tokened = [substitute(e, text) for e in form.tokened]
        if len(set(tokened)) != len(tokened) or form.shared.intersection(tokened):
            return document_bytes(doc)  # xlsxwriter would store a repeated text once
        text[_iso(_FORM_CREATED)] = _iso(doc.created)
        members = []
        for name in form.order:
            fixed = form.fixed.get(name)
            members.append(
                fixed if fixed is not None else member(name, substitute(form.raw[name], text))
            )
        return write_zip(members)


def _prepare(parts: list[tuple[str, bytes]], tokens: list[str]) -> _Form:
    marks = [t.encode() for t in tokens] + [_iso(_FORM_CREATED)]
    fixed: dict[str, Member] = {}
    raw: dict[str, bytes] = {}
    shared: frozenset[bytes] = frozenset()
    tokened: tuple[bytes, ...] = ()
    for name, data in parts:
        if not any(m in data for m in marks):
            fixed[name] = member(name, data)
            continue
        raw[name] = data
        if name == _SST:
            entries = SHARED_STRING.findall(data)
            shared = frozenset(e for e in entries if not any(m in e for m in marks))
            tokened = tuple(e for e in entries if any(m in e for m in marks))
    if set(raw) - {_SST, _CORE}:  # a token where substituting it is not known to be exact
        raise AssertionError(f"form tokens outside {_SST} and {_CORE}: {sorted(raw)}")
    return _Form(fixed, raw, tuple(n for n, _ in parts), shared, tokened)


__all__ = ["A4", "DocSheet", "DocTable", "Document", "FormWriter", "document_bytes"]
