"""Golden files for what ``xlreport demo`` writes: the file list, the password note,
``校验结果.json``, the annotated copy, the summary workbook and its long table.

The same comparison and normalisations as every golden (tests/golden/README.md): the
version, the temporary folder (``<tmp>``) and the returns' digests (``<sha256 NAME>``).
Rewrite after an intended change::

    XLREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_demo.py
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import run_cli
from golden_helpers import check_parts, check_text, portable, xlsx_parts

INBOX = "2-收到的报表"
SUMMARY = "4-汇总/清河县2024年度政府信息公开工作年度报告汇总表.xlsx"
ANNOTATED = "3-校验结果/退回修改/退回修改_清河县发展和改革局_第1轮.xlsx"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "演示"
    code, _printed = run_cli(["demo", "--out", str(out)])
    assert code == 0
    return out


def _text(demo: Path, relative: str) -> str:
    text = (demo / relative).read_text(encoding="utf-8")
    for old, new in portable(demo, demo / INBOX).items():
        text = text.replace(old, new)
    return text


def test_demo_files(demo: Path) -> None:
    names = "".join(f"{p.relative_to(demo).as_posix()}\n" for p in sorted(demo.rglob("*")))
    check_text("demo/files.txt", names)
    check_text("demo/password.txt", _text(demo, "1-下发模板_模板保护密码（请勿发给填报单位）.txt"))


def test_demo_check_json(demo: Path) -> None:
    check_text("demo/check.json", _text(demo, "3-校验结果/校验结果.json"))


def test_demo_annotated_copy(demo: Path) -> None:
    data = (demo / ANNOTATED).read_bytes()
    check_parts("demo/annotated", xlsx_parts(data, portable(demo, demo / INBOX)))


def test_demo_summary_and_long_table(demo: Path) -> None:
    data = (demo / SUMMARY).read_bytes()
    check_parts("demo/summary", xlsx_parts(data, portable(demo, demo / INBOX)))
    check_text("demo/export.csv", _text(demo, "4-汇总/清河县2024年度汇总数据（长表）.csv"))


CAMPAIGN = "5-收集活动"
CAMPAIGN_OUTPUTS = {
    "demo/campaign-receipt": "receipts/回执_2024-QH002-002_清河县发展和改革局.xlsx",
    "demo/campaign-notice": "notices/QH002_清河县发展和改革局/退回修改通知_清河县发展和改革局_第1轮.xlsx",
    "demo/campaign-board": "报送进度.xlsx",
    "demo/campaign-summary": "summary/清河县2024年度汇总.xlsx",
    "demo/campaign-manifest": "summary/清河县2024年度汇总_汇总清单.xlsx",
}


@pytest.mark.parametrize("golden", sorted(CAMPAIGN_OUTPUTS))
def test_demo_campaign_outputs(demo: Path, golden: str) -> None:
    """The campaign step's receipt, notice, board and summary (the demo's clock is fixed)."""
    data = (demo / CAMPAIGN / CAMPAIGN_OUTPUTS[golden]).read_bytes()
    check_parts(golden, xlsx_parts(data, portable(demo, demo / INBOX)))
