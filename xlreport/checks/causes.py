"""Findings that share one cause: one thing for the agency to fix, not two.

A number slipped into the wrong cell of 三、本年度办理结果 breaks rule H2 twice: in its
own column (D6) and in the 总计 column (J6), the same rule seen from the row and from the
column total. And a total overwritten with a wrong constant breaks every rule that uses it.
Every finding gets a ``cause`` (:attr:`xlreport.findings.Finding.cause`): findings with the
same cause are fixed together, and the error count an agency is shown counts causes.

What is derived from the layout alone is worked out once, when it is loaded
(:mod:`xlreport.spec.rule_links`, in the compiled layout): which rule instances are the
sum of others, and which cells each one reaches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from xlreport.findings import Finding, Severity
from xlreport.spec.model import Layout

#: Findings at a total cell whose broken rules share their cause (the total is wrong).
_TOTAL_CODES = frozenset({"formula-overwritten", "formula-changed", "cache-stale", "cache-forged"})
_RULE_CODES = frozenset({"rule-broken", "prior-rule-broken"})


def cause_key(f: Finding) -> str:
    """A finding's own cause: what it says and where (``H2@三、…!D6``)."""
    what = f.rule or f.code
    if f.cell:
        return f"{what}@{f.sheet}!{f.cell}"
    return f"{what}@{f.sheet}" if f.sheet else what


def assign_causes(layout: Layout, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` with ``cause`` set: the key of the first finding of its group."""
    links = layout.compiled.rule_links
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


__all__ = ["assign_causes", "cause_count", "cause_key"]
