"""Names and texts that are no text: a Windows zip's Chinese (GBK) file names unpacked on
Linux, a lone UTF-16 surrogate escaped in a cell. Listed with a clear reason — never a
crash of the check, the merge or the ingest, never a name the ledger cannot hold."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from campaign_helpers import COUNTY, YEAR, agencies, valid_values, write_return, write_roster
from hypothesis import given
from hypothesis import strategies as st

from xlreport.api.campaign import (
    CampaignIngestRequest,
    CampaignInitRequest,
    campaign_ingest,
    campaign_init,
)
from xlreport.batch.discover import discover
from xlreport.checks.model import CheckOptions
from xlreport.ledger.roster_lookup import LedgerRoster
from xlreport.ledger.schema import LEDGER_FILE
from xlreport.merge import merge_paths
from xlreport.reader.strings import unescape
from xlreport.safetext import likely_name, undecodable
from xlreport.spec import resolve_layout

LAYOUT = resolve_layout("gov-2021")
GBK_NAME = "报表"


def _gbk(folder: Path, stem: str) -> Path:
    """``folder``/``stem`` as a Windows zip leaves a Chinese name on Linux: its GBK bytes."""
    path = Path(os.fsdecode(os.fsencode(str(folder)) + b"/" + stem.encode("gbk")))
    try:
        path.mkdir() if not stem.endswith(".xlsx") else path.write_bytes(b"")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    return path


def test_a_name_that_is_no_text_is_listed_with_the_name_it_probably_had(tmp_path: Path) -> None:
    inbox = tmp_path / "收到"
    inbox.mkdir()
    a, b = agencies(2)
    write_return(inbox / "正常.xlsx", a, valid_values(LAYOUT, 0))
    bad = _gbk(inbox, f"{GBK_NAME}.xlsx")
    write_return(bad, b, valid_values(LAYOUT, 1))
    folder = _gbk(inbox, "文件夹")
    write_return(folder / "c.xlsx", b, valid_values(LAYOUT, 2))
    found = {f.source: f for f in discover([inbox])}
    assert found[str(inbox / "正常.xlsx")].to_check
    for path in (str(bad), str(folder)):  # a folder is listed once, not entered
        f = found[path]
        assert f.code == "file-name-undecodable" and not f.to_check
        assert not undecodable(f.shown) and not undecodable(f.problem)
    assert f"可能是“{GBK_NAME}.xlsx”" in found[str(bad)].problem
    assert len(found) == 3
    # the merge writes its summary (the other return) and says why the file is left out
    result = merge_paths(
        [inbox],
        tmp_path / "汇总.xlsx",
        CheckOptions(layout=LAYOUT, year=YEAR, county=COUNTY),
        name=COUNTY,
        workers=1,
    )
    assert result.summary_written and result.exit_code == 1
    assert sorted(f.status for f in result.files) == ["merged", "unreadable", "unreadable"]
    # the ingest records the other file and lists this one as unreadable
    roster = write_roster(tmp_path / "名单.csv", [a, b])
    campaign_init(CampaignInitRequest(tmp_path / "活动", YEAR, roster, name=COUNTY))
    ingest = campaign_ingest(CampaignIngestRequest([inbox], tmp_path / "活动", workers=1))
    outcomes = sorted((i.outcome, i.code) for i in ingest.report.items)
    assert outcomes == [
        ("unreadable", "file-name-undecodable"),
        ("unreadable", "file-name-undecodable"),
        ("version", "campaign-version-recorded"),
    ]


def test_likely_name_reads_the_bytes_as_chinese_windows_text() -> None:
    raw = os.fsdecode("清河县教育局.xlsx".encode("gbk"))
    assert undecodable(raw) and likely_name(raw) == "清河县教育局.xlsx"
    assert likely_name("\ud800x") == "\\ud800x"  # a surrogate standing for no byte
    assert not undecodable("清河县.xlsx")


@given(st.text(max_size=20))
def test_unescaped_text_is_always_text(text: str) -> None:
    """Any character written as OOXML escapes of its UTF-16 units reads back as itself;
    a lone surrogate unit reads as U+FFFD — never a text that cannot be written."""
    units = text.encode("utf-16-le")
    escaped = "".join(
        f"_x{int.from_bytes(units[i : i + 2], 'little'):04X}_" for i in range(0, len(units), 2)
    )
    assert unescape(escaped) == text
    assert unescape("a_xD800_b") == "a\ufffdb" and unescape("_xDE00__xD83D_") == "\ufffd\ufffd"
    assert not undecodable(unescape(escaped + "_xDC00_"))


def test_ledger_roster_opens_the_ledger_read_only_from_any_thread(tmp_path: Path) -> None:
    missing = tmp_path / "没有" / LEDGER_FILE
    with pytest.raises(sqlite3.OperationalError):
        LedgerRoster(missing).get("QH001")
    assert not missing.exists() and not missing.parent.exists()
    roster = write_roster(tmp_path / "名单.csv", agencies(2))
    campaign_init(CampaignInitRequest(tmp_path / "活动", YEAR, roster, name=COUNTY))
    with LedgerRoster(tmp_path / "活动" / LEDGER_FILE) as lookup:
        assert "QH001" in lookup and os.fsdecode(b"\xb1") not in lookup
        answers: list[bool] = []
        worker = threading.Thread(target=lambda: answers.append("QH002" in lookup))
        worker.start()
        worker.join()
        assert answers == [True]
        with pytest.raises(sqlite3.OperationalError):  # read only
            lookup._db().execute("DELETE FROM agencies")
