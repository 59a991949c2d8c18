"""Counts that look like dates (issue 10): merge leaves such a return out until the one
merging confirms its figures (``merge --confirm FILE``), never sums it silently, and says so.

The files are real returns made by the writer; the count cell holds the date serial that
LibreOffice stores when "2024/12/31" is typed into a count cell formatted "0" (the style
stays "0": nothing but the number tells). The case typed into LibreOffice for real is in
test_merge_confirm_libreoffice.py.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import YEAR, build, check_bytes, ident, layout_of, real_inputs
from test_merge_blanks import _cli, _status_rows
from test_reader_numbers import with_cell

from xlreport.batch import check_file
from xlreport.checks import CheckOptions
from xlreport.checks.dates import serial_of
from xlreport.merge import merge_paths

LAYOUT = layout_of()
#: 行政处罚 本年处理决定数量: a count no hard rule ties to other cells
PENALTY = LAYOUT.cells["a20_6.penalty.decisions"]
SERIAL = serial_of(date(2024, 12, 31))  # 45657, within YEAR-1 … YEAR+1
OPTIONS = CheckOptions(layout=LAYOUT, year=YEAR)
NOTE = "已核实：1格数值恰似日期，经确认按数字计"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A01 an ordinary return; A02 the same figures but 行政处罚 = 45657."""
    folder = tmp_path / "收到"
    folder.mkdir()
    values = real_inputs(LAYOUT)
    dated = {**values, PENALTY.id: Decimal(SERIAL)}
    (folder / "甲.xlsx").write_bytes(build(LAYOUT, values, ident(LAYOUT, code="A01")))
    (folder / "乙.xlsx").write_bytes(
        build(LAYOUT, dated, ident(LAYOUT, code="A02", name="县另一局"))
    )
    return folder


def _merged_sum(paths: list[Path]) -> dict[str, Decimal]:
    """The inputs summed apart from merge: each file read by the check, added up."""
    out = {c.id: Decimal(0) for c in LAYOUT.inputs()}
    for p in paths:
        data = check_file(p, OPTIONS).data
        assert data is not None
        for cid in out:
            out[cid] += data.values.get(cid) or Decimal(0)
    return out


def _inputs(values: dict[str, Decimal]) -> dict[str, Decimal]:
    return {c.id: values[c.id] for c in LAYOUT.inputs()}


def test_check_warns_that_merge_will_ask_for_confirmation(tmp_path: Path) -> None:
    dated = {**real_inputs(LAYOUT), PENALTY.id: Decimal(SERIAL)}
    checked = check_bytes(tmp_path, build(LAYOUT, dated))
    warning = next(f for f in checked.report.findings if f.code == "value-date-like")
    assert warning.cell == PENALTY.a1 and "2024-12-31" in warning.message
    assert "--confirm" in warning.message and "--confirm" in (warning.hint or "")
    assert checked.report.errors == 0


def test_a_date_like_count_is_left_out_until_confirmed(inbox: Path, tmp_path: Path) -> None:
    result = merge_paths([inbox], tmp_path / "s1.xlsx", OPTIONS, name="某某县")
    files = {f.file_name: f for f in result.files}
    left = files["乙.xlsx"]
    assert (left.status, left.reason_code) == ("unconfirmed", "date-like-unconfirmed")
    assert f"{PENALTY.a1}（" in left.reason and "45657（即 2024-12-31）" in left.reason
    assert "--confirm" in left.reason
    assert files["甲.xlsx"].status == "merged" and result.exit_code == 1
    assert _inputs(result.values) == _merged_sum([inbox / "甲.xlsx"])

    result = merge_paths(
        [inbox], tmp_path / "s2.xlsx", OPTIONS, name="某某县", confirm=[inbox / "乙.xlsx"]
    )
    files = {f.file_name: f for f in result.files}
    assert files["乙.xlsx"].status == "merged" and result.exit_code == 0
    assert files["乙.xlsx"].reason.startswith(NOTE) and "2024-12-31" in files["乙.xlsx"].reason
    assert files["甲.xlsx"].reason == ""  # nothing to confirm there
    merged = [inbox / f.file_name for f in result.merged]
    assert _inputs(result.values) == _merged_sum(merged)
    assert result.values[PENALTY.id] == real_inputs(LAYOUT)[PENALTY.id] + SERIAL


