"""`xlreport check` end to end: exit codes, terminal and JSON output, folders, annotate."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from check_helpers import YEAR, a1_of, build, ident, layout_of, real_inputs, sheet_part

from xlreport.batch import check_file, check_paths
from xlreport.checks import CheckOptions
from xlreport.checks.annotate import annotated_bytes, note_text
from xlreport.checks.catalogue import CATALOGUE, render_markdown
from xlreport.checks.located import ANNOTATION_SHEET
from xlreport.checks.run import CheckRequest, run_check
from xlreport.reader import read_xlsx
from xlreport.report_render import render_json
from xlreport.spec.model import a1

LAYOUT = layout_of()
ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH: this checkout's package, whatever the editable install points at
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "xlreport", "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    """A folder as a clerk receives it: one good return, one with mistakes, and clutter."""
    folder = tmp_path / "收回"
    (folder / "乡镇").mkdir(parents=True)
    (folder / "县测试局.xlsx").write_bytes(build(LAYOUT))
    bad: dict[str, Decimal | str] = dict(real_inputs(LAYOUT, "suqian_city_2023"))
    bad["s3.open.natural"] = "12件"
    bad["s3.partial.commercial"] += 1  # the balance no longer holds in that column
    del bad["s4.cases.rev_uphold"]
    other = ident(LAYOUT, code="A02", name="县另一局")
    (folder / "乡镇" / "另一局.xlsx").write_bytes(build(LAYOUT, bad, other))
    (folder / "~$县测试局.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "说明.docx").write_bytes(b"PK\3\4")
    return folder


def test_exit_codes_and_terminal_report(returns: Path, tmp_path: Path) -> None:
    good = returns / "县测试局.xlsx"
    r = run_cli(str(good), "--year", str(YEAR), cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "通过" in r.stdout and "县测试局" in r.stdout
    r = run_cli(str(returns), "--year", str(YEAR), cwd=tmp_path)
    assert r.returncode == 1
    out = r.stdout
    assert "另一局.xlsx" in out and "有错误" in out
    assert "12件" in out and "H2" in out
    assert "已跳过 3 个文件" in out and "~$县测试局.xlsx" in out and "说明.docx" in out
    r = run_cli(str(good), "--year", str(YEAR + 1), cwd=tmp_path)
    assert r.returncode == 1 and "年度" in r.stdout
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    r = run_cli(str(good), str(tmp_path / "坏.xlsx"), cwd=tmp_path)
    assert r.returncode == 2 and "无法读取" in r.stdout
    r = run_cli(str(tmp_path / "没有这个文件.xlsx"), cwd=tmp_path)
    # an unreadable file's reason is an error: on stderr (issue 11); its row stays a result
    assert r.returncode == 2 and "找不到" in r.stderr and "找不到" not in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    r = run_cli(str(good), "--format", "gov-1999", cwd=tmp_path)
    assert r.returncode == 2 and "gov-1999" in r.stderr  # errors on stderr


def test_terminal_groups_many_findings_of_one_kind(tmp_path: Path) -> None:
    values = {k: v for k, v in real_inputs(LAYOUT).items() if not k.startswith("s3.")}
    path = tmp_path / "空白.xlsx"
    path.write_bytes(build(LAYOUT, values))
    r = run_cli(str(path), cwd=tmp_path)
    assert r.returncode == 0
    blanks = sum(1 for c in LAYOUT.inputs() if c.table == "s3")
    assert re.search(rf"{blanks} 处单元格为空（三、依申请公开）：D6、E6", r.stdout), r.stdout


def test_json_document(returns: Path, tmp_path: Path) -> None:
    r = run_cli(str(returns), "--json", "--year", str(YEAR), cwd=tmp_path)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert list(doc) == ["files", "skipped", "prior", "annotated", "summary"]
    files = doc["files"]
    assert [Path(f["path"]).name for f in files] == ["另一局.xlsx", "县测试局.xlsx"]
    bad, good = files
    assert list(bad)[:6] == ["path", "agency", "layout", "year", "status", "errors"]
    assert bad["agency"] == {"code": "A02", "name": "县另一局"}
    assert (bad["layout"], bad["year"], bad["status"]) == ("gov-2021", YEAR, "error")
    assert good["status"] == "ok" and good["findings"] == []
    by_code = {f["code"]: f for f in bad["findings"]}
    text = by_code["value-text-number"]
    sheet, ref = a1_of(LAYOUT, "s3.open.natural")
    assert (text["sheet"], text["cell"], text["found"], text["expected"]) == (
        sheet,
        ref,
        "12件",
        "12",
    )
    assert text["row_label"] == LAYOUT.cells["s3.open.natural"].row_label
    h2 = [f for f in bad["findings"] if f["rule"] == "H2"]
    # the 总计 column is not checked: its outcome row holds "12件" (already an error)
    assert [f["col_label"] for f in h2] == [LAYOUT.cells["s3.new.commercial"].col_label]
    assert by_code["value-blank"]["severity"] == "warning"
    assert sorted(s["reason"] for s in doc["skipped"])[0]
    assert len(doc["skipped"]) == 3
    assert doc["summary"] == {
        "files": 2,
        "ok": 1,
        "warning": 0,
        "error": 1,
        "unreadable": 0,
        "skipped": 3,
        "errors": bad["errors"],
        "warnings": bad["warnings"],
        "exit_code": 1,
    }
    again = run_cli(str(returns), "--json", "--year", str(YEAR), cwd=tmp_path)
    assert again.stdout == r.stdout


def test_every_blank_cell_is_its_own_json_finding(tmp_path: Path) -> None:
    values = {k: v for k, v in real_inputs(LAYOUT).items() if not k.startswith("s4.")}
    path = tmp_path / "r.xlsx"
    path.write_bytes(build(LAYOUT, values))
    run = run_check(CheckRequest([path]))
    doc = json.loads(render_json(run))
    cells = [f["cell"] for f in doc["files"][0]["findings"] if f["code"] == "value-blank"]
    assert cells == [c.a1 for c in LAYOUT.inputs() if c.table == "s4"]


def test_annotate_writes_a_copy_for_the_agency(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "退回"
    before = {p: p.read_bytes() for p in returns.rglob("*") if p.is_file()}
    r = run_cli(str(returns), "--year", str(YEAR), "--annotate", str(out), cwd=tmp_path)
    assert r.returncode == 1
    assert {p: p.read_bytes() for p in returns.rglob("*") if p.is_file()} == before
    copies = sorted(p.name for p in out.iterdir())
    assert copies == ["退回修改_县另一局_第1轮.xlsx"]  # the clean return needs no copy
    copy = out / copies[0]
    raw = read_xlsx(copy)
    assert raw.sheets[0].name == ANNOTATION_SHEET
    listed = {c.text for c in raw.sheets[0].cells.values()}
    assert any(t and "12件" in t for t in listed)
    # the agency's values, the invalid one still as text, at the same cells
    original = check_file(returns / "乡镇" / "另一局.xlsx", CheckOptions(year=YEAR))
    again = check_file(copy, CheckOptions(year=YEAR))
    assert original.data is not None and again.data is not None
    assert again.data.values == original.data.values
    assert again.data.raw_inputs == original.data.raw_inputs
    assert again.data.identity == original.data.identity
    keep = ("value-text-number", "value-blank", "rule-broken")
    assert [(f.code, f.cell) for f in again.report.findings if f.code in keep] == [
        (f.code, f.cell) for f in original.report.findings if f.code in keep
    ]
    # every offending cell carries a comment with its message, at its cell
    notes = comments_by_sheet(copy)
    located = [(f, f.at) for f in original.report.findings if f.at is not None]
    assert len(located) >= 3
    for f, (sheet, r, c) in located:
        assert note_text(f) in notes[sheet][a1(r, c)]


def comments_by_sheet(path: Path) -> dict[str, dict[str, str]]:
    """Sheet name → cell → comment text, read from the package XML."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    out: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(path) as zf:
        for sheet in read_xlsx(path).sheets:
            part = sheet_part(path.read_bytes(), sheet.name)
            rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if rels not in zf.namelist():
                continue
            targets = re.findall(r'Target="\.\./(comments\d+\.xml)"', zf.read(rels).decode())
            for t in targets:
                root = ET.fromstring(zf.read("xl/" + t))
                for cm in root.iterfind(".//m:comment", ns):
                    text = "".join(x.text or "" for x in cm.iterfind(".//m:t", ns))
                    out.setdefault(sheet.name, {})[cm.get("ref", "")] = text
    return out


