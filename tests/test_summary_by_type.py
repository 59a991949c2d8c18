"""Issue 13: ``merge --by-type`` — the statutory tables once more for each 单位类型 group
that has returns (same layout and labels, the group's sums, the layout's total formulas
with right cached values, a cover saying which group and how many agencies, printed like
the county's tables); the groups add up to the county total; a summary with them still
passes ``xlreport check`` and merges upward; without the option nothing changes."""

from __future__ import annotations

import io
import json
import random
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import invoke
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lo import Job, run_jobs
from merge_helpers import NS, PASSWORD, checked, ident, random_values, sheet_paths, valid_values
from merge_helpers import xml_cells as read_cells
from pdf_render import pages, to_pdf

from xlreport.api.merge import MergeRequest, merge_returns
from xlreport.batch import check_paths
from xlreport.checks.model import CheckOptions
from xlreport.identity import (
    GUIDE_SHEET,
    META_SHEET,
    SHEET_NAME_MAX,
    SUMMARY_SHEETS,
    TYPE_GROUPS,
    type_sheet_names,
)
from xlreport.merge import MergeResult, merge_checked, merge_paths
from xlreport.merge.sheets import OVERVIEW_SHEET, STATUS_SHEET
from xlreport.merge.subtotals import GROUPS, type_layout
from xlreport.spec import resolve_layout
from xlreport.spec.model import Layout, a1
from xlreport.spec.sheet_map import INFO_ROW
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")
OPTIONS = CheckOptions(layout=L, year=2024)
TABLES = [s.name for s in L.sheets]
NAMES = type_sheet_names(TABLES)
GROUP_OF = dict(TYPE_GROUPS)
Cells = dict[str, tuple[str, str | None, str | None]]


def _sheet_order(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("xl/workbook.xml"))
    return [str(s.get("name")) for s in root.iterfind(".//m:sheets/m:sheet", NS)]


def _sheet_xml(data: bytes, name: str) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return ET.fromstring(zf.read(sheet_paths(data)[name]))


def _defined_names(data: bytes) -> dict[tuple[str, str], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("xl/workbook.xml"))
    order = _sheet_order(data)
    out = {}
    for d in root.iterfind(".//m:definedNames/m:definedName", NS):
        sheet = d.get("localSheetId")
        if sheet is not None:
            out[(order[int(sheet)], str(d.get("name")))] = d.text or ""
    return out


def _number(cells: Cells, ref: str) -> Decimal:
    v = cells[ref][2]
    assert v is not None, ref
    return Decimal(v)


