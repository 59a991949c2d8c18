"""Issue 10 values and blanks, typed into the template by LibreOffice (headless, UNO) as a
person would type them: a formula in an input cell, huge and implausible numbers, numbers
typed beside or under the tables, an untouched template, a return with blank cells."""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from check_helpers import YEAR, a1_of, build, ident, layout_of, real_inputs
from cli_helpers import invoke
from lo import Entry, Job, run_jobs

from xlreport.batch import check_file
from xlreport.checks import CheckedFile, CheckOptions
from xlreport.checks.values import fmt
from xlreport.spec.model import a1
from xlreport.spec.sheet_map import check_column

pytestmark = pytest.mark.libreoffice
LAYOUT = layout_of()
CELL = "s3.open.natural"
PENALTY = "a20_6.penalty.decisions"
S2 = LAYOUT.sheet("s2")  # a sheet without a 勾稽检查 block
S4 = LAYOUT.sheet("s4")
BESIDE = (S2.name, a1(S2.tables[0].first_data_row, check_column(S2)))  # where a block would be
UNDER = (S4.name, a1(S4.height + 1, 1))  # under the last table
BLANKED = ("s3.open.commercial", "s4.cases.rev_uphold")


def typed(values: Mapping[str, Decimal | str]) -> list[Entry]:
    out: list[Entry] = []
    for cid, v in values.items():
        sheet, ref = a1_of(LAYOUT, cid)
        out.append((sheet, ref, fmt(v) if isinstance(v, Decimal) else v))
    return out


def _with(**changes: str) -> list[Entry]:
    values: dict[str, Decimal | str] = dict(real_inputs(LAYOUT))
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    return typed(values)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckedFile]:
    tmp = tmp_path_factory.mktemp("lo-values")
    blank = tmp / "模板.xlsx"
    blank.write_bytes(build(LAYOUT, {}))
    other = tmp / "模板B.xlsx"
    other.write_bytes(build(LAYOUT, {}, ident(LAYOUT, code="A02", name="县另一局")))
    full = real_inputs(LAYOUT)
    some = {k: v for k, v in full.items() if k not in BLANKED}
    jobs = [
        Job(blank, tmp / "formula.xlsx", tuple(_with(s3__open__natural="=3+4"))),
        Job(blank, tmp / "huge.xlsx", tuple(_with(s3__open__natural="1E+300"))),
        Job(blank, tmp / "implausible.xlsx", tuple(_with(a20_6__penalty__decisions="12000000"))),
        Job(blank, tmp / "beside.xlsx", (*typed(full), (*BESIDE, "5"), (*UNDER, "7"))),
        Job(blank, tmp / "empty.xlsx", ()),
        Job(blank, tmp / "full.xlsx", tuple(typed(full))),
        Job(other, tmp / "someblank.xlsx", tuple(typed(some))),
    ]
    run_jobs(jobs)
    return {j.dst.stem: check_file(j.dst, CheckOptions(year=YEAR)) for j in jobs}


def _found(checked: CheckedFile) -> set[tuple[str, str, str, str]]:
    return {(f.code, f.severity, f.sheet, f.cell) for f in checked.report.findings}


def test_formula_typed_into_an_input_cell_is_an_error(filled: dict[str, CheckedFile]) -> None:
    checked = filled["formula"]
    sheet, ref = a1_of(LAYOUT, CELL)
    assert _found(checked) == {("input-formula", "error", sheet, ref)}
    f = checked.report.findings[0]
    assert f.found == "=3+4" and "“7”" in f.message  # LibreOffice stored 7: shown, not used
    assert checked.data is not None and CELL not in checked.data.values


def test_huge_number_typed_is_out_of_range(filled: dict[str, CheckedFile]) -> None:
    sheet, ref = a1_of(LAYOUT, CELL)
    assert ("value-out-of-range", "error", sheet, ref) in _found(filled["huge"])


def test_implausible_number_typed_is_a_warning(filled: dict[str, CheckedFile]) -> None:
    checked = filled["implausible"]
    sheet, ref = a1_of(LAYOUT, PENALTY)
    assert _found(checked) == {("value-implausible", "warning", sheet, ref)}
    assert checked.data is not None and checked.data.values[PENALTY] == Decimal(12000000)


def test_numbers_typed_beside_and_under_the_tables_are_found(
    filled: dict[str, CheckedFile],
) -> None:
    assert _found(filled["beside"]) == {
        ("content-outside-table", "error", *BESIDE),
        ("content-outside-table", "error", *UNDER),
    }


def test_template_saved_untouched_is_not_a_report(filled: dict[str, CheckedFile]) -> None:
    assert [f.code for f in filled["empty"].report.findings] == ["return-empty"]
    assert filled["full"].report.findings == []


def _merge(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, out, err = invoke(["merge", *argv])
    return code, out + err


def test_blanks_are_counted_only_when_told(
    filled: dict[str, CheckedFile], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checked = filled["someblank"]
    assert checked.data is not None and checked.data.blank_cells == len(BLANKED)
    inputs = [filled["full"].report.path, checked.report.path]
    code, text = _merge([*inputs, "--out", str(tmp_path / "a.xlsx")], capsys)
    assert code == 1 and "someblank.xlsx" in text and "有空白未汇总" in text
    out = tmp_path / "b.xlsx"
    code, text = _merge([*inputs, "--out", str(out), "--blank-as-zero"], capsys)
    assert code == 0, text
    assert f"空白{len(BLANKED)}格（按0计）" in text
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    rows = [list(r) for r in wb["报送情况"].iter_rows(values_only=True)]
    header = next(r for r in rows if "空白格数" in r)
    by_file = {r[header.index("文件名")]: r for r in rows if "someblank.xlsx" in r}
    row = by_file["someblank.xlsx"]
    assert row[header.index("空白格数")] == len(BLANKED)
    assert f"空白{len(BLANKED)}格（按0计）" in row[header.index("说明")]
    summary = check_file(out, CheckOptions(year=YEAR))
    assert summary.data is not None
    full = real_inputs(LAYOUT)
    for cid, v in full.items():
        want = v * 2 if cid not in BLANKED else v
        assert summary.data.values.get(cid, Decimal(0)) == want, cid
