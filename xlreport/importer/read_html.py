"""HTML pages (tables pasted from Word into a site's CMS) → :class:`Document`.

Parsed with lxml's HTML parser (libxml2: fast on a 300-thousand-character CMS page, no
network, no DTD processing; lxml is already installed as python-docx's dependency).
Spans come from ``colspan``/``rowspan``; ``<br>`` and ``<p>`` inside a cell become line
breaks; ``&nbsp;`` stays a (normalised-away) space; scripts and styles are skipped.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from xlreport.importer.grid import Document, GCell, place
from xlreport.importer.issues import ImportRefused
from xlreport.importer.limits import ImportLimits
from xlreport.importer.values import RAISED

_BLOCK = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "table",
     "title", "section", "article", "center", "blockquote", "pre"}
)  # fmt: skip
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "object", "iframe", "head"})
_MAX_SPAN = 100


def _span(value: str | None) -> int:
    try:
        n = int((value or "1").strip() or "1")
    except ValueError:
        return 1
    return min(max(n, 1), _MAX_SPAN)


#: Digits in ``<sup>`` / ``<sub>`` kept raised (:data:`~xlreport.importer.values.RAISED`).
_RAISED = {"sup": RAISED["superscript"], "sub": RAISED["subscript"]}


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text(el: Any, out: list[str], *, skip_tables: bool) -> None:
    """``el``'s text with a line break at every block element (nested tables skipped
    when ``skip_tables``)."""
    tag = _tag(el)
    if tag in _SKIP or not tag:
        return
    if tag in _RAISED:
        inner: list[str] = [el.text or ""]
        for child in el:
            _text(child, inner, skip_tables=skip_tables)
            inner.append(child.tail or "")
        out.append("".join(inner).translate(_RAISED[tag]))
        return
    if tag in _BLOCK:
        out.append("\n")
    if el.text:
        out.append(el.text)
    for child in el:
        ctag = _tag(child)
        if not (skip_tables and ctag == "table"):
            _text(child, out, skip_tables=skip_tables)
        if child.tail:
            out.append(child.tail)
    if tag in _BLOCK:
        out.append("\n")


def _cell_text(td: Any) -> str:
    out: list[str] = []
    if td.text:
        out.append(td.text)
    for child in td:
        if _tag(child) != "table":
            _text(child, out, skip_tables=True)
        if child.tail:
            out.append(child.tail)
    lines = [x.strip() for x in "".join(out).split("\n")]
    return "\n".join(x for x in lines if x)


def _own(el: Any, table: Any) -> bool:
    """Whether the nearest table above ``el`` is ``table``."""
    p = el.getparent()
    while p is not None and _tag(p) != "table":
        p = p.getparent()
    return p is table


def read_html(text: str, limits: ImportLimits) -> Document:
    if len(text) > limits.max_chars:
        raise ImportRefused(
            "import-too-large",
            f"网页有 {len(text)} 个字符，超过上限 {limits.max_chars}",
            "请确认文件来源",
        )
    # the text is already decoded (xlreport.importer.document.decode_text): handed over as
    # UTF-8 and read as such, never again by the page's own charset (a GB2312 page's labels
    # garbled) nor guessed as Latin-1 when it says none
    parser = etree.HTMLParser(
        recover=True,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        encoding="utf-8",
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    doc = Document("html")
    if root is None:
        return doc
    for elements, _el in enumerate(root.iter(), start=1):
        if elements > limits.max_elements:
            raise ImportRefused(
                "import-unsafe", f"网页的标签超过 {limits.max_elements} 个", "请确认文件来源"
            )
    title = root.find(".//title")
    doc.title_hint = "".join(title.itertext()).strip() if title is not None else ""
    body = root.find("body")
    out: list[str] = []
    _text(body if body is not None else root, out, skip_tables=False)
    doc.paragraphs = [p.strip() for p in "".join(out).split("\n") if p.strip()]
    cells = 0
    for table in root.iter("table"):
        depth = sum(1 for a in table.iterancestors() if _tag(a) == "table")
        if depth >= min(limits.max_depth, 50):
            raise ImportRefused("import-unsafe", "网页中的表格嵌套过深", "请确认文件来源")
        rows: list[list[GCell]] = []
        for tr in table.iter("tr"):
            if not _own(tr, table):
                continue
            row: list[GCell] = []
            for td in tr:
                if _tag(td) not in ("td", "th"):
                    continue
                cells += 1
                if cells > limits.max_cells:
                    raise ImportRefused(
                        "import-unsafe",
                        f"网页的表格单元格超过 {limits.max_cells} 个",
                        "请确认文件来源",
                    )
                row.append(
                    GCell(_cell_text(td), _span(td.get("colspan")), _span(td.get("rowspan")))
                )
            rows.append(row)
        if rows:
            doc.tables.append(place(rows))
    return doc
