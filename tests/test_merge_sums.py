"""Exact summation: real tables, money without float drift, and the algebra of merging."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from merge_helpers import random_values
from realdata import REAL_REPORTS, load_real_report, real_report_inputs, real_report_totals

from xlreport.merge.sums import decimal_text, merge_values, sum_inputs, tidy
from xlreport.spec import builtin_layouts, resolve_layout

GOV2021 = resolve_layout("gov-2021")
GOV2019 = resolve_layout("gov-2019")


def _real(name: str) -> dict[str, Decimal]:
    raw = real_report_inputs(load_real_report(name), GOV2021)
    return {k: v for k, v in raw.items() if v is not None}


def test_real_tables_sum_to_an_independent_fraction_sum() -> None:
    reports = [_real(n) for n in REAL_REPORTS]
    merged = merge_values(GOV2021, reports)
    for cell in GOV2021.inputs():
        expected = sum((Fraction(str(r[cell.id])) for r in reports if cell.id in r), Fraction(0))
        assert Fraction(str(merged[cell.id])) == expected, cell.id
    # totals: each report's totals evaluated in fractions, then added up (totals are linear)
    expected_totals: dict[str, Fraction] = {}
    for r in reports:
        own = {k: Fraction(str(v)) for k, v in r.items()}
        for total in GOV2021.totals:
            own[total.cell] = sum(
                (t.sign * own.get(t.cell, Fraction(0)) for t in total.expr.terms), Fraction(0)
            )
            expected_totals[total.cell] = (
                expected_totals.get(total.cell, Fraction(0)) + own[total.cell]
            )
    for cell_id, expected in expected_totals.items():
        assert Fraction(str(merged[cell_id])) == expected, cell_id


def test_real_money_is_exact() -> None:
    reports = [_real(n) for n in REAL_REPORTS]
    fee = next(c.id for c in GOV2021.inputs() if c.type.kind == "decimal")
    merged = merge_values(GOV2021, reports)
    assert merged[fee] == sum((r[fee] for r in reports), Decimal(0))
    # many small amounts: the float sum drifts, the merge does not
    amounts = [{fee: Decimal("0.1")}] * 10 + [{fee: Decimal("5949.088667")}] * 3
    total = merge_values(GOV2021, amounts)[fee]
    assert decimal_text(total) == "17848.266001"
    assert sum([0.1] * 10) != 1.0  # what the merge avoids


def test_totals_of_the_merge_equal_published_totals_where_the_publisher_added_right() -> None:
    """The published 总计 cells that agree with their own inputs add up in the merge."""
    reports = {n: _real(n) for n in REAL_REPORTS}
    merged = merge_values(GOV2021, reports.values())
    published = {n: real_report_totals(load_real_report(n), GOV2021) for n in REAL_REPORTS}
    checked = 0
    for total in GOV2021.totals:
        own = [GOV2021.compute_totals(reports[n])[total.cell] for n in REAL_REPORTS]
        printed = [published[n][total.cell] for n in REAL_REPORTS]
        if all(p is not None and p == o for p, o in zip(printed, own, strict=True)):
            assert merged[total.cell] == sum(p for p in printed if p is not None)
            checked += 1
    assert checked >= 20


def test_blank_counts_as_zero_and_every_input_is_present() -> None:
    merged = sum_inputs(GOV2021, [{}, {"s3.new.natural": Decimal(3)}])
    assert len(merged) == sum(1 for _ in GOV2021.inputs())
    assert merged["s3.new.natural"] == 3
    assert merged["s3.new.commercial"] == 0
    assert "s3.new.total" not in merged  # totals are recomputed, never summed from inputs
    assert merge_values(GOV2021, [])["s3.new.total"] == 0


def test_signed_values_of_the_2019_layout() -> None:
    signed = next(c.id for c in GOV2019.inputs() if c.type.min is None or c.type.min < 0)
    merged = sum_inputs(GOV2019, [{signed: Decimal(-15)}, {signed: Decimal(4)}])
    assert merged[signed] == -11


def test_tidy_and_text() -> None:
    assert decimal_text(tidy(Decimal("3.50"))) == "3.5"
    assert decimal_text(Decimal("1E+2")) == "100"
    assert decimal_text(Decimal("-0")) == "0"
    assert decimal_text(None) == ""
    assert str(tidy(Decimal("123456789012345678901.000001"))) == "123456789012345678901.000001"


# --- property-based: merging is a sum -----------------------------------------------------

_LAYOUTS = sorted(builtin_layouts())


@st.composite
def value_maps(draw: st.DrawFn, n: int) -> tuple[str, list[dict[str, Decimal]]]:
    layout_id = draw(st.sampled_from(_LAYOUTS))
    seed = draw(st.integers(0, 2**32))
    rng = random.Random(seed)
    layout = builtin_layouts()[layout_id]
    return layout_id, [random_values(layout, rng, blanks=0.3) for _ in range(n)]


@settings(max_examples=40, deadline=None)
@given(value_maps(3), st.randoms(use_true_random=False))
def test_merge_is_commutative_and_associative(
    case: tuple[str, list[dict[str, Decimal]]], rnd: random.Random
) -> None:
    layout_id, (a, b, c) = case
    layout = builtin_layouts()[layout_id]
    inputs = [cell.id for cell in layout.inputs()]

    def merged_inputs(*maps: dict[str, Decimal]) -> dict[str, Decimal]:
        return {k: v for k, v in merge_values(layout, maps).items() if k in inputs}

    flat = merge_values(layout, [a, b, c])
    shuffled = [a, b, c]
    rnd.shuffle(shuffled)
    assert merge_values(layout, shuffled) == flat
    left = merge_values(layout, [merged_inputs(a, b), c])
    right = merge_values(layout, [a, merged_inputs(b, c)])
    assert left == flat == right


@settings(max_examples=40, deadline=None)
@given(value_maps(1))
def test_summary_of_one_return_is_that_return(case: tuple[str, list[dict[str, Decimal]]]) -> None:
    layout_id, (only,) = case
    layout = builtin_layouts()[layout_id]
    merged = merge_values(layout, [only])
    zero_filled = {c.id: only.get(c.id, Decimal(0)) for c in layout.inputs()}
    assert merged == layout.compute_totals(zero_filled)
    for cid, v in only.items():
        assert merged[cid] == v