def _table_values(data: bytes, names: dict[str, str]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Every cell of the layout (value) and every total's formula, read from the sheets
    ``names`` (sheet key → sheet name in the workbook)."""
    values: dict[str, Decimal] = {}
    formulas: dict[str, str] = {}
    for key, name in names.items():
        cells = read_cells(data, name)
        for cell in L.cells.values():
            if cell.sheet != key:
                continue
            ref = a1(cell.r, cell.c)
            values[cell.id] = _number(cells, ref)
            f = cells[ref][1]
            if cell.kind == "total":
                assert f, (name, ref)
                formulas[cell.id] = f
            else:
                assert f is None, (name, ref)
    return values, formulas


def _county(data: bytes) -> tuple[dict[str, Decimal], dict[str, str]]:
    return _table_values(data, {s.key: s.name for s in L.sheets})


def _of_group(data: bytes, group: str) -> tuple[dict[str, Decimal], dict[str, str]]:
    return _table_values(data, {s.key: NAMES[(s.name, group)] for s in L.sheets})


def _inputs(values: dict[str, Decimal]) -> dict[str, Decimal]:
    return {c.id: values[c.id] for c in L.inputs()}


# --- the sheet names ------------------------------------------------------------------------


def test_type_sheet_names_are_the_sheet_and_the_group() -> None:
    assert NAMES[("二、主动公开", "乡镇")] == "二、主动公开（乡镇）"
    assert [NAMES[(TABLES[0], g)] for g in GROUPS] == [f"{TABLES[0]}（{g}）" for g in GROUPS]


def test_long_and_colliding_names_are_cut_and_numbered() -> None:
    long_a = "一二三四五六七八九十" * 3 + "甲"
    long_b = "一二三四五六七八九十" * 3 + "乙"
    names = type_sheet_names([long_a, long_b, "表（乡镇）", "表"])
    a, b = names[(long_a, "县直部门")], names[(long_b, "县直部门")]
    assert len(a) == len(b) == SHEET_NAME_MAX and a != b
    assert a.endswith("（县直部门）") and b.endswith("2（县直部门）")
    # "表" for 乡镇 would be the layout's own "表（乡镇）"
    assert names[("表", "乡镇")] == "表2（乡镇）"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet="二三、主动公开（）乡镇街道其他县直部门ab", min_size=1, max_size=31),
        min_size=1,
        max_size=6,
        unique_by=str.casefold,
    )
)
def test_type_sheet_names_fit_excel_and_never_clash(sheets: list[str]) -> None:
    names = type_sheet_names(sheets)
    assert set(names) == {(s, g) for s in sheets for g in GROUPS}
    given_names = {n.casefold() for n in (*sheets, *SUMMARY_SHEETS, GUIDE_SHEET, META_SHEET)}
    folded = [n.casefold() for n in names.values()]
    assert len(set(folded)) == len(folded)
    assert not set(folded) & given_names
    for (_sheet, group), name in names.items():
        assert len(name) <= SHEET_NAME_MAX and name.endswith(f"（{group}）")
    assert type_sheet_names(sheets) == names  # the same every time


# --- the workbook ---------------------------------------------------------------------------

MIXED = [("部门", 1), ("部门", 2), ("乡镇", 3), ("", 4), ("街道", 5)]


def _merge(
    tmp_path: Path, found: list[tuple[str, int]], *, by_type: bool = True
) -> tuple[bytes, MergeResult, list[str]]:
    """``found``: (roster type or "" for none, seed) per agency → summary bytes, result and
    each agency's expected group (no roster type: its template's, 部门 in these returns)."""
    files, types, expected = [], {}, []
    for i, (kind, seed) in enumerate(found):
        code = f"A{i:02d}"
        f = checked(L, code, random_values(L, random.Random(seed)), name=f"单位{i}")
        files.append(f)
        if kind:
            types[code] = kind
        assert f.data is not None
        expected.append(GROUP_OF.get(kind or f.data.identity.agency_type, "其他"))
    out = tmp_path / f"s{len(found)}-{abs(hash(tuple(found)))}-{by_type}.xlsx"
    result = merge_checked(files, out, OPTIONS, name="某县", roster_types=types, by_type=by_type)
    assert result.summary_written
    return out.read_bytes(), result, expected


def test_type_tables_follow_the_county_tables_one_set_per_group_with_returns(
    tmp_path: Path,
) -> None:
    data, result, expected = _merge(tmp_path, MIXED)
    present = [g for g in GROUPS if g in expected]
    assert present == ["县直部门", "乡镇", "街道"]  # 其他 has no return: no tables
    names = _sheet_order(data)
    county_end = names.index(TABLES[-1]) + 1
    assert names[:county_end] == [OVERVIEW_SHEET, *TABLES]
    per_type = [NAMES[(s, g)] for g in present for s in TABLES]
    assert names[county_end : county_end + len(per_type)] == per_type
    assert names.index(STATUS_SHEET) == county_end + len(per_type)
    assert result.by_type == {"县直部门": 3, "乡镇": 1, "街道": 1}


def test_type_tables_have_the_layouts_labels_formulas_cover_and_print_setup(
    tmp_path: Path,
) -> None:
    data, result, expected = _merge(tmp_path, MIXED)
    county_cells = {s.name: read_cells(data, s.name) for s in L.sheets}
    county_names = _defined_names(data)
    _county_values, county_formulas = _county(data)
    for g in ("县直部门", "乡镇", "街道"):
        for sheet in L.sheets:
            name = NAMES[(sheet.name, g)]
            cells = read_cells(data, name)
            for lb in sheet.labels:
                if lb.text:
                    assert cells[a1(lb.r1, lb.c1)][2] == lb.text, (name, lb.text)
            cover = cells[a1(INFO_ROW, 0)][2] or ""
            assert "汇总单位：某县" in cover and f"汇总编号：{result.summary_id}" in cover
            assert f"单位类型“{g}”，汇总 {expected.count(g)} 个单位" in cover
            # the 勾稽检查 beside the tables: the same rules, the same formulas
            for ref, (_t, f, _v) in county_cells[sheet.name].items():
                if f and ref in cells:
                    assert cells[ref][1] is not None, (name, ref)
            # printed as the county's tables: same page setup, margins, print area and titles
            county_xml, xml = _sheet_xml(data, sheet.name), _sheet_xml(data, name)
            for tag in ("pageSetup", "printOptions", "pageMargins"):
                a, b = county_xml.find(f"m:{tag}", NS), xml.find(f"m:{tag}", NS)
                assert a is not None and b is not None and a.attrib == b.attrib, tag
            header = xml.find("m:headerFooter/m:oddHeader", NS)
            footer = xml.find("m:headerFooter/m:oddFooter", NS)
            assert header is not None and f"某县（{g}）" in (header.text or "")
            assert footer is not None and "第 &P 页 共 &N 页" in (footer.text or "")
            for what in ("_xlnm.Print_Area", "_xlnm.Print_Titles"):
                want = county_names[(sheet.name, what)].replace(f"'{sheet.name}'", f"'{name}'")
                assert county_names[(name, what)] == want
            assert xml.find("m:dataValidations", NS) is None  # not typed into
            assert xml.find("m:sheetProtection", NS) is not None
        _group_values, formulas = _of_group(data, g)
        assert formulas == county_formulas  # the layout's formulas (no cross-sheet terms)


def _check_summary(data: bytes, result: MergeResult, expected: list[str]) -> None:
    county, _f = _county(data)
    assert county == result.values
    total = dict.fromkeys((c.id for c in L.inputs()), Decimal(0))
    present = [g for g in GROUPS if g in expected]
    names = set(_sheet_order(data))
    for g in GROUPS:
        if g not in present:
            assert not {NAMES[(s, g)] for s in TABLES} & names
            continue
        values, _formulas = _of_group(data, g)
        # every total's cached value is the layout's total of the sheet's own inputs
        assert values == L.compute_totals(_inputs(values)), g
        for cid, v in _inputs(values).items():
            total[cid] += v
    assert total == _inputs(county)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a workbook each: no long shrinking
)
@given(
    st.lists(
        st.tuples(st.sampled_from([t for t, _g in TYPE_GROUPS] + [""]), st.integers(0, 2**31)),
        min_size=1,
        max_size=14,
    )
)
def test_the_types_add_up_to_the_county_total(tmp_path: Path, found: list[tuple[str, int]]) -> None:
    """Property: whatever the returns and their types, every input cell summed over the
    type tables is the county's cell, and every type table's total caches the layout's
    total of its own inputs."""
    data, result, expected = _merge(tmp_path, found)
    _check_summary(data, result, expected)
    counts = {g: expected.count(g) for g in GROUPS if g in expected}
    assert result.by_type == counts


def test_without_by_type_there_are_no_type_tables(tmp_path: Path) -> None:
    data, result, _expected = _merge(tmp_path, MIXED, by_type=False)
    assert not set(NAMES.values()) & set(_sheet_order(data))
    assert result.by_type is None


# --- real files: check, upward merge, the command -------------------------------------------

ROSTER = [("A0", "部门"), ("A1", "乡镇"), ("A2", "街道"), ("A3", "部门")]


@pytest.fixture
def inbox(tmp_path: Path) -> tuple[Path, Path]:
    rng = random.Random(13)
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    lines = ["单位编码,单位名称,单位类型"]
    for code, kind in ROSTER:
        data = build_workbook(
            L, ident(L, code, f"单位{code}"), password=PASSWORD, values=dict(valid_values(L, rng))
        )
        (folder / f"单位{code}.xlsx").write_bytes(data)
        lines.append(f"{code},单位{code},{kind}")
    roster = tmp_path / "名单.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, roster


def test_a_by_type_summary_passes_check_and_merges_upward(
    inbox: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, roster = inbox
    out = tmp_path / "县.xlsx"
    res = merge_returns(MergeRequest([folder], out, roster=roster, name="某县", by_type=True))
    assert res.exit_code == 0
    county = res.outcome
    assert county.by_type == {"县直部门": 2, "乡镇": 1, "街道": 1}
    assert json.loads(res.to_json())["summary"]["by_type"] == county.by_type
    expected = ["县直部门", "乡镇", "街道", "县直部门"]
    _check_summary(out.read_bytes(), county, expected)
    [report] = check_paths([out], CheckOptions())
    codes = [f.code for f in report.report.findings]
    assert report.data is not None and not report.report.errors, codes
    assert not {"sheet-added", "sheet-missing", "sheet-renamed"} & set(codes), codes
    assert report.data.identity.kind == "summary"
    assert {k: report.data.totals[k] for k in county.values} == county.values
    # the city: the county's numbers, from the county's own tables only
    city = merge_paths([out], tmp_path / "市.xlsx", CheckOptions(), name="某市")
    assert city.exit_code == 0 and city.values == county.values
    # … and with --by-type too: a summary merged upward counts as 其他, with its agencies
    city2 = merge_paths([out], tmp_path / "市2.xlsx", CheckOptions(), name="某市", by_type=True)
    assert city2.values == county.values and city2.by_type == {"其他": 4}
    [again] = check_paths([tmp_path / "市2.xlsx"], CheckOptions())
    assert not again.report.errors
    assert not {"sheet-added", "sheet-missing"} & {f.code for f in again.report.findings}


def test_merge_cli_by_type(inbox: tuple[Path, Path], tmp_path: Path) -> None:
    folder, roster = inbox
    argv = ["merge", str(folder), "--roster", str(roster), "--name", "某县"]
    code, text, _err = invoke([*argv, "--out", str(tmp_path / "a.xlsx"), "--by-type"])
    assert code == 0
    lines = [line.strip() for line in text.splitlines() if "分类统计表" in line]
    assert lines == [
        "分类统计表：县直部门（2 个单位）",
        "分类统计表：乡镇（1 个单位）",
        "分类统计表：街道（1 个单位）",
    ]
    code, out, _err = invoke([*argv, "--out", str(tmp_path / "b.xlsx"), "--by-type", "--json"])
    assert code == 0
    assert json.loads(out)["summary"]["by_type"] == {"县直部门": 2, "乡镇": 1, "街道": 1}
    code, out, _err = invoke([*argv, "--out", str(tmp_path / "c.xlsx"), "--json"])
    assert code == 0 and "by_type" not in json.loads(out)["summary"]
    code, text, _err = invoke([*argv, "--out", str(tmp_path / "d.xlsx")])
    assert "分类统计表" not in text


def test_type_layout_renames_only_the_sheets() -> None:
    layout: Layout = type_layout(L, "乡镇")
    assert [s.name for s in layout.sheets] == [NAMES[(s, "乡镇")] for s in TABLES]
    assert [s.key for s in layout.sheets] == [s.key for s in L.sheets]
    assert layout.cells == L.cells and layout.totals == L.totals and layout.checks == L.checks
    assert layout.compiled.formulas == L.compiled.formulas
    assert [s.name for s in L.sheets] == TABLES  # the layout itself is untouched


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_type_tables(inbox: tuple[Path, Path], tmp_path: Path) -> None:
    """LibreOffice opens the summary, recalculates every formula and saves it: each type's
    totals are what the summary cached, and the re-saved summary still checks and merges."""
    folder, roster = inbox
    out = tmp_path / "县.xlsx"
    res = merge_returns(MergeRequest([folder], out, roster=roster, name="某县", by_type=True))
    resaved = tmp_path / "lo" / "县.xlsx"
    resaved.parent.mkdir()
    run_jobs([Job(out, resaved)])
    before, after = out.read_bytes(), resaved.read_bytes()
    for g in ("县直部门", "乡镇", "街道"):
        assert _of_group(after, g)[0] == _of_group(before, g)[0], g
    _check_summary(after, res.outcome, ["县直部门", "乡镇", "街道", "县直部门"])
    [report] = check_paths([resaved], CheckOptions())
    assert not report.report.errors, [f.message for f in report.report.findings]
    city = merge_paths([resaved], tmp_path / "市.xlsx", CheckOptions(), name="某市")
    assert city.exit_code == 0 and city.values == res.outcome.values


def test_a_renamed_county_table_is_found_not_a_type_table(
    inbox: tuple[Path, Path], tmp_path: Path
) -> None:
    """The type tables carry the same labels as the county's: when the county's table is
    renamed, check finds the renamed sheet (by its labels among the unknown sheets), never
    a type table, so the summary's numbers stay the county's."""
    folder, roster = inbox
    out = tmp_path / "县.xlsx"
    res = merge_returns(MergeRequest([folder], out, roster=roster, name="某县", by_type=True))
    first = TABLES[0]
    renamed = tmp_path / "改名.xlsx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(renamed, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                part = part.replace(f'name="{first}"'.encode(), 'name="改过的表"'.encode())
            dst.writestr(info, part)
    [report] = check_paths([renamed], CheckOptions())
    found = [(f.code, f.found) for f in report.report.findings if f.code.startswith("sheet-")]
    assert ("sheet-renamed", "改过的表") in found, found
    assert report.data is not None
    assert {k: report.data.totals[k] for k in res.outcome.values} == res.outcome.values


@pytest.mark.libreoffice
def test_each_types_tables_print_like_the_countys(inbox: tuple[Path, Path], tmp_path: Path) -> None:
    """Printed by LibreOffice: each type's tables take as many A4 pages as the county's, in
    the same orientations, with the group in the page header and its cover line."""
    folder, roster = inbox
    out = tmp_path / "县.xlsx"
    merge_returns(MergeRequest([folder], out, roster=roster, name="某县", by_type=True))
    printed = pages(to_pdf(out, tmp_path / "pdf"))
    county = [p for p in printed if "汇总编号" in p.text and "分类汇总" not in p.text]
    assert county and all(p.text.startswith("汇总单位：某县 ") for p in county)
    for g, n in (("县直部门", 2), ("乡镇", 1), ("街道", 1)):
        mine = [p for p in printed if p.text.startswith(f"汇总单位：某县（{g}）")]
        assert [p.width > p.height for p in mine] == [p.width > p.height for p in county], g
        assert all(f"单位类型“{g}”，汇总 {n} 个单位" in p.text for p in mine), g
        assert all(abs(p.width - q.width) < 1 for p, q in zip(mine, county, strict=True))
