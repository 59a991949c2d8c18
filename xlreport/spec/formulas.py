"""Excel formula text for totals and rules, derived from the layout's expressions.

Pure functions shared by the writer (which writes these formulas) and the checks (which
compare a returned workbook's formulas with them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from xlreport.spec.model import Cell, Expr, Layout, a1, col_letter


def quote_sheet(name: str) -> str:
    """A sheet name as it stands before ``!`` in a reference."""
    return "'" + name.replace("'", "''") + "'"


def cell_ref(cell: Cell, layout: Layout, from_sheet: str, *, absolute: bool = False) -> str:
    """The reference to ``cell`` as written on sheet ``from_sheet`` (a sheet key)."""
    ref = f"${col_letter(cell.c)}${cell.r + 1}" if absolute else a1(cell.r, cell.c)
    if cell.sheet == from_sheet:
        return ref
    return quote_sheet(layout.sheet(cell.sheet).name) + "!" + ref


def _contiguous(cells: Sequence[Cell]) -> bool:
    """Cells that form one row run (each starting right after the previous) or one column run."""
    if len(cells) < 2 or len({c.sheet for c in cells}) != 1:
        return False
    first = cells[0]
    same_row = all(c.r == first.r for c in cells) and all(
        b.c == a.c2 + 1 for a, b in itertools.pairwise(cells)
    )
    same_col = all(c.c == first.c and c.c2 == first.c2 for c in cells) and all(
        b.r == a.r + 1 for a, b in itertools.pairwise(cells)
    )
    return same_row or same_col


def expr_formula(expr: Expr, layout: Layout, from_sheet: str, *, absolute: bool = False) -> str:
    """Excel text for a signed sum of this year's cells (no leading ``=``).

    ``SUM(first:last)`` when every term is added and the cells are contiguous, else the
    terms joined with ``+`` and ``-``. Prior-year terms have no formula (ValueError).
    """
    if expr.uses_prior:
        raise ValueError(f"表达式 {expr.source} 引用了上年数据，不能写成公式")
    cells = [layout.cells[t.cell] for t in expr.terms]
    if all(t.sign > 0 for t in expr.terms) and _contiguous(cells):
        start = cell_ref(cells[0], layout, from_sheet, absolute=absolute)
        last = cells[-1]
        end_ref = f"${col_letter(last.c2)}${last.r + 1}" if absolute else a1(last.r, last.c2)
        return f"SUM({start}:{end_ref})"
    out = ""
    for i, (t, c) in enumerate(zip(expr.terms, cells, strict=True)):
        ref = cell_ref(c, layout, from_sheet, absolute=absolute)
        if i == 0:
            out = ref if t.sign > 0 else "-" + ref
        else:
            out += ("+" if t.sign > 0 else "-") + ref
    return out or "0"


def total_formulas(layout: Layout) -> dict[str, str]:
    """Cell id → the formula text of every total."""
    return {t.cell: expr_formula(t.expr, layout, layout.cells[t.cell].sheet) for t in layout.totals}


_SPACES_DOLLARS = re.compile(r"[\s$]")


def normalise_formula(text: str) -> str:
    """Formula text compared case-, space- and ``$``-insensitively, without a leading "="."""
    s = _SPACES_DOLLARS.sub("", text).upper()
    if s.startswith("="):
        s = s[1:]
    if s.startswith("_XLFN."):
        s = s[6:]
    return s


def same_formula(found: str, expected: str) -> bool:
    """True when ``found`` is ``expected`` written another way (case, spaces, ``$``)."""
    return normalise_formula(found) == normalise_formula(expected)


__all__ = [
    "a1",
    "cell_ref",
    "expr_formula",
    "normalise_formula",
    "quote_sheet",
    "same_formula",
    "total_formulas",
]
