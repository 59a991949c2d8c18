"""Expat, configured so that an xlsx part can never expand entities or fetch anything.

Parts of an xlsx never carry a document type declaration, so any DTD is refused the
moment it starts: no internal entity (billion laughs) and no external entity (a local
file) is ever declared, let alone expanded. Namespaces are processed, so element names
arrive as "namespace-uri local-name" and prefixes chosen by the writer do not matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn
from xml.parsers import expat

from xlreport.reader import reasons
from xlreport.reader.limits import ReadLimits

#: Namespaces of the spreadsheet vocabulary: transitional (what everyone writes) and strict.
MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
REL_ATTR_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
#: Worksheet elements whose subtrees the reader never interprets (it only counts the data
#: validations in them): reader/accel/ cuts them out and verifies them on their own.
CUT_NAMES = ("dataValidations", "conditionalFormatting")


def names(namespaces: Iterable[str], *locals_: str) -> dict[str, str]:
    """Map the expanded names ("uri local") of ``locals_`` in ``namespaces`` to the local name."""
    return {f"{ns} {local}": local for ns in namespaces for local in locals_}


class _Refused(Exception):
    """A DTD, entity or external reference was seen: turned into UnreadableFileError."""


def _refuse(*_args: Any) -> NoReturn:
    raise _Refused


@dataclass
class Budget:
    """What the parts read so far have used of the workbook-wide limits."""

    limits: ReadLimits
    elements: int = 0
    cells: int = 0
    rows: int = 0
    formula_chars: int = 0  # text of shared formulas expanded for their dependents


def new_parser() -> Any:
    """An expat parser that refuses any DTD or entity declaration."""
    p = expat.ParserCreate(namespace_separator=" ")
    p.buffer_text = True
    p.buffer_size = 65_536
    p.StartDoctypeDeclHandler = _refuse
    p.EntityDeclHandler = _refuse
    p.UnparsedEntityDeclHandler = _refuse
    p.NotationDeclHandler = _refuse
    p.ExternalEntityRefHandler = _refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def run(parser: Any, chunks: Iterable[bytes], part: str) -> None:
    """Feed ``chunks`` to ``parser`` as they are inflated; translate parse failures."""
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused:
        raise reasons.xml_dtd(part) from None
    except expat.ExpatError as e:
        raise reasons.xml_invalid(part, f"第 {e.lineno} 行第 {e.offset} 列") from None
    except ValueError:  # expat cannot decode a multi-byte encoding other than UTF-8/16
        raise reasons.xml_invalid(part, "使用了无法识别的字符编码，应为 UTF-8") from None


@dataclass
class Element:
    name: str  # local name
    attrs: dict[str, str]
    text: str = ""


#: Results of ``scan`` by the part's exact bytes and what was asked: the content types,
#: relationships and app properties of returns made from one template are identical.
_SCANNED: dict[tuple[object, ...], tuple[int, tuple[Element, ...]]] = {}
_SCANNED_MAX = 256
_SCAN_CACHE_BYTES = 64 * 1024


def scan(
    chunks: Iterable[bytes],
    part: str,
    wanted: dict[str, str],
    with_text: frozenset[str],
    budget: Budget,
) -> list[Element]:
    """The elements of a small part whose expanded name is in ``wanted``, in document order.

    Text is gathered for the local names in ``with_text`` (direct text only; such elements
    have no children in the parts read this way). Depth and element counts are bounded.
    The elements returned are shared with later calls on the same bytes: read them only.
    """
    data = b"".join(chunks)
    if len(data) > _SCAN_CACHE_BYTES:
        return _scan(data, part, wanted, with_text, budget)
    key = (data, part, tuple(wanted.items()), with_text, budget.limits)
    known = _SCANNED.get(key)
    if known is None:
        alone = Budget(budget.limits)
        found = _scan(data, part, wanted, with_text, alone)
        if len(_SCANNED) >= _SCANNED_MAX:
            _SCANNED.clear()
        known = _SCANNED[key] = (alone.elements, tuple(found))
    budget.elements += known[0]
    if budget.elements > budget.limits.max_elements:
        raise reasons.too_many_elements(budget.limits.max_elements)
    return list(known[1])


def _scan(
    data: bytes,
    part: str,
    wanted: dict[str, str],
    with_text: frozenset[str],
    budget: Budget,
) -> list[Element]:
    limits = budget.limits
    found: list[Element] = []
    text: list[str] = []
    capturing = False
    depth = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, capturing
        depth += 1
        budget.elements += 1
        if depth > limits.max_depth:
            raise reasons.xml_too_deep(part, limits.max_depth)
        if budget.elements > limits.max_elements:
            raise reasons.too_many_elements(limits.max_elements)
        local = wanted.get(name)
        if local is not None:
            found.append(Element(local, attrs))
            if local in with_text:
                capturing = True
                text.clear()

    def end(name: str) -> None:
        nonlocal depth, capturing
        depth -= 1
        if capturing and name in wanted:
            found[-1].text = "".join(text)
            capturing = False

    def chars(data: str) -> None:
        if capturing:
            text.append(data)

    p = new_parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    run(p, [data], part)
    return found


def truthy(value: str | None) -> bool:
    """An xsd:boolean attribute: "1" or "true"."""
    return value is not None and value.strip().lower() in ("1", "true")
