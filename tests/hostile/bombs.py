"""Crafted workbooks: bombs, entity attacks, absurd sizes, broken containers.

Most start from a good return's parts, so that the attack sits where a real reader goes
(the shared strings, a table sheet, the workbook part) behind a perfectly normal package.
"""

from __future__ import annotations

import random
import re
import zlib

from hostile.tamper import Parts, edit, get, part_of
from hostile.zipkit import RawMember, deflated, raw_zip, repeated_deflate, write_members

GIB = 1 << 30
_LOL = (b"<!DOCTYPE %s [\n<!ENTITY lol \"lol\">\n"
        + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b"]>")  # fmt: skip
_XML_DECL = re.compile(rb"^<\?xml[^>]*\?>\s*")


def _with_doctype(data: bytes, root: bytes, doctype: bytes) -> bytes:
    m = _XML_DECL.match(data)
    decl = m.group(0) if m else b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return decl + doctype.replace(b"%s", root) + b"\n" + data[len(decl) if m else 0 :]


def billion_laughs_sst(parts: Parts) -> Parts:
    def fn(d: bytes) -> bytes:
        d = _with_doctype(d, b"sst", _LOL)
        return d.replace(b"<si><t>", b"<si><t>&lol9;", 1)

    return edit(parts, "xl/sharedStrings.xml", fn)


def billion_laughs_sheet(parts: Parts, sheet: str) -> Parts:
    def fn(d: bytes) -> bytes:
        d = _with_doctype(d, b"worksheet", _LOL)
        return (
            d.replace(
                b"<sheetData>",
                b'<sheetData><row r="1"><c r="Z1" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
                1,
            )
            if b'<row r="1"' not in d
            else re.sub(
                rb'(<row r="1"[^>]*>)',
                rb'\1<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>',
                d,
                count=1,
            )
        )

    return edit(parts, part_of(parts, sheet), fn)


def billion_laughs_workbook(parts: Parts) -> Parts:
    def fn(d: bytes) -> bytes:
        d = _with_doctype(d, b"workbook", _LOL)
        return re.sub(rb'(<definedName name="XLR_LAYOUT"[^>]*>)[^<]*', rb"\1&lol9;", d)

    return edit(parts, "xl/workbook.xml", fn)


def external_entity(parts: Parts) -> Parts:
    doctype = b'<!DOCTYPE %s [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def fn(d: bytes) -> bytes:
        return _with_doctype(d, b"sst", doctype).replace(b"<si><t>", b"<si><t>&xxe;", 1)

    return edit(parts, "xl/sharedStrings.xml", fn)


def deep_nesting(parts: Parts, sheet: str, depth: int = 100_000) -> Parts:
    def fn(d: bytes) -> bytes:
        return d.replace(b"<sheetData>", b"<sheetData>" + b"<x>" * depth + b"</x>" * depth, 1)

    return edit(parts, part_of(parts, sheet), fn)


def many_shared_strings(parts: Parts, n: int = 2_000_000) -> Parts:
    body = b"".join(b"<si><t>%d</t></si>" % i for i in range(n))

    def fn(d: bytes) -> bytes:
        d = re.sub(rb'(count|uniqueCount)="\d+"', rb'\1="%d"' % n, d)
        return d.replace(b"</sst>", body + b"</sst>")

    return edit(parts, "xl/sharedStrings.xml", fn)


def million_empty_rows(parts: Parts, sheet: str, rows: int = 1_000_000) -> Parts:
    def fn(d: bytes) -> bytes:
        last = max(int(x) for x in re.findall(rb'<row r="(\d+)"', d))
        tail = b"".join(
            b'<row r="%d" spans="1:10" ht="15"/>' % r for r in range(last + 1, last + 1 + rows)
        )
        return d.replace(b"</sheetData>", tail + b"</sheetData>", 1)

    return edit(parts, part_of(parts, sheet), fn)


def _members(parts: Parts, replace: dict[str, RawMember]) -> list[RawMember]:
    return [replace.get(n, deflated(n, d)) for n, d in parts]


