"""Checking files: one path, or many (folders searched recursively) on every core.

:func:`check_file` reads one file from disk and hands what it holds to the pure checks
(:func:`~xlreport.checks.workbook_check.check_workbook`); :func:`check_paths` checks every
file :func:`~xlreport.batch.discover.discover` finds, in a process pool from
:data:`PARALLEL_FROM` files on, each result travelling back as a worker result
(:mod:`xlreport.batch.worker_result`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from multiprocessing.synchronize import Event
from pathlib import Path

from xlreport.batch.discover import FoundFile, discover
from xlreport.batch.packed import CompactValues
from xlreport.batch.pool import check_not_stopped, new_flag, sigint_held, start_worker, stop
from xlreport.batch.worker_result import Keep, Unpacker, ValuesOf, WorkerResult, pack
from xlreport.checks.catalogue import finding, known_code
from xlreport.checks.model import CheckedFile, CheckOptions
from xlreport.checks.workbook_check import check_workbook, unreadable_file
from xlreport.errors import UnreadableFileError
from xlreport.findings import FileReport
from xlreport.identity import SUMMARY_SHEETS
from xlreport.reader import read_xlsx
from xlreport.safetext import printable

#: From this many files on, files are read in a process pool.
PARALLEL_FROM = 8


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
            finding("file-os-error", f"无法读取文件 {shown}（{e.strerror or e}）。"),
        )
    return check_workbook(raw, options, path=shown, file_mtime=mtime)


def skipped_file(f: FoundFile) -> CheckedFile:
    """The result of a file not checked: skipped (with the reason), or what cannot be read."""
    if f.problem:
        return unreadable_file(f.shown, finding(f.code, f.problem, found=printable(f.path.name)))
    report = FileReport(
        path=f.shown,
        findings=[finding("file-skipped", f"未校验：{f.skip}。", file=f.shown, found=f.path.name)],
    )
    return CheckedFile(report, None, skipped=f.skip)


#: Files per task sent to a worker: large enough to amortise the round trip, small enough
#: that a worker holds a few dozen results at most.
MAX_CHUNK = 32
#: Files sent to the workers ahead of the one the caller takes: the workers never wait for
#: work, and a caller slower than they are (one recording each result in a ledger) holds
#: this many results at most, not one per file (100,000 files, hundreds of megabytes).
AHEAD = 1024

_OPTIONS: CheckOptions | None = None
_KEEP: Keep = "all"


def _init_worker(options: CheckOptions, keep: Keep, stopping: Event) -> None:
    start_worker(stopping)
    global _OPTIONS, _KEEP
    _OPTIONS, _KEEP = options, keep


def _check_chunk(paths: Sequence[str]) -> list[WorkerResult]:
    assert _OPTIONS is not None
    out = []
    for path in paths:
        check_not_stopped()
        out.append(pack(check_file(path, _OPTIONS), _KEEP))
    return out


def iter_checked(
    paths: Sequence[str],
    options: CheckOptions,
    workers: int,
    keep: Keep = "all",
    values_of: ValuesOf = CompactValues,
) -> Generator[CheckedFile, None, None]:
    """Check ``paths`` (on ``workers`` processes from PARALLEL_FROM files on), yielding the
    results in the order of ``paths`` as they arrive. ``keep``: what each result keeps (see
    :mod:`xlreport.batch.worker_result`); ``values_of`` makes the values of a result whose values
    are packed (by default a :class:`CompactValues`)."""
    unpack = Unpacker(options, values_of)
    done = 0
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        chunk = max(1, min(MAX_CHUNK, len(paths) // (workers * 4)))
        stopping = new_flag()
        pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(options, keep, stopping)
        )
        starts = iter(range(0, len(paths), chunk))
        pending: deque[Future[list[WorkerResult]]] = deque()

        def send_next() -> None:
            start = next(starts, None)
            if start is not None:
                pending.append(pool.submit(_check_chunk, paths[start : start + chunk]))

        try:
            with sigint_held():  # the workers start here
                for _ in range(max(workers * 4, AHEAD // chunk)):
                    send_next()
            while pending:
                sent_back = pending.popleft().result()
                send_next()
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
