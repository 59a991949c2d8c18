"""Files for the reader's tests and benchmark: packages built part by part, and hostile files.

Everything is generated: xlsx packages from XML text (so a test says exactly what the file
holds), compound (OLE) files from a minimal writer, zip bombs by repeating a flushed deflate
block. Binary content appears only where nothing else can make it.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WS_NS = f'xmlns="{MAIN}" xmlns:r="{REL}"'
CT_WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# --- xlsx packages from XML text ---------------------------------------------------------


def sheet_xml(sheet_data: str, after: str = "", before: str = "") -> str:
    """A worksheet part: ``sheet_data`` is the content of <sheetData>."""
    return f"{XML_DECL}<worksheet {WS_NS}>{before}<sheetData>{sheet_data}</sheetData>{after}</worksheet>"


def sst_xml(items: Iterable[str]) -> str:
    """A shared-strings part; each item is the inner XML of one <si>."""
    body = "".join(f"<si>{i}</si>" for i in items)
    return f'{XML_DECL}<sst xmlns="{MAIN}">{body}</sst>'


def package_parts(
    sheets: list[tuple[str, str]],
    *,
    sst: str | None = None,
    workbook_extra: str = "",
    states: Mapping[str, str] | None = None,
    sheet_targets: Mapping[str, str] | None = None,
    core: str | None = None,
    app: str | None = None,
) -> dict[str, str | bytes]:
    """The parts of a minimal xlsx: ``sheets`` are (name, worksheet XML) in order.

    ``sheet_targets`` overrides a sheet's relationship Target (as written in the rels part).
    ``workbook_extra`` goes after <sheets> (definedNames, calcPr, ...).
    """
    states = states or {}
    sheet_targets = sheet_targets or {}
    parts: dict[str, str | bytes] = {}
    overrides = [("/xl/workbook.xml", CT_WORKBOOK)]
    rels = []
    entries = []
    for i, (name, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
        overrides.append((f"/xl/worksheets/sheet{i}.xml", CT_SHEET))
        target = sheet_targets.get(name, f"worksheets/sheet{i}.xml")
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="{target}"/>')
        state = f' state="{states[name]}"' if name in states else ""
        entries.append(f'<sheet name="{_attr(name)}" sheetId="{i}"{state} r:id="rId{i}"/>')
    if sst is not None:
        parts["xl/sharedStrings.xml"] = sst
        overrides.append(("/xl/sharedStrings.xml", CT_SST))
        rels.append(
            f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    parts["xl/workbook.xml"] = (
        f"{XML_DECL}<workbook {WS_NS}><sheets>{''.join(entries)}</sheets>{workbook_extra}</workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>'
    )
    parts["_rels/.rels"] = (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    if core is not None:
        parts["docProps/core.xml"] = core
    if app is not None:
        parts["docProps/app.xml"] = app
    ct = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    parts["[Content_Types].xml"] = (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{ct}</Types>'
    )
    return parts


def zip_bytes(parts: Mapping[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def write_package(path: Path, parts: Mapping[str, str | bytes]) -> Path:
    path.write_bytes(zip_bytes(parts))
    return path


def one_sheet(
    sheet_data: str, *, sst: list[str] | None = None, name: str = "表1", workbook_extra: str = ""
) -> bytes:
    """A whole xlsx with one sheet; ``sst`` items are <si> inner XML."""
    return zip_bytes(
        package_parts(
            [(name, sheet_xml(sheet_data))],
            sst=sst_xml(sst) if sst is not None else None,
            workbook_extra=workbook_extra,
        )
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# --- compound (OLE) files ---------------------------------------------------------------------

_FREE, _END, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole_file(streams: Mapping[str, bytes]) -> bytes:
    """A minimal, valid compound file (512-byte sectors) holding ``streams``.

    Each stream is padded to at least 4,096 bytes so that it lives in regular sectors (no
    mini stream needed). Directory: the root entry, then the streams as a chain of right
    siblings.
    """
    sector = 512
    datas = [d.ljust(4096, b"\x00") for d in streams.values()]
    n_entries = 1 + len(datas)
    dir_sectors = -(-n_entries * 128 // sector)
    data_sectors = [-(-len(d) // sector) for d in datas]
    total = 1 + dir_sectors + sum(data_sectors)  # one FAT sector is enough for ≤ 127 sectors
    if total > 127:
        raise ValueError("streams too large for this minimal writer")
    fat = [_FATSECT]
    first_dir = len(fat)
    fat += [len(fat) + i + 1 for i in range(dir_sectors - 1)] + [_END]
    starts = []
    for n in data_sectors:
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(n - 1)] + [_END]
    fat += [_FREE] * (sector // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, first_dir, 0, 4096)
    struct.pack_into("<III", header, 0x3C, _END, 0, _END)
    struct.pack_into("<I", header, 0x48, 0)
    difat = [0] + [_FREE] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        e = bytearray(128)
        raw = name.encode("utf-16-le")
        e[0 : len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw) + 2, kind, 1)
        struct.pack_into("<III", e, 68, _FREE, right, child)
        struct.pack_into("<II", e, 116, start, size)
        return bytes(e)

    names = list(streams)
    entries = [entry("Root Entry", 5, 1 if names else _FREE, _FREE, _END, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _FREE
        entries.append(entry(name, 2, _FREE, right, starts[i], len(datas[i])))
    directory = b"".join(entries).ljust(dir_sectors * sector, b"\x00")
    body = struct.pack(f"<{sector // 4}I", *fat) + directory
    body += b"".join(d.ljust(n * sector, b"\x00") for d, n in zip(datas, data_sectors, strict=True))
    return bytes(header) + body


# --- zip bombs and lying headers ------------------------------------------------------------

_BOMB_BLOCK = 1 << 20


def _flushed_block(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)


def _final_block(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(zlib.Z_FINISH)


def raw_deflate_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of already-deflated members: (name, deflate stream, crc, declared size, real size).

    The declared size goes in both headers; it may lie about the real one.
    """
    out = bytearray()
    central = bytearray()
    for name, stream, crc, declared, _real in members:
        raw_name = name.encode()
        offset = len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            8,
            0,
            0,
            crc,
            len(stream),
            declared,
            len(raw_name),
            0,
        )
        out += raw_name + stream
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(stream),
            declared,
            len(raw_name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw_name
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0
    )
    return bytes(out + central + end)


