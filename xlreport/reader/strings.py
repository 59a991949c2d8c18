"""The shared-strings table (xl/sharedStrings.xml) and OOXML text unescaping."""

from __future__ import annotations

import re
from collections.abc import Iterable

from xlreport.reader import reasons
from xlreport.reader.plain import char_data, plain_body
from xlreport.reader.xmlsafe import MAIN_NS, Budget, names, new_parser, run

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Undo OOXML's ``_xHHHH_`` escapes (how Excel stores control characters)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


_SI, _T, _RPH = 1, 2, 3
_TAGS = {
    name: {"si": _SI, "t": _T, "rPh": _RPH}[local]
    for name, local in names(MAIN_NS, "si", "t", "rPh").items()
}


#: A table written plainly: the root with the main namespace as its only declaration, then
#: nothing but ``<si>`` holding one ``<t>`` or rich-text runs (``<r>``, optional ``<rPr>`` of
#: empty elements, ``<t>``), as Excel and LibreOffice write it. Phonetic runs or anything
#: else: streamed.
_TEXT = r'<t(?: xml:space="preserve")?>([^<]*)</t>'
#: Run properties: empty elements only (their attributes are checked by expat; a ">" in
#: one makes the run not plain).
_RUN_PROPS = r"(?:<rPr>(?:<[A-Za-z][^<>]*/>)*</rPr>)?"
_SI_BODY = rf"(?:{_TEXT}|(?:<r>{_RUN_PROPS}{_TEXT}</r>)+)".replace("([^<]*)", "[^<]*")
_SST_OPEN = re.compile(r'\s*<sst(?=\s)[^<>]*?\sxmlns="' + re.escape(MAIN_NS[0]) + r'"[^<>]*>')
_SST_CLOSE = re.compile(r"</sst>\s*")
_PLAIN_SI = re.compile(rf"<si>({_SI_BODY})</si>")
_PLAIN_T = re.compile(_TEXT)


def read_shared_strings(data: bytes, part: str, budget: Budget) -> list[str]:
    """The whole part ``data`` read as :func:`parse_shared_strings` reads it; a plain table
    (nearly every one) by regular expressions after expat has checked it well-formed."""
    strings = _plain_strings(data, part, budget)
    if strings is None:
        return parse_shared_strings([data], part, budget)
    return strings


def _plain_strings(data: bytes, part: str, budget: Budget) -> list[str] | None:
    body = plain_body(data)
    if body is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # (decoding drops nothing before ``body``: the declaration is ASCII)
    bodies = _plain_bodies(text, body)
    if bodies is None or text.count("xmlns", body, text.index(">", body)) != 1:
        return None  # not plain, or a declaration besides the main namespace
    limits = budget.limits
    elements = budget.elements + text.count("<", body) - text.count("</", body)
    if len(bodies) > limits.max_shared_strings or elements > limits.max_elements:
        return None  # the streaming parser says which bound
    run(new_parser(), [data], part)  # well-formed (and no DTD), or the reason why not
    budget.elements = elements
    return [_plain_string(b) for b in bodies]


def _plain_bodies(text: str, body: int) -> list[str] | None:
    """The bodies of the ``<si>`` of a plain table that starts at ``body``: the root, then
    plain ``<si>`` one after another and nothing else, then the root's end; else None."""
    m = _SST_OPEN.match(text, body)
    if m is None:
        return None
    pos = m.end()
    bodies: list[str] = []
    for si in _PLAIN_SI.finditer(text, pos):
        if si.start() != pos:
            return None  # something else between two strings
        bodies.append(si[1])
        pos = si.end()
    return bodies if _SST_CLOSE.fullmatch(text, pos) else None


def _plain_string(body: str) -> str:
    """The text of one plain ``<si>``: its runs' texts joined."""
    texts = _PLAIN_T.findall(body)
    s = texts[0] if len(texts) == 1 else "".join(texts)
    return unescape(char_data(s)) if "&" in s or "_x" in s or "\r" in s else s


def parse_shared_strings(chunks: Iterable[bytes], part: str, budget: Budget) -> list[str]:
    """Every ``<si>`` as one string: rich-text runs concatenated, phonetic runs ignored."""
    limits = budget.limits
    strings: list[str] = []
    parts: list[str] = []
    capturing = False
    in_rph = 0
    depth = 0
    elements = budget.elements
    max_depth = limits.max_depth
    max_elements = limits.max_elements
    max_strings = limits.max_shared_strings
    tags = _TAGS.get

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal depth, elements, capturing, in_rph
        depth += 1
        elements += 1
        if depth > max_depth:
            raise reasons.xml_too_deep(part, max_depth)
        if elements > max_elements:
            raise reasons.too_many_elements(max_elements)
        tag = tags(name)
        if tag == _T:
            capturing = not in_rph
        elif tag == _SI:
            parts.clear()
            if len(strings) >= max_strings:
                raise reasons.too_many_strings(max_strings)
        elif tag == _RPH:
            in_rph += 1

    def end(name: str) -> None:
        nonlocal depth, capturing, in_rph
        depth -= 1
        tag = tags(name)
        if tag == _T:
            capturing = False
        elif tag == _SI:
            strings.append(unescape("".join(parts)))
        elif tag == _RPH:
            in_rph -= 1

    def chars(data: str) -> None:
        if capturing:
            parts.append(data)

    p = new_parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    run(p, chunks, part)
    budget.elements = elements
    return strings
