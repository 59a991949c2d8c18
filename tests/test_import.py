"""``xlreport import``: published reports (HTML, Word, PDF, text) back into returns.

Documents are built in the shapes real sites publish (tests/import_docs.py) from the real
transcribed tables (tests/data/real_reports) and the seed text (tests/data/published)."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_docs import cms_html, word_docx, word_text
from realdata import load_real_report, real_report_inputs, real_report_totals, synthetic_inputs

from xlreport.api.check import CheckRequest, check_files
from xlreport.api.import_reports import ImportRequest, import_reports
from xlreport.importer import ImportLimits, import_document, workbook_bytes
from xlreport.importer.title import find_title
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout

SEED = Path(__file__).resolve().parent / "data" / "published" / "qinghe_keji_2024.txt"
LAYOUTS = list(builtin_layouts().values())
AGENCY = "平潭综合实验区管委会"


def _layout(lid: str) -> Layout:
    return builtin_layouts()[lid]


def _doc(kind: str, layout: Layout, values: dict[str, Decimal | None], **kw: object) -> bytes:
    if kind == "html":
        return cms_html(layout, AGENCY, 2022, values, **kw).encode("utf-8")
    if kind == "docx":
        return word_docx(layout, AGENCY, 2022, values, **kw)
    return word_text(layout, AGENCY, 2022, values, **kw).encode("utf-8")


def _codes(outcome: object) -> list[str]:
    return [i.code for i in outcome.issues]  # type: ignore[attr-defined]


def _published(name: str, layout: Layout) -> dict[str, Decimal | None]:
    rep = load_real_report(name)
    return {**real_report_inputs(rep, layout), **real_report_totals(rep, layout)}


# --- the seed text -------------------------------------------------------------------


def test_seed_text_imports_clean_and_all_zero(tmp_path: Path) -> None:
    res = import_reports(ImportRequest(paths=[SEED], out=tmp_path / "out"))
    (f,) = res.files
    assert (f.status, f.kind, f.layout) == ("imported", "text", "qinghe-2024")
    assert (f.agency, f.year) == ("清河县科技和工业信息化局", 2024)
    lay = _layout("qinghe-2024")
    assert f.values == len(lay.compiled.inputs) and f.blank == 0
    assert [x.code for x in f.findings] == ["import-variant"]
    assert res.exit_code == 0
    run = check_files(CheckRequest(paths=[f.workbook]))
    (checked,) = run.checked
    assert checked.report.findings == [] and run.exit_code == 0
    assert checked.data is not None
    assert set(checked.data.values.values()) == {Decimal(0)}
    assert len(checked.data.values) == len(lay.compiled.inputs)


# --- real tables in every document kind ------------------------------------------------


@pytest.mark.parametrize("name", ["pingtan_2022", "suqian_city_2023"])
@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_real_tables_import_exactly(name: str, kind: str) -> None:
    lay = _layout("gov-2021")
    want = real_report_inputs(load_real_report(name), lay)
    got = import_document(_doc(kind, lay, _published(name, lay)), f"x.{kind}", LAYOUTS)
    assert got.refused is None and got.layout is lay and got.kind == kind
    assert (got.agency, got.year) == (AGENCY, 2022)
    assert {k: got.values.get(k) for k in want} == want
    assert _codes(got) == ["import-variant"]  # totals agree, nothing blank


@pytest.mark.parametrize(
    "meta",
    [
        "<meta charset='gbk'>",
        "<meta http-equiv='Content-Type' content='text/html; charset=gb2312'>",
        "",  # no charset said at all
    ],
)
def test_a_gbk_page_imports_as_its_utf8_twin(meta: str) -> None:
    """Many government sites serve GB2312/GBK pages: the text is decoded once (its bytes
    as UTF-8, else GB18030), never again by the page's own charset (labels garbled)."""
    lay = _layout("gov-2021")
    page = _doc("html", lay, _published("pingtan_2022", lay)).decode("utf-8")
    page = page.replace("<meta charset='utf-8'>", meta)
    want = import_document(_doc("html", lay, _published("pingtan_2022", lay)), "a", LAYOUTS)
    for data in (page.encode("gb18030"), page.encode("utf-8")):
        got = import_document(data, "x.html", LAYOUTS)
        assert got.refused is None and got.layout is lay
        assert (got.agency, got.values) == (want.agency, want.values)


