"""The LibreOffice harness itself (tests/lo/), on small workbooks made here with openpyxl.

Also pins the LibreOffice facts the rest of xlreport relies on: typed input is parsed like
the Calc input line, stale cached values are recalculated, sheet protection and validation
survive a save, workbook structure protection does not.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lo import Job, LibreOfficeError, fill_with_libreoffice, resave_with_libreoffice, run_jobs
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

pytestmark = pytest.mark.libreoffice

SHEET = "三、依申请公开"


def _workbook(path: Path, *, stale: str | None = None) -> Path:
    """A1 input, B1 =A1*2, protected sheet with A1:A5 unlocked and validated.

    ``stale``: a cached value to put on B1 (openpyxl stores none), as a file saved by a
    program that did not recalculate would carry.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws["A1"] = 5
    ws["B1"] = "=A1*2"
    ws["B2"] = '=IF(ISNUMBER(A2),"数字","文字")'
    ws["C1"] = "固定文字"
    for r in range(1, 6):
        ws.cell(r, 1).protection = openpyxl.styles.Protection(locked=False)
    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    ws.add_data_validation(dv)
    dv.add("A1:A5")
    ws.protection.sheet = True
    wb.create_sheet("其他")
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    if stale is not None:
        _set_cached(path, "B1", stale)
    return path


def _set_cached(path: Path, ref: str, value: str) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml, n = re.subn(
        rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>[^<]*</v>)?',
        rf"\g<1><v>{value}</v>",
        xml,
    )
    assert n == 1, "could not place the stale value"
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_typing_is_parsed_like_the_input_line(tmp_path: Path) -> None:
    src = _workbook(tmp_path / "in.xlsx")
    dst = tmp_path / "out.xlsx"
    fill_with_libreoffice(
        src,
        dst,
        [
            (SHEET, "A1", "12"),
            (SHEET, "A2", "12件"),
            (SHEET, "A3", "5949.088667"),
            (SHEET, "A4", "-15"),
            (SHEET, "A5", "=A1+1"),
        ],
    )
    values = openpyxl.load_workbook(dst, data_only=True)[SHEET]
    formulas = openpyxl.load_workbook(dst)[SHEET]
    assert values["A1"].value == 12 and values["A1"].data_type == "n"
    assert values["A2"].value == "12件" and values["A2"].data_type == "s"
    assert values["A3"].value == pytest.approx(5949.088667, abs=1e-9)
    assert values["A4"].value == -15
    assert formulas["A5"].value == "=A1+1" and values["A5"].value == 13
    assert values["B1"].value == 24  # recalculated after typing
    assert values["B2"].value == "文字"  # 12件 is text, not a number
    assert values["C1"].value == "固定文字"


def test_stale_cached_values_are_recalculated_on_load(tmp_path: Path) -> None:
    src = _workbook(tmp_path / "stale.xlsx", stale="999")
    assert openpyxl.load_workbook(src, data_only=True)[SHEET]["B1"].value == 999
    dst = tmp_path / "resaved.xlsx"
    resave_with_libreoffice(src, dst)
    assert openpyxl.load_workbook(dst, data_only=True)[SHEET]["B1"].value == 10
    # without calculateAll(): only the profile's OOXMLRecalcMode = 0 can have fixed it
    loaded_only = tmp_path / "loaded-only.xlsx"
    run_jobs([Job(src, loaded_only, (), calculate_all=False)])
    assert openpyxl.load_workbook(loaded_only, data_only=True)[SHEET]["B1"].value == 10


def test_sheet_protection_and_validation_survive_structure_protection_does_not(
    tmp_path: Path,
) -> None:
    src = _workbook(tmp_path / "in.xlsx")
    dst = tmp_path / "out.xlsx"
    fill_with_libreoffice(src, dst, [(SHEET, "C1", "改了")])  # UNO ignores protection
    wb = openpyxl.load_workbook(dst)
    ws = wb[SHEET]
    assert ws["C1"].value == "改了"
    assert ws.protection.sheet
    assert ws["C1"].protection.locked and not ws["A1"].protection.locked
    dvs = ws.data_validations.dataValidation
    assert [(dv.type, str(dv.sqref)) for dv in dvs] == [("whole", "A1:A5")]
    # LibreOffice 7.4 writes an empty <workbookProtection/>: structure protection is lost.
    assert openpyxl.load_workbook(src).security.lockStructure
    assert not (wb.security is not None and wb.security.lockStructure)


def test_one_start_serves_a_batch_and_a_bad_job_is_named(tmp_path: Path) -> None:
    src = _workbook(tmp_path / "in.xlsx")
    jobs = [Job(src, tmp_path / f"out{i}.xlsx", ((SHEET, "A1", str(i)),)) for i in range(3)]
    seconds = run_jobs(jobs)
    assert len(seconds) == 3
    for i in range(3):
        got = openpyxl.load_workbook(tmp_path / f"out{i}.xlsx", data_only=True)[SHEET]
        assert (got["A1"].value, got["B1"].value) == (i, 2 * i)
    bad = [
        Job(src, tmp_path / "good.xlsx", ((SHEET, "A1", "7"),)),
        Job(src, tmp_path / "bad.xlsx", (("没有这张表", "A1", "7"),)),
        Job(tmp_path / "missing.xlsx", tmp_path / "never.xlsx", ()),
    ]
    with pytest.raises(LibreOfficeError) as err:
        run_jobs(bad)
    assert "没有这张表" in str(err.value) and "missing.xlsx" in str(err.value)
    assert (tmp_path / "good.xlsx").is_file()  # the other jobs still ran
    assert not (tmp_path / "never.xlsx").exists()


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline:
            found.append(int(pid))
    return found


def test_soffice_is_gone_and_its_profile_removed_afterwards(tmp_path: Path) -> None:
    src = _workbook(tmp_path / "in.xlsx")
    work = tmp_path / "work"
    work.mkdir()
    run_jobs([Job(src, tmp_path / "out.xlsx", ((SHEET, "A1", "1"),))], workdir=work)
    assert list(work.iterdir()) == []
    assert _processes_mentioning(str(work)) == []


def test_a_timeout_fails_cleanly_and_kills_soffice(tmp_path: Path) -> None:
    src = _workbook(tmp_path / "in.xlsx")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(LibreOfficeError, match="timed out"):
        run_jobs([Job(src, tmp_path / "out.xlsx", ())], timeout=0.3, workdir=work)
    assert _processes_mentioning(str(work)) == []
    assert list(work.iterdir()) == []
