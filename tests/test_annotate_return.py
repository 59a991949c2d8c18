"""The annotated return (退回修改): its name, one item per cause, what it repaired, print."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from check_helpers import YEAR, a1_of, build, check_bytes, ident, layout_of, real_inputs
from check_helpers import with_openpyxl as tamper_with
from cli_helpers import invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from xlreport.batch import check_file
from xlreport.checks import CheckedFile, CheckOptions
from xlreport.checks.annotate import annotated_bytes
from xlreport.checks.causes import cause_count
from xlreport.checks.located import ANNOTATION_SHEET
from xlreport.checks.run import CheckRequest, run_check
from xlreport.errors import UsageError
from xlreport.reader import read_xlsx

LAYOUT = layout_of()
ROOT = Path(__file__).resolve().parent.parent


def slipped(tmp_path: Path, *cells: str, name: str = "return.xlsx") -> CheckedFile:
    """A return with one more in each of ``cells`` (inputs of the outcome rows)."""
    values = real_inputs(LAYOUT)
    for cid in cells:
        values[cid] = values.get(cid, Decimal(0)) + 1
    return check_bytes(tmp_path, build(LAYOUT, values), name=name)


def overwritten(tmp_path: Path, *slips: str) -> tuple[CheckedFile, str]:
    """（七）总计 of 自然人 typed over with a wrong number (and ``slips`` as in slipped)."""
    values = real_inputs(LAYOUT)
    for cid in slips:
        values[cid] += 2
    target = "s3.outcome_total.natural"
    sheet, ref = a1_of(LAYOUT, target)
    wrong = LAYOUT.compute_totals(values)[target] + 7

    def tamper(wb: openpyxl.Workbook) -> None:
        wb[sheet][ref] = int(wrong)

    return check_bytes(tmp_path, tamper_with(build(LAYOUT, values), tamper)), ref


def listing(data: bytes, tmp_path: Path) -> list[list[str]]:
    """The 退回修改说明 sheet's rows as texts."""
    path = tmp_path / "listing.xlsx"
    path.write_bytes(data)
    sheet = read_xlsx(path).sheets[0]
    assert sheet.name == ANNOTATION_SHEET
    rows: dict[int, dict[int, str]] = {}
    for (r, c), cell in sheet.cells.items():
        if cell.text:
            rows.setdefault(r, {})[c] = cell.text
    return [[row[c] for c in sorted(row)] for _r, row in sorted(rows.items())]


# --- names -----------------------------------------------------------------------------


def test_copies_are_named_after_the_agency_and_the_round(tmp_path: Path) -> None:
    inbox = tmp_path / "收到"
    inbox.mkdir()
    a = real_inputs(LAYOUT)
    a["s3.open.natural"] += 1
    b = dict(a)
    b["s3.open.commercial"] += 1
    (inbox / "附件2 统计表(最终版).xlsx").write_bytes(build(LAYOUT, a, ident(LAYOUT)))
    (inbox / "附件2 统计表(最终版)_2.xlsx").write_bytes(build(LAYOUT, b, ident(LAYOUT)))
    other = ident(LAYOUT, code="B02", name="测试县东城街道办事处")
    (inbox / "东城.xlsx").write_bytes(build(LAYOUT, a, other))
    out = tmp_path / "退回"
    run = run_check(CheckRequest([inbox], annotate=out, round_no=2))
    names = sorted(p.name for p in run.annotated)
    # two files of one agency: two names, neither overwritten
    assert names == [
        "退回修改_县测试局_第2轮.xlsx",
        "退回修改_县测试局_第2轮_2.xlsx",
        "退回修改_测试县东城街道办事处_第2轮.xlsx",
    ]
    assert sorted(p.name for p in out.iterdir()) == names
    # the title says the round too
    assert listing(run.annotated[0].read_bytes(), tmp_path)[0] == [
        "2023年度报表退回修改说明（第2轮）"
    ]
    # the next run replaces its own earlier copies, nothing else
    again = run_check(CheckRequest([inbox], annotate=out, round_no=2))
    assert sorted(p.name for p in again.annotated) == names


