"""Excel formula text for totals and rules, derived from the layout's expressions.

Pure functions shared by the writer (which writes these formulas) and the checks (which
compare a returned workbook's formulas with them).
"""

from __future__ import annotations

import itertools
import re

from xlreport.spec.model import Cell, Expr, Layout, a1, col_letter


def _ref(cell: Cell, *, absolute: bool) -> str:
    if absolute:
        return f"${col_letter(cell.c)}${cell.r + 1}"
    return cell.a1


def _contiguous(cells: list[Cell]) -> bool:
    """One row or one column of adjacent cells on one sheet, in order."""
    if len(cells) < 2 or len({c.sheet for c in cells}) != 1:
        return False
    same_row = all(c.r == cells[0].r for c in cells)
    same_col = all(c.c == cells[0].c for c in cells)
    if same_row:
        return all(b.c == a.c2 + 1 for a, b in itertools.pairwise(cells))
    if same_col:
        return all(b.r == a.r + 1 for a, b in itertools.pairwise(cells))
    return False


def expr_formula(layout: Layout, expr: Expr, *, absolute: bool = False) -> str:
    """The expression as Excel formula text without "=": ``SUM(D8:D28)`` or ``D6+D7-D9``.

    Every cell must be on the sheet the formula is written on (the layouts' totals and
    hard rules are); prior-year terms have no formula.
    """
    if expr.uses_prior:
        raise ValueError(f"expression with prior-year terms has no formula: {expr.source}")
    cells = [layout.cells[t.cell] for t in expr.terms]
    if all(t.sign > 0 for t in expr.terms) and _contiguous(cells):
        first, last = cells[0], cells[-1]
        return f"SUM({_ref(first, absolute=absolute)}:{_ref(last, absolute=absolute)})"
    out = ""
    for t, c in zip(expr.terms, cells, strict=True):
        op = "+" if t.sign > 0 else "-"
        out += ("" if not out and op == "+" else op) + _ref(c, absolute=absolute)
    return out


def total_formulas(layout: Layout) -> dict[str, str]:
    """Cell id → the formula text of every total."""
    return {t.cell: expr_formula(layout, t.expr) for t in layout.totals}


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


__all__ = ["a1", "expr_formula", "normalise_formula", "same_formula", "total_formulas"]
