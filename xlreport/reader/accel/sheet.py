"""A worksheet part written the way spreadsheet applications write it, read fast.

Reading a return is dominated by its worksheet parts (~1,200 elements each visited by
Python handlers in ``reader/sheet.py``, the parser). Nearly all of them sit in two places: the cells in
``<sheetData>``, and the data validations and conditional formats, which the reader never
interprets. This module reads such a part in pieces, each as strictly as the streaming
parser reads the whole, and declines (returns False, having changed nothing) the moment a
piece is not in the expected shape — the caller then streams the part with ``parse_sheet``,
which gives the same result or raises the authoritative error:

* the content of ``<sheetData>``: checked well-formed by expat (no handlers, the root's
  namespace declarations in scope), then read by ``cells.read_cells``, whose regular
  expressions must account for every tag of it;
* the ``<headerFooter>`` (it names the agency): parsed on its own, and allowed to hold
  nothing but the six header/footer texts;
* the *frame* — everything else: the runs of ``<dataValidations>`` /
  ``<conditionalFormatting>`` subtrees are parsed on their own with counting handlers
  (elements, depth, validations); the rest, with every piece above replaced by an empty
  placeholder, is parsed by ``parse_sheet`` itself, and located by ``pieces.locate``: where
  ``<sheetData>``, ``<headerFooter>`` and the placeholders stand (in the main namespace,
  outside any subtree the parser skips), so each piece is known to stand where the
  streaming parser would have read it. A verified frame is remembered by its exact bytes: the next return made
  from the same template costs two checksums and a comparison.

Every bound of ``ReadLimits`` is enforced over the pieces together, exactly as over the
whole part. ``tests/test_reader_accel.py`` compares this with the parser, part by part,
over the hostile corpus, returns saved by LibreOffice and in Excel's style, and unusual
and randomly edited parts.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, replace

from xlreport.errors import UnreadableFileError
from xlreport.reader.accel.cells import Declined, read_cells
from xlreport.reader.accel.pieces import header_footer_subtree, locate, subtree
from xlreport.reader.accel.plain import utf8_body
from xlreport.reader.limits import ReadLimits
from xlreport.reader.model import RawCell, RawSheet
from xlreport.reader.sheet import parse_sheet
from xlreport.reader.xmlsafe import CUT_NAMES, Budget, new_parser, run

#: Larger parts are streamed by ``parse_sheet`` (a return's largest is ~100 KB).
FAST_MAX_BYTES = 4 * 1024 * 1024

_ATTRS = rb"(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*"
_OPEN = {
    name: re.compile(rb"<" + name.encode() + rb"(?=[\s/>])" + _ATTRS + rb"(/?)>")
    for name in ("sheetData", "headerFooter", *CUT_NAMES)
}
#: The root element's start tag (its namespace declarations apply to the cells).
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.:-]*)" + _ATTRS + rb">")
_CLOSE = {name: re.compile(rb"</" + name.encode() + rb"\s*>") for name in _OPEN}


_CUT_TAGS = tuple(b"<" + name.encode() for name in CUT_NAMES)
_PLACEHOLDER = _CUT_TAGS[0] + b"/>"
#: (start, end, number of elements) of a run of adjacent cut subtrees.
_Span = tuple[int, int, int]


@dataclass(frozen=True)
class _Frame:
    """What a part holds outside the content of ``<sheetData>``, verified."""

    root: bytes  # the root element's start tag (its namespace declarations)
    root_name: bytes
    merges: tuple[tuple[int, int, int, int], ...]
    protected: bool
    validations: int
    elements: int  # outside the content
    cells: int
    rows: int
    header_footer_depth: int


#: Frames verified in this process, by the exact bytes around the content of <sheetData>
#: (returns made from one template differ in little else): (prefix, suffix, frame or None
#: for a part that is not plain), found by lengths and checksums, then compared in full.
_FRAMES: dict[tuple[object, ...], tuple[tuple[bytes, ...], _Frame | None]] = {}
_FRAMES_MAX = 32


def read_plain_sheet(
    data: bytes,
    part: str,
    sheet: RawSheet,
    sst: list[str],
    budget: Budget,
    dates: frozenset[int] = frozenset(),
) -> bool:
    """Fill ``sheet`` from the whole part ``data`` as ``parse_sheet`` would, and update
    ``budget``; or return False, having changed neither, when the part is not read here."""
    try:
        return _parse(data, part, sheet, sst, budget, dates)
    except (Declined, UnreadableFileError):
        return False


def _parse(
    data: bytes, part: str, sheet: RawSheet, sst: list[str], budget: Budget, dates: frozenset[int]
) -> bool:
    if len(data) > FAST_MAX_BYTES:
        return False
    start = data.find(b"<sheetData")
    if start < 0:
        return False
    opened = _OPEN["sheetData"].match(data, start)
    if opened is None or opened[1]:
        return False
    content_start = opened.end()
    content_end = data.find(b"</sheetData", content_start)
    if content_end < 0 or _CLOSE["sheetData"].match(data, content_end) is None:
        return False
    limits = budget.limits
    hf = _header_footer(data, content_end)
    frame = _frame(data, start, (content_start, content_end), hf, part, limits)
    if frame is None:
        return False
    trial = replace(budget)
    if hf is not None:
        sub = header_footer_subtree(data[hf[0] : hf[1]])
        trial.elements += sub.elements - 1  # its placeholder is counted in the frame
        if frame.header_footer_depth + sub.depth - 1 > limits.max_depth:
            return False
    cells = _content_cells(data[content_start:content_end], frame, part, sst, trial, dates)
    trial.elements += frame.elements
    trial.cells += frame.cells
    trial.rows += frame.rows
    if (
        trial.elements > limits.max_elements
        or trial.cells > limits.max_cells
        or trial.rows > limits.max_rows
    ):
        return False  # the streaming parser says which bound
    sheet.cells.update(cells)
    sheet.merges.extend(frame.merges)
    sheet.protected = frame.protected
    sheet.data_validations += frame.validations
    budget.elements, budget.cells, budget.rows = trial.elements, trial.cells, trial.rows
    budget.formula_chars = trial.formula_chars
    return True


def _header_footer(data: bytes, after: int) -> tuple[int, int] | None:
    """The span of the ``<headerFooter>`` after the cells (it names the agency, so it
    differs between returns made from one template: it is checked on its own)."""
    at = data.find(b"<headerFooter", after)
    if at < 0:
        return None
    opened = _OPEN["headerFooter"].match(data, at)
    if opened is None:
        raise Declined
    if opened[1]:
        return at, opened.end()
    close = data.find(b"</headerFooter", opened.end())
    m = _CLOSE["headerFooter"].match(data, close) if close >= 0 else None
    if m is None:
        raise Declined
    return at, m.end()


def _frame(
    data: bytes,
    sd_start: int,
    content: tuple[int, int],
    hf: tuple[int, int] | None,
    part: str,
    limits: ReadLimits,
) -> _Frame | None:
    """The part's frame, from the cache when the same bytes were verified before."""
    view = memoryview(data)
    a, b = hf if hf is not None else (len(data), len(data))
    pieces = (view[: content[0]], view[content[1] : a], view[b:])
    key = (*(len(x) for x in pieces), *(zlib.crc32(x) for x in pieces), limits)
    known = _FRAMES.get(key)
    if known is not None:
        head, middle, tail = known[0]
        # startswith/endswith compare in place (a memoryview comparison goes item by item)
        if data.startswith(head) and data.startswith(middle, content[1]) and data.endswith(tail):
            return known[1]
    try:
        frame: _Frame | None = _verify_frame(data, sd_start, content, hf, part, limits)
    except (Declined, UnreadableFileError):
        frame = None
    if len(_FRAMES) >= _FRAMES_MAX:
        _FRAMES.clear()
    _FRAMES[key] = (tuple(bytes(x) for x in pieces), frame)
    return frame


