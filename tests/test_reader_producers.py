"""read_xlsx on real files written by xlsxwriter, openpyxl, LibreOffice and xlreport's writer."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from reader_corpus import libreoffice_convert, soffice

from xlreport.reader import RawCell, RawWorkbook, read_xlsx


def cell(wb: RawWorkbook, sheet: str, r: int, c: int) -> RawCell | None:
    s = wb.sheet(sheet)
    assert s is not None, f"no sheet {sheet!r}"
    return s.cells.get((r, c))


# --- xlsxwriter: shared strings, cached formula values, rich strings --------------------------


def write_with_xlsxwriter(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("数据")
    ws.write_string(0, 0, "单位名称")
    ws.write_string(0, 1, "县公安局")
    ws.write_number(1, 0, 12)
    ws.write_number(1, 1, 0.0015)
    ws.write_number(1, 2, 1234567.125)
    ws.write_formula(1, 3, "=A2+B2", None, 12.0015)
    ws.write_formula(1, 4, "=SUM(A2:C2)")  # no value given: xlsxwriter caches 0
    ws.write_formula(1, 5, '="单位："&B1', None, "单位：县公安局")
    ws.write_number(1, 6, 0.000012345)
    ws.write_number(1, 7, 123456789012345678)
    ws.write_boolean(2, 0, True)
    ws.write_boolean(2, 1, False)
    ws.write_rich_string(3, 0, "普通", bold, "加粗", "结尾")
    ws.write_datetime(4, 0, datetime(2024, 1, 31), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.merge_range("A6:C6", "合并的标题", bold)
    ws.merge_range("D7:D9", "竖向合并")
    ws.data_validation("A2", {"validate": "integer", "criteria": ">=", "value": 0})
    ws.data_validation("B2:C5", {"validate": "decimal", "criteria": ">=", "value": 0})
    ws.write_string(20, 3, "=不是公式")  # text that looks like a formula stays text
    ws.protect("pw")
    hidden = wb.add_worksheet("隐藏")
    hidden.write_string(0, 0, "h")
    hidden.hide()
    meta = wb.add_worksheet("_meta")
    meta.write_string(0, 0, "format")
    meta.very_hidden()
    wb.define_name("XLR_YEAR", '="2024"')
    wb.define_name("数据!局部名称", "=数据!$A$1")
    wb.set_properties({"created": datetime(2024, 12, 31, 8, 0, 0)})
    wb.close()
    return path


def test_xlsxwriter_values_formulas_and_structure(tmp_path: Path) -> None:
    path = write_with_xlsxwriter(tmp_path / "xw.xlsx")
    wb = read_xlsx(path)
    assert [(s.name, s.state) for s in wb.sheets] == [
        ("数据", "visible"),
        ("隐藏", "hidden"),
        ("_meta", "veryHidden"),
    ]
    assert cell(wb, "数据", 0, 0) == RawCell("s", "单位名称")
    assert cell(wb, "数据", 1, 0) == RawCell("n", "12")
    c = cell(wb, "数据", 1, 1)
    assert c is not None and c.number == Decimal("0.0015")
    c = cell(wb, "数据", 1, 2)
    assert c is not None and c.number == Decimal("1234567.125")
    assert cell(wb, "数据", 1, 3) == RawCell("n", "12.0015", "A2+B2")
    assert cell(wb, "数据", 1, 4) == RawCell("n", "0", "SUM(A2:C2)")
    assert cell(wb, "数据", 1, 5) == RawCell("str", "单位：县公安局", '"单位："&B1')
    assert cell(wb, "数据", 2, 0) == RawCell("b", "1")
    assert cell(wb, "数据", 2, 1) == RawCell("b", "0")
    assert cell(wb, "数据", 1, 6) == RawCell("n", "1.2345E-05")  # as xlsxwriter writes it
    assert cell(wb, "数据", 1, 7) == RawCell("n", "1.234567890123457E+17")  # a double
    assert cell(wb, "数据", 3, 0) == RawCell("s", "普通加粗结尾")
    assert cell(wb, "数据", 4, 0) == RawCell("n", "45322", date=True)  # yyyy-mm-dd
    assert cell(wb, "数据", 5, 0) == RawCell("s", "合并的标题")
    assert cell(wb, "数据", 20, 3) == RawCell("s", "=不是公式")
    data = wb.sheet("数据")
    assert data is not None
    assert sorted(data.merges) == [(5, 0, 5, 2), (6, 3, 8, 3)]
    assert data.protected
    assert data.data_validations == 2
    assert data.read
    assert wb.defined_names == {"XLR_YEAR": '"2024"'}
    assert wb.full_calc_on_load
    assert wb.application == "Microsoft Excel"
    assert wb.created == "2024-12-31T08:00:00Z"
    raw = path.read_bytes()
    assert wb.size == len(raw)
    assert wb.sha256 == hashlib.sha256(raw).hexdigest()
    assert wb.path == str(path)


def test_sheet_selection_skips_cells_but_lists_every_sheet(tmp_path: Path) -> None:
    path = write_with_xlsxwriter(tmp_path / "xw.xlsx")
    wb = read_xlsx(path, sheets=lambda name: name == "_meta")
    assert [s.name for s in wb.sheets] == ["数据", "隐藏", "_meta"]
    assert [s.read for s in wb.sheets] == [False, False, True]
    data = wb.sheet("数据")
    assert data is not None and data.cells == {} and data.state == "visible"
    assert wb.sheet("隐藏") is not None and wb.sheets[1].state == "hidden"
    assert cell(wb, "_meta", 0, 0) == RawCell("s", "format")


# --- openpyxl: inline strings, formulas without cached values --------------------------------


def write_with_openpyxl(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    ws["A1"] = "单位名称"
    ws["B1"] = "  前后空格  "
    ws["A2"] = 12
    ws["B2"] = 0.0015
    ws["C2"] = "=A2+B2"
    ws["D2"] = "=SUM(A2:C2)"
    ws["A3"] = True
    ws["A4"] = date(2024, 1, 31)
    ws["A5"] = "第一行\n第二行"
    ws.merge_cells("A6:C6")
    ws["A6"] = "合并的标题"
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    ws.add_data_validation(dv)
    dv.add("A2")
    ws.protection.sheet = True
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["B3"] = 7
    wb.defined_names["XLR_YEAR"] = DefinedName("XLR_YEAR", attr_text='"2024"')
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    return path


def test_openpyxl_inline_strings_and_formulas_without_values(tmp_path: Path) -> None:
    wb = read_xlsx(write_with_openpyxl(tmp_path / "op.xlsx"))
    assert [(s.name, s.state) for s in wb.sheets] == [("数据", "visible"), ("隐藏", "hidden")]
    assert cell(wb, "数据", 0, 0) == RawCell("inlineStr", "单位名称")
    assert cell(wb, "数据", 0, 1) == RawCell("inlineStr", "  前后空格  ")
    assert cell(wb, "数据", 1, 0) == RawCell("n", "12")
    c = cell(wb, "数据", 1, 1)
    assert c is not None and c.number == Decimal("0.0015")
    # openpyxl writes an empty <v/>: no cached value, not an empty number
    assert cell(wb, "数据", 1, 2) == RawCell("n", None, "A2+B2")
    assert cell(wb, "数据", 1, 3) == RawCell("n", None, "SUM(A2:C2)")
    assert cell(wb, "数据", 2, 0) == RawCell("b", "1")
    assert cell(wb, "数据", 3, 0) == RawCell("n", "45322", date=True)  # a datetime
    assert cell(wb, "数据", 4, 0) == RawCell("inlineStr", "第一行\n第二行")
    assert cell(wb, "数据", 5, 0) == RawCell("inlineStr", "合并的标题")
    data = wb.sheet("数据")
    assert data is not None
    assert data.merges == [(5, 0, 5, 2)]
    assert data.protected and data.data_validations == 1
    assert cell(wb, "隐藏", 2, 1) == RawCell("n", "7")
    assert wb.defined_names == {"XLR_YEAR": '"2024"'}
    assert wb.structure_protected
    assert wb.full_calc_on_load  # openpyxl asks for a recalculation on load
    assert wb.application.startswith("Microsoft Excel Compatible / Openpyxl")
    assert wb.created and wb.modified


def test_same_values_as_openpyxl_on_every_cell(tmp_path: Path) -> None:
    """Every cell openpyxl sees (formulas pass) is in read_xlsx's result with the same content."""
    path = write_with_xlsxwriter(tmp_path / "xw.xlsx")
    ours = read_xlsx(path)
    theirs = openpyxl.load_workbook(path, read_only=False, data_only=False)
    compared = 0
    for ws in theirs.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                got = cell(ours, ws.title, c.row - 1, c.column - 1)
                assert got is not None, (ws.title, c.coordinate)
                if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f":
                    assert got.formula == c.value[1:]
                elif isinstance(c.value, bool):
                    assert got.text == ("1" if c.value else "0")
                elif isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    assert got.number == Decimal(str(c.value))
                elif isinstance(c.value, str):
                    assert got.text == c.value
                compared += 1
    assert compared >= 15


