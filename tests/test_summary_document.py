"""Issue 13: the summary workbook as a document — sheet order, cover block, print setup of
every sheet, no input shading or 填报说明, subtotals by 单位类型 (formulas whose values add
up to the county total), the narrative paragraph (its numbers are the summary's cells),
year-on-year with --prior; a summary still passes ``xlreport check`` and merges upward."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from merge_helpers import NS, checked, random_values, sheet_paths, xml_cells

from xlreport.batch import check_paths
from xlreport.checks.model import CheckOptions
from xlreport.demo import run_demo
from xlreport.identity import GUIDE_SHEET
from xlreport.merge import MergeResult, merge_checked, merge_paths
from xlreport.merge.detail import AGENCIES_PER_BLOCK, LIST_FROM
from xlreport.merge.sheets import (
    DETAIL_SHEET,
    FINDINGS_SHEET,
    OVERVIEW_SHEET,
    STATUS_SHEET,
    SUBTOTAL_SHEET,
)
from xlreport.merge.subtotals import GROUPS, TYPE_GROUPS
from xlreport.spec import resolve_layout
from xlreport.spec.model import a1, col_letter

L = resolve_layout("gov-2021")
OPTIONS = CheckOptions(layout=L, year=2024)
TYPES = [t for t, _g in TYPE_GROUPS]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MergeResult]:
    out = tmp_path_factory.mktemp("demo") / "demo"
    result = run_demo(out)
    assert result.merge is not None and result.merge.outcome.summary_written
    return result.merge.outcome.out, result.merge.outcome


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


def test_sheets_in_reading_order_without_the_filling_guide(demo: tuple[Path, MergeResult]) -> None:
    path, _result = demo
    names = _sheet_order(path.read_bytes())
    visible = [n for n in names if not n.startswith("_")]
    assert visible == [
        OVERVIEW_SHEET,
        *(s.name for s in L.sheets),
        STATUS_SHEET,
        DETAIL_SHEET,
        FINDINGS_SHEET,
    ]
    assert GUIDE_SHEET not in names


def test_every_sheet_prints_on_a4_with_page_numbers_and_repeated_headers(
    demo: tuple[Path, MergeResult],
) -> None:
    path, _result = demo
    data = path.read_bytes()
    names = [n for n in _sheet_order(data) if not n.startswith("_")]
    defined = _defined_names(data)
    for name in names:
        root = _sheet_xml(data, name)
        setup = root.find("m:pageSetup", NS)
        assert setup is not None and setup.get("paperSize") == "9", name
        assert setup.get("orientation") in ("portrait", "landscape"), name
        assert setup.get("fitToWidth", "1") == "1", name
        fit = root.find("m:sheetPr/m:pageSetUpPr", NS)
        assert fit is not None and fit.get("fitToPage") == "1", name
        footer = root.find("m:headerFooter/m:oddFooter", NS)
        assert footer is not None and footer.text == "&C第 &P 页 共 &N 页", name
        assert (name, "_xlnm.Print_Area") in defined, name
    # the listings repeat their header rows on every page
    for name in (STATUS_SHEET, DETAIL_SHEET, FINDINGS_SHEET):
        assert (name, "_xlnm.Print_Titles") in defined, name
    for sheet in L.sheets:
        assert (sheet.name, "_xlnm.Print_Titles") in defined
    # wide listings print landscape
    for name in (DETAIL_SHEET, STATUS_SHEET, FINDINGS_SHEET):
        setup = _sheet_xml(data, name).find("m:pageSetup", NS)
        assert setup is not None and setup.get("orientation") == "landscape"


def test_hashes_are_kept_but_not_printed(demo: tuple[Path, MergeResult]) -> None:
    path, result = demo
    data = path.read_bytes()
    defined = _defined_names(data)
    for name in (STATUS_SHEET, FINDINGS_SHEET):
        cells = xml_cells(data, name)
        hash_col = next(ref.rstrip("0123456789") for ref, c in cells.items() if c[2] == "SHA-256")
        area = defined[(name, "_xlnm.Print_Area")]
        last = re.findall(r"\$([A-Z]+)\$\d+", area)[-1]
        assert len(last) < len(hash_col) or (len(last) == len(hash_col) and last < hash_col)
        shas = {c[2] for ref, c in cells.items() if ref.startswith(hash_col)}
        listed = result.merged if name == STATUS_SHEET else result.left_out
        assert {f.sha256 for f in listed} <= shas


def test_tables_carry_the_cover_block_and_no_input_shading(demo: tuple[Path, MergeResult]) -> None:
    path, result = demo
    data = path.read_bytes()
    assert result.identity is not None
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
    assert "FFF2CC" not in styles.upper()  # the input shading of a return
    for sheet in L.sheets:
        cells = xml_cells(data, sheet.name)
        cover = cells["A2"][2] or ""
        assert f"汇总单位：{result.identity.agency_name}" in cover
        assert f"报告年度：{result.year}年度" in cover
        n = len(result.identity.contributors)
        assert (
            f"汇总 {n} 个单位，应报 {result.roster_size} 个，未报 {len(result.missing)} 个" in cover
        )
        assert f"汇总编号：{result.summary_id}" in cover
        assert "数据截至" in cover
        # no data validation: a summary is not typed into
        assert _sheet_xml(data, sheet.name).find("m:dataValidations", NS) is None


def test_a_summary_passes_check_and_merges_upward(
    demo: tuple[Path, MergeResult], tmp_path: Path
) -> None:
    path, result = demo
    [report] = check_paths([path], CheckOptions())
    codes = [f.code for f in report.report.findings]
    assert report.data is not None and not report.report.errors, codes
    assert "sheet-missing" not in codes and "sheet-added" not in codes
    city = merge_paths([path], tmp_path / "市.xlsx", CheckOptions(), name="某市")
    assert city.exit_code == 0 and city.values == result.values
    [again] = check_paths([tmp_path / "市.xlsx"], CheckOptions())
    assert not again.report.errors
    assert "sheet-missing" not in [f.code for f in again.report.findings]


def test_the_detail_uses_the_rosters_agency_types(demo: tuple[Path, MergeResult]) -> None:
    path, _result = demo
    cells = xml_cells(path.read_bytes(), DETAIL_SHEET)
    head = next(int(ref[1:]) for ref, c in cells.items() if ref[0] == "A" and c[2] == "项目")
    groups = [cells.get(f"{col_letter(c)}{head - 1}", ("", None, None))[2] for c in range(2, 30)]
    assert "报表" not in groups
    assert {"县直部门", "乡镇", "街道"} <= {g for g in groups if g}


def _sum_formula(formula: str, row: dict[str, Decimal]) -> Decimal:
    """``SUM(C5:E5,G5)`` evaluated over one row's values (column letters → value)."""
    assert formula.startswith("SUM(") and formula.endswith(")")
    total = Decimal(0)
    for part in formula[4:-1].split(","):
        a, _sep, b = part.partition(":")
        ca, cb = a.rstrip("0123456789"), (b or a).rstrip("0123456789")
        cols = [col_letter(i) for i in range(200)]
        for c in cols[cols.index(ca) : cols.index(cb) + 1]:
            total += row.get(c, Decimal(0))
    return total


