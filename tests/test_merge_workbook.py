"""The summary workbook: sums as inputs, totals as formulas with right cached values, the
extra sheets, text kept as text, determinism and the long-form export."""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import checked, random_values, unreadable, xml_cells
from realdata import REAL_REPORTS, load_real_report, real_report_inputs

from xlreport.checks.model import CheckedFile, CheckOptions
from xlreport.identity import META_SHEET
from xlreport.merge import MergeResult, merge_checked
from xlreport.merge.overview import CHART_AGENCIES
from xlreport.merge.sheets import DETAIL_SHEET, FINDINGS_SHEET, OVERVIEW_SHEET, STATUS_SHEET
from xlreport.spec import resolve_layout
from xlreport.spec.formulas import same_formula, total_formulas
from xlreport.spec.model import a1, col_letter

L = resolve_layout("gov-2021")
OPTIONS = CheckOptions(layout=L, year=2024)
EVIL = '=HYPERLINK("http://evil.example","点我")'
ROSTER = {f"A{i:02d}": f"单位{i}" for i in range(8)} | {"A99": "从未报送局"}
#: The files that count where an agency sent several (A07 twice, A05 a broken draft too).
PREFER = {"/in/suqian.xlsx", "/in/5.xlsx"}


def inputs() -> list[CheckedFile]:
    rng = random.Random(7)
    files = [
        checked(L, f"A{i:02d}", random_values(L, rng), path=f"/in/{i}.xlsx", name=f"单位{i}")
        for i in range(6)
    ]
    real = [
        {k: v for k, v in real_report_inputs(load_real_report(n), L).items() if v is not None}
        for n in REAL_REPORTS
    ]
    files.append(checked(L, "A06", real[0], path="/in/pingtan.xlsx", name=EVIL, warnings=1))
    files.append(
        checked(
            L, "A07", real[1], path="/in/suqian.xlsx", name="+宿迁", saved_at="2025-01-10T09:00:00Z"
        )
    )
    files.append(checked(L, "A07", real[0], path="/in/suqian-old.xlsx", saved_at="2000-01-01"))
    files.append(checked(L, "A05", {}, path="/in/broken.xlsx", errors=3))
    files.append(unreadable("/in/not-a-workbook.xlsx"))
    return files


def merge(tmp: Path, files: list[CheckedFile], **kw: object) -> tuple[MergeResult, bytes]:
    out = tmp / "汇总.xlsx"
    kw.setdefault("prefer", PREFER)  # issue 10: versions of one agency need --prefer
    result = merge_checked(files, out, OPTIONS, roster=ROSTER, name="某某县", **kw)  # type: ignore[arg-type]
    return result, out.read_bytes()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[MergeResult, bytes]:
    tmp = tmp_path_factory.mktemp("merge")
    return merge(tmp, inputs(), export=tmp / "long.csv")


def test_statutory_tables_hold_the_sums_and_formula_totals(
    built: tuple[MergeResult, bytes],
) -> None:
    result, data = built
    assert result.summary_written and result.exit_code == 1  # unreadable left out, A99 missing
    counted = [d for d in result.counted]
    assert [d.identity.agency_code for d in counted] == [f"A{i:02d}" for i in range(8)]
    formulas = total_formulas(L)
    for sheet in L.sheets:
        cells = xml_cells(data, sheet.name)
        for cell in L.cells.values():
            if cell.sheet != sheet.key:
                continue
            t, formula, value = cells[cell.a1]
            expected = sum((d.values.get(cell.id, Decimal(0)) for d in counted), Decimal(0))
            if cell.kind == "input":
                assert formula is None and t == "n"
                assert Decimal(str(value)) == expected, cell.id
            else:
                assert formula is not None and same_formula(formula, formulas[cell.id]), cell.id
                assert Decimal(str(value)) == result.values[cell.id], cell.id
    for cell in L.inputs():
        assert result.values[cell.id] == sum(
            (d.values.get(cell.id, Decimal(0)) for d in counted), Decimal(0)
        )


def test_identity_of_the_summary(built: tuple[MergeResult, bytes]) -> None:
    result, data = built
    rows = xml_cells(data, META_SHEET)
    pairs = {rows[f"A{r}"][2]: rows.get(f"B{r}", ("", None, ""))[2] for r in range(1, 14)}
    assert pairs["kind"] == "summary"
    assert pairs["agency_name"] == "某某县"
    assert pairs["contributors"] == ",".join(f"A{i:02d}" for i in range(8))
    assert pairs["year"] == "2024" and pairs["layout_id"] == "gov-2021"
    assert result.identity is not None and pairs["agency_code"] == result.identity.agency_code


def test_sheet_order(built: tuple[MergeResult, bytes]) -> None:
    _result, data = built
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        wb = zf.read("xl/workbook.xml").decode("utf-8")
    # issue 13: in the order a leader reads them
    names = [
        OVERVIEW_SHEET,
        *(s.name for s in L.sheets),
        STATUS_SHEET,
        DETAIL_SHEET,
        FINDINGS_SHEET,
    ]
    positions = [wb.index(f'name="{n}"') for n in names]
    assert positions == sorted(positions)


