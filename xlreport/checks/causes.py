"""Findings that share one cause: one thing for the agency to fix, not two.

A number slipped into the wrong cell of 三、本年度办理结果 breaks rule H2 twice: in its
own column (D6) and in the 总计 column (J6), the same rule seen from the row and from the
column total. And a total overwritten with a wrong constant breaks every rule that uses it.
Every finding gets a ``cause`` (:attr:`xlreport.findings.Finding.cause`): findings with the
same cause are fixed together, and the error count an agency is shown counts causes.

What is derived from the layout alone (worked out once per layout, no label or address in
code): each rule instance written over the input cells, every total expanded into the
inputs it adds up (last year's cells apart). An instance equal to the sum of all the other instances of its
``[[rules]]`` entry (the 总计 column of an ``each = "col"`` rule) is *derived*: when it is
broken together with one of those, it has that one's cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from xlreport.findings import Finding, Severity, TemplatePos
from xlreport.spec.model import Expr, Layout

#: Findings at a total cell whose broken rules share their cause (the total is wrong).
_TOTAL_CODES = frozenset({"formula-overwritten", "formula-changed", "cache-stale", "cache-forged"})
_RULE_CODES = frozenset({"rule-broken", "prior-rule-broken"})

Form = tuple[tuple[str, int], ...]  # (input cell id, coefficient), sorted, no zero
PRIOR_KEY = "prior:"  # a last-year cell in a form (its totals expanded as this year's)


@dataclass(frozen=True)
class RuleLinks:
    """Per layout: where each rule instance is reported, its cells, what it is derived from."""

    at: dict[tuple[str, TemplatePos], int]  # (rule id, where its finding is marked) → instance
    cells: tuple[frozenset[TemplatePos], ...]  # every cell (template position) of an instance
    reach: tuple[frozenset[TemplatePos], ...]  # … and every cell its totals add up, at any depth
    derived: dict[int, tuple[int, ...]]  # instance → the instances it is the sum of


_LINKS: dict[tuple[str, str], RuleLinks] = {}


def _expand(
    layout: Layout,
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
        total = layout.total_of(t.cell)
        if total is not None and depth < 32:
            inner = Expr(tuple(replace(x, prior=t.prior) for x in total.expr.terms), "")
            _expand(layout, inner, sign * t.sign, into, seen, depth + 1)
        else:
            key = PRIOR_KEY + t.cell if t.prior else t.cell
            into[key] = into.get(key, 0) + sign * t.sign


def _form(layout: Layout, lhs: Expr, rhs: Expr, seen: set[str]) -> Form:
    acc: dict[str, int] = {}
    _expand(layout, lhs, 1, acc, seen)
    _expand(layout, rhs, -1, acc, seen)
    return tuple(sorted((k, v) for k, v in acc.items() if v))


def _added(forms: Sequence[Form]) -> Form:
    acc: dict[str, int] = {}
    for f in forms:
        for k, v in f:
            acc[k] = acc.get(k, 0) + v
    return tuple(sorted((k, v) for k, v in acc.items() if v))


def rule_links(layout: Layout) -> RuleLinks:
    key = (layout.id, layout.fingerprint)
    links = _LINKS.get(key)
    if links is not None:
        return links
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
        form = _form(layout, rule.lhs, rule.rhs, seen)
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
    _LINKS[key] = links
    return links


def cause_key(f: Finding) -> str:
    """A finding's own cause: what it says and where (``H2@三、…!D6``)."""
    what = f.rule or f.code
    if f.cell:
        return f"{what}@{f.sheet}!{f.cell}"
    return f"{what}@{f.sheet}" if f.sheet else what


def assign_causes(layout: Layout, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` with ``cause`` set: the key of the first finding of its group."""
    links = rule_links(layout)
    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the earlier finding leads

    instance: dict[int, int] = {}  # finding → rule instance
    for i, f in enumerate(findings):
        if f.code in _RULE_CODES and f.at is not None:
            k = links.at.get((f.rule, f.at))
            if k is not None:
                instance[i] = k
    broken = {k: i for i, k in sorted(instance.items(), reverse=True)}  # first finding wins
    totals = [(i, f.at) for i, f in enumerate(findings) if f.code in _TOTAL_CODES and f.at]
    for i, k in instance.items():
        # one link per broken rule, the closest first: a wrong total among its own cells;
        # the same rule broken in one of the columns (rows) it adds up; a wrong total it
        # adds up further down
        own = next((j for j, pos in totals if pos in links.cells[k]), None)
        parts = links.derived.get(k, ())
        part = min((broken[p] for p in parts if p in broken), default=None)
        deep = next((j for j, pos in totals if pos in links.reach[k]), None)
        target = own if own is not None else part if part is not None else deep
        if target is not None:
            join(target, i)
    keys: dict[int, str] = {}
    used: set[str] = set()
    out: list[Finding] = []
    for i, f in enumerate(findings):
        r = root(i)
        if r not in keys:
            key, n = cause_key(findings[r]), 2
            while key in used:
                key, n = f"{cause_key(findings[r])}#{n}", n + 1
            keys[r] = key
            used.add(key)
        out.append(replace(f, cause=keys[r]))
    return out


def cause_count(findings: Sequence[Finding], severity: Severity) -> int:
    """How many things the agency has to fix: causes with a finding of ``severity``."""
    return len({f.cause or cause_key(f) for f in findings if f.severity == severity})


__all__ = ["assign_causes", "cause_count", "cause_key", "rule_links"]
