"""Numbers read exactly as a spreadsheet reads them (issue 10).

A real return made by the writer has one input cell's ``<v>`` rewritten the way a forged or
damaged file would hold it. A text that Python's ``Decimal`` accepts but no spreadsheet
writes (full-width or Arabic-Indic digits, ``1_000``) or a number no double can hold
(``1E+400``, 100,000 digits) is refused by the reader with a coded reason naming the cell —
by both sheet parsers; doubles up to 1.8E+308 are passed on; an ``<is>`` in a cell that is
not ``t="inlineStr"`` is blank, as a spreadsheet shows it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import a1_of, build, check_bytes, codes, edit_part, layout_of, sheet_part

from xlreport.errors import UnreadableFileError
from xlreport.reader import read_xlsx
from xlreport.reader.numbers import NOT_A_NUMBER, NUMBER_OK, OUT_OF_RANGE, number_problem

LAYOUT = layout_of()
#: An input cell (a count) and a total of the layout, by role, never by address.
INPUT = next(c for c in LAYOUT.inputs() if c.type.kind == "integer")
SHEET, REF = a1_of(LAYOUT, INPUT.id)


def with_cell(data: bytes, sheet: str, ref: str, attrs: str, inner: str) -> bytes:
    """The workbook with cell ``ref`` replaced (its style kept) by ``<c … attrs>inner</c>``."""
    pattern = re.compile(rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', re.S)

    def edit(xml: str) -> str:
        m = pattern.search(xml)
        assert m is not None, ref
        return (
            xml[: m.start()] + f'<c r="{ref}"{m.group(1) or ""}{attrs}>{inner}</c>' + xml[m.end() :]
        )

    return edit_part(data, sheet_part(data, sheet), edit)


@pytest.fixture(scope="module")
def good() -> bytes:
    return build(LAYOUT)


def refused(tmp_path: Path, data: bytes, fast: bool) -> UnreadableFileError:
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError) as e:
        read_xlsx(path, fast=fast)
    return e.value


NOT_NUMBERS = [
    "１２",
    "١٢",
    "1_000",
    " 12",
    "12 ",
    "Infinity",
    "NaN",
    "12件",
    "1,000",
    ".5",
    "0x1A",
]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_text_no_spreadsheet_writes_is_refused_naming_the_cell(
    tmp_path: Path, good: bytes, text: str, fast: bool
) -> None:
    data = with_cell(good, SHEET, REF, "", f"<v>{text}</v>")
    e = refused(tmp_path, data, fast)
    assert e.code == "file-number-invalid"
    assert SHEET in e.message and f"单元格 {REF}" in e.message
    # the same with the explicit number type LibreOffice writes (another fast-path branch)
    data = with_cell(good, SHEET, REF, ' t="n"', f"<v>{text}</v>")
    assert refused(tmp_path, data, fast).code == "file-number-invalid"


HUGE = ["1E+400", "-1E+400", "1E-400", "9" * 100_000, "0." + "0" * 99_999 + "1", "1" * 41]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("text", HUGE, ids=lambda t: t[:12] + f"…{len(t)}")
def test_number_beyond_a_double_is_refused_in_a_short_message(
    tmp_path: Path, good: bytes, text: str, fast: bool
) -> None:
    data = with_cell(good, SHEET, REF, "", f"<v>{text}</v>")
    e = refused(tmp_path, data, fast)
    assert e.code == "file-number-out-of-range"
    assert f"单元格 {REF}" in e.message
    assert len(str(e)) < 300


@pytest.mark.parametrize("fast", [True, False])
def test_forged_cached_total_is_judged_by_the_same_rule(
    tmp_path: Path, good: bytes, fast: bool
) -> None:
    total = next(iter(LAYOUT.total_cells()))
    sheet, ref = a1_of(LAYOUT, total.id)

    def edit(xml: str) -> str:
        pattern = re.compile(rf'(<c r="{ref}"[^>]*>\s*<f[^>]*>[^<]*</f>\s*<v>)([^<]*)(</v>)')
        assert pattern.search(xml)
        return pattern.sub(lambda m: m.group(1) + "１００" + m.group(3), xml, count=1)

    data = edit_part(good, sheet_part(good, sheet), edit)
    e = refused(tmp_path, data, fast)
    assert e.code == "file-number-invalid" and f"单元格 {ref}" in e.message


LEGAL = ["1E+61", "1E+300", "-1.7976931348623157E+308", "1.2345E-05", "1e-05", "+3", "-42", "0.0"]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("text", LEGAL)
def test_doubles_are_passed_on_exactly(tmp_path: Path, good: bytes, text: str, fast: bool) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(with_cell(good, SHEET, REF, "", f"<v>{text}</v>"))
    sheet = read_xlsx(path, fast=fast).sheet(SHEET)
    assert sheet is not None
    cell = sheet.cells[(INPUT.r, INPUT.c)]
    assert cell.text == text and cell.number == Decimal(text)


@pytest.mark.parametrize("fast", [True, False])
def test_inline_string_needs_its_type(tmp_path: Path, good: bytes, fast: bool) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(with_cell(good, SHEET, REF, "", "<is><t>12</t></is>"))
    sheet = read_xlsx(path, fast=fast).sheet(SHEET)
    assert sheet is not None and (INPUT.r, INPUT.c) not in sheet.cells  # blank, not 12
    path.write_bytes(with_cell(good, SHEET, REF, ' t="inlineStr"', "<is><t>12</t></is>"))
    sheet = read_xlsx(path, fast=fast).sheet(SHEET)
    assert sheet is not None
    cell = sheet.cells[(INPUT.r, INPUT.c)]
    assert (cell.t, cell.text, cell.number) == ("inlineStr", "12", None)


def test_check_sees_the_untyped_inline_string_as_blank(tmp_path: Path, good: bytes) -> None:
    checked = check_bytes(tmp_path, with_cell(good, SHEET, REF, "", "<is><t>12</t></is>"))
    blank = [f for f in checked.report.findings if f.code == "value-blank"]
    assert [(f.sheet, f.cell) for f in blank] == [(SHEET, REF)]
    assert checked.data is not None and INPUT.id not in checked.data.values


def test_check_lists_the_file_with_the_reason_code(tmp_path: Path, good: bytes) -> None:
    checked = check_bytes(tmp_path, with_cell(good, SHEET, REF, "", "<v>１２</v>"))
    assert checked.report.unreadable and codes(checked) == ["file-number-invalid"]
    checked = check_bytes(tmp_path, with_cell(good, SHEET, REF, "", "<v>1E+400</v>"))
    assert checked.report.unreadable and codes(checked) == ["file-number-out-of-range"]


def test_number_problem_rule() -> None:
    assert number_problem("12") == NUMBER_OK
    assert number_problem("1.7976931348623157E+308") == NUMBER_OK
    assert number_problem("4.9406564584124654E-324") == NUMBER_OK  # the smallest double
    assert number_problem("0E-400") == NUMBER_OK  # zero written oddly is still zero
    assert number_problem("1.8E+308") == OUT_OF_RANGE
    assert number_problem("2E-324") == OUT_OF_RANGE  # rounds to 0: a spreadsheet shows 0
    assert number_problem("１２" * 30) == NOT_A_NUMBER
    assert number_problem("") == NOT_A_NUMBER
    # longer than a spreadsheet writes (a spreadsheet writes -3.71457283702698E-25), cut by
    # the length limit inside its exponent: still in the grammar, so out of range
    long_mantissa = "-3.71457283702698421996697626692551352E-25"
    assert len(long_mantissa) > 40 and number_problem(long_mantissa) == OUT_OF_RANGE
    assert number_problem("1" * 39 + "E-") == NOT_A_NUMBER  # no exponent digits
    assert number_problem("1" * 50 + "x") == NOT_A_NUMBER  # not a number, however long
