"""Which kind of document a file is, from its bytes (never from its name)."""

from __future__ import annotations

import re
from typing import Literal

from xlreport.importer.issues import ImportRefused

DocKind = Literal["html", "docx", "pdf", "text"]

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|div|p)\b", re.I)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def decode_text(data: bytes) -> str | None:
    """Text of a file in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (what
    Chinese Windows saves); None when it is none of these or holds control bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            return None
    bad = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n\f")
    return None if bad > 0 else text


def sniff(data: bytes) -> DocKind:
    """The kind of ``data``; ImportRefused (import-unknown-kind) for anything else."""
    head = data[:4096]
    if head.lstrip().startswith(b"%PDF-") or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(_ZIP):
        if b"word/" in data[:200_000] or b"[Content_Types].xml" in data[:200_000]:
            return "docx"
        raise ImportRefused(
            "import-unknown-kind",
            "文件是压缩包（zip），但不是 Word 文档（.docx）",
            "请导入年报的 Word（.docx）、网页或 PDF 本身",
        )
    if head.startswith(_OLE):
        raise ImportRefused(
            "import-unknown-kind",
            "文件是旧版 Word 97-2003（.doc）或其他 Office 二进制文件",
            "请用 Word 或 WPS 打开后另存为 .docx 再导入",
        )
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.search(text_head[:2048]) or (
        text_head.startswith(b"<") and _HTML.search(data[:65536])
    ):
        return "html"
    if decode_text(data[:65536]) is not None or decode_text(data) is not None:
        return "text"
    raise ImportRefused(
        "import-unknown-kind",
        "文件不是网页、Word 文档、PDF 或文本（无法识别的二进制内容）",
        "请导入年报的网页（.html）、Word（.docx）、PDF 或文本文件",
    )
