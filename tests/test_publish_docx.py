"""`xlreport publish --to docx` read back with python-docx: every label and value at its
statutory position with its merge, the East Asian font on every run, header rows repeated
on every page, the vertical label, a landscape section for the tables too wide for A4."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from publish_helpers import (
    LAYOUTS,
    as_number,
    expected_positions,
    layout_of,
    sheet_top,
    trusted,
    write_return,
    write_summary,
)

from xlreport.api.publish import PublishRequest, publish_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("publish-docx")
    out: dict[str, Path] = {}
    for lid in LAYOUTS:
        out[f"{lid}-return"] = write_return(root / "returns", lid, seed=len(out) + 11)
        out[f"{lid}-summary"] = write_summary(root, lid)
    return out


def _publish(path: Path, out: Path, *, full: bool = False, force: bool = False) -> Any:
    result = publish_file(PublishRequest(path, "docx", out=out, full=full, force=force))
    assert result.written, result.to_json()
    return docx.Document(str(out))


def _sections_of_tables(document: Any) -> list[int]:
    """For each table of the body, the index of the section it is in."""
    index, out = 0, []
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}tbl":
            out.append(index)
        elif child.tag == f"{W}p" and child.find(f"{W}pPr/{W}sectPr") is not None:
            index += 1
    return out


@pytest.mark.parametrize("kind", ["return", "summary"])
@pytest.mark.parametrize("layout_id", LAYOUTS)
def test_every_cell_reads_back(
    files: dict[str, Path], tmp_path: Path, layout_id: str, kind: str
) -> None:
    src = files[f"{layout_id}-{kind}"]
    document = _publish(src, tmp_path / "out.docx")
    layout, data = layout_of(layout_id), trusted(src)
    assert len(document.tables) == len(layout.sheets)
    for table, sheet in zip(document.tables, layout.sheets, strict=True):
        assert len(table.columns) == sheet.width
        want = expected_positions(layout, sheet)
        covered: set[tuple[int, int]] = set()
        grid = table._cells  # python-docx's cell at each (row, column), merges resolved
        assert len(grid) == len(table.rows) * sheet.width

        def at(r: int, c: int, grid: list[Any] = grid, w: int = sheet.width) -> Any:
            return grid[r * w + c]

        for (r, c), exp in want.items():
            cell = at(r, c)
            far = at(r + exp.rowspan - 1, c + exp.colspan - 1)
            assert far._tc is cell._tc, f"{sheet.key} {(r, c)} not merged as the layout"
            for dr in range(exp.rowspan):
                for dc in range(exp.colspan):
                    covered.add((r + dr, c + dc))
            if exp.kind == "label":
                assert cell.text == exp.text, (sheet.key, r, c)
                tc_pr = cell._tc.tcPr
                direction = tc_pr.find(qn("w:textDirection")) if tc_pr is not None else None
                assert (direction is not None) == exp.vertical, exp.text
                if exp.vertical:
                    assert direction.get(qn("w:val")) == "tbRl"
            else:
                value = data.totals.get(exp.cell_id, Decimal(0))
                assert cell.text.strip(), f"{exp.cell_id} is blank"
                assert as_number(cell.text) == value, exp.cell_id
                assert cell.paragraphs[0].alignment == 2  # right
        # every position of the table is some label's or value's
        assert covered == {(r, c) for r in range(len(table.rows)) for c in range(sheet.width)}
        repeat = max(sheet.repeat_rows[1] - sheet_top(sheet) + 1, 0)
        flags = [
            tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
            for tr in table._tbl.tr_lst
        ]
        assert flags == [i < repeat for i in range(len(flags))], sheet.key
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.tag.split("}")[1] for b in borders} >= {
            "top",
            "left",
            "bottom",
            "right",
            "insideH",
            "insideV",
        }
        assert all(b.get(qn("w:val")) == "single" for b in borders)


@pytest.mark.parametrize("full", [False, True])
def test_fonts_on_every_run(files: dict[str, Path], tmp_path: Path, full: bool) -> None:
    document = _publish(files["gov-2021-return"], tmp_path / "f.docx", full=full, force=True)
    runs = list(document.element.body.iter(qn("w:r")))
    for s in document.sections:
        runs += list(s.header._element.iter(qn("w:r")))
    assert len(runs) > 100
    faces = set()
    for run in runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None, "a run without fonts"
        face = fonts.get(qn("w:eastAsia"))
        assert face in ("仿宋_GB2312", "黑体", "宋体")
        faces.add(face)
        assert not any("heme" in k for k in fonts.attrib)
    assert faces == ({"仿宋_GB2312", "黑体", "宋体"} if full else {"黑体", "宋体"})
    tables = {f.get(qn("w:eastAsia")) for t in document.tables for f in t._tbl.iter(qn("w:rFonts"))}
    assert tables == {"宋体"}


def test_styles_name_chinese_fonts_no_theme(files: dict[str, Path], tmp_path: Path) -> None:
    document = _publish(files["gov-2021-return"], tmp_path / "s.docx", full=True)
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert fonts.get(qn("w:eastAsia")) in ("仿宋_GB2312", "黑体", "宋体")
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert (
        document.styles["Normal"]
        .element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        .get(qn("w:eastAsia"))
        == "仿宋_GB2312"
    )
    assert (
        document.styles["Heading 1"]
        .element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        .get(qn("w:eastAsia"))
        == "黑体"
    )


@pytest.mark.parametrize("layout_id", LAYOUTS)
def test_a4_and_landscape_for_wide_tables(
    files: dict[str, Path], tmp_path: Path, layout_id: str
) -> None:
    for full in (False, True):
        document = _publish(files[f"{layout_id}-return"], tmp_path / "l.docx", full=full)
        layout = layout_of(layout_id)
        where = _sections_of_tables(document)
        orient = [document.sections[i].orientation for i in where]
        wide = [
            s.width > 6 for s in layout.sheets
        ]  # 三 (10 columns), 四 (15): too wide for A4 portrait
        assert orient == [WD_ORIENT.LANDSCAPE if w else WD_ORIENT.PORTRAIT for w in wide]
        for s in document.sections:
            long, short = max(s.page_width, s.page_height), min(s.page_width, s.page_height)
            assert (round(long.cm, 1), round(short.cm, 1)) == (29.7, 21.0)
            assert (s.page_width > s.page_height) == (s.orientation == WD_ORIENT.LANDSCAPE)
        if full:  # 五、六 and the sign-off are back on a portrait page
            assert document.sections[-1].orientation == WD_ORIENT.PORTRAIT
        widths = [
            sum(int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol")))
            for t in document.tables
        ]
        for t_width, i in zip(widths, where, strict=True):
            s = document.sections[i]
            text = s.page_width - s.left_margin - s.right_margin
            assert t_width <= text // 635 + 10  # EMU → twips


def test_full_skeleton_and_stamp(files: dict[str, Path], tmp_path: Path) -> None:
    bad = write_return(tmp_path, "gov-2021", code="A07", values={"s3.new.natural": "12件"})
    document = _publish(bad, tmp_path / "bad.docx", full=True, force=True)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "县测试局2023年政府信息公开工作年度报告"
    headings = [
        p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Table Heading")
    ]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert texts[-2:] == ["县测试局", "2024年  月  日"]
    for s in document.sections:  # every page of every section carries the stamp
        assert not s.header.is_linked_to_previous
        assert "未通过校验" in s.header.paragraphs[0].text
    # what the file holds where a number should be is printed, not a made-up 0
    cells = [c.text for c in document.tables[1]._cells]
    assert "12件" in cells


def test_no_fields_or_formulas(tmp_path: Path) -> None:
    src = write_return(tmp_path, "gov-2021", code="A08", name="=1+1 {=SUM(A1)}")
    out = tmp_path / "x.docx"
    _publish(src, out, full=True)
    with zipfile.ZipFile(out) as zf:
        body = zf.read("word/document.xml")
    assert b"fldSimple" not in body and b"instrText" not in body and b"fldChar" not in body
    assert "=1+1 {=SUM(A1)}2023年".encode() in body


def test_zip_is_deterministic_and_ordered(files: dict[str, Path], tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    _publish(files["gov-2019-summary"], a, full=True)
    _publish(files["gov-2019-summary"], b, full=True)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(io.BytesIO(a.read_bytes())) as zf:
        assert zf.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2024-01-01T00:00:00Z" in core and "xlreport-publish" in core


def test_shipped_template_is_what_the_script_builds() -> None:
    """xlreport/publish/template.docx is exactly tools/make_publish_template.py's output
    (rebuild and commit it after changing the script)."""
    import importlib.util

    from xlreport.publish.docx_writer import TEMPLATE

    script = Path(__file__).resolve().parent.parent / "tools" / "make_publish_template.py"
    spec = importlib.util.spec_from_file_location("make_publish_template", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == TEMPLATE.read_bytes()
    with zipfile.ZipFile(TEMPLATE) as zf:
        names = zf.namelist()
        settings = zf.read("word/settings.xml").decode()
        document = zf.read("word/document.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names
    assert 'w:eastAsia="zh-CN"' in settings
    assert 'w:w="11906"' in document and 'w:h="16838"' in document  # A4 in twips