def _verify_frame(
    data: bytes,
    sd_start: int,
    content: tuple[int, int],
    hf: tuple[int, int] | None,
    part: str,
    limits: ReadLimits,
) -> _Frame | None:
    """Check the part outside the content of ``<sheetData>`` and ``<headerFooter>`` as
    ``parse_sheet`` would."""
    body = utf8_body(data)
    if body is None:
        return None
    root = _ROOT.match(data, body)
    if root is None:
        return None
    cuts = _cuts(data, sd_start, *content)
    spans = [(*content, b""), *((x, y, _PLACEHOLDER * n) for x, y, n in cuts)]
    if hf is not None:
        spans.append((*hf, b"<headerFooter/>"))
    rest = _without(data, spans)
    scratch = RawSheet(name="")
    counts = Budget(limits)
    parse_sheet([rest], part, scratch, [], counts)
    stats = locate(rest, part)
    if scratch.cells or stats.sheet_data != 1 or stats.cut != sum(n for _, _, n in cuts):
        return None  # cells outside <sheetData>, or a piece not where it seemed to be
    if stats.sheet_data_depth != 2 or stats.header_footer != (hf is not None):
        return None  # the content is checked inside the root element only
    validations = scratch.data_validations
    deepest = stats.sheet_data_depth + 3  # row, cell, formula/value
    for x, y, n in cuts:
        sub = subtree(data[x:y], None)
        counts.elements += sub.elements - n  # the placeholders were counted already
        validations += sub.validations
        deepest = max(deepest, stats.cut_depth + sub.depth - 1)
    if deepest > limits.max_depth or counts.formula_chars:
        return None
    return _Frame(
        root=root[0],
        root_name=root[1],
        merges=tuple(scratch.merges),
        protected=scratch.protected,
        validations=validations,
        elements=counts.elements,
        cells=counts.cells,
        rows=counts.rows,
        header_footer_depth=stats.header_footer_depth,
    )


