"""A small deterministic zip writer for xlsx packages.

Every workbook xlreport writes goes through :func:`pack`, so the bytes depend only on the
member contents: fixed timestamps (1980-01-01), fixed compression level, fixed order.
Each member is deflated as one or more independent *segments* (each flushed with
Z_SYNC_FLUSH, the last finished), split at a point that depends only on the member's own
bytes (:func:`segments`): a large member (a summary's 分单位明细) in pieces of 1 MiB,
deflated side by side on every core. Because segments are compressed independently, a member that
changes only in its last segment can reuse the compressed bytes of the others — which is
how :mod:`xlreport.writer.personalise` writes a thousand workbooks fast — and still give
exactly the bytes :func:`pack` gives.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO

LEVEL = 6
#: A member larger than ``_STREAM_FROM`` (a province summary's 分单位明细: ~45 MB of XML at
#: 10,000 agencies) is deflated at this level: a quarter of the time of ``LEVEL``, ~25 %
#: larger. Chosen by the member's size alone, so the bytes are still fixed.
LARGE_LEVEL = 2
#: Worksheets are split before the page header (the only per-agency text in a sheet).
_SPLIT_BEFORE = b"<headerFooter"
_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
#: Our own output, not a trust boundary: a guard against a runaway member, far under the
#: 4 GiB a zip member may hold without zip64 (a province summary's 分单位明细 at 10,000
#: agencies is ~100 MB uncompressed).
_MAX_MEMBER = 1024 * 1024 * 1024
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
    """Where a member is split for compression: a large member (over ``_STREAM_FROM``) in
    pieces of ``_PIECE`` bytes, deflated side by side on every core (:func:`compress_segments`);
    a smaller worksheet before ``<headerFooter``."""
    if len(data) > _STREAM_FROM:
        return [data[i : i + _PIECE] for i in range(0, len(data), _PIECE)]
    if name.startswith("xl/worksheets/sheet"):
        i = data.find(_SPLIT_BEFORE)
        if i > 0:
            return [data[:i], data[i:]]
    return [data]


def level_for(size: int) -> int:
    """The deflate level of a member of ``size`` bytes."""
    return LARGE_LEVEL if size > _STREAM_FROM else LEVEL


def deflate(raw: bytes, *, last: bool, level: int = LEVEL) -> bytes:
    """Raw deflate of one segment; non-final segments end byte-aligned (Z_SYNC_FLUSH)."""
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    return co.compress(raw) + co.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def compress_segments(parts: Sequence[bytes], level: int = LEVEL) -> list[Segment]:
    """Each part deflated on its own (the last one finished); many parts on threads (zlib
    lets go of the interpreter lock while it deflates)."""
    last = len(parts) - 1
    if last < 2:
        return [_segment(p, i == last, level) for i, p in enumerate(parts)]
    with ThreadPoolExecutor(_threads()) as pool:
        ends = [i == last for i in range(len(parts))]
        return list(pool.map(_segment, parts, ends, [level] * len(parts)))


def _segment(raw: bytes, last: bool, level: int = LEVEL) -> Segment:
    return Segment(raw, deflate(raw, last=last, level=level), zlib.crc32(raw))


def _threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def join(name: str, parts: Sequence[Segment]) -> Member:
    """A member from its segments, in order (CRCs chained, deflate streams concatenated)."""
    crc = parts[0].crc
    size = len(parts[0].raw)
    for p in parts[1:]:
        crc = zlib.crc32(p.raw, crc)
        size += len(p.raw)
    return Member(name, b"".join(p.deflated for p in parts), crc, size)


def member(name: str, data: bytes) -> Member:
    return join(name, compress_segments(segments(name, data), level_for(len(data))))


class _ZipWriter:
    """Writes a zip archive to ``out`` (seekable, at its start) member by member."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._base = out.tell()
        self._central = io.BytesIO()
        self._count = 0

    def _header(self, name: str, crc: int, deflated: int, size: int) -> tuple[bytes, bytes]:
        fname = name.encode("ascii")
        fields = (20, 0, 8, _DOS_TIME, _DOS_DATE, crc, deflated, size, len(fname))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + fname
        offset = self._out.tell() - self._base
        central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
        return local, central + fname

    def add(self, m: Member) -> None:
        local, central = self._header(m.name, m.crc, len(m.deflated), m.size)
        self._out.write(local)
        self._out.write(m.deflated)
        self._central.write(central)
        self._count += 1

    def add_pieces(
        self, name: str, pieces: Iterator[bytes], crc_size: Callable[[], tuple[int, int]]
    ) -> None:
        """A member whose deflated bytes come in ``pieces``; ``crc_size()`` tells its CRC
        and size once they are all written (its header is then filled in)."""
        at = self._out.tell()
        local, _ = self._header(name, 0, 0, 0)
        self._out.write(local)
        deflated = 0
        for piece in pieces:
            self._out.write(piece)
            deflated += len(piece)
        end = self._out.tell()
        self._out.seek(at)
        crc, size = crc_size()
        local, central = self._header(name, crc, deflated, size)
        self._out.write(local)
        self._out.seek(end)
        self._central.write(central)
        self._count += 1

    def close(self) -> None:
        cd = self._central.getvalue()
        start = self._out.tell() - self._base
        self._out.write(cd)
        self._out.write(
            struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, self._count, self._count, len(cd), start, 0)
        )


