"""Dates typed into input cells (issue 10): the reader marks cells styled as dates, and the
check makes a number in such an input cell an error showing the date (``value-date``), and
a whole number that is the serial of a day around the report year a warning
(``value-date-like``). The LibreOffice case typed through the user interface is in
test_check_dates_libreoffice.py; here the files are real returns with their styles edited.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import (
    YEAR,
    a1_of,
    build,
    check_bytes,
    edit_part,
    ident,
    layout_of,
    real_inputs,
    sheet_part,
)
from test_reader_numbers import with_cell

from xlreport.checks.dates import serial_of, shown_date
from xlreport.reader import read_xlsx
from xlreport.reader.limits import DEFAULT_LIMITS
from xlreport.reader.styles import date_styles, is_date_format
from xlreport.reader.xmlsafe import Budget

LAYOUT = layout_of()
COUNT = next(c for c in LAYOUT.inputs() if c.type.kind == "integer")
AMOUNT = next(c for c in LAYOUT.inputs() if c.type.kind == "decimal")


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("yyyy/m/d", True),
        ("yy\\年m\\月d\\日", True),  # as LibreOffice writes zh-CN 26年1月2日
        ('yyyy"年"m"月"d"日"', True),
        ("[$-804]aaaa;@", False),  # a weekday name only: no y/m/d/h/s token
        ("[DBNum1][$-804]m月d日", True),
        ("h:mm:ss", True),
        ("[h]:mm", True),  # elapsed hours: a time, not a count
        ("mm:ss.0", True),
        ("General", False),
        ("G/通用格式", False),
        ("0", False),
        ("#,##0.00", False),
        ('0"件"', False),  # quoted text is not a token
        ('0.00"天"', False),
        ("[Red]0;[Blue]-0", False),  # colours are not tokens
        ("0.00E+00", False),
        ("0_);(0)", False),
        ('0;-0;"-";@', False),
        ("\\d0", False),  # an escaped d is shown as "d"
        ('0;"yyyy"', False),
        ("yyyy-mm-dd;@", True),
    ],
)
def test_date_format_codes(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="0&quot;件&quot;"/>'
    '<numFmt numFmtId="165" formatCode="yyyy/m/d"/>'
    '<numFmt numFmtId="14" formatCode="0.00"/></numFmts>'  # a built-in id redefined
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>'
    '<xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="22"/><xf numFmtId="1"/></cellXfs>'
    '<dxfs count="1"><dxf><numFmt numFmtId="166" formatCode="yyyy"/></dxf></dxfs>'
    "</styleSheet>"
)


def test_date_styles_from_cell_xfs_only() -> None:
    found = date_styles([STYLES.encode()], "xl/styles.xml", Budget(DEFAULT_LIMITS))
    # 2: custom yyyy/m/d; 4: built-in 31 (zh-CN yyyy年m月d日); 5: built-in 22. Not 3:
    # id 14 is redefined as 0.00; cellStyleXfs and dxfs are not cell formats.
    assert found == {2, 4, 5}


def add_xf(data: bytes, num_fmt: str, code: str | None = None) -> tuple[bytes, int]:
    """The workbook with a cell format using number format ``num_fmt`` (defined with
    ``code`` when given) appended to cellXfs; and its index."""
    index = -1

    def edit(xml: str) -> str:
        nonlocal index
        m = re.search(r'<cellXfs count="(\d+)">', xml)
        assert m is not None
        index = int(m.group(1))
        xml = xml.replace(m.group(0), f'<cellXfs count="{index + 1}">')
        xml = xml.replace("</cellXfs>", f'<xf numFmtId="{num_fmt}" xfId="0"/></cellXfs>')
        if code is not None:
            fmt = f'<numFmt numFmtId="{num_fmt}" formatCode="{code}"/>'
            if "<numFmts" in xml:
                xml = re.sub(r"(<numFmts[^>]*>)", lambda m: m.group(1) + fmt, xml, count=1)
            else:
                xml = xml.replace("<fonts", f'<numFmts count="1">{fmt}</numFmts><fonts', 1)
        return xml

    return edit_part(data, "xl/styles.xml", edit), index


def dated(data: bytes, cell_id: str, value: str, num_fmt: str, code: str | None) -> bytes:
    data, xf = add_xf(data, num_fmt, code)
    sheet, ref = a1_of(LAYOUT, cell_id)
    data = with_cell(data, sheet, ref, "", f"<v>{value}</v>")

    def edit(xml: str) -> str:
        return re.sub(rf'<c r="{ref}"( s="\d+")?', f'<c r="{ref}" s="{xf}"', xml, count=1)

    return edit_part(data, sheet_part(data, sheet), edit)


@pytest.mark.parametrize("fast", [True, False])
def test_reader_marks_date_styled_cells(tmp_path: Path, fast: bool) -> None:
    data = dated(build(LAYOUT), COUNT.id, "46024", "176", "yyyy/m/d")
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    wb = read_xlsx(path, fast=fast)
    sheet = wb.sheet(a1_of(LAYOUT, COUNT.id)[0])
    assert sheet is not None
    dates = {pos for pos, c in sheet.cells.items() if c.date}
    assert dates == {(COUNT.r, COUNT.c)}


def test_the_template_itself_has_no_date_styles(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(build(LAYOUT))
    wb = read_xlsx(path)
    assert not [(s.name, p) for s in wb.sheets for p, c in s.cells.items() if c.date]


def test_a_date_in_a_count_cell_is_an_error_with_the_date(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    data = dated(build(LAYOUT, values), COUNT.id, "46024", "14", None)  # built-in m/d/yyyy
    checked = check_bytes(tmp_path, data)
    sheet, ref = a1_of(LAYOUT, COUNT.id)
    got = [f for f in checked.report.findings if f.code == "value-date"]
    assert [(f.severity, f.sheet, f.cell, f.found) for f in got] == [
        ("error", sheet, ref, "2026-01-02")
    ]
    assert "46024" in got[0].message
    assert checked.report.errors >= 1


def test_a_date_in_an_amount_cell_styled_as_libreoffice_does(tmp_path: Path) -> None:
    data = dated(build(LAYOUT), AMOUNT.id, "45657", "166", "yy\\年m\\月d\\日")
    checked = check_bytes(tmp_path, data)
    got = [(f.code, f.cell, f.found) for f in checked.report.findings if "date" in f.code]
    assert got == [("value-date", AMOUNT.a1, "2024-12-31")]


def test_a_plain_number_in_the_same_cell_is_no_date(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, build(LAYOUT))
    assert not [f for f in checked.report.findings if "date" in f.code]


def test_a_serial_of_a_day_near_the_report_year_is_a_warning(tmp_path: Path) -> None:
    values = dict(real_inputs(LAYOUT))
    near = serial_of(date(YEAR + 1, 1, 2))
    values[COUNT.id] = Decimal(near)
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    got = [
        (f.code, f.severity, f.cell, f.found) for f in checked.report.findings if "date" in f.code
    ]
    assert got == [("value-date-like", "warning", COUNT.a1, str(near))]
    warning = next(f for f in checked.report.findings if f.code == "value-date-like")
    assert shown_date(Decimal(near)) in warning.message
    values[COUNT.id] = Decimal(serial_of(date(YEAR + 3, 1, 2)))
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    assert not [f for f in checked.report.findings if "date" in f.code]


def test_a_summary_may_sum_that_large(tmp_path: Path) -> None:
    values = dict(real_inputs(LAYOUT))
    values[COUNT.id] = Decimal(serial_of(date(YEAR + 1, 1, 2)))
    checked = check_bytes(tmp_path, build(LAYOUT, values, ident(LAYOUT, kind="summary")))
    assert checked.data is not None and checked.data.identity.kind == "summary"
    assert checked.data.values[COUNT.id] == values[COUNT.id]
    assert not [f for f in checked.report.findings if "date" in f.code]


def test_shown_date() -> None:
    assert shown_date(Decimal(46024)) == "2026-01-02"
    assert shown_date(Decimal(45657)) == "2024-12-31"
    assert shown_date(Decimal("0.0625")) == "1:30"
    assert shown_date(Decimal("45657.5")) == "2024-12-31 12:00"
    assert shown_date(Decimal("1E+300")) == "1" + "0" * 300
