"""Text extracted from a Word document (like the seed report) → :class:`Document`.

Word's text export writes a table cell per line, indented by a tab, and an empty line
between rows; a cell's further lines (the vertical ``三、本年度办理结果`` one character
per line, ``结果\\n维持``) follow without the tab. Lines outside tables are paragraphs;
debris like ``[bookmark: _GoBack]`` is dropped. Column positions are not known here
(``geometric`` is false); text whose cell boundaries were lost (one line per row) is kept
as paragraphs, which the matcher reads as flattened rows.
"""

from __future__ import annotations

import re

from xlreport.importer.grid import Document, GCell, GRow, GTable
from xlreport.importer.issues import ImportRefused
from xlreport.importer.limits import ImportLimits

_DEBRIS = re.compile(r"\[(?:bookmark|link|image|footnote)[^\]]{0,200}\]", re.I)


def read_text(text: str, limits: ImportLimits) -> Document:
    if len(text) > limits.max_chars:
        raise ImportRefused(
            "import-too-large", f"文本有 {len(text)} 个字符，超过上限 {limits.max_chars}"
        )
    doc = Document("text")
    table: list[list[str]] | None = None
    row: list[str] | None = None
    cells = 0

    def end_table() -> None:
        nonlocal table, row
        if table:
            rows = [GRow(tuple(GCell(c.strip()) for c in r)) for r in table if r]
            doc.tables.append(GTable(rows, geometric=False))
        table, row = None, None

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _DEBRIS.sub("", raw).rstrip()
        if not raw.startswith("\t") and not line.strip():
            row = None  # an empty line ends the row (and, before a paragraph, the table)
            continue
        if raw.startswith("\t"):
            if table is None:
                table = []
            if row is None:
                row = []
                table.append(row)
            row.append(line.lstrip("\t"))
            cells += 1
            if cells > limits.max_cells:
                raise ImportRefused(
                    "import-unsafe", f"文本中的表格单元格超过 {limits.max_cells} 个"
                )
        elif row is not None and row:
            row[-1] += "\n" + line  # the cell goes on (a vertical label, a split header)
        else:
            end_table()
            doc.paragraphs.append(line.strip())
    end_table()
    if not doc.tables and doc.paragraphs:
        # cell boundaries lost (text copied from a web page): every line is read as a row,
        # a label followed by its numbers, and judged as such (never split by guessing)
        rows = [GRow((GCell(p),)) for p in doc.paragraphs[: limits.max_cells]]
        doc.tables.append(GTable(rows, geometric=False))
    return doc
