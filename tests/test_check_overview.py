"""What a check or merge run says as a whole (issue 10): a mistyped --year, who has not
reported or sent several versions, a messy roster, files that are not workbooks."""

from __future__ import annotations

import json
import random
from pathlib import Path

from cli_helpers import run_process as xlreport
from merge_helpers import PASSWORD, ident, valid_values

from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")
ROOT = Path(__file__).resolve().parent.parent


def _return(path: Path, code: str, name: str, seed: int, year: int = 2024) -> None:
    values = dict(valid_values(L, random.Random(seed)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_workbook(L, ident(L, code, name, year=year), password=PASSWORD,
                                    values=values))  # fmt: skip


def test_a_mistyped_year_is_said_once_and_nothing_is_sent_back(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    for i in range(4):
        _return(inbox / f"r{i}.xlsx", f"A{i}", f"单位{i}", i)
    proc = xlreport("check", inbox, "--year", 2025)
    assert proc.returncode == 2
    # the run's one line (each file's year finding points to it in its own words)
    assert proc.stdout.count("请改用 --year 2024 重新校验（不要因为年度把报表退回单位）") == 1
    assert "4 个文件中有 4 个是 2024 年度" in proc.stdout.replace("\n", "")
    assert "改正后重新报送" not in proc.stdout and "退回修改稿" not in proc.stdout
    assert "请单位用本年度的模板" not in proc.stdout  # the per-file hint reworded
    doc = json.loads(xlreport("check", inbox, "--year", 2025, "--json").stdout)
    assert doc["year_hint"]["likely"] == 2024 and doc["summary"]["exit_code"] == 2
    # --annotate writes no copies to send back for the year
    ann = xlreport("check", inbox, "--year", 2025, "--annotate", tmp_path / "退回")
    assert ann.returncode == 2 and not (tmp_path / "退回").exists()
    # a single file of another year: that file's own finding, no guess about --year
    single = xlreport("check", inbox / "r0.xlsx", "--year", 2025)
    assert single.returncode == 1 and "改用 --year" not in single.stdout
    # the right year: clean
    assert xlreport("check", inbox, "--year", 2024).returncode == 0
    # one file of another year among right ones is that file's error, as before
    _return(inbox / "old.xlsx", "A9", "单位9", 9, year=2023)
    one = xlreport("check", inbox, "--year", 2024)
    assert one.returncode == 1 and "改用 --year" not in one.stdout
    # merge says the same, and its next step sends nothing back
    merged = xlreport("merge", inbox, "--year", 2025, "--out", tmp_path / "s.xlsx")
    assert merged.returncode == 2
    assert "请改用 --year 2024 重新汇总" in merged.stdout
    assert "退回单位修改" not in merged.stdout
    doc = json.loads(
        xlreport("merge", inbox, "--year", 2025, "--out", tmp_path / "s.xlsx", "--json").stdout
    )
    assert doc["year_hint"]["likely"] == 2024


def test_check_with_roster_lists_the_missing_and_several_versions(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    _return(inbox / "a0.xlsx", "A0", "单位0", 0)
    _return(inbox / "a1-初稿.xlsx", "A1", "单位1", 1)
    _return(inbox / "a1-终稿.xlsx", "A1", "单位1", 11)  # different figures
    (inbox / "a1-副本.xlsx").write_bytes((inbox / "a1-终稿.xlsx").read_bytes())  # same bytes
    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称\nA0,单位0\nA1,单位1\nA2,从未报送局\n", encoding="utf-8")
    proc = xlreport("check", inbox, "--roster", roster)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "名单中未报送（1/3）：从未报送局（A2）" in proc.stdout
    assert "单位1（A1）有 2 份不同的文件" in proc.stdout
    doc = json.loads(xlreport("check", inbox, "--roster", roster, "--json").stdout)
    assert doc["roster"]["missing"] == [{"code": "A2", "name": "从未报送局"}]
    [several] = doc["roster"]["several_files"]
    assert several["code"] == "A1" and several["versions"] == 2 and len(several["files"]) == 3


def test_a_messy_roster_is_normalised_and_said_so(tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    roster.write_text(
        "单位编码,单位名称\nＣＳ００２,清河县\u3000财政局\nCS003 ,清河县  公安局\n",
        encoding="utf-8",
    )
    out = tmp_path / "模板"
    proc = xlreport("template", "--year", 2024, "--out", out, "--roster", roster,
                    "--county", "清河县")  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "“ＣＳ００２”已规范为“CS002”" in proc.stderr
    assert "\\u3000" in proc.stderr and "已规范为“清河县 财政局”" in proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert not any("\u3000" in n for n in names)
    assert any("清河县 财政局" in n for n in names)
    # the template made from it carries the plain code: checked against the same messy
    # roster, it is on the roster
    template = next(p for p in out.iterdir() if "财政局" in p.name)
    doc = json.loads(xlreport("check", template, "--roster", roster, "--json").stdout)
    [f] = doc["files"]
    assert f["agency"]["code"] == "CS002"
    assert not [x for x in f["findings"] if "roster" in x["code"]], f["findings"]
    assert doc["roster"]["missing"] == [{"code": "CS003", "name": "清河县 公安局"}]
    # two rows that become the same code: an error
    roster.write_text("单位编码,单位名称\nＣＳ００２,甲\nCS002,乙\n", encoding="utf-8")
    bad = xlreport("template", "--year", 2024, "--out", tmp_path / "t2", "--roster", roster)
    assert bad.returncode == 2 and "重复" in bad.stderr and "规范化" in bad.stderr


def test_files_that_are_not_workbooks_are_alike(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    _return(inbox / "a0.xlsx", "A0", "单位0", 0)
    (inbox / "导出.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (inbox / "通知.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "说明.docx").write_bytes(b"PK\x03\x04")
    proc = xlreport("check", inbox, "--json")
    assert proc.returncode == 0, proc.stdout
    doc = json.loads(proc.stdout)
    assert {Path(s["path"]).name for s in doc["skipped"]} == {"导出.csv", "通知.pdf", "说明.docx"}
    # named explicitly, a non-workbook is reported as such (exit 2)
    named = xlreport("check", inbox / "导出.csv")
    assert named.returncode == 2 and "导出.csv" in named.stdout
    # an .xls in the folder is still a workbook that cannot be read
    (inbox / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert xlreport("check", inbox).returncode == 2
