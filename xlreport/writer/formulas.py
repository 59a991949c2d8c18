"""Layout expressions as Excel formulas, and the live-check formulas built from them.

:func:`expr_formula` is the one translation from an :class:`~xlreport.spec.model.Expr`
to Excel text; totals, the 勾稽检查 status cells and the conditional formatting all use it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal

from xlreport.spec.model import Cell, Expr, Layout, RuleCheck, a1, col_letter

#: |lhs − rhs| below this counts as equal (what ROUND(x, 6) = 0 means in the sheet).
_HALF_MICRO = Decimal("0.0000005")
#: Excel's limit on the length of a formula.
_MAX_FORMULA = 8000


def quote_sheet(name: str) -> str:
    """A sheet name as it stands before ``!`` in a reference."""
    return "'" + name.replace("'", "''") + "'"


def excel_string(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


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
    terms joined with ``+`` and ``-``.
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


def difference_formula(check: RuleCheck, layout: Layout, from_sheet: str, *, absolute: bool) -> str:
    """``ROUND(lhs-(rhs),6)``: 0 exactly when the rule instance holds."""
    lhs = expr_formula(check.lhs, layout, from_sheet, absolute=absolute)
    rhs = expr_formula(check.rhs, layout, from_sheet, absolute=absolute)
    return f"ROUND({lhs}-({rhs}),6)"


def holds(check: RuleCheck, values: Mapping[str, Decimal]) -> bool:
    """Whether one rule instance holds for these values (blank counts as 0)."""
    return abs(check.lhs.evaluate(values) - check.rhs.evaluate(values)) < _HALF_MICRO


def live_rules(layout: Layout) -> dict[int, list[RuleCheck]]:
    """Hard rules without last-year terms, grouped by rule entry (``RuleCheck.index``)."""
    out: dict[int, list[RuleCheck]] = {}
    for ch in layout.checks:
        if ch.severity == "error" and not ch.uses_prior:
            out.setdefault(ch.index, []).append(ch)
    return out


def status_cell(
    instances: Sequence[RuleCheck], layout: Layout, from_sheet: str, values: Mapping[str, Decimal]
) -> tuple[str, str]:
    """Formula and cached value of the status cell of one rule entry.

    ``=IF(AND(d1=0,…),"✓","✗ name（"&count&"处不符）")``; shows ✓, or ✗ with the rule's
    name and how many of its instances break (only "有不符" when the full formula would be
    longer than Excel allows).
    """
    diffs = [difference_formula(i, layout, from_sheet, absolute=False) for i in instances]
    cond = "AND(" + ",".join(f"{d}=0" for d in diffs) + ")"
    count = "+".join(f"({d}<>0)" for d in diffs)
    name = instances[0].name
    failed = sum(1 for i in instances if not holds(i, values))
    formula = f'=IF({cond},"✓",{excel_string("✗ " + name + "（")}&({count})&"处不符）")'
    cached = "✓" if failed == 0 else f"✗ {name}（{failed}处不符）"
    if len(formula) > _MAX_FORMULA:
        formula = f'=IF({cond},"✓",{excel_string("✗ " + name + "（有不符）")})'
        cached = "✓" if failed == 0 else f"✗ {name}（有不符）"
    return formula, cached
