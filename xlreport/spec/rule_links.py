"""Which of a layout's rule instances share a cause (the layout alone decides, once).

Each rule instance is written over the input cells (every total expanded into the inputs
it adds up, last year's cells apart). An instance equal to the sum of all the other
instances of its ``[[rules]]`` entry (the 总计 column of an ``each = "col"`` rule) is
*derived*: when it is broken together with one of those, it has that one's cause
(:mod:`xlreport.checks.causes` gives findings their causes from this).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from xlreport.findings import TemplatePos
from xlreport.spec.model import Expr, Layout, Total

Form = tuple[tuple[str, int], ...]  # (input cell id, coefficient), sorted, no zero
PRIOR_KEY = "prior:"  # a last-year cell in a form (its totals expanded as this year's)


@dataclass(frozen=True)
class RuleLinks:
    """Per layout: where each rule instance is reported, its cells, what it is derived from."""

    at: Mapping[tuple[str, TemplatePos], int]  # (rule id, where its finding is marked) → instance
    cells: tuple[frozenset[TemplatePos], ...]  # every cell (template position) of an instance
    reach: tuple[frozenset[TemplatePos], ...]  # … and every cell its totals add up, at any depth
    derived: Mapping[int, tuple[int, ...]]  # instance → the instances it is the sum of


def _expand(
    totals: Mapping[str, Total],
    expr: Expr,
    sign: int,
    into: dict[str, int],
    seen: set[str] | None = None,
    depth: int = 0,
) -> None:
    """``expr`` over input cells (totals replaced by what they add up) into ``into``; every
    cell passed on the way into ``seen``."""
    for t in expr.terms:
        if seen is not None and not t.prior:
            seen.add(t.cell)
        total = totals.get(t.cell)
        if total is not None and depth < 32:
            inner = Expr(tuple(replace(x, prior=t.prior) for x in total.expr.terms), "")
            _expand(totals, inner, sign * t.sign, into, seen, depth + 1)
        else:
            key = PRIOR_KEY + t.cell if t.prior else t.cell
            into[key] = into.get(key, 0) + sign * t.sign


def _form(totals: Mapping[str, Total], lhs: Expr, rhs: Expr, seen: set[str]) -> Form:
    acc: dict[str, int] = {}
    _expand(totals, lhs, 1, acc, seen)
    _expand(totals, rhs, -1, acc, seen)
    return tuple(sorted((k, v) for k, v in acc.items() if v))


def _added(forms: Sequence[Form]) -> Form:
    acc: dict[str, int] = {}
    for f in forms:
        for k, v in f:
            acc[k] = acc.get(k, 0) + v
    return tuple(sorted((k, v) for k, v in acc.items() if v))


def rule_links(layout: Layout, totals: Mapping[str, Total]) -> RuleLinks:
    """The links of ``layout``'s rule instances (``totals``: total cell id → its total)."""
    names = {s.key: s.name for s in layout.sheets}
    at: dict[tuple[str, TemplatePos], int] = {}
    cells: list[frozenset[TemplatePos]] = []
    reach: list[frozenset[TemplatePos]] = []
    forms: list[Form | None] = []
    entries: dict[int, list[int]] = {}
    for i, rule in enumerate(layout.checks):
        first = layout.cells[(rule.lhs.cells() or rule.rhs.cells())[0]]
        at.setdefault((rule.rule, (names[first.sheet], first.r, first.c)), i)
        ids = [*rule.lhs.cells(), *rule.rhs.cells()]
        seen: set[str] = set()
        form = _form(totals, rule.lhs, rule.rhs, seen)
        forms.append(form)
        cells.append(frozenset((names[c.sheet], c.r, c.c) for c in map(layout.cells.get, ids) if c))
        reach.append(
            frozenset((names[c.sheet], c.r, c.c) for c in map(layout.cells.get, seen) if c)
        )
        entries.setdefault(rule.index, []).append(i)
    derived: dict[int, tuple[int, ...]] = {}
    for members in entries.values():
        live = [i for i in members if forms[i]]
        if len(live) < 3:
            continue
        for d in live:
            others = [i for i in live if i != d]
            if forms[d] == _added([f for i in others if (f := forms[i]) is not None]):
                derived[d] = tuple(others)
    links = RuleLinks(at, tuple(cells), tuple(reach), derived)
    return links
