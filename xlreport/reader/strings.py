"""The shared-strings table (xl/sharedStrings.xml) and OOXML text unescaping.

(A plain table may be read faster by ``accel/strings.py``, which must agree with this.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from xlreport.reader import reasons
from xlreport.reader.xmlsafe import MAIN_NS, Budget, names, new_parser, run

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


_SURROGATE = re.compile("[\ud800-\udfff]")


def unescape(text: str) -> str:
    """Undo OOXML's ``_xHHHH_`` escapes (how Excel stores control characters). The
    escapes are UTF-16 units: a pair of surrogates is the one character it encodes, a
    lone surrogate (no character at all, and no text a workbook, a document or the ledger
    could hold) becomes U+FFFD."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_SI, _T, _RPH = 1, 2, 3
_TAGS = {
    name: {"si": _SI, "t": _T, "rPh": _RPH}[local]
    for name, local in names(MAIN_NS, "si", "t", "rPh").items()
}


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
