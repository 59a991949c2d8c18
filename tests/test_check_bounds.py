"""Values that must never be summed as they stand: formulas in input cells (with or without
a stored result, forged or not) and numbers beyond the layout's bounds.

Files are made by the real writer and then crafted the way a hostile or broken file would
be (the XML of the cell rewritten); LibreOffice typing is in test_values_libreoffice.py.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import (
    YEAR,
    build,
    check_bytes,
    edit_part,
    ident,
    layout_of,
    real_inputs,
    set_cached_value,
    sheet_part,
)
from cli_helpers import invoke
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xlreport.batch import check_file
from xlreport.checks import CheckOptions
from xlreport.checks.values import judge
from xlreport.merge.sums import SumRefused, merge_values, sum_inputs
from xlreport.reader.model import RawCell
from xlreport.spec import load_layout
from xlreport.spec.context import LayoutError
from xlreport.spec.model import Layout

LAYOUT = layout_of()
GOV2021 = Path(__file__).resolve().parents[1] / "templates" / "gov-2021.toml"
CELL = "s3.open.natural"  # an input cell of the statutory table 三


def _rewrite_cell(data: bytes, layout: Layout, cid: str, inner: str, t: str = "") -> bytes:
    """The cell's XML content replaced by ``inner`` (e.g. ``<f>3+4</f><v>100</v>``)."""
    cell = layout.cells[cid]
    name = layout.sheet(cell.sheet).name

    def edit(xml: str) -> str:
        pattern = re.compile(rf'<c r="{cell.a1}"([^>]*?)(?:/>|>.*?</c>)')
        assert pattern.search(xml), f"no cell {cell.a1}"
        attrs = re.sub(r'\s+t="[^"]*"', "", pattern.search(xml).group(1))  # type: ignore[union-attr]
        typ = f' t="{t}"' if t else ""
        return pattern.sub(lambda _m: f'<c r="{cell.a1}"{attrs}{typ}>{inner}</c>', xml, count=1)

    return edit_part(data, sheet_part(data, name), edit)


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, out, err = invoke(argv)
    return code, out + err


# --- 1. a formula in an input cell ---------------------------------------------------------


@pytest.mark.parametrize(
    ("inner", "stored"),
    [
        ("<f>3+4</f><v>100</v>", "100"),  # a forged stored result
        ("<f>3+4</f><v>7</v>", "7"),  # the right result, still not verified by anything
        ("<f>3+4</f>", ""),  # no stored result (a program that does not calculate)
    ],
)
def test_formula_in_an_input_cell_is_refused_never_summed(
    tmp_path: Path, inner: str, stored: str
) -> None:
    data = _rewrite_cell(build(LAYOUT), LAYOUT, CELL, inner)
    checked = check_bytes(tmp_path, data)
    found = [f for f in checked.report.findings if f.code == "input-formula"]
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.cell, f.found) == ("error", LAYOUT.cells[CELL].a1, "=3+4")
    assert "=3+4" in f.message and "直接填写" in f.hint
    assert not re.search(r"\d", f.hint)  # no number offered to type: the cache is unverified
    if stored:
        assert f"“{stored}”" in f.message and "未经核实" in f.message
    assert checked.report.status == "error"
    assert checked.data is not None and CELL not in checked.data.values


# --- 2. numbers beyond the layout's bounds -------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        ("1000000000", "value-out-of-range"),  # one above the count type's limit
        ("1E+61", "value-out-of-range"),
        ("1E+300", "value-out-of-range"),
        # no spreadsheet stores these as numbers: the reader refuses the file, naming the cell
        ("1" + "0" * 400, "file-number-out-of-range"),
        ("1E+400", "file-number-out-of-range"),
        ("1" + "0" * 100_000, "file-number-out-of-range"),  # 100,000 digits
        ("0." + "0" * 100_000 + "1", "file-number-out-of-range"),  # 100,000 decimals
    ],
)
def test_huge_input_is_an_error_not_a_crash(tmp_path: Path, stored: str, code: str) -> None:
    data = _rewrite_cell(build(LAYOUT), LAYOUT, CELL, f"<v>{stored}</v>")
    checked = check_bytes(tmp_path, data)
    if code.startswith("file-"):
        assert checked.report.unreadable and checked.data is None
        (f,) = checked.report.findings
        assert f.code == code and LAYOUT.cells[CELL].a1 in f.message and len(f.message) < 300
        return
    got = [(f.code, f.severity, f.cell) for f in checked.report.findings if f.cell]
    assert (code, "error", LAYOUT.cells[CELL].a1) in got
    assert all(len(f.message) < 300 for f in checked.report.findings)
    assert checked.data is not None and CELL not in checked.data.values