def test_a_superscript_footnote_mark_is_not_read_as_a_digit() -> None:
    """``5<sup>1</sup>`` (a footnote mark) is not 51: the cell is left blank with why."""
    lay = _layout("gov-2021")
    values = _published("pingtan_2022", lay)
    page = cms_html(lay, AGENCY, 2022, values)
    cid = next(  # a cell whose published number appears nowhere else
        c.id
        for c in lay.compiled.inputs
        if values.get(c.id) and page.count(f";{values[c.id]}</font>") == 1
    )
    page = page.replace(f";{values[cid]}</font>", f";{values[cid]}<sup>1</sup></font>")
    got = import_document(page.encode("utf-8"), "x.html", LAYOUTS)
    assert got.refused is None and cid not in got.values
    assert any("上标" in i.message for i in got.issues)


def test_a_superscript_run_in_word_is_not_read_as_a_digit() -> None:
    import docx

    lay = _layout("gov-2021")
    values = _published("pingtan_2022", lay)
    d = docx.Document(io.BytesIO(_doc("docx", lay, values)))
    cells = [c for t in d.tables for row in t.rows for c in row.cells]
    texts = [c.text for c in cells]
    cid = next(  # a cell whose published number appears nowhere else
        c.id
        for c in lay.compiled.inputs
        if values.get(c.id) and texts.count(str(values[c.id])) == 1
    )
    cell = cells[texts.index(str(values[cid]))]
    cell.paragraphs[0].add_run("1").font.superscript = True
    buf = io.BytesIO()
    d.save(buf)
    got = import_document(buf.getvalue(), "x.docx", LAYOUTS)
    assert got.refused is None and cid not in got.values
    assert any("上标" in i.message for i in got.issues)


def test_a_document_is_sniffed_from_its_bytes_not_its_name(tmp_path: Path) -> None:
    lay = _layout("gov-2021")
    p = tmp_path / "报告.pdf"  # an HTML page saved under a misleading name
    p.write_bytes(_doc("html", lay, _published("pingtan_2022", lay)))
    res = import_reports(ImportRequest(paths=[p], out=tmp_path / "out"))
    assert res.files[0].kind == "html" and res.files[0].status == "imported"


# --- layout variants, detected from the headers --------------------------------------------


@pytest.mark.parametrize(
    ("lid", "expected"),
    [("gov-2019", "gov-2019"), ("qinghe-2024", "qinghe-2024"), ("gov-2021", "gov-2021")],
)
@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_each_layout_is_detected_from_its_headers(lid: str, expected: str, kind: str) -> None:
    lay = _layout(lid)
    values: dict[str, Decimal | None] = dict(
        synthetic_inputs(lay, [c.id for c in lay.compiled.inputs])
    )
    values.update(lay.compute_totals({k: v for k, v in values.items() if v is not None}))
    got = import_document(_doc(kind, lay, values), "x", LAYOUTS)
    assert got.layout is not None and got.layout.id == expected
    assert got.year == 2022  # a 2019-format report in 2022: the year decides nothing
    inputs = {c.id for c in lay.compiled.inputs}
    assert got.values == {k: v for k, v in values.items() if k in inputs}
    assert "import-variant" in _codes(got)


@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_2021_with_six_as_one_row_is_reported_not_split(kind: str) -> None:
    lay = _layout("gov-2021")
    data = _doc(kind, lay, _published("suqian_city_2023", lay), six_as_one=True)
    got = import_document(data, "x", LAYOUTS)
    assert got.layout is lay
    assert "import-group-row" in _codes(got)
    assert "（六）其他处理" in got.variant
    assert not [k for k in got.values if ".other_" in k]  # left blank, never guessed
    want = real_report_inputs(load_real_report("suqian_city_2023"), lay)
    assert all(got.values[k] == v for k, v in want.items() if ".other_" not in k)