def _deflated(data: bytes) -> bytes:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def bomb_xlsx(total: int = 1 << 30, declared: int | None = None) -> bytes:
    """An xlsx whose only sheet inflates to ``total`` bytes (spaces inside <sheetData>) from
    about total/1000 compressed bytes. ``declared`` is the size its headers claim (the truth
    when None)."""
    head = f"{XML_DECL}<worksheet {WS_NS}><sheetData>".encode()
    tail = b"</sheetData></worksheet>"
    blocks = max(1, (total - len(head) - len(tail)) // _BOMB_BLOCK)
    filler = b" " * _BOMB_BLOCK
    stream = _flushed_block(head) + _flushed_block(filler) * blocks + _final_block(tail)
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(tail, crc)
    real = len(head) + blocks * _BOMB_BLOCK + len(tail)
    small = package_parts([("表1", "")])
    members = []
    for name, data in small.items():
        if name == "xl/worksheets/sheet1.xml":
            members.append((name, stream, crc, real if declared is None else declared, real))
        else:
            raw = data.encode() if isinstance(data, str) else data
            members.append((name, _deflated(raw), zlib.crc32(raw), len(raw), len(raw)))
    return raw_deflate_zip(members)


def lying_sheet_xlsx(real: int, declared: int) -> bytes:
    """An xlsx whose sheet part's headers declare ``declared`` bytes but it inflates to
    ``real`` bytes of well-formed XML that compresses only ~4:1 (no ratio alarm)."""
    rnd = random.Random(7)
    head = f"{XML_DECL}<worksheet {WS_NS}><sheetData>".encode()
    tail = b"</sheetData></worksheet>"
    comment_len = real - len(head) - len(tail) - 7
    letters = bytes(rnd.choice(b"abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(1 << 16))
    body = (letters * (comment_len // len(letters) + 1))[:comment_len]
    # random letters, repeated every 64 KB: deflate's 32 KB window cannot see the repeat
    data = head + b"<!--" + body + b"-->" + tail
    parts = package_parts([("表1", "")])
    members = []
    for name, text in parts.items():
        raw = (
            data
            if name == "xl/worksheets/sheet1.xml"
            else (text.encode() if isinstance(text, str) else text)
        )
        size = declared if name == "xl/worksheets/sheet1.xml" else len(raw)
        members.append((name, _deflated(raw), zlib.crc32(raw), size, len(raw)))
    return raw_deflate_zip(members)


# --- the hostile corpus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One kind of file that must be refused; ``expect`` is a fragment of the Chinese message."""

    name: str
    suffix: str
    build: Callable[[Path], None]
    expect: str


def _bytes(data: bytes) -> Callable[[Path], None]:
    def build(p: Path) -> None:
        p.write_bytes(data)

    return build


def _lazy(make: Callable[[], bytes]) -> Callable[[Path], None]:
    cache: list[bytes] = []

    def build(p: Path) -> None:
        if not cache:
            cache.append(make())
        p.write_bytes(cache[0])

    return build


_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def _laughs(root: str) -> str:
    return f'{_LAUGHS}<{root} xmlns="{MAIN}">&lol9;</{root}>'


def _with_part(part: str, text: str) -> bytes:
    parts = package_parts(
        [("表1", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
        sst=sst_xml(["<t>x</t>"]),
    )
    parts[part] = text
    return zip_bytes(parts)


def _nested(depth: int) -> bytes:
    inner = "<a>" * depth + "</a>" * depth
    return zip_bytes(
        package_parts([("表1", f"{XML_DECL}<worksheet {WS_NS}><sheetData/>{inner}</worksheet>")])
    )


def _many_strings(n: int) -> bytes:
    # distinct strings: a table of one repeated string would be refused for its ratio first
    return zip_bytes(
        package_parts([("表1", sheet_xml(""))], sst=sst_xml(f"<t>{i}</t>" for i in range(n)))
    )


def _many_rows(n: int) -> bytes:
    rows = "".join(f'<row r="{i}"/>' for i in range(1, n + 1))
    return zip_bytes(package_parts([("表1", sheet_xml(rows))]))


def _many_cells(n: int) -> bytes:
    cells = "".join(f'<c r="A{i}"/>' for i in range(1, n + 1))
    return zip_bytes(package_parts([("表1", sheet_xml(f'<row r="1">{cells}</row>'))]))


def _zip_of(names: Mapping[str, bytes | str], stored_first: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first is not None:
            z.writestr(
                zipfile.ZipInfo(stored_first), names[stored_first], compress_type=zipfile.ZIP_STORED
            )
        for n, d in names.items():
            if n != stored_first:
                z.writestr(n, d)
    return buf.getvalue()


def _xlsm() -> bytes:
    parts = package_parts([("表1", sheet_xml(""))])
    parts["xl/vbaProject.bin"] = ole_file({"VBA": b"Attribute VB_Name"})
    text = parts["[Content_Types].xml"]
    assert isinstance(text, str)
    parts["[Content_Types].xml"] = text.replace(
        CT_WORKBOOK, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    )
    return zip_bytes(parts)


def _xlsm_by_type_only() -> bytes:
    parts = package_parts([("表1", sheet_xml(""))])
    text = parts["[Content_Types].xml"]
    assert isinstance(text, str)
    parts["[Content_Types].xml"] = text.replace(
        CT_WORKBOOK, "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    )
    return zip_bytes(parts)


def _truncated() -> bytes:
    data = one_sheet('<row r="1"><c r="A1"><v>1</v></c></row>')
    return data[: len(data) // 2]


def _many_elements(n: int) -> bytes:
    # random element names, so that the part does not compress enough to look like a bomb
    names = [f"<x{i:03x}/>" for i in range(4096)]
    picks = random.Random(3).randbytes(2 * n)
    junk = "".join(names[(picks[2 * k] << 4 | picks[2 * k + 1]) & 4095] for k in range(n))
    return zip_bytes(package_parts([("表1", sheet_xml("", after=f"<extLst>{junk}</extLst>"))]))


def _encrypted_member() -> bytes:
    """A package whose parts claim zip (ZipCrypto) encryption: flag bit 0 set everywhere."""
    data = bytearray(zip_bytes(package_parts([("表1", sheet_xml(""))])))
    for sig, flag_at in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        i = data.find(sig)
        while i >= 0:
            data[i + flag_at] |= 1
            i = data.find(sig, i + 4)
    return bytes(data)


def _shared_formula_amplification(length: int, dependents: int) -> bytes:
    """One master formula of ``length`` characters and many 20-byte dependents."""
    master = "+".join(f"A{i}" for i in range(1, length // 5))[:length].rstrip("+A")
    cells = f'<c r="B1"><f t="shared" ref="B1:B{dependents + 1}" si="0">{master}</f></c>'
    rows = [f'<row r="1">{cells}</row>'] + [
        f'<row r="{i}"><c r="B{i}"><f t="shared" si="0"/></c></row>'
        for i in range(2, dependents + 2)
    ]
    return zip_bytes(package_parts([("表1", sheet_xml("".join(rows)))]))


def _many_members(n: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(n):
            z.writestr(f"x/{i}", b"")
    return buf.getvalue()


def hostile_corpus() -> list[Hostile]:
    """Every kind of file the reader must refuse, with the gist of the reason it must give."""
    rnd = random.Random(42)
    ole_xls = ole_file(
        {"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00", "\x05SummaryInformation": b"\xfe\xff"}
    )
    wps_xls = ole_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00", "WpsCustomData": b"\x01"})
    encrypted = ole_file(
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00",
            "EncryptedPackage": b"\x00" * 64,
            "\x06DataSpaces": b"",
        }
    )
    minimal = package_parts([("表1", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))])
    docx = _zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    ods = _zip_of(
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
        "mimetype",
    )
    xlsb = _zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01"})
    csv_text = "单位,申请数\n县公安局,12\n县财政局,3\n".encode()
    html = b"<html><head><meta charset='utf-8'></head><body><table><tr><td>1</td></tr></table></body></html>"
    return [
        Hostile("empty", ".xlsx", _bytes(b""), "空"),
        Hostile(
            "random-bytes",
            ".xlsx",
            _bytes(bytes(rnd.randrange(256) for _ in range(4096))),
            "无法识别",
        ),
        Hostile(
            "random-bytes-zip-magic",
            ".xlsx",
            _bytes(b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(4096))),
            "损坏",
        ),
        Hostile("truncated-zip", ".xlsx", _bytes(_truncated()), "损坏"),
        Hostile(
            "zip-without-workbook",
            ".xlsx",
            _bytes(_zip_of({"readme.txt": "hello"})),
            "没有 Excel 工作簿",
        ),
        Hostile("zip-bomb-1gb", ".xlsx", _lazy(bomb_xlsx), "超过"),
        Hostile(
            "zip-bomb-lying-header",
            ".xlsx",
            _lazy(lambda: bomb_xlsx(declared=30 << 20)),
            "压缩炸弹",
        ),
        Hostile(
            "zip-bomb-tiny-header",
            ".xlsx",
            _lazy(lambda: bomb_xlsx(total=64 << 20, declared=4000)),
            "损坏",
        ),
        Hostile(
            "lying-size-header",
            ".xlsx",
            _lazy(lambda: lying_sheet_xlsx(real=8 << 20, declared=1 << 20)),
            "损坏",
        ),
        Hostile("deep-xml", ".xlsx", _bytes(_nested(100_000)), "嵌套"),
        Hostile(
            "laughs-shared-strings",
            ".xlsx",
            _bytes(_with_part("xl/sharedStrings.xml", _laughs("sst"))),
            "DTD",
        ),
        Hostile(
            "laughs-sheet",
            ".xlsx",
            _bytes(_with_part("xl/worksheets/sheet1.xml", _laughs("worksheet"))),
            "DTD",
        ),
        Hostile(
            "laughs-workbook",
            ".xlsx",
            _bytes(_with_part("xl/workbook.xml", _laughs("workbook"))),
            "DTD",
        ),
        Hostile(
            "external-entity",
            ".xlsx",
            _bytes(
                _with_part(
                    "xl/sharedStrings.xml",
                    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    f'<sst xmlns="{MAIN}"><si><t>&x;</t></si></sst>',
                )
            ),
            "DTD",
        ),
        Hostile(
            "undeclared-entity",
            ".xlsx",
            _bytes(
                _with_part("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>&x;</t></si></sst>')
            ),
            "不是有效的 XML",
        ),
        Hostile("encrypted", ".xlsx", _bytes(encrypted), "密码"),
        Hostile("xls-renamed", ".xlsx", _bytes(ole_xls), "97-2003"),
        Hostile("xls-by-wps", ".xls", _bytes(wps_xls), "WPS"),
        Hostile("wps-et", ".et", _bytes(ole_xls), "WPS 表格专用格式"),
        Hostile("doc-renamed", ".xlsx", _bytes(ole_file({"WordDocument": b"\xec\xa5"})), "Word"),
        Hostile("xlsm", ".xlsx", _bytes(_xlsm()), "宏"),
        Hostile("xlsm-content-type", ".xlsx", _bytes(_xlsm_by_type_only()), "宏"),
        Hostile("xlsb", ".xlsx", _bytes(xlsb), ".xlsb"),
        Hostile("ods", ".xlsx", _bytes(ods), ".ods"),
        Hostile("docx", ".xlsx", _bytes(docx), "Word"),
        Hostile("csv", ".xlsx", _bytes(csv_text), "纯文本"),
        Hostile(
            "txt-gbk", ".xlsx", _bytes("这是一个说明文件\r\n请查收".encode("gb18030")), "纯文本"
        ),
        Hostile("txt-utf16", ".xlsx", _bytes("\ufeff单位\t数量\r\n".encode("utf-16-le")), "纯文本"),
        Hostile("html-as-xls", ".xls", _bytes(html), "网页"),
        Hostile(
            "pdf", ".xlsx", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "PDF"
        ),
        Hostile("png", ".xlsx", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)), "图片"),
        Hostile("rar", ".xlsx", _bytes(b"Rar!\x1a\x07\x01\x00" + bytes(100)), "RAR"),
        Hostile(
            "million-shared-strings", ".xlsx", _lazy(lambda: _many_strings(1_000_000)), "文字条目"
        ),
        Hostile("million-empty-rows", ".xlsx", _lazy(lambda: _many_rows(1_000_000)), "行数"),
        Hostile("million-cells", ".xlsx", _lazy(lambda: _many_cells(1_000_000)), "单元格"),
        Hostile("million-elements", ".xlsx", _lazy(lambda: _many_elements(1_000_000)), "XML 元素"),
        Hostile(
            "cell-beyond-xfd",
            ".xlsx",
            _bytes(one_sheet('<row r="1"><c r="XFE1"><v>1</v></c></row>')),
            "单元格位置",
        ),
        Hostile(
            "row-beyond-max",
            ".xlsx",
            _bytes(one_sheet('<row r="1048577"><c><v>1</v></c></row>')),
            "行",
        ),
        Hostile(
            "bad-shared-string-index",
            ".xlsx",
            _bytes(one_sheet('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', sst=["<t>a</t>"])),
            "共享字符串",
        ),
        Hostile(
            "negative-shared-string-index",
            ".xlsx",
            _bytes(one_sheet('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>', sst=["<t>a</t>"])),
            "共享字符串",
        ),
        Hostile(
            "missing-sheet-part",
            ".xlsx",
            _bytes(zip_bytes({k: v for k, v in minimal.items() if "worksheets" not in k})),
            "缺少工作表",
        ),
        Hostile(
            "malformed-sheet-xml",
            ".xlsx",
            _bytes(zip_bytes({**minimal, "xl/worksheets/sheet1.xml": "<worksheet><sheetData>"})),
            "不是有效的 XML",
        ),
        Hostile(
            "shared-formula-amplification",
            ".xlsx",
            _lazy(lambda: _shared_formula_amplification(8000, 5000)),
            "共享公式",
        ),
        Hostile("zip-member-encrypted", ".xlsx", _bytes(_encrypted_member()), "加密"),
        Hostile(
            "zip-member-bzip2",
            ".xlsx",
            _bytes(
                zip_bytes(package_parts([("表1", sheet_xml(""))]), compression=zipfile.ZIP_BZIP2)
            ),
            "不支持的压缩方式",
        ),
        Hostile("too-many-members", ".xlsx", _lazy(lambda: _many_members(20_000)), "部件"),
    ]


def missing_path_and_directory(tmp: Path) -> list[tuple[Path, str]]:
    """A path that does not exist and a directory, with the gist of their reasons."""
    folder = tmp / "一个文件夹.xlsx"
    folder.mkdir(exist_ok=True)
    return [(tmp / "不存在的文件.xlsx", "找不到文件"), (folder, "文件夹")]


# --- LibreOffice ------------------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice")


def libreoffice_convert(sources: list[Path], outdir: Path, timeout: float = 600) -> list[Path]:
    """Re-save ``sources`` as xlsx with LibreOffice (batches of ≤ 200, a private profile)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo_profile_reader_") as profile:
        for i in range(0, len(sources), 200):
            batch = sources[i : i + 200]
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "xlsx",
                    "--outdir",
                    str(outdir),
                    *map(str, batch),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "HOME": profile},
            )
    outputs = [outdir / (s.stem + ".xlsx") for s in sources]
    missing = [p for p in outputs if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {len(missing)} of {len(outputs)} files")
    return outputs
