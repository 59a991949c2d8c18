"""Pieces of a worksheet part that accel/sheet.py verifies on their own: where the parser
(reader/sheet.py) meets them, and runs of subtrees checked well-formed and counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlreport.reader.accel.cells import Declined
from xlreport.reader.sheet import SKIPPED
from xlreport.reader.xmlsafe import CUT_NAMES, MAIN_NS, X14_NS, names, new_parser, run

_MAIN = MAIN_NS[0]
_WRAP_OPEN = f'<xlr:wrap xmlns:xlr="urn:xlreport:wrap" xmlns="{_MAIN}">'.encode()
_WRAP_CLOSE = b"</xlr:wrap>"
_HEADER_FOOTER_CHILDREN = frozenset(
    f"{ns} {local}"
    for ns in MAIN_NS
    for local in (
        "oddHeader",
        "oddFooter",
        "evenHeader",
        "evenFooter",
        "firstHeader",
        "firstFooter",
    )
)
_VALIDATION_NAMES = frozenset((f"{_MAIN} dataValidation", f"{X14_NS} dataValidation"))


@dataclass(frozen=True)
class Subtree:
    elements: int
    depth: int  # of its deepest element, the run's own elements being 1
    validations: int


_HEADERS: dict[bytes, Subtree] = {}


_SHEET_DATA = frozenset(names(MAIN_NS, "sheetData"))
_HEADER_FOOTER = frozenset(names(MAIN_NS, "headerFooter"))
_CUT = frozenset(names(MAIN_NS, *CUT_NAMES))


@dataclass
class Where:
    """Where the parser meets the pieces of a frame (the root element is depth 1)."""

    sheet_data: int = 0  # <sheetData> elements outside skipped subtrees
    sheet_data_depth: int = 0  # depth of the last of them
    cut: int = 0  # <dataValidations>/<conditionalFormatting> outside skipped subtrees
    cut_depth: int = 0  # the greatest depth of one of those
    header_footer: int = 0  # <headerFooter> elements outside skipped subtrees
    header_footer_depth: int = 0


def locate(rest: bytes, part: str) -> Where:
    """Where ``<sheetData>``, ``<headerFooter>`` and the cut subtrees stand in a frame the
    parser has read: in the main namespace, outside the subtrees it skips (``SKIPPED``)."""
    where = Where()
    depth = skip_from = 0

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal depth, skip_from
        depth += 1
        if skip_from:
            return
        if name in _SHEET_DATA:
            where.sheet_data += 1
            where.sheet_data_depth = depth
        elif name in _HEADER_FOOTER:
            where.header_footer += 1
            where.header_footer_depth = depth
        elif name in SKIPPED:
            if name in _CUT:
                where.cut += 1
                where.cut_depth = max(where.cut_depth, depth)
            skip_from = depth

    def end(_name: str) -> None:
        nonlocal depth, skip_from
        if depth == skip_from:
            skip_from = 0
        depth -= 1

    p: Any = new_parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    run(p, [rest], part)
    return where


def header_footer_subtree(region: bytes) -> Subtree:
    """A page header checked as ``subtree`` does; the last few are remembered (the sheets
    of one return share theirs)."""
    sub = _HEADERS.get(region)
    if sub is None:
        sub = subtree(region, _HEADER_FOOTER_CHILDREN)
        if len(_HEADERS) >= 16:
            _HEADERS.clear()
        _HEADERS[region] = sub
    return sub


def subtree(region: bytes, allowed: frozenset[str] | None) -> Subtree:
    """Elements, depth and validations of a run of subtrees, checked well-formed; with
    ``allowed``, every element below the run's own must be named there."""
    elements = depth = deepest = validations = 0

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal elements, depth, deepest, validations
        elements += 1
        depth += 1
        if depth > deepest:
            deepest = depth
        if name in _VALIDATION_NAMES:
            validations += 1
        if allowed is not None and depth > 2 and name not in allowed:
            raise Declined

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    p: Any = new_parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    run(p, [_WRAP_OPEN, region, _WRAP_CLOSE], "fragment")
    return Subtree(elements - 1, deepest - 1, validations)
