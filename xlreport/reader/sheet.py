"""One worksheet part: cells (values, formulas), merges, protection, validation count.

This is the worksheet parser: what it reads and what it refuses is the rule
(``reader/accel/`` may read a part written plainly faster, and must read it the same).
It is the hot path of the reader (a return has ~530 ``<c>`` and ~1,500 other elements in
its sheets), so the expat handlers are closures over local state, element names map to
small ints by one dict lookup, addresses come from a shared cache, and a RawCell is built
only for a cell that holds a value or a formula — once per distinct content, since it is
immutable. Empty ``<c/>`` elements (styled blanks) are counted, not stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from xlreport.reader import reasons
from xlreport.reader.model import RawCell, RawSheet, empty_value
from xlreport.reader.numbers import NUMBER_OK, OUT_OF_RANGE, number_problem
from xlreport.reader.refs import (
    EXCEL_MAX_COL,
    EXCEL_MAX_ROW,
    REF_CACHE,
    col_letters,
    parse_range,
    parse_ref,
    shift_formula,
)
from xlreport.reader.strings import unescape
from xlreport.reader.xmlsafe import (
    CUT_NAMES,
    MAIN_NS,
    X14_NS,
    Budget,
    names,
    new_parser,
    run,
    truthy,
)

# Element → small int, one dict lookup per event. Start tags: 1 c, 2 v, 3 f, 4 row, 5 is,
# 6 t, 7 rPh, 8 mergeCell, 9 dataValidation, 10 sheetProtection. End tags: the first 7.
_START_LOCAL = (
    "c",
    "v",
    "f",
    "row",
    "is",
    "t",
    "rPh",
    "mergeCell",
    "dataValidation",
    "sheetProtection",
)
_END_LOCAL = _START_LOCAL[:7]
_START = {n: _START_LOCAL.index(local) + 1 for n, local in names(MAIN_NS, *_START_LOCAL).items()}
_START[f"{X14_NS} dataValidation"] = _START_LOCAL.index("dataValidation") + 1
_END = {n: _END_LOCAL.index(local) + 1 for n, local in names(MAIN_NS, *_END_LOCAL).items()}
#: Subtrees with nothing the reader needs but (x14) dataValidation elements to count: about
#: half the elements of a return. Inside one, cheaper handlers only count (and bound) them.
_SKIP = 11
#: Their names (``accel/sheet.py`` cuts such subtrees out and verifies where they stand).
SKIPPED = frozenset(names(MAIN_NS, "extLst", *CUT_NAMES))
_START.update(dict.fromkeys(SKIPPED, _SKIP))
_VALIDATIONS = frozenset(n for n, tag in _START.items() if tag == 9)


def parse_sheet(
    chunks: Iterable[bytes],
    part: str,
    sheet: RawSheet,
    sst: Sequence[str],
    budget: Budget,
    dates: frozenset[int] = frozenset(),
) -> None:
    """Fill ``sheet`` (cells, merges, protected, data_validations) from its part.
    ``dates``: the style indexes whose number format is a date or time (their cells get
    ``date=True``). A number cell whose value is not a number as a spreadsheet writes it
    is refused (``numbers.py``)."""
    limits = budget.limits
    max_depth, max_elements = limits.max_depth, limits.max_elements
    max_cells, max_rows = limits.max_cells, limits.max_rows
    max_formula_chars = limits.max_shared_formula_chars
    max_row, max_col = min(limits.max_row, EXCEL_MAX_ROW), min(limits.max_col, EXCEL_MAX_COL)
    tight = max_row < EXCEL_MAX_ROW or max_col < EXCEL_MAX_COL
    cells = sheet.cells
    name = sheet.name
    n_sst = len(sst)
    start_tags = _START.get
    end_tags = _END.get
    ref_cache = REF_CACHE.get

    depth = 0
    elements, n_cells, n_rows = budget.elements, budget.cells, budget.rows
    row, col = -1, -1
    ctype = "n"
    is_date = False
    value: str | None = None
    formula: str | None = None
    fattrs: dict[str, str] = {}
    text: list[str] = []
    capturing = False
    in_is = False
    in_rph = 0
    shared: dict[str, tuple[int, int, str]] = {}
    made_cells: dict[tuple[str, str | None, str | None, bool], RawCell] = {}
    made = made_cells.get
    skip_from = 0  # depth of the skipped subtree being read (see _SKIP)

    def where() -> str:
        return f"{col_letters(col)}{row + 1}"

    def start(tag_name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, elements, n_cells, n_rows, row, col, ctype, value, formula
        nonlocal fattrs, capturing, in_is, in_rph, skip_from, is_date
        depth += 1
        elements += 1
        if depth > max_depth or elements > max_elements:
            too_much()
        tag = start_tags(tag_name)
        if tag is None:
            return
        if tag == 1:  # c
            n_cells += 1
            if n_cells > max_cells:
                raise reasons.too_many_cells(max_cells)
            r = attrs.get("r")
            if r is None:
                col += 1
                if row < 0:
                    row = 0
                if col >= max_col:
                    raise reasons.bad_cell_ref(name, f"第 {row + 1} 行第 {col + 1} 列")
            else:
                rc = ref_cache(r) or parse_ref(r)
                if rc is None:
                    raise reasons.bad_cell_ref(name, r)
                row, col = rc
                if tight and (row >= max_row or col >= max_col):
                    raise reasons.bad_cell_ref(name, r)
            ctype = attrs.get("t", "n")
            is_date = bool(dates) and _style(attrs.get("s")) in dates
            value = None
            formula = None
        elif tag == 2:  # v
            capturing = True
            text.clear()
        elif tag == 3:  # f
            capturing = True
            text.clear()
            fattrs = attrs
        elif tag == 4:  # row
            n_rows += 1
            if n_rows > max_rows:
                raise reasons.too_many_rows(max_rows)
            r = attrs.get("r")
            if r is None:
                row += 1
            else:
                try:
                    row = int(r) - 1
                except ValueError:
                    raise reasons.bad_cell_ref(name, f"第 {r[:20]} 行") from None
            if not 0 <= row < max_row:
                raise reasons.bad_cell_ref(name, f"第 {row + 1} 行")
            col = -1
        elif tag == 5:  # is
            in_is = True
            text.clear()
        elif tag == 6:  # t
            capturing = in_is and not in_rph
        elif tag == 7:  # rPh
            in_rph += 1
        elif tag == 8:  # mergeCell
            rng = parse_range(attrs.get("ref", ""))
            if rng is None:
                raise reasons.bad_cell_ref(name, attrs.get("ref", ""))
            sheet.merges.append(rng)
        elif tag == 9:  # dataValidation
            sheet.data_validations += 1
        elif tag == _SKIP:
            skip_from = depth
            p.StartElementHandler = skip_start
            p.EndElementHandler = skip_end
            p.CharacterDataHandler = None
        else:  # sheetProtection
            sheet.protected = truthy(attrs.get("sheet"))

    def skip_start(tag_name: str, attrs: dict[str, str]) -> None:
        nonlocal depth, elements
        depth += 1
        elements += 1
        if depth > max_depth or elements > max_elements:
            too_much()
        if tag_name in _VALIDATIONS:
            sheet.data_validations += 1

    def skip_end(tag_name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth < skip_from:  # the subtree's own end tag
            p.StartElementHandler = start
            p.EndElementHandler = end
            p.CharacterDataHandler = chars

    def end(tag_name: str) -> None:
        nonlocal depth, value, formula, capturing, in_is, in_rph
        depth -= 1
        tag = end_tags(tag_name)
        if tag is None:
            return
        if tag == 1:  # c
            if value is None:
                if formula is None:
                    return
            elif not value:
                value = empty_value(ctype)
            if ctype == "s" and value is not None:
                try:
                    index = int(value)
                except ValueError:
                    index = -1
                if not 0 <= index < n_sst:
                    raise reasons.bad_value(name, where(), "引用了不存在的共享字符串")
                value = sst[index]
            key = (ctype, value, formula, is_date)
            rc = made(key)
            if rc is None:
                if ctype == "n" and value is not None:
                    problem = number_problem(value)
                    if problem != NUMBER_OK:
                        raise reasons.bad_number(name, where(), value, problem == OUT_OF_RANGE)
                rc = made_cells[key] = RawCell(ctype, value, formula, is_date)
            cells[(row, col)] = rc
        elif tag == 2:  # v
            capturing = False
            value = "".join(text)
        elif tag == 3:  # f
            capturing = False
            formula = part_formula("".join(text), fattrs, row, col, shared)
            if formula is not None and not text:  # expanded from a shared master
                budget.formula_chars += len(formula)
                if budget.formula_chars > max_formula_chars:
                    raise reasons.too_much_formula_text(max_formula_chars)
        elif tag == 6:  # t
            if in_is:
                capturing = False
        elif tag == 5:  # is
            in_is = False
            if ctype == "inlineStr":  # a spreadsheet ignores <is> in a cell of another type
                value = unescape("".join(text))
        elif tag == 7:  # rPh
            in_rph -= 1

    def too_much() -> None:
        if depth > max_depth:
            raise reasons.xml_too_deep(part, max_depth)
        raise reasons.too_many_elements(max_elements)

    def chars(data: str) -> None:
        if capturing:
            text.append(data)

    p: Any = new_parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    run(p, chunks, part)
    budget.elements, budget.cells, budget.rows = elements, n_cells, n_rows


def _style(s: str | None) -> int:
    """A cell's style index (``s``): 0 when absent, -1 when not a plain index."""
    if not s:
        return 0
    if not s.isdigit() or not s.isascii() or len(s) > 9:
        return -1
    return int(s)


def part_formula(
    text: str, attrs: dict[str, str], row: int, col: int, shared: dict[str, tuple[int, int, str]]
) -> str | None:
    """The formula of one cell; a shared formula's dependents get the master's, shifted."""
    if attrs.get("t") != "shared":
        return text or None
    si = attrs.get("si", "")
    if text:
        shared[si] = (row, col, text)
        return text
    master = shared.get(si)
    if master is None:
        return None
    return shift_formula(master[2], row - master[0], col - master[1])
