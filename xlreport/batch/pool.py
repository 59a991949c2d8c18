"""A process pool that Ctrl-C stops at once, leaving no worker process behind.

Workers ignore SIGINT: Ctrl-C reaches every process of the terminal's process group, and
the parent decides. SIGINT is held back while the workers are started (a forked worker
inherits the signal mask), so none can be interrupted before it has set that up. When
the parent is interrupted — or stops reading results for any reason — :func:`stop`
cancels what is pending and raises a flag the workers look at before each file, so the
tasks already queued end at once and the pool shuts down in order.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.synchronize import Event

#: Seconds the workers get to end (one file each at most) before they are killed.
_GRACE = 1.0

_STOPPING: Event | None = None  # in a worker: the parent's flag


class StoppedError(RuntimeError):
    """In a worker: the parent stopped the pool; the task ends without checking."""


def new_flag() -> Event:
    """The flag :func:`stop` raises, to pass to each worker's :func:`start_worker`."""
    return multiprocessing.get_context().Event()


def start_worker(flag: Event) -> None:
    """In a worker, first thing: Ctrl-C is for the parent; ``flag`` says it stopped."""
    global _STOPPING
    ignore_sigint()
    _STOPPING = flag


def check_not_stopped() -> None:
    """In a worker, before each file: :class:`StoppedError` once the parent has stopped."""
    if _STOPPING is not None and _STOPPING.is_set():
        raise StoppedError


def ignore_sigint() -> None:
    """In a worker, first thing: Ctrl-C is for the parent to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def sigint_held() -> Iterator[None]:
    """SIGINT blocked in this thread (and so in the processes and threads it starts) for
    the block; one that arrived meanwhile is delivered when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: workers are spawned, not forked
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop(pool: ProcessPoolExecutor, flag: Event) -> None:
    """Cancel the pool's pending work and end its workers: ``flag`` raised, the tasks they
    hold end at once and the pool shuts down in order; a worker still busy after
    :data:`_GRACE` seconds (in the middle of one file) is killed. A second Ctrl-C meanwhile
    is ignored: it must not leave workers running."""
    with _sigint_ignored():
        flag.set()
        workers = dict(pool._processes or {})
        pool.shutdown(wait=False, cancel_futures=True)
        # the pool may have started a worker meanwhile (it spawns them as work is queued)
        workers.update(pool._processes or {})
        deadline = time.monotonic() + _GRACE
        for p in workers.values():
            p.join(max(0.0, deadline - time.monotonic()))
        for p in workers.values():
            if p.is_alive():
                p.kill()
                p.join()
