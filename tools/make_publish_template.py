"""Build xlreport/publish/template.docx, the Word template of `xlreport publish`.

python-docx's own default template is an English one whose East Asian theme font is
Japanese (MS Mincho): a document built on it shows Chinese in a Japanese face unless every
run names its East Asian font. This template names them everywhere instead — the document
defaults and every style xlreport uses (仿宋_GB2312 body, 黑体 headings, 宋体 tables, the
East Asian language zh-CN), an A4 page with the margins of a government document — and is
saved deterministically (fixed dates, fixed zip entry times and order).

Run from the project root after changing a style, and commit the result:

    python tools/make_publish_template.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlreport.publish.content import load_texts  # noqa: E402
from xlreport.writer.zippack import pack  # noqa: E402

TARGET = ROOT / "xlreport" / "publish" / "template.docx"
LATIN = "Times New Roman"
BODY, HEADING, TABLE = "仿宋_GB2312", "黑体", "宋体"
#: Parts python-docx's default template carries that a report does not need.
DROPPED = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")


def set_fonts(rpr: etree._Element, east_asia: str) -> None:
    """Explicit fonts (no theme fonts) on a run-properties element."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
        rpr.remove(fonts)
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:hint"), "eastAsia")


def style(
    doc: Any,
    name: str,
    base: str | None,
    east_asia: str,
    size: float,
    *,
    bold: bool = False,
    align: Any = None,
    color: RGBColor | None = None,
) -> Any:
    """A paragraph style (made when missing) with explicit fonts, size and colour."""
    styles = doc.styles
    st = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if base is not None:
        st.base_style = styles[base]
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = color or RGBColor(0, 0, 0)
    set_fonts(st.element.get_or_add_rPr(), east_asia)
    if align is not None:
        st.paragraph_format.alignment = align
    return st


def build() -> bytes:
    geo = load_texts().geometry
    doc = Document()
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, BODY)
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = style(doc, "Normal", None, BODY, 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)
    title = style(doc, "Title", "Normal", HEADING, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    tpf = title.paragraph_format
    tpf.line_spacing = Pt(36)
    tpf.space_after = Pt(16)
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    h1 = style(doc, "Heading 1", "Normal", HEADING, 16)
    h1.paragraph_format.keep_with_next = True
    h1.paragraph_format.space_before = Pt(6)
    h1.paragraph_format.space_after = Pt(6)
    h1.paragraph_format.first_line_indent = Cm(1.13)
    body = style(doc, "Body Text", "Normal", BODY, 16)
    body.paragraph_format.first_line_indent = Cm(1.13)
    placeholder = style(doc, "Placeholder", "Body Text", BODY, 16, color=RGBColor(0x59, 0x59, 0x59))
    placeholder.paragraph_format.first_line_indent = Cm(1.13)
    cell = style(doc, "Table Text", "Normal", TABLE, 10.5)
    cpf = cell.paragraph_format
    cpf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cpf.first_line_indent = Cm(0)
    caption = style(doc, "Table Heading", "Heading 1", HEADING, 16)
    caption.paragraph_format.keep_with_next = True
    stamp = style(
        doc,
        "Stamp",
        "Normal",
        HEADING,
        14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RGBColor(0xC0, 0, 0),
    )
    stamp.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    style(doc, "Signoff", "Normal", BODY, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for name in ("Header", "Footer"):
        if name in [s.name for s in doc.styles]:
            style(doc, name, "Normal", BODY, 9)
    for fonts in list(styles_el.iter(qn("w:rFonts"))):  # no style left on a theme font
        if any("heme" in k for k in fonts.attrib) or fonts.get(qn("w:eastAsia")) is None:
            st_el = next(a for a in fonts.iterancestors() if a.tag == qn("w:style"))
            name = st_el.find(qn("w:name"))
            shown = (name.get(qn("w:val")) if name is not None else "") or ""
            heading = shown.lower().startswith(("heading", "title", "subtitle"))
            set_fonts(fonts.getparent(), HEADING if heading else BODY)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(geo.page_width), Cm(geo.page_height)
    section.top_margin, section.bottom_margin = Cm(geo.margin_top), Cm(geo.margin_bottom)
    section.left_margin, section.right_margin = Cm(geo.margin_left), Cm(geo.margin_right)
    props = doc.core_properties
    props.author = "xlreport"
    props.comments = ""
    props.title = ""
    props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    raw = io.BytesIO()
    doc.save(raw)
    with zipfile.ZipFile(raw) as zf:
        members = [(n, zf.read(n)) for n in zf.namelist() if n not in DROPPED]
    members = [(n, _drop_refs(n, d)) for n, d in members]
    return pack(members)


def _drop_refs(name: str, data: bytes) -> bytes:
    """Relationships and content types of the dropped parts removed."""
    if not (name.endswith(".rels") or name == "[Content_Types].xml"):
        return data
    root = etree.fromstring(data)
    for child in list(root):
        target = (child.get("Target") or child.get("PartName") or "").lstrip("/")
        if any(target.endswith(d.split("/")[-1]) for d in DROPPED):
            root.remove(child)
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def main() -> None:
    TARGET.write_bytes(build())
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