def test_implausible_input_is_a_warning_naming_the_bound(tmp_path: Path) -> None:
    vt = LAYOUT.cells["a20_6.penalty.decisions"].type
    assert vt.plausible is not None
    big = vt.plausible + 1
    values = dict(real_inputs(LAYOUT))
    values["a20_6.penalty.decisions"] = big
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    got = [f for f in checked.report.findings if f.code == "value-implausible"]
    assert [(f.severity, f.cell) for f in got] == [
        ("warning", LAYOUT.cells["a20_6.penalty.decisions"].a1)
    ]
    assert f"{vt.plausible:f}" in got[0].message
    assert checked.report.status == "warning"
    assert checked.data is not None and checked.data.values["a20_6.penalty.decisions"] == big


@pytest.mark.parametrize("stored", ["1E+300", "1E+61", "99999999999999999999"])
def test_huge_cached_total_is_a_forged_cache_not_a_crash(tmp_path: Path, stored: str) -> None:
    total = LAYOUT.cells["s3.new.total"]
    data = set_cached_value(build(LAYOUT), LAYOUT.sheet(total.sheet).name, total.a1, stored)
    checked = check_bytes(tmp_path, data)
    got = {(f.code, f.cell) for f in checked.report.findings}
    assert got == {("cache-forged", total.a1)}


def test_cached_total_beyond_a_double_refuses_the_file(tmp_path: Path) -> None:
    total = LAYOUT.cells["s3.new.total"]
    data = set_cached_value(build(LAYOUT), LAYOUT.sheet(total.sheet).name, total.a1, "1E+400")
    checked = check_bytes(tmp_path, data)
    assert checked.report.unreadable
    assert [f.code for f in checked.report.findings] == ["file-number-out-of-range"]


def test_merge_counts_the_good_return_and_lists_the_refused_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A formula with a forged result and huge numbers (in an input, in a cached total):
    each file is left out with its coded reason, the merge goes on and sums the good one."""
    inbox = tmp_path / "收到"
    inbox.mkdir()
    good = real_inputs(LAYOUT)
    (inbox / "好.xlsx").write_bytes(build(LAYOUT, good, ident(LAYOUT, code="A01")))
    total = LAYOUT.cells["s3.new.total"]
    bad = {
        "公式.xlsx": lambda d: _rewrite_cell(d, LAYOUT, CELL, "<f>3+4</f><v>100</v>"),
        "大数.xlsx": lambda d: _rewrite_cell(d, LAYOUT, CELL, "<v>1E+61</v>"),
        "超大.xlsx": lambda d: _rewrite_cell(d, LAYOUT, CELL, "<v>1E+300</v>"),
        "合计.xlsx": lambda d: set_cached_value(
            d, LAYOUT.sheet(total.sheet).name, total.a1, "1E+300"
        ),
    }
    for i, (name, craft) in enumerate(bad.items()):
        who = ident(LAYOUT, code=f"B0{i}", name=f"县第{i}局")
        (inbox / name).write_bytes(craft(build(LAYOUT, good, who)))
    out = tmp_path / "汇总.xlsx"
    code, text = _cli(["merge", str(inbox), "--out", str(out), "--json"], capsys)
    assert code == 1, text
    doc = json.loads(text)
    status = {Path(f["path"]).name: f["status"] for f in doc["files"]}
    assert status["好.xlsx"] == "merged"
    assert all(status[name] != "merged" for name in bad), status
    assert doc["counts"]["merged"] == 1
    summary = check_file(out, CheckOptions(year=YEAR))
    assert summary.data is not None and dict(summary.data.values) == good


# --- the loader validates the bounds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("limit = 1000000000000000", "上限应大于 0"),  # 16 digits: more than Excel holds
        ("limit = 0", "上限应大于 0"),
        ("plausible = 1000000000", "应大于 0 且不超过上限"),
        ("plausible = 0", "应大于 0 且不超过上限"),
    ],
)
def test_bounds_are_validated_by_the_loader(tmp_path: Path, new: str, message: str) -> None:
    src = GOV2021.read_text(encoding="utf-8")
    old = new.split(" =")[0] + " = " + ("999999999" if new.startswith("limit") else "9999999")
    assert old in src
    bad = tmp_path / "界限.toml"
    bad.write_text(src.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layout(bad)
    assert "界限.toml" in str(err.value) and "types.count" in str(err.value)
    assert message in str(err.value)


def test_bounds_do_not_change_the_fingerprint(tmp_path: Path) -> None:
    """Templates sent out before a bound changed stay the same layout (the checks apply the
    current bounds to every return)."""
    src = GOV2021.read_text(encoding="utf-8").replace("plausible = 9999999", "plausible = 99999")
    (tmp_path / "a.toml").write_text(src, encoding="utf-8")
    other = load_layout(tmp_path / "a.toml")
    assert other.fingerprint == LAYOUT.fingerprint
    assert other.types["count"].plausible == 99999


# --- property: any finite number in any input cell -----------------------------------------

_NUMBERS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**400), max_value=10**400).map(Decimal),
    st.builds(
        lambda m, e: Decimal(m).scaleb(e),
        st.integers(-(10**20), 10**20),
        st.integers(-400, 400),
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    number=_NUMBERS,
    cell=st.sampled_from([c.id for c in LAYOUT.inputs()]),
    copies=st.integers(1, 50),
)
def test_any_finite_number_is_summed_exactly_or_refused_with_a_code(
    number: Decimal, cell: str, copies: int
) -> None:
    text = format(number, "E") if number.is_finite() else str(number)
    j = judge(RawCell("n", text), LAYOUT.cells[cell].type)
    if j.state != "ok":
        assert j.state == "invalid" and j.code and j.value is None
        return
    assert j.value is not None and abs(j.value) <= LAYOUT.cells[cell].type.limit
    sums = sum_inputs(LAYOUT, [{cell: j.value}] * copies)
    assert sums[cell] == j.value * copies  # exact (Decimal multiplication of small ints)
    merged = merge_values(LAYOUT, [{cell: j.value}] * copies)
    assert merged[cell] == sums[cell]


def test_sums_refuse_clearly_instead_of_rounding() -> None:
    with pytest.raises(SumRefused) as err:
        sum_inputs(LAYOUT, [{CELL: Decimal("1E+61")}, {CELL: Decimal(1)}])
    assert "无法精确计算" in str(err.value)


@settings(max_examples=25, deadline=None)
@given(number=_NUMBERS, cell=st.sampled_from([c.id for c in LAYOUT.inputs()]))
# more significant digits than a spreadsheet writes, the length limit falling in the exponent
@example(number=Decimal("-3.71457283702698421996697626692551352E-25"), cell="s3.new.natural")
def test_any_finite_number_stored_in_a_real_file_is_checked_without_a_crash(
    tmp_path_factory: pytest.TempPathFactory, number: Decimal, cell: str
) -> None:
    """The same property on a real workbook: the number stored in the cell's XML."""
    values = dict(real_inputs(LAYOUT))
    values.pop(cell, None)
    data = _rewrite_cell(build(LAYOUT, values), LAYOUT, cell, f"<v>{number:E}</v>")
    checked = check_bytes(tmp_path_factory.mktemp("prop"), data)
    if checked.data is None:  # beyond a double or longer than any spreadsheet writes
        assert checked.report.unreadable
        assert [f.code for f in checked.report.findings] == ["file-number-out-of-range"]
        return
    judged = [f for f in checked.report.findings if f.cell == LAYOUT.cells[cell].a1]
    if cell in checked.data.values:
        got = checked.data.values[cell]
        assert abs(got) <= LAYOUT.cells[cell].type.limit
        merged = merge_values(LAYOUT, [checked.data.values, checked.data.values])
        assert merged[cell] == 2 * got
    else:
        assert any(f.severity == "error" for f in judged), judged


