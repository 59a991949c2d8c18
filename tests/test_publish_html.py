"""`xlreport publish --to html`: the page read back with html.parser gives every label and
value of the return at its statutory position (with its merge), and the page is one
standalone, script-free HTML5 document in which the agency's text is only ever text."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import html5lib
import pytest
from publish_helpers import (
    LAYOUTS,
    as_number,
    expected_positions,
    layout_of,
    parse_page,
    sheet_top,
    trusted,
    write_return,
    write_summary,
)

from xlreport.api.publish import PublishRequest, publish_file


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("publish-html")
    out: dict[str, Path] = {}
    for lid in LAYOUTS:
        out[f"{lid}-return"] = write_return(root / "returns", lid, seed=len(out) + 5)
        out[f"{lid}-summary"] = write_summary(root, lid)
    return out


def _publish(path: Path, out: Path, *, full: bool = False) -> bytes:
    result = publish_file(PublishRequest(path, "html", out=out, full=full))
    assert result.written and not result.refused, result.to_json()
    return out.read_bytes()


@pytest.mark.parametrize("kind", ["return", "summary"])
@pytest.mark.parametrize("layout_id", LAYOUTS)
@pytest.mark.parametrize("full", [False, True])
def test_every_label_and_value_reads_back(
    files: dict[str, Path], tmp_path: Path, layout_id: str, kind: str, full: bool
) -> None:
    src = files[f"{layout_id}-{kind}"]
    page = parse_page(_publish(src, tmp_path / "out.html", full=full))
    layout, data = layout_of(layout_id), trusted(src)
    assert data.identity.kind == kind
    assert [t.caption for t in page.tables] == [s.title for s in layout.sheets]
    for table, sheet in zip(page.tables, layout.sheets, strict=True):
        got = table.positions()
        want = expected_positions(layout, sheet)
        assert set(got) == set(want), sheet.key
        for pos, exp in want.items():
            cell = got[pos]
            assert (cell.rowspan, cell.colspan) == (exp.rowspan, exp.colspan), (sheet.key, pos)
            if exp.kind == "label":
                assert cell.tag == "th" and cell.text == exp.text, (sheet.key, pos)
                if exp.role == "row":
                    scope = "rowgroup" if exp.rowspan > 1 else "row"
                else:
                    scope = "colgroup" if exp.colspan > 1 else "col"
                assert cell.attrs["scope"] == scope, (sheet.key, pos)
                assert ("writing-mode:vertical-rl" in cell.attrs["style"]) == exp.vertical
            else:
                assert cell.tag == "td", (sheet.key, pos)
                value = data.totals.get(exp.cell_id, Decimal(0))
                assert cell.text.strip(), f"{exp.cell_id} is blank"
                assert as_number(cell.text) == value, exp.cell_id
                assert "text-align:right" in cell.attrs["style"]
        repeat = sheet.repeat_rows[1] - sheet_top(sheet) + 1
        assert table.head_rows == max(repeat, 0)


def test_summary_values_are_the_sums(files: dict[str, Path], tmp_path: Path) -> None:
    """A summary prints its own (summed) values: 三's 总计 of 一 is the two returns' sum."""
    src = files["gov-2021-summary"]
    data = trusted(src)
    a = trusted(next((src.parent / "inbox-gov-2021").glob("*A01.xlsx")))
    b = trusted(next((src.parent / "inbox-gov-2021").glob("*A02.xlsx")))
    for cid in data.layout.cells:
        assert data.totals.get(cid, 0) == a.totals.get(cid, 0) + b.totals.get(cid, 0)
    page = parse_page(_publish(src, tmp_path / "s.html"))
    assert "测试县" in page.title


def test_full_page_has_the_skeleton(files: dict[str, Path], tmp_path: Path) -> None:
    src = files["gov-2021-return"]
    page = parse_page(_publish(src, tmp_path / "full.html", full=True))
    h1 = [t for tag, t in page.headings if tag == "h1"]
    assert h1 == ["县测试局2023年政府信息公开工作年度报告"]
    h2 = [t for tag, t in page.headings if tag == "h2"]
    assert [h[:2] for h in h2] == ["一、", "五、", "六、"]
    assert any("统计期限自2023年1月1日起至2023年12月31日止" in p for p in page.paragraphs)
    assert page.paragraphs[-2:] == ["县测试局", "2024年  月  日"]  # no 填报日期 in this file


def _validity(data: bytes) -> None:
    text = data.decode("utf-8")
    page = parse_page(data)
    assert text.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    tags = [t for t, _ in page.tags]
    assert tags.count("html") == tags.count("head") == tags.count("body") == 1
    assert "script" not in tags and "style" not in tags and "link" not in tags
    assert not {"img", "iframe", "object", "embed", "form", "base"} & set(tags)
    for _tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs)  # no event handlers
        for v in attrs.values():
            assert "url(" not in v and "javascript:" not in v.lower()
        assert "href" not in attrs and "src" not in attrs
    assert not re.search(r"(?i)https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text)
    assert '<meta charset="utf-8">' in text and 'name="viewport"' in text
    for table in page.tables:
        assert table.caption
    # every table sits in a box that scrolls sideways on a narrow screen
    boxes = [a["style"] for t, a in page.tags if t == "div"]
    assert len(boxes) == len(page.tables)
    assert all("overflow-x:auto" in s for s in boxes)
    # every element is closed in order (a cheap well-formedness check of what we write)
    stack: list[str] = []
    void = {"meta", "br"}
    for m in re.finditer(r"<(/?)([a-z0-9]+)[^>]*>", text):
        closing, tag = m.group(1) == "/", m.group(2)
        if tag in void:
            continue
        if closing:
            assert stack and stack.pop() == tag, m.group(0)
        else:
            stack.append(tag)
    assert stack == []
    # and the WHATWG parsing algorithm finds no parse error at all (html5lib, strict)
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


@pytest.mark.parametrize("layout_id", LAYOUTS)
def test_page_is_standalone_and_valid(
    files: dict[str, Path], tmp_path: Path, layout_id: str
) -> None:
    for full in (False, True):
        _validity(_publish(files[f"{layout_id}-return"], tmp_path / f"v{full}.html", full=full))


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>县局",
        "=1+1",
        '"><img src=x onerror=alert(1)>',
        "县&amp;局 {agency} {year}",
        "县\u202e局\x07",
    ],
)
def test_hostile_agency_name_is_only_text(tmp_path: Path, name: str) -> None:
    src = write_return(tmp_path, "gov-2021", code="A09", name=name)
    data = _publish(src, tmp_path / "h.html", full=True)
    _validity(data)
    text = data.decode("utf-8")
    assert "<script" not in text and "<img" not in text and "\u202e" not in text
    page = parse_page(data)
    shown = name.replace("\u202e", "").replace("\x07", "")
    h1 = next(t for tag, t in page.headings if tag == "h1")
    assert h1 == f"{shown}2023年政府信息公开工作年度报告"
    assert page.paragraphs[-2] == shown


def test_layout_labels_come_from_the_layout(files: dict[str, Path], tmp_path: Path) -> None:
    """A label the 2019 layout has and the 2021 one lacks is printed for 2019 only."""
    p19 = parse_page(_publish(files["gov-2019-return"], tmp_path / "a.html"))
    p21 = parse_page(_publish(files["gov-2021-return"], tmp_path / "b.html"))
    texts19 = {c.text for t in p19.tables for row in t.rows for c in row}
    texts21 = {c.text for t in p21.tables for row in t.rows for c in row}
    assert "第二十条第（九）项" in texts19 and "第二十条第（九）项" not in texts21


def test_parts_follow_the_texts_file(files: dict[str, Path]) -> None:
    """The parts come from texts.toml; a table no part names still comes after the others
    (a custom layout loses no table), and a part naming a sheet the layout lacks is left out."""
    from dataclasses import replace

    from xlreport.publish.content import Part, content_of

    content = content_of(trusted(files["gov-2021-return"]), errors=0, stamped=False)
    full = content.parts(full=True)
    assert [p.sheet for p in full] == ["", "s2", "s3", "s4", "", ""]
    assert [p.sheet for p in content.parts(full=False)] == ["s2", "s3", "s4"]
    fewer = (*(p for p in content.texts.parts if p.sheet != "s3"), Part(sheet="s9"))
    other = replace(content, texts=replace(content.texts, parts=fewer))
    assert [p.sheet for p in other.parts(full=True)] == ["", "s2", "s4", "s3", "", ""]
    assert [p.sheet for p in other.parts(full=False)] == ["s2", "s4", "s3"]