def test_detail_sheet_columns_and_total_column(built: tuple[MergeResult, bytes]) -> None:
    """One column per agency, one row per cell; 合计 adds up the types' 小计 (issue 13:
    printable; tests/test_summary_document.py checks it in depth)."""
    result, data = built
    cells = xml_cells(data, DETAIL_SHEET)
    head = next(int(ref[1:]) for ref, c in cells.items() if ref[0] == "A" and c[2] == "项目")
    row = [cells.get(f"{col_letter(c)}{head}", ("n", None, None))[2] for c in range(30)]
    assert row[:2] == ["项目", "栏目"]
    names = [n for n in row[2:] if n and n != "小计" and not n.endswith("个单位")]
    assert len(names) == len(result.counted)
    total_col = col_letter(row.index(f"{len(result.counted)}个单位"))
    formulas = [(ref, f, v) for ref, (_t, f, v) in cells.items() if ref.startswith(total_col) and f]
    assert len(formulas) == len(L.cells)
    totals = sorted(Decimal(str(v)) for _r, _f, v in formulas)
    assert totals == sorted(result.values[c] for c in L.cells)


def test_agency_text_is_never_a_formula(built: tuple[MergeResult, bytes]) -> None:
    _result, data = built
    for sheet in (DETAIL_SHEET, STATUS_SHEET, OVERVIEW_SHEET):
        cells = xml_cells(data, sheet)
        evil = [ref for ref, (_t, _f, v) in cells.items() if v == EVIL]
        assert evil, sheet
        for ref in evil:
            t, formula, _v = cells[ref]
            assert t in ("s", "inlineStr") and formula is None
    formulas = [
        f
        for sheet in (DETAIL_SHEET, STATUS_SHEET, FINDINGS_SHEET, OVERVIEW_SHEET)
        for (_t, f, _v) in xml_cells(data, sheet).values()
        if f
    ]
    assert all(f.startswith("SUM(") for f in formulas)


def test_status_sheet_lists_every_file_and_the_missing_agency(
    built: tuple[MergeResult, bytes],
) -> None:
    result, data = built
    cells = xml_cells(data, STATUS_SHEET)
    rows = {}
    r = 4
    while f"A{r}" in cells or f"E{r}" in cells:
        rows[r] = [cells.get(f"{c}{r}", ("n", None, None))[2] for c in "ABCDEFGHIJ"]
        r += 1
    files = {row[4] for row in rows.values() if row[4]}
    assert files == {Path(f.path).name for f in result.files}
    statuses = {(row[0], row[2]) for row in rows.values()}
    assert ("A99", "未报送") in statuses
    assert ("A07", "已被替换") in statuses
    assert ("A05", "已被替换") in statuses  # the broken draft, A05's 5.xlsx preferred
    assert (None, "无法读取") in statuses
    assert result.missing == [("A99", "从未报送局")]


def test_findings_sheet_has_every_finding_with_autofilter(built: tuple[MergeResult, bytes]) -> None:
    result, data = built
    cells = xml_cells(data, FINDINGS_SHEET)
    n = sum(len(f.checked.report.findings) for f in result.files)
    messages = [v for ref, (_t, _f, v) in cells.items() if ref.startswith("M") and ref != "M4"]
    assert len(messages) == n
    part = [
        p for p in zipfile.ZipFile(io.BytesIO(data)).namelist() if p.startswith("xl/worksheets/")
    ]
    assert any(b"<autoFilter" in zipfile.ZipFile(io.BytesIO(data)).read(p) for p in part)


def test_overview_has_key_figures_and_two_charts(built: tuple[MergeResult, bytes]) -> None:
    result, data = built
    cells = xml_cells(data, OVERVIEW_SHEET)
    assert L.overview.ranking is not None
    new_cell = L.overview.ranking.cell
    labels = {v: ref for ref, (_t, _f, v) in cells.items() if ref.startswith("A")}
    label = "".join(L.sheet("s3").tables[0].row("new").path)
    value = cells["B" + labels[label][1:]][2]
    assert Decimal(str(value)) == result.values[new_cell]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(1 for n in names if n.startswith("xl/charts/chart")) == 2


def test_same_inputs_in_any_order_or_folder_give_identical_bytes(tmp_path: Path) -> None:
    files = inputs()
    _r, first = merge(tmp_path / "a", files)
    rng = random.Random(3)
    for k in range(3):
        shuffled = list(files)
        rng.shuffle(shuffled)
        _r, again = merge(tmp_path / f"b{k}", shuffled)
        assert again == first


