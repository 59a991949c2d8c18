"""A whole campaign through the command line: a bad return, its notice, the fix verified
as 已改正, approval, the board, receipts, the merge of the approved versions, and
`xlreport check` passing the summary."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
from campaign_helpers import (
    COUNTY,
    YEAR,
    agencies,
    broken,
    valid_values,
    write_return,
    write_roster,
)
from cli_helpers import invoke

from xlreport.spec import resolve_layout

AGENCIES = agencies(3)
LAYOUT = resolve_layout("gov-2021")


def _texts(path: Path) -> dict[str, str]:
    wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    return {
        ws.title: "\n".join(
            str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None
        )
        for ws in wb.worksheets
    }


def _run(args: list[str], folder: Path) -> tuple[int, str, str]:
    return invoke(["campaign", *args, "--campaign", str(folder)])


def _json(args: list[str], folder: Path) -> tuple[int, dict[str, Any]]:
    code, out, _err = _run([*args, "--json"], folder)
    return code, json.loads(out)


def test_a_campaign_from_a_bad_return_to_the_summary(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    folder = tmp_path / "活动"
    code, _, err = invoke(
        ["campaign", "init", str(folder), "--year", str(YEAR), "--roster", str(roster),
         "--name", COUNTY, "--deadline", "2025-01-20", "--grace-days", "3"]
    )  # fmt: skip
    assert code == 0, err
    a, b, c = AGENCIES
    good_b = valid_values(LAYOUT, 2)
    write_return(tmp_path / "r1" / "甲.xlsx", a, valid_values(LAYOUT, 1))
    write_return(tmp_path / "r1" / "乙.xlsx", b, broken(good_b))
    code, out, err = _run(["ingest", str(tmp_path / "r1"), "--workers", "1"], folder)
    assert code == 1, err  # 乙 has an error

    # receipts: one document per file, a line to paste, a number that verifies
    docs = sorted(p.name for p in (folder / "receipts").iterdir())
    assert docs == [
        f"回执_2024-{a.code}-001_{a.name}.xlsx",
        f"回执_2024-{b.code}-001_{b.name}.xlsx",
    ]
    code, out, err = _run(["receipt", f"2024-{b.code}-001"], folder)
    assert code == 0 and "真实有效" in out and "乙.xlsx" in out and "错误 1 处" in out
    code, out, err = _run(["receipt", "2024-QH999-001"], folder)
    assert code == 1 and "campaign-receipt-unknown" in err

    # the board: 乙 must fix, 丙 has not reported (with contacts ready to paste)
    code, board = _json(["status"], folder)
    total = board["counts"]["合计"]
    assert (total["expected"], total["received"], total["to_fix"], total["missing"]) == (3, 2, 1, 1)
    assert board["missing"] == [c.code for c in [c]] and board["to_fix"] == [b.code]
    assert c.phone in board["reminders"]["missing"]
    export = tmp_path / "报送进度.xlsx"
    code, out, _ = _run(["status", "--export", str(export)], folder)
    assert code == 0 and "报送进度" in out and c.contact in out and "\\x0a" not in out
    assert "报送率" in out and "66.7%" in out
    assert openpyxl.load_workbook(export)["单位明细"].auto_filter.ref

    # the notice for 乙: its blocking finding with labels, and the annotated copy beside it
    code, out, err = _run(["notice", b.code, "--deadline", "2025-01-25"], folder)
    assert code == 0, err
    notice_dir = folder / "notices" / f"{b.code}_{b.name}"
    files = sorted(p.name for p in notice_dir.iterdir())
    assert files == [f"退回修改_{b.name}_第1轮.xlsx", f"退回修改通知_{b.name}_第1轮.xlsx"]
    text = _texts(notice_dir / files[1])["退回修改通知"]
    cell = LAYOUT.cells["s3.new.natural"]
    assert cell.a1 in text and cell.row_label in text and "12件" in text
    code, out, err = _run(["notice", a.code], folder)
    assert code == 1 and "campaign-notice-not-needed" in err

    # nothing approved: nothing to merge; 甲 approved: refused, 乙 has no approved version
    code, out, err = _run(["merge"], folder)
    assert code == 1 and "campaign-merge-nothing" in err
    code, _, err = _run(["approve", a.code], folder)
    assert code == 0, err
    code, out, err = _run(["merge"], folder)
    assert code == 1 and "campaign-merge-unapproved" in err

    # 乙 sends the fix: the previous finding is 已改正, the changed cell listed
    write_return(tmp_path / "r2" / "乙改.xlsx", b, good_b)
    code, out, err = _run(["ingest", str(tmp_path / "r2"), "--workers", "1"], folder)
    assert code == 0, err
    code, hist = _json(["history", b.code], folder)
    assert [v["round"] for v in hist["versions"]] == [1, 2]
    res = hist["versions"][1]["resubmission"]
    assert res["counts"] == {"已改正": 1, "仍存在": 0, "新出现": 0}
    changed = res["changed_cells"]
    assert [(x["cell"], x["old"], x["new"]) for x in changed] == [
        (cell.a1, "12件", str(good_b["s3.new.natural"]))  # the text found, not （空）
    ]
    code, out, _ = _run(["history", b.code], folder)
    assert "【已改正】" in out and f"2024-{b.code}-002" in out
    assert "列入单位名单（agency-added）" in out  # events in Chinese, with their code
    assert [e["text"] for e in hist["events"]] == [
        "列入单位名单",
        "收到新版本（有错误）",
        "收到新版本（无错误）",
    ]

    # approve both, merge exactly the approved versions; 丙 never reported
    code, _, err = _run(["approve", "--all-clean"], folder)
    assert code == 0, err
    code, merged = _json(["merge"], folder)
    assert code == 1 and merged["missing"] == [[c.code, c.name]]  # not --allow-missing
    code, merged = _json(["merge", "--allow-missing"], folder)
    assert code == 0, merged
    assert {v["agency_code"]: v["round"] for v in merged["versions"]} == {a.code: 1, b.code: 2}
    summary = Path(merged["summary"])
    assert summary.parent == folder / "summary"
    assert (folder / "summary" / f"{summary.stem}_汇总清单.xlsx").is_file()
    # the merge is an event of the ledger, and the chain still verifies
    code, out, err = _run(["verify"], folder)
    assert code == 0, err
    code, out, err = invoke(["check", str(summary)])
    assert code == 0, out + err
