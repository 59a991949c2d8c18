"""The workbook writer: labels, cells, validation, totals, protection, identity, determinism."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from functools import cache

import pytest
from openpyxl.utils import range_boundaries
from realdata import REAL_REPORTS, load_real_report, real_report_inputs, real_report_totals
from writer_helpers import PASSWORD, dec, generic, identity, load, members, sheet_xml_cells

from xlreport import __version__
from xlreport.identity import GUIDE_SHEET, META_SHEET, NAME_OF_KEY, SIGNOFF_ROW, SIGNOFF_VALUE_COL
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout, a1
from xlreport.writer import CellNote, build_workbook
from xlreport.writer.workbook import legacy_password_hash

LAYOUT_IDS = sorted(builtin_layouts())


@cache
def built(layout_id: str, is_generic: bool = False) -> bytes:
    layout = builtin_layouts()[layout_id]
    who = generic(layout) if is_generic else identity(layout)
    return build_workbook(layout, who, password=PASSWORD)


def _sheet_index(layout: Layout, key: str) -> int:
    return 1 + [s.key for s in layout.sheets].index(key)  # after the guide sheet


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
@pytest.mark.parametrize("is_generic", [False, True])
def test_every_label_verbatim_and_merged(layout_id: str, is_generic: bool) -> None:
    layout = builtin_layouts()[layout_id]
    wb = load(built(layout_id, is_generic))
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        merges = {str(r) for r in ws.merged_cells.ranges}
        for lb in sheet.labels:
            assert ws.cell(lb.r1 + 1, lb.c1 + 1).value == (lb.text or None), (sheet.name, lb)
            if (lb.r1, lb.c1) != (lb.r2, lb.c2):
                assert f"{a1(lb.r1, lb.c1)}:{a1(lb.r2, lb.c2)}" in merges, lb
            if lb.vertical:
                assert ws.cell(lb.r1 + 1, lb.c1 + 1).alignment.textRotation == 255
        for cell in layout.cells.values():
            if cell.sheet == sheet.key and cell.c2 > cell.c:
                assert f"{a1(cell.r, cell.c)}:{a1(cell.r, cell.c2)}" in merges


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
def test_inputs_unlocked_and_validated_everything_else_locked(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    wb = load(built(layout_id))
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        validated: dict[str, object] = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                c1, r1, _c2, _r2 = range_boundaries(str(rng))
                validated[a1(r1 - 1, c1 - 1)] = dv
        for cell in layout.cells.values():
            if cell.sheet != sheet.key:
                continue
            xl = ws[cell.a1]
            if cell.kind == "input":
                assert xl.protection.locked is False, cell.id
                dv = validated[cell.a1]
                assert dv.prompt and dv.error and dv.errorTitle and dv.promptTitle
                assert dv.errorStyle in (None, "stop")
                limit = cell.type.limit  # the layout's hard bound, from templates/*.toml
                if cell.type.kind == "integer":
                    assert dv.type == "whole"
                    assert dv.operator in (None, "between")
                    assert int(dv.formula2) == limit
                    if cell.type.min == 0:
                        assert dv.formula1 == "0"
                    else:
                        assert int(dv.formula1) == -limit
                else:
                    assert dv.type == "custom"
                    assert f"ROUND({cell.a1},{cell.type.decimals})={cell.a1}" in dv.formula1
                    assert f"{cell.a1}<={limit:f}" in dv.formula1
            else:
                assert xl.protection.locked is True, cell.id
                assert cell.a1 not in validated
        for lb in sheet.labels:
            assert ws.cell(lb.r1 + 1, lb.c1 + 1).protection.locked is True


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
@pytest.mark.parametrize("is_generic", [False, True])
def test_protection_meta_and_names(layout_id: str, is_generic: bool) -> None:
    layout = builtin_layouts()[layout_id]
    who = generic(layout) if is_generic else identity(layout)
    data = built(layout_id, is_generic)
    wb = load(data)
    assert wb.sheetnames == [GUIDE_SHEET, *(s.name for s in layout.sheets), META_SHEET]
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert ws.protection.password == legacy_password_hash(PASSWORD)
    assert wb.security is not None and wb.security.lockStructure is True
    assert wb.security.workbookPassword == legacy_password_hash(PASSWORD)
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    rows = {r[0]: r[1] or "" for r in meta.iter_rows(values_only=True)}
    assert rows == dict(who.meta_rows(f"xlreport {__version__}"))
    meta_dict = dict(who.meta_rows(""))
    for key, name in NAME_OF_KEY.items():
        assert wb.defined_names[name].attr_text == f'"{meta_dict[key]}"'
    # every meta cell is a string, never a number
    for cell in sheet_xml_cells(data, len(wb.sheetnames) - 1).values():
        assert cell.t == "s"


def test_legacy_hash_matches_xlsxwriter_sheet_protection() -> None:
    from xlsxwriter.worksheet import Worksheet

    for pw in ("", "a", "test-pw", "密码123", "x" * 40):
        assert legacy_password_hash(pw) == Worksheet._encode_password(None, pw)


def _cached_totals(layout: Layout, data: bytes) -> dict[str, tuple[str | None, Decimal]]:
    out = {}
    for sheet in layout.sheets:
        cells = sheet_xml_cells(data, _sheet_index(layout, sheet.key))
        for cell in layout.total_cells():
            if cell.sheet == sheet.key:
                xc = cells[cell.a1]
                out[cell.id] = (xc.formula, dec(xc.value))
    return out


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
def test_blank_workbook_totals_are_formulas_caching_zero(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    cached = _cached_totals(layout, built(layout_id))
    assert set(cached) == {t.cell for t in layout.totals}
    for cid, (formula, value) in cached.items():
        assert formula, cid
        assert value == 0, cid


@pytest.mark.parametrize("report", REAL_REPORTS)
def test_real_report_totals_cached_as_published(report: str) -> None:
    layout = builtin_layouts()["gov-2021"]
    raw = load_real_report(report)
    inputs = {k: v for k, v in real_report_inputs(raw, layout).items() if v is not None}
    published = real_report_totals(raw, layout)
    data = build_workbook(layout, identity(layout), password=PASSWORD, values=inputs)
    cached = _cached_totals(layout, data)
    for cid, printed in published.items():
        assert cached[cid][1] == (printed or 0), cid
    # the inputs are there as numbers, exactly
    for sheet in layout.sheets:
        cells = sheet_xml_cells(data, _sheet_index(layout, sheet.key))
        for cid, v in inputs.items():
            if layout.cells[cid].sheet == sheet.key:
                xc = cells[layout.cells[cid].a1]
                assert xc.t == "n" and Decimal(xc.value or "") == v, cid


def test_total_formulas_match_layout_sums() -> None:
    layout = builtin_layouts()["gov-2021"]
    cached = _cached_totals(layout, built("gov-2021"))
    # a total over contiguous cells is a SUM of their range
    for total in layout.totals:
        formula = cached[total.cell][0] or ""
        first = layout.cells[total.expr.terms[0].cell]
        last = layout.cells[total.expr.terms[-1].cell]
        assert formula == f"SUM({first.a1}:{a1(last.r, last.c2)})", total.cell


def _status_cells(layout: Layout, data: bytes, sheet_key: str) -> list[tuple[str, str]]:
    cells = sheet_xml_cells(data, _sheet_index(layout, sheet_key))
    return [
        (c.formula or "", c.value or "")
        for c in cells.values()
        if c.formula and c.formula.startswith("IF(AND(")
    ]


def test_live_checks_one_status_per_rule_entry_with_right_cached_value() -> None:
    layout = builtin_layouts()["gov-2021"]
    entries = {ch.index for ch in layout.checks if ch.severity == "error" and not ch.uses_prior}
    data = built("gov-2021")
    statuses = [s for sheet in layout.sheets for s in _status_cells(layout, data, sheet.key)]
    assert len(statuses) == len(entries)
    assert all(v == "✓" for _f, v in statuses)
    # 5 new, 3 opened, nothing carried over: H2 breaks in the first column and in 总计
    s3 = layout.sheet("s3").tables[0]
    col = s3.columns[0].key
    values = {f"s3.new.{col}": Decimal(5), f"s3.open.{col}": Decimal(3)}
    data = build_workbook(layout, identity(layout), password=PASSWORD, values=values)
    bad = [v for _f, v in _status_cells(layout, data, "s3") if v != "✓"]
    h2 = next(ch for ch in layout.checks if ch.rule == "H2")
    assert bad == [f"✗ {h2.name}（2处不符）"]
    values[f"s3.carryover.{col}"] = Decimal(2)
    data = build_workbook(layout, identity(layout), password=PASSWORD, values=values)
    assert all(v == "✓" for _f, v in _status_cells(layout, data, "s3"))


def test_conditional_formatting_marks_each_rule_instance() -> None:
    layout = builtin_layouts()["gov-2021"]
    wb = load(built("gov-2021"))
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        formulas = [
            rule.formula[0]
            for rng in ws.conditional_formatting
            for rule in rng.rules
            if rule.type == "expression"
        ]
        live = [
            ch
            for ch in layout.checks
            if ch.severity == "error" and not ch.uses_prior and ch.sheet == sheet.key
        ]
        assert len(formulas) == len(live)
        assert all(f.startswith("ROUND(") and f.endswith(",6)<>0") and "$" in f for f in formulas)


def test_text_values_stay_text_and_notes_highlight() -> None:
    layout = builtin_layouts()["gov-2021"]
    cell = next(layout.inputs())
    other = list(layout.inputs())[1]
    values: dict[str, Decimal | str] = {cell.id: "12件", other.id: "=1+1"}
    sheet_name = layout.sheet(cell.sheet).name
    notes = [
        CellNote(sheet_name, cell.r, cell.c, "不是数字"),
        CellNote(sheet_name, cell.r, cell.c, "第二条"),
        CellNote(GUIDE_SHEET, SIGNOFF_ROW["phone"], SIGNOFF_VALUE_COL, "未填写联系电话"),
    ]
    data = build_workbook(
        layout,
        identity(layout),
        password=PASSWORD,
        values=values,
        notes=notes,
        signoff={"filler": "张三", "agency_name": "不会被采用"},
    )
    cells = sheet_xml_cells(data, _sheet_index(layout, cell.sheet))
    assert cells[cell.a1].t == "s" and cells[other.a1].t == "s"
    assert cells[other.a1].formula is None
    wb = load(data)
    ws = wb[sheet_name]
    assert ws[cell.a1].value == "12件" and ws[cell.a1].data_type == "s"
    assert ws[other.a1].value == "=1+1" and ws[other.a1].data_type == "s"
    assert ws[cell.a1].comment is not None
    assert "不是数字" in ws[cell.a1].comment.text and "第二条" in ws[cell.a1].comment.text
    assert ws[cell.a1].fill.fgColor.rgb.endswith("FFC7CE")
    guide = wb[GUIDE_SHEET]
    phone = guide.cell(SIGNOFF_ROW["phone"] + 1, SIGNOFF_VALUE_COL + 1)
    assert phone.comment is not None and phone.fill.fgColor.rgb.endswith("FFC7CE")
    filler = guide.cell(SIGNOFF_ROW["filler"] + 1, SIGNOFF_VALUE_COL + 1)
    assert filler.value == "张三" and filler.protection.locked is False
    name = guide.cell(SIGNOFF_ROW["agency_name"] + 1, SIGNOFF_VALUE_COL + 1)
    assert name.value == "清河县科技和工业信息化局" and name.protection.locked is True
    with pytest.raises(ValueError):
        build_workbook(
            layout, identity(layout), password=PASSWORD, notes=[CellNote("无此表", 0, 0, "x")]
        )
    with pytest.raises(ValueError):
        build_workbook(
            layout, identity(layout), password=PASSWORD, values={"no.such.cell": Decimal(1)}
        )


def test_before_and_after_sheets_positions() -> None:
    layout = builtin_layouts()["gov-2021"]

    def before(wb: object) -> None:
        wb.add_worksheet("问题清单").write_string(0, 0, "前")  # type: ignore[attr-defined]

    def after(wb: object) -> None:
        wb.add_worksheet("明细").write_string(0, 0, "后")  # type: ignore[attr-defined]

    data = build_workbook(
        layout, identity(layout), password=PASSWORD, before_sheets=before, after_sheets=after
    )
    names = load(data).sheetnames
    assert names == ["问题清单", GUIDE_SHEET, *(s.name for s in layout.sheets), "明细", META_SHEET]


@pytest.mark.parametrize("is_generic", [False, True])
def test_guide_identity_block(is_generic: bool) -> None:
    layout = builtin_layouts()["gov-2021"]
    wb = load(built("gov-2021", is_generic))
    guide = wb[GUIDE_SHEET]
    for key in ("agency_name", "agency_code"):
        c = guide.cell(SIGNOFF_ROW[key] + 1, SIGNOFF_VALUE_COL + 1)
        assert c.protection.locked is (not is_generic)
        if not is_generic:
            assert c.value in ("清河县科技和工业信息化局", "QH004")
    year = guide.cell(SIGNOFF_ROW["year"] + 1, SIGNOFF_VALUE_COL + 1)
    assert year.value == "2024" and year.protection.locked is True
    for key in ("filler", "phone", "head", "date", "seal"):
        assert guide.cell(SIGNOFF_ROW[key] + 1, SIGNOFF_VALUE_COL + 1).protection.locked is False
    ws = wb[layout.sheets[1].name]
    info = ws.cell(2, 1).value
    if is_generic:
        assert info.startswith('="填报单位："&') and "2024年度" in info
    else:
        assert info == "填报单位：清河县科技和工业信息化局　报告年度：2024年度"


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
def test_page_setup(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    wb = load(built(layout_id))
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == ("landscape" if sheet.landscape else "portrait")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.oddHeader.left.text == "填报单位：清河县科技和工业信息化局"
        assert ws.oddHeader.right.text == "报告年度：2024年度"
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        r1, r2 = sheet.repeat_rows
        assert ws.print_title_rows == f"${r1 + 1}:${r2 + 1}"


def test_header_escapes_ampersand() -> None:
    layout = builtin_layouts()["gov-2021"]
    data = build_workbook(layout, identity(layout, name="A&B<局>"), password=PASSWORD)
    xml = members(data)["xl/worksheets/sheet2.xml"].decode()
    assert "<oddHeader>&amp;L填报单位：A&amp;&amp;B&lt;局&gt;&amp;R" in xml


@pytest.mark.parametrize("layout_id", LAYOUT_IDS)
def test_deterministic_bytes_and_fixed_zip_times(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    values = {c.id: Decimal(i) for i, c in enumerate(layout.inputs())}
    a = build_workbook(layout, identity(layout), password=PASSWORD, values=values)
    b = build_workbook(layout, identity(layout), password=PASSWORD, values=dict(values))
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert zf.testzip() is None
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode()
    assert "2025-01-01T00:00:00Z" in core
    assert a != build_workbook(layout, identity(layout, code="QH005"), password=PASSWORD)
