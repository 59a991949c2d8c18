"""Exact summation of returns: Decimal arithmetic, blank counts as 0, no float anywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, Inexact, localcontext

from xlreport.spec.model import Layout

#: Precision for the sums: far beyond any report (10^15 件 with 6 decimals is 22 digits);
#: an addition that would still need rounding raises instead of drifting.
_PRECISION = 60


def sum_inputs(layout: Layout, value_maps: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """Every input cell of ``layout`` → the exact sum over ``value_maps`` (blank = 0).

    Cells that are not input cells of the layout are ignored; every input cell is in the
    result, 0 when no map has a value for it.
    """
    ids = [c.id for c in layout.inputs()]
    sums = dict.fromkeys(ids, Decimal(0))
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.traps[Inexact] = True
        for values in value_maps:
            for cid in ids:
                v = values.get(cid)
                if v is not None:
                    sums[cid] += v
    return {cid: tidy(v) for cid, v in sums.items()}


def merge_values(layout: Layout, value_maps: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """The summary's cells: summed inputs plus every total recomputed from them."""
    return layout.compute_totals(sum_inputs(layout, value_maps))


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros or exponent noise: 3.50 → 3.5, 1E+2 → 100, -0 → 0."""
    if value.is_zero():
        return Decimal(0)
    if value == value.to_integral_value():
        return Decimal(int(value))
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return value.normalize()


def decimal_text(value: Decimal | None) -> str:
    """A number as plain text for people and exports: "1200", "5949.088667", "" for blank."""
    if value is None:
        return ""
    return format(tidy(value), "f")
