"""What a file really is, from its first bytes (and, for containers, the names inside)."""

from __future__ import annotations

import codecs
import struct

from xlreport.errors import UnreadableFileError
from xlreport.reader import reasons

#: The names of spreadsheet files: the reader reads them, or says why it cannot (an .xls,
#: .et, .xlsm …); a file so named is never taken for a published report.
SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xlsb", ".xltx", ".xltm", ".xls", ".xlt", ".et", ".ett", ".ods"}
)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 8192
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVES = ((b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gzip"))
_ENCRYPTED_STREAMS = ("EncryptedPackage", "EncryptionInfo")
_WPS_MARKERS = ("WpsCustomData", "KSOProductBuildVer")


def refuse_non_zip(data: bytes, suffix: str) -> UnreadableFileError:
    """The reason a file that does not start like a zip cannot be read as an xlsx."""
    head = data[:_SNIFF_BYTES]
    if head.startswith(OLE_MAGIC):
        return refuse_ole(data, suffix)
    if head.startswith(b"%PDF"):
        return reasons.pdf()
    if head.startswith(_IMAGES):
        return reasons.image()
    for magic, kind in _ARCHIVES:
        if head.startswith(magic):
            return reasons.archive(kind)
    text = _as_text(head)
    if text is None:
        return reasons.unknown_format()
    lowered = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered and lowered.startswith("<?xml"):
        return reasons.xml_2003()
    if lowered.startswith(("<!doctype html", "<html", "<table", "mime-version:")) or (
        lowered.startswith("<") and ("<html" in lowered or "<table" in lowered)
    ):
        return reasons.html()
    return reasons.text_file()


def _as_text(head: bytes) -> str | None:
    """The start of the file as text when it reads as UTF-8/16 or GB18030 text; else None."""
    encoding = "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        return None
    for enc in (encoding, "gb18030"):
        try:
            text = codecs.getincrementaldecoder(enc)("strict").decode(head, final=False)
        except UnicodeDecodeError:
            continue
        text = text.lstrip("\ufeff")
        if not text.strip():
            return None
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return text if printable >= 0.95 * len(text) else None
    return None


def refuse_ole(data: bytes, suffix: str) -> UnreadableFileError:
    """An OLE compound file: an encrypted xlsx, an old .xls, a WPS .et, a .doc, or other."""
    names = ole_stream_names(data)
    if names is None:  # directory unreadable: look for the names in UTF-16 anywhere
        names = {
            n
            for n in (*_ENCRYPTED_STREAMS, "Workbook", "Book", "WordDocument", "WpsCustomData")
            if n.encode("utf-16-le") in data
        }
    if any(n in names for n in _ENCRYPTED_STREAMS):
        return reasons.encrypted()
    if "Workbook" in names or "Book" in names:
        if suffix.lower() == ".et":
            return reasons.wps_et()
        wps = any(m in names for m in _WPS_MARKERS) or any(
            m.encode() in data or m.encode("utf-16-le") in data for m in _WPS_MARKERS
        )
        return reasons.xls_or_et() if wps else reasons.old_xls()
    if "WordDocument" in names:
        return reasons.word_doc()
    return reasons.other_ole()


def ole_stream_names(data: bytes, max_sectors: int = 4096) -> set[str] | None:
    """Names in the directory of a compound file (MS-CFB), or None if it cannot be walked."""
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            return None
        size = 1 << shift
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        n_fat = struct.unpack_from("<I", data, 0x2C)[0]
        difat = struct.unpack_from("<109I", data, 0x4C)[: min(n_fat, 109)]
        fat: list[int] = []
        for sector in difat:
            off = (sector + 1) * size
            if off + size > len(data):
                return None
            fat.extend(struct.unpack_from(f"<{size // 4}I", data, off))
        names: set[str] = set()
        sector, seen = first_dir, 0
        while sector < 0xFFFFFFFA and seen < max_sectors:
            off = (sector + 1) * size
            if off + size > len(data) or sector >= len(fat):
                return names or None
            for e in range(off, off + size, 128):
                name_len = struct.unpack_from("<H", data, e + 64)[0]
                if 2 <= name_len <= 64:
                    names.add(data[e : e + name_len - 2].decode("utf-16-le", "replace"))
            sector = fat[sector]
            seen += 1
        return names
    except struct.error:
        return None


def refuse_zip_kind(names: list[str], mimetype: bytes | None) -> UnreadableFileError | None:
    """The reason a zip is not an xlsx, judged from its (lower-cased) part names; None if it may be."""
    if mimetype is not None:
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return reasons.ods()
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return reasons.opendocument_other()
    present = set(names)
    if "xl/workbook.bin" in present:
        return reasons.xlsb()
    if "xl/vbaproject.bin" in present:
        return reasons.xlsm()
    if "word/document.xml" in present:
        return reasons.docx()
    if "ppt/presentation.xml" in present:
        return reasons.pptx()
    return None
