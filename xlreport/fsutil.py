"""Writing outputs safely: to a temporary file beside the target, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def atomic_write_bytes(
    path: str | Path, data: bytes, *, private: bool = False, durable: bool = True
) -> None:
    """Write ``data`` to ``path`` so that a reader never sees a half-written file."""
    with atomic_writer(path, private=private, durable=durable) as f:
        f.write(data)


@contextmanager
def atomic_writer(
    path: str | Path, *, private: bool = False, durable: bool = True
) -> Iterator[BinaryIO]:
    """A file to write ``path``'s bytes into, put in place only once it is complete (a
    temporary file beside the target until then, removed on error). Its mode is what any
    program gives (0666 less the umask); ``private`` (a secret): readable by its owner only.
    ``durable``: on disk (fsync) before it is put in place. Only a document that is made
    again byte for byte from what is durable elsewhere may skip it (a campaign's receipt
    documents, from the ledger): a power cut may then leave it empty, never half-written
    under its name by a running program."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~xlreport-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod") and not private:  # mkstemp makes 0600
                os.fchmod(f.fileno(), 0o666 & ~current_umask())
            yield f
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_WINDOWS_BAD = set('<>:"/\\|?*') | {chr(i) for i in range(32)}
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)
}


def safe_filename(name: str, max_len: int = 120) -> str:
    """A file name that Windows, macOS and Linux all accept, keeping Chinese characters."""
    cleaned = "".join("_" if ch in _WINDOWS_BAD else ch for ch in name).strip().rstrip(". ")
    if not cleaned or cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:max_len]
