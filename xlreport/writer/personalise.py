"""Many personalised workbooks fast: build once with placeholder tokens, then substitute.

The one workbook built by xlsxwriter carries unique tokens where the agency name, agency
code and template id go. For each agency the tokens are replaced, XML-escaped exactly as
xlsxwriter escapes them (plus ``&`` → ``&&`` in the page header and ``"`` → ``""`` in the
constant defined names), in the few package parts that hold them; every other part, and
the part of each worksheet before its page header, reuses its compressed bytes
(:mod:`xlreport.writer.zippack`). The result is byte-identical to :func:`build_workbook`
for that agency (tested). When a value could be written differently by xlsxwriter (control
characters, edge whitespace) or would coincide with another shared string (which
xlsxwriter stores once), the agency's workbook is simply built directly.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

from xlreport.identity import Identity
from xlreport.spec.model import Layout
from xlreport.writer.tokens import SHARED_STRING, plain, substitute, xml_text
from xlreport.writer.workbook import HEADER_NAME_MAX, build_members, build_workbook
from xlreport.writer.zippack import (
    Member,
    Segment,
    compress_segments,
    deflate,
    join,
    member,
    segments,
    write_zip,
)

TOKEN_NAME = "XLRTOKxNAMEx7Q"
TOKEN_CODE = "XLRTOKxCODEx7Q"
TOKEN_TID = "XLRTOKxTIDxx7Q"
_TOKENS = (TOKEN_NAME, TOKEN_CODE, TOKEN_TID)
#: Which tokens may stand in which kind of part.
_ALLOWED = {"text": set(_TOKENS), "header": {TOKEN_NAME}, "formula": {TOKEN_CODE, TOKEN_TID}}
_SST = "xl/sharedStrings.xml"
_WORKBOOK = "xl/workbook.xml"


def _context(name: str) -> str | None:
    if name == _SST:
        return "text"
    if name == _WORKBOOK:
        return "formula"
    if name.startswith("xl/worksheets/sheet"):
        return "header"
    return None


def _replacements(context: str, identity: Identity) -> dict[bytes, bytes]:
    name, code, tid = identity.agency_name, identity.agency_code, identity.template_id
    if context == "text":
        pairs = {TOKEN_NAME: name, TOKEN_CODE: code, TOKEN_TID: tid}
    elif context == "header":
        pairs = {TOKEN_NAME: name[:HEADER_NAME_MAX].replace("&", "&&")}
    else:
        pairs = {TOKEN_CODE: code.replace('"', '""'), TOKEN_TID: tid.replace('"', '""')}
    return {k.encode(): xml_text(v) for k, v in pairs.items()}


@dataclass
class _Base:
    """The token workbook, split into what is reused and what is substituted per agency."""

    fixed: dict[str, Member]  # parts without tokens
    heads: dict[str, Segment]  # worksheets: compressed part before the page header
    raw: dict[str, bytes]  # token-bearing parts (worksheets: only the tail)
    order: list[str]
    sst_fixed: frozenset[bytes]  # shared strings without tokens
    sst_tokened: list[bytes]  # shared strings with tokens
    usable: bool


def _prepare(parts: list[tuple[str, bytes]]) -> _Base:
    base = _Base({}, {}, {}, [n for n, _ in parts], frozenset(), [], True)
    tokens = [t.encode() for t in _TOKENS]
    for name, data in parts:
        if not any(t in data for t in tokens):
            base.fixed[name] = member(name, data)
            continue
        ctx = _context(name)
        if ctx is None:
            base.usable = False
            continue
        if any(t in data for t in tokens if t.decode() not in _ALLOWED[ctx]):
            base.usable = False
        pieces = segments(name, data)
        if ctx == "header" and len(pieces) == 2 and not any(t in pieces[0] for t in tokens):
            head = pieces[0]
            base.heads[name] = Segment(head, deflate(head, last=False), zlib.crc32(head))
            base.raw[name] = pieces[1]
        else:
            base.raw[name] = data
        if name == _SST:
            entries = SHARED_STRING.findall(data)
            base.sst_fixed = frozenset(e for e in entries if not any(t in e for t in tokens))
            base.sst_tokened = [e for e in entries if any(t in e for t in tokens)]
    return base


class Personaliser:
    """Builds the workbooks of many agencies of one layout, year and county fast."""

    def __init__(self, layout: Layout, *, password: str) -> None:
        self.layout = layout
        self.password = password
        self._bases: dict[Identity, _Base] = {}
        self.fast = 0  # how many workbooks took the fast path
        self.direct = 0

    def _base(self, identity: Identity) -> _Base:
        key = replace(
            identity, agency_name=TOKEN_NAME, agency_code=TOKEN_CODE, template_id=TOKEN_TID
        )
        base = self._bases.get(key)
        if base is None:
            base = _prepare(build_members(self.layout, key, password=self.password))
            self._bases[key] = base
        return base

    def build(self, identity: Identity) -> bytes:
        """Exactly ``build_workbook(layout, identity, password=password)``, usually faster."""
        values = (identity.agency_name, identity.agency_code, identity.template_id)
        if identity.kind != "return" or not all(plain(v) for v in values):
            return self._direct(identity)
        base = self._base(identity)
        if not base.usable:
            return self._direct(identity)
        text = _replacements("text", identity)
        shared = [substitute(e, text) for e in base.sst_tokened]
        if len(set(shared)) != len(shared) or base.sst_fixed.intersection(shared):
            return self._direct(identity)  # xlsxwriter would store a repeated string once
        members: list[Member] = []
        for name in base.order:
            fixed = base.fixed.get(name)
            if fixed is not None:
                members.append(fixed)
                continue
            ctx = _context(name)
            assert ctx is not None
            data = substitute(base.raw[name], _replacements(ctx, identity))
            head = base.heads.get(name)
            if head is not None:
                members.append(join(name, [head, *compress_segments([data])]))
            else:
                members.append(member(name, data))
        self.fast += 1
        return write_zip(members)

    def _direct(self, identity: Identity) -> bytes:
        self.direct += 1
        return build_workbook(self.layout, identity, password=self.password)
