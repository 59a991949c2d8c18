"""reader/accel/ against the parser (reader/sheet.py, reader/strings.py): the same result or
the same refusal on every file, part by part, and accel really taken for the files
applications write. Over unusual and randomly edited parts here; over the hostile corpus
and returns saved by LibreOffice and in Excel's style in test_reader_accel_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from accel_helpers import same_both_ways
from check_helpers import build, layout_of, members
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reader_corpus import MAIN, XML_DECL, package_parts, sheet_xml, sst_xml, zip_bytes

from xlreport.errors import UnreadableFileError
from xlreport.reader.accel.strings import read_plain_strings
from xlreport.reader.limits import ReadLimits
from xlreport.reader.strings import parse_shared_strings
from xlreport.reader.xmlsafe import Budget

SST = ["<t>甲</t>", "<t>乙</t>", '<t xml:space="preserve"> 丙 </t>']


def one(tmp_path: Path, xml: str, sst: list[str] | None = SST) -> Path:
    parts = package_parts([("表1", xml)], sst=sst_xml(sst) if sst is not None else None)
    path = tmp_path / "t.xlsx"
    path.write_bytes(zip_bytes(parts))
    return path


ROWS = (
    '<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="2"><v>12</v></c>'
    '<c r="C1" s="2"/></row>'
    '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><f>SUM(B1:B1)</f><v>12</v></c>'
    '<c r="C2" t="str"><f>"a"&amp;"&lt;b&gt;"</f><v>a&lt;b&gt;</v></c></row>'
    '<row r="3" ht="20" customHeight="1"/>'
    '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#DIV/0!</v></c>'
    '<c r="C4" t="s"><v>2</v></c><c r="D4"><v>1.5E-3</v></c></row>'
)
MERGES = '<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells>'
VALIDATIONS = (
    '<dataValidations count="2"><dataValidation type="whole" sqref="B1">'
    "<formula1>0</formula1></dataValidation>"
    '<dataValidation type="whole" sqref="B2"><formula1>0</formula1></dataValidation>'
    "</dataValidations>"
)
FORMATS = (
    '<conditionalFormatting sqref="B1"><cfRule type="expression" dxfId="0" priority="1">'
    "<formula>B1&lt;&gt;0</formula></cfRule></conditionalFormatting>"
)
HEADER = "<headerFooter><oddHeader>&amp;L单位：甲</oddHeader></headerFooter>"
AFTER = f'<sheetProtection sheet="1"/>{MERGES}{FORMATS}{VALIDATIONS}{HEADER}'


def test_plain_sheet_is_read_by_the_fast_path(tmp_path: Path) -> None:
    wb, taken = same_both_ways(one(tmp_path, sheet_xml(ROWS, AFTER)))
    assert taken == 1
    sheet = wb.sheets[0]  # type: ignore[attr-defined]
    assert sheet.cells[(0, 0)].text == "甲" and sheet.cells[(1, 2)].text == "a<b>"
    assert sheet.cells[(1, 2)].formula == '"a"&"<b>"'
    assert (0, 2) not in sheet.cells and sheet.merges == [(0, 0, 0, 2)]
    assert sheet.protected and sheet.data_validations == 2


def test_a_full_address_cache_leaves_the_fast_path_on(tmp_path: Path) -> None:
    """A process that once read a sheet with very many addresses (a hostile file, a big
    sheet) still reads the next return by the fast path: the cache is emptied when full."""
    from xlreport.reader.refs import _REF_CACHE_MAX, REF_CACHE, parse_ref

    for row in range(1, _REF_CACHE_MAX + 10):
        parse_ref(f"ZZ{row}")
    assert len(REF_CACHE) <= _REF_CACHE_MAX
    _wb, taken = same_both_ways(one(tmp_path, sheet_xml(ROWS, AFTER)))
    assert taken == 1


def test_every_sheet_of_a_writer_made_return_takes_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(build(layout_of("gov-2021")))
    sheets = [n for n in members(path.read_bytes()) if n.startswith("xl/worksheets/")]
    _wb, taken = same_both_ways(path)
    assert taken == len(sheets) == 5


#: Shapes accel must decline (or read identically): each is a variant of ROWS.
VARIANTS = {
    "comment among the cells": ROWS.replace('<row r="4">', '<!-- x --><row r="4">'),
    "commented-out cell": ROWS.replace('<c r="C1" s="2"/>', '<!--<c r="C1"><v>9</v></c>-->'),
    "CDATA value": ROWS.replace('<v>12</v></c><c r="C1"', '<v><![CDATA[12]]></v></c><c r="C1"'),
    "inline string": ROWS.replace(
        '<c r="C1" s="2"/>', '<c r="C1" t="inlineStr"><is><t>x</t></is></c>'
    ),
    "t before s": ROWS.replace('<c r="A1" s="1" t="s">', '<c r="A1" t="s" s="1">'),
    "cell without r": ROWS.replace('<c r="C1" s="2"/>', '<c s="2"><v>5</v></c>'),
    "row without r": ROWS.replace('<row r="3" ht="20" customHeight="1"/>', "<row/>"),
    "nested rows": ROWS.replace(
        '<row r="3" ht="20" customHeight="1"/>', '<row r="3"><row r="5"></row></row>'
    ),
    "duplicate cell": ROWS.replace('<c r="C1" s="2"/>', '<c r="B1"><v>7</v></c>'),
    "raw > in a formula": ROWS.replace("SUM(B1:B1)", "IF(B1>0,1,0)"),
    "entity in a number": ROWS.replace("<v>1.5E-3</v>", "<v>1&#46;5</v>"),
    "carriage return in text": ROWS.replace("<v>a&lt;b&gt;</v>", "<v>a\r\nb&#13;</v>"),
    "prefixed cell": ROWS.replace(
        '<c r="D4"><v>1.5E-3</v></c>', f'<x:c xmlns:x="{MAIN}" r="D4"><x:v>2</x:v></x:c>'
    ),
    "foreign namespace row": ROWS.replace('<row r="4">', '<row r="4" xmlns="urn:other">'),
    "shared formulas": ROWS.replace(
        "<f>SUM(B1:B1)</f>", '<f t="shared" ref="B2:B3" si="0">B1*2</f>'
    ).replace(
        '<row r="3" ht="20" customHeight="1"/>',
        '<row r="3"><c r="B3"><f t="shared" si="0"/><v>1</v></c></row>',
    ),
    "negative shared-string index": ROWS.replace(
        '<c r="A2" t="s"><v>1</v>', '<c r="A2" t="s"><v>-1</v>'
    ),
    "shared-string index out of range": ROWS.replace(
        '<c r="A2" t="s"><v>1</v>', '<c r="A2" t="s"><v>99</v>'
    ),
    "shared-string index with a sign": ROWS.replace(
        '<c r="A2" t="s"><v>1</v>', '<c r="A2" t="s"><v>+1</v>'
    ),
    "empty number": ROWS.replace("<v>1.5E-3</v>", "<v></v>"),
    "empty text result": ROWS.replace("<v>a&lt;b&gt;</v>", "<v/>"),
    "cell beyond XFD": ROWS.replace('<c r="C1" s="2"/>', '<c r="XFE1" s="2"/>'),
    "lower-case address": ROWS.replace('<c r="C1" s="2"/>', '<c r="c1"><v>3</v></c>'),
    "whitespace inside a cell": ROWS.replace("<v>12</v></c>", "<v>12</v>\n</c>"),
    "unknown child": ROWS.replace('<c r="C1" s="2"/>', '<c r="C1"><v>1</v><extLst/></c>'),
    "undefined entity": ROWS.replace("<v>12</v>", "<v>&bogus;</v>"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_unusual_cells_are_read_as_the_streaming_parser_reads_them(
    tmp_path: Path, name: str
) -> None:
    same_both_ways(one(tmp_path, sheet_xml(VARIANTS[name], AFTER)))


DEEP = "<x>" * 80 + "</x>" * 80

#: Variants of what surrounds the cells.
FRAMES = {
    "merge hidden in the page header": AFTER.replace(
        "</oddHeader>", '</oddHeader><mergeCell ref="D1:E1"/>'
    ),
    "cells hidden in the validations": AFTER.replace(
        "</dataValidations>", '<c r="Z1"><v>1</v></c></dataValidations>'
    ),
    "deep nesting in the validations": AFTER.replace(
        "</dataValidations>", DEEP + "</dataValidations>"
    ),
    "deep nesting in the page header": AFTER.replace("</headerFooter>", DEEP + "</headerFooter>"),
    "a second page header": AFTER + HEADER,
    "validations inside validations": AFTER.replace(
        "</dataValidations>", "<dataValidations/></dataValidations>"
    ),
    "comment before the validations": AFTER.replace(
        "<dataValidations", "<!-- <dataValidations/> --><dataValidations"
    ),
    "prefixed validations": AFTER.replace(
        "<dataValidations", f'<x:dataValidations xmlns:x="{MAIN}"'
    ).replace("</dataValidations>", "</x:dataValidations>"),
    "foreign default namespace on the validations": AFTER.replace(
        "<dataValidations", '<dataValidations xmlns="urn:other"'
    ),
    "undefined entity in the validations": AFTER.replace("<formula1>0", "<formula1>&bogus;"),
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_unusual_surroundings_are_read_as_the_streaming_parser_reads_them(
    tmp_path: Path, name: str
) -> None:
    same_both_ways(one(tmp_path, sheet_xml(ROWS, FRAMES[name])))


def test_cells_in_a_sheet_data_inside_an_extension_are_ignored_both_ways(tmp_path: Path) -> None:
    xml = sheet_xml(ROWS, "").replace("<sheetData>", "<extLst><sheetData/></extLst><sheetData>", 1)
    same_both_ways(one(tmp_path, xml))


def _encoded(tmp_path: Path, encoding: str) -> Path:
    xml = sheet_xml(ROWS, AFTER).replace('encoding="UTF-8"', f'encoding="{encoding}"')
    parts = package_parts([("表1", xml)], sst=sst_xml(SST))
    parts["xl/worksheets/sheet1.xml"] = xml.encode(encoding)
    path = tmp_path / "t.xlsx"
    path.write_bytes(zip_bytes(parts))
    return path


def test_a_sheet_in_utf16_is_streamed(tmp_path: Path) -> None:
    wb, taken = same_both_ways(_encoded(tmp_path, "UTF-16"))
    assert taken == 0 and not isinstance(wb, tuple)


def test_an_encoding_expat_cannot_decode_is_one_clear_reason(tmp_path: Path) -> None:
    refused, taken = same_both_ways(_encoded(tmp_path, "GB18030"))
    assert taken == 0 and isinstance(refused, tuple) and "字符编码" in refused[2]


def test_a_doctype_is_refused_the_same_way(tmp_path: Path) -> None:
    xml = sheet_xml(ROWS, AFTER).replace(XML_DECL, XML_DECL + "<!DOCTYPE worksheet>")
    refused, _taken = same_both_ways(one(tmp_path, xml))
    assert isinstance(refused, tuple) and refused[0] == "refused"


@pytest.mark.parametrize(
    "limits",
    [
        ReadLimits(max_cells=5),
        ReadLimits(max_rows=2),
        ReadLimits(max_elements=30),
        ReadLimits(max_depth=4),
        ReadLimits(max_row=3),
        ReadLimits(max_col=2),
    ],
    ids=["cells", "rows", "elements", "depth", "max_row", "max_col"],
)
def test_limits_are_enforced_the_same_way(tmp_path: Path, limits: ReadLimits) -> None:
    refused, _ = same_both_ways(one(tmp_path, sheet_xml(ROWS, AFTER)), limits)
    assert isinstance(refused, tuple) and refused[0] == "refused"


def test_plain_shared_strings_and_rich_text(tmp_path: Path) -> None:
    rich = (
        '<r><rPr><b val="true"/><sz val="16"/><rFont val="宋体"/></rPr><t xml:space="preserve">20</t></r>'
        "<r><t>24</t></r>"
    )
    for items in (
        [*SST, rich],
        [*SST, "<t>a_x000D_b&amp;c</t>"],
        [*SST, '<r><t>x</t></r><rPh sb="0" eb="1"><t>y</t></rPh>'],
    ):
        wb, _ = same_both_ways(one(tmp_path, sheet_xml(ROWS, AFTER), items))
        assert not isinstance(wb, tuple)


# --- random edits of a plain sheet -----------------------------------------------------------

SNIPPETS = [
    "<!-- c -->", "<![CDATA[<c r=\"Q1\"><v>1</v></c>]]>", "<x/>", '<c r="Q9"><v>1</v></c>',
    '</row><row r="40">', " ", "\n", "&amp;", "<?pi x?>", '<c r="B1"><v>2</v></c>',
    '<row r="41"/>', "<v>3</v>", "<f>1+1</f>", '<mergeCell ref="A1:A2"/>', "<dataValidations/>",
    "</c>", "<headerFooter/>", '<sheetProtection sheet="0"/>', "<is><t>z</t></is>", ">",
]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(SNIPPETS)), min_size=1, max_size=3
    )
)
def test_random_edits_are_read_the_same_both_ways(
    tmp_path: Path, edits: list[tuple[int, str]]
) -> None:
    xml = sheet_xml(ROWS, AFTER)
    ends = [i + 1 for i, ch in enumerate(xml) if ch == ">"]
    for at, snippet in edits:
        pos = ends[at % len(ends)]
        xml = xml[:pos] + snippet + xml[pos:]
    same_both_ways(one(tmp_path, xml))


# --- random edits of a plain shared-strings table --------------------------------------------

SST_SNIPPETS = [
    "<si><t>x</t></si>", "<si><r><t>y</t></r></si>", '<rPr><b val="1"/></rPr>', "<r><t>z</t></r>",
    "<!-- c -->", "<x/>", " ", "&amp;", "<?pi x?>", "</si>", "<si>", '<i a=">"/>', ">",
    '<rPh sb="0" eb="1"><t>p</t></rPh>', "_x0009_", '<sst xmlns="urn:x">', "</sst>",
]  # fmt: skip
RICH = (
    '<r><rPr><b val="true"/><sz val="16"/><rFont val="宋体"/><family val="2"/></rPr>'
    '<t xml:space="preserve">2024</t></r><r><rPr><sz val="11"/></rPr><t>年度</t></r>'
)


def _strings(data: bytes, fast: bool) -> object:
    budget = Budget(ReadLimits())
    try:
        if fast:
            plain = read_plain_strings(data, "xl/sharedStrings.xml", budget)
            if plain is not None:
                return plain, budget.elements
        return parse_shared_strings([data], "xl/sharedStrings.xml", budget), budget.elements
    except UnreadableFileError as e:
        return ("refused", e.message)


@settings(max_examples=200, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(SST_SNIPPETS)), min_size=0, max_size=3
    )
)
def test_random_edits_of_shared_strings_read_the_same_both_ways(
    edits: list[tuple[int, str]],
) -> None:
    xml = sst_xml([*SST, RICH])
    ends = [i + 1 for i, ch in enumerate(xml) if ch == ">"]
    for at, snippet in edits:
        pos = ends[at % len(ends)]
        xml = xml[:pos] + snippet + xml[pos:]
    data = xml.encode("utf-8")
    assert _strings(data, True) == _strings(data, False)
