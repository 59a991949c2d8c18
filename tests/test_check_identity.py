"""Identity: whose return, which layout and year — and files that are no return at all."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from check_helpers import YEAR, a1_of, build, check_bytes, codes, errors, ident, layout_of

from xlreport.checks import CheckOptions
from xlreport.identity import (
    GUIDE_SHEET,
    META_SHEET,
    SIGNOFF_ROW,
    SIGNOFF_VALUE_COL,
    SUMMARY_SHEETS,
    template_id_of,
)
from xlreport.spec.model import a1

LAYOUT = layout_of()
ROSTER = {"A01": "县测试局", "A02": "县另一局"}


def _guide_cell(key: str) -> str:
    return a1(SIGNOFF_ROW[key], SIGNOFF_VALUE_COL)


def test_year_other_than_asked_is_an_error_on_the_guide_sheet(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, build(LAYOUT), CheckOptions(year=YEAR + 1))
    assert errors(checked) == [("year-mismatch", GUIDE_SHEET, _guide_cell("year"))]
    f = checked.report.findings[0]
    assert (f.expected, f.found) == (str(YEAR + 1), str(YEAR))
    assert checked.report.year == YEAR


def test_no_year_asked_accepts_any_year(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, build(LAYOUT), CheckOptions())
    assert checked.report.findings == []


def test_layout_other_than_asked_is_an_error_and_the_rest_still_checked(tmp_path: Path) -> None:
    old = layout_of("gov-2019")
    values = {c.id: Decimal(1) for c in old.inputs() if c.table == "s4"}
    data = build(old, values, ident(old))
    checked = check_bytes(tmp_path, data, CheckOptions(layout=LAYOUT, year=YEAR))
    errs = errors(checked)
    assert errs[0] == ("layout-mismatch", "", "")
    assert checked.report.findings[0].expected == "gov-2021"
    assert checked.report.findings[0].found == "gov-2019"
    assert checked.report.layout == "gov-2019"
    assert len(errs) == 1  # checked against its own layout: nothing else wrong
    # blanks are warned about on the 2019 layout's own cells
    blank = {(f.sheet, f.cell) for f in checked.report.findings if f.code == "value-blank"}
    assert len(blank) == sum(1 for c in old.inputs()) - len(values)


def test_layout_version_differs_is_an_error(tmp_path: Path) -> None:
    # a template made by an earlier version of the layout: its own identity is consistent
    old = replace(ident(LAYOUT), layout_fingerprint="0123456789abcdef")
    stale = replace(
        old, template_id=template_id_of(old.layout_fingerprint, YEAR, old.county, "A01")
    )
    checked = check_bytes(tmp_path, build(LAYOUT, identity=stale))
    assert errors(checked) == [("layout-version-mismatch", "", "")]
    # the fingerprint alone edited: the template id no longer matches either
    checked = check_bytes(tmp_path, build(LAYOUT, identity=old))
    assert sorted(errors(checked)) == [
        ("layout-version-mismatch", "", ""),
        ("template-id-mismatch", "", ""),
    ]


def _set_identity(wb: openpyxl.Workbook, key: str, value: str, *, names: bool = True) -> None:
    ws = wb[META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == key:
            row[1].value = value
    if names:
        from xlreport.identity import NAME_OF_KEY

        wb.defined_names[NAME_OF_KEY[key]].attr_text = '"' + value + '"'


def _tampered(change: Any) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build(LAYOUT)))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_unknown_layout_cannot_be_read_as_a_return(tmp_path: Path) -> None:
    data = _tampered(lambda wb: _set_identity(wb, "layout_id", "county-9999"))
    checked = check_bytes(tmp_path, data)
    assert checked.report.unreadable and checked.data is None
    assert codes(checked) == ["unknown-layout"]
    assert checked.report.status == "unreadable"


def test_identity_copies_that_differ_are_an_error(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb.defined_names["XLR_YEAR"].attr_text = '"2019"'

    checked = check_bytes(tmp_path, _tampered(change))
    assert errors(checked) == [("identity-copies-differ", "", "")]
    assert checked.report.year == YEAR  # the meta sheet wins


def test_identity_names_missing_is_a_warning(tmp_path: Path) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for name in list(wb.defined_names):
            if name.startswith("XLR_"):
                del wb.defined_names[name]

    checked = check_bytes(tmp_path, _tampered(change))
    assert codes(checked, "warning") == ["identity-copy-missing"]
    assert checked.report.errors == 0


def test_an_unrelated_xlsx_is_not_a_return(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "工作计划"
    out = io.BytesIO()
    wb.save(out)
    checked = check_bytes(tmp_path, out.getvalue())
    assert checked.report.unreadable and codes(checked) == ["not-xlreport-workbook"]


def test_a_file_that_is_no_xlsx_says_why(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="a.xls")
    assert checked.report.unreadable and codes(checked) == ["file-ole-other"]
    assert checked.report.findings[0].hint  # the reader's fix (另存为 .xlsx …)


def test_agency_not_in_roster_and_name_differing(tmp_path: Path) -> None:
    options = CheckOptions(year=YEAR, roster_codes={"B07": "别的局"})
    checked = check_bytes(tmp_path, build(LAYOUT), options)
    assert errors(checked) == [("agency-not-in-roster", GUIDE_SHEET, _guide_cell("agency_code"))]
    options = CheckOptions(year=YEAR, roster_codes={"A01": "县测试局（新名称）"})
    checked = check_bytes(tmp_path, build(LAYOUT), options)
    # issue 10: a name that differs from the roster's is an error (another agency's return,
    # or a code typed wrong), no longer a warning
    assert errors(checked) == [("agency-name-differs", GUIDE_SHEET, _guide_cell("agency_name"))]
    # the same name written with full-width brackets or a stray space is the same name
    options = CheckOptions(year=YEAR, roster_codes={"A01": "县 测试局"})
    checked = check_bytes(tmp_path, build(LAYOUT), options)
    assert errors(checked) == []


def test_generic_template_needs_the_agency_name(tmp_path: Path) -> None:
    generic = ident(LAYOUT, code="", name="")
    checked = check_bytes(tmp_path, build(LAYOUT, identity=generic))
    assert errors(checked) == [("agency-name-missing", GUIDE_SHEET, _guide_cell("agency_name"))]
    typed = build(LAYOUT, identity=generic, signoff={"agency_name": "县另一局"})
    checked = check_bytes(tmp_path, typed, CheckOptions(year=YEAR, roster_codes=ROSTER))
    assert checked.report.findings == []
    assert (checked.report.agency_code, checked.report.agency_name) == ("A02", "县另一局")
    assert checked.data is not None and checked.data.signoff["agency_name"] == "县另一局"
    stranger = build(LAYOUT, identity=generic, signoff={"agency_name": "外县某局"})
    checked = check_bytes(tmp_path, stranger, CheckOptions(year=YEAR, roster_codes=ROSTER))
    assert codes(checked) == ["agency-not-in-roster"]


def test_a_summary_is_a_valid_input(tmp_path: Path) -> None:
    summary = ident(LAYOUT, code="SUM1", name="测试县", kind="summary")

    def extra(wb: Any) -> None:
        for name in SUMMARY_SHEETS:
            wb.add_worksheet(name).write_string(0, 0, name)

    data = build(LAYOUT, identity=summary, after_sheets=extra)
    checked = check_bytes(tmp_path, data, CheckOptions(year=YEAR, roster_codes=ROSTER))
    assert checked.report.findings == []  # its own sheets are not "added"; no roster check
    assert checked.data is not None and checked.data.identity.kind == "summary"


def test_return_data_for_merge(tmp_path: Path) -> None:
    import hashlib

    data = build(LAYOUT, signoff={"filler": "张三", "phone": "0310-1234567"})
    checked = check_bytes(tmp_path, data)
    rd = checked.data
    assert rd is not None
    assert rd.sha256 == hashlib.sha256(data).hexdigest()
    assert rd.signoff["filler"] == "张三" and rd.signoff["phone"] == "0310-1234567"
    assert rd.totals == LAYOUT.compute_totals(rd.values)
    assert rd.file_mtime == (tmp_path / "return.xlsx").stat().st_mtime
    assert rd.saved_at.startswith(str(YEAR + 1))  # the writer's fixed created/modified time
    sheet, ref = a1_of(LAYOUT, "s3.new.natural")
    assert rd.raw_inputs["s3.new.natural"] == str(rd.values["s3.new.natural"])
    assert sheet and ref
