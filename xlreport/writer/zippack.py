"""A small deterministic zip writer for xlsx packages.

Every workbook xlreport writes goes through :func:`pack`, so the bytes depend only on the
member contents: fixed timestamps (1980-01-01), fixed compression level, fixed order.
Each member is deflated as one or more independent *segments* (each flushed with
Z_SYNC_FLUSH, the last finished), split at a point that depends only on the member's own
bytes (:func:`segments`). Because segments are compressed independently, a member that
changes only in its last segment can reuse the compressed bytes of the others — which is
how :mod:`xlreport.writer.personalise` writes a thousand workbooks fast — and still give
exactly the bytes :func:`pack` gives.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LEVEL = 6
#: Worksheets are split before the page header (the only per-agency text in a sheet).
_SPLIT_BEFORE = b"<headerFooter"
_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_MAX_MEMBER = 64 * 1024 * 1024
#: Members larger than this are re-deflated piece by piece (see :func:`repack`).
_STREAM_FROM = 4 * 1024 * 1024
_PIECE = 1024 * 1024


@dataclass(frozen=True)
class Segment:
    """One independently deflated piece of a member."""

    raw: bytes
    deflated: bytes
    crc: int  # crc32 of ``raw`` alone


@dataclass(frozen=True)
class Member:
    name: str
    deflated: bytes
    crc: int
    size: int


def segments(name: str, data: bytes) -> list[bytes]:
    """Where a member is split for compression: worksheets before ``<headerFooter``."""
    if name.startswith("xl/worksheets/sheet"):
        i = data.find(_SPLIT_BEFORE)
        if i > 0:
            return [data[:i], data[i:]]
    return [data]


def deflate(raw: bytes, *, last: bool) -> bytes:
    """Raw deflate of one segment; non-final segments end byte-aligned (Z_SYNC_FLUSH)."""
    co = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return co.compress(raw) + co.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def compress_segments(parts: Sequence[bytes]) -> list[Segment]:
    return [
        Segment(p, deflate(p, last=i == len(parts) - 1), zlib.crc32(p)) for i, p in enumerate(parts)
    ]


def join(name: str, parts: Sequence[Segment]) -> Member:
    """A member from its segments, in order (CRCs chained, deflate streams concatenated)."""
    crc = parts[0].crc
    size = len(parts[0].raw)
    for p in parts[1:]:
        crc = zlib.crc32(p.raw, crc)
        size += len(p.raw)
    return Member(name, b"".join(p.deflated for p in parts), crc, size)


def member(name: str, data: bytes) -> Member:
    return join(name, compress_segments(segments(name, data)))


def write_zip(members: Iterable[Member]) -> bytes:
    """The zip archive of already-deflated members."""
    out = io.BytesIO()
    central = io.BytesIO()
    count = 0
    for m in members:
        fname = m.name.encode("ascii")
        offset = out.tell()
        fields = (20, 0, 8, _DOS_TIME, _DOS_DATE, m.crc, len(m.deflated), m.size, len(fname))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0))
        out.write(fname)
        out.write(m.deflated)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
        )
        central.write(fname)
        count += 1
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(cd), start, 0))
    return out.getvalue()


def unzip(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a zip we (or xlsxwriter) just wrote, in archive order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        out = []
        for info in zf.infolist():
            if info.file_size > _MAX_MEMBER:
                raise ValueError(f"zip member {info.filename} too large")
            out.append((info.filename, zf.read(info)))
        return out


def pack(members: Iterable[tuple[str, bytes]]) -> bytes:
    """The deterministic xlsx bytes of these members."""
    return write_zip(member(n, d) for n, d in members)


def repack(data: bytes) -> bytes:
    """``pack(unzip(data))``, member by member: a large member (a province summary's
    分单位明细) is inflated and deflated in pieces, never held whole. Same bytes as
    ``pack(unzip(data))``: deflate output does not depend on how its input is fed."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return write_zip(_streamed(zf, info) for info in zf.infolist())


def _streamed(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Member:
    if info.file_size > _MAX_MEMBER:
        raise ValueError(f"zip member {info.filename} too large")
    if info.file_size <= _STREAM_FROM:
        return member(info.filename, zf.read(info))
    split = _SPLIT_BEFORE if info.filename.startswith("xl/worksheets/sheet") else None
    out: list[bytes] = []
    co = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    crc = size = 0
    tail = b""  # bytes held back while the split marker may straddle two pieces
    with zf.open(info) as f:
        while piece := f.read(_PIECE):
            buf = tail + piece
            i = buf.find(split) if split is not None else -1
            if i >= 0:  # the first marker: split before it, unless it opens the member
                if size + i > 0:
                    head = buf[:i]
                    out.append(co.compress(head) + co.flush(zlib.Z_SYNC_FLUSH))
                    crc, size = zlib.crc32(head, crc), size + i
                    co = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
                    buf = buf[i:]
                split = None
            keep = len(split) - 1 if split is not None else 0
            ready, tail = (buf[: len(buf) - keep], buf[len(buf) - keep :]) if keep else (buf, b"")
            out.append(co.compress(ready))
            crc, size = zlib.crc32(ready, crc), size + len(ready)
    out.append(co.compress(tail) + co.flush(zlib.Z_FINISH))
    crc, size = zlib.crc32(tail, crc), size + len(tail)
    return Member(info.filename, b"".join(out), crc, size)
