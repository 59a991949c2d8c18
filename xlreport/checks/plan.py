"""What checking needs to know about a layout, worked out once per layout, not per return.

A province checks ~10,000 returns of one layout. Walking the layout's objects for every
return (which label is on which row, the terms of every total and rule, the template's
formulas) cost more than the checking itself; :func:`layout_plan` does it once and the
checks read flat tuples. Nothing here depends on a file: the checks' results are exactly
those of walking the layout each time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from operator import is_not
from typing import cast

from xlreport.checks.values import Judged, judge
from xlreport.reader.model import RawCell
from xlreport.spec.formulas import total_formulas
from xlreport.spec.model import Cell, Expr, Layout, RuleCheck, Sheet, Total, ValueType

_not_none = partial(is_not, None)
#: What an input cell holds — (type, text, formula), None for no cell — → its judgement.
#: Filled when the plan is made and only read afterwards: entries added file after file
#: would each pin a little of the memory the files' parsing used, and a worker's resident
#: size would creep up with every return.
JudgeCache = dict[tuple[str, str | None, str | None] | None, Judged]


def _judged_ahead(vt: ValueType) -> JudgeCache:
    cache: JudgeCache = {None: judge(None, vt)}
    for n in range(JUDGED_AHEAD):
        cell = RawCell("n", str(n))
        cache[(cell.t, cell.text, cell.formula)] = judge(cell, vt)
    return cache


#: Input cells judged once per layout, for every return: no cell, and the whole numbers
#: below this as stored (nearly every input of a real return is one of them).
JUDGED_AHEAD = 1000


@dataclass(frozen=True)
class Terms:
    """The terms of a sum on this year's values: cell ids, and whether each is added."""

    ids: tuple[str, ...]
    plus: tuple[bool, ...]
    all_plus: bool


def terms_of(expr: Expr) -> Terms:
    """The terms of ``expr`` without its last-year terms (``Expr.evaluate`` with no prior
    values skips those)."""
    terms = [t for t in expr.terms if not t.prior]
    plus = tuple(t.sign > 0 for t in terms)
    return Terms(tuple(t.cell for t in terms), plus, all(plus))


def add_up(terms: Terms, values: Mapping[str, Decimal]) -> Decimal:
    """``Expr.evaluate(values)``: the same additions in the same order (blank cells
    skipped), hence the same Decimal."""
    if terms.all_plus:
        present = cast("Iterator[Decimal]", filter(_not_none, map(values.get, terms.ids)))
        return sum(present, Decimal(0))
    total = Decimal(0)
    for cid, plus in zip(terms.ids, terms.plus, strict=True):
        v = values.get(cid)
        if v is not None:
            total += v if plus else -v
    return total


@dataclass(frozen=True)
class SheetPlan:
    sheet: Sheet
    texts: frozenset[str]  # every label text of the sheet
    labels: tuple[tuple[int, int, str], ...]  # (r1, c1, text) of every label with text
    label_set: frozenset[tuple[int, int, str]]  # … as a set
    row_signatures: tuple[tuple[str, ...], ...]  # sorted label texts starting on each row
    col_signatures: tuple[tuple[str, ...], ...]  # … and in each column


@dataclass(frozen=True)
class TotalPlan:
    total: Total
    cell: Cell
    terms: Terms
    deps: tuple[str, ...]  # Expr.cells()
    term_sheets: frozenset[str]  # sheet keys of the cells it adds up
    formula: str  # the template's formula text


@dataclass(frozen=True)
class RulePlan:
    rule: RuleCheck
    cells: tuple[str, ...]  # RuleCheck.cells()
    uses_prior: bool
    lhs: Terms
    rhs: Terms


@dataclass(frozen=True)
class LayoutPlan:
    layout: Layout
    inputs: tuple[tuple[Cell, JudgeCache], ...]  # with its value type's judge cache
    totals: tuple[TotalPlan, ...]
    total_ids: frozenset[str]
    total_order: tuple[str, ...]  # total cell ids in layout.cells order
    rules: tuple[RulePlan, ...]
    sheets: Mapping[str, SheetPlan]  # by sheet key


def _sheet_plan(sheet: Sheet) -> SheetPlan:
    rows: list[list[str]] = [[] for _ in range(sheet.height)]
    cols: list[list[str]] = [[] for _ in range(sheet.width)]
    for lb in sheet.labels:
        if lb.text:
            rows[lb.r1].append(lb.text)
            cols[lb.c1].append(lb.text)
    labels = tuple((lb.r1, lb.c1, lb.text) for lb in sheet.labels if lb.text)
    return SheetPlan(
        sheet=sheet,
        texts=frozenset(lb.text for lb in sheet.labels if lb.text),
        labels=labels,
        label_set=frozenset(labels),
        row_signatures=tuple(tuple(sorted(x)) for x in rows),
        col_signatures=tuple(tuple(sorted(x)) for x in cols),
    )


def _make(layout: Layout) -> LayoutPlan:
    caches: dict[int, JudgeCache] = {}  # by id of the (live) ValueType
    for cell in layout.inputs():
        if id(cell.type) not in caches:
            caches[id(cell.type)] = _judged_ahead(cell.type)
    inputs = tuple((cell, caches[id(cell.type)]) for cell in layout.inputs())
    formulas = total_formulas(layout)
    totals = tuple(
        TotalPlan(
            total=t,
            cell=layout.cells[t.cell],
            terms=terms_of(t.expr),
            deps=t.expr.cells(),
            term_sheets=frozenset(layout.cells[x.cell].sheet for x in t.expr.terms),
            formula=formulas[t.cell],
        )
        for t in layout.totals
    )
    total_ids = frozenset(t.cell for t in layout.totals)
    rules = tuple(
        RulePlan(r, r.cells(), r.uses_prior, terms_of(r.lhs), terms_of(r.rhs))
        for r in layout.checks
    )
    return LayoutPlan(
        layout=layout,
        inputs=inputs,
        totals=totals,
        total_ids=total_ids,
        total_order=tuple(c for c in layout.cells if c in total_ids),
        rules=rules,
        sheets={s.key: _sheet_plan(s) for s in layout.sheets},
    )


_PLANS: dict[int, LayoutPlan] = {}
_SHEETS: dict[int, SheetPlan] = {}


def layout_plan(layout: Layout) -> LayoutPlan:
    """The plan of ``layout``, made on first use (the plan keeps the layout alive, so its
    id cannot be reused by another layout)."""
    plan = _PLANS.get(id(layout))
    if plan is None or plan.layout is not layout:
        plan = _PLANS[id(layout)] = _make(layout)
    return plan


def sheet_plan(sheet: Sheet) -> SheetPlan:
    """The plan of one layout sheet (also for a sheet met outside a layout plan)."""
    plan = _SHEETS.get(id(sheet))
    if plan is None or plan.sheet is not sheet:
        plan = _SHEETS[id(sheet)] = _sheet_plan(sheet)
    return plan
