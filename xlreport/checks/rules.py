"""The consistency rules (勾稽关系) of the layout, on the effective values.

A rule instance is skipped when one of its cells holds an invalid value (that cell is
already an error); blank cells count as 0. Rules with last-year terms are checked only
against last year's data of the same agency.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xlreport.checks.alignment import SheetView
from xlreport.checks.catalogue import finding
from xlreport.checks.totals import TOLERANCE
from xlreport.checks.values import fmt
from xlreport.findings import Finding
from xlreport.spec.compiled import add_up
from xlreport.spec.model import Cell, Expr, Layout, RuleCheck

#: Sides with more terms than this are described as "A至B等n项之和".
_MAX_LISTED = 4


def leaf_labels(layout: Layout, cell: Cell) -> tuple[str, str]:
    """The cell's own row and column label (the last part of each label path)."""
    table = next(t for s in layout.sheets for t in s.tables if t.key == cell.table)
    row = table.row(cell.row).path
    col = table.column(cell.col).path
    return (row[-1] if row else ""), (col[-1] if col else "")


def describe(layout: Layout, expr: Expr, rule: RuleCheck) -> str:
    """A side of a rule in words: “一、本年新收… + 二、上年结转…”, or “（一）予以公开至3.其他等21项之和”."""
    cells = [layout.cells[t.cell] for t in expr.terms]
    if rule.axis == "col":
        by_row = True
    elif rule.axis == "row":
        by_row = False
    else:
        by_row = len({c.row for c in cells}) > 1 and len({c.col for c in cells}) == 1
    names: list[str] = []
    for t, c in zip(expr.terms, cells, strict=True):
        row, col = leaf_labels(layout, c)
        name = (row if by_row else col) or row or col
        names.append(("上年" if t.prior else "") + name)
    if len(names) > _MAX_LISTED and all(t.sign > 0 for t in expr.terms):
        return f"{names[0]}至{names[-1]}等{len(names)}项之和"
    out = ""
    for i, (t, name) in enumerate(zip(expr.terms, names, strict=True)):
        if i == 0:
            out = name if t.sign > 0 else "−" + name
        else:
            out += (" + " if t.sign > 0 else " − ") + name
    return out


def check_rules(
    layout: Layout,
    views: Mapping[str, SheetView],
    effective: Mapping[str, Decimal],
    invalid: set[str],
    prior: Mapping[str, Decimal] | None,
    prior_cells: frozenset[str] = frozenset(),
) -> list[Finding]:
    """One finding per broken rule instance, at the instance's first left-hand cell.

    ``prior``: last year's values (inputs and totals); ``prior_cells``: every cell id last
    year's layout has (a blank cell there counts as 0, a cell it lacks skips the rule).
    """
    out: list[Finding] = []
    for rp in layout.compiled.rules:
        rule = rp.rule
        if rp.uses_prior and prior is None:
            continue
        if invalid and any(c in invalid for c in rp.cells):
            continue
        if rp.uses_prior:
            if not _prior_known(rule, prior_cells):
                continue
            lhs = rule.lhs.evaluate(effective, prior)
            rhs = rule.rhs.evaluate(effective, prior)
        else:
            lhs, rhs = add_up(rp.lhs, effective), add_up(rp.rhs, effective)
        if lhs == rhs or abs(lhs - rhs) <= TOLERANCE:
            continue
        out.append(_broken(layout, views, rule, lhs, rhs))
    return out


def _prior_known(rule: RuleCheck, prior_cells: frozenset[str]) -> bool:
    return all(
        t.cell in prior_cells for side in (rule.lhs, rule.rhs) for t in side.terms if t.prior
    )


def _broken(
    layout: Layout, views: Mapping[str, SheetView], rule: RuleCheck, lhs: Decimal, rhs: Decimal
) -> Finding:
    first = layout.cells[(rule.lhs.cells() or rule.rhs.cells())[0]]
    view = views[first.sheet]
    leaf = rule.label.split(" / ")[-1]
    axis = {"col": "列", "row": "行"}.get(rule.axis or "", "")
    where = f"（“{leaf}”{axis}）" if leaf else ""
    left, right = describe(layout, rule.lhs, rule), describe(layout, rule.rhs, rule)
    message = (
        f"不满足勾稽关系 {rule.rule}“{rule.name}”{where}：{left} = {fmt(lhs)}，"
        f"{right} = {fmt(rhs)}，相差 {fmt(lhs - rhs)}。"
    )
    if rule.uses_prior:
        hint = (
            "请核实与上年报表的衔接；如确有原因（如集中清理文件、统计口径调整），请在报送时说明。"
        )
    else:
        hint = f"请核对相关单元格的数字，使“{left}”等于“{right}”。"
    return finding(
        "prior-rule-broken" if rule.uses_prior else "rule-broken",
        message,
        severity=rule.severity,
        hint=hint,
        sheet=view.name,
        cell=view.a1(first.r, first.c),
        row_label=first.row_label,
        col_label=first.col_label,
        expected=fmt(rhs),
        found=fmt(lhs),
        rule=rule.rule,
        at=(view.sheet.name, first.r, first.c),
    )