def test_annotated_copies_are_byte_identical(tmp_path: Path) -> None:
    values: dict[str, Decimal | str] = dict(real_inputs(LAYOUT))
    values["s3.open.natural"] = "—"
    path = tmp_path / "r.xlsx"
    path.write_bytes(build(LAYOUT, values))
    checked = check_file(path, CheckOptions())
    assert annotated_bytes(checked) == annotated_bytes(check_file(path, CheckOptions()))


def test_many_files_in_a_process_pool_give_the_same_results(tmp_path: Path) -> None:
    for i in range(10):
        values: dict[str, Decimal | str] = dict(real_inputs(LAYOUT))
        values["s3.open.natural"] = Decimal(i)
        code = f"B{i:02d}"
        (tmp_path / f"{code}.xlsx").write_bytes(build(LAYOUT, values, ident(LAYOUT, code=code)))
    (tmp_path / "~$B00.xlsx").write_bytes(b"x")
    pooled = check_paths([tmp_path], CheckOptions(year=YEAR), workers=2)
    serial = check_paths([tmp_path], CheckOptions(year=YEAR), workers=1)
    assert [c.report for c in pooled] == [c.report for c in serial]
    names = [Path(c.report.path).name for c in pooled]
    assert names == sorted(names) and len(names) == 11 and "~$B00.xlsx" in names
    assert [c.skipped != "" for c in pooled].count(True) == 1
    assert [c.data.values["s3.open.natural"] for c in pooled if c.data] == [
        Decimal(i) for i in range(10)
    ]