# --- a summary's sums are not held to one return's bounds ------------------------------------


def test_summary_sums_beyond_a_returns_limit_check_clean_and_merge_upward(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two returns of 600,000,000 (implausible, but within a return's limit) make a county
    summary of 1,200,000,000 — above a return's limit, yet a correct sum: the summary checks
    without a bound finding, and two such summaries merge upward into 2,400,000,000."""
    cid = "a20_6.penalty.decisions"
    vt = LAYOUT.cells[cid].type
    big = Decimal(600_000_000)
    assert vt.plausible is not None and vt.plausible < big <= vt.limit < 2 * big
    counties = []
    for n, county in enumerate(("甲", "乙")):
        inbox = tmp_path / county
        inbox.mkdir()
        for i in range(2):
            values = dict(real_inputs(LAYOUT))
            values[cid] = big
            who = ident(LAYOUT, code=f"{county}{i}", name=f"{county}县第{i}局")
            (inbox / f"{i}.xlsx").write_bytes(build(LAYOUT, values, who))
        out = tmp_path / f"{county}县汇总.xlsx"
        argv = ["merge", str(inbox), "--out", str(out), "--name", f"{county}县", "--code", f"C{n}"]
        code, text = _cli(argv, capsys)
        assert code == 0, text
        summary = check_file(out, CheckOptions(year=YEAR))
        bound_codes = {"value-out-of-range", "value-implausible"}
        assert not [f for f in summary.report.findings if f.code in bound_codes]
        assert summary.report.status == "ok", summary.report.findings
        assert summary.data is not None and summary.data.values[cid] == 2 * big
        counties.append(out)
    city = tmp_path / "市汇总.xlsx"
    code, text = _cli(["merge", *map(str, counties), "--out", str(city), "--name", "某市"], capsys)
    assert code == 0, text
    merged = check_file(city, CheckOptions(year=YEAR))
    assert merged.report.status == "ok", merged.report.findings
    assert merged.data is not None and merged.data.values[cid] == 4 * big
