"""Layout expressions as Excel formulas, and the live-check formulas built from them.

The one translation from an :class:`~xlreport.spec.model.Expr` to Excel text is
:func:`xlreport.spec.formulas.expr_formula` (shared with the checks); totals, the 勾稽检查
status cells and the conditional formatting all use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from xlreport.spec.formulas import cell_ref, expr_formula, quote_sheet
from xlreport.spec.model import Layout, RuleCheck

#: |lhs − rhs| below this counts as equal (what ROUND(x, 6) = 0 means in the sheet).
_HALF_MICRO = Decimal("0.0000005")
#: Excel's limit on the length of a formula.
_MAX_FORMULA = 8000


def excel_string(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


def difference_formula(check: RuleCheck, layout: Layout, from_sheet: str, *, absolute: bool) -> str:
    """``ROUND(lhs-(rhs),6)``: 0 exactly when the rule instance holds."""
    lhs = expr_formula(check.lhs, layout, from_sheet, absolute=absolute)
    rhs = expr_formula(check.rhs, layout, from_sheet, absolute=absolute)
    return f"ROUND({lhs}-({rhs}),6)"


def holds(check: RuleCheck, values: Mapping[str, Decimal]) -> bool:
    """Whether one rule instance holds for these values (blank counts as 0)."""
    return abs(check.lhs.evaluate(values) - check.rhs.evaluate(values)) < _HALF_MICRO


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


__all__ = ["cell_ref", "excel_string", "expr_formula", "quote_sheet"]
