"""The front door (issue 10): usage errors in Chinese on stderr, every path accounted for."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import as_nobody
from cli_helpers import run_process as xlreport
from merge_helpers import PASSWORD, ident, valid_values

from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")
ROOT = Path(__file__).resolve().parent.parent
ENGLISH = re.compile(r"\b(Missing|Invalid|Usage|Error|Try|such|should|Show this|option)\b")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["merge", "a.xlsx"], "缺少选项 --out"),
        (["nosuch"], "没有命令 nosuch"),
        (["template", "--year", "abc", "--out", "x"], "选项 --year 的取值无效：应为整数"),
        (["check", "--year", "二〇二四", "a.xlsx"], "应为整数"),
        (["check"], "缺少参数"),
        (["merge", "a", "--ou", "b"], "没有选项 --ou"),
        (["merge", "a", "--out"], "选项 --out 后面缺少取值"),
        (["check", "--json=yes", "a"], "不接受取值"),
        (["formats", "extra"], "多余的参数"),
        ([], "请指定要运行的命令"),
    ],
)
def test_usage_errors_are_chinese_on_stderr(args: list[str], said: str) -> None:
    proc = xlreport(*args)
    assert proc.returncode == 2
    assert said in proc.stderr, proc.stderr
    assert not ENGLISH.search(proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr and "用法错误" not in proc.stdout


def test_help_is_chinese() -> None:
    for args in (["--help"], ["merge", "--help"], ["check", "--help"]):
        proc = xlreport(*args)
        assert proc.returncode == 0
        assert "显示此帮助并退出" in proc.stdout and "用法：" in proc.stdout
        for english in ("Show this message", "Usage:", "Options", "Arguments", "[required]"):
            assert english not in proc.stdout


def _returns(folder: Path, n: int = 3) -> None:
    rng = random.Random(5)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        data = build_workbook(
            L, ident(L, f"A{i}", f"单位{i}"), password=PASSWORD, values=dict(valid_values(L, rng))
        )
        (folder / f"单位{i}.xlsx").write_bytes(data)


def test_every_path_is_accounted_for_and_the_merge_goes_on(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    _returns(inbox)
    os.mkfifo(inbox / "管道.xlsx")
    (inbox / "环1.xlsx").symlink_to(inbox / "环2.xlsx")
    (inbox / "环2.xlsx").symlink_to(inbox / "环1.xlsx")
    (inbox / "已删除.xlsx").symlink_to(tmp_path / "不存在.xlsx")
    (inbox / "说明.csv").write_text("a,b\n", encoding="utf-8")
    missing = tmp_path / "没有这个文件.xlsx"
    out = tmp_path / "汇总.xlsx"
    proc = xlreport("merge", inbox, missing, "--out", out, "--json")
    import json

    doc = json.loads(proc.stdout)
    text = json.dumps(doc, ensure_ascii=False)
    assert out.is_file()  # the merge went on with the three returns
    assert proc.returncode == 1  # a summary written, some inputs left out
    for name in ("管道.xlsx", "环1.xlsx", "环2.xlsx", "已删除.xlsx", "说明.csv", "没有这个文件"):
        assert name in text, name
    check = xlreport("check", inbox, missing, "--json")
    found = json.loads(check.stdout)
    codes = {
        Path(f["path"]).name: f["findings"][0]["code"] for f in found["files"] if f["findings"]
    }
    assert codes["环1.xlsx"] == "link-broken" and codes["已删除.xlsx"] == "link-broken"
    assert codes["没有这个文件.xlsx"] == "file-not-found"
    skipped = {Path(s["path"]).name: s["reason"] for s in found["skipped"]}
    assert "管道" in skipped["管道.xlsx"] and "说明.csv" in skipped
    assert check.returncode == 2


def test_an_unreadable_path_named_does_not_abort(tmp_path: Path) -> None:
    """Run as ``nobody`` (root reads everything): a folder and a file it cannot read."""
    prefix, why = as_nobody()
    if prefix is None:
        pytest.skip(f"{why}: cannot make a path unreadable")
    import shutil
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="xlreport-perm-"))
    try:
        shared.chmod(0o755)
        _returns(shared / "in")
        for p in [shared / "in", *(shared / "in").iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        secret = shared / "机密"
        _returns(secret, 1)
        secret.chmod(0o700)
        sealed = shared / "in" / "单位0.xlsx"
        sealed.chmod(0o600)
        out = shared / "out"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "xlreport", "merge", str(shared / "in"),
             str(secret), str(sealed), "--out", str(out / "汇总.xlsx")],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
            env={**os.environ, "HOME": str(shared)},
        )  # fmt: skip
        assert "not readable" not in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        assert (out / "汇总.xlsx").is_file(), proc.stdout + proc.stderr  # went on
        assert "机密" in proc.stdout and "单位0.xlsx" in proc.stdout
        assert proc.returncode == 1  # a summary written, some inputs left out
    finally:
        shutil.rmtree(shared)


def test_deeply_nested_spec_is_a_layout_error(tmp_path: Path) -> None:
    spec = tmp_path / "深.toml"
    spec.write_text("id = 'x'\nversion = 1\nname = 'x'\nsheets = " + "[" * 3000 + "]" * 3000)
    for cmd in (["check", tmp_path], ["template", "--year", "2024", "--out", tmp_path / "o"]):
        proc = xlreport(*cmd, "--spec", spec)
        assert proc.returncode == 2
        assert "布局文件" in proc.stderr and "嵌套" in proc.stderr, proc.stderr
        assert "RecursionError" not in proc.stderr and "Traceback" not in proc.stderr


def test_layout_error_is_an_xlreport_error_and_exits_2(tmp_path: Path) -> None:
    """A layout file with a mistake (here a total naming no cell) is refused by every
    command as one Chinese line on stderr, exit status 2, nothing on stdout."""
    from xlreport.errors import XlreportError
    from xlreport.spec import LayoutError, templates_dir

    assert issubclass(LayoutError, XlreportError)
    src = (templates_dir() / "gov-2021.toml").read_text(encoding="utf-8")
    spec = tmp_path / "本县格式.toml"
    spec.write_text(src + '\n[[totals]]\ncell = "s9.nope.x"\nsum = "s9.nope.y"\n', encoding="utf-8")
    (tmp_path / "in").mkdir()
    for cmd in (
        ["check", tmp_path / "in"],
        ["template", "--year", "2024", "--out", tmp_path / "o"],
        ["merge", tmp_path / "in", "--out", tmp_path / "汇总.xlsx"],
    ):
        proc = xlreport(*cmd, "--spec", spec)
        assert proc.returncode == 2, (cmd, proc.stdout, proc.stderr)
        assert "布局文件 本县格式.toml 有误" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stdout == "", proc.stdout
