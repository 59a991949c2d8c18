"""A date typed into a count cell in LibreOffice (zh-CN), merged without and with --confirm.

Measured (LibreOffice 7.4, locale zh-CN, typed through the user interface): "1-2" typed into
a count cell (number format "0") is stored as the serial of 2 January of the current year
and keeps the "0" format, so no style shows it was a date. merge leaves that return out
(exit 1, 待核实未汇总, the cell and the date named) until ``--confirm`` names the file;
then it counts, and the summary is exactly the sum of the returns it lists as merged.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import a1_of, build, ident, layout_of, real_inputs
from lo import Job, run_jobs
from test_merge_blanks import _cli, _status_rows

from xlreport.batch import check_file
from xlreport.checks import CheckOptions
from xlreport.checks.dates import serial_of
from xlreport.reader import read_xlsx

pytestmark = pytest.mark.libreoffice
LAYOUT = layout_of()
#: Returns are filled in the first months after the report year: "1-2" is this year's.
REPORT_YEAR = date.today().year - 1
NEW_YEAR = serial_of(date(date.today().year, 1, 2))
#: 行政处罚 本年处理决定数量: a big county's could really be ~46,000
PENALTY = LAYOUT.cells["a20_6.penalty.decisions"]
OPTIONS = CheckOptions(layout=LAYOUT, year=REPORT_YEAR)
NOTE = "已核实：1格数值恰似日期，经确认按数字计"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two complete returns re-typed in LibreOffice: 甲 "1-2" into 行政处罚, 乙 "12"."""
    tmp = tmp_path_factory.mktemp("lo-confirm")
    folder = tmp / "收到"
    values = real_inputs(LAYOUT)
    jobs = []
    for code, name, text in (("A01", "甲", "1-2"), ("A02", "乙", "12")):
        blank = tmp / f"模板-{code}.xlsx"
        who = ident(LAYOUT, code=code, name=f"县{name}局", year=REPORT_YEAR)
        blank.write_bytes(build(LAYOUT, values, who))
        entry = (*a1_of(LAYOUT, PENALTY.id), text)
        jobs.append(Job(blank, folder / f"{name}.xlsx", (entry,), ui=True))
    run_jobs(jobs, locale="zh-CN")
    return folder


def test_libreoffice_stored_the_serial_without_a_date_style(inbox: Path) -> None:
    wb = read_xlsx(inbox / "甲.xlsx")
    sheet = wb.sheet(LAYOUT.sheet(PENALTY.sheet).name)
    assert sheet is not None
    raw = sheet.cells[(PENALTY.r, PENALTY.c)]
    assert (raw.text, raw.date) == (str(NEW_YEAR), False)


def _summed_apart(paths: list[Path]) -> dict[str, Decimal]:
    out = {c.id: Decimal(0) for c in LAYOUT.inputs()}
    for p in paths:
        data = check_file(p, OPTIONS).data
        assert data is not None
        for cid in out:
            out[cid] += data.values.get(cid) or Decimal(0)
    return out


def _summary_inputs(path: Path) -> dict[str, Decimal]:
    data = check_file(path, OPTIONS).data
    assert data is not None and data.identity.kind == "summary"
    return {c.id: data.values.get(c.id) or Decimal(0) for c in LAYOUT.inputs()}


def test_merged_without_then_with_confirm(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = date(date.today().year, 1, 2).isoformat()
    out = tmp_path / "汇总.xlsx"
    argv = ["merge", str(inbox), "--out", str(out), "--name", "某某县", "--json"]
    code, text = _cli(argv, capsys)
    assert code == 1, text
    doc = json.loads(text)
    files = {Path(f["path"]).name: f for f in doc["files"]}
    left = files["甲.xlsx"]
    assert (left["status"], left["reason_code"]) == ("unconfirmed", "date-like-unconfirmed")
    assert left["status_text"] == "待核实未汇总" and f"{NEW_YEAR}（即 {day}）" in left["reason"]
    assert [(c["cell"], c["value"], c["date"]) for c in left["date_like_cells"]] == [
        (PENALTY.a1, str(NEW_YEAR), day)
    ]
    assert files["乙.xlsx"]["status"] == "merged"
    merged = [inbox / n for n, f in files.items() if f["status"] == "merged"]
    assert _summary_inputs(out) == _summed_apart(merged) == _summed_apart([inbox / "乙.xlsx"])
    rows = {r["文件名"]: r for r in _status_rows(out)}
    assert rows["甲.xlsx"]["状态"] == "待核实未汇总"

    code, text = _cli([*argv, "--confirm", str(inbox / "甲.xlsx")], capsys)
    assert code == 0, text
    doc = json.loads(text)
    files = {Path(f["path"]).name: f for f in doc["files"]}
    assert {n: f["status"] for n, f in files.items()} == {"甲.xlsx": "merged", "乙.xlsx": "merged"}
    assert files["甲.xlsx"]["reason"].startswith(NOTE) and doc["counts"]["confirmed"] == 1
    summary = _summary_inputs(out)
    assert summary == _summed_apart([inbox / "甲.xlsx", inbox / "乙.xlsx"])
    assert summary[PENALTY.id] == NEW_YEAR + 12
    rows = {r["文件名"]: r for r in _status_rows(out)}
    assert rows["甲.xlsx"]["状态"] == "已报送"
    assert any(str(v).startswith(NOTE) for v in rows["甲.xlsx"].values())