def _rows(
    cells: dict[str, tuple[str, str | None, str | None]],
) -> dict[int, dict[str, tuple[str, str | None, str | None]]]:
    out: dict[int, dict[str, tuple[str, str | None, str | None]]] = {}
    for ref, c in cells.items():
        col = ref.rstrip("0123456789")
        out.setdefault(int(ref[len(col) :]), {})[col] = c
    return out


def _check_sum_rows(
    cells: dict[str, tuple[str, str | None, str | None]], total_col: str, result: MergeResult
) -> int:
    """Every formula of the sheet is right about its cached value (recomputed from the
    row's cells); the total column lists every cell of the layout, in layout order, with
    the summary's value. Returns how many formulas there are."""
    rows = _rows(cells)
    formulas = 0
    totals: list[Decimal] = []
    for _r, row in sorted(rows.items()):
        numbers = {
            c: Decimal(str(v)) for c, (_t, f, v) in row.items() if v is not None and _is_number(v)
        }
        for c, (_t, f, v) in row.items():
            if f:
                formulas += 1
                assert v is not None and _sum_formula(f, numbers) == Decimal(v), (c, f)
        if total_col in row and row[total_col][1]:
            totals.append(Decimal(str(row[total_col][2])))
    assert totals == [result.values[c] for c in L.cells]
    return formulas


def _is_number(v: str) -> bool:
    try:
        Decimal(v)
    except ArithmeticError:
        return False
    return True


