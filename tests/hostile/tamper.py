"""Edits of a good return at the zip/XML level, as Excel would leave them after a user's change.

Each function takes and returns the package parts (name, bytes) of a workbook; the
worksheet is found by its sheet name through workbook.xml, never by a fixed part name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hostile.stamp import sheet_parts, xml_text

Parts = list[tuple[str, bytes]]
_REF = re.compile(rb"(?<![A-Za-z_\d])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")
_SI_END = b"</sst>"


def part_of(parts: Parts, sheet: str) -> str:
    return sheet_parts(parts)[sheet]


def edit(parts: Parts, name: str, fn: Callable[[bytes], bytes]) -> Parts:
    out = [(n, fn(d) if n == name else d) for n, d in parts]
    if all(n != name for n, _ in parts):
        raise KeyError(name)
    return out


def get(parts: Parts, name: str) -> bytes:
    return dict(parts)[name]


def unprotect_sheet(parts: Parts, sheet: str) -> Parts:
    return edit(parts, part_of(parts, sheet), lambda d: re.sub(rb"<sheetProtection[^>]*/>", b"", d))


def unprotect_workbook(parts: Parts) -> Parts:
    return edit(parts, "xl/workbook.xml", lambda d: re.sub(rb"<workbookProtection[^>]*/>", b"", d))


def add_shared_string(parts: Parts, text: str) -> tuple[Parts, int]:
    sst = get(parts, "xl/sharedStrings.xml")
    index = len(re.findall(rb"<si>", sst))
    new = sst.replace(_SI_END, b"<si><t>" + xml_text(text) + b"</t></si>" + _SI_END)
    new = re.sub(
        rb'uniqueCount="(\d+)"', lambda m: b'uniqueCount="%d"' % (int(m.group(1)) + 1), new, count=1
    )
    return edit(parts, "xl/sharedStrings.xml", lambda _d: new), index


def cell_pattern(ref: str) -> re.Pattern[bytes]:
    return re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def set_cell(parts: Parts, sheet: str, ref: str, attrs: bytes, inner: bytes) -> Parts:
    """Replace cell ``ref`` by ``<c r=ref attrs>inner</c>`` (keeping its style)."""

    def fn(data: bytes) -> bytes:
        pat = cell_pattern(ref)
        m = pat.search(data)
        if m is None:
            raise KeyError(f"{sheet}!{ref} not in the sheet")
        style = re.search(rb' s="\d+"', m.group(1))
        tag = b'<c r="' + ref.encode() + b'"' + (style.group(0) if style else b"") + attrs
        return data[: m.start()] + tag + b">" + inner + b"</c>" + data[m.end() :]

    return edit(parts, part_of(parts, sheet), fn)


def cell_inner(parts: Parts, sheet: str, ref: str) -> bytes:
    m = cell_pattern(ref).search(get(parts, part_of(parts, sheet)))
    if m is None:
        raise KeyError(ref)
    return m.group(2) or b""


def rename_sheet(parts: Parts, old: str, new: str) -> Parts:
    """Rename as Excel does: the sheet entry, defined names and references elsewhere follow."""
    o, n = xml_text(old), xml_text(new)
    out = []
    for name, data in parts:
        if name == "xl/workbook.xml":
            data = data.replace(b'name="' + o + b'"', b'name="' + n + b'"')
            data = data.replace(b"'" + o + b"'!", b"'" + n + b"'!")
            data = data.replace(b"&apos;" + o + b"&apos;!", b"&apos;" + n + b"&apos;!")
        elif name.startswith("xl/worksheets/"):
            data = data.replace(b"'" + o + b"'!", b"'" + n + b"'!")
        elif name == "docProps/app.xml":
            data = data.replace(
                b"<vt:lpstr>" + o + b"</vt:lpstr>", b"<vt:lpstr>" + n + b"</vt:lpstr>"
            )
        out.append((name, data))
    return out


def delete_sheet(parts: Parts, sheet: str) -> Parts:
    """Delete as Excel does: entry, part, relationship, content type, its local names."""
    target = part_of(parts, sheet)
    wb = get(parts, "xl/workbook.xml")
    tags = re.findall(rb"<sheet [^>]*/>", wb)
    index = next(i for i, t in enumerate(tags) if b'name="' + xml_text(sheet) + b'"' in t)
    rid = re.search(rb'r:id="([^"]+)"', tags[index])
    assert rid

    def renumber(m: re.Match[bytes]) -> bytes:
        local = int(m.group(1))
        return b'localSheetId="%d"' % (local - 1 if local > index else local)

    def fix_names(data: bytes) -> bytes:
        data = data.replace(tags[index], b"")
        data = re.sub(
            rb'<definedName [^>]*localSheetId="%d"[^>]*>[^<]*</definedName>' % index, b"", data
        )
        return re.sub(rb'localSheetId="(\d+)"', renumber, data)

    out = []
    for name, data in parts:
        if name == target:
            continue
        if name == "xl/workbook.xml":
            data = fix_names(data)
        elif name == "xl/_rels/workbook.xml.rels":
            data = re.sub(rb'<Relationship [^>]*Id="' + rid.group(1) + rb'"[^>]*/>', b"", data)
        elif name == "[Content_Types].xml":
            data = re.sub(rb'<Override PartName="/' + target.encode() + rb'"[^>]*/>', b"", data)
        out.append((name, data))
    return out


def add_sheet(parts: Parts, sheet: str, body: bytes) -> Parts:
    """A new worksheet at the end (structure protection has to go first, as in Excel)."""
    parts = unprotect_workbook(parts)
    numbers = [int(m) for n, _ in parts for m in re.findall(r"xl/worksheets/sheet(\d+)\.xml", n)]
    part = f"xl/worksheets/sheet{max(numbers) + 1}.xml"
    wb = get(parts, "xl/workbook.xml")
    sheet_id = max(int(x) for x in re.findall(rb'sheetId="(\d+)"', wb)) + 1
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + b"</sheetData></worksheet>"
    )
    out = []
    for name, data in parts:
        if name == "xl/workbook.xml":
            data = data.replace(
                b"</sheets>",
                b'<sheet name="'
                + xml_text(sheet)
                + b'" sheetId="%d" r:id="rId900"/></sheets>' % sheet_id,
            )
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId900" Type="http://'
                b"schemas.openxmlformats.org/officeDocument/2006/relationships/"
                b'worksheet" Target="' + part[3:].encode() + b'"/></Relationships>',
            )
        elif name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/'
                + part.encode()
                + b'" ContentType="application/vnd.openxmlformats-officedocument.'
                b'spreadsheetml.worksheet+xml"/></Types>',
            )
        out.append((name, data))
    out.append((part, xml))
    return out


def _shift_refs(text: bytes, at: int) -> bytes:
    def fn(m: re.Match[bytes]) -> bytes:
        row = int(m.group(4))
        return m.group(1) + m.group(2) + m.group(3) + str(row + 1 if row >= at else row).encode()

    return _REF.sub(fn, text)


def insert_row(parts: Parts, sheet: str, at: int, row_xml: Callable[[int], bytes]) -> Parts:
    """Insert a sheet row before 1-based row ``at``, shifting everything below as Excel does."""
    part = part_of(parts, sheet)
    quoted = [b"'" + xml_text(sheet) + b"'!", b"&apos;" + xml_text(sheet) + b"&apos;!"]

    def sheet_fn(data: bytes) -> bytes:
        data = re.sub(
            rb'(<row r=")(\d+)"', lambda m: m.group(1) + _bump(m.group(2), at) + b'"', data
        )
        data = re.sub(
            rb'(<c r="[A-Z]+)(\d+)"', lambda m: m.group(1) + _bump(m.group(2), at) + b'"', data
        )
        data = re.sub(
            rb"(<f[^>]*>)([^<]*)(</f>)",
            lambda m: m.group(1) + _shift_refs(m.group(2), at) + m.group(3),
            data,
        )
        data = re.sub(
            rb'((?:ref|sqref)=")([^"]*)(")',
            lambda m: m.group(1) + _shift_refs(m.group(2), at) + m.group(3),
            data,
        )
        data = re.sub(
            rb"(<formula>)([^<]*)(</formula>)",
            lambda m: m.group(1) + _shift_refs(m.group(2), at) + m.group(3),
            data,
        )
        i = data.find(b'<row r="%d"' % (at + 1))
        return data[:i] + row_xml(at) + data[i:]

    def wb_fn(data: bytes) -> bytes:
        def name_fn(m: re.Match[bytes]) -> bytes:
            body = m.group(2)
            if any(q in body for q in quoted):
                body = _shift_refs(body, at)
            return m.group(1) + body + m.group(3)

        return re.sub(rb"(<definedName [^>]*>)([^<]*)(</definedName>)", name_fn, data)

    return edit(edit(parts, part, sheet_fn), "xl/workbook.xml", wb_fn)


def _bump(num: bytes, at: int) -> bytes:
    n = int(num)
    return str(n + 1 if n >= at else n).encode()