def test_prior_files_feed_the_soft_rules(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    last_year = ident(LAYOUT, year=YEAR - 1)
    prior_values = {
        f"s3.carryover.{k.split('.')[2]}": v
        for k, v in values.items()
        if k.startswith("s3.carried.")
    }
    prior_values["s3.carryover.natural"] = prior_values.get("s3.carryover.natural", 0) + 1
    (tmp_path / "上年.xlsx").write_bytes(build(LAYOUT, prior_values, last_year))
    (tmp_path / "本年.xlsx").write_bytes(build(LAYOUT, values))
    run = run_check(
        CheckRequest([tmp_path / "本年.xlsx"], year=YEAR, prior=[tmp_path / "上年.xlsx"])
    )
    assert run.exit_code == 0
    rules = {(f.rule, f.cell) for f in run.checked[0].report.findings if f.rule}
    assert ("S1", LAYOUT.cells["s3.carried.natural"].a1) in rules
    assert len(run.prior_files) == 1 and run.prior_files[0].data is not None


def test_findings_doc_is_generated_and_up_to_date() -> None:
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == render_markdown()


def test_every_code_in_the_source_is_catalogued_and_every_catalogued_code_used() -> None:
    catalogues = ("catalogue.py", "catalogue_reader.py")
    own = [
        p
        for folder in ("checks", "batch", "merge")  # merge refusals are catalogued too (issue 10)
        for p in (ROOT / "xlreport" / folder).glob("*.py")
        if p.name not in catalogues
    ]
    # the reader's refusals carry their codes too (one per reason)
    reasons = [
        ROOT / "xlreport" / "reader" / "reasons.py",
        ROOT / "xlreport" / "reader" / "sniff.py",
    ]
    source = "".join(p.read_text(encoding="utf-8") for p in own + reasons)
    used = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source))
    codes_used = {c for c in used if c in CATALOGUE or re.search(r"finding\(\s*\"" + c, source)}
    assert codes_used - set(CATALOGUE) == set()
    assert set(CATALOGUE) - used == set()


def test_openpyxl_resaved_folder_copy_still_passes(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(build(LAYOUT)))
    out = io.BytesIO()
    wb.save(out)
    (tmp_path / "r.xlsx").write_bytes(out.getvalue())
    r = run_cli(str(tmp_path / "r.xlsx"), "--json", cwd=tmp_path)
    assert r.returncode == 0
    assert [f["code"] for f in json.loads(r.stdout)["files"][0]["findings"]] == ["no-cached-values"]


def test_file_names_and_cell_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    values: dict[str, Decimal | str] = dict(real_inputs(LAYOUT))
    values["s3.open.natural"] = "[bold red]12[/]\x1b[2J\u202e件"
    path = tmp_path / "tab\tand\x1b[31mescape[red].xlsx"
    path.write_bytes(build(LAYOUT, values))
    r = run_cli(str(path), cwd=tmp_path)
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    assert "\\x1b[31mescape[red].xlsx" in r.stdout
    assert "[bold red]12[/]\\x1b[2J\\u202e件" in r.stdout
    doc = json.loads(run_cli(str(path), "--json", cwd=tmp_path).stdout)
    assert doc["files"][0]["path"] == str(path)
    assert any(f["found"] == values["s3.open.natural"] for f in doc["files"][0]["findings"])


def test_county_option_checks_whose_template_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 10: ``check --county`` refuses a neighbouring county's template (same codes)."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # this checkout's xlreport, whatever is installed
    (tmp_path / "r.xlsx").write_bytes(build(LAYOUT, real_inputs(LAYOUT)))  # made for 测试县
    r = run_cli("r.xlsx", "--county", "邻县", "--json", cwd=tmp_path)
    assert r.returncode == 1
    found = [f for f in json.loads(r.stdout)["files"][0]["findings"] if f["severity"] == "error"]
    assert [(f["code"], f["expected"], f["found"]) for f in found] == [
        ("county-mismatch", "邻县", "测试县")
    ]
    assert run_cli("r.xlsx", "--county", " 测试县 ", cwd=tmp_path).returncode == 0
    r = run_cli("r.xlsx", "--county", " ", cwd=tmp_path)
    assert r.returncode == 2 and "--county 不能为空" in r.stdout + r.stderr