agencies = st.lists(
    st.tuples(st.sampled_from([*TYPES, ""]), st.integers(0, 2**31)), min_size=1, max_size=16
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a workbook each: no long shrinking
)
@given(agencies)
def test_subtotals_by_type_add_up_to_the_county_total(
    tmp_path: Path, found: list[tuple[str, int]]
) -> None:
    """Property: whatever the agencies and their types, each type's 小计 is a formula over
    its agencies whose cached value is right, and the types add up to the county's cells
    (合计, a formula over the types, equal to the statutory tables)."""
    files = []
    types: dict[str, str] = {}
    group = dict(TYPE_GROUPS)
    expected: list[str] = []  # each agency's group: the roster's type, else its template's
    for i, (kind, seed) in enumerate(found):
        code = f"A{i:02d}"
        f = checked(L, code, random_values(L, random.Random(seed)), name=f"单位{i}")
        files.append(f)
        if kind:
            types[code] = kind
        assert f.data is not None
        expected.append(group.get(kind or f.data.identity.agency_type, "其他"))
    out = tmp_path / f"s{len(found)}-{abs(hash(tuple(found)))}.xlsx"
    result = merge_checked(files, out, OPTIONS, name="某县", roster_types=types)
    data = out.read_bytes()
    detail = xml_cells(data, DETAIL_SHEET)
    names = _sheet_order(data)
    if len(files) <= AGENCIES_PER_BLOCK:
        assert SUBTOTAL_SHEET not in names
        head = next(int(ref[1:]) for ref, c in detail.items() if ref[0] == "A" and c[2] == "项目")
        row = _rows(detail)[head]
        total_col = next(c for c, v in row.items() if v[2] == f"{len(files)}个单位")
        n = _check_sum_rows(detail, total_col, result)
        assert n == len(L.cells) * (len(set(expected)) + 1)
    else:
        assert names.index(SUBTOTAL_SHEET) < names.index(STATUS_SHEET)
        sub = xml_cells(data, SUBTOTAL_SHEET)
        head = next(int(ref[1:]) for ref, c in sub.items() if ref[0] == "A" and c[2] == "项目")
        row = _rows(sub)[head]
        total_col = next(c for c, v in row.items() if v[2] == "合计")
        assert _check_sum_rows(sub, total_col, result) == len(L.cells)
        # each type's column is the sum of its agencies
        for g_index, g in enumerate(GROUPS):
            col = col_letter(2 + g_index)
            members = [
                f.data.values
                for f, e in zip(files, expected, strict=True)
                if e == g and f.data is not None
            ]
            first = min(
                r
                for r, rw in _rows(sub).items()
                if r > head and col in rw and rw[col][2] is not None
            )
            cell = next(iter(L.cells.values()))
            want = sum((m.get(cell.id, Decimal(0)) for m in members), Decimal(0))
            assert Decimal(str(_rows(sub)[first][col][2])) == want
    # and the statutory tables hold the same county totals
    for cell in L.cells.values():
        v = xml_cells(data, L.sheet(cell.sheet).name)[a1(cell.r, cell.c)][2]
        assert Decimal(str(v)) == result.values[cell.id]


NUMBER = re.compile(r"(\d+(?:\.\d+)?) 件")


def test_the_narratives_numbers_are_the_summarys_cells(demo: tuple[Path, MergeResult]) -> None:
    path, result = demo
    story = result.narrative
    assert story is not None and not story.compared
    data = path.read_bytes()
    read = {}
    for cell in L.cells.values():
        v = xml_cells(data, L.sheet(cell.sheet).name)[a1(cell.r, cell.c)][2]
        read[cell.id] = Decimal(str(v))
    layout_parts = [p for p in L.overview.narrative.parts if p.expr is not None]  # type: ignore[union-attr]
    assert len(story.figures) == len(layout_parts)
    for fig, part in zip(story.figures, layout_parts, strict=True):
        assert part.expr is not None
        assert fig.value == part.expr.evaluate(read)
    # the numbers in the text, in order, are those values
    assert [Decimal(n) for n in NUMBER.findall(story.text)] == [f.value for f in story.figures]
    # on the 概览 sheet, and in merge --json
    overview = [c[2] or "" for c in xml_cells(data, OVERVIEW_SHEET).values()]
    assert any(story.text in text for text in overview)


def test_year_on_year_with_last_years_summary(tmp_path: Path) -> None:
    rng = random.Random(3)
    last = [checked(L, f"A{i}", random_values(L, rng), year=2023) for i in range(3)]
    prior = merge_checked(
        last, tmp_path / "2023.xlsx", CheckOptions(layout=L, year=2023), name="某县"
    )
    assert prior.summary_written
    this = [checked(L, f"A{i}", random_values(L, rng)) for i in range(3)]
    from xlreport.merge.narrative import load_prior

    loaded = load_prior(tmp_path / "2023.xlsx")
    assert loaded.year == 2023
    result = merge_checked(this, tmp_path / "2024.xlsx", OPTIONS, name="某县", prior=loaded)
    story = result.narrative
    assert story is not None and story.compared
    compared = [f for f in story.figures if f.prior is not None]
    assert compared
    for f in compared:
        assert f.prior is not None
        # last year's figure is last year's summary's cells
        part = next(
            p for p in L.overview.narrative.parts if p.expr and tuple(p.expr.cells()) == f.cells
        )  # type: ignore[union-attr]
        assert part.expr is not None and f.prior == part.expr.evaluate(prior.values)
        diff = f.value - f.prior
        said = f"上年 {f.prior} 件，" + (
            f"增加 {diff} 件" if diff > 0 else f"减少 {-diff} 件" if diff < 0 else "与上年持平"
        )
        assert said in f.text and f.text in story.text


