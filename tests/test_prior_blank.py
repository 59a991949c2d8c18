"""`template --prior` and a cell left blank last year: blank is not 0, so nothing is
pre-filled from it — the cell stays blank and its note says why."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from check_helpers import build, ident, layout_of
from test_check_cli import comments_by_sheet
from test_template_prior import CARRYOVER, LAYOUT, YEAR, last_year_values, roster, this_year

from xlreport.batch import check_file
from xlreport.batch.prior import BLANK_NOTE, carried
from xlreport.checks import CheckOptions
from xlreport.spec.carry import PRIOR_NAME
from xlreport.spec.model import Layout
from xlreport.template import write_templates


def _last_year(folder: Path, blank: list[str], layout: Layout = LAYOUT) -> Path:
    """Last year's return of A01 with the ``blank`` cells left blank (the rest consistent:
    a blank carryover's count moved out of 本年新收 so the table still adds up)."""
    folder.mkdir(parents=True, exist_ok=True)
    values = last_year_values(layout)
    for cid in blank:
        gone = values.pop(cid)
        if cid.startswith("s3.carryover."):
            col = cid.rsplit(".", 1)[1]
            values[f"s3.new.{col}"] -= gone
    path = folder / f"A01-{YEAR - 1}.xlsx"
    path.write_bytes(build(layout, values, ident(layout, year=YEAR - 1, code="A01")))
    return path


def test_blank_carryover_is_not_carried_as_zero(tmp_path: Path) -> None:
    last = _last_year(tmp_path, ["s3.carryover.natural", "a20_1.rules.current"])
    checked = check_file(last, CheckOptions())
    assert checked.data is not None
    assert "s3.carryover.natural" not in checked.data.values  # blank, as the repro has it
    by_cell = {c.cell: c for c in carried(LAYOUT, checked.data)}
    nat = by_cell["s3.carried.natural"]
    assert not nat.fill
    assert nat.note == BLANK_NOTE and "为 0" not in nat.note
    assert "上年该栏为空白，未预填" in nat.note
    assert nat.blank == ("s3.carryover.natural",)
    assert nat.sources == ()  # no last-year value kept for check to compare with
    cur = by_cell["a20_1.rules.current"]
    assert cur.note == BLANK_NOTE and not cur.fill and cur.sources == ()
    # the cells that were filled in last year carry as before
    for col, n in CARRYOVER.items():
        if col == "natural":
            continue
        c = by_cell[f"s3.carried.{col}"]
        assert c.fill and c.value == Decimal(n) and f"为 {n}。" in c.note and not c.blank
        assert c.sources == ((f"s3.carryover.{col}", Decimal(n)),)
    assert by_cell["a20_1.normative.current"].note.startswith("上年现行有效件数为 40")


def test_a_sum_with_one_blank_term_carries_nothing(tmp_path: Path) -> None:
    lay = layout_of("gov-2019")
    values = last_year_values(lay)
    values["a20_5.permit.prev_items"] = Decimal(7)
    values["a20_5.permit.delta"] = Decimal(2)
    values["a20_5.services.prev_items"] = Decimal(4)
    values.pop("a20_5.services.delta", None)  # 本年增/减 left blank
    path = tmp_path / "last.xlsx"
    path.write_bytes(build(lay, values, ident(lay, year=YEAR - 1)))
    checked = check_file(path, CheckOptions())
    assert checked.data is not None
    by_cell = {c.cell: c for c in carried(lay, checked.data)}
    permit, services = by_cell["a20_5.permit.prev_items"], by_cell["a20_5.services.prev_items"]
    assert permit.fill and permit.value == Decimal(9) and "为 9。" in permit.note
    assert not services.fill and services.note == BLANK_NOTE
    assert services.blank == ("a20_5.services.delta",)
    assert services.sources == (("a20_5.services.prev_items", Decimal(4)),)


def test_template_leaves_the_cell_blank_and_says_why(tmp_path: Path) -> None:
    _last_year(tmp_path / "上年", ["s3.carryover.natural"])
    res = write_templates_for(tmp_path)
    mine = res[0]
    values = this_year(mine)
    assert "s3.carried.natural" not in values  # blank, not 0
    assert values == {f"s3.carried.{c}": Decimal(n) for c, n in CARRYOVER.items() if c != "natural"}
    cell = LAYOUT.cells["s3.carried.natural"]
    sheet = LAYOUT.sheet(cell.sheet).name
    assert "上年该栏为空白，未预填" in comments_by_sheet(mine)[sheet][cell.a1]
    wb = openpyxl.load_workbook(mine)
    assert wb[sheet][cell.a1].value is None
    names = set(wb.defined_names)
    assert PRIOR_NAME + "s3.carryover.natural" not in names
    assert PRIOR_NAME + "s3.carryover.legal" in names


def write_templates_for(tmp_path: Path) -> list[Path]:
    res = write_templates(
        LAYOUT, YEAR, tmp_path / "模板", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年"],
    )  # fmt: skip
    assert res.prefilled == [res.paths[0]]
    return list(res.paths)
