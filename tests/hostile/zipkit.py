"""Zips written byte by byte, so that a test can make them lie.

:func:`raw_zip` writes members whose compressed bytes, CRC and *declared* sizes are given
separately: a size header can claim 20 KB for a part that inflates to a gigabyte.
:func:`repeated_deflate` makes such a gigabyte cheaply: one chunk is compressed once,
ended with a full flush (which resets the compressor), and its bytes are repeated.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

FLAG_ENCRYPTED = 0x1
FLAG_UTF8 = 0x800


@dataclass(frozen=True)
class RawMember:
    name: str
    data: bytes  # as stored (already deflated when method is 8)
    crc: int
    size: int  # true uncompressed size
    method: int = 8
    declared_size: int | None = None  # what the headers claim (default: the truth)
    flags: int = 0


def deflated(name: str, raw: bytes, level: int = 6, **kw: int) -> RawMember:
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    return RawMember(name, co.compress(raw) + co.flush(), zlib.crc32(raw), len(raw), **kw)


def stored(name: str, raw: bytes) -> RawMember:
    return RawMember(name, raw, zlib.crc32(raw), len(raw), method=0)


def raw_zip(members: list[RawMember]) -> bytes:
    out = io.BytesIO()
    central = io.BytesIO()
    for m in members:
        name = m.name.encode("utf-8")
        flags = m.flags | (FLAG_UTF8 if not m.name.isascii() else 0)
        size = m.size if m.declared_size is None else m.declared_size
        fields = (20, flags, m.method, 0, 0x21, m.crc, len(m.data), size, len(name))
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0))
        out.write(name)
        out.write(m.data)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset)
        )
        central.write(name)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    n = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), start, 0))
    return out.getvalue()


def repeated_deflate(head: bytes, chunk: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """Deflate of ``head + chunk * times + tail`` without compressing it all.

    Returns (deflated bytes, crc32, uncompressed size). The CRC is computed honestly,
    chunk by chunk, so the member is a valid (if enormous) part.
    """
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = co.compress(tail) + co.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * times + last, crc, len(head) + len(chunk) * times + len(tail)


def read_members(data: bytes) -> list[tuple[str, bytes]]:
    """The parts of a zip we made ourselves (trusted), in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write_members(members: list[tuple[str, bytes]]) -> bytes:
    """An ordinary deflated zip of these parts, in order (as any office suite writes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 15, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()
