"""Where a command may write: the one rule every command that writes a file goes through.

An output never destroys an input. Before any long work starts, each output path is
checked, and a refusal is one Chinese line (exit 2), nothing written:

- it is a folder, or a folder on its way is a file, or the folder it goes in cannot be
  written to;
- it is the same file (device and inode, whatever the spelling or link) as an input of
  the command, or as the roster: refused always;
- it already exists and is not an earlier output of the same kind (recognised by its
  content: ``is_ours``): refused unless ``force``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from xlreport.errors import UsageError
from xlreport.safetext import printable

FORCE_HINT = "请换一个保存位置；确认可以替换时加 --force"


def _shown(path: Path) -> str:
    return printable(str(path))


def same_file_key(path: str | Path) -> tuple[int, int] | None:
    """Device and inode of the file ``path`` leads to (links followed); None if none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def _existing_ancestor(path: Path) -> Path:
    """The nearest folder above ``path`` that exists (or the first thing in the way)."""
    p = path.absolute().parent
    while not os.path.lexists(p) and p != p.parent:
        p = p.parent
    return p


def check_folder_writable(folder: Path, what: str) -> None:
    """``folder`` (to be created if missing) can receive files: one Chinese line if not."""
    anc = folder.absolute()
    while not os.path.lexists(anc) and anc != anc.parent:
        anc = anc.parent
    if os.path.lexists(anc) and not anc.is_dir():
        raise UsageError(
            f"无法保存{what}：{_shown(anc)} 是一个文件，不是文件夹",
            "请换一个保存位置",
        )
    try:  # the only honest test (permissions, read-only disks, ACLs): try it
        with tempfile.TemporaryFile(prefix=".~xlreport-probe-", dir=anc):
            pass
    except OSError as e:
        raise UsageError(
            f"无法保存{what}：文件夹 {_shown(anc)} 不能写入（{e.strerror or e}）",
            "请检查文件夹的写入权限，或换一个保存位置",
        ) from None


def check_output(
    path: Path,
    what: str,
    *,
    inputs: Iterable[str | Path] = (),
    roster: str | Path | None = None,
    is_ours: Callable[[Path], bool] | None = None,
    kind: str = "",
    force: bool = False,
) -> None:
    """Refuse (UsageError) to write ``path`` when that would destroy something.

    ``what``: the output as the user names it (``汇总表（--out）``); ``inputs``: every file
    the command reads; ``is_ours``: whether an existing file is an earlier output of this
    command (``kind`` words it: 汇总表, 长表数据 …).
    """
    if path.is_dir():
        raise UsageError(
            f"无法保存{what}：{_shown(path)} 是一个文件夹", "请给出文件名，例如 文件夹/汇总表.xlsx"
        )
    parent = _existing_ancestor(path)
    if os.path.lexists(parent) and not parent.is_dir():
        raise UsageError(
            f"无法保存{what}：{_shown(parent)} 是一个文件，不是文件夹", "请换一个保存位置"
        )
    key = same_file_key(path)
    if key is not None:
        if roster is not None and same_file_key(roster) == key:
            raise UsageError(
                f"{what} {_shown(path)} 就是单位名单文件，写入会覆盖名单；未写入任何文件",
                "请换一个保存位置",
            )
        if any(same_file_key(p) == key for p in inputs):
            raise UsageError(
                f"{what} {_shown(path)} 是本次要读取的报表之一，写入会覆盖它；未写入任何文件",
                "请把输出保存到别处（例如收件文件夹之外）",
            )
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"无法保存{what}：{_shown(path)} 不是普通文件", "请换一个保存位置")
        if not force and not (is_ours is not None and is_ours(path)):
            theirs = f"不是 xlreport 之前生成的{kind}" if kind else "不是 xlreport 生成的文件"
            raise UsageError(
                f"{what} {_shown(path)} 已存在，且{theirs}；为免覆盖，未写入任何文件",
                FORCE_HINT,
            )
    check_folder_writable(path.parent, what)


def refuse_roster(paths: Iterable[Path], roster: str | Path, what: str) -> None:
    """None of ``paths`` is the roster file (whatever ``--force`` says)."""
    key = same_file_key(roster)
    hit = next((p for p in paths if key is not None and same_file_key(p) == key), None)
    if hit is not None:
        raise UsageError(
            f"{what} {_shown(hit)} 就是单位名单文件，写入会覆盖名单；未写入任何文件",
            "请换一个保存位置",
        )


def refuse_existing(paths: Iterable[Path], what: str, *, force: bool, limit: int = 10) -> None:
    """Files a command would create that exist already: refused unless ``force`` (the
    first ``limit`` named). ``paths`` is gone through once."""
    if force:
        return
    there = [p for p in paths if os.path.lexists(p)]
    if not there:
        return
    shown = "、".join(p.name for p in there[:limit])
    shown += f" 等 {len(there)} 个" if len(there) > limit else ""
    raise UsageError(
        f"要生成的{what}已存在：{printable(shown)}；为免覆盖，未写入任何文件",
        "请换一个空文件夹；确认可以替换时加 --force",
    )