# --- xlreport's own writer ---------------------------------------------------------------------------


def test_xlreport_writer_round_trip(tmp_path: Path) -> None:
    from xlreport.identity import META_SHEET, Identity
    from xlreport.spec import resolve_layout
    from xlreport.writer import build_workbook

    layout = resolve_layout("gov-2021")
    inputs = list(layout.inputs())
    values = {c.id: Decimal(i % 9) for i, c in enumerate(inputs)}
    ident = Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=2024,
        agency_code="A01",
        agency_name="县测试局",
    )
    path = tmp_path / "return.xlsx"
    path.write_bytes(build_workbook(layout, ident, password="p", values=values))
    wb = read_xlsx(path)
    names = [s.name for s in wb.sheets]
    for sheet in layout.sheets:
        assert sheet.name in names
    meta = wb.sheet(META_SHEET)
    assert meta is not None and meta.state == "veryHidden"
    for c in inputs:
        got = cell(wb, layout.sheet(c.sheet).name, c.r, c.c)
        assert got is not None and got.number == values[c.id], c.id
    totals = layout.compute_totals({k: v for k, v in values.items()})
    for c in layout.total_cells():
        got = cell(wb, layout.sheet(c.sheet).name, c.r, c.c)
        assert got is not None and got.formula, c.id
        assert got.number == totals[c.id], c.id
    for label in (lab for s in layout.sheets for lab in s.labels):
        got = cell(wb, layout.sheet(label.sheet).name, label.r1, label.c1)
        assert got is not None and got.text == label.text, label


