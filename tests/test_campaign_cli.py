"""``xlreport campaign …`` as a clerk types it: Chinese output, --json, exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from campaign_helpers import (
    COUNTY,
    YEAR,
    agencies,
    broken,
    valid_values,
    write_return,
    write_roster,
)
from cli_helpers import invoke, run_process

from xlreport.ledger.schema import LEDGER_FILE
from xlreport.spec import resolve_layout

AGENCIES = agencies(3)


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _init(tmp_path: Path) -> Path:
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    folder = tmp_path / "活动"
    code, out, err = invoke(
        ["campaign", "init", str(folder), "--year", str(YEAR), "--roster", str(roster),
         "--name", COUNTY, "--deadline", "2025-01-20", "--grace-days", "3"]
    )  # fmt: skip
    assert code == 0, err
    assert "已创建" in out and "截止日期 2025-01-20，宽限 3 天" in out
    return folder


def test_a_whole_round_through_the_command_line(tmp_path: Path) -> None:
    folder = _init(tmp_path)
    layout = resolve_layout("gov-2021")
    write_return(folder / "inbox" / "甲.xlsx", AGENCIES[0], valid_values(layout, 1))
    write_return(folder / "inbox" / "乙.xlsx", AGENCIES[1], broken(valid_values(layout, 2)))
    code, out, err = invoke(["campaign", "ingest", "--campaign", str(folder), "--workers", "1"])
    assert code == 1  # one return has errors
    assert "[登记]" in out and "新版本 2" in out and "回执 2024-QH001-001" in out
    assert err == ""

    with _cwd(folder):  # the campaign folder is the current one
        code, out, _ = invoke(["campaign", "ingest", "--json", "--workers", "1"])
        doc = json.loads(out)
        assert doc["counts"]["already"] == 2 and doc["exit_code"] == 0 and code == 0
        code, out, err = invoke(["campaign", "approve", "QH001", "QH002"])
        assert code == 1
        assert "已报（待审核） → 已通过" in out and "未执行" in err and "需修改" in err
        code, _, err = invoke(["campaign", "return", "QH002", "--reason", ""])
        assert code == 2 and "必须说明原因" in err
        code, out, _ = invoke(["campaign", "return", "QH002", "--reason", "单位写了汉字", "--json"])
        doc = json.loads(out)
        assert code == 0 and doc["changes"][0]["state_after"] == "退回"
        code, out, _ = invoke(["campaign", "unapprove", "QH001", "--reason", "重新核对"])
        assert code == 0 and "已通过 → 已报（待审核）" in out
        code, out, _ = invoke(["campaign", "verify"])
        assert code == 0 and "台账完好" in out
        code, out, _ = invoke(["campaign", "verify", "--json"])
        assert json.loads(out)["ok"] is True


def test_roster_update_and_json(tmp_path: Path) -> None:
    folder = _init(tmp_path)
    roster = write_roster(tmp_path / "新.csv", [*AGENCIES[:2], *agencies(5)[3:]])
    code, out, _ = invoke(["campaign", "roster", str(roster), "--campaign", str(folder), "--json"])
    doc = json.loads(out)
    assert code == 0
    assert doc["counts"] == {"added": 2, "renamed": 0, "withdrawn": 1, "restored": 0, "details": 0}
    code, out, _ = invoke(["campaign", "roster", str(roster), "--campaign", str(folder)])
    assert code == 0 and "名单没有变化" in out


def test_not_a_campaign_folder_is_one_chinese_line(tmp_path: Path) -> None:
    proc = run_process("campaign", "verify", "--campaign", tmp_path)
    assert proc.returncode == 2
    assert "不是收集活动文件夹" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_help_is_chinese() -> None:
    code, out, _ = invoke(["campaign", "--help"])
    assert code == 0 and "收集活动" in out and "ingest" in out
    code, out, _ = invoke(["campaign", "ingest", "--help"])
    assert code == 0 and "活动文件夹" in out and "--json" in out


def test_verify_prints_what_it_found_on_stdout(tmp_path: Path) -> None:
    """What verify found is its result (``campaign verify > 核验.txt`` keeps it); only the
    closing line that something is wrong goes to stderr."""
    folder = _init(tmp_path)
    (folder / "store" / "xx").mkdir(parents=True, exist_ok=True)
    (folder / "store" / "xx" / "多余.xlsx").write_bytes(b"x")
    conn = sqlite3.connect(folder / LEDGER_FILE)
    conn.execute("UPDATE agencies SET state = '已通过' WHERE code = ?", (AGENCIES[0].code,))
    conn.commit()
    conn.close()
    code, out, err = invoke(["campaign", "verify", "--campaign", str(folder)])
    assert code == 1
    assert f"问题：单位 {AGENCIES[0].code}" in out and "提示：存储中的" in out
    assert "问题：" not in err and "台账有 1 处问题" in err
