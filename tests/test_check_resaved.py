"""A return filled in LibreOffice and then re-saved in Excel (issue 10): the missing
workbook-structure protection is LibreOffice's doing, and the warning says so.

LibreOffice 7.4 drops structure protection on save and turns the very hidden identity sheet
into a hidden one (tests/test_libreoffice_harness.py pins both). Excel keeps what it finds:
a later Excel save changes the producer (docProps/app.xml), not the protection. No Excel
here, so that last save is crafted: the LibreOffice-saved file with Excel's app.xml.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from check_helpers import build, check_bytes, codes, layout_of, with_openpyxl
from lo import fill_with_libreoffice

from xlreport.batch import check_file
from xlreport.checks import CheckOptions

pytestmark = pytest.mark.libreoffice
LAYOUT = layout_of()
EXCEL_APP = "Microsoft Excel"


def _as_if_excel_saved(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    app = parts["docProps/app.xml"].decode("utf-8")
    app, n = re.subn(
        r"<Application>[^<]*</Application>", f"<Application>{EXCEL_APP}</Application>", app
    )
    assert n == 1
    parts["docProps/app.xml"] = app.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_libreoffice_then_excel_is_not_blamed_on_the_agency(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    template.write_bytes(build(LAYOUT))
    filled = tmp_path / "filled-lo.xlsx"
    cell = LAYOUT.cells["s3.new.natural"]
    sheet = LAYOUT.sheet(cell.sheet).name
    fill_with_libreoffice(template, filled, [(sheet, cell.a1, "5")])
    excel = tmp_path / "then-excel.xlsx"
    _as_if_excel_saved(filled, excel)
    checked = check_file(excel, CheckOptions())
    [f] = [f for f in checked.report.findings if f.code == "workbook-unprotected"]
    assert f.severity == "warning"
    assert "LibreOffice 保存过" in f.message and EXCEL_APP in f.message
    assert "不是填报单位有意撤销" in f.message
    # saved last by LibreOffice itself: nothing to say, as before
    direct = check_file(filled, CheckOptions())
    assert "workbook-unprotected" not in {x.code for x in direct.report.findings}


def test_protection_removed_in_excel_keeps_the_plain_warning(tmp_path: Path) -> None:
    def tamper(wb: openpyxl.Workbook) -> None:
        wb.security = None  # openpyxl keeps the very hidden identity sheet, as Excel does

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert "workbook-unprotected" in codes(checked, "warning")
    [f] = [f for f in checked.report.findings if f.code == "workbook-unprotected"]
    assert "已被撤销" in f.message and "LibreOffice" not in f.message
