"""Many distinct returns fast, saved the way Excel or LibreOffice save them.

One return is built by the real writer with token texts for the agency, its sign-off and
figures that hold every rule; it is then (optionally) re-saved — by real LibreOffice, or
rewritten the way Excel or LibreOffice write their XML — and cut into a template: the
bytes around every value cell of the layout (its ``<v>`` text) and around the tokens.
Each agency's return is that template with its own texts and figures (totals' cached
values computed from the layout) put back, then zipped: a few milliseconds a file.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from hostile.values import Agency
from hostile.zipkit import RawMember, raw_zip, read_members
from xlreport.identity import Identity, template_id_of
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook

PASSWORD = "hostile-pw"
TOKENS = {
    "name": "XLRHOSTILExNAMEx01",
    "code": "XLRHOSTILExCODEx02",
    "tid": "XLRHOSTILExTIDxx03",
    "filler": "XLRHOSTILExFILLx04",
    "phone": "XLRHOSTILExPHONx05",
    "head": "XLRHOSTILExHEADx06",
    "date": "XLRHOSTILExDATEx07",
}
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_V = re.compile(rb"<v>([^<]*)</v>")

Parts = list[tuple[str, bytes]]


def identity(layout: Layout, year: int, agency: Agency, county: str = "清河县") -> Identity:
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=year,
        agency_code=agency.code,
        agency_name=agency.name,
        agency_type=agency.type,
        template_id=template_id_of(layout.fingerprint, year, county, agency.code),
        county=county,
    )


def xml_text(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()


def number_text(d: Decimal) -> bytes:
    """A number as Excel and LibreOffice store it: no exponent, no trailing zeros."""
    if d == d.to_integral_value():
        return str(int(d)).encode()
    return format(d.normalize(), "f").encode()


def sheet_parts(parts: Parts) -> dict[str, str]:
    """Sheet name → worksheet part, from workbook.xml and its relationships."""
    data = dict(parts)
    rels: dict[str, str] = {}
    for tag in re.findall(rb"<Relationship [^>]*>", data["xl/_rels/workbook.xml.rels"]):
        rid = re.search(rb' Id="([^"]+)"', tag)
        target = re.search(rb' Target="([^"]+)"', tag)
        assert rid and target
        rels[rid.group(1).decode()] = target.group(1).decode()
    out: dict[str, str] = {}
    for m in re.finditer(rb"<sheet [^>]*>", data["xl/workbook.xml"]):
        tag = m.group(0)
        name = re.search(rb'name="([^"]*)"', tag)
        rid = re.search(rb'r:id="([^"]*)"', tag)
        assert name and rid
        where = rels[rid.group(1).decode()].lstrip("/")
        part = where if where.startswith("xl/") else "xl/" + where
        out[unescape(name.group(1).decode())] = part
    return out


def unescape(text: str) -> str:
    return (
        text.replace("&apos;", "'")
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def base_parts(layout: Layout, year: int, values: Mapping[str, Decimal]) -> Parts:
    """The token workbook as the writer makes it."""
    token_agency = Agency(TOKENS["code"], TOKENS["name"], "部门")
    ident = replace(identity(layout, year, token_agency), template_id=TOKENS["tid"])
    signoff = {k: TOKENS[k] for k in ("filler", "phone", "head", "date")}
    data = build_workbook(layout, ident, password=PASSWORD, values=dict(values), signoff=signoff)
    return read_members(data)


@dataclass
class _Part:
    name: str
    pieces: list[bytes | str]  # bytes: fixed text; str: a cell id whose value goes there
    tokened: bool
    fixed: RawMember | None  # compressed once when nothing in it changes


class Stamper:
    """Turns (agency, figures, sign-off, saved time) into the bytes of a return."""

    def __init__(
        self, layout: Layout, parts: Parts, *, year: int = 2024, county: str = "清河县"
    ) -> None:
        self.layout = layout
        self.year, self.county = year, county
        by_name = sheet_parts(parts)
        cells_of: dict[str, dict[str, str]] = {}
        for cell in layout.cells.values():
            part = by_name[layout.sheet(cell.sheet).name]
            cells_of.setdefault(part, {})[cell.a1] = cell.id
        self.parts: list[_Part] = []
        tokens = [t.encode() for t in TOKENS.values()]
        for name, data in parts:
            pieces = _cut(data, cells_of.get(name, {}))
            tokened = any(t in data for t in tokens) or name == "docProps/core.xml"
            changes = tokened or any(isinstance(p, str) for p in pieces)
            fixed = None if changes else _deflate(name, data)
            self.parts.append(_Part(name, pieces, tokened, fixed))

    def make(
        self,
        agency: Agency,
        values: Mapping[str, Decimal],
        signoff: Mapping[str, str],
        saved_at: str,
        tid: str = "",
    ) -> bytes:
        full = self.layout.compute_totals(values)
        texts = {k: number_text(v) for k, v in full.items()}
        repl = {
            TOKENS["name"].encode(): xml_text(agency.name),
            TOKENS["code"].encode(): xml_text(agency.code),
            TOKENS["tid"].encode(): xml_text(
                tid or template_id_of(self.layout.fingerprint, self.year, self.county, agency.code)
            ),
        }
        repl.update({TOKENS[k].encode(): xml_text(v) for k, v in signoff.items() if k in TOKENS})
        members = []
        for p in self.parts:
            if p.fixed is not None:
                members.append(p.fixed)
                continue
            data = b"".join(texts[x] if isinstance(x, str) else x for x in p.pieces)
            if p.tokened:
                for token, value in repl.items():
                    data = data.replace(token, value)
                if p.name == "docProps/core.xml":
                    data = _MODIFIED.sub(rb"\g<1>" + saved_at.encode() + rb"\g<2>", data)
            members.append(_deflate(p.name, data))
        return raw_zip(members)


def _cut(data: bytes, cells: Mapping[str, str]) -> list[bytes | str]:
    """``data`` split around the ``<v>`` text of the cells in ``cells`` (A1 → cell id)."""
    if not cells:
        return [data]
    pieces: list[bytes | str] = []
    pos = 0
    found = set()
    for m in _CELL.finditer(data):
        ref = m.group(1).decode()
        if ref not in cells or m.group(2) is None:
            continue
        v = _V.search(m.group(2))
        if v is None:
            continue
        start = m.start(2) + v.start(1)
        pieces.append(data[pos:start])
        pieces.append(cells[ref])
        pos = m.start(2) + v.end(1)
        found.add(ref)
    pieces.append(data[pos:])
    missing = set(cells) - found
    if missing:
        raise ValueError(f"the base workbook has no value in {sorted(missing)[:5]}")
    return pieces


def _deflate(name: str, data: bytes) -> RawMember:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawMember(name, co.compress(data) + co.flush(), zlib.crc32(data), len(data))


Transform = Callable[[Parts], Parts]
