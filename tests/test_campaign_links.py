"""``xlreport campaign links``: one link per agency, shown once, exported, revoked, reissued."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
from cli_helpers import run_process
from serve_helpers import make_campaign

from xlreport.api.campaign import open_campaign
from xlreport.ledger.links import owner_of


def test_links_are_issued_once_exported_revoked_and_reissued(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=3)  # every agency already has a link
    again = run_process("campaign", "links", "--campaign", camp.folder)
    assert again.returncode == 0, again.stderr
    assert "所有单位都已有有效链接" in again.stdout

    export = tmp_path / "上传 链接.xlsx"
    done = run_process(
        "campaign", "links", "QH002", "--campaign", camp.folder,
        "--url", "http://192.168.1.20:8700", "--export", export,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("QH002"))
    url = line.split()[-1]
    assert url.startswith("http://192.168.1.20:8700/u/")
    new_token = url.rsplit("/u/", 1)[1]
    sheet = openpyxl.load_workbook(export).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位代码", "单位名称", "上传链接")
    assert rows[1][0] == "QH002" and rows[1][2] == url
    with open_campaign(camp.folder) as c:
        assert owner_of(c, new_token).agency_code == "QH002"
        assert owner_of(c, new_token).refusal is None
        assert owner_of(c, camp.tokens["QH002"]).refusal == "serve-link-revoked"
        assert owner_of(c, camp.tokens["QH001"]).refusal is None
        assert owner_of(c, "not-a-token").refusal == "serve-link-unknown"

    revoked = run_process(
        "campaign", "links", "--revoke", "QH001", "--campaign", camp.folder, "--json"
    )
    assert revoked.returncode == 0, revoked.stderr
    doc = json.loads(revoked.stdout)
    assert doc["revoked"] == ["QH001"] and doc["issued"] == []
    with open_campaign(camp.folder) as c:
        assert owner_of(c, camp.tokens["QH001"]).refusal == "serve-link-revoked"
    # the next run gives QH001 (and only QH001) a new link
    fresh = run_process("campaign", "links", "--campaign", camp.folder, "--json")
    assert [r["code"] for r in json.loads(fresh.stdout)["issued"]] == ["QH001"]


def test_wrong_arguments_are_one_chinese_line(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=1)
    bad_url = run_process("campaign", "links", "--url", "192.168.1.20", "--campaign", camp.folder)
    assert bad_url.returncode == 2
    assert "--url" in bad_url.stderr
    unknown = run_process("campaign", "links", "XX999", "--campaign", camp.folder)
    assert unknown.returncode == 2
    assert "花名册中没有单位 XX999" in unknown.stderr
    not_campaign = run_process("serve", tmp_path / "没有 这个活动")
    assert not_campaign.returncode == 2
    assert "不是收集活动文件夹" in not_campaign.stderr


def test_the_windows_launcher_goes_into_the_campaign_folder(tmp_path: Path) -> None:
    camp = make_campaign(tmp_path, n=1)
    done = run_process("serve", camp.folder, "--write-launcher")
    assert done.returncode == 0, done.stderr
    launcher = camp.folder / "启动.cmd"
    data = launcher.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10  # CRLF throughout
    text = data.decode("utf-8")
    assert 'serve "%CAMPAIGN%" --open' in text
    assert f'set "XLR_PYTHON={sys.executable}"' in text  # this installation's Python first
    assert 'set "CAMPAIGN=%~dp0."' in text  # the folder it sits in, however it is named
    assert run_process("serve", camp.folder, "--write-launcher").returncode == 0  # ours: again
    launcher.write_text("@echo off\r\necho 别人的文件\r\n", encoding="utf-8")
    refused = run_process("serve", camp.folder, "--write-launcher")
    assert refused.returncode == 2
    assert "不是 xlreport 的启动文件" in refused.stderr
    assert "别人的文件" in launcher.read_text(encoding="utf-8")
