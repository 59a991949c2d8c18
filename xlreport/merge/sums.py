"""Exact summation of returns: Decimal arithmetic, blank counts as 0, no float anywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, Inexact, localcontext
from operator import add
from typing import cast

from xlreport.checks.compact import CompactValues
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
    maps = list(value_maps)
    packed = _sum_packed(layout, len(ids), maps)
    if packed is not None:
        return {cid: tidy(Decimal(v)) for cid, v in zip(ids, packed, strict=True)}
    sums = dict.fromkeys(ids, Decimal(0))
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.traps[Inexact] = True
        for values in maps:
            for cid in ids:
                v = values.get(cid)
                if v is not None:
                    sums[cid] += v
    return {cid: tidy(v) for cid, v in sums.items()}


#: Packed values below this in size, with at most _FRACTION decimals, add up exactly in
#: _PRECISION digits whatever their order and number (under 10^9 returns): the sum of each
#: column is then the exact one, as adding them one by one in Decimal gives.
_BOUND = 10**30
_FRACTION = 20


def _sum_packed(
    layout: Layout, width: int, maps: Sequence[Mapping[str, Decimal]]
) -> list[int | Decimal] | None:
    """The column sums of packed values (``xlreport.checks.compact``); None when a map is
    not packed in ``layout``'s order or a value is outside the bounds that make every
    addition exact."""
    sums: list[int | Decimal] = [0] * width
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.traps[Inexact] = True
        for values in maps:
            if not (isinstance(values, CompactValues) and values.packed_for(layout)):
                return None
            row = values.packed
            if None in row:
                row = tuple(0 if v is None else v for v in row)  # blank adds nothing
            kinds = set(map(type, row))
            if not kinds <= _NUMBERS:
                return None
            if Decimal in kinds and not all(
                map(_few_decimals, [v for v in row if type(v) is Decimal])
            ):
                return None
            numbers = cast("tuple[int | Decimal, ...]", row)
            if numbers and (max(numbers) >= _BOUND or min(numbers) <= -_BOUND):
                return None
            sums = list(map(add, sums, numbers))
    return sums


_NUMBERS = frozenset({int, Decimal})


def _few_decimals(v: Decimal) -> bool:
    """Finite, with at most _FRACTION digits after the point."""
    exp = v.as_tuple().exponent
    return isinstance(exp, int) and exp >= -_FRACTION


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
