"""A tiny writer of OLE compound files (MS-CFB, version 3, 512-byte sectors).

Enough to make, in code, the files that agencies send which are compound files rather
than zips: an encrypted xlsx (EncryptionInfo + EncryptedPackage streams), an old .xls
(a Workbook stream) and a WPS .et. Streams shorter than the 4096-byte cutoff go to the
mini stream as the format requires, so a strict reader (olefile) accepts the result.
Only root-level streams are written; that is all these files need to be told apart.
"""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _pad(data: bytes, size: int) -> bytes:
    rest = -len(data) % size
    return data + b"\0" * rest


def _dir_entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    if len(encoded) > 64:
        raise ValueError(f"name too long for a compound file: {name!r}")
    return struct.pack(
        "<64sHBBIII16sIQQIII",
        encoded,
        len(encoded),
        kind,  # 1 storage, 2 stream, 5 root
        1,  # black
        NOSTREAM,  # left sibling
        right,
        child,
        b"\0" * 16,  # CLSID
        0,  # state bits
        0,  # created
        0,  # modified
        start,
        size,  # version 3: high 32 bits must be 0
        0,
    )[:128]


def _sort_key(name: str) -> tuple[int, str]:
    """The order the format requires among siblings: shorter names first, then by upper case."""
    return (len(name), name.upper())


def compound_file(streams: dict[str, bytes]) -> bytes:
    """The bytes of a compound file holding ``streams`` at its root."""
    names = sorted(streams, key=_sort_key)
    fat: list[int] = []
    body: list[bytes] = []  # regular sectors after the header, in order

    def place(data: bytes) -> int:
        """Append ``data`` as a chain of regular sectors; its first sector number."""
        if not data:
            return END
        start = len(body)
        chunks = [data[i : i + SECTOR] for i in range(0, len(data), SECTOR)]
        for i, chunk in enumerate(chunks):
            body.append(_pad(chunk, SECTOR))
            fat.append(start + i + 1 if i + 1 < len(chunks) else END)
        return start

    # mini stream: small streams in 64-byte mini sectors, chained by the mini FAT
    mini_fat: list[int] = []
    mini = bytearray()
    starts: dict[str, int] = {}
    for name in names:
        data = streams[name]
        if len(data) >= CUTOFF:
            continue
        if not data:
            starts[name] = END
            continue
        first = len(mini) // MINI
        n = -(-len(data) // MINI)
        mini += _pad(data, MINI)
        mini_fat.extend(first + i + 1 if i + 1 < n else END for i in range(n))
        starts[name] = first
    for name in names:
        if len(streams[name]) >= CUTOFF:
            starts[name] = place(streams[name])
    mini_start = place(bytes(mini))
    mini_fat_start = place(b"".join(struct.pack("<I", x) for x in mini_fat))
    n_mini_fat = -(-len(mini_fat) * 4 // SECTOR)

    # directory: root, then the streams as a right-leaning chain under it
    entries = [
        _dir_entry("Root Entry", 5, 1 if names else NOSTREAM, NOSTREAM, mini_start, len(mini))
    ]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append(_dir_entry(name, 2, NOSTREAM, right, starts[name], len(streams[name])))
    dir_start = place(_pad(b"".join(entries), SECTOR))

    # FAT sectors go last; they must describe themselves too
    n_fat = 1
    while (len(body) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for this writer (no DIFAT sectors)")
    fat_first = len(body)
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREE] * (n_fat * (SECTOR // 4) - len(fat)))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    body.extend(fat_bytes[i : i + SECTOR] for i in range(0, len(fat_bytes), SECTOR))

    difat = [fat_first + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (
        MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,  # directory sectors (0 in version 3)
            n_fat,
            dir_start,
            0,  # transaction signature
            CUTOFF,
            mini_fat_start if mini_fat else END,
            n_mini_fat,
            END,  # first DIFAT sector
            0,  # DIFAT sectors
        )
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    return header + b"".join(body)
