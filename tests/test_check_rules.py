"""The consistency rules on real tables, on tampered tables, and on random ones (hypothesis)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from check_helpers import YEAR, a1_of, build, check_bytes, ident, layout_of, real_inputs
from check_helpers import with_openpyxl as tamper_with
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlreport.checks import CheckOptions, check_workbook
from xlreport.checks.model import ReturnData
from xlreport.reader import RawCell, RawSheet, RawWorkbook, read_xlsx
from xlreport.spec.model import Layout, RuleCheck

LAYOUT = layout_of()
OUTCOME_ROWS = [r.key for r in LAYOUT.sheet("s3").tables[0].rows][2:-2]  # （一）…（六） leaves


def broken(checked: object, code: str = "rule-broken") -> set[tuple[str, str]]:
    report = checked.report  # type: ignore[attr-defined]
    return {(f.rule, f.col_label) for f in report.findings if f.code == code}


def col_label(col: str) -> str:
    return LAYOUT.cells[f"s3.new.{col}"].col_label


# --- （七）总计 typed from the intake count ------------------------------------------------


def test_outcomes_not_adding_up_to_the_intake_fail_the_balance_in_those_columns(
    tmp_path: Path,
) -> None:
    """The published （七）总计 was 一+二−四 while the outcome rows add up to something else:
    typed into the template, （七）总计 is recomputed from the outcome rows, and the balance
    H2 fails in exactly the columns concerned (and the 总计 column that adds them up)."""
    values = real_inputs(LAYOUT)
    values["s3.open.natural"] += 3
    values["s3.partial.commercial"] += 1
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    assert broken(checked) == {
        ("H2", col_label("natural")),
        ("H2", col_label("commercial")),
        ("H2", col_label("total")),
    }
    f = next(f for f in checked.report.findings if f.col_label == col_label("natural"))
    assert f.cell == LAYOUT.cells["s3.new.natural"].a1
    totals = LAYOUT.compute_totals(values)
    lhs = totals["s3.new.natural"] + totals["s3.carried.natural"]
    rhs = totals["s3.outcome_total.natural"] + totals["s3.carryover.natural"]
    assert (f.found, f.expected) == (str(lhs), str(rhs))
    assert "H2" in f.message and "相差 -3" in f.message


def test_a_typed_seventh_total_holds_the_balance_but_fails_h3(tmp_path: Path) -> None:
    """The same table with （七）总计 typed over its formula (as published)."""
    values = real_inputs(LAYOUT)
    values["s3.open.natural"] += 3
    totals = LAYOUT.compute_totals(values)
    typed = totals["s3.new.natural"] + totals["s3.carried.natural"] - totals["s3.carryover.natural"]
    sheet, ref = a1_of(LAYOUT, "s3.outcome_total.natural")

    def overwrite(wb: openpyxl.Workbook) -> None:
        wb[sheet].protection.sheet = False
        wb[sheet][ref] = int(typed)

    checked = check_bytes(tmp_path, tamper_with(build(LAYOUT, values), overwrite))
    # H3 fails in that column and in the 总计 column, whose （七）总计 adds the typed number
    assert broken(checked) == {("H3", col_label("natural")), ("H3", col_label("total"))}
    assert ("formula-overwritten", ref) in {(f.code, f.cell) for f in checked.report.findings}


# --- soft rules against last year ---------------------------------------------------------


def _prior_data(values: dict[str, Decimal], year: int = YEAR - 1) -> ReturnData:
    return ReturnData(
        path="上年.xlsx",
        sha256="0" * 64,
        layout=LAYOUT,
        identity=ident(LAYOUT, year=year),
        values=values,
        totals=LAYOUT.compute_totals(values),
    )


def test_soft_rules_only_with_last_years_return(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    last = {
        f"s3.carryover.{c.key}": values.get(f"s3.carried.{c.key}", Decimal(0))
        for c in LAYOUT.sheet("s3").tables[0].columns
        if c.key != "total"
    }
    for row in ("rules", "normative"):
        last[f"a20_1.{row}.current"] = (
            values[f"a20_1.{row}.current"]
            - values[f"a20_1.{row}.issued"]
            + values[f"a20_1.{row}.repealed"]
        )
    data = build(LAYOUT, values)
    assert check_bytes(tmp_path, data).report.findings == []  # no --prior: no soft rule
    options = CheckOptions(year=YEAR, prior={"A01": _prior_data(last)})
    assert check_bytes(tmp_path, data, options).report.findings == []
    last["s3.carryover.natural"] += 2
    last["a20_1.normative.current"] -= 10
    checked = check_bytes(tmp_path, data, replace(options, prior={"A01": _prior_data(last)}))
    got = {(f.code, f.severity, f.rule, f.cell) for f in checked.report.findings}
    assert got == {
        ("prior-rule-broken", "warning", "S1", LAYOUT.cells["s3.carried.natural"].a1),
        ("prior-rule-broken", "warning", "S1", LAYOUT.cells["s3.carried.total"].a1),
        ("prior-rule-broken", "warning", "S2", LAYOUT.cells["a20_1.normative.current"].a1),
    }
    assert checked.report.status == "warning"


def test_prior_of_the_wrong_year_or_missing_is_said(tmp_path: Path) -> None:
    data = build(LAYOUT)
    options = CheckOptions(year=YEAR, prior={"A01": _prior_data({}, year=YEAR - 2)})
    checked = check_bytes(tmp_path, data, options)
    assert [(f.code, f.severity) for f in checked.report.findings] == [
        ("prior-year-mismatch", "warning")
    ]
    options = CheckOptions(year=YEAR, prior={"Z99": _prior_data({})})
    assert [f.code for f in check_bytes(tmp_path, data, options).report.findings] == [
        "prior-not-found"
    ]


# --- property-based ------------------------------------------------------------------------


@cache
def _template(layout_id: str, tmp: str) -> RawWorkbook:
    layout = layout_of(layout_id)
    path = Path(tmp) / f"{layout_id}.xlsx"
    path.write_bytes(build(layout, {}, ident(layout)))
    return read_xlsx(path)


def _filled(layout: Layout, template: RawWorkbook, values: dict[str, Decimal]) -> RawWorkbook:
    """The template with these inputs typed in and every total recalculated, as Excel saves it."""
    totals = layout.compute_totals(values)
    sheets = []
    for rs in template.sheets:
        cells = dict(rs.cells)
        for cell in layout.cells.values():
            if layout.sheet(cell.sheet).name != rs.name:
                continue
            old = cells.get((cell.r, cell.c))
            if cell.kind == "total":
                assert old is not None and old.formula
                cells[(cell.r, cell.c)] = RawCell("n", str(totals[cell.id]), old.formula)
            elif cell.id in values:
                cells[(cell.r, cell.c)] = RawCell("n", str(values[cell.id]))
        sheets.append(replace(rs, cells=cells))
    return replace(template, sheets=sheets)


def _value(layout: Layout, cid: str, draw: st.DrawFn) -> Decimal:
    vt = layout.cells[cid].type
    lo = int(vt.min) if vt.min is not None else -500
    n = draw(st.integers(lo, 3000))
    if vt.kind == "decimal":
        return Decimal(n) + Decimal(draw(st.integers(0, 10**vt.decimals - 1))).scaleb(-vt.decimals)
    return Decimal(n)


@st.composite
def valid_inputs(draw: st.DrawFn, layout: Layout) -> dict[str, Decimal]:
    """Every input filled; section 三 balanced (一 + 二 = outcomes + 四) in every column."""
    values = {c.id: _value(layout, c.id, draw) for c in layout.inputs()}
    table = layout.sheet("s3").tables[0]
    outcomes = [r.key for r in table.rows][2:-2]
    for col in (c.key for c in table.columns if c.key != "total"):
        out = sum((values[f"s3.{r}.{col}"] for r in outcomes), Decimal(0))
        total = out + values[f"s3.carryover.{col}"]
        carried = min(values[f"s3.carried.{col}"], total)
        values[f"s3.carried.{col}"] = carried
        values[f"s3.new.{col}"] = total - carried
    return values


def expanded(layout: Layout, rule: RuleCheck) -> Counter[str]:
    """lhs − rhs of a rule as coefficients of input cells (totals expanded through their sums)."""
    sums = {t.cell: t.expr for t in layout.totals}

    def expand(cell: str, sign: int, into: Counter[str]) -> None:
        if cell in sums:
            for t in sums[cell].terms:
                expand(t.cell, sign * t.sign, into)
        else:
            into[cell] += sign

    out: Counter[str] = Counter()
    for side, s in ((rule.lhs, 1), (rule.rhs, -1)):
        for t in side.terms:
            expand(t.cell, s * t.sign, out)
    return out


LAYOUT_IDS = ["gov-2021", "gov-2019", "qinghe-2024"]
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
@SETTINGS
@given(data=st.data())
def test_random_valid_inputs_give_no_finding(
    layout_id: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    layout = layout_of(layout_id)
    template = _template(layout_id, str(tmp_path_factory.getbasetemp()))
    values = data.draw(valid_inputs(layout))
    raw = _filled(layout, template, values)
    checked = check_workbook(raw, CheckOptions(year=YEAR), path="x.xlsx")
    assert checked.report.findings == []
    assert checked.data is not None and checked.data.values == values


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
@SETTINGS
@given(data=st.data())
def test_one_changed_input_breaks_exactly_its_rules_at_their_cells(
    layout_id: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    layout = layout_of(layout_id)
    template = _template(layout_id, str(tmp_path_factory.getbasetemp()))
    values = data.draw(valid_inputs(layout))
    cid = data.draw(st.sampled_from([c.id for c in layout.inputs()]))
    values[cid] += data.draw(st.integers(1, 50))
    raw = _filled(layout, template, values)
    checked = check_workbook(raw, CheckOptions(year=YEAR), path="x.xlsx")
    want = set()
    for rule in layout.checks:
        if not rule.uses_prior and expanded(layout, rule)[cid] != 0:
            first = layout.cells[rule.lhs.cells()[0]]
            want.add((rule.rule, layout.sheet(first.sheet).name, first.a1, first.col_label))
    got = {(f.rule, f.sheet, f.cell, f.col_label) for f in checked.report.findings}
    assert got == want
    assert all(f.code == "rule-broken" for f in checked.report.findings)


def test_the_oracle_is_not_empty() -> None:
    """Changing an outcome cell of section 三 must break the balance of its column."""
    rule = next(r for r in LAYOUT.checks if r.rule == "H2" and r.key == "natural")
    assert expanded(LAYOUT, rule)["s3.open.natural"] == -1
    assert expanded(LAYOUT, rule)["s3.open.commercial"] == 0
    h1 = next(r for r in LAYOUT.checks if r.rule == "H1")
    assert not +expanded(LAYOUT, h1) and not -expanded(LAYOUT, h1)  # totals make H1 hold


def test_the_template_fixture_is_a_real_read(tmp_path: Path) -> None:
    raw = _template("gov-2021", str(tmp_path))
    assert isinstance(raw.sheets[0], RawSheet) and raw.sha256