def test_merge_cli_prior_and_json(demo: tuple[Path, MergeResult], tmp_path: Path) -> None:
    """`merge --prior` compares with last year's summary; `--json` carries the paragraph."""
    path, _result = demo
    returns = path.parent.parent / "2-收到的报表"
    out = tmp_path / "again.xlsx"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "xlreport",
            "merge",
            str(returns),
            "--out",
            str(out),
            "--json",
            "--name",
            "清河县",
            "--prior",
            str(path),
            "--prefer",
            str(returns / "QH003.xlsx"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    # the same year is no last year
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--prior" in run.stderr
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "xlreport",
            "merge",
            str(returns),
            "--out",
            str(out),
            "--json",
            "--name",
            "清河县",
            "--prefer",
            str(returns / "QH003.xlsx"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    doc = json.loads(run.stdout)
    story = doc["summary"]["narrative"]
    assert story["text"] and story["compared"] is False
    assert [f["value"] for f in story["figures"]] == NUMBER.findall(story["text"])
    assert doc["summary"]["summary_id"].startswith("HZ-")


SHIPPED = Path(__file__).resolve().parent.parent / "templates" / "gov-2021.toml"
BAD_NARRATIVE = [
    (
        'sum = "s3.new.total", compare = true',
        'sum = "s3.nope.total", compare = true',
        "parts[0].sum",
    ),
    ('{ text = "。" }', '{ text = "。{value}" }', "parts[12]"),
    (
        'compare = "（上年 {prior} 件，{change}）"',
        'compare = "（上年 {prior} 件）"',
        "narrative.compare",
    ),
    ('up = "增加 {diff} 件"', 'up = "增加"', "narrative.up"),
    ('title = "年度报告综述"', 'titel = "年度报告综述"', "overview.narrative"),
]


@pytest.mark.parametrize(("old", "new", "key"), BAD_NARRATIVE)
def test_a_bad_narrative_fails_at_load_naming_the_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    from xlreport.spec import LayoutError, load_layout

    src = SHIPPED.read_text(encoding="utf-8")
    assert old in src
    bad = tmp_path / "本县格式.toml"
    bad.write_text(src.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layout(bad)
    assert key in str(err.value)


def test_beyond_printed_blocks_the_detail_is_a_list_whose_total_is_the_summary(
    tmp_path: Path,
) -> None:
    """From LIST_FROM agencies on (a city or province merging returns directly) 分单位明细
    is one row per agency, one column per input cell, filterable, and its 合计 row holds
    formulas whose cached values are the summary's cells."""
    n = LIST_FROM
    files = [
        checked(L, f"B{i:04d}", random_values(L, random.Random(i)), name=f"单位{i}")
        for i in range(n)
    ]
    out = tmp_path / "省.xlsx"
    result = merge_checked(files, out, OPTIONS, name="某省", roster_types={"B0000": "乡镇"})
    data = out.read_bytes()
    rows = _rows(xml_cells(data, DETAIL_SHEET))
    head = next(r for r, row in rows.items() if row.get("A", ("", None, None))[2] == "单位编码")
    body = [r for r in rows if r > head]
    assert len(body) == n + 1  # every agency, then 合计
    listed_types = [rows[r]["C"][2] for r in body[:-1]]
    assert listed_types == sorted(listed_types, key=GROUPS.index)  # grouped by type
    assert next(rows[r]["C"][2] for r in body if rows[r]["A"][2] == "B0000") == "乡镇"
    total = rows[body[-1]]
    assert total["A"][2] == "合计" and total["B"][2] == f"{n}个单位"
    inputs = list(L.inputs())
    for j, cell in enumerate(inputs):
        col = col_letter(3 + j)
        _t, formula, cached = total[col]
        assert formula is not None and formula.startswith("SUM(")
        assert Decimal(str(cached)) == result.values[cell.id]
        listed = sum(
            (Decimal(str(rows[r][col][2])) for r in body[:-1] if rows[r].get(col, ("",))[-1]),
            Decimal(0),
        )
        assert listed == result.values[cell.id]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(b"<autoFilter" in z.read(name) for name in z.namelist() if "worksheets" in name)
    assert SUBTOTAL_SHEET in _sheet_order(data)
