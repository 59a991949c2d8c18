"""Published-report documents for the import tests, in the shapes real sites publish,
built from a layout's own label positions and a set of values.

- :func:`cms_html`: Word pasted into a CMS — ``MsoNormal`` paragraphs and spans inside every
  cell, ``&nbsp;`` before values, header text broken by ``<br/>``, no ``<th>``, spans as
  published, a sentence before each table, a navigation bar before the title;
- :func:`word_docx`: a Word document with merged cells (``gridSpan``/``vMerge``) made by
  python-docx;
- :func:`word_text`: Word's text export (one cell per line, tab-indented, empty line between
  rows, vertical label one character per line, ``[bookmark: _GoBack]``).

Options: ``typos`` replaces label texts (a published typo); ``six_as_one`` prints the 2021
（六）其他处理 as one row; ``blank`` leaves those cell ids blank; ``texts`` overrides what a
value cell shows (``75394432.52元``).
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from xlreport.spec.model import Layout, Sheet


@dataclass(frozen=True)
class Box:
    r1: int
    c1: int
    r2: int
    c2: int
    text: str
    kind: str  # label | value
    vertical: bool = False


def _fmt(v: Decimal | None) -> str:
    return "" if v is None else format(v, "f")


def boxes(
    layout: Layout,
    sheet: Sheet,
    values: Mapping[str, Decimal | None],
    *,
    typos: Mapping[str, str] | None = None,
    six_as_one: bool = False,
    texts: Mapping[str, str] | None = None,
) -> list[Box]:
    typos = typos or {}
    texts = texts or {}
    out: list[Box] = []
    skip_rows: set[int] = set()
    six_row: int | None = None
    if six_as_one:
        rows = [c for c in layout.cells.values() if c.sheet == sheet.key and ".other_" in c.id]
        if rows:
            rs = sorted({c.r for c in rows})
            six_row, skip_rows = rs[0], set(rs[1:])
    for lb in sheet.labels:
        if lb.role == "title" or not lb.text:
            continue
        if lb.r1 in skip_rows and lb.r2 in skip_rows:
            continue
        text = typos.get(lb.text, lb.text)
        r2 = lb.r2 - sum(1 for r in skip_rows if lb.r1 <= r <= lb.r2)
        if six_row is not None and lb.r1 == six_row and lb.text.startswith("（六）"):
            out.append(Box(lb.r1, lb.c1, lb.r1, lb.c2 + 1, text, "label"))
            continue
        if six_row is not None and lb.r1 == six_row and lb.text.startswith("1."):
            continue
        out.append(Box(lb.r1, lb.c1, r2, lb.c2, text, "label", lb.vertical))
    for cell in layout.cells.values():
        if cell.sheet != sheet.key or cell.r in skip_rows:
            continue
        v = values.get(cell.id)
        if six_row is not None and cell.r == six_row:
            parts = [
                values.get(c.id) for c in layout.cells.values()
                if c.sheet == sheet.key and c.col == cell.col and ".other_" in c.id
            ]  # fmt: skip
            v = sum((p for p in parts if p is not None), Decimal(0))
        out.append(Box(cell.r, cell.c, cell.r, cell.c2, texts.get(cell.id, _fmt(v)), "value"))
    # renumber rows without gaps
    rows_used = sorted({b.r1 for b in out})
    index = {r: i for i, r in enumerate(rows_used)}
    return [
        Box(index[b.r1], b.c1, index[b.r1] + (b.r2 - b.r1), b.c2, b.text, b.kind, b.vertical)
        for b in sorted(out, key=lambda b: (b.r1, b.c1))
    ]


def _split_header(text: str) -> str:
    """``本年新<br/>制作数量``: long header text broken in the middle, as Word wraps it."""
    t = html.escape(text)
    if 5 <= len(text) <= 8:
        return html.escape(text[:3]) + "<br/>" + html.escape(text[3:])
    return t


def cms_html(
    layout: Layout, agency: str, year: int, values: Mapping[str, Decimal | None], **kw: object
) -> str:
    parts = [
        "<html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>",
        "<div class='nav'><a href='/'>首页</a> &gt; 政府信息公开 &gt; 年度报告</div>",
        f"<p class=MsoNormal align=center><span style='font-family:黑体'>{html.escape(agency)}"
        f"{year}年度政府信息公开工作年度报告</span></p>",
        "<p class=MsoNormal><span>一、总体情况</span></p><p>……</p>",
    ]
    for sheet in layout.sheets:
        parts.append(f"<p class=MsoNormal><b><span>{html.escape(sheet.title)}</span></b></p>")
        parts.append("<p>该部分以表格形式报告。表格如下:</p>")
        parts.append("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>")
        bs = boxes(layout, sheet, values, **kw)  # type: ignore[arg-type]
        for r in range(max(b.r1 for b in bs) + 1):
            parts.append("<tr style='height:20.0pt'>")
            for b in (b for b in bs if b.r1 == r):
                span = ""
                if b.c2 > b.c1:
                    span += f" colspan={b.c2 - b.c1 + 1}"
                if b.r2 > b.r1:
                    span += f" rowspan={b.r2 - b.r1 + 1}"
                if b.kind == "value":
                    inner = f"&nbsp;{html.escape(b.text)}" if b.text else "&nbsp;"
                else:
                    inner = _split_header(b.text)
                parts.append(
                    f"<td{span} valign=center style='border:solid windowtext 1.0pt'>"
                    f"<p class=MsoNormal align=center><span style='font-size:10.0pt;"
                    f"font-family:仿宋_GB2312'><font face=仿宋_GB2312>{inner}</font></span></p></td>"
                )
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("<p>五、存在的主要问题及改进情况</p></body></html>")
    return "\n".join(parts)


def word_docx(
    layout: Layout, agency: str, year: int, values: Mapping[str, Decimal | None], **kw: object
) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(agency)
    d.add_paragraph(f"{year}年度政府信息公开工作年度报告")
    for sheet in layout.sheets:
        d.add_paragraph(sheet.title)
        bs = boxes(layout, sheet, values, **kw)  # type: ignore[arg-type]
        nrows = max(b.r2 for b in bs) + 1
        t = d.add_table(rows=nrows, cols=sheet.width)
        t.style = "Table Grid"
        for b in bs:
            cell = t.cell(b.r1, b.c1)
            if b.r2 > b.r1 or b.c2 > b.c1:
                cell = cell.merge(t.cell(b.r2, b.c2))
            cell.text = b.text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def word_text(
    layout: Layout, agency: str, year: int, values: Mapping[str, Decimal | None], **kw: object
) -> str:
    lines = [
        agency,
        f"{year}年度政府信息公开工作年度报告",
        "",
        "[bookmark: _GoBack]一、总体情况",
        "……",
    ]
    for sheet in layout.sheets:
        lines.append(sheet.title)
        bs = boxes(layout, sheet, values, **kw)  # type: ignore[arg-type]
        for r in range(max(b.r2 for b in bs) + 1):
            row: list[str] = []
            covered = [b for b in bs if b.r1 < r <= b.r2]
            starts = sorted([*(b for b in bs if b.r1 == r), *covered], key=lambda b: b.c1)
            for b in starts:
                if b.r1 < r:
                    row.append("\t")  # the merged cell above: an empty cell
                elif b.vertical:
                    row.append("\t" + b.text[:2] + "\n" + "\n".join(b.text[2:]))
                else:
                    row.append("\t" + b.text)
            lines += row
            lines.append("")
        lines.append("")
    lines.append("五、存在的主要问题及改进情况")
    return "\n".join(lines)
