"""Command-line conventions (issue 11): --version, results on stdout and errors on stderr,
no hard wrapping when piped, `formats` within 80 columns, help all in Chinese."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

from check_helpers import YEAR, build, ident, layout_of, real_inputs
from rich.cells import cell_len

import xlreport

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = layout_of()


def xlreport_piped(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m xlreport ARGS`` with stdout and stderr piped and COLUMNS unset (as in
    ``xlreport check … > out.txt``), importing this checkout's package."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    base.update(PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "xlreport", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=base,
        timeout=120,
        check=False,
    )


def test_version_comes_from_the_package_metadata(tmp_path: Path) -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    written = pyproject["project"]["version"]
    assert importlib.metadata.version("xlreport") == written == xlreport.__version__
    proc = xlreport_piped("--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"xlreport {written}\n" and proc.stderr == ""


def test_a_missing_file_is_an_error_on_stderr_and_stdout_keeps_the_results(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "没有这个文件.xlsx"
    proc = xlreport_piped("check", missing, cwd=tmp_path)
    assert proc.returncode == 2
    # stderr: the error itself, with what to do
    assert "找不到文件或文件夹" in proc.stderr and str(missing) in proc.stderr
    assert "检查路径是否写对" in proc.stderr
    # stdout (what `2>/dev/null` leaves): the results only, the error not repeated
    assert "找不到文件或文件夹" not in proc.stdout and "检查路径" not in proc.stdout
    assert "校验汇总" in proc.stdout and "无法读取 1" in proc.stdout
    # a readable file's findings are results: on stdout, not stderr
    bad: dict[str, Decimal | str] = dict(real_inputs(LAYOUT, "suqian_city_2023"))
    bad["s3.partial.commercial"] += 1  # a rule no longer holds
    (tmp_path / "错.xlsx").write_bytes(build(LAYOUT, bad))
    proc = xlreport_piped("check", tmp_path / "错.xlsx", "--year", str(YEAR), cwd=tmp_path)
    assert proc.returncode == 1
    assert "H2" in proc.stdout and "有错误" in proc.stdout
    assert proc.stderr == ""


def test_piped_output_is_not_wrapped(tmp_path: Path) -> None:
    """COLUMNS unset and stdout a pipe: rich would wrap at 80 columns (and cut a rule's
    title short); every message and every file's heading stays one whole line."""
    folder = (
        tmp_path / "二〇二三年度政府信息公开工作年度报告统计表收件箱" / "各乡镇人民政府和县直部门"
    )
    folder.mkdir(parents=True)
    name = "清河县人民政府办公室（县政务公开领导小组办公室、县政务服务和大数据管理局）"
    text = "共十二件，其中依申请公开八件、主动公开四件（详见附表说明，未填数字）"
    values: dict[str, Decimal | str] = dict(real_inputs(LAYOUT, "suqian_city_2023"))
    values["s3.open.natural"] = text
    path = folder / f"{name}.xlsx"
    path.write_bytes(build(LAYOUT, values, ident(LAYOUT, name=name)))
    proc = xlreport_piped("check", path, "--year", str(YEAR), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    heading = [line for line in lines if str(path) in line]
    assert len(heading) == 1 and name in heading[0] and "有错误" in heading[0]
    found = json.loads(xlreport_piped("check", path, "--json", cwd=tmp_path).stdout)
    messages = [f["message"] for f in found["files"][0]["findings"] if text in f["message"]]
    assert messages and all(cell_len(m) > 80 for m in messages)
    for message in messages:
        assert any(message in line for line in lines), (message, proc.stdout)
    # the missing file's error on stderr: one line however long its path
    missing = folder / f"{name}（第二版）.xlsx"
    proc = xlreport_piped("check", missing, cwd=tmp_path)
    said = [line for line in proc.stderr.splitlines() if "找不到文件或文件夹" in line]
    assert len(said) == 1 and str(missing) in said[0] and cell_len(said[0]) > 80


def test_formats_fits_80_columns_whole(tmp_path: Path) -> None:
    from xlreport.spec import builtin_layouts

    proc = xlreport_piped("formats", cwd=tmp_path, COLUMNS="80")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, proc.stdout
    for lid, layout in builtin_layouts().items():
        # nothing cut short: every id, name and fingerprint whole on its line
        assert any(line.startswith(lid) for line in lines)
        assert any(layout.name in line for line in lines)
        assert any(layout.fingerprint in line for line in lines)
    assert "…" not in proc.stdout
    assert any(line.startswith("gov-2021（默认）") for line in lines)


def test_every_help_screen_is_chinese(tmp_path: Path) -> None:
    from xlreport.cli import app

    commands = [c.name for c in app.registered_commands]
    assert {"template", "check", "merge", "formats", "demo"} <= set(commands)
    for args in ([], *([c] for c in commands)):
        proc = xlreport_piped(*args, "--help", cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "显示此帮助并退出" in proc.stdout and "用法：" in proc.stdout, args
        for english in (
            "Show this message and exit",
            "Usage:",
            "Options",
            "Arguments",
            "[OPTIONS]",
            "COMMAND [ARGS]",
        ):
            assert english not in proc.stdout, (args, english)
        # typer's type placeholders (<str>, <path>, <list[Path]>, <bool>) are Chinese or gone
        assert re.findall(r"<[^>]*[A-Za-z][^>]*>", proc.stdout) == [], args
        assert "{paths}" not in proc.stdout, args
    merge_help = xlreport_piped("merge", "--help", cwd=tmp_path).stdout
    assert "<路径>…" in merge_help and "<整数>" in merge_help and "<文字>" in merge_help
    assert "显示版本号并退出" in xlreport_piped("--help", cwd=tmp_path).stdout
