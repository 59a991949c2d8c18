"""read_xlsx on packages built part by part: every XML shape the producers use, and edge cases."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from reader_corpus import (
    MAIN,
    WS_NS,
    XML_DECL,
    one_sheet,
    package_parts,
    sheet_xml,
    sst_xml,
    write_package,
    zip_bytes,
)

from xlreport.errors import UnreadableFileError
from xlreport.reader import RawCell, RawWorkbook, ReadLimits, read_xlsx


def read_bytes(tmp_path: Path, data: bytes, **kw: object) -> RawWorkbook:
    path = tmp_path / "t.xlsx"
    path.write_bytes(data)
    return read_xlsx(path, **kw)  # type: ignore[arg-type]


def cells(wb: RawWorkbook, i: int = 0) -> dict[tuple[int, int], RawCell]:
    return wb.sheets[i].cells


def test_cell_types_as_stored(tmp_path: Path) -> None:
    data = one_sheet(
        '<row r="1">'
        '<c r="A1" t="s"><v>0</v></c>'
        '<c r="B1"><v>1.5E-3</v></c>'
        '<c r="C1" t="n"><v>-42</v></c>'
        '<c r="D1" t="b"><v>1</v></c>'
        '<c r="E1" t="e"><v>#DIV/0!</v></c>'
        '<c r="F1" t="d"><v>2024-01-31T00:00:00</v></c>'
        '<c r="G1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
        '<c r="H1" t="str"><f>""</f><v></v></c>'
        '<c r="I1" s="3"/>'
        '<c r="J1" t="s"><v>1</v></c>'
        "</row>",
        sst=["<t>县公安局</t>", '<t xml:space="preserve"> 前后 </t>'],
    )
    got = cells(read_bytes(tmp_path, data))
    assert got == {
        (0, 0): RawCell("s", "县公安局"),
        (0, 1): RawCell("n", "1.5E-3"),
        (0, 2): RawCell("n", "-42"),
        (0, 3): RawCell("b", "1"),
        (0, 4): RawCell("e", "#DIV/0!"),
        (0, 5): RawCell("d", "2024-01-31T00:00:00"),
        (0, 6): RawCell("str", "ab", '"a"&"b"'),
        (0, 7): RawCell("str", "", '""'),
        (0, 9): RawCell("s", " 前后 "),
    }
    assert got[(0, 1)].number == Decimal("0.0015")


def test_inline_rich_text_and_phonetic_runs(tmp_path: Path) -> None:
    data = one_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>县</t></r>'
        '<r><t>公安局</t></r><rPh sb="0" eb="1"><t>けん</t></rPh></is></c>'
        '<c r="B1" t="inlineStr"><is><t></t></is></c></row>',
    )
    got = cells(read_bytes(tmp_path, data))
    assert got == {(0, 0): RawCell("inlineStr", "县公安局"), (0, 1): RawCell("inlineStr", "")}


def test_shared_string_rich_runs_phonetics_and_escapes(tmp_path: Path) -> None:
    data = one_sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
        sst=[
            '<r><t>一、</t></r><r><rPr><sz val="11"/></rPr><t>本年新收</t></r>'
            '<rPh sb="0" eb="2"><t>ヨミ</t></rPh><phoneticPr fontId="1"/>',
            "<t>第一行_x000D_\n第二行_x005F_x000D_</t>",
        ],
    )
    got = cells(read_bytes(tmp_path, data))
    assert got[(0, 0)].text == "一、本年新收"
    assert got[(0, 1)].text == "第一行\r\n第二行_x000D_"


def test_cells_without_r_attribute_take_the_next_position(tmp_path: Path) -> None:
    data = one_sheet(
        '<row r="3"><c><v>1</v></c><c><v>2</v></c><c r="E3"><v>5</v></c><c><v>6</v></c></row>'
        "<row><c><v>7</v></c></row>"
        '<row r="10" spans="1:2"><c r="B10"><v>9</v></c></row>'
    )
    got = cells(read_bytes(tmp_path, data))
    assert {k: v.text for k, v in got.items()} == {
        (2, 0): "1",
        (2, 1): "2",
        (2, 4): "5",
        (2, 5): "6",
        (3, 0): "7",
        (9, 1): "9",
    }


def test_rows_and_cells_without_any_position_start_at_a1(tmp_path: Path) -> None:
    got = cells(read_bytes(tmp_path, one_sheet("<row><c><v>1</v></c><c><v>2</v></c></row>")))
    assert {k: v.text for k, v in got.items()} == {(0, 0): "1", (0, 1): "2"}


def test_shared_formulas_are_expanded_for_dependents(tmp_path: Path) -> None:
    # As Excel writes a column of totals filled down, and a block filled right.
    data = one_sheet(
        '<row r="5"><c r="J5"><f t="shared" ref="J5:J7" si="0">SUM(D5:I5)</f><v>10</v></c>'
        '<c r="K5"><f t="shared" ref="K5:M5" si="1">$A$1+A5*B$2+$C3</f><v>1</v></c>'
        '<c r="L5"><f t="shared" si="1"/><v>2</v></c><c r="M5"><f t="shared" si="1"/><v>3</v></c></row>'
        '<row r="6"><c r="J6"><f t="shared" si="0"/><v>11</v></c></row>'
        '<row r="7"><c r="J7"><f t="shared" si="0"></f><v>12</v></c>'
        '<c r="K7"><f t="shared" si="9"/><v>0</v></c></row>'
    )
    got = cells(read_bytes(tmp_path, data))
    assert got[(4, 9)] == RawCell("n", "10", "SUM(D5:I5)")
    assert got[(5, 9)] == RawCell("n", "11", "SUM(D6:I6)")
    assert got[(6, 9)] == RawCell("n", "12", "SUM(D7:I7)")
    assert got[(4, 10)].formula == "$A$1+A5*B$2+$C3"
    assert got[(4, 11)].formula == "$A$1+B5*C$2+$C3"
    assert got[(4, 12)].formula == "$A$1+C5*D$2+$C3"
    assert got[(6, 10)] == RawCell("n", "0", None)  # a dependent whose master is missing


def test_array_formula_and_formula_without_value(tmp_path: Path) -> None:
    data = one_sheet(
        '<row r="1"><c r="A1"><f t="array" ref="A1">SUM(B1:B3*C1:C3)</f><v>14</v></c>'
        '<c r="B1"><f>A1*2</f></c></row>'
    )
    got = cells(read_bytes(tmp_path, data))
    assert got[(0, 0)] == RawCell("n", "14", "SUM(B1:B3*C1:C3)")
    assert got[(0, 1)] == RawCell("n", None, "A1*2")


def test_merges_protection_and_validations(tmp_path: Path) -> None:
    after = (
        '<sheetProtection password="CC3D" sheet="1" objects="1"/>'
        '<mergeCells count="3"><mergeCell ref="A1:C3"/><mergeCell ref="D1:D2"/><mergeCell ref="E5"/></mergeCells>'
        '<dataValidations count="2"><dataValidation type="whole" sqref="D6:J30"><formula1>0</formula1>'
        '</dataValidation><dataValidation type="decimal" sqref="B2 C4"/></dataValidations>'
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list"><x14:formula1><xm:f>名单!$A$1:$A$9</xm:f></x14:formula1>'
        "<xm:sqref>B2</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    parts = package_parts([("表", sheet_xml("", after=after)), ("二", sheet_xml(""))])
    parts["xl/worksheets/sheet2.xml"] = sheet_xml("", after='<sheetProtection sheet="true"/>')
    wb = read_bytes(tmp_path, zip_bytes(parts))
    s = wb.sheets[0]
    assert s.merges == [(0, 0, 2, 2), (0, 3, 1, 3), (4, 4, 4, 4)]
    assert s.protected
    assert s.data_validations == 3
    assert wb.sheets[1].protected
    assert wb.sheets[1].data_validations == 0


def test_unprotected_sheet(tmp_path: Path) -> None:
    data = zip_bytes(package_parts([("表", sheet_xml("", after='<sheetProtection sheet="0"/>'))]))
    assert not read_bytes(tmp_path, data).sheets[0].protected


def test_workbook_part_names_states_and_properties(tmp_path: Path) -> None:
    extra = (
        '<workbookProtection lockStructure="1"/>'
        "<definedNames>"
        '<definedName name="XLR_YEAR">"2024"</definedName>'
        '<definedName name="XLR_LAYOUT" hidden="1">"gov-2021"</definedName>'
        '<definedName name="_xlnm.Print_Area" localSheetId="0">表!$A$1:$J$30</definedName>'
        '<definedName name="区域">表!$A$1:$B$2</definedName>'
        "</definedNames>"
        '<calcPr calcId="191029" fullCalcOnLoad="1"/>'
    )
    core = (
        f'{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-12-01T08:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-10T02:03:04Z</dcterms:modified>'
        "</cp:coreProperties>"
    )
    app = (
        f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>WPS 表格</Application><AppVersion>12.0000</AppVersion></Properties>"
    )
    parts = package_parts(
        [
            ("表", sheet_xml("")),
            ("隐", sheet_xml("")),
            ("深", sheet_xml("")),
            ("怪", sheet_xml("")),
        ],
        workbook_extra=extra,
        states={"隐": "hidden", "深": "veryHidden", "怪": "bogus"},
        core=core,
        app=app,
    )
    wb = read_bytes(tmp_path, zip_bytes(parts))
    assert [(s.name, s.state) for s in wb.sheets] == [
        ("表", "visible"),
        ("隐", "hidden"),
        ("深", "veryHidden"),
        ("怪", "visible"),
    ]
    assert wb.defined_names == {
        "XLR_YEAR": '"2024"',
        "XLR_LAYOUT": '"gov-2021"',
        "区域": "表!$A$1:$B$2",
    }
    assert wb.structure_protected and wb.full_calc_on_load
    assert (wb.created, wb.modified, wb.application) == (
        "2024-12-01T08:00:00Z",
        "2025-01-10T02:03:04Z",
        "WPS 表格",
    )


def test_missing_optional_parts_give_defaults(tmp_path: Path) -> None:
    parts = package_parts([("表", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))])
    del parts["[Content_Types].xml"]
    wb = read_bytes(tmp_path, zip_bytes(parts))
    assert (wb.application, wb.created, wb.modified) == ("", "", "")
    assert not wb.structure_protected and not wb.full_calc_on_load
    assert wb.defined_names == {}
    assert wb.sheets[0].cells == {(0, 0): RawCell("n", "1")}


@pytest.mark.parametrize(
    "target",
    [
        "/xl/worksheets/sheet1.xml",
        "worksheets/sheet1.xml",
        "./worksheets/../worksheets/sheet1.xml",
        "WORKSHEETS/Sheet1.XML",
    ],
)
def test_sheet_targets_relative_absolute_and_any_case(tmp_path: Path, target: str) -> None:
    parts = package_parts(
        [("表", sheet_xml('<row r="1"><c r="A1"><v>3</v></c></row>'))], sheet_targets={"表": target}
    )
    assert read_bytes(tmp_path, zip_bytes(parts)).sheets[0].cells[(0, 0)].text == "3"


def test_prefixed_namespace_and_strict_namespace(tmp_path: Path) -> None:
    prefixed = (
        f'{XML_DECL}<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="2">'
        '<x:c r="B2" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>'
    )
    strict = (
        f'{XML_DECL}<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheetData>'
        '<row r="1"><c r="A1"><v>8</v></c></row></sheetData></worksheet>'
    )
    wb = read_bytes(tmp_path, zip_bytes(package_parts([("前", prefixed), ("严", strict)])))
    assert wb.sheets[0].cells == {(1, 1): RawCell("inlineStr", "前缀")}
    assert wb.sheets[1].cells == {(0, 0): RawCell("n", "8")}


def test_elements_of_other_namespaces_are_ignored(tmp_path: Path) -> None:
    xml = (
        f'{XML_DECL}<worksheet {WS_NS} xmlns:o="urn:other"><sheetData><row r="1">'
        '<c r="A1"><v>1</v></c><o:c r="B1"><o:v>2</o:v></o:c></row></sheetData></worksheet>'
    )
    wb = read_bytes(tmp_path, zip_bytes(package_parts([("表", xml)])))
    assert wb.sheets[0].cells == {(0, 0): RawCell("n", "1")}


def test_utf16_encoded_part(tmp_path: Path) -> None:
    xml = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>编码</t></is></c></row>')
    xml16 = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    parts = package_parts([("表", "")])
    parts["xl/worksheets/sheet1.xml"] = xml16
    assert read_bytes(tmp_path, zip_bytes(parts)).sheets[0].cells[(0, 0)].text == "编码"


def test_stored_members_are_read(tmp_path: Path) -> None:
    import zipfile

    parts = package_parts([("表", sheet_xml('<row r="1"><c r="A1"><v>4</v></c></row>'))])
    wb = read_bytes(tmp_path, zip_bytes(parts, compression=zipfile.ZIP_STORED))
    assert wb.sheets[0].cells[(0, 0)].text == "4"


def test_cell_at_xfd1048576_is_stored_not_allocated(tmp_path: Path) -> None:
    wb = read_bytes(tmp_path, one_sheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    assert wb.sheets[0].cells == {(1048575, 16383): RawCell("n", "1")}


def test_limits_are_configurable(tmp_path: Path) -> None:
    data = one_sheet(
        "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 51))
    )
    assert len(read_bytes(tmp_path, data).sheets[0].cells) == 50
    with pytest.raises(UnreadableFileError, match="单元格超过 10 个"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_cells=10))
    with pytest.raises(UnreadableFileError, match="行数超过 20 行"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_rows=20))
    with pytest.raises(UnreadableFileError, match="XML 元素超过"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_elements=30))
    with pytest.raises(UnreadableFileError, match="超出 Excel 范围"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_row=40))
    with pytest.raises(UnreadableFileError, match="文件过大"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_file_bytes=100))
    with pytest.raises(UnreadableFileError, match="部件"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_part_bytes=500))
    with pytest.raises(UnreadableFileError, match="内容超过"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_total_bytes=2000))
    with pytest.raises(UnreadableFileError, match="嵌套"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_depth=3))


def test_shared_string_limit(tmp_path: Path) -> None:
    data = one_sheet("", sst=[f"<t>{i}</t>" for i in range(30)])
    with pytest.raises(UnreadableFileError, match="文字条目超过 20 条"):
        read_bytes(tmp_path, data, limits=ReadLimits(max_shared_strings=20))


def test_sheet_with_a_missing_relationship_is_refused(tmp_path: Path) -> None:
    parts = package_parts([("表", sheet_xml(""))])
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    )
    with pytest.raises(UnreadableFileError, match="缺少工作表“表”"):
        read_bytes(tmp_path, zip_bytes(parts))


def test_workbook_without_sheets_is_refused(tmp_path: Path) -> None:
    parts = package_parts([])
    with pytest.raises(UnreadableFileError, match="没有任何工作表"):
        read_bytes(tmp_path, zip_bytes(parts))


def test_workbook_found_through_content_types(tmp_path: Path) -> None:
    parts = package_parts([("表", sheet_xml('<row r="1"><c r="A1"><v>2</v></c></row>'))])
    renamed = {("xl/book.xml" if k == "xl/workbook.xml" else k): v for k, v in parts.items()}
    renamed["xl/_rels/book.xml.rels"] = renamed.pop("xl/_rels/workbook.xml.rels")
    ct = renamed["[Content_Types].xml"]
    assert isinstance(ct, str)
    renamed["[Content_Types].xml"] = ct.replace("/xl/workbook.xml", "/xl/book.xml")
    wb = read_bytes(tmp_path, zip_bytes(renamed))
    assert wb.sheets[0].cells[(0, 0)].text == "2"


def test_input_file_is_not_modified(tmp_path: Path) -> None:
    path = write_package(
        tmp_path / "x.xlsx", package_parts([("表", sheet_xml(""))], sst=sst_xml(["<t>a</t>"]))
    )
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_xlsx(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