def write_zip(members: Iterable[Member]) -> bytes:
    """The zip archive of already-deflated members."""
    out = io.BytesIO()
    zw = _ZipWriter(out)
    for m in members:
        zw.add(m)
    zw.close()
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


def repack(data: bytes | IO[bytes]) -> bytes:
    """``pack(unzip(data))``, member by member: a large member (a province summary's
    分单位明细) is read and deflated in pieces, never held whole. Same bytes as
    ``pack(unzip(data))``: deflate output does not depend on how its input is fed, nor on
    how ``data`` (a zip, or a file holding one) compressed its members."""
    out = io.BytesIO()
    repack_to(data, out)
    return out.getvalue()


def repack_to(data: bytes | IO[bytes], out: IO[bytes]) -> None:
    """:func:`repack` written to ``out`` (seekable, at its start): a large member goes
    there piece by piece as it is deflated."""
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as zf:
        zw = _ZipWriter(out)
        for info in zf.infolist():
            if info.file_size > _MAX_MEMBER:
                raise ValueError(f"zip member {info.filename} too large")
            if info.file_size <= _STREAM_FROM:
                zw.add(member(info.filename, zf.read(info)))
            else:
                state = _Deflating()
                zw.add_pieces(info.filename, state.pieces(zf, info), state.crc_size)
        zw.close()


class _Deflating:
    """A large member deflated as :func:`pack` deflates it — in pieces of ``_PIECE`` bytes,
    each on its own (see :func:`segments`) — read piece by piece and deflated on threads, a
    few pieces ahead, never held whole."""

    def __init__(self) -> None:
        self.crc = self.size = 0

    def crc_size(self) -> tuple[int, int]:
        return self.crc, self.size

    def pieces(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
        ahead: deque[Future[Segment]] = deque()
        with zf.open(info) as f, ThreadPoolExecutor(_threads()) as pool:
            piece = _read_piece(f)
            while piece:
                following = _read_piece(f)
                level = level_for(info.file_size)
                ahead.append(pool.submit(_segment, piece, not following, level))
                piece = following
                while ahead and (len(ahead) > 2 * _threads() or not piece):
                    done = ahead.popleft().result()
                    self.crc, self.size = zlib.crc32(done.raw, self.crc), self.size + len(done.raw)
                    yield done.deflated


def _read_piece(f: IO[bytes]) -> bytes:
    """The next ``_PIECE`` bytes of ``f`` (fewer only at its end)."""
    parts = []
    want = _PIECE
    while want and (chunk := f.read(want)):
        parts.append(chunk)
        want -= len(chunk)
    return b"".join(parts)
