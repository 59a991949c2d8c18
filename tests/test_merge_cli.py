"""``xlreport merge`` on the command line: exit statuses, Chinese output, --json, --export."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from cli_helpers import invoke
from merge_helpers import PASSWORD, ident, valid_values

from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return invoke(["merge", *argv])


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    rng = random.Random(9)
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    for i in range(3):
        data = build_workbook(
            L, ident(L, f"A{i}", f"单位{i}"), password=PASSWORD, values=dict(valid_values(L, rng))
        )
        (folder / f"单位{i}.xlsx").write_bytes(data)
    (tmp_path / "名单.csv").write_text(
        "单位编码,单位名称\nA0,单位0\nA1,单位1\nA2,单位2\nA9,从未报送局\n", encoding="utf-8"
    )
    return folder


def test_clean_merge_exits_0_and_says_what_happened(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "汇总.xlsx"
    code, text, _err = run([str(inbox), "--out", str(out), "--name", "某某县"], capsys)
    assert code == 0, text
    assert out.is_file()
    assert "汇总完成：某某县" in text and "计入 3 份" in text
    assert str(out) in text and "下一步" in text


def test_roster_lists_the_missing_agency(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(inbox), "--out", str(tmp_path / "s.xlsx"), "--roster", str(tmp_path / "名单.csv")]
    code, text, _err = run(argv, capsys)
    # issue 10: an agency of the roster missing is no complete merge: exit 1, said so
    assert code == 1
    assert "未报送（1/4）：从未报送局（A9）" in text
    assert "汇总不完整" in text and "--allow-missing" in text
    code, text, _err = run([*argv, "--allow-missing"], capsys)
    assert code == 0
    assert "未报送（1/4）：从未报送局（A9）" in text and "部分汇总" in text


def test_a_file_left_out_exits_1(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inbox / "坏文件.xlsx").write_bytes(b"not a workbook")
    code, text, _err = run([str(inbox), "--out", str(tmp_path / "s.xlsx")], capsys)
    assert code == 1
    assert "未计入汇总（1）" in text and "坏文件.xlsx" in text
    assert (tmp_path / "s.xlsx").is_file()  # the summary is still written


def test_nothing_to_merge_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"junk")
    code, text, _err = run([str(tmp_path / "a.xlsx"), "--out", str(tmp_path / "s.xlsx")], capsys)
    assert code == 2 and "没有可以汇总的报表" in text
    assert not (tmp_path / "s.xlsx").exists()


@pytest.mark.parametrize(
    "extra",
    [["--export", "x.txt"], ["--year", "99"], ["--format", "no-such-layout"]],
)
def test_wrong_arguments_exit_2(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    code, _out, err = run([str(inbox), "--out", str(tmp_path / "s.xlsx"), *extra], capsys)
    assert code == 2 and "错误" in err  # errors on stderr
    assert not (tmp_path / "s.xlsx").exists()


def test_missing_path_and_bad_out_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a path that does not exist is listed with its reason (no abort, nothing to merge)
    code, text, _ = run([str(tmp_path / "nope"), "--out", str(tmp_path / "s.xlsx")], capsys)
    assert code == 2 and "找不到" in text and "nope" in text
    assert not (tmp_path / "s.xlsx").exists()
    code, _, err = run([str(tmp_path), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 2 and ".xlsx" in err


def test_json_output_and_export(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(inbox), "--out", str(tmp_path / "s.xlsx"), "--json", "--year", "2024"]
    argv += ["--export", str(tmp_path / "long.json"), "--format", "gov-2021"]
    code, text, err = run(argv, capsys)
    assert code == 0
    doc = json.loads(text)
    assert doc["counts"]["merged"] == 3 and doc["exit_code"] == 0
    assert doc["summary"]["written"] and doc["summary"]["layout"] == "gov-2021"
    assert [f["status"] for f in doc["files"]] == ["merged"] * 3
    assert "正在校验" not in err
    rows = json.loads((tmp_path / "long.json").read_text(encoding="utf-8"))
    assert len(rows) == 4 * len(L.cells)


def test_many_files_with_progress_display(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(4)
    for i in range(22):
        data = build_workbook(
            L, ident(L, f"P{i:02d}"), password=PASSWORD, values=dict(valid_values(L, rng))
        )
        (tmp_path / f"{i}.xlsx").write_bytes(data)
    code, text, _err = run([str(tmp_path), "--out", str(tmp_path / "out" / "s.xlsx")], capsys)
    assert code == 0 and "计入 22 份" in text


def test_prefer_must_name_an_input(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = tmp_path / "别处.xlsx"
    stray.write_bytes((inbox / "单位0.xlsx").read_bytes())
    argv = [str(inbox), "--out", str(tmp_path / "s.xlsx"), "--prefer", str(stray)]
    code, text, err = run(argv, capsys)
    said = text + err
    assert code == 2 and "--prefer 给出的文件" in said and "不在本次汇总的输入中" in said
    assert not (tmp_path / "s.xlsx").exists()