def test_round_on_the_command_line(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    values["s3.open.natural"] += 1
    (tmp_path / "r.xlsx").write_bytes(build(LAYOUT, values))
    out = tmp_path / "退回"
    code, _out, _err = invoke(
        ["check", str(tmp_path / "r.xlsx"), "--round", "3", "--annotate", str(out)]
    )
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["退回修改_县测试局_第3轮.xlsx"]
    code, _out, err = invoke(
        ["check", str(tmp_path / "r.xlsx"), "--round", "0", "--annotate", str(out)]
    )
    assert code == 2 and "--round" in err
    with pytest.raises(UsageError):
        run_check(CheckRequest([tmp_path / "r.xlsx"], round_no=100))


def test_unsafe_agency_names_make_safe_file_names(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    values["s3.open.natural"] += 1
    who = ident(LAYOUT, code="C03", name='县"信访"局/办:公*室')
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.xlsx").write_bytes(build(LAYOUT, values, who))
    run = run_check(CheckRequest([tmp_path / "in"], annotate=tmp_path / "out"))
    assert [p.name for p in run.annotated] == ["退回修改_县_信访_局_办_公_室_第1轮.xlsx"]


# --- one cause, one item -----------------------------------------------------------------


def test_one_slip_is_one_cause_seen_from_its_column_and_the_total_column(tmp_path: Path) -> None:
    checked = slipped(tmp_path, "s3.open.natural")
    broken = [f for f in checked.report.findings if f.code == "rule-broken"]
    cells = LAYOUT.cells
    assert [(f.rule, f.cell) for f in broken] == [
        ("H2", cells["s3.new.natural"].a1),
        ("H2", cells["s3.new.total"].a1),
    ]
    assert broken[0].cause == broken[1].cause == f"H2@{broken[0].sheet}!{broken[0].cell}"
    assert checked.report.errors == 2  # every finding is still its own (JSON compatible)
    assert cause_count(checked.report.findings, "error") == 1
    # the agency is shown one thing to fix, with both cells
    rows = listing(annotated_bytes(checked), tmp_path)
    fix = [r for r in rows if r[0] == "1"]
    assert len(fix) == 1 and f"{broken[0].cell}、{broken[1].cell}" in fix[0][2]
    assert "错误 1 项" in rows[1][0]
    assert not any(r[0] == "2" for r in rows)


def test_json_has_the_cause_of_every_finding(tmp_path: Path) -> None:
    slipped(tmp_path, "s3.open.natural")
    code, out, _err = invoke(["check", str(tmp_path / "return.xlsx"), "--json"])
    assert code == 1
    found = json.loads(out)["files"][0]["findings"]
    assert all("cause" in f and f["cause"] for f in found)
    broken = [f for f in found if f["code"] == "rule-broken"]
    assert len(broken) == 2 and broken[0]["cause"] == broken[1]["cause"]
    # the keys before it are unchanged: the field is only added
    assert list(found[0])[:13] == [
        "code", "severity", "message", "file", "sheet", "cell", "row_label", "col_label",
        "expected", "found", "hint", "rule", "cause",
    ]  # fmt: skip


def test_two_slips_in_two_columns_are_two_causes(tmp_path: Path) -> None:
    checked = slipped(tmp_path, "s3.open.natural", "s3.partial.research")
    assert cause_count(checked.report.findings, "error") == 2


_OUTCOMES = ["open", "partial", "deny_secret", "unable_none", "reject_petition", "other_misc"]
_COLUMNS = ["natural", "commercial", "research", "welfare", "legal", "other"]


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.sets(st.tuples(st.sampled_from(_OUTCOMES), st.sampled_from(_COLUMNS)), max_size=4))
def test_causes_count_the_slipped_columns(slips: set[tuple[str, str]]) -> None:
    """However many slips, one cause per column that has them: the 总计 column's broken
    rule is never a thing of its own."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        checked = slipped(Path(tmp), *(f"s3.{r}.{c}" for r, c in slips))
    columns = {c for _r, c in slips}
    assert cause_count(checked.report.findings, "error") == len(columns)
    broken = {f.cause for f in checked.report.findings if f.code == "rule-broken"}
    assert len(broken) == len(columns)


# --- an overwritten total ----------------------------------------------------------------


def test_an_overwritten_total_is_repaired_and_said_so(tmp_path: Path) -> None:
    checked, ref = overwritten(tmp_path)
    errors = [f for f in checked.report.findings if f.severity == "error"]
    assert len(errors) == 5 and len({f.cause for f in errors}) == 1
    data = annotated_bytes(checked)
    rows = listing(data, tmp_path)
    intro = rows[1][0]
    assert f"已恢复 {ref} 的合计公式" in intro
    assert "没有需要贵单位修改的地方" in intro and "重新填写" not in intro
    assert ["无：本文件中没有需要贵单位修改的问题。"] in rows
    repaired = [r for r in rows if len(r) > 1 and r[1] == "已修复"]
    assert len(repaired) == 1 and f"已恢复 {ref} 的合计公式" in repaired[0][3]
    # saved as it is, the copy passes
    again = check_bytes(tmp_path, data, name="copy.xlsx")
    assert [f for f in again.report.findings if f.severity != "info"] == []


def test_what_is_left_after_the_repair_is_one_item(tmp_path: Path) -> None:
    checked, ref = overwritten(tmp_path, "s3.open.commercial")
    rows = listing(annotated_bytes(checked), tmp_path)
    fix = [r for r in rows if r[0] == "1" and r[1] == "错误"]
    cells = LAYOUT.cells
    assert len(fix) == 1
    assert f"{cells['s3.new.commercial'].a1}、{cells['s3.new.total'].a1}" in fix[0][2]
    assert "需要贵单位处理的问题 1 项" in rows[1][0] and f"已恢复 {ref} 的合计公式" in rows[1][0]


# --- print -------------------------------------------------------------------------------


def test_the_listing_is_set_up_for_a4(tmp_path: Path) -> None:
    checked = slipped(tmp_path, "s3.open.natural")
    path = tmp_path / "copy.xlsx"
    path.write_bytes(annotated_bytes(checked))
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        book = zf.read("xl/workbook.xml").decode()
    setup = re.search(r"<pageSetup [^>]*/>", sheet)
    assert setup is not None
    for attr in ('paperSize="9"', 'orientation="landscape"', 'fitToHeight="0"'):
        assert attr in setup.group()
    assert "fitToWidth" not in setup.group() or 'fitToWidth="1"' in setup.group()  # 1: default
    assert "<fitToPage" in sheet or 'fitToPage="1"' in sheet
    assert "&amp;P" in sheet and "&amp;N" in sheet  # 第 N 页 共 M 页
    assert re.search(r'_xlnm.Print_Titles" localSheetId="0">[^<]*\$5:\$5<', book)
    # the long texts wrap, rows are as high as their text
    assert 'customHeight="1"' in sheet


@pytest.mark.libreoffice
def test_printed_by_libreoffice_it_is_one_readable_page(tmp_path: Path) -> None:
    from lo import resave_with_libreoffice
    from pdf_render import page_image, pages, to_pdf

    checked, ref = overwritten(tmp_path, "s3.open.commercial")
    copy = tmp_path / "退回修改_县测试局_第1轮.xlsx"
    copy.write_bytes(annotated_bytes(checked))
    pdf = to_pdf(copy, tmp_path / "pdf")
    printed = pages(pdf)
    first = printed[0]
    assert "退回修改说明" in first.text and f"已恢复 {ref} 的合计公式" in first.text
    assert first.width > first.height  # landscape
    assert abs(first.width - 842) < 3 and abs(first.height - 595) < 3  # A4
    assert first.smallest_font >= 9  # not shrunk to fit: readable
    assert f"第 1 页 共 {len(printed)} 页" in first.text
    # the listing is one page; the statutory tables follow on their own pages
    assert "退回修改说明" not in printed[1].text
    assert len(printed) <= 6
    image = page_image(pdf, 0, tmp_path / "annotated-return.png")
    if os.environ.get("XLREPORT_UPDATE_DOCS_IMAGES"):
        shutil.copyfile(image, ROOT / "docs" / "images" / "annotated-return.png")
    # opened and saved unchanged in LibreOffice, the copy is left with the agency's one slip
    resaved = tmp_path / "resaved.xlsx"
    resave_with_libreoffice(copy, resaved)
    again = check_file(resaved, CheckOptions(year=YEAR))
    cells = LAYOUT.cells
    assert {(f.code, f.cell) for f in again.report.findings if f.severity == "error"} == {
        ("rule-broken", cells["s3.new.commercial"].a1),
        ("rule-broken", cells["s3.new.total"].a1),
    }


@pytest.mark.libreoffice
def test_a_repaired_copy_saved_in_libreoffice_passes(tmp_path: Path) -> None:
    from lo import resave_with_libreoffice

    checked, _ref = overwritten(tmp_path)
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(annotated_bytes(checked))
    resaved = tmp_path / "resaved.xlsx"
    resave_with_libreoffice(copy, resaved)
    again = check_file(resaved, CheckOptions(year=YEAR))
    assert again.report.errors == 0 and again.report.warnings == 0


def test_a_generic_template_is_named_after_the_name_typed_in_it(tmp_path: Path) -> None:
    values = real_inputs(LAYOUT)
    values["s3.open.natural"] += 1
    generic = ident(LAYOUT, code="", name="")
    (tmp_path / "in").mkdir()
    data = build(LAYOUT, values, generic, signoff={"agency_name": "某某乡人民政府"})
    (tmp_path / "in" / "x.xlsx").write_bytes(data)
    run = run_check(CheckRequest([tmp_path / "in"], annotate=tmp_path / "out"))
    assert [p.name for p in run.annotated] == ["退回修改_某某乡人民政府_第1轮.xlsx"]
    assert listing(run.annotated[0].read_bytes(), tmp_path)[1][0].startswith("某某乡人民政府报送的")


def test_the_terminal_says_which_findings_share_a_cause(tmp_path: Path) -> None:
    checked = slipped(tmp_path, "s3.open.natural")
    lead = next(f for f in checked.report.findings if f.code == "rule-broken")
    code, out, _err = invoke(["check", str(tmp_path / "return.xlsx")])
    assert code == 1
    assert out.count(f"（与 {lead.cell} 同一原因：改正那一处后这里一并消除）") == 1
