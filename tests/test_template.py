"""``write_templates`` and ``xlreport template``: files, names, password, identity."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner
from writer_helpers import load

from xlreport.api.template import TemplateRequest, make_templates
from xlreport.cli import app
from xlreport.errors import UsageError
from xlreport.identity import META_SHEET
from xlreport.roster import Agency, load_roster
from xlreport.spec import builtin_layouts
from xlreport.template import (
    PASSWORD_FILE,
    agency_identity,
    file_names,
    template_id,
    write_templates,
)
from xlreport.writer import build_workbook

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "roster.csv"
LAYOUT = builtin_layouts()["gov-2021"]


def test_one_workbook_per_agency_named_after_it(tmp_path: Path) -> None:
    result = write_templates(LAYOUT, 2024, tmp_path, roster=SAMPLE, county="清河县", password="pw1")
    agencies = load_roster(SAMPLE)
    assert result.agencies == len(agencies) == len(result.paths)
    assert result.password_file is None
    assert not (tmp_path / PASSWORD_FILE).exists()
    names = {p.name for p in tmp_path.iterdir()}
    assert "2024年度政府信息公开工作年度报告_清河县科技和工业信息化局.xlsx" in names
    assert names == {p.name for p in result.paths}
    for agency, path in zip(agencies, result.paths, strict=True):
        assert path.name == f"2024年度政府信息公开工作年度报告_{agency.name}.xlsx"
    # each file is exactly the direct build for its agency
    for agency, path in list(zip(agencies, result.paths, strict=True))[:3]:
        who = agency_identity(LAYOUT, 2024, agency, county="清河县")
        assert path.read_bytes() == build_workbook(LAYOUT, who, password="pw1")
        meta = dict(load(path.read_bytes())[META_SHEET].iter_rows(values_only=True))
        assert meta["agency_code"] == agency.code and meta["agency_name"] == agency.name
        assert meta["template_id"] == template_id(LAYOUT, 2024, "清河县", agency.code)
        assert meta["county"] == "清河县"


def test_generic_template_and_generated_password(tmp_path: Path) -> None:
    result = write_templates(LAYOUT, 2024, tmp_path / "out")
    assert [p.name for p in result.paths] == ["2024年度政府信息公开工作年度报告_填报模板.xlsx"]
    # beside the folder that gets zipped and sent out, never inside it
    assert result.password_file == tmp_path / f"out_{PASSWORD_FILE}"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [result.paths[0].name]
    text = result.password_file.read_text(encoding="utf-8-sig")
    password = text.splitlines()[1]
    assert len(password) >= 10 and "不要发给填报单位" in text
    who = agency_identity(LAYOUT, 2024, None)
    assert who.generic
    assert result.paths[0].read_bytes() == build_workbook(LAYOUT, who, password=password)
    again = write_templates(LAYOUT, 2024, tmp_path / "again")
    assert again.password_file is not None
    assert again.password_file.read_text(encoding="utf-8-sig") != text  # a fresh secret


def test_clashing_names_get_their_code() -> None:
    agencies = [
        Agency("A1", "清河县/教育局", "部门"),
        Agency("A2", "清河县_教育局", "部门"),
        Agency("A3", "清河县财政局", "部门"),
        Agency("A4", "CON", "其他"),
    ]
    names = file_names(LAYOUT, 2024, agencies)
    assert names[0] == "2024年度政府信息公开工作年度报告_清河县_教育局_A1.xlsx"
    assert names[1] == "2024年度政府信息公开工作年度报告_清河县_教育局_A2.xlsx"
    assert names[2] == "2024年度政府信息公开工作年度报告_清河县财政局.xlsx"
    assert len({n.lower() for n in names}) == 4
    assert all(not set(n) & set('<>:"/\\|?*') for n in names)
    # long names that clash keep their code (the names are cut, never the code)
    long = "清河县" + "某某" * 40
    names = file_names(LAYOUT, 2024, [Agency("L1", long + "甲", ""), Agency("L2", long + "乙", "")])
    assert names[0].endswith("_L1.xlsx") and names[1].endswith("_L2.xlsx")
    assert all(len(n.encode("utf-8")) <= 160 for n in names)


def test_template_id_is_deterministic_and_distinct() -> None:
    a = template_id(LAYOUT, 2024, "清河县", "QH001")
    assert a == template_id(LAYOUT, 2024, "清河县", "QH001") and len(a) == 16
    assert a != template_id(LAYOUT, 2024, "清河县", "QH002")
    assert a != template_id(LAYOUT, 2025, "清河县", "QH001")


@pytest.mark.parametrize("year", [2007, 2101])
def test_year_sanity(tmp_path: Path, year: int) -> None:
    with pytest.raises(UsageError, match="报告年度"):
        make_templates(TemplateRequest(year, tmp_path))
    assert not any(tmp_path.iterdir())


def test_out_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "x"
    f.write_text("")
    with pytest.raises(UsageError, match="不是文件夹"):
        write_templates(LAYOUT, 2024, f)


def test_cli_template(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "模板"
    r = runner.invoke(
        app,
        [
            "template",
            "--format",
            "gov-2019",
            "--year",
            "2024",
            "--roster",
            str(SAMPLE),
            "--county",
            "清河县",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "已为 12 个单位生成 2024 年度填报模板" in r.output
    assert PASSWORD_FILE in r.output and "下一步" in r.output
    assert len(list(out.glob("*.xlsx"))) == 12 and not (out / PASSWORD_FILE).exists()
    assert (out.parent / f"{out.name}_{PASSWORD_FILE}").is_file()
    assert len(list(out.iterdir())) == 12  # nothing but the templates in the folder sent out
    meta = dict(load(next(out.glob("*.xlsx")).read_bytes())[META_SHEET].iter_rows(values_only=True))
    assert meta["layout_id"] == "gov-2019"


def test_cli_errors_are_one_chinese_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_text("单位编码,名称\n1,甲\n", encoding="utf-8")
    for args, expected in [
        (["--year", "1999", "--out", str(tmp_path)], "报告年度 1999 不合理"),
        (["--year", "2024", "--out", str(tmp_path), "--roster", str(bad)], "缺少“单位名称”列"),
        (["--year", "2024", "--out", str(tmp_path), "--format", "nope"], "没有名为“nope”的布局"),
    ]:
        r = subprocess.run(
            [sys.executable, "-m", "xlreport", "template", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert r.returncode == 2, r
        assert expected in r.stdout + r.stderr
        assert "Traceback" not in r.stdout + r.stderr
