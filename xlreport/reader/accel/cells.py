"""The cells of a plain ``<sheetData>``, read by regular expressions (see accel/sheet.py).

The content is first checked well-formed by expat, with the root element's namespace
declarations in scope. Then every cell must have one of five shapes, written the way Excel,
WPS, LibreOffice, openpyxl and xlsxwriter write cells (``r`` first, then ``s``, then ``t``;
no whitespace between the children):

* empty: ``<c r="B5" s="3"/>`` — counted, its address checked, nothing stored;
* a number: ``<c r="B5" s="3"><v>12</v></c>``;
* a shared string: ``<c r="A5" s="3" t="s"><v>17</v></c>``;
* another type with a value: ``<c r="B5" t="b"><v>1</v></c>`` (str, b, e, d …);
* a formula, with or without a value: ``<c r="E6" s="9"><f>SUM(A6:D6)</f><v>3</v></c>``.

The shapes cannot overlap, and together they must account for every ``<c`` of the
content, while rows, cells, formulas and values must account for every tag; otherwise the
part is declined and streamed. Numbers and shared strings — nearly all of a return — are
turned into cells by ``map`` over the matches, without a Python step per cell.
"""

from __future__ import annotations

import re
from dataclasses import replace

from xlreport.reader.accel.plain import char_data
from xlreport.reader.model import RawCell, empty_value
from xlreport.reader.numbers import is_spreadsheet_number
from xlreport.reader.refs import EXCEL_MAX_COL, EXCEL_MAX_ROW, REF_CACHE, parse_ref
from xlreport.reader.sheet import part_formula
from xlreport.reader.xmlsafe import Budget


class Declined(Exception):
    """Not a plain part: the parser (``reader/sheet.py``) reads it instead."""


_REF = r"[A-Z]{1,3}[1-9][0-9]{0,6}"
_STYLE = r'(?: s="([0-9]{1,9})")?'
#: Row start tags (r first; the rest of the tag tells a self-closing row) and end tags.
_ROW_TOKEN = re.compile(r'<row r="([1-9][0-9]{0,6})"(?=[\s/>])([^>]*)>|</row>')
_C_REF = re.compile(rf'<c r="({_REF})"(?=[\s/>])')
#: A cell holding just a value: a number (no t), a shared string (t="s") or another type.
_VALUE = re.compile(rf'<c r="({_REF})"{_STYLE}(?: t="([a-zA-Z]{{1,9}})")?><v>([^<]*)</v></c>')
_FORMULA = re.compile(
    rf'<c r="({_REF})"{_STYLE}(?: t="([a-zA-Z]{{1,9}})")?>'
    r'<f((?:\s+[A-Za-z]+="[^"<>]*")*)\s*(?:(/)>|>([^<]*)</f>)'
    r"(?:<v\s*(/)>|(<v>)([^<]*)</v>)?</c>"
)
_INDEX = re.compile(r"[0-9]{1,9}")
_F_ATTR = re.compile(r'([A-Za-z]+)="([^"]*)"')

#: Cells made before, by their number text / shared string (immutable, so shared between
#: returns: a folder of returns repeats the same labels and most of the same numbers).
_NUMBERS: dict[str, RawCell] = {}
_STRINGS: dict[str, RawCell] = {}
#: Emptied when full. Small on purpose: every return adds a few texts of its own (agency,
#: contact, phone …) that no other return repeats; a larger bound let a worker's resident
#: size creep up by ~1.5 MB per 1,000 returns before it was reached (measured, 6,000
#: returns: 31.7 → 38.4 MB with 50,000; 31.5 → 33.5 MB with this bound, same speed).
_MADE_MAX = 2048


