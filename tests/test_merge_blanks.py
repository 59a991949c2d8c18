"""Blank input cells: an untouched template is not a report, and "blank counts as 0" is an
explicit choice of the one merging (``--blank-as-zero``), visible in 报送情况 and the terminal.

Returns are made by the real writer (a blank cell is a cell the agency never typed into);
LibreOffice-saved cases are in test_values_libreoffice.py.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from check_helpers import YEAR, build, check_bytes, ident, layout_of, real_inputs
from cli_helpers import invoke

from xlreport.batch import check_file
from xlreport.batch.worker_result import Unpacker, pack
from xlreport.checks import CheckOptions
from xlreport.merge import merge_values

LAYOUT = layout_of()
INPUTS = sum(1 for _ in LAYOUT.inputs())


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, out, err = invoke(argv)
    return code, out + err


def test_untouched_template_is_an_error_not_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = build(LAYOUT, {})
    checked = check_bytes(tmp_path, data, name="空模板.xlsx")
    assert [(f.code, f.severity) for f in checked.report.findings] == [("return-empty", "error")]
    assert str(INPUTS) in checked.report.findings[0].message
    assert checked.data is not None and checked.data.blank_cells == INPUTS
    code, text = _cli(["check", str(tmp_path / "空模板.xlsx"), "--year", str(YEAR)], capsys)
    assert code == 1 and "全部" in text and "空模板.xlsx" in text


def test_one_typed_cell_is_not_an_empty_return(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, build(LAYOUT, {"s3.open.natural": Decimal(0)}))
    got = [f.code for f in checked.report.findings]
    assert "return-empty" not in got and got.count("value-blank") == INPUTS - 1
    assert checked.data is not None and checked.data.blank_cells == INPUTS - 1


@pytest.fixture
def inbox(tmp_path: Path) -> tuple[Path, dict[str, Decimal], dict[str, Decimal]]:
    """A complete return (A01) and one with three blank cells (A02)."""
    folder = tmp_path / "收到"
    folder.mkdir()
    full = real_inputs(LAYOUT)
    some = dict(full)
    blanked = [c.id for c in LAYOUT.inputs()][:3]
    for cid in blanked:
        some.pop(cid, None)
    assert len(set(full) - set(some)) == 3
    (folder / "完整.xlsx").write_bytes(build(LAYOUT, full, ident(LAYOUT, code="A01")))
    (folder / "有空白.xlsx").write_bytes(
        build(LAYOUT, some, ident(LAYOUT, code="A02", name="县另一局"))
    )
    return folder, full, some


def _status_rows(summary: Path) -> list[dict[str, object]]:
    wb = openpyxl.load_workbook(io.BytesIO(summary.read_bytes()), read_only=True)
    rows = [list(r) for r in wb["报送情况"].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if "空白格数" in r)
    header = rows[at]
    return [dict(zip(header, r, strict=False)) for r in rows[at + 1 :] if any(r)]


def test_merge_refuses_returns_with_blanks_by_default(
    inbox: tuple[Path, dict[str, Decimal], dict[str, Decimal]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, full, _some = inbox
    out = tmp_path / "汇总.xlsx"
    code, text = _cli(["merge", str(folder), "--out", str(out)], capsys)
    assert code == 1, text
    assert "有空白.xlsx" in text and "有空白未汇总" in text and "--blank-as-zero" in text
    rows = {r["文件名"]: r for r in _status_rows(out)}
    assert rows["有空白.xlsx"]["状态"] == "有空白未汇总" and rows["有空白.xlsx"]["空白格数"] == 3
    assert rows["完整.xlsx"]["状态"] == "已报送" and rows["完整.xlsx"]["空白格数"] == 0
    summary = check_file(out, CheckOptions(year=YEAR))
    assert summary.data is not None and dict(summary.data.values) == full

    code, text = _cli(["merge", str(folder), "--out", str(tmp_path / "另.xlsx"), "--json"], capsys)
    assert code == 1
    doc = json.loads(text)
    assert doc["counts"]["blank"] == 1 and doc["counts"]["blank_as_zero"] == 0
    files = {Path(f["path"]).name: f for f in doc["files"]}
    assert files["有空白.xlsx"]["status"] == "blank" and files["有空白.xlsx"]["blank_cells"] == 3


def test_blank_as_zero_counts_them_and_says_so(
    inbox: tuple[Path, dict[str, Decimal], dict[str, Decimal]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, full, some = inbox
    out = tmp_path / "汇总.xlsx"
    code, text = _cli(["merge", str(folder), "--out", str(out), "--blank-as-zero"], capsys)
    assert code == 0, text
    assert "空白按0计：有空白.xlsx" in text and "空白3格（按0计）" in text
    rows = {r["文件名"]: r for r in _status_rows(out)}
    assert rows["有空白.xlsx"]["状态"] == "已报送" and rows["有空白.xlsx"]["空白格数"] == 3
    assert "空白3格（按0计）" in str(rows["有空白.xlsx"]["说明"])
    summary = check_file(out, CheckOptions(year=YEAR))
    assert summary.data is not None
    want = {k: v for k, v in merge_values(LAYOUT, [full, some]).items() if k in full}
    assert dict(summary.data.values) == want


def test_blank_count_travels_from_the_worker(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    values.pop(next(iter(values)))
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    assert checked.data is not None and checked.data.blank_cells >= 1
    want = checked.data.blank_cells
    back = Unpacker(CheckOptions())(pack(checked, "merge"))
    assert back.data is not None and back.data.blank_cells == want