@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_label_typos_and_spaces_are_matched(kind: str) -> None:
    lay = _layout("gov-2021")
    typos = {
        "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
        "三、本年度办理结果": "三、本年度办 理结果",
        "总计": "总 计",
        "申请人情况": "申请人 情况",
    }
    got = import_document(
        _doc(kind, lay, _published("pingtan_2022", lay), typos=typos), "x", LAYOUTS
    )
    want = real_report_inputs(load_real_report("pingtan_2022"), lay)
    assert {k: got.values.get(k) for k in want} == want
    variant = [i for i in got.issues if i.code == "import-label-variant"]
    assert variant and "2.其他法律行政止公开" in variant[0].message


# --- never guess -----------------------------------------------------------------------------


def test_digits_run_together_are_refused_for_that_row() -> None:
    text = SEED.read_text(encoding="utf-8")
    row = "\t一、本年新收政府信息公开申请数量\n" + "".join("\t0\n" for _ in range(7))
    assert row in text
    flat = text.replace(row, "\t一、本年新收政府信息公开申请数量\n\t640020470\n", 1)
    got = import_document(flat.encode("utf-8"), "x.txt", LAYOUTS)
    issue = next(i for i in got.issues if i.code == "import-digits-run")
    assert "640020470" in issue.found and "一、本年新收" in issue.row_label
    assert not [k for k in got.values if k.startswith("s3.new.")]
    # the flattened form: label and digits on one line, with a stray space
    flat2 = text.replace(row, "\t一、本年新收政府信息公开申请数量230 000023\n", 1)
    got2 = import_document(flat2.encode("utf-8"), "x.txt", LAYOUTS)
    assert "import-digits-run" in _codes(got2)
    assert not [k for k in got2.values if k.startswith("s3.new.")]


def test_a_merged_value_cell_is_refused_in_html() -> None:
    lay = _layout("gov-2021")
    html = _doc("html", lay, _published("pingtan_2022", lay)).decode("utf-8")
    # the 二、上年结转 row published as one merged cell holding a digit run
    start = html.index("二、上年结转政府信息公开申请数量")
    end = html.index("</tr>", start)
    row = html[start:end]
    merged = row.split("</td>")[0] + "</td><td colspan=7>1000001</td>"
    got = import_document(html.replace(row, merged).encode("utf-8"), "x.html", LAYOUTS)
    assert "import-digits-run" in _codes(got)
    assert not [k for k in got.values if k.startswith("s3.carried.")]


@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_blank_cells_stay_blank_and_check_warns_per_cell(kind: str, tmp_path: Path) -> None:
    lay = _layout("gov-2021")
    values = _published("pingtan_2022", lay)
    blank = ["s3.new.research", "s4.cases.rev_uphold", "a20_5.permit.decisions"]
    for k in blank:
        values[k] = None
    got = import_document(_doc(kind, lay, values), "x", LAYOUTS)
    assert sorted(got.blank_cells) == sorted(blank)
    assert not [k for k in blank if k in got.values]
    p = tmp_path / "r.xlsx"
    p.write_bytes(workbook_bytes(got))
    (checked,) = check_files(CheckRequest(paths=[p])).checked
    warned = {f.cell for f in checked.report.findings if f.code == "value-blank"}
    assert warned == {lay.cells[k].a1 for k in blank}


def test_units_are_noted_and_negative_changes_kept() -> None:
    lay = _layout("gov-2019")
    values: dict[str, Decimal | None] = dict(
        synthetic_inputs(lay, [c.id for c in lay.compiled.inputs])
    )
    values["a20_5.permit.delta"] = Decimal(-15)
    values["a20_9.procurement.amount"] = Decimal("75394432.52")
    texts = {"a20_9.procurement.amount": "75394432.52元", "a20_1.rules.made": "3件"}
    values["a20_1.rules.made"] = Decimal(3)
    got = import_document(_doc("html", lay, values, texts=texts), "x.html", LAYOUTS)
    assert got.values["a20_9.procurement.amount"] == Decimal("75394432.52")
    assert got.values["a20_5.permit.delta"] == Decimal(-15)
    assert got.values["a20_1.rules.made"] == Decimal(3)
    noted = {i.cell for i in got.issues if i.code == "import-value-unit"}
    assert noted == {"a20_9.procurement.amount", "a20_1.rules.made"}