def read_cells(
    raw: bytes, tags: int, sst: list[str], budget: Budget, dates: frozenset[int] = frozenset()
) -> dict[tuple[int, int], RawCell]:
    """The cells of ``raw`` (the content of ``<sheetData>``, checked well-formed, without
    any ``<!``, ``<?``, ``xmlns`` or a ``>`` that does not end a tag; ``tags`` is its
    number of "<"); counts go to ``budget``; cells styled with one of ``dates`` are marked
    ``date``. A number that is not one as a spreadsheet writes it is declined (the
    streaming parser refuses it, naming the cell). (The order of the cells is not that of
    the part: nothing depends on it.)"""
    text = raw.decode("utf-8")
    limits = budget.limits
    max_row, max_col = min(limits.max_row, EXCEL_MAX_ROW), min(limits.max_col, EXCEL_MAX_COL)
    n_rows, flat_rows = _rows(text, raw.count(b"<row"), max_row)
    refs = _C_REF.findall(text)
    n_cells = len(refs)
    if raw.count(b"<c") != n_cells:
        raise Declined  # a cell without r="…" first (or another tag whose name starts so)
    starts = tags - raw.count(b"</")
    budget.rows += n_rows
    budget.cells += n_cells
    budget.elements += starts
    if budget.rows > limits.max_rows or budget.cells > limits.max_cells:
        raise Declined
    _check_refs(refs, max_row, max_col)

    values = _VALUE.findall(text)
    formulas = _formulas_in(text)
    closed_f = sum(1 for f in formulas if f[4])
    closed_v = sum(1 for f in formulas if f[6])
    with_v = sum(1 for f in formulas if f[6] or f[7])
    # Self-closing tags are the empty cells, the self-closing rows, <f/> and <v/>: with no
    # ">" outside tags, counting "/>" counts them exactly.
    n_empty = raw.count(b"/>") - flat_rows - closed_f - closed_v
    if n_empty + len(values) + len(formulas) != n_cells:
        raise Declined  # a cell of another shape
    if starts != n_rows + n_cells + len(formulas) + len(values) + with_v:
        raise Declined  # an element that is neither row, cell, formula nor value

    found: dict[tuple[int, int], RawCell] = {}
    numbers = [(r, v) for r, _s, t, v in values if not t and v]
    shared = [(r, v) for r, _s, t, v in values if t == "s"]
    if numbers:
        found.update(_numbers(numbers))
    if shared:
        found.update(_shared(shared, sst))
    if len(numbers) + len(shared) != len(values):
        for r, _s, t, v in values:  # other types, and <v></v> (kept as a cell without value)
            if t != "s" and (t or not v):
                value = char_data(v)
                if t == "n" and value and not is_spreadsheet_number(value):
                    raise Declined
                found[REF_CACHE[r]] = RawCell(t or "n", value or empty_value(t or "n"))
    if formulas:
        _formulas(formulas, found, budget)
    if dates:
        _mark_dates(values, formulas, dates, found)
    return found


def _mark_dates(
    values: list[tuple[str, ...]],
    formulas: list[tuple[str, ...]],
    dates: frozenset[int],
    found: dict[tuple[int, int], RawCell],
) -> None:
    """Mark the cells whose style has a date format (no style: style 0)."""
    for match in (*values, *formulas):
        r, s = match[0], match[1]
        if int(s or 0) in dates:
            pos = REF_CACHE[r]
            cell = found.get(pos)
            if cell is not None:
                found[pos] = replace(cell, date=True)


def _rows(text: str, row_tags: int, max_row: int) -> tuple[int, int]:
    """(rows, self-closing rows) of the content, after checking that rows do not nest."""
    open_row = False
    n_rows = flat = 0
    for r, rest in _ROW_TOKEN.findall(text):
        if not r:  # </row>
            if not open_row:
                raise Declined
            open_row = False
            continue
        if open_row or int(r) > max_row:
            raise Declined  # a row inside a row, or beyond the limits
        n_rows += 1
        if rest.endswith("/"):
            flat += 1
        else:
            open_row = True
    if open_row or row_tags != n_rows:
        raise Declined  # a row without r="…" first
    return n_rows, flat


