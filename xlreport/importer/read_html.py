"""HTML pages (tables pasted from Word into a site's CMS) → :class:`Document`.

The standard library's tokenizer: no network, no DTD, only HTML's own named character
references. Spans come from ``colspan``/``rowspan``; ``<br>`` and ``<p>`` inside a cell
become line breaks; ``&nbsp;`` stays a (normalised-away) space.
"""

from __future__ import annotations

from html.parser import HTMLParser

from xlreport.importer.grid import Document, GCell, place
from xlreport.importer.issues import ImportRefused
from xlreport.importer.limits import ImportLimits

_BLOCK = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "table",
     "title", "section", "article", "center", "blockquote", "pre"}
)  # fmt: skip
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "object", "iframe"})
_MAX_SPAN = 100


def _span(value: str | None) -> int:
    try:
        n = int((value or "1").strip() or "1")
    except ValueError:
        return 1
    return min(max(n, 1), _MAX_SPAN)


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[GCell]] = []
        self.row: list[GCell] | None = None
        self.cell: list[str] | None = None
        self.spans = (1, 1)


class _Parser(HTMLParser):
    def __init__(self, limits: ImportLimits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.tables: list[_Table] = []  # open tables, innermost last
        self.done: list[_Table] = []
        self.paragraphs: list[str] = []
        self.para: list[str] = []
        self.title: list[str] = []
        self.in_title = False
        self.skip = 0
        self.elements = 0
        self.cells = 0

    def _flush(self) -> None:
        text = "".join(self.para).strip()
        if text:
            self.paragraphs.append(text)
        self.para = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > self.limits.max_elements:
            raise ImportRefused(
                "import-unsafe", f"网页的标签超过 {self.limits.max_elements} 个", "请确认文件来源"
            )
        if tag in _SKIP:
            self.skip += 1
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "title":
            self.in_title = True
        t = self.tables[-1] if self.tables else None
        if tag == "table":
            if len(self.tables) >= self.limits.max_depth:
                raise ImportRefused("import-unsafe", "网页中的表格嵌套过深", "请确认文件来源")
            self.tables.append(_Table())
        elif tag == "tr" and t is not None:
            self._end_cell(t)
            t.row = []
            t.rows.append(t.row)
        elif tag in ("td", "th") and t is not None:
            self._end_cell(t)
            if t.row is None:
                t.row = []
                t.rows.append(t.row)
            d = dict(attrs)
            t.cell = []
            t.spans = (_span(d.get("colspan")), _span(d.get("rowspan")))
            self.cells += 1
            if self.cells > self.limits.max_cells:
                raise ImportRefused(
                    "import-unsafe",
                    f"网页的表格单元格超过 {self.limits.max_cells} 个",
                    "请确认文件来源",
                )
        elif tag in ("br", "p", "div") and t is not None and t.cell is not None:
            t.cell.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _end_cell(self, t: _Table) -> None:
        if t.cell is not None and t.row is not None:
            text = "\n".join(x.strip() for x in "".join(t.cell).split("\n"))
            t.row.append(GCell(text.strip(), t.spans[0], t.spans[1]))
        t.cell = None

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "title":
            self.in_title = False
        if not self.tables:
            return
        t = self.tables[-1]
        if tag in ("td", "th"):
            self._end_cell(t)
        elif tag == "tr":
            self._end_cell(t)
            t.row = None
        elif tag == "table":
            self._end_cell(t)
            self.done.append(self.tables.pop())

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_title:
            self.title.append(data)
        self.para.append(data)
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.append(data)

    def close(self) -> None:
        super().close()
        while self.tables:
            t = self.tables.pop()
            self._end_cell(t)
            self.done.append(t)
        self._flush()


def read_html(text: str, limits: ImportLimits) -> Document:
    if len(text) > limits.max_chars:
        raise ImportRefused(
            "import-too-large",
            f"网页有 {len(text)} 个字符，超过上限 {limits.max_chars}",
            "请确认文件来源",
        )
    p = _Parser(limits)
    p.feed(text)
    p.close()
    doc = Document("html", paragraphs=p.paragraphs, title_hint="".join(p.title).strip())
    doc.tables = [place(t.rows) for t in p.done if t.rows]
    return doc
