"""Dates typed by a person into a template in LibreOffice set to a Chinese locale (issue 10).

LibreOffice runs with its locale setting zh-CN and the text is typed through the user
interface (go to the cell, enter the text: Calc's own input recognition), as a clerk types.
Measured (LibreOffice 7.4): "1-2" and "2024/12/31" become the serials of those days (in
the current year for "1-2"). In a decimal input, formatted General, the cell also gets a
date format (yy年m月d日): an error showing the date. In a count, the template's "0" format
is kept, so the serial shows as a plain number: a warning when it is a day around the
report year.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from check_helpers import a1_of, build, ident, layout_of
from lo import Job, run_jobs

from xlreport.batch import check_file
from xlreport.checks import CheckedFile, CheckOptions
from xlreport.reader import read_xlsx

pytestmark = pytest.mark.libreoffice
LAYOUT = layout_of()
#: Returns are filled in the first months after the report year: "1-2" is this year's.
REPORT_YEAR = date.today().year - 1
COUNTS = [c for c in LAYOUT.inputs() if c.type.kind == "integer"]
AMOUNT = next(c for c in LAYOUT.inputs() if c.type.kind == "decimal")
TYPED = {AMOUNT.id: "1-2", COUNTS[0].id: "2024/12/31", COUNTS[1].id: "1-2", COUNTS[2].id: "12"}


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two returns typed from one template in one batch: the dates above, and a full date
    typed into the amount."""
    tmp = tmp_path_factory.mktemp("lo-dates")
    blank = tmp / "模板.xlsx"
    blank.write_bytes(build(LAYOUT, {}, ident(LAYOUT, year=REPORT_YEAR)))
    entries = tuple((*a1_of(LAYOUT, cid), text) for cid, text in TYPED.items())
    first, second = tmp / "已填.xlsx", tmp / "另一份.xlsx"
    amount = ((*a1_of(LAYOUT, AMOUNT.id), "2024/12/31"),)
    run_jobs([Job(blank, first, entries, ui=True), Job(blank, second, amount, ui=True)],
             locale="zh-CN")  # fmt: skip
    return first, second


@pytest.fixture(scope="module")
def typed(filled: tuple[Path, Path]) -> Path:
    return filled[0]


@pytest.fixture(scope="module")
def checked(typed: Path) -> CheckedFile:
    return check_file(typed, CheckOptions(year=REPORT_YEAR))


def test_libreoffice_stores_the_serials(typed: Path) -> None:
    wb = read_xlsx(typed)
    cells = {}
    for cid in TYPED:
        cell = LAYOUT.cells[cid]
        sheet = wb.sheet(LAYOUT.sheet(cell.sheet).name)
        assert sheet is not None
        raw = sheet.cells[(cell.r, cell.c)]
        cells[cid] = (raw.text, raw.date)
    new_year = str((date(date.today().year, 1, 2) - date(1899, 12, 30)).days)
    assert cells == {
        AMOUNT.id: (new_year, True),  # General: the date format comes with it
        COUNTS[0].id: ("45657", False),  # the template's "0" is kept
        COUNTS[1].id: (new_year, False),
        COUNTS[2].id: ("12", False),
    }


def test_a_date_in_the_amount_cell_is_an_error_showing_the_date(checked: CheckedFile) -> None:
    got = [(f.code, f.cell, f.found) for f in checked.report.findings if f.code == "value-date"]
    assert got == [("value-date", AMOUNT.a1, f"{date.today().year}-01-02")]
    assert checked.report.status == "error"


def test_serials_in_count_cells_are_warnings_showing_the_date(checked: CheckedFile) -> None:
    got = {
        (f.cell, f.severity, f.found)
        for f in checked.report.findings
        if f.code == "value-date-like"
    }
    new_year = (date(date.today().year, 1, 2) - date(1899, 12, 30)).days
    expected = {(COUNTS[1].a1, "warning", str(new_year))}
    if REPORT_YEAR - 1 <= 2024 <= REPORT_YEAR + 1:
        expected.add((COUNTS[0].a1, "warning", "45657"))
    assert got == expected


def test_a_full_date_in_the_amount_cell(filled: tuple[Path, Path]) -> None:
    checked = check_file(filled[1], CheckOptions(year=REPORT_YEAR))
    got = [(f.code, f.cell, f.found) for f in checked.report.findings if "date" in f.code]
    assert got == [("value-date", AMOUNT.a1, "2024-12-31")]
