"""Finding the files to check: the paths named, and every file under a named folder.

Every file under a folder is accounted for: checked, or skipped with the reason (an Excel
lock file ``~$…``, a hidden file, a file that is not a spreadsheet at all), or listed with
why it cannot be read (a folder that cannot be listed, a broken link, a name whose bytes
are no text: a Windows zip's Chinese names unpacked elsewhere).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from xlreport.codes import FindingCode
from xlreport.reader.sniff import SPREADSHEET_SUFFIXES
from xlreport.safetext import likely_name, printable, undecodable

#: Files under a folder with SPREADSHEET_SUFFIXES are checked (the reader explains why an
#: .xls, .et, .xlsm … cannot be used); anything else there is skipped as "not a workbook". A
#: file named on the command line is always checked, whatever its suffix.
LOCK_PREFIX = "~$"
_WIN_HIDDEN = 0x2


@dataclass(frozen=True, slots=True)
class FoundFile:
    #: The path as text (an inbox of 100,000 files: no path object each, see ``path``).
    source: str
    shown: str  # as the user will recognise it: the argument, or folder / relative path
    skip: str = ""  # why it is not checked ("" when it is)
    problem: str = ""  # why it cannot be read at all: a finding message ("" when it can)
    code: FindingCode = "file-unreadable"  # the finding code of ``problem``

    @property
    def path(self) -> Path:
        return Path(self.source)

    @property
    def to_check(self) -> bool:
        return not self.skip and not self.problem


def _hidden(parts: Sequence[str], st: os.stat_result) -> bool:
    if any(p.startswith(".") for p in parts):
        return True
    return bool(getattr(st, "st_file_attributes", 0) & _WIN_HIDDEN)


def _skip_reason(path: Path, parts: Sequence[str], st: os.stat_result, *, named: bool) -> str:
    if path.name.startswith(LOCK_PREFIX):
        return "Excel/WPS 打开文件时生成的临时锁定文件（~$ 开头），不是报表"
    if named:
        return ""
    if _hidden(parts, st):
        return "隐藏文件"
    if not stat.S_ISREG(st.st_mode):
        return "指向文件夹的链接（不跟随）" if stat.S_ISDIR(st.st_mode) else _special(st)
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        return "不是 Excel 工作簿"
    return ""


def _special(st: os.stat_result) -> str:
    kind = "管道" if stat.S_ISFIFO(st.st_mode) else "设备或套接字"
    return f"不是普通文件（{kind}），未打开"


def file_key(path: str | Path, st: os.stat_result) -> object:
    """What makes two paths the same file: device and inode where the system gives them
    (a stat, no walk of the path), else the path with every link resolved."""
    if st.st_ino and os.name != "nt":  # Windows: a directory listing's stat has no inode
        return (st.st_dev, st.st_ino)
    return os.path.realpath(path)


def _problem(path: Path, shown: str, code: FindingCode, message: str) -> FoundFile:
    return FoundFile(str(path), shown, problem=message, code=code)


def _unlistable(folder: str, e: OSError) -> FoundFile:
    return _problem(
        Path(folder),
        folder,
        "folder-unreadable",
        f"无法读取文件夹 {printable(folder)}（{e.strerror or e}），其中的文件未校验。",
    )


def _broken_link(path: Path, shown: str, e: OSError) -> FoundFile:
    loop = e.errno == errno.ELOOP
    what = "链接循环指向自身" if loop else "链接指向的文件不存在"
    return _problem(path, shown, "link-broken", f"{printable(shown)}：{what}，无法读取。")


def _bad_name(path: str, shown: str) -> FoundFile:
    """A file or folder whose name is not text (see :func:`~xlreport.safetext.undecodable`):
    listed with the name as it was probably meant, never opened (a folder: not entered)."""
    name = os.path.basename(path.rstrip(os.sep)) or path
    return _problem(
        Path(path),
        printable(shown),
        "file-name-undecodable",
        f"{printable(shown)}：名称的编码无法识别（可能是“{likely_name(name)}”），未打开；"
        "请改名后重新运行。",
    )


def _walk(top: Path) -> Iterator[tuple[FoundFile, object | None]]:
    """Every entry under ``top``, each accounted for: files (links to files followed, links
    to folders not, as ``Path.rglob`` does) with their :func:`file_key` and skip reason,
    and what cannot be read (a folder that cannot be listed, a broken link) with the
    reason (and no key)."""
    pending: list[tuple[str, tuple[str, ...]]] = [(str(top), ())]
    seen: set[object] = set()  # folders listed (a Windows junction can lead back up)
    while pending:
        folder, rel = pending.pop()
        try:
            key = file_key(folder, os.stat(folder))
            if key in seen:
                continue
            seen.add(key)
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            yield _unlistable(folder, e), None
            continue
        entries.reverse()
        while entries:  # each listing entry let go once used (a folder of 100,000 files)
            entry = entries.pop()
            parts = (*rel, entry.name)
            if undecodable(entry.name):
                yield _bad_name(entry.path, entry.path), None
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, parts))
                    continue
                st = entry.stat()
            except FileNotFoundError:
                if os.path.islink(entry.path):
                    yield _broken_link(path, entry.path, FileNotFoundError()), None
                continue  # gone since the listing
            except OSError as e:
                yield _broken_link(path, entry.path, e), None
                continue
            text = str(path)
            shown = text if text == entry.path else entry.path  # one text when they agree
            found = FoundFile(text, shown, _skip_reason(path, parts, st, named=False))
            yield found, file_key(text, st)


def _named(p: Path, arg: str) -> tuple[FoundFile, os.stat_result | None]:
    """A path named on the command line that is not a folder: checked, or why not."""
    if undecodable(arg):
        return _bad_name(arg, arg), None
    try:
        st = p.stat()
    except OSError as e:
        if os.path.islink(p):
            return _broken_link(p, arg, e), None
        return _problem(
            p, arg, "file-not-found", f"找不到文件或文件夹：{printable(arg)}，请检查路径是否正确。"
        ), None
    if not stat.S_ISREG(st.st_mode):
        return _problem(p, arg, "file-not-regular", f"{printable(arg)}：{_special(st)}。"), st
    return FoundFile(str(p), arg, _skip_reason(p, (), st, named=True)), st


def discover(paths: Iterable[str | Path]) -> list[FoundFile]:
    """Every path named or found under a named folder, once (the first time it is found,
    folders in path order), sorted by the path shown; what cannot be read is listed too,
    with its reason (``problem``), never silently left out."""
    found: dict[object, FoundFile] = {}
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for f, key in sorted(_walk(p), key=lambda t: t[0].source):
                found.setdefault(key if key is not None else ("?", f.shown), f)
        else:
            f, st = _named(p, str(arg))
            found.setdefault(file_key(p, st) if st else ("?", f.shown), f)
    return sorted(found.values(), key=lambda f: f.shown)
