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


def _table_props(widths: list[float]) -> Any:
    tbl_pr = _el("w:tblPr")
    total = sum(round(w * _TWIPS_PER_CM) for w in widths)
    tbl_pr.append(_el("w:tblW", w=str(total), type="dxa"))
    tbl_pr.append(_el("w:jc", val="center"))
    tbl_pr.append(_borders())
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    tbl_pr.append(_el("w:tblLook", val="0000"))
    return tbl_pr


def _run(text: str, east_asia: str) -> Any:
    r = _el("w:r")
    rpr = _el("w:rPr")
    rpr.append(
        _el("w:rFonts", ascii=LATIN, hAnsi=LATIN, eastAsia=east_asia, cs=LATIN, hint="eastAsia")
    )
    r.append(rpr)
    t = _el("w:t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def _tc(width: float, style_id: str, g: GridCell | None, span: int, merge: str) -> Any:
    """One table cell: ``g`` the grid cell anchored here (None: the continuation of a
    cell merged down from above), ``merge`` its vMerge value ("" when none)."""
    tc = _el("w:tc")
    tc_pr = _el("w:tcPr")
    tc_pr.append(_el("w:tcW", w=str(round(width * _TWIPS_PER_CM)), type="dxa"))
    if span > 1:
        tc_pr.append(_el("w:gridSpan", val=str(span)))
    if merge == "restart":
        tc_pr.append(_el("w:vMerge", val="restart"))
    elif merge:
        tc_pr.append(_el("w:vMerge"))
    if g is not None and g.vertical:
        tc_pr.append(_el("w:textDirection", val="tbRl"))
    tc_pr.append(_el("w:vAlign", val="center"))
    tc.append(tc_pr)
    p = _el("w:p")
    p_pr = _el("w:pPr")
    p_pr.append(_el("w:pStyle", val=style_id))
    if g is not None:
        if g.kind == "value":
            align = "right"
        elif g.kind == "row" and not g.vertical:
            align = "left"
        else:
            align = "center"
        p_pr.append(_el("w:jc", val=align))
    p.append(p_pr)
    if g is not None:
        p.append(_run(g.text, FONT_TABLE))
    tc.append(p)
    return tc


def table_element(grid: GridTable, widths: list[float], style_id: str) -> Any:
    """The ``w:tbl`` of a grid: merged across with ``gridSpan``, down with ``vMerge``."""
    tbl = _el("w:tbl")
    tbl.append(_table_props(widths))
    tbl_grid = _el("w:tblGrid")
    for w in widths:
        tbl_grid.append(_el("w:gridCol", w=str(round(w * _TWIPS_PER_CM))))
    tbl.append(tbl_grid)
    down: dict[tuple[int, int], GridCell] = {}  # positions below an anchor merged down
    for g in grid.cells():
        for r in range(g.r + 1, g.r + g.rowspan):
            down[(r, g.c)] = g
    for r, row in enumerate(grid.rows):
        tr = _el("w:tr")
        tr_pr = _el("w:trPr")
        tr_pr.append(_el("w:cantSplit"))
        if r < grid.header_rows:
            tr_pr.append(_el("w:tblHeader"))
        tr.append(tr_pr)
        anchors = {g.c: g for g in row}
        c = 0
        while c < grid.width:
            here = anchors.get(c)
            if here is not None:
                width = sum(widths[c : c + here.colspan])
                merge = "restart" if here.rowspan > 1 else ""
                tr.append(_tc(width, style_id, here, here.colspan, merge))
                c += here.colspan
                continue
            above = down.get((r, c))
            if above is None:  # covered across by a cell of this row: not reached
                raise ValueError(f"grid position {(r, c)} is not covered")
            width = sum(widths[c : c + above.colspan])
            tr.append(_tc(width, style_id, None, above.colspan, "continue"))
            c += above.colspan
        tbl.append(tr)
    return tbl


def add_table(doc: Any, grid: GridTable, geo: PageGeometry, landscape: bool) -> Any:
    widths = column_widths(grid, geo, landscape)
    style_id = doc.styles["Table Text"].style_id
    tbl = table_element(grid, widths, style_id)
    doc.element.body._insert_tbl(tbl)
    return tbl


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
    for part in content.parts(full):
        grid = content.grid(part.sheet) if part.sheet else None
        wide = grid is not None and not fits_portrait(grid, geo)
        if wide != landscape:
            landscape = wide
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _orient(section, geo, landscape)
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
        for s in doc.sections:  # every section (the objects made earlier are stale)
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