def test_a_wrong_unit_or_a_dash_is_not_imported() -> None:
    lay = _layout("gov-2021")
    values = _published("pingtan_2022", lay)
    texts = {"a20_8.fees.amount": "91163600元", "s3.new.research": "-"}
    got = import_document(_doc("docx", lay, values, texts=texts), "x.docx", LAYOUTS)
    codes = {i.cell: i.code for i in got.issues if i.cell}
    assert codes["a20_8.fees.amount"] == "import-value-unit-mismatch"
    assert codes["s3.new.research"] == "import-value-not-number"
    assert "a20_8.fees.amount" not in got.values and "s3.new.research" not in got.values


def test_a_published_total_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    lay = _layout("gov-2021")
    values = _published("pingtan_2022", lay)
    values["s3.outcome_total.natural"] = Decimal(999)  # typed from the intake, not added up
    values["s3.carryover.natural"] = Decimal(5)  # and a balance that no longer holds
    got = import_document(_doc("html", lay, values), "x.html", LAYOUTS)
    differs = [i for i in got.issues if i.code == "import-total-differs"]
    by_cell = {i.cell: i for i in differs}
    assert by_cell["s3.outcome_total.natural"].found == "999"
    # the row totals printed beside the changed cells no longer add up either
    assert set(by_cell) == {
        "s3.outcome_total.natural",
        "s3.outcome_total.total",
        "s3.carryover.total",
    }
    p = tmp_path / "r.xlsx"
    p.write_bytes(workbook_bytes(got))
    run = check_files(CheckRequest(paths=[p]))
    broken = [f for f in run.checked[0].report.findings if f.code == "rule-broken"]
    assert broken and run.exit_code == 1  # the audit: the published report breaks H2


def test_title_gives_agency_and_year() -> None:
    assert find_title(["首页 > 年度报告", "XX县XX局2024年政府信息公开工作年度报告"]) == (
        "XX县XX局",
        2024,
    )
    assert find_title(["清河县科技和工业信息化局", "2024年度政府信息公开工作报告"]) == (
        "清河县科技和工业信息化局",
        2024,
    )
    assert find_title(["没有标题的文字"]) is None


# --- hostile and unreadable documents ---------------------------------------------------------


def _docx_with(document_xml: bytes, *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "import-unknown-kind"),
        (bytes(range(256)) * 50, "import-unknown-kind"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "import-unknown-kind"),
        (b"%PDF-1.4\n garbage garbage", "import-damaged"),
        (b"PK\x03\x04" + b"word/" + b"\0" * 100, "import-damaged"),
        (
            _docx_with(
                b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
            ),
            "import-unsafe",
        ),
        (_docx_with(b"<a>" + b" " * (40 * 1024 * 1024) + b"</a>"), "import-unsafe"),
        (b"<html><body>" + b"<table><tr><td>" * 300 + b"</body></html>", "import-unsafe"),
        ("<html><body><p>通知</p></body></html>".encode(), "import-no-tables"),
        ("纯文字，没有表格。".encode(), "import-no-tables"),
    ],
    ids=["empty", "binary", "ole-doc", "bad-pdf", "bad-zip", "docx-dtd", "docx-zip-bomb",
         "html-nesting", "html-no-table", "text-no-table"],
)  # fmt: skip
def test_hostile_or_unusable_documents_are_refused_with_a_code(data: bytes, code: str) -> None:
    got = import_document(data, "x", LAYOUTS)
    assert got.refused is not None and got.refused.code == code, got.refused


def test_size_limits_apply_before_parsing() -> None:
    lay = _layout("gov-2021")
    data = _doc("html", lay, _published("pingtan_2022", lay))
    got = import_document(data, "x", LAYOUTS, limits=ImportLimits(max_file_bytes=1000))
    assert got.refused is not None and got.refused.code == "import-too-large"
    cells = import_document(data, "x", LAYOUTS, limits=ImportLimits(max_cells=50))
    assert cells.refused is not None and cells.refused.code == "import-unsafe"


def test_missing_title_is_refused() -> None:
    lay = _layout("gov-2021")
    html = _doc("html", lay, _published("pingtan_2022", lay)).decode("utf-8")
    html = html.replace("2022年度政府信息公开工作年度报告", "")
    got = import_document(html.encode("utf-8"), "x", LAYOUTS)
    assert got.refused is not None and got.refused.code == "import-title-missing"


