"""A shared-strings table written plainly, read by regular expressions (see accel/__init__.py).

Returns None (the caller then streams the part with ``strings.parse_shared_strings``, the
rule) unless the table is in the shape below and within every bound.
"""

from __future__ import annotations

import re

from xlreport.errors import UnreadableFileError
from xlreport.reader.accel.plain import char_data, plain_body
from xlreport.reader.strings import unescape
from xlreport.reader.xmlsafe import MAIN_NS, Budget, new_parser, run

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


def read_plain_strings(data: bytes, part: str, budget: Budget) -> list[str] | None:
    """The strings of the whole part ``data`` as ``parse_shared_strings`` reads them, with
    ``budget`` updated; or None, having changed nothing, when the table is not plain, or
    is not well-formed, or exceeds a bound (the parser then says why)."""
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
    try:
        run(new_parser(), [data], part)  # well-formed (and no DTD)
    except UnreadableFileError:
        return None  # the parser gives the reason
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
