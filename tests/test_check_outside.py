"""Layout tampering with the sheet protection left on: merges taken away or added, and
numbers typed where the template has no input cell. Each is a finding at its cell; nothing
typed on a table sheet vanishes silently. (Typed by LibreOffice: test_values_libreoffice.py.)
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from check_helpers import (
    build,
    check_bytes,
    edit_part,
    layout_of,
    real_inputs,
    sheet_part,
    with_openpyxl,
)

from xlreport.checks.outside import STRAY_SHOWN
from xlreport.spec.model import a1
from xlreport.spec.sheet_map import check_blocks, check_column, sheet_map

LAYOUT = layout_of()
S2, S3, S4 = (LAYOUT.sheet(k) for k in ("s2", "s3", "s4"))
PERMIT = LAYOUT.cells["a20_5.permit.decisions"]  # an input cell merged across three columns


def _found(checked: object) -> list[tuple[str, str, str, str]]:
    report = checked.report  # type: ignore[attr-defined]
    # openpyxl keeps no formula results: its saves carry a "no-cached-values" note
    return sorted(
        (f.code, f.severity, f.sheet, f.cell) for f in report.findings if f.severity != "info"
    )


def test_template_merges_are_the_writers(tmp_path: Path) -> None:
    """The expected merges, derived from the layout, are exactly those the writer made."""
    data = build(LAYOUT, real_inputs(LAYOUT))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in LAYOUT.sheets:
        made = {
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in wb[sheet.name].merged_cells.ranges
        }
        assert made == set(sheet_map(LAYOUT, sheet).merges), sheet.name
    assert check_bytes(tmp_path, data).report.findings == []


def test_value_typed_into_a_cell_a_merge_used_to_cover(tmp_path: Path) -> None:
    name = S2.name
    covered = a1(PERMIT.r, PERMIT.c + 1)
    merged = f"{PERMIT.a1}:{a1(PERMIT.r, PERMIT.c2)}"

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[name]
        assert ws.protection.sheet  # protection stays on (or is restored)
        ws.unmerge_cells(merged)
        ws[covered] = 5

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), change))
    assert _found(checked) == [
        ("content-outside-table", "error", name, covered),
        ("merge-changed", "error", name, PERMIT.a1),
    ]
    assert checked.data is not None
    assert checked.data.values[PERMIT.id] == real_inputs(LAYOUT)[PERMIT.id]


def test_label_unmerged_and_a_number_typed_under_it(tmp_path: Path) -> None:
    label = next(lb for lb in S3.labels if lb.role == "row" and lb.c2 > lb.c1)
    merged = f"{a1(label.r1, label.c1)}:{a1(label.r2, label.c2)}"
    covered = a1(label.r1, label.c2)

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[S3.name]
        ws.unmerge_cells(merged)
        ws[covered] = 12

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), change))
    assert _found(checked) == [
        ("content-outside-table", "error", S3.name, covered),
        ("merge-changed", "error", S3.name, a1(label.r1, label.c1)),
    ]


def test_added_merge_hiding_an_input_cell(tmp_path: Path) -> None:
    a, b = LAYOUT.cells["s3.open.natural"], LAYOUT.cells["s3.open.commercial"]
    assert (a.r, a.c + 1) == (b.r, b.c)

    def change(wb: openpyxl.Workbook) -> None:
        wb[S3.name].merge_cells(f"{a.a1}:{b.a1}")

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), change))
    assert ("merge-changed", "error", S3.name, a.a1) in _found(checked)
    assert checked.report.status == "error"


@pytest.mark.parametrize(
    ("sheet", "r", "c"),
    [
        (S2, S2.tables[0].first_data_row, check_column(S2)),  # where a check block would be
        (S2, 2, S2.width),  # the gap column
        (S3, check_blocks(LAYOUT, S3)[0].rows[-1][0] + 2, check_column(S3) + 1),  # under block
        (S3, 5, S3.width),  # between the table and its block
        (S4, S4.height + 2, 0),  # under the table
        (S4, 99, 25),  # far away (Z100)
    ],
)
def test_number_typed_outside_the_input_cells(
    tmp_path: Path, sheet: object, r: int, c: int
) -> None:
    name = sheet.name  # type: ignore[attr-defined]

    def change(wb: openpyxl.Workbook) -> None:
        wb[name].cell(r + 1, c + 1).value = 42

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), change))
    assert _found(checked) == [("content-outside-table", "error", name, a1(r, c))]
    f = next(f for f in checked.report.findings if f.code == "content-outside-table")
    assert f.found == "42" and "42" in f.message


def test_many_stray_cells_are_listed_then_counted(tmp_path: Path) -> None:
    n = STRAY_SHOWN + 7

    def change(wb: openpyxl.Workbook) -> None:
        for i in range(n):
            wb[S4.name].cell(S4.height + 3 + i, 2).value = i

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), change))
    found = [f for f in checked.report.findings if f.code == "content-outside-table"]
    assert len(found) == STRAY_SHOWN + 1
    assert "另有 7 个" in found[-1].message


def test_number_hidden_under_a_merge_is_found(tmp_path: Path) -> None:
    """A crafted file: a number stored in a cell the agency line's merge covers (a
    spreadsheet shows nothing there; Excel does not let anyone type there)."""
    data = build(LAYOUT)

    def edit(xml: str) -> str:
        return xml.replace('<c r="C2" s="7"/>', '<c r="C2" s="7"><v>42</v></c>', 1)

    crafted = edit_part(data, sheet_part(data, S3.name), edit)
    checked = check_bytes(tmp_path, crafted)
    assert _found(checked) == [("content-outside-table", "error", S3.name, "C2")]


def test_number_typed_over_a_check_status_cell(tmp_path: Path) -> None:
    r, _instances = check_blocks(LAYOUT, S3)[0].rows[0]
    ref = a1(r, check_column(S3) + 1)

    def change(wb: openpyxl.Workbook) -> None:
        wb[S3.name][ref] = 0

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), change))
    assert _found(checked) == [("content-outside-table", "error", S3.name, ref)]
