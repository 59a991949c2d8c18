"""Checking files: one path, or many (folders searched recursively) on every core.

Every file under a folder is accounted for: checked, or skipped with the reason (an Excel
lock file ``~$…``, a hidden file, a file that is not a spreadsheet at all).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path

from xlreport.checks.catalogue import finding, known_code
from xlreport.checks.compact import CompactValues
from xlreport.checks.model import CheckedFile, CheckOptions
from xlreport.checks.pool import check_not_stopped, new_flag, sigint_held, start_worker, stop
from xlreport.checks.wire import Keep, Unpacker, ValuesOf, Wire, pack
from xlreport.checks.workbook_check import check_workbook, unreadable_file
from xlreport.codes import FindingCode
from xlreport.errors import UnreadableFileError
from xlreport.findings import FileReport
from xlreport.identity import SUMMARY_SHEETS
from xlreport.reader import read_xlsx
from xlreport.safetext import printable

#: Files under a folder with these suffixes are checked (the reader explains why an .xls,
#: .et, .xlsm … cannot be used); anything else there is skipped as "not a workbook". A
#: file named on the command line is always checked, whatever its suffix.
SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xlsb", ".xltx", ".xltm", ".xls", ".xlt", ".et", ".ett", ".ods"}
)
LOCK_PREFIX = "~$"
#: From this many files on, files are read in a process pool.
PARALLEL_FROM = 8
_WIN_HIDDEN = 0x2


@dataclass(frozen=True)
class FoundFile:
    path: Path
    shown: str  # as the user will recognise it: the argument, or folder / relative path
    skip: str = ""  # why it is not checked ("" when it is)
    problem: str = ""  # why it cannot be read at all: a finding message ("" when it can)
    code: FindingCode = "file-unreadable"  # the finding code of ``problem``

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
    return FoundFile(path, shown, problem=message, code=code)


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


def _walk(top: Path) -> Iterator[tuple[FoundFile, os.stat_result | None]]:
    """Every entry under ``top``, each accounted for: files (links to files followed, links
    to folders not, as ``Path.rglob`` does) with their stat and skip reason, and what
    cannot be read (a folder that cannot be listed, a broken link) with the reason."""
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
        for entry in entries:
            parts = (*rel, entry.name)
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
            yield FoundFile(path, entry.path, _skip_reason(path, parts, st, named=False)), st


def _named(p: Path, arg: str) -> tuple[FoundFile, os.stat_result | None]:
    """A path named on the command line that is not a folder: checked, or why not."""
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
    return FoundFile(p, arg, _skip_reason(p, (), st, named=True)), st


def discover(paths: Iterable[str | Path]) -> list[FoundFile]:
    """Every path named or found under a named folder, once (the first time it is found,
    folders in path order), sorted by the path shown; what cannot be read is listed too,
    with its reason (``problem``), never silently left out."""
    found: dict[object, FoundFile] = {}
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for f, st in sorted(_walk(p), key=lambda t: str(t[0].path)):
                found.setdefault(file_key(f.path, st) if st else ("?", f.shown), f)
        else:
            f, st = _named(p, str(arg))
            found.setdefault(file_key(p, st) if st else ("?", f.shown), f)
    return sorted(found.values(), key=lambda f: f.shown)


def cells_checked(sheet_name: str) -> bool:
    """Whether a sheet's cells are read: not those of a summary's own listings (概览,
    分单位明细, …), which a city's or province's summary fills with thousands of rows."""
    return sheet_name not in SUMMARY_SHEETS


def check_file(path: str | Path, options: CheckOptions) -> CheckedFile:
    """Read and check one file; an unreadable file is a report saying why, not an exception."""
    shown = str(path)
    try:
        raw = read_xlsx(path, sheets=cells_checked)
        mtime = os.stat(path).st_mtime
    except UnreadableFileError as e:
        return unreadable_file(
            shown,
            finding(known_code(e.code), e.message, hint=e.hint or None, found=Path(path).name),
        )
    except OSError as e:
        return unreadable_file(
            shown,
            finding("file-unreadable", f"无法读取文件 {shown}（{e.strerror or e}）。"),
        )
    return check_workbook(raw, options, path=shown, file_mtime=mtime)


def skipped_file(f: FoundFile) -> CheckedFile:
    """The result of a file not checked: skipped (with the reason), or what cannot be read."""
    if f.problem:
        return unreadable_file(f.shown, finding(f.code, f.problem, found=f.path.name))
    report = FileReport(
        path=f.shown,
        findings=[finding("file-skipped", f"未校验：{f.skip}。", file=f.shown, found=f.path.name)],
    )
    return CheckedFile(report, None, skipped=f.skip)


#: Files per task sent to a worker: large enough to amortise the round trip, small enough
#: that neither a worker nor the parent ever holds more than a few hundred results.
MAX_CHUNK = 32

_OPTIONS: CheckOptions | None = None
_KEEP: Keep = "all"


def _init_worker(options: CheckOptions, keep: Keep, stopping: Event) -> None:
    start_worker(stopping)
    global _OPTIONS, _KEEP
    _OPTIONS, _KEEP = options, keep


def _check_in_worker(path: str) -> Wire:
    assert _OPTIONS is not None
    check_not_stopped()
    return pack(check_file(path, _OPTIONS), _KEEP)


def iter_checked(
    paths: Sequence[str],
    options: CheckOptions,
    workers: int,
    keep: Keep = "all",
    values_of: ValuesOf = CompactValues,
) -> Generator[CheckedFile, None, None]:
    """Check ``paths`` (on ``workers`` processes from PARALLEL_FROM files on), yielding the
    results in the order of ``paths`` as they arrive. ``keep``: what each result keeps (see
    :mod:`xlreport.checks.wire`); ``values_of`` makes the values of a result whose values
    are packed (by default a :class:`CompactValues`)."""
    unpack = Unpacker(options, values_of)
    done = 0
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        chunk = max(1, min(MAX_CHUNK, len(paths) // (workers * 4)))
        stopping = new_flag()
        pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(options, keep, stopping)
        )
        try:
            with sigint_held():  # the workers start here
                sent_back = pool.map(_check_in_worker, paths, chunksize=chunk)
            for sent in sent_back:
                done += 1
                yield unpack(sent)
        except BrokenProcessPool:
            pool.shutdown()  # a worker died: finish the rest here, one by one
        except BaseException:  # Ctrl-C, or the caller stopped reading: stop, don't wait
            stop(pool, stopping)
            raise
        else:
            pool.shutdown()
    for p in paths[done:]:
        yield unpack(pack(check_file(p, options), keep))


def check_paths(
    paths: Iterable[str | Path],
    options: CheckOptions,
    *,
    workers: int | None = None,
    keep: Keep = "all",
) -> list[CheckedFile]:
    """Check files and folders; results in the order of :func:`discover` (sorted paths).

    ``workers``: processes to read with (default: every core; 1 reads in this process).
    ``keep``: what each result keeps of the return's cells (see :data:`Keep`).
    """
    found = discover(paths)
    todo = [str(f.path) for f in found if f.to_check]
    with closing(iter_checked(todo, options, worker_count(workers), keep)) as checked:
        return [next(checked) if f.to_check else skipped_file(f) for f in found]


def worker_count(workers: int | None) -> int:
    """Processes to check with: ``workers``, or every core."""
    return max(1, workers if workers is not None else (os.cpu_count() or 1))
