"""The zip container of an xlsx, opened from memory and read part by part with hard caps.

Only the central directory is trusted to locate a part, and only when it is unambiguous:
a package with two parts of one name (or names differing only in case, which OPC treats
as the same part), or whose local headers name a part differently from the central
directory, is refused — another program could read the other copy, so what xlreport reads
need not be what a spreadsheet shows. A part's its declared sizes are checked
before inflating and then enforced while inflating (a lying size header cannot make us
produce more than it declared, nor more than the limits), together with the ratio of
inflated to compressed bytes, so a bomb is refused after about a megabyte of output.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

from xlreport.reader import reasons
from xlreport.reader.limits import ReadLimits

#: Bytes of compressed input handed to zlib at a time, and most bytes it may return.
IN_CHUNK = 64 * 1024
OUT_CHUNK = 256 * 1024
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_LOCAL = b"PK\x03\x04"
#: A central-directory entry is 46 bytes plus its name; more than this per entry on
#: average means the directory is padded to make parsing it expensive.
_MAX_CD_BYTES_PER_ENTRY = 1024

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ValueError,
    struct.error,
    OSError,
    EOFError,
    NotImplementedError,
    OverflowError,
    IndexError,
    KeyError,
    UnicodeDecodeError,
)


def part_key(name: str) -> str:
    """How a part name is looked up: OPC part names are case-insensitive."""
    return name.replace("\\", "/").lstrip("/").lower()


def _declared_entries(data: bytes) -> tuple[int, int]:
    """(entries, central directory bytes) from the end record, before zipfile parses it."""
    i = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if i < 0 or i + 22 > len(data):
        raise reasons.bad_zip()
    entries, cd_size = struct.unpack_from("<HI", data, i + 10)
    zip64 = entries == 0xFFFF or cd_size == 0xFFFFFFFF
    if zip64 and i >= 20 and data[i - 20 : i - 16] == _EOCD64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", data, i - 20 + 8)
        if offset + 56 <= len(data) and data[offset : offset + 4] == _EOCD64:
            entries, cd_size = struct.unpack_from("<QQ", data, offset + 32)
    return entries, cd_size


class Archive:
    """Parts of one zip held in memory, looked up case-insensitively."""

    def __init__(self, data: bytes, limits: ReadLimits) -> None:
        self.data = data
        self.limits = limits
        self.inflated = 0  # bytes produced so far, over every part read
        entries, cd_size = _declared_entries(data)
        if entries > limits.max_members or cd_size > limits.max_members * _MAX_CD_BYTES_PER_ENTRY:
            raise reasons.too_many_members(entries, limits.max_members)
        try:
            infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except _ZIP_ERRORS:
            raise reasons.bad_zip() from None
        if len(infos) > limits.max_members:
            raise reasons.too_many_members(len(infos), limits.max_members)
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            key = part_key(info.filename)
            first = self.infos.setdefault(key, info)
            if first is not info:
                raise reasons.duplicate_part(first.filename, info.filename)
            local = self._local_name(info)
            if local is not None and local != info.orig_filename:
                raise reasons.name_mismatch(info.orig_filename, local)

    def has(self, name: str) -> bool:
        return part_key(name) in self.infos

    def names(self) -> list[str]:
        return list(self.infos)

    def declared_size(self, name: str) -> int:
        """The inflated size the zip declares for a part (enforced as it is read)."""
        info = self.infos.get(part_key(name))
        return info.file_size if info is not None else 0

    def read_small(self, name: str, cap: int) -> bytes:
        """A whole (small) part, at most ``cap`` bytes of it."""
        out = bytearray()
        for chunk in self.chunks(name):
            out += chunk
            if len(out) >= cap:
                break
        return bytes(out[:cap])

    def chunks(self, name: str) -> Iterator[bytes]:
        """The inflated bytes of a part, in chunks of at most OUT_CHUNK bytes."""
        info = self.infos.get(part_key(name))
        if info is None:
            raise reasons.missing_part("部件", name)
        limits = self.limits
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise reasons.part_unsupported(name)
        declared = info.file_size
        if declared > limits.max_part_bytes:
            raise reasons.part_too_large(name, limits.max_part_bytes)
        if declared > limits.ratio_floor_bytes and declared > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise reasons.bomb(name)
        if self.inflated + declared > limits.max_total_bytes:
            raise reasons.total_too_large(limits.max_total_bytes)
        raw = self._raw(info, name)
        if info.compress_type == zipfile.ZIP_STORED:
            if len(raw) != declared:
                raise reasons.part_corrupt(name)
            yield from self._checked(
                name, info, (raw[i : i + OUT_CHUNK] for i in range(0, len(raw), OUT_CHUNK))
            )
        else:
            yield from self._checked(name, info, self._inflate(name, raw))

    def _local_name(self, info: zipfile.ZipInfo) -> str | None:
        """The name a part's local header gives it (None when there is no valid header
        there: reported as a damaged part when the part is read)."""
        data = self.data
        h = info.header_offset
        if h < 0 or h + 30 > len(data) or data[h : h + 4] != _LOCAL:
            return None
        (flags,) = struct.unpack_from("<H", data, h + 6)
        (name_len,) = struct.unpack_from("<H", data, h + 26)
        raw = data[h + 30 : h + 30 + name_len]
        return raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")

    def _raw(self, info: zipfile.ZipInfo, name: str) -> memoryview:
        data = self.data
        h = info.header_offset
        if h < 0 or h + 30 > len(data) or data[h : h + 4] != _LOCAL:
            raise reasons.part_corrupt(name)
        name_len, extra_len = struct.unpack_from("<HH", data, h + 26)
        start = h + 30 + name_len + extra_len
        end = start + info.compress_size
        if end > len(data):
            raise reasons.part_corrupt(name)
        return memoryview(data)[start:end]

    def _inflate(self, name: str, raw: memoryview) -> Iterator[bytes]:
        limits = self.limits
        d = zlib.decompressobj(-15)
        pos = 0
        pending: bytes | memoryview = b""
        produced = 0
        try:
            while not d.eof:
                if not pending:
                    if pos >= len(raw):
                        raise reasons.part_corrupt(name)  # the stream stops short
                    pending = raw[pos : pos + IN_CHUNK]
                    pos += len(pending)
                out = d.decompress(pending, OUT_CHUNK)
                pending = d.unconsumed_tail
                produced += len(out)
                if produced > limits.ratio_floor_bytes:
                    consumed = pos - len(pending)
                    if produced > limits.max_ratio * max(consumed, 1):
                        raise reasons.bomb(name)
                if out:
                    yield out
        except zlib.error:
            raise reasons.part_corrupt(name) from None

    def _checked(
        self, name: str, info: zipfile.ZipInfo, chunks: Iterator[bytes | memoryview]
    ) -> Iterator[bytes]:
        """Enforce the declared size, the part and total caps, and the CRC, as bytes flow."""
        limits = self.limits
        cap = min(info.file_size, limits.max_part_bytes)
        produced = 0
        crc = 0
        for chunk in chunks:
            produced += len(chunk)
            self.inflated += len(chunk)
            if produced > cap:
                if produced > info.file_size:
                    raise reasons.part_corrupt(name)  # more than its header declared
                raise reasons.part_too_large(name, limits.max_part_bytes)
            if self.inflated > limits.max_total_bytes:
                raise reasons.total_too_large(limits.max_total_bytes)
            crc = zlib.crc32(chunk, crc)
            yield bytes(chunk) if isinstance(chunk, memoryview) else chunk
        if produced != info.file_size or crc != info.CRC:
            raise reasons.part_corrupt(name)