def _cuts(data: bytes, sd_start: int, content_start: int, content_end: int) -> list[_Span]:
    """Runs of adjacent subtrees to verify on their own, in document order, none nested."""
    spans: list[_Span] = []
    pos = min((i for i in (data.find(t) for t in _CUT_TAGS) if i >= 0), default=-1)
    while pos >= 0:
        start, count = pos, 0
        while True:
            end = _element_end(data, pos)
            if end < 0:
                break  # not one of the two names after all (a longer name)
            count += 1
            pos = end
            if not data.startswith(_CUT_TAGS, pos):
                break
        if count:
            if (start < content_end and pos > content_start) or start < sd_start < pos:
                raise Declined  # cells inside, or inside the cells
            spans.append((start, pos, count))
        pos = min((i for i in (data.find(t, pos + 1) for t in _CUT_TAGS) if i >= 0), default=-1)
    return spans


def _element_end(data: bytes, pos: int) -> int:
    """Where the cut element starting at ``pos`` ends, or -1 when none starts there."""
    for name, tag in zip(CUT_NAMES, _CUT_TAGS, strict=True):
        if data.startswith(tag, pos):
            opened = _OPEN[name].match(data, pos)
            if opened is None:
                if data[pos + len(tag) : pos + len(tag) + 1].isalnum():
                    return -1
                raise Declined
            end = opened.end()
            if opened[1]:
                return end
            close = data.find(b"</" + tag[1:], end)
            m = _CLOSE[name].match(data, close) if close >= 0 else None
            if m is None or data.find(tag, end, close) >= 0:
                raise Declined  # unclosed, or one nested in another of its name
            return m.end()
    return -1


def _without(data: bytes, spans: list[tuple[int, int, bytes]]) -> bytes:
    """The part with each span replaced by its placeholder."""
    pieces: list[bytes] = []
    pos = 0
    for a, b, placeholder in sorted(spans):
        if a < pos:
            raise Declined  # spans overlap
        pieces.append(data[pos:a])
        pieces.append(placeholder)
        pos = b
    pieces.append(data[pos:])
    return b"".join(pieces)


def _content_cells(
    raw: bytes, frame: _Frame, part: str, sst: list[str], budget: Budget, dates: frozenset[int]
) -> dict[tuple[int, int], RawCell]:
    """The cells of the content of ``<sheetData>``, checked well-formed first."""
    tags = raw.count(b"<")
    if raw.count(b">") != tags or b"xmlns" in raw:
        raise Declined  # a ">" in text or an attribute (tags are not "<…>"), or a namespace
    if raw.find(b"<!") >= 0 or raw.find(b"<?") >= 0:
        raise Declined  # a comment, CDATA or processing instruction among the cells
    # well-formed, with the namespaces the root declares in scope
    run(
        new_parser(),
        [frame.root, b"<sheetData>", raw, b"</sheetData></", frame.root_name, b">"],
        part,
    )
    return read_cells(raw, tags, sst, budget, dates)