def zip_bomb(parts: Parts, sheet: str, *, lie: bool) -> bytes:
    """The table sheet replaced by ~1 GiB of XML (one long text) compressing to ~1 MB.

    ``lie``: the local and central headers claim the original sheet's size instead.
    """
    name = part_of(parts, sheet)
    original = get(parts, name)
    head = (
        original[: original.index(b"<sheetData>")] + b'<sheetData><row r="1"><c r="A1" t="inline'
        b'Str"><is><t>'
    )
    tail = b"</t></is></c></row></sheetData></worksheet>"
    data, crc, size = repeated_deflate(head, b"A" * (1 << 20), GIB >> 20, tail)
    member = RawMember(name, data, crc, size, declared_size=len(original) if lie else None)
    return raw_zip(_members(parts, {name: member}))


def lying_size(parts: Parts, sheet: str) -> bytes:
    """An ordinary sheet whose size headers claim a tenth of its real size."""
    name = part_of(parts, sheet)
    raw = get(parts, name)
    m = deflated(name, raw)
    return raw_zip(
        _members(
            parts, {name: RawMember(name, m.data, m.crc, m.size, declared_size=len(raw) // 10)}
        )
    )


def bad_crc(parts: Parts, sheet: str) -> bytes:
    name = part_of(parts, sheet)
    m = deflated(name, get(parts, name))
    return raw_zip(_members(parts, {name: RawMember(name, m.data, m.crc ^ 0x5A5A5A5A, m.size)}))


def encrypted_member(parts: Parts, sheet: str) -> bytes:
    """A sheet flagged as zip-encrypted (what “zip with password” tools write)."""
    name = part_of(parts, sheet)
    m = deflated(name, get(parts, name))
    rng = random.Random(5)
    junk = bytes(rng.getrandbits(8) for _ in range(12)) + m.data
    return raw_zip(_members(parts, {name: RawMember(name, junk, m.crc, m.size, flags=1)}))


def broken_xml(parts: Parts, sheet: str) -> bytes:
    """A sheet cut in the middle of an element (zip intact)."""
    return write_members(edit(parts, part_of(parts, sheet), lambda d: d[: len(d) // 2]))


def undecodable_encoding(parts: Parts, sheet: str) -> Parts:
    """A sheet declaring GB18030, a multi-byte encoding expat cannot decode."""

    def fn(d: bytes) -> bytes:
        return d.replace(b'encoding="UTF-8"', b'encoding="GB18030"', 1)

    return edit(parts, part_of(parts, sheet), fn)


def too_many_members(parts: Parts, n: int = 60_000) -> bytes:
    empty = deflated("x", b"")
    extra = [RawMember(f"customXml/item{i}.xml", empty.data, empty.crc, 0) for i in range(n)]
    return raw_zip(_members(parts, {}) + extra)


def truncated(data: bytes) -> bytes:
    return data[: len(data) * 3 // 5]


def empty_zip() -> bytes:
    return b"PK\x05\x06" + b"\0" * 18


def far_cell_workbook() -> bytes:
    """A 5 KB workbook, not a return, with one cell at XFD1048576 (kills some readers)."""
    ct = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas'
        b'.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
        b'"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        b'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override'
        b' PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.open'
        b'xmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="xl/workbook.xml"/></Relationships>'
    )
    wb = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="http://schemas.openxml'
        b'formats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/office'
        b'Document/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
        b"</sheets></workbook>"
    )
    wb_rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
        b'://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="worksheets/sheet1.xml"/></Relationships>'
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxml'
        b'formats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2'
        b"</v></c></row></sheetData></worksheet>"
    )
    parts = [
        ("[Content_Types].xml", ct),
        ("_rels/.rels", rels),
        ("xl/workbook.xml", wb),
        ("xl/_rels/workbook.xml.rels", wb_rels),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    return write_members(parts)


def crc_of(data: bytes) -> int:
    return zlib.crc32(data)