def test_format_that_does_not_match_the_headers_is_refused() -> None:
    data = SEED.read_bytes()
    got = import_document(data, "x", LAYOUTS, format_id="gov-2021")
    assert got.refused is not None and got.refused.code == "import-format-mismatch"
    ok = import_document(data, "x", LAYOUTS, format_id="gov-2019")  # without （九）: allowed
    assert ok.refused is None and "import-row-missing" in _codes(ok)


# --- the command ---------------------------------------------------------------------------


def test_import_folder_accounts_for_every_file(tmp_path: Path) -> None:
    lay = _layout("gov-2021")
    inbox = tmp_path / "已发布"
    inbox.mkdir()
    (inbox / "平潭.html").write_bytes(_doc("html", lay, _published("pingtan_2022", lay)))
    blanks = _published("suqian_city_2023", lay)
    blanks["s3.new.natural"] = None
    (inbox / "宿迁.docx").write_bytes(word_docx(lay, "宿迁市人民政府", 2023, blanks))
    (inbox / "清河.txt").write_bytes(SEED.read_bytes())
    (inbox / "坏文件.docx").write_bytes(b"PK\x03\x04broken word/")
    code, out, _err = invoke(["import", str(inbox), "--out", str(tmp_path / "out"), "--json"])
    doc = json.loads(out)
    assert code == 2
    status = {Path(f["path"]).name: f["status"] for f in doc["files"]}
    assert status == {
        "平潭.html": "imported",
        "宿迁.docx": "imported-with-blanks",
        "清河.txt": "imported",
        "坏文件.docx": "refused",
    }
    refused = next(f for f in doc["files"] if f["status"] == "refused")
    assert refused["findings"][0]["code"] == "import-damaged"
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(written) == 6  # a workbook and a JSON for each imported report
    # the audit: check over the imported workbooks warns the blank cell
    _code2, out2, _ = invoke(["check", str(tmp_path / "out"), "--json"])
    report = json.loads(out2)
    cells = [
        (Path(f["path"]).name, x["cell"])
        for f in report["files"]
        for x in f["findings"]
        if x["code"] == "value-blank"
    ]
    assert len(cells) == 1 and "宿迁" in cells[0][0]


def test_import_is_deterministic(tmp_path: Path) -> None:
    lay = _layout("gov-2021")
    src = tmp_path / "a.html"
    src.write_bytes(_doc("html", lay, _published("pingtan_2022", lay)))
    a = import_reports(ImportRequest(paths=[src], out=tmp_path / "o1")).files[0]
    b = import_reports(ImportRequest(paths=[src], out=tmp_path / "o2")).files[0]
    assert Path(a.workbook).read_bytes() == Path(b.workbook).read_bytes()


def test_check_prior_accepts_last_years_published_report(tmp_path: Path) -> None:
    lay = _layout("gov-2021")
    last = _published("pingtan_2022", lay)
    (tmp_path / "2022.html").write_bytes(_doc("html", lay, last))
    this = _published("suqian_city_2023", lay)  # this year's 上年结转 ≠ last year's 结转下年度
    html = cms_html(lay, AGENCY, 2023, this).encode("utf-8")
    (tmp_path / "2023.html").write_bytes(html)
    res = import_reports(ImportRequest(paths=[tmp_path / "2023.html"], out=tmp_path / "out"))
    run = check_files(CheckRequest(paths=[res.files[0].workbook], prior=[tmp_path / "2022.html"]))
    findings = run.checked[0].report.findings
    assert "prior-not-found" not in [f.code for f in findings]
    # both chains are checked against the imported report: 上年结转 (S1) and 现行有效 (S2)
    assert {f.rule for f in findings if f.code == "prior-rule-broken"} == {"S1", "S2"}
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><table><tr><td>x</td></tr></table></body></html>")
    code, _out, err = invoke(["check", res.files[0].workbook, "--prior", str(bad)])
    assert code == 2 and "无法作为上年的年报导入" in err


