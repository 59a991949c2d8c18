"""Every way a return comes back tampered with, built for real, is an error at its cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from check_helpers import (
    a1_of,
    build,
    change_lines,
    check_bytes,
    codes,
    errors,
    layout_of,
    real_inputs,
    set_cached_value,
    with_openpyxl,
)

from xlreport.checks.values import fmt
from xlreport.spec.formulas import total_formulas

LAYOUT = layout_of()
S3 = LAYOUT.sheet("s3")


def test_real_tables_written_by_the_writer_pass_clean(tmp_path: Path) -> None:
    for report in ("pingtan_2022", "suqian_city_2023"):
        checked = check_bytes(tmp_path, build(LAYOUT, real_inputs(LAYOUT, report)))
        assert checked.report.findings == [], report
        assert checked.report.status == "ok"
        assert checked.data is not None
        assert checked.data.values == real_inputs(LAYOUT, report)


def test_unprotected_sheet_with_a_formula_overwritten(tmp_path: Path) -> None:
    """Constant instead of formula: an error even though the number is right."""
    values = real_inputs(LAYOUT)
    target = "s3.new.total"
    right = LAYOUT.compute_totals(values)[target]
    sheet, ref = a1_of(LAYOUT, target)

    def tamper(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        ws.protection.sheet = False
        ws[ref] = int(right)

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT, values), tamper))
    assert errors(checked) == [("formula-overwritten", sheet, ref)]
    f = next(f for f in checked.report.findings if f.code == "formula-overwritten")
    assert f.expected == "=" + total_formulas(LAYOUT)[target]
    assert f.found == fmt(right)
    assert f.row_label == LAYOUT.cells[target].row_label
    assert "恰好等于" in f.message
    warnings = [(f.code, f.sheet) for f in checked.report.findings if f.severity == "warning"]
    assert warnings == [("sheet-unprotected", sheet)]
    # the unprotect warning says protection is a courtesy and the values were checked
    assert "照常校验" in checked.report.findings[0].message


def test_overwritten_total_with_a_wrong_number_breaks_its_rules(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    target = "s3.outcome_total.natural"
    sheet, ref = a1_of(LAYOUT, target)
    wrong = LAYOUT.compute_totals(values)[target] + 7

    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = int(wrong)

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT, values), tamper))
    got = {(f.code, f.rule, f.cell) for f in checked.report.findings if f.severity == "error"}
    cell = LAYOUT.cells
    assert got == {
        ("formula-overwritten", "", ref),
        # 一+二 = （七）总计 + 四, in this column and in the 总计 column, whose （七）总计
        # adds the row up including the typed number
        ("rule-broken", "H2", cell["s3.new.natural"].a1),
        ("rule-broken", "H2", cell["s3.new.total"].a1),
        # （七）总计 = the sum of the outcome rows, same two columns
        ("rule-broken", "H3", ref),
        ("rule-broken", "H3", cell["s3.outcome_total.total"].a1),
    }


def test_a_row_inserted_is_one_error_and_values_are_still_read(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    anchor = LAYOUT.cells["s3.deny_secret.natural"]  # insert above this row

    def tamper(wb: openpyxl.Workbook) -> None:
        change_lines(wb[S3.name], rows=True, at=anchor.r + 1, n=1)

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT, values), tamper))
    errs = errors(checked)
    assert errs == [("rows-inserted", S3.name, f"A{anchor.r + 1}")]
    f = checked.report.findings[0]
    assert "插入了 1 行" in f.message and "1.属于国家秘密" in f.message
    assert checked.data is not None and checked.data.values == values


def test_a_row_deleted_is_one_error_naming_the_row(tmp_path: Path) -> None:
    cell = LAYOUT.cells["s3.deny_query.natural"]

    def tamper(wb: openpyxl.Workbook) -> None:
        change_lines(wb[S3.name], rows=True, at=cell.r + 1, n=-1)

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert errors(checked) == [("rows-deleted", S3.name, f"A{cell.r + 1}")]
    assert "8.属于行政查询事项" in checked.report.findings[0].message


def test_a_column_inserted_is_one_error(tmp_path: Path) -> None:
    s4 = LAYOUT.sheet("s4")
    first = LAYOUT.cells["s4.cases.dir_uphold"]

    def tamper(wb: openpyxl.Workbook) -> None:
        change_lines(wb[s4.name], rows=False, at=first.c + 1, n=1)

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert errors(checked) == [("columns-inserted", s4.name, f"{first.a1[0]}1")]
    msg = checked.report.findings[0].message
    assert "“总计”与“结果维持”之间" in msg
    assert checked.data is not None and checked.data.values == real_inputs(LAYOUT)


def test_a_label_edited_is_an_error_at_its_cell(tmp_path: Path) -> None:
    label = next(lb for lb in S3.labels if lb.text == "1.属于国家秘密")

    def tamper(wb: openpyxl.Workbook) -> None:
        wb[S3.name][label.a1] = "1、属于国家秘密（含工作秘密）"

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert errors(checked) == [("label-changed", S3.name, label.a1)]
    f = checked.report.findings[0]
    assert (f.expected, f.found) == ("1.属于国家秘密", "1、属于国家秘密（含工作秘密）")


def test_text_pasted_into_number_cells(tmp_path: Path) -> None:
    values: dict[str, Decimal | str] = dict(real_inputs(LAYOUT))
    pasted = {
        "s3.open.natural": ("12件", "value-text-number", "12"),
        "s3.open.commercial": ("１２", "value-text-number", "12"),
        "s3.open.research": ("—", "value-zero-as-text", "0"),
        "s3.open.welfare": ("无", "value-zero-as-text", "0"),
        "s3.open.legal": ("-", "value-zero-as-text", "0"),
        "s3.open.other": ("12", "value-text-number", "12"),
        "a20_8.fees.amount": ("251000元", "value-text-number", "25.1"),
    }
    for cid, (text, _code, _meant) in pasted.items():
        values[cid] = text
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    found = {(f.sheet, f.cell): f for f in checked.report.findings if f.severity == "error"}
    for cid, (text, code, meant) in pasted.items():
        f = found.pop(a1_of(LAYOUT, cid))
        assert (f.code, f.found) == (code, text), cid
        assert meant in f.hint and meant == f.expected, (cid, f.hint)
    assert found == {}  # rules on those rows are skipped, not reported as broken
    assert checked.data is not None
    assert not set(pasted) & set(checked.data.values)
    assert {k: checked.data.raw_inputs[k] for k in pasted} == {k: v[0] for k, v in pasted.items()}


def test_fraction_negative_and_too_many_decimals(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    values["s3.open.natural"] = Decimal("2.5")
    values["s3.open.commercial"] = Decimal(-3)
    values["a20_8.fees.amount"] = Decimal("1.1234567")
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    got = {f.cell: (f.code, f.hint) for f in checked.report.findings if f.severity == "error"}
    assert got[LAYOUT.cells["s3.open.natural"].a1][0] == "value-not-integer"
    assert got[LAYOUT.cells["s3.open.commercial"].a1][0] == "value-negative"
    code, hint = got[LAYOUT.cells["a20_8.fees.amount"].a1]
    assert code == "value-too-many-decimals" and "1.123457" in hint
    assert len(got) == 3


def test_blank_input_cells_are_warnings_at_each_cell(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    blank = ["s3.open.research", "s4.cases.rev_uphold"]
    for cid in blank:
        del values[cid]
    checked = check_bytes(tmp_path, build(LAYOUT, values))
    assert checked.report.status == "warning"
    assert [(f.code, f.cell) for f in checked.report.findings] == [
        ("value-blank", LAYOUT.cells[c].a1) for c in blank
    ]


def test_a_cached_value_edited_in_the_xml_is_forged(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    sheet, ref = a1_of(LAYOUT, "s3.outcome_total.natural")
    right = LAYOUT.compute_totals(values)["s3.outcome_total.natural"]
    data = set_cached_value(build(LAYOUT, values), sheet, ref, str(right - 5))
    checked = check_bytes(tmp_path, data)
    assert errors(checked) == [("cache-forged", sheet, ref)]
    f = checked.report.findings[0]
    assert (f.expected, f.found) == (fmt(right), fmt(right - 5))
    assert "公式之外被改动" in f.message and "保存" in f.hint


def test_never_recalculated_cache_is_stale(tmp_path: Path) -> None:
    """Values typed into the XML by a tool that does not recalculate: cached totals stay 0."""
    values = real_inputs(LAYOUT)
    data = build(LAYOUT, values)
    sheet, ref = a1_of(LAYOUT, "s4.cases.rev_total")
    total = LAYOUT.compute_totals(values)["s4.cases.rev_total"]
    assert total != 0
    checked = check_bytes(tmp_path, set_cached_value(data, sheet, ref, "0"))
    assert errors(checked) == [("cache-stale", sheet, ref)]
    assert "没有重新计算" in checked.report.findings[0].message


def test_a_return_resaved_by_openpyxl_has_no_cache_and_passes(tmp_path: Path) -> None:
    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), lambda wb: None))
    assert codes(checked) == ["no-cached-values"]
    assert checked.report.status == "ok"


def test_a_changed_formula_is_an_error(tmp_path: Path) -> None:
    sheet, ref = a1_of(LAYOUT, "s4.cases.rev_total")
    first = LAYOUT.cells["s4.cases.rev_uphold"].a1

    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = f"={first}"

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert ("formula-changed", sheet, ref) in errors(checked)


def test_an_equivalent_formula_written_differently_is_accepted(tmp_path: Path) -> None:
    cell = LAYOUT.cells["s4.cases.rev_total"]
    sheet, ref = a1_of(LAYOUT, cell.id)
    parts = [
        LAYOUT.cells[t.cell].a1
        for t in next(t for t in LAYOUT.totals if t.cell == cell.id).expr.terms
    ]

    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = "=" + " + ".join(f"${p[0]}${p[1:]}" for p in reversed(parts))

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert errors(checked) == []


def test_renamed_missing_and_added_sheets(tmp_path: Path) -> None:
    s2, s4 = LAYOUT.sheet("s2"), LAYOUT.sheet("s4")

    def tamper(wb: openpyxl.Workbook) -> None:
        wb[s2.name].title = "主动公开情况"
        del wb[s4.name]
        wb.create_sheet("说明")

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    got = {(f.code, f.severity, f.expected, f.found) for f in checked.report.findings}
    assert ("sheet-renamed", "error", s2.name, "主动公开情况") in got
    assert ("sheet-missing", "error", s4.name, "（缺少）") in got
    assert ("sheet-added", "error", "（无）", "说明") in got
    assert not [f for f in checked.report.findings if f.code == "label-changed"]
    assert checked.data is not None
    assert "a20_1.rules.issued" in checked.data.values  # read from the renamed sheet


def test_workbook_structure_unprotected_is_a_warning(tmp_path: Path) -> None:
    def tamper(wb: openpyxl.Workbook) -> None:
        wb.security = None

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert "workbook-unprotected" in codes(checked, "warning")
    assert checked.report.errors == 0


def test_a_column_deleted_is_one_error_naming_the_column(tmp_path: Path) -> None:
    research = LAYOUT.cells["s3.new.research"]

    def tamper(wb: openpyxl.Workbook) -> None:
        change_lines(wb[S3.name], rows=False, at=research.c + 1, n=-1)

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    assert errors(checked) == [("columns-deleted", S3.name, f"{research.a1[0]}1")]
    assert "“科研机构”" in checked.report.findings[0].message
    assert checked.data is not None
    assert "s3.new.research" not in checked.data.values
    assert checked.data.values["s3.new.welfare"] == real_inputs(LAYOUT)["s3.new.welfare"]


def test_annotated_copy_of_a_tampered_return_marks_the_label_cells(tmp_path: Path) -> None:
    from xlreport.annotate import annotated_bytes

    anchor = LAYOUT.cells["s3.deny_secret.natural"]
    label = next(lb for lb in S3.labels if lb.text == "1.属于国家秘密")

    def tamper(wb: openpyxl.Workbook) -> None:
        change_lines(wb[S3.name], rows=True, at=anchor.r + 1, n=1)
        wb[S3.name].protection.sheet = False

    checked = check_bytes(tmp_path, with_openpyxl(build(LAYOUT), tamper))
    at = {f.code: f.at for f in checked.report.findings}
    assert at["rows-inserted"] == (S3.name, label.r1, label.c1)
    copy = check_bytes(tmp_path, annotated_bytes(checked), name="copy.xlsx")
    assert copy.report.findings == []  # a fresh template: the structure is right again
