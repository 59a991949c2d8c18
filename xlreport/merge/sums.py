"""Exact summation of returns: Decimal arithmetic, blank counts as 0, no float anywhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, DecimalException, Inexact, localcontext
from operator import add
from typing import cast

from xlreport.batch.packed import packed_of
from xlreport.errors import XlreportError
from xlreport.spec.model import Layout

#: Precision for the sums: far beyond any value the checks let through (a type's limit
#: has at most 15 significant digits; 10^9 returns add 9 more); an addition that would
#: still need rounding is refused (:class:`SumRefused`) instead of drifting.
_PRECISION = 60


class SumRefused(XlreportError):
    """A sum that cannot be computed exactly: the summary is not written."""


@contextmanager
def _exact(what: str) -> Iterator[None]:
    """Decimal arithmetic in ``_PRECISION`` digits where any rounding, overflow or invalid
    operation becomes :class:`SumRefused` naming ``what``."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.traps[Inexact] = True
        try:
            yield
        except DecimalException as e:
            raise SumRefused(
                f"{what}无法精确计算（数值超出 {_PRECISION} 位有效数字），未生成汇总表",
                "请检查报表中是否有异常大的数字或过多的小数位",
            ) from e


def sum_inputs(layout: Layout, value_maps: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """Every input cell of ``layout`` → the exact sum over ``value_maps`` (blank = 0).

    One path for every return: its values in the packed form (:func:`packed_of`), added
    column by column in Decimal at ``_PRECISION`` digits, where any rounding is refused.
    Cells that are not input cells of the layout are ignored; every input cell is in the
    result, 0 when no map has a value for it.
    """
    ids = layout.compiled.input_ids
    sums: list[Decimal] = [Decimal(0)] * len(ids)
    with _exact("各单位数值的合计"):
        for values in value_maps:
            row = packed_of(layout, values)
            if None in row:
                row = tuple(0 if v is None else v for v in row)  # blank adds nothing
            sums = list(map(add, sums, cast("tuple[int | Decimal, ...]", row)))
    return {cid: tidy(v) for cid, v in zip(ids, sums, strict=True)}


def merge_values(layout: Layout, value_maps: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """The summary's cells: summed inputs plus every total recomputed from them, exactly
    (:class:`SumRefused` rather than a rounded number)."""
    inputs = sum_inputs(layout, value_maps)
    with _exact("合计单元格"):
        return layout.compute_totals(inputs)


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