def _formulas_in(text: str) -> list[tuple[str, ...]]:
    """The cells holding a formula, found from their ``<f`` (a few dozen in a return)."""
    found: list[tuple[str, ...]] = []
    pos = text.find("<f")
    while pos >= 0:
        m = _FORMULA.match(text, text.rfind("<c ", 0, pos))
        if m is None or text.find("<f", m.start(), m.end()) != pos:
            raise Declined  # not the plain shape, or the <f of another cell
        found.append(m.groups(""))
        pos = text.find("<f", m.end())
    return found


def _check_refs(refs: list[str], max_row: int, max_col: int) -> None:
    """Every address inside the grid (and the limits), none twice."""
    distinct = set(refs)
    if len(distinct) != len(refs):
        raise Declined  # the same cell twice: the streaming parser keeps the last
    for r in distinct - REF_CACHE.keys():
        if parse_ref(r) is None:
            raise Declined
    if max_row < EXCEL_MAX_ROW or max_col < EXCEL_MAX_COL:
        for r in distinct:
            row, col = REF_CACHE.get(r) or (EXCEL_MAX_ROW, EXCEL_MAX_COL)
            if row >= max_row or col >= max_col:
                raise Declined
    elif not distinct <= REF_CACHE.keys():
        raise Declined  # REF_CACHE is full: read these one by one


def _numbers(pairs: list[tuple[str, str]]) -> zip[tuple[tuple[int, int], RawCell]]:
    refs, texts = zip(*pairs, strict=True)
    joined = "".join(texts)
    if "&" in joined or "\r" in joined:
        raise Declined  # references in a number: read by the streaming parser
    _remember(_NUMBERS, texts, "n")  # declines a text that is not a spreadsheet number
    return zip(map(REF_CACHE.__getitem__, refs), map(_NUMBERS.__getitem__, texts), strict=True)


def _shared(pairs: list[tuple[str, str]], sst: list[str]) -> zip[tuple[tuple[int, int], RawCell]]:
    refs, indexes = zip(*pairs, strict=True)
    if not all(map(_INDEX.fullmatch, indexes)):
        raise Declined  # not a plain index (-1, " 5", …): the streaming parser judges it
    try:
        strings = list(map(sst.__getitem__, map(int, indexes)))
    except IndexError:
        raise Declined from None  # the streaming parser names the cell
    _remember(_STRINGS, strings, "s")
    return zip(map(REF_CACHE.__getitem__, refs), map(_STRINGS.__getitem__, strings), strict=True)


def _remember(made: dict[str, RawCell], texts: tuple[str, ...] | list[str], t: str) -> None:
    new = set(texts).difference(made)
    if new:
        if t == "n" and not all(map(is_spreadsheet_number, new)):
            raise Declined
        if len(made) + len(new) > _MADE_MAX:
            made.clear()
            new = set(texts)
        for text in new:
            made[text] = RawCell(t, text)


def _formulas(
    matches: list[tuple[str, ...]], found: dict[tuple[int, int], RawCell], budget: Budget
) -> None:
    """Cells with a formula, in document order (shared formulas refer to earlier ones)."""
    shared: dict[str, tuple[int, int, str]] = {}
    max_chars = budget.limits.max_shared_formula_chars
    for r, _s, t, f_attrs, _closed_f, f_text, closed_v, open_v, v_text in matches:
        row, col = REF_CACHE[r]
        attrs = {k: char_data(v) for k, v in _F_ATTR.findall(f_attrs)} if f_attrs else {}
        body = char_data(f_text)
        formula = part_formula(body, attrs, row, col, shared)
        if formula is not None and not body:  # expanded from a shared master
            budget.formula_chars += len(formula)
            if budget.formula_chars > max_chars:
                raise Declined
        value: str | None = None
        if closed_v:
            value = ""
        elif open_v:
            value = char_data(v_text)
        if value is None:
            if formula is None:
                continue
        elif not value:
            value = empty_value(t or "n")
        if t == "s" and value is not None:
            raise Declined  # a formula typed as a shared string: left to the streaming parser
        if (t or "n") == "n" and value is not None and not is_spreadsheet_number(value):
            raise Declined
        found[row, col] = RawCell(t or "n", value, formula)
