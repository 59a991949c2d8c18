"""Files that are not xlsx workbooks at all, made in code: what agencies really send.

Compound files (encrypted xlsx, .xls, WPS .et), other zips (xlsb, ods, docx), text
(CSV, TXT, HTML, 2003 XML), PDF and a picture — each as its real format starts.
"""

from __future__ import annotations

import random
import struct
import zlib

from hostile.cfb import compound_file
from hostile.zipkit import deflated, raw_zip, stored

_CT_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
    b'schemas.openxmlformats.org/package/2006/content-types">'
)
_RELS_ROOT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
    b'"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
    b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="%s"/></Relationships>'
)
ROWS = [
    ("项目", "自然人", "商业企业", "总计"),
    ("一、本年新收政府信息公开申请数量", "12", "3", "15"),
    ("二、上年结转政府信息公开申请数量", "1", "0", "1"),
]


def _property_set(text: str) -> bytes:
    """A (minimal) property-set stream mentioning ``text`` as a UTF-16 string."""
    body = text.encode("utf-16-le") + b"\0\0"
    return struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, 1) + b"\0" * 20 + body


def _biff_workbook(rng: random.Random) -> bytes:
    """A Workbook stream that starts like BIFF8 (BOF record), padded to a real size."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x2775, 0x07CD, 0x000100C1, 0x0406)
    return bof + bytes(rng.getrandbits(8) for _ in range(12_000))


def encrypted_xlsx(rng: random.Random) -> bytes:
    """What Excel writes for “用密码进行加密”: an OLE file, agile encryption."""
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://'
        b'schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" '
        b'keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
        b'hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>'
    )
    package = struct.pack("<Q", 18_000) + bytes(rng.getrandbits(8) for _ in range(18_016))
    return compound_file(
        {
            "EncryptionInfo": info,
            "EncryptedPackage": package,
            "\x06DataSpaces": b"",
        }
    )


def old_xls(rng: random.Random) -> bytes:
    return compound_file(
        {
            "Workbook": _biff_workbook(rng),
            "\x05SummaryInformation": _property_set("Microsoft Excel"),
            "\x05DocumentSummaryInformation": _property_set("Sheet1"),
        }
    )


def wps_et(rng: random.Random) -> bytes:
    """A WPS 表格 .et: a compound file like .xls; only Kingsoft's markers tell it apart."""
    return compound_file(
        {
            "Workbook": _biff_workbook(rng),
            "ETExtData": bytes(rng.getrandbits(8) for _ in range(600)),
            "\x05DocumentSummaryInformation": _property_set("KSOProductBuildVer 2052-11.1.0.11830"),
        }
    )


def vba_project() -> bytes:
    return compound_file(
        {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1',
            "PROJECTwm": b"Module1\0M\0o\0d\0u\0l\0e\x001\0\0\0\0\0",
            "dir": b"\x01" + zlib.compress(b'Attribute VB_Name = "Module1"'),
        }
    )


def xlsb() -> bytes:
    ct = _CT_HEAD + (
        b'<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macro'
        b'Enabled.main"/><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-'
        b'excel.sheet.binary.macroEnabled.main"/><Override PartName="/xl/worksheets/sheet1.bin" '
        b'ContentType="application/vnd.ms-excel.worksheet"/></Types>'
    )
    brt = bytes([0x83, 0x01, 0x00, 0x80, 0x01, 0x00])  # BrtBeginBook, BrtFileVersion (truncated)
    return raw_zip([
        deflated("[Content_Types].xml", ct),
        deflated("_rels/.rels", _RELS_ROOT % b"xl/workbook.bin"),
        deflated("xl/workbook.bin", brt * 40),
        deflated("xl/worksheets/sheet1.bin", bytes([0x81, 0x01, 0x00, 0x82, 0x01, 0x00]) * 50),
    ])  # fmt: skip


def ods() -> bytes:
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:'
        b'names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:'
        b'xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:'
        b'version="1.3"><office:body><office:spreadsheet><table:table table:name="\xe4\xb8\x89">'
        b"<table:table-row><table:table-cell><text:p>12</text:p></table:table-cell></table:"
        b"table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
        b'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:'
        b'file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
        b'opendocument.spreadsheet"/></manifest:manifest>'
    )
    return raw_zip([
        stored("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        deflated("content.xml", content),
        deflated("META-INF/manifest.xml", manifest),
    ])  # fmt: skip


def docx() -> bytes:
    ct = _CT_HEAD + (
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://'
        'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
        "三、收到和处理政府信息公开申请情况（见下表）</w:t></w:r></w:p></w:body></w:document>"
    )
    return raw_zip([
        deflated("[Content_Types].xml", ct),
        deflated("_rels/.rels", _RELS_ROOT % b"word/document.xml"),
        deflated("word/document.xml", doc.encode()),
    ])  # fmt: skip


def zip_without_workbook(rng: random.Random) -> bytes:
    return raw_zip([
        deflated("新建文本文档.txt", "各单位年报数据见附件。".encode("gbk")),
        stored("照片.jpg", b"\xff\xd8\xff\xe0" + bytes(rng.getrandbits(8) for _ in range(3000))),
    ])  # fmt: skip


def csv_gbk() -> bytes:
    """Excel's “CSV (逗号分隔)” on a Chinese Windows: GBK, CRLF."""
    return "\r\n".join(",".join(r) for r in ROWS).encode("gbk") + b"\r\n"


def txt_utf16() -> bytes:
    """Excel's “Unicode 文本”: UTF-16 LE with BOM, tab-separated."""
    return "\ufeff".encode("utf-16-le") + "\r\n".join("\t".join(r) for r in ROWS).encode(
        "utf-16-le"
    )


def html_table() -> bytes:
    """What web systems export as “Excel”: an HTML table with Office namespaces."""
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS)
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-'
        'com:office:excel" xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv='
        '"Content-Type" content="text/html; charset=utf-8"></head><body><table border="1">'
        f"{cells}</table></body></html>"
    ).encode()


def xml_2003() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:'
        b'schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:'
        b'spreadsheet"><Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="Number">12'
        b"</Data></Cell></Row></Table></Worksheet></Workbook>"
    )


def pdf() -> bytes:
    """A small valid PDF (one empty A4 page), as “另存为 PDF” would start."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def png() -> bytes:
    """A 1×1 PNG: a screenshot of the table sent instead of the table."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def excel_lock_file() -> bytes:
    """The ``~$name.xlsx`` owner file Excel leaves beside a workbook that is open (165 bytes)."""
    user = "张三"
    head = bytes([len(user)]) + user.encode("gbk").ljust(53, b" ")
    return (head + struct.pack("<H", len(user)) + user.encode("utf-16-le")).ljust(165, b"\0")