# --- LibreOffice -------------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_saved(tmp_path: Path) -> None:
    src = write_with_xlsxwriter(tmp_path / "src.xlsx")
    (saved,) = libreoffice_convert([src], tmp_path / "lo")
    wb = read_xlsx(saved)
    assert wb.application.startswith("LibreOffice")
    assert [s.name for s in wb.sheets] == ["数据", "隐藏", "_meta"]
    assert wb.sheets[1].state == "hidden"
    assert cell(wb, "数据", 0, 0) == RawCell("s", "单位名称")
    c = cell(wb, "数据", 1, 1)
    assert c is not None and c.t == "n" and c.number == Decimal("0.0015")
    c = cell(wb, "数据", 1, 3)
    assert c is not None and c.formula == "A2+B2" and c.number == Decimal("12.0015")
    c = cell(wb, "数据", 1, 4)  # LibreOffice keeps the stale cached 0 (default profile)
    assert c is not None and c.formula == "SUM(A2:C2)" and c.number == Decimal(0)
    assert cell(wb, "数据", 1, 5) == RawCell("str", "单位：县公安局", '"单位："&B1')
    # LibreOffice writes exponents with three digits and keeps 15 significant digits
    assert cell(wb, "数据", 1, 6) == RawCell("n", "1.2345E-005")
    c = cell(wb, "数据", 1, 6)
    assert c is not None and c.number == Decimal("0.000012345")
    c = cell(wb, "数据", 1, 7)
    assert c is not None and c.text == "1.23456789012346E+017"
    assert c.number == Decimal("123456789012346000")
    assert cell(wb, "数据", 3, 0) == RawCell("s", "普通加粗结尾")
    data = wb.sheet("数据")
    assert data is not None
    assert sorted(data.merges) == [(5, 0, 5, 2), (6, 3, 8, 3)]
    assert data.protected and data.data_validations == 2
    assert wb.defined_names["XLR_YEAR"] == '"2024"'


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_saved_xlreport_return(tmp_path: Path) -> None:
    from xlreport.identity import Identity
    from xlreport.spec import resolve_layout
    from xlreport.writer import build_workbook

    layout = resolve_layout("gov-2021")
    values = {c.id: Decimal(i % 5) for i, c in enumerate(layout.inputs())}
    ident = Identity(layout.id, layout.version, layout.fingerprint, 2024, "A02", "县乙局")
    src = tmp_path / "ret.xlsx"
    src.write_bytes(build_workbook(layout, ident, password="p", values=values))
    (saved,) = libreoffice_convert([src], tmp_path / "lo")
    wb = read_xlsx(saved)
    totals = layout.compute_totals(values)
    for c in layout.total_cells():
        got = cell(wb, layout.sheet(c.sheet).name, c.r, c.c)
        assert got is not None and got.formula and got.number == totals[c.id], c.id
    for c in layout.inputs():
        got = cell(wb, layout.sheet(c.sheet).name, c.r, c.c)
        assert got is not None and got.number == values[c.id], c.id


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_old_xls_is_refused_as_xls(tmp_path: Path) -> None:
    import subprocess
    import tempfile

    from xlreport.errors import UnreadableFileError

    src = write_with_xlsxwriter(tmp_path / "src.xlsx")
    out = tmp_path / "xls"
    with tempfile.TemporaryDirectory(prefix="lo_profile_reader_") as profile:
        subprocess.run(
            [str(soffice()), f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "xls", "--outdir", str(out), str(src)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    xls = out / "src.xls"
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(xls.read_bytes())
    with pytest.raises(UnreadableFileError, match="97-2003"):
        read_xlsx(renamed)