def test_export_csv_and_json(tmp_path: Path) -> None:
    result, _data = merge(tmp_path, inputs(), export=tmp_path / "long.csv")
    raw = (tmp_path / "long.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["单位编码", "单位名称", "部分", "行", "列", "单元格", "类型", "数值"]
    assert any(r[1] == "'" + EVIL for r in rows)  # no formula when Excel opens it
    assert any(r[1] == "'+宿迁" for r in rows)
    summary = [r for r in rows[1:] if result.identity and r[0] == result.identity.agency_code]
    assert len(summary) == len(L.cells)
    for r in summary:
        assert Decimal(r[7]) == result.values[r[5]]
    per_agency = len(rows) - 1 - len(summary)
    assert per_agency == 8 * len(L.cells)
    merge(tmp_path / "j", inputs(), export=tmp_path / "long.json")
    doc = json.loads((tmp_path / "long.json").read_text(encoding="utf-8"))
    assert doc[0].keys() == {
        "agency_code",
        "agency_name",
        "section",
        "row_label",
        "col_label",
        "cell",
        "kind",
        "value",
    }
    again, _ = merge(tmp_path / "k", list(reversed(inputs())), export=tmp_path / "long2.csv")
    assert (tmp_path / "long2.csv").read_bytes() == raw
    assert again.exit_code == 1


def test_nothing_to_merge_writes_nothing(tmp_path: Path) -> None:
    result = merge_checked([unreadable("/x.xlsx")], tmp_path / "s.xlsx", OPTIONS)
    assert not result.summary_written and result.exit_code == 2
    assert not (tmp_path / "s.xlsx").exists()
    assert result.problem


@pytest.mark.parametrize("layout_id", ["gov-2019", "qinghe-2024"])
def test_other_layouts(tmp_path: Path, layout_id: str) -> None:
    layout = resolve_layout(layout_id)
    rng = random.Random(11)
    files = [
        checked(layout, f"B{i}", random_values(layout, rng), path=f"/{i}.xlsx") for i in range(3)
    ]
    result = merge_checked(files, tmp_path / "s.xlsx", CheckOptions(layout=layout, year=2024))
    assert result.exit_code == 0
    data = (tmp_path / "s.xlsx").read_bytes()
    for cell in layout.total_cells():
        _t, formula, value = xml_cells(data, layout.sheet(cell.sheet).name)[a1(cell.r, cell.c)]
        assert formula and Decimal(str(value)) == result.values[cell.id]


def test_bulk_rows_escape_text_as_xlsxwriter_does(tmp_path: Path) -> None:
    """The same agency name, written in bulk (报送情况) and by xlsxwriter (概览), reads
    back the same: markup, control characters, _xHHHH_ lookalikes, edge spaces."""
    name = '  A&B<c>\x01_x0041_ "q"\t'
    files = [checked(L, "A1", {"s3.new.natural": Decimal(4)}, path="/in/1.xlsx", name=name)]
    merge_checked(files, tmp_path / "s.xlsx", OPTIONS, name="县")
    data = (tmp_path / "s.xlsx").read_bytes()
    bulk = next(c for c in xml_cells(data, STATUS_SHEET).values() if c[2] and "A&B" in c[2])
    plain = [c for c in xml_cells(data, OVERVIEW_SHEET).values() if c[2] and "A&B" in c[2]]
    assert bulk[0] == "inlineStr" and plain and plain[0][0] == "s"
    assert bulk[2] == plain[0][2]
    assert bulk[2] is not None and bulk[2].startswith("  A&B<c>_x0001_")


def test_overview_lists_every_agency_and_charts_the_first_ones(tmp_path: Path) -> None:
    """Beyond the agencies the chart reads (written cell by cell, so that xlsxwriter can
    cache the chart's data), the applications block is written in bulk: all agencies,
    most applications first, the same values either way."""
    n = CHART_AGENCIES + 7
    files = [
        checked(L, f"B{i:02d}", {"s3.new.natural": Decimal(i)}, path=f"/in/{i}.xlsx", name=f"局{i}")
        for i in range(1, n + 1)
    ]
    merge_checked(files, tmp_path / "s.xlsx", OPTIONS, name="县")
    data = (tmp_path / "s.xlsx").read_bytes()
    cells = xml_cells(data, OVERVIEW_SHEET)
    top = next(int(ref[1:]) for ref, c in cells.items() if c[2] == "单位编码") + 1
    rows = [(cells[f"A{r}"], cells[f"B{r}"], cells[f"C{r}"]) for r in range(top, top + n)]
    assert [b[2] for _a, b, _c in rows] == [f"B{i:02d}" for i in range(n, 0, -1)]
    assert [int(c[2]) for _a, _b, c in rows] == list(range(n, 0, -1))
    assert [a[0] for a, _b, _c in rows] == ["s"] * CHART_AGENCIES + ["inlineStr"] * 7
    assert f"A{top + n}" not in cells
    zf = zipfile.ZipFile(io.BytesIO(data))
    bar = next(
        zf.read(p)
        for p in zf.namelist()
        if p.startswith("xl/charts/") and b"<c:barChart" in zf.read(p)
    )
    assert bar.count(b"<c:pt ") == 2 * CHART_AGENCIES  # categories and values