# --- round trip, property -----------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lid=st.sampled_from(["gov-2021", "gov-2019", "qinghe-2024"]),
    kind=st.sampled_from(["html", "docx", "text"]),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_any_valid_values_come_back_exactly(lid: str, kind: str, seed: int) -> None:
    lay = _layout(lid)
    ids = [c.id for c in lay.compiled.inputs]
    vals = synthetic_inputs(lay, ids[seed % len(ids) :] + ids[: seed % len(ids)])
    values: dict[str, Decimal | None] = dict(lay.compute_totals(vals))
    got = import_document(_doc(kind, lay, values), "x", LAYOUTS)
    assert got.layout is lay
    assert got.values == vals


def test_text_with_cell_boundaries_lost_is_refused_per_row() -> None:
    """Text copied from a web page: a row is its label and its digits run together."""
    lay = _layout("gov-2021")
    values = _published("pingtan_2022", lay)
    lines = ["平潭综合实验区2022年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"]  # fmt: skip
    table = lay.sheet("s3").tables[0]
    for row in table.rows:
        digits = [format(values[f"s3.{row.key}.{c.key}"], "f") for c in table.columns]
        sep = " " if row.key == "outcome_total" else ""
        lines.append(row.path[-1] + sep + sep.join(digits))
    got = import_document("\n".join(lines).encode("utf-8"), "x.txt", LAYOUTS)
    assert got.refused is None, got.refused
    by_row = {i.row_label.split("/")[-1]: i for i in got.issues if i.row_label}
    assert by_row["一、本年新收政府信息公开申请数量"].code == "import-digits-run"
    assert by_row["一、本年新收政府信息公开申请数量"].found == "713000074"
    runs = [i for i in got.issues if i.code == "import-digits-run"]
    assert len(runs) == len(table.rows) - 1
    # seven numbers with boundaries, but no header to say which is which: not imported either
    assert by_row["（七）总计"].code == "import-row-cells"
    assert not [k for k in got.values if k.startswith("s3.")]


def test_rerunning_into_an_output_inside_the_input_folder_skips_the_results(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "清河.txt").write_bytes(SEED.read_bytes())
    for _ in range(2):
        res = import_reports(ImportRequest(paths=[inbox], out=inbox / "导入结果"))
        assert [Path(f.path).name for f in res.files] == ["清河.txt"] and res.exit_code == 0


def test_the_command_says_what_it_refused_and_exits_1(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    row = "\t一、本年新收政府信息公开申请数量\n" + "".join("\t0\n" for _ in range(7))
    src = tmp_path / "清河.txt"
    src.write_text(text.replace(row, "\t一、本年新收政府信息公开申请数量\n\t640020470\n", 1))
    code, out, err = invoke(["import", str(src), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "已导入" in out and "清河县科技和工业信息化局" in out
    assert "import-digits-run" in err and "640020470" in err
    code, _out, err = invoke(["import", str(src), "--out", str(tmp_path / "o"), "--format", "x"])
    assert code == 2 and "没有名为“x”的布局" in err


_PIECES = sorted(
    {x for lay in LAYOUTS for s in lay.sheets for t in s.tables for a in (*t.rows, *t.columns)
     for x in a.path} | {"第二十条第（一）项", "第二十条第（五）项", "信息内容"}
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(_PIECES),
                st.sampled_from(["", "0", "12", "-3", "640020470", "5元", "—", "无"]),
            ),
            min_size=1,
            max_size=12,
        ),
        max_size=40,
    ),
    kind=st.sampled_from(["text", "html"]),
)
def test_any_jumble_of_labels_and_numbers_is_imported_or_refused_with_a_reason(
    rows: list[list[str]], kind: str
) -> None:
    """Whatever the tables hold, the importer answers with values and coded issues or a
    coded refusal — never an internal error (import-damaged is for damaged files only)."""
    title = "某县某局2024年度政府信息公开工作年度报告"
    if kind == "text":
        body = "\n\n".join("\n".join("\t" + c for c in r) for r in rows)
        data = f"{title}\n{body}\n".encode()
    else:
        trs = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        data = f"<html><body><p>{title}</p><table>{trs}</table></body></html>".encode()
    got = import_document(data, "x", LAYOUTS)
    assert got.refused is None or got.refused.code != "import-damaged", got.refused
    if got.refused is None:
        assert got.layout is not None
        assert set(got.values) <= {c.id for c in got.layout.compiled.inputs}