def test_a_confirmation_covers_a_byte_identical_copy(inbox: Path, tmp_path: Path) -> None:
    copy = inbox / "乙 (1).xlsx"
    copy.write_bytes((inbox / "乙.xlsx").read_bytes())
    result = merge_paths([inbox], tmp_path / "s.xlsx", OPTIONS, confirm=[copy])
    files = {f.file_name: f for f in result.files}
    assert files["乙.xlsx"].status == "merged" and files["乙 (1).xlsx"].status == "duplicate"
    assert result.exit_code == 0


def test_the_cli_without_and_with_confirm(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "汇总.xlsx"
    code, text = _cli(["merge", str(inbox), "--out", str(out), "--name", "某某县"], capsys)
    assert code == 1, text
    assert "乙.xlsx" in text and "待核实未汇总" in text and "2024-12-31" in text
    assert "--confirm" in text and "退回单位修改" not in text  # nothing else to send back
    rows = {r["文件名"]: r for r in _status_rows(out)}
    assert rows["乙.xlsx"]["状态"] == "待核实未汇总"

    code, text = _cli(
        ["merge", str(inbox), "--out", str(out), "--json", "--confirm", str(inbox / "乙.xlsx")],
        capsys,
    )
    assert code == 0, text
    doc = json.loads(text)
    assert doc["counts"]["unconfirmed"] == 0 and doc["counts"]["confirmed"] == 1
    files = {Path(f["path"]).name: f for f in doc["files"]}
    assert files["乙.xlsx"]["status"] == "merged" and files["乙.xlsx"]["reason"].startswith(NOTE)
    assert files["乙.xlsx"]["date_like_cells"] == [
        {
            "sheet": LAYOUT.sheet(PENALTY.sheet).name,
            "cell": PENALTY.a1,
            "row_label": PENALTY.row_label,
            "col_label": PENALTY.col_label,
            "value": str(SERIAL),
            "date": "2024-12-31",
        }
    ]
    assert files["甲.xlsx"]["date_like_cells"] == []
    notes = [a["note"] for a in doc["agencies"] if a["file_name"] == "乙.xlsx"]
    assert len(notes) == 1 and notes[0].startswith(NOTE)
    rows = {r["文件名"]: r for r in _status_rows(out)}
    assert rows["乙.xlsx"]["状态"] == "已报送"
    assert any(str(v).startswith(NOTE) for v in rows["乙.xlsx"].values())

    code, text = _cli(
        ["merge", str(inbox), "--out", str(out), "--confirm", str(inbox / "乙.xlsx")], capsys
    )
    assert code == 0 and f"乙.xlsx（A02 县另一局） {NOTE}" in text


def test_confirm_must_name_an_input(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = tmp_path / "别处.xlsx"
    stray.write_bytes((inbox / "乙.xlsx").read_bytes())
    out = tmp_path / "s.xlsx"
    code, text = _cli(["merge", str(inbox), "--out", str(out), "--confirm", str(stray)], capsys)
    assert code == 2 and "--confirm 给出的文件" in text and "不在本次汇总的输入中" in text
    assert not out.exists()


def test_a_serial_written_into_the_sheet_xml(tmp_path: Path) -> None:
    """A crafted file: the count's ``<v>`` rewritten to the serial in the sheet's XML, its
    "0" style kept (no total adds that cell: no cached value contradicts it)."""
    values = real_inputs(LAYOUT)
    data = build(LAYOUT, values, ident(LAYOUT, code="A03"))
    sheet = LAYOUT.sheet(PENALTY.sheet).name
    data = with_cell(data, sheet, PENALTY.a1, "", f"<v>{SERIAL}</v>")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "丙.xlsx").write_bytes(data)
    result = merge_paths([folder], tmp_path / "s.xlsx", OPTIONS)
    (only,) = result.files
    assert only.status == "unconfirmed" and result.exit_code == 2  # nothing could be merged
    assert not result.summary_written
    result = merge_paths([folder], tmp_path / "s.xlsx", OPTIONS, confirm=[folder / "丙.xlsx"])
    assert result.exit_code == 0 and result.values[PENALTY.id] == SERIAL
    where = f"{sheet}!{PENALTY.a1}（{PENALTY.row_label} × {PENALTY.col_label}）"
    assert result.merged[0].reason == f"{NOTE}（{where}{SERIAL}（即 2024-12-31））"


def test_check_names_the_files_merge_will_ask_about(
    inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _cli(["check", str(inbox), "--year", str(YEAR)], capsys)
    assert code == 0, text
    assert "有数值恰似日期的文件：乙.xlsx" in text and "--confirm" in text
    assert "其余文件可以汇总" in text and "全部文件可以汇总" not in text
