"""Word documents (.docx) → :class:`Document`: ``word/document.xml`` read from the zip
with the reader's bounded archive (zip bombs, oversized parts) and parsed without DTDs or
entities (defusedxml). Horizontal merges: ``w:gridSpan``; vertical: ``w:vMerge``."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from xlreport.codes import FindingCode
from xlreport.errors import UnreadableFileError
from xlreport.importer.grid import Document, GCell, GRow, GTable
from xlreport.importer.issues import ImportRefused
from xlreport.importer.limits import ImportLimits
from xlreport.importer.values import RAISED
from xlreport.reader.archive import Archive
from xlreport.reader.limits import ReadLimits

_UNSAFE_ZIP = frozenset({"zip-too-many-parts", "zip-bomb", "zip-part-too-large", "zip-too-large"})
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(el: Element) -> str:
    """A paragraph's text (tabs and breaks as spaces/newlines; digits of a superscript or
    subscript run kept raised, see :data:`~xlreport.importer.values.RAISED`)."""
    out: list[str] = []
    raised: dict[int, int] | None = None
    for node in el.iter():
        if node.tag == W + "r":  # a run: its text follows
            raised = RAISED.get(_val(node.find(f"{W}rPr/{W}vertAlign")))
        elif node.tag == W + "t" and node.text:
            out.append(node.text.translate(raised) if raised else node.text)
        elif node.tag == W + "tab":
            out.append(" ")
        elif node.tag in (W + "br", W + "cr"):
            out.append("\n")
    return "".join(out)


def _cell_text(tc: Element) -> str:
    return "\n".join(_text(p) for p in tc.iter(W + "p")).strip()


def _val(el: Element | None, default: str = "") -> str:
    if el is None:
        return default
    return el.get(W + "val", default)


def _table(tbl: Element, limits: ImportLimits, count: list[int]) -> GTable:
    """One table: cells with their grid columns; a vMerge continuation adds to the row
    span of the cell it continues."""
    rows: list[GRow] = []
    open_cells: dict[int, tuple[int, int]] = {}  # grid column → (row index, cell index)
    spans: list[list[list[int]]] = []  # per row, per cell: [colspan, rowspan]
    texts: list[list[str]] = []
    xs_all: list[list[int]] = []
    for tr in tbl.findall(W + "tr"):
        x = 0
        grid_before = tr.find(f"{W}trPr/{W}gridBefore")
        if grid_before is not None:
            x = int(_val(grid_before, "0") or 0)
        row_texts: list[str] = []
        row_spans: list[list[int]] = []
        row_xs: list[int] = []
        for tc in tr.findall(W + "tc"):
            count[0] += 1
            if count[0] > limits.max_cells:
                raise ImportRefused(
                    "import-unsafe", f"Word 文档的表格单元格超过 {limits.max_cells} 个"
                )
            pr = tc.find(W + "tcPr")
            span = int(_val(pr.find(W + "gridSpan") if pr is not None else None, "1") or 1)
            span = min(max(span, 1), 100)
            vm = pr.find(W + "vMerge") if pr is not None else None
            if vm is not None and _val(vm, "continue") != "restart":
                origin = open_cells.get(x)
                if origin is not None:
                    spans[origin[0]][origin[1]][1] += 1
                x += span
                continue
            row_texts.append(_cell_text(tc))
            row_spans.append([span, 1])
            row_xs.append(x)
            for k in range(span):
                open_cells.pop(x + k, None)
            if vm is not None:
                open_cells[x] = (len(texts), len(row_texts) - 1)
            x += span
        texts.append(row_texts)
        spans.append(row_spans)
        xs_all.append(row_xs)
    for t, s, xs in zip(texts, spans, xs_all, strict=True):
        cells = tuple(GCell(tx, sp[0], sp[1]) for tx, sp in zip(t, s, strict=True))
        rows.append(GRow(cells, tuple(xs)))
    return GTable(rows, geometric=True)


def read_docx(data: bytes, limits: ImportLimits) -> Document:
    rl = ReadLimits(
        max_file_bytes=limits.max_file_bytes,
        max_part_bytes=limits.max_docx_xml_bytes,
        max_total_bytes=limits.max_docx_xml_bytes * 2,
    )
    try:
        archive = Archive(data, rl)
        if not archive.has("word/document.xml"):
            raise ImportRefused("import-damaged", "Word 文档中缺少正文部件 word/document.xml")
        xml = b"".join(archive.chunks("word/document.xml"))
    except UnreadableFileError as e:
        unsafe = e.code in _UNSAFE_ZIP
        code: FindingCode = "import-unsafe" if unsafe else "import-damaged"
        what = e.message.replace("工作簿", "文档").replace("一份年报统计表", "一份年报")
        raise ImportRefused(code, f"Word 文档无法安全读取：{what}") from None
    if xml.count(b"<") > limits.max_elements * 2:
        raise ImportRefused("import-unsafe", "Word 文档的元素过多", "请确认文件来源")
    try:
        root: Any = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportRefused(
            "import-unsafe", "Word 文档中含有 DTD 或实体声明（可能是恶意构造的文件）"
        ) from None
    except Exception:
        raise ImportRefused("import-damaged", "Word 文档的正文不是有效的 XML") from None
    body = root.find(W + "body")
    doc = Document("docx")
    if body is None:
        return doc
    count = [0]

    def walk(el: Element, depth: int) -> None:
        if depth > limits.max_depth:
            raise ImportRefused("import-unsafe", "Word 文档嵌套过深")
        for child in el:
            if child.tag == W + "p":
                text = _text(child).strip()
                if text:
                    doc.paragraphs.append(text)
            elif child.tag == W + "tbl":
                doc.tables.append(_table(child, limits, count))
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
                walk(child, depth + 1)

    walk(body, 0)
    return doc
