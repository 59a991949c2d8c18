"""Outputs never destroy inputs (issue 10): every command that writes checks where first.

Each case is built for real (returns made by the project's writer, the command run as a
subprocess) and asserts that the input, the roster or the stranger's file is untouched.
"""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import as_nobody
from merge_helpers import PASSWORD, ident, valid_values

from xlreport.errors import UsageError
from xlreport.mapped_view import MappedView
from xlreport.outputs import refuse_existing
from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")
ROOT = Path(__file__).resolve().parent.parent


def xlreport(*args: str | Path, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "xlreport", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        preexec_fn=set_umask,
    )


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    rng = random.Random(4)
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    for i in range(3):
        data = build_workbook(
            L, ident(L, f"A{i}", f"单位{i}"), password=PASSWORD, values=dict(valid_values(L, rng))
        )
        (folder / f"单位{i}.xlsx").write_bytes(data)
    (tmp_path / "名单.csv").write_text(
        "单位编码,单位名称\nA0,单位0\nA1,单位1\nA2,单位2\n", encoding="utf-8"
    )
    return folder


def _one_line_refusal(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


def test_merge_out_onto_an_input_is_refused(inbox: Path) -> None:
    victim = inbox / "单位1.xlsx"
    before = victim.read_bytes()
    proc = xlreport("merge", inbox, "--out", victim)
    _one_line_refusal(proc, "单位1.xlsx", "要读取的报表之一")
    assert victim.read_bytes() == before
    # also by another spelling (a link to it, a hard link), and with --force
    (inbox.parent / "link.xlsx").symlink_to(victim)
    os.link(victim, inbox.parent / "hard.xlsx")
    for other in ("link.xlsx", "hard.xlsx"):
        proc = xlreport("merge", inbox, "--out", inbox.parent / other, "--force")
        _one_line_refusal(proc, "要读取的报表之一")
    # named explicitly on the command line, outside the folder
    proc = xlreport("merge", victim, inbox / "单位0.xlsx", "--out", victim, "--force")
    _one_line_refusal(proc, "要读取的报表之一")
    assert victim.read_bytes() == before


def test_merge_out_or_export_onto_the_roster_is_refused(inbox: Path) -> None:
    roster = inbox.parent / "名单.csv"
    before = roster.read_bytes()
    out = inbox.parent / "汇总.xlsx"
    proc = xlreport("merge", inbox, "--out", out, "--roster", roster, "--export", roster)
    _one_line_refusal(proc, "单位名单")
    assert roster.read_bytes() == before and not out.exists()
    # the roster as an .xlsx, given as --out
    xroster = inbox.parent / "名单.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (("单位编码", "单位名称"), ("A0", "单位0"), ("A1", "单位1"), ("A2", "单位2")):
        ws.append(row)
    wb.save(xroster)
    before = xroster.read_bytes()
    proc = xlreport("merge", inbox, "--out", xroster, "--roster", xroster, "--force")
    _one_line_refusal(proc, "单位名单")
    assert xroster.read_bytes() == before


def test_merge_replaces_its_own_earlier_outputs_but_not_a_strangers_file(inbox: Path) -> None:
    out = inbox.parent / "汇总.xlsx"
    export = inbox.parent / "长表.csv"
    first = xlreport("merge", inbox, "--out", out, "--export", export)
    assert first.returncode == 0, first.stdout + first.stderr
    again = xlreport("merge", inbox, "--out", out, "--export", export)  # ours: replaced
    assert again.returncode == 0, again.stdout + again.stderr
    # the summary kept inside the inbox: found there, left out, replaced on a re-run
    inside = inbox / "汇总.xlsx"
    assert xlreport("merge", inbox, "--out", inside).returncode == 0
    assert xlreport("merge", inbox, "--out", inside).returncode == 0
    inside.unlink()
    # a file that is not ours: refused, then replaced with --force
    notes = inbox.parent / "工作记录.xlsx"
    notes.write_bytes(build_workbook(L, ident(L, "Z9"), password=PASSWORD))  # a return
    text = inbox.parent / "说明.csv"
    text.write_text("我的笔记\n", encoding="utf-8")
    proc = xlreport("merge", inbox, "--out", notes)
    _one_line_refusal(proc, "已存在", "--force")
    proc = xlreport("merge", inbox, "--out", out, "--export", text)
    _one_line_refusal(proc, "已存在", "不是 xlreport 之前生成的长表数据")
    assert text.read_text(encoding="utf-8") == "我的笔记\n"
    forced = xlreport("merge", inbox, "--out", notes, "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr


def test_template_never_writes_over_existing_files(inbox: Path, tmp_path: Path) -> None:
    roster = tmp_path / "名单.csv"
    folder = tmp_path / "模板"
    made = xlreport("template", "--year", 2024, "--out", folder, "--roster", roster)
    assert made.returncode == 0, made.stdout + made.stderr
    filled = sorted(folder.glob("*.xlsx"))
    assert len(filled) == 3
    # an agency's filled return kept the template's name and lies in that folder
    filled[0].write_bytes((inbox / "单位0.xlsx").read_bytes())
    before = {p: p.read_bytes() for p in filled}
    proc = xlreport("template", "--year", 2024, "--out", folder, "--roster", roster)
    _one_line_refusal(proc, "要生成的模板文件已存在", filled[0].name, "--force")
    assert {p: p.read_bytes() for p in filled} == before
    forced = xlreport("template", "--year", 2024, "--out", folder, "--roster", roster, "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr


@pytest.mark.parametrize("case", ["parent-is-file", "out-is-folder", "export-is-folder"])
def test_impossible_outputs_are_one_chinese_line_before_any_work(inbox: Path, case: str) -> None:
    a_file = inbox.parent / "普通文件.txt"
    a_file.write_text("x", encoding="utf-8")
    out, export = inbox.parent / "汇总.xlsx", None
    if case == "parent-is-file":
        out = a_file / "子文件夹" / "汇总.xlsx"
    elif case == "out-is-folder":
        out = inbox.parent / "一个文件夹.xlsx"
        out.mkdir()
    else:
        export = inbox.parent / "导出.csv"
        export.mkdir()
    args: list[str | Path] = ["merge", inbox, "--out", out]
    if export is not None:
        args += ["--export", export]
    proc = xlreport(*args)
    _one_line_refusal(proc, "无法保存")
    assert len(proc.stderr.strip().splitlines()) <= 2  # the line and its hint
    assert proc.stdout == ""  # refused before any file was checked


def test_template_into_a_path_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    proc = xlreport("template", "--year", 2024, "--out", tmp_path / "f" / "模板")
    _one_line_refusal(proc, "无法保存", "是一个文件")


def _nobody() -> list[str] | None:
    """A command prefix that runs as ``nobody`` (root ignores permissions), if possible."""
    return as_nobody()[0]


def test_unwritable_output_folder_as_another_user(inbox: Path, tmp_path: Path) -> None:
    prefix = _nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv: cannot make a folder unwritable")
    # a world-readable place outside pytest's private tmp tree
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="xlreport-perm-"))
    try:
        shared.chmod(0o755)
        (shared / "in").mkdir()
        for p in inbox.iterdir():
            (shared / "in" / p.name).write_bytes(p.read_bytes())
        (shared / "in").chmod(0o755)
        for p in (shared / "in").iterdir():
            p.chmod(0o644)
        locked = shared / "只读"
        locked.mkdir(mode=0o555)
        locked.chmod(0o555)
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "xlreport", "merge", str(shared / "in"),
             "--out", str(locked / "汇总.xlsx")],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
            env={**os.environ, "HOME": str(shared)},
        )  # fmt: skip
        _one_line_refusal(proc, "无法保存", "不能写入")
        assert proc.stdout == ""
    finally:
        import shutil

        shutil.rmtree(shared)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_follow_the_umask(inbox: Path, umask: int) -> None:
    out = inbox.parent / "汇总.xlsx"
    export = inbox.parent / "长表.csv"
    proc = xlreport("merge", inbox, "--out", out, "--export", export, umask=umask)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for p in (out, export):
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask


def test_annotate_never_writes_over_an_input_or_a_strangers_file(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    inbox.mkdir()
    values: dict[str, Decimal | str] = dict(valid_values(L, random.Random(2)))
    values["s3.new.natural"] = "12件"  # typed units: an error to annotate
    bad = build_workbook(L, ident(L, "B1", "单位B"), password=PASSWORD, values=values)
    (inbox / "r1.xlsx").write_bytes(bad)
    # a file in the folder with the very name a copy would get: the agency's own
    theirs = inbox / "退回修改_单位B_第1轮.xlsx"
    theirs.write_bytes(bad)
    before = theirs.read_bytes()
    out = tmp_path / "退回"
    first = xlreport("check", inbox, "--annotate", out)
    assert first.returncode == 1, first.stdout + first.stderr
    copies = sorted(p.name for p in out.iterdir())
    assert copies == ["退回修改_单位B_第1轮.xlsx", "退回修改_单位B_第1轮_2.xlsx"]
    again = xlreport("check", inbox, "--annotate", out)  # earlier copies: replaced
    assert again.returncode == 1 and sorted(p.name for p in out.iterdir()) == copies
    # into the inbox itself: the file already there is not ours, so a new name is used
    xlreport("check", inbox / "r1.xlsx", "--annotate", inbox)
    assert theirs.read_bytes() == before
    assert (inbox / "退回修改_单位B_第1轮_2.xlsx").is_file()
    # a stranger's file where a copy would go, in the output folder
    (out / "退回修改_单位B_第1轮.xlsx").write_bytes(b"my notes")
    xlreport("check", inbox / "r1.xlsx", "--annotate", out)
    assert (out / "退回修改_单位B_第1轮.xlsx").read_bytes() == b"my notes"
    # an --annotate folder that cannot exist: one line, before any check
    (tmp_path / "f").write_text("x", encoding="utf-8")
    proc = xlreport("check", inbox, "--annotate", tmp_path / "f" / "sub")
    _one_line_refusal(proc, "无法保存", "是一个文件")
    assert proc.stdout == ""


def test_templates_follow_the_umask_and_the_password_stays_private(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    proc = xlreport("template", "--year", 2024, "--out", folder, umask=0o022)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [made] = folder.iterdir()
    assert stat.S_IMODE(made.stat().st_mode) == 0o644
    secret = tmp_path / "模板_模板保护密码（请勿发给填报单位）.txt"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_existing_outputs_are_named_ten_at_most_and_counted(tmp_path: Path) -> None:
    names = [f"模板{i:02d}.xlsx" for i in range(12)]
    files = MappedView(names, tmp_path.joinpath)
    refuse_existing(files, "模板文件", force=False)  # none there yet
    for p in files[:11]:
        p.write_bytes(b"x")
    assert [p.name for p in files[10:]] == names[10:] and files[3] == tmp_path / names[3]
    refuse_existing(iter(files), "模板文件", force=True)
    with pytest.raises(UsageError) as e:
        refuse_existing(iter(files), "模板文件", force=False)  # a one-pass iterable is enough
    assert "、".join(names[:10]) + " 等 11 个" in str(e.value)
    assert names[10] not in str(e.value)
