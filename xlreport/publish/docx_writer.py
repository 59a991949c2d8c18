"""The Word document: the statutory tables (and with ``full`` the whole report skeleton)
on the project's own template (``template.docx``, built by tools/make_publish_template.py).

Every run names its fonts itself, the East Asian one included (``w:eastAsia``): python-
docx's ``Font.name`` sets only the Latin ones, and a Chinese text would then fall back to
whatever the reader's theme says. Tables: the merged cells of the statutory layout
(``gridSpan`` / ``vMerge``), borders, fixed column widths, header rows repeated on every
page (``tblHeader``), the vertical label written top to bottom (``textDirection``),
numbers right-aligned; a table too wide for a portrait page gets a landscape section.
The bytes depend only on the content: fixed document dates, zip entry times and order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from xlreport.publish.content import Content, PageGeometry
from xlreport.publish.grid import GridCell, GridTable
from xlreport.writer.zippack import pack

TEMPLATE = Path(__file__).with_name("template.docx")
#: Recognises a document this module wrote (core property "keywords").
KEYWORDS = "xlreport-publish"
LATIN = "Times New Roman"
FONT_BODY, FONT_HEADING, FONT_TABLE = "仿宋_GB2312", "黑体", "宋体"
#: Estimated width of one character of a table label (五号, 10.5 pt) and a cell's padding.
_CHAR_CM, _PAD_CM, _LABEL_MAX_CM = 0.4, 0.4, 6.5
_TWIPS_PER_CM = 567


def set_run_fonts(run: Any, east_asia: str) -> None:
    """A run's fonts, all four named (``w:eastAsia`` included)."""
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph(container: Any, text: str, style: str, font: str) -> Any:
    p = container.add_paragraph(style=style)
    set_run_fonts(p.add_run(text), font)
    return p


def fits_portrait(grid: GridTable, geo: PageGeometry) -> bool:
    return sum(_min_widths(grid, geo)) <= geo.text_width(landscape=False)


def _vertical_cols(grid: GridTable) -> set[int]:
    return {c.c for c in grid.cells() if c.vertical and c.colspan == 1}


def _min_widths(grid: GridTable, geo: PageGeometry) -> list[float]:
    vertical = _vertical_cols(grid)
    return [
        geo.vertical_col
        if c in vertical
        else geo.label_col_min
        if c < grid.label_cols
        else geo.value_col_min
        for c in range(grid.width)
    ]


def column_widths(grid: GridTable, geo: PageGeometry, landscape: bool) -> list[float]:
    """Centimetres per column: value columns share the width left by the row labels
    (each label column as wide as its longest single-column label needs, within bounds);
    everything is scaled down when even the narrowest widths do not fit."""
    avail = geo.text_width(landscape)
    vertical = _vertical_cols(grid)
    need = [0.0] * grid.width
    for cell in grid.cells():
        if cell.colspan == 1 and cell.kind in ("row", "header") and not cell.vertical:
            need[cell.c] = max(need[cell.c], len(cell.text) * _CHAR_CM + _PAD_CM)
    widths: list[float] = []
    for c in range(grid.width):
        if c in vertical:
            widths.append(geo.vertical_col)
        elif c < grid.label_cols:
            widths.append(min(max(need[c], geo.label_col_min), _LABEL_MAX_CM))
        else:
            widths.append(0.0)
    values = [c for c in range(grid.width) if c >= grid.label_cols and c not in vertical]
    left = avail - sum(widths)
    each = left / len(values) if values else 0.0
    if values and each < geo.value_col_min:
        each = geo.value_col_min
        labels = [c for c in range(grid.width) if c < grid.label_cols and c not in vertical]
        room = avail - each * len(values) - sum(widths[c] for c in vertical)
        have = sum(widths[c] for c in labels)
        if labels and have > room > 0:
            for c in labels:
                widths[c] *= room / have
    for c in values:
        widths[c] = each
    total = sum(widths)
    if total > avail or (not values and total < avail and widths):
        widths = [w * avail / total for w in widths]
    return widths


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _borders() -> Any:
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    return borders


def _table_props(table: Any, widths: list[float]) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for tag in ("w:tblStyle", "w:tblW", "w:tblLayout", "w:tblBorders", "w:jc", "w:tblLook"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    total = sum(round(w * _TWIPS_PER_CM) for w in widths)
    tbl_pr.append(_el("w:tblW", w=str(total), type="dxa"))
    tbl_pr.append(_el("w:jc", val="center"))
    tbl_pr.append(_borders())
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(round(w * _TWIPS_PER_CM)))


