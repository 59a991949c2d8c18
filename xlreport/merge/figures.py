"""The values the 概览 sheet shows, read from the cells the layout's ``[overview]`` names.

Which cells, with which labels and titles, is data of the layout file
(:class:`~xlreport.spec.model.Overview`); nothing here names a row, a label or a title.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xlreport.spec.model import Expr, Layout


def sum_value(values: Mapping[str, Decimal], expr: Expr) -> Decimal:
    """A breakdown slice over the summary's values (blank = 0)."""
    return expr.evaluate(values)


def cell_value(layout: Layout, values: Mapping[str, Decimal], cell_id: str) -> Decimal:
    """One cell of a return: an input as given (blank = 0), a total computed from the
    inputs it depends on only (as ``Layout.compute_totals`` would, without the others)."""
    done: dict[str, Decimal] = {}

    def value(cid: str) -> Decimal:
        total = layout.total_of(cid)
        if total is None:
            v = values.get(cid)
            return v if v is not None else Decimal(0)
        if cid not in done:
            done[cid] = total.expr.evaluate({c: value(c) for c in total.expr.cells()})
        return done[cid]

    return value(cell_id)
