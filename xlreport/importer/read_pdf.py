"""PDF files with a text layer (a Word document printed to PDF) → :class:`Document`.

pdfplumber finds the ruled tables; each cell's bounding box gives its true grid column and
its spans (the distinct left edges of all cells are the grid's columns), so a merged header
is no guess. The page count, size and text per page are bounded; a PDF without any text
(a scan) is refused.
"""

from __future__ import annotations

import io
import logging
from bisect import bisect_left
from typing import Any

from xlreport.importer.grid import Document, GCell, GRow, GTable
from xlreport.importer.issues import ImportRefused
from xlreport.importer.limits import ImportLimits

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 2.0:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    i = bisect_left(edges, v - 2.0)
    return min(i, len(edges) - 1)


def _table(table: Any) -> GTable:
    texts = table.extract()
    boxes = [c for row in table.rows for c in row.cells if c is not None]
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    rows: list[GRow] = []
    for row, row_text in zip(table.rows, texts, strict=False):
        cells: list[GCell] = []
        starts: list[int] = []
        for box, text in zip(row.cells, row_text, strict=False):
            if box is None:
                continue
            c1, c2 = _index(xs, box[0]), _index(xs, box[2])
            r1, r2 = _index(ys, box[1]), _index(ys, box[3])
            cells.append(GCell((text or "").strip(), max(c2 - c1, 1), max(r2 - r1, 1)))
            starts.append(c1)
        rows.append(GRow(tuple(cells), tuple(starts)))
    return GTable(rows, geometric=True)


def read_pdf(data: bytes, limits: ImportLimits) -> Document:
    import pdfplumber  # imported here: only PDFs need it (and it is slow to import)
    from pdfminer.pdfparser import PDFSyntaxError

    doc = Document("pdf")
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = pdf.pages
            if len(pages) > limits.max_pdf_pages:
                raise ImportRefused(
                    "import-too-large",
                    f"PDF 有 {len(pages)} 页，超过上限 {limits.max_pdf_pages} 页",
                    "一份年度报告通常不超过 20 页；请确认文件无误",
                )
            for page in pages:
                if len(page.chars) > limits.max_pdf_page_chars:
                    raise ImportRefused("import-unsafe", "PDF 某页的文字过多，不像是一份年度报告")
                chars += len(page.chars)
                text = page.extract_text() or ""
                doc.paragraphs += [ln.strip() for ln in text.split("\n") if ln.strip()]
                for t in page.find_tables():
                    doc.tables.append(_table(t))
                page.flush_cache()
    except ImportRefused:
        raise
    except (PDFSyntaxError, Exception) as e:  # pdfminer raises many kinds on damaged files
        raise ImportRefused(
            "import-damaged", f"PDF 文件已损坏，无法读取（{type(e).__name__}）"
        ) from None
    if chars == 0:
        raise ImportRefused(
            "import-pdf-no-text", "PDF 中没有文字（多为扫描件或图片）", "请改用网页或 Word 版本导入"
        )
    return doc
