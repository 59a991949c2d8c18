"""The campaign's store: every file ever received, kept under its sha256.

``store/ab/abcdef….xlsx`` (the first two hex digits as a folder, the original suffix kept
so that the reader explains an .xls as it would the original). A file is written beside
its place and renamed into it once complete and fsynced, so a crash never leaves a
half-written file under a hash; the original is only ever read.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from xlreport.fsutil import atomic_writer

STORE_DIR = "store"
_CHUNK = 1 << 20
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")


def hash_file(path: Path) -> tuple[str, int]:
    """The sha256 (hex) and size of the file at ``path``."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def stored_name(sha256: str, original: str) -> str:
    """Where a file is kept, relative to the campaign folder (``/`` separated)."""
    suffix = Path(original).suffix.lower()
    if not _SUFFIX.match(suffix):
        suffix = ""
    return f"{STORE_DIR}/{sha256[:2]}/{sha256}{suffix}"


class SourceChangedError(Exception):
    """The source file's bytes changed between hashing and copying."""


def store_copy(source: Path, campaign_dir: Path, relative: str, sha256: str) -> None:
    """Copy ``source`` to ``campaign_dir / relative`` (atomic), unless a good copy is there.

    Raises OSError (disk full, unwritable store) and :class:`SourceChangedError` when the
    bytes copied do not have ``sha256``; nothing is left behind either way."""
    target = campaign_dir / relative
    if target.exists():
        try:
            if hash_file(target)[0] == sha256:
                return
        except OSError:
            pass  # unreadable: written again below
    h = hashlib.sha256()
    with source.open("rb") as src, atomic_writer(target) as out:
        while chunk := src.read(_CHUNK):
            h.update(chunk)
            out.write(chunk)
        if h.hexdigest() != sha256:
            raise SourceChangedError(str(source))
    if hasattr(os, "chmod"):
        os.chmod(target, 0o444)  # a stored file is never to change


def file_intact(campaign_dir: Path, relative: str, sha256: str) -> str:
    """'' when the stored file is there with its hash; else what is wrong, in Chinese."""
    target = campaign_dir / relative
    if not target.exists():
        return "文件不存在（已被删除或移走）"
    try:
        found, _ = hash_file(target)
    except OSError as e:
        return f"文件无法读取（{e.strerror or e}）"
    if found != sha256:
        return f"文件内容已被改动（现在的 sha256 为 {found}）"
    return ""
