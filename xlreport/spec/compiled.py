"""What the rest of xlreport needs to know about a layout, worked out once, when it is loaded.

A province checks ~10,000 returns of one layout. Walking the layout's objects for every
return (which label is on which row, the terms of every total and rule, the template's
formulas, where each input sits in a packed tuple) cost more than the checking itself.
:func:`compile_layout` works all of it out once; :mod:`xlreport.spec.loader` calls it as
the last step of loading and the result travels with the layout as
:attr:`Layout.compiled <xlreport.spec.model.Layout.compiled>` (a frozen object, pickled
with the layout to the check workers). Nothing here depends on a file, so the checks'
results are exactly those of walking the layout each time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from operator import is_not
from typing import cast

from xlreport.spec.formulas import total_formulas
from xlreport.spec.model import Cell, Expr, Layout, RuleCheck, Sheet, Total, ValueType
from xlreport.spec.rule_links import RuleLinks, rule_links
from xlreport.spec.sheet_map import SheetMap, build_sheet_map

_not_none = partial(is_not, None)


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
class SheetLabels:
    """The fixed labels of one layout sheet, as the alignment of a returned sheet reads them."""

    sheet: Sheet
    texts: frozenset[str]  # every label text of the sheet
    labels: tuple[tuple[int, int, str], ...]  # (r1, c1, text) of every label with text
    label_set: frozenset[tuple[int, int, str]]  # … as a set
    row_signatures: tuple[tuple[str, ...], ...]  # sorted label texts starting on each row
    col_signatures: tuple[tuple[str, ...], ...]  # … and in each column


@dataclass(frozen=True)
class CompiledTotal:
    """A total with its cell, the terms it adds up and what they depend on (its formula
    text is :attr:`Compiled.formulas`)."""

    total: Total
    cell: Cell
    terms: Terms
    deps: tuple[str, ...]  # Expr.cells()
    term_sheets: frozenset[str]  # sheet keys of the cells it adds up


@dataclass(frozen=True)
class CompiledRule:
    rule: RuleCheck
    cells: tuple[str, ...]  # RuleCheck.cells()
    uses_prior: bool
    lhs: Terms
    rhs: Terms


@dataclass(frozen=True)
class Compiled:
    """The derived facts of one layout (see the module docstring). Its mappings are plain
    dicts (a layout is pickled to the check workers) and are only read after loading."""

    inputs: tuple[Cell, ...]  # the input cells, in layout order
    input_ids: tuple[str, ...]  # … their ids: the order of a packed return
    input_index: Mapping[str, int]  # input cell id → position in ``input_ids``
    input_types: tuple[ValueType, ...]  # the distinct value types of the inputs
    input_type_at: tuple[int, ...]  # per input: its type's position in ``input_types``
    formulas: Mapping[str, str]  # total cell id → the template's formula text
    totals: tuple[CompiledTotal, ...]  # in evaluation order
    total_by_cell: Mapping[str, Total]
    total_ids: frozenset[str]
    total_order: tuple[str, ...]  # total cell ids in layout.cells order
    rules: tuple[CompiledRule, ...]
    labels: Mapping[str, SheetLabels]  # by sheet key
    sheet_maps: Mapping[str, SheetMap]  # by sheet key
    rule_links: RuleLinks  # which rule instances share a cause (xlreport.checks.causes)


def _sheet_labels(sheet: Sheet) -> SheetLabels:
    rows: list[list[str]] = [[] for _ in range(sheet.height)]
    cols: list[list[str]] = [[] for _ in range(sheet.width)]
    for lb in sheet.labels:
        if lb.text:
            rows[lb.r1].append(lb.text)
            cols[lb.c1].append(lb.text)
    labels = tuple((lb.r1, lb.c1, lb.text) for lb in sheet.labels if lb.text)
    return SheetLabels(
        sheet=sheet,
        texts=frozenset(lb.text for lb in sheet.labels if lb.text),
        labels=labels,
        label_set=frozenset(labels),
        row_signatures=tuple(tuple(sorted(x)) for x in rows),
        col_signatures=tuple(tuple(sorted(x)) for x in cols),
    )


def compile_layout(layout: Layout) -> Compiled:
    """The compiled facts of a valid layout (the loader's last step)."""
    inputs = tuple(layout.inputs())
    input_ids = tuple(c.id for c in inputs)
    types: dict[ValueType, int] = {}
    for cell in inputs:
        types.setdefault(cell.type, len(types))
    totals = tuple(
        CompiledTotal(
            total=t,
            cell=layout.cells[t.cell],
            terms=terms_of(t.expr),
            deps=t.expr.cells(),
            term_sheets=frozenset(layout.cells[x.cell].sheet for x in t.expr.terms),
        )
        for t in layout.totals
    )
    total_ids = frozenset(t.cell for t in layout.totals)
    total_by_cell = {t.cell: t for t in layout.totals}
    return Compiled(
        inputs=inputs,
        input_ids=input_ids,
        input_index={cid: i for i, cid in enumerate(input_ids)},
        input_types=tuple(types),
        input_type_at=tuple(types[c.type] for c in inputs),
        formulas=total_formulas(layout),
        totals=totals,
        total_by_cell=total_by_cell,
        total_ids=total_ids,
        total_order=tuple(c for c in layout.cells if c in total_ids),
        rules=tuple(
            CompiledRule(r, r.cells(), r.uses_prior, terms_of(r.lhs), terms_of(r.rhs))
            for r in layout.checks
        ),
        labels={s.key: _sheet_labels(s) for s in layout.sheets},
        sheet_maps={s.key: build_sheet_map(layout, s) for s in layout.sheets},
        rule_links=rule_links(layout, total_by_cell),
    )


def compile_into(layout: Layout) -> Layout:
    """``layout`` with its compiled facts attached (:attr:`Layout.compiled`), done once."""
    if layout._compiled is None:
        object.__setattr__(layout, "_compiled", compile_layout(layout))
    return layout


def with_sheet_names(layout: Layout, names: Mapping[str, str]) -> Layout:
    """``layout`` (compiled) with its sheets renamed (sheet key → name; the others keep
    theirs): the same tables, labels, cells, totals and rules, every formula's reference to
    another sheet by the new names — the statutory tables once more in a summary, for one
    单位类型 (``merge --by-type``)."""
    sheets = tuple(replace(s, name=names.get(s.key, s.name)) for s in layout.sheets)
    return compile_into(replace(layout, sheets=sheets))


__all__ = [
    "Compiled",
    "CompiledRule",
    "CompiledTotal",
    "SheetLabels",
    "Terms",
    "add_up",
    "compile_into",
    "compile_layout",
    "terms_of",
    "with_sheet_names",
]
