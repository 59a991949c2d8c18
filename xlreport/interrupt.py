"""Ctrl-C in the ``xlreport`` command: one Chinese line, exit status 130, nothing left behind.

The command runs under :func:`handles_interrupts`. The first SIGINT then raises
:class:`Interrupted` and ignores every later one, so a second Ctrl-C can never interrupt the
cleanup of the first (stopping the worker processes, removing temporary files). Interrupted
is not a :class:`KeyboardInterrupt`: click would turn one into its ``Abort`` and print a
blank line. Library callers keep Python's own KeyboardInterrupt; the process pool
(:mod:`xlreport.batch.pool`) stops on either. This module imports nothing heavy, so the
handler is in place before the command's own imports start.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

MESSAGE = "已中断，未写入任何文件"
EXIT_CODE = 130
#: How long a Ctrl-C swallowed by a finalizer waits to be delivered again.
_REDELIVER_SECONDS = 0.05


class Interrupted(BaseException):
    """Ctrl-C, as the xlreport command sees it (raised by the handler of SIGINT)."""


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # later ones: the first is being handled
    raise Interrupted


def _on_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Ctrl-C that landed in a finalizer (``__del__`` of a temporary file, say) is swallowed
    there by Python: deliver it again, so the command still stops, instead of printing
    "Exception ignored" and carrying on with Ctrl-C ignored."""
    if isinstance(unraisable.exc_value, Interrupted) and _main_thread():
        signal.signal(signal.SIGINT, _on_sigint)
        # a moment later, from another thread: by then the finalizer has ended and the
        # handler interrupts the command itself (should it land in one again: once more)
        again = threading.Timer(_REDELIVER_SECONDS, os.kill, (os.getpid(), signal.SIGINT))
        again.daemon = True
        again.start()
        return
    sys.__unraisablehook__(unraisable)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def handling_interrupts() -> Iterator[None]:
    """SIGINT raises :class:`Interrupted` (once) until the block ends. The previous handler
    is put back when the block ends without an interrupt (a test calling the command in
    process gets its own back); after one, Ctrl-C stays ignored while the process exits."""
    if not _main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _on_sigint)
    previous_hook, sys.unraisablehook = sys.unraisablehook, _on_unraisable
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGINT) is _on_sigint:  # not interrupted
            signal.signal(signal.SIGINT, previous)
            sys.unraisablehook = previous_hook


def handles_interrupts(fn: Callable[[], None]) -> Callable[[], None]:
    """``fn`` run under :func:`handling_interrupts`; interrupted, :func:`exit_interrupted`."""

    @functools.wraps(fn)
    def run() -> None:
        try:
            with handling_interrupts():
                fn()
        except Interrupted:
            exit_interrupted()

    return run


def _ignore_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    pass


def exit_interrupted() -> NoReturn:
    """Say so on stderr in one line and exit 130; a further Ctrl-C is ignored meanwhile."""
    if _main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    # objects left half-done by the interrupt (a zip being written …) may complain as they
    # are collected on the way out: the process is ending, the one line below says it all
    sys.unraisablehook = _ignore_unraisable
    try:
        sys.stderr.write(MESSAGE + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: the exit status still says it
        pass
    sys.exit(EXIT_CODE)


@contextmanager
def removed_if_interrupted(*paths: Path | None) -> Iterator[None]:
    """Outputs that did not exist before the block and do after are removed when the block
    is interrupted (the summary written, Ctrl-C while the export was being written)."""
    new = [p for p in paths if p is not None and not p.exists()]
    try:
        yield
    except (Interrupted, KeyboardInterrupt):
        for p in new:
            if p.is_file():
                p.unlink(missing_ok=True)
        raise
