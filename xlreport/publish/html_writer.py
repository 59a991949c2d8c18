"""One standalone HTML5 page for a government website's content system.

Semantic tables (``caption``, ``th`` with ``scope``, ``colspan``/``rowspan`` as in the
statutory layout), inline styles only (a CMS strips ``<style>`` blocks and never loads a
style sheet), no scripts, no external resources; each table sits in a box that scrolls
sideways on a phone. Every text from the file is escaped.
"""

from __future__ import annotations

from html import escape

from xlreport.publish.content import Content
from xlreport.publish.grid import GridCell, GridTable

#: Recognises a page this module wrote (an earlier output may be replaced without --force).
GENERATOR = "xlreport publish"

_BODY = (
    "margin:0 auto;max-width:62em;padding:1em;color:#000;background:#fff;line-height:1.7;"
    "font-family:'FangSong_GB2312','仿宋_GB2312','FangSong','STFangsong',serif;font-size:16px"
)
_H1 = (
    "font-family:'SimHei','黑体','Heiti SC',sans-serif;font-size:1.6em;font-weight:normal;"
    "text-align:center;margin:1em 0"
)
_H2 = "font-family:'SimHei','黑体','Heiti SC',sans-serif;font-size:1.15em;font-weight:normal;margin:1.2em 0 .5em"
_P = "text-indent:2em;margin:.5em 0"
_PLACEHOLDER = "text-indent:2em;margin:.5em 0;color:#555"
_SIGNOFF = "text-align:right;margin:.3em 0"
_STAMP = (
    "border:2px solid #c00;color:#c00;font-family:'SimHei','黑体',sans-serif;font-size:1.2em;"
    "text-align:center;padding:.4em;margin:0 0 1em"
)
_BOX = "overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;margin:.5em 0 1em"
_TABLE = (
    "border-collapse:collapse;width:100%;font-family:'SimSun','宋体','Songti SC',serif;"
    "font-size:14px;line-height:1.4"
)
_CAPTION = (
    "caption-side:top;text-align:left;font-family:'SimHei','黑体','Heiti SC',sans-serif;"
    "font-size:1.15em;padding:.5em 0"
)
_CELL = "border:1px solid #000;padding:.3em .4em;vertical-align:middle"
_HEAD = _CELL + ";font-weight:normal;text-align:center"
_ROW = _CELL + ";font-weight:normal;text-align:left"
_VERTICAL = (
    _CELL + ";font-weight:normal;text-align:center;writing-mode:vertical-rl;letter-spacing:.2em"
)
_VALUE = _CELL + ";text-align:right;white-space:nowrap"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _spans(cell: GridCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def _cell(cell: GridCell) -> str:
    if cell.kind == "value":
        return f'<td{_spans(cell)} style="{_VALUE}">{_e(cell.text)}</td>'
    if cell.kind == "empty":
        return f'<td{_spans(cell)} style="{_CELL}"></td>'
    if cell.kind == "row":
        scope = "rowgroup" if cell.rowspan > 1 else "row"
        style = _VERTICAL if cell.vertical else _ROW
    else:
        scope = "colgroup" if cell.colspan > 1 else "col"
        style = _VERTICAL if cell.vertical else _HEAD
    return f'<th{_spans(cell)} scope="{scope}" style="{style}">{_e(cell.text)}</th>'


def _min_width(grid: GridTable) -> str:
    """Wide enough that no number wraps: the box scrolls on a narrow screen instead."""
    ems = grid.label_cols * 7 + (grid.width - grid.label_cols) * 4.5
    return f"min-width:{ems:g}em"


def table_html(grid: GridTable) -> list[str]:
    lines = [
        f'<div style="{_BOX}">',
        f'<table style="{_TABLE};{_min_width(grid)}">',
        f'<caption style="{_CAPTION}">{_e(grid.title)}</caption>',
    ]
    head, body = grid.rows[: grid.header_rows], grid.rows[grid.header_rows :]
    if head:
        lines.append("<thead>")
        lines += ["<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in head]
        lines.append("</thead>")
    lines.append("<tbody>")
    lines += ["<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in body]
    lines += ["</tbody>", "</table>", "</div>"]
    return lines


def render_html(content: Content, *, full: bool) -> bytes:
    """The page's bytes (UTF-8); the same content always gives the same bytes."""
    texts = content.texts
    title = content.full_title if full else content.tables_title
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{GENERATOR}">',
        f"<title>{_e(title)}</title>",
        "</head>",
        f'<body style="{_BODY}">',
    ]
    if content.stamped:
        lines.append(
            f'<p role="note" style="{_STAMP}"><strong>{_e(texts.stamp)}</strong>'
            f"<br>{_e(content.fill(texts.stamp_note))}</p>"
        )
    lines.append(f'<h1 style="{_H1}">{_e(title)}</h1>')
    if full:
        lines.append(f'<p style="{_P}">{_e(content.fill(texts.intro))}</p>')
    for part in content.parts(full):
        grid = content.grid(part.sheet) if part.sheet else None
        lines.append("<section>")
        if grid is not None:
            lines += table_html(grid)
        else:
            lines.append(f'<h2 style="{_H2}">{_e(part.heading)}</h2>')
            lines.append(f'<p style="{_PLACEHOLDER}">{_e(part.placeholder)}</p>')
        lines.append("</section>")
    if full:
        lines.append(f'<p style="{_SIGNOFF}">{_e(content.fill(texts.signoff_agency))}</p>')
        lines.append(f'<p style="{_SIGNOFF}">{_e(content.signoff_date)}</p>')
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines).encode("utf-8")


def is_published_html(head: bytes) -> bool:
    """Whether a file's first bytes are those of a page this module wrote."""
    return head.startswith(b"<!DOCTYPE html>") and (
        f'<meta name="generator" content="{GENERATOR}">'.encode() in head[:1024]
    )


__all__ = ["GENERATOR", "is_published_html", "render_html", "table_html"]
