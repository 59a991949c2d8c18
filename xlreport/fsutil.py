"""Writing outputs safely: to a temporary file beside the target, then renamed into place."""

from __future__ import annotations

import os
import re
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


def safe_filename(name: str, max_len: int = 150) -> str:
    """A file name that Windows, macOS and Linux all accept, keeping Chinese characters.

    ``max_len`` is a budget in UTF-8 bytes (Linux allows 255 bytes in a name, and a
    Chinese character takes 3): a longer name is cut at a character boundary, keeping its
    extension (``.xlsx``); callers that add an extension of their own stay well within
    255 bytes."""
    cleaned = "".join("_" if ch in _WINDOWS_BAD else ch for ch in name).strip().rstrip(". ")
    if not cleaned or cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    if len(cleaned.encode("utf-8")) <= max_len:
        return cleaned
    found = _SUFFIX.search(cleaned)
    suffix = found.group(0) if found and len(found.group(0)) < max_len // 2 else ""
    stem = cleaned[: len(cleaned) - len(suffix)]
    return (_cut_utf8(stem, max_len - len(suffix)).rstrip(". ") or "_") + suffix


_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def _cut_utf8(text: str, budget: int) -> str:
    """The longest start of ``text`` within ``budget`` UTF-8 bytes (no character split)."""
    return text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