def _cell_width(cell: Any, cm: float) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    old = tc_pr.find(qn("w:tcW"))
    if old is not None:
        tc_pr.remove(old)
    tc_pr.insert(0, _el("w:tcW", w=str(round(cm * _TWIPS_PER_CM)), type="dxa"))


def _fill(cell: Any, g: GridCell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = "Table Text"
    if g.kind == "value":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif g.kind == "row" and not g.vertical:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_fonts(p.add_run(g.text), FONT_TABLE)
    if g.vertical:
        tc_pr = cell._tc.get_or_add_tcPr()
        v_align = tc_pr.find(qn("w:vAlign"))
        direction = _el("w:textDirection", val="tbRlV")
        if v_align is not None:
            v_align.addprevious(direction)
        else:
            tc_pr.append(direction)


def add_table(doc: Any, grid: GridTable, geo: PageGeometry, landscape: bool) -> Any:
    widths = column_widths(grid, geo, landscape)
    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    table.autofit = False
    _table_props(table, widths)
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            _cell_width(cell, widths[c])
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_el("w:cantSplit"))
        if i < grid.header_rows:
            tr_pr.append(_el("w:tblHeader"))
    for g in grid.cells():
        if g.rowspan > 1 or g.colspan > 1:
            table.cell(g.r, g.c).merge(table.cell(g.r + g.rowspan - 1, g.c + g.colspan - 1))
    for g in grid.cells():
        _fill(table.cell(g.r, g.c), g)
    return table


def _orient(section: Any, geo: PageGeometry, landscape: bool) -> None:
    long, short = Cm(geo.page_height), Cm(geo.page_width)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
        section.top_margin, section.bottom_margin = Cm(geo.margin_left), Cm(geo.margin_right)
        section.left_margin, section.right_margin = Cm(geo.margin_top), Cm(geo.margin_bottom)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long
        section.top_margin, section.bottom_margin = Cm(geo.margin_top), Cm(geo.margin_bottom)
        section.left_margin, section.right_margin = Cm(geo.margin_left), Cm(geo.margin_right)


def _stamp(section: Any, content: Content) -> None:
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = "Stamp"
    set_run_fonts(p.add_run(content.texts.stamp), FONT_HEADING)


def _deterministic(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return pack((n, zf.read(n)) for n in zf.namelist())


def render_docx(content: Content, *, full: bool) -> bytes:
    """The document's bytes; the same content always gives the same bytes."""
    texts, geo = content.texts, content.texts.geometry
    doc = Document(str(TEMPLATE))
    title = content.full_title if full else content.tables_title
    props = doc.core_properties
    props.title = title
    props.author = "xlreport"
    props.last_modified_by = ""
    props.keywords = KEYWORDS
    props.comments = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(content.year + 1, 1, 1, tzinfo=dt.UTC)
    section = doc.sections[0]
    _orient(section, geo, landscape=False)
    landscape = False
    _paragraph(doc, title, "Title", FONT_HEADING)
    if content.stamped:
        _paragraph(doc, content.fill(texts.stamp_note), "Stamp", FONT_HEADING)
    if full:
        _paragraph(doc, content.fill(texts.intro), "Body Text", FONT_BODY)
    sections = [section]
    for part in content.parts(full):
        grid = content.grid(part.sheet) if part.sheet else None
        wide = grid is not None and not fits_portrait(grid, geo)
        if wide != landscape:
            landscape = wide
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _orient(section, geo, landscape)
            sections.append(section)
        if grid is None:
            _paragraph(doc, part.heading, "Heading 1", FONT_HEADING)
            _paragraph(doc, part.placeholder, "Placeholder", FONT_BODY)
            continue
        _paragraph(doc, grid.title, "Table Heading", FONT_HEADING)
        add_table(doc, grid, geo, landscape)
    if full:
        _paragraph(doc, "", "Normal", FONT_BODY)
        _paragraph(doc, content.fill(texts.signoff_agency), "Signoff", FONT_BODY)
        _paragraph(doc, content.signoff_date, "Signoff", FONT_BODY)
    if content.stamped:
        for s in sections:
            _stamp(s, content)
    out = io.BytesIO()
    doc.save(out)
    return _deterministic(out.getvalue())


def is_published_docx(path: Path) -> bool:
    """Whether ``path`` is a document this module wrote (its core property keywords)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 65536:
                return False
            core = zf.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return f"<cp:keywords>{KEYWORDS}</cp:keywords>".encode() in core


__all__ = [
    "KEYWORDS",
    "TEMPLATE",
    "add_table",
    "column_widths",
    "fits_portrait",
    "is_published_docx",
    "render_docx",
    "set_run_fonts",
]
