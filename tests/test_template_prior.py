"""Last year carried forward: `template --prior` pre-fills the layout's [[carry]] cells."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from check_helpers import build, ident, layout_of, real_inputs, with_openpyxl
from cli_helpers import invoke
from test_check_cli import comments_by_sheet

from xlreport.batch import check_file
from xlreport.batch.prior import carried, read_prior
from xlreport.checks import CheckOptions
from xlreport.checks.workbook_check import prior_key
from xlreport.errors import UsageError
from xlreport.spec import LayoutError, load_layout, templates_dir
from xlreport.spec.model import Layout
from xlreport.template import write_templates

LAYOUT = layout_of()
ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023
#: last year's 四、结转下年度继续办理 per column, and 现行有效件数 per row
CARRYOVER = {"natural": 3, "commercial": 1, "research": 0, "welfare": 0, "legal": 2, "other": 0}
CURRENT = {"rules": 12, "normative": 40}


def last_year_values(layout: Layout = LAYOUT) -> dict[str, Decimal]:
    """A consistent return of last year with CARRYOVER carried over (another layout: the
    cells it shares with this year's)."""
    values = {k: v for k, v in real_inputs(LAYOUT).items() if k in layout.cells}
    for col, n in CARRYOVER.items():
        delta = n - values.get(f"s3.carryover.{col}", Decimal(0))
        values[f"s3.carryover.{col}"] = Decimal(n)
        values[f"s3.new.{col}"] = values.get(f"s3.new.{col}", Decimal(0)) + delta
    if "a20_1.rules.current" in layout.cells:
        for row, n in CURRENT.items():
            values[f"a20_1.{row}.current"] = Decimal(n)
    return values


def write_last_year(folder: Path, layout: Layout = LAYOUT, code: str = "A01") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{code}-{YEAR - 1}.xlsx"
    values = last_year_values(layout)
    path.write_bytes(build(layout, values, ident(layout, year=YEAR - 1, code=code)))
    if layout is LAYOUT:
        checked = check_file(path, CheckOptions())
        assert checked.report.errors == 0, checked.report.findings
    return path


def roster(tmp_path: Path) -> Path:
    path = tmp_path / "花名册.csv"
    path.write_text("单位编码,单位名称\nA01,县测试局\nA02,县另一局\n", encoding="utf-8")
    return path


def this_year(template: Path) -> dict[str, Decimal]:
    checked = check_file(template, CheckOptions())
    assert checked.data is not None
    return dict(checked.data.values)


# --- the layout data ------------------------------------------------------------------


def test_every_shipped_layout_carries_last_years_carryover() -> None:
    for name in ("gov-2019", "gov-2021", "qinghe-2024"):
        layout = layout_of(name)
        filled = {c.cell: c.source.source for c in layout.carry if c.fill}
        cols = [k for k in CARRYOVER]
        assert {f"s3.carried.{c}": f"s3.carryover.{c}" for c in cols}.items() <= filled.items()
        assert all(layout.cells[c.cell].kind == "input" for c in layout.carry)


def _with_carry(tmp_path: Path, block: str) -> Layout:
    text = (templates_dir() / "gov-2021.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n" + block, encoding="utf-8")
    return load_layout(path)


@pytest.mark.parametrize(
    ("block", "said"),
    [
        ('[[carry]]\ncell = "s3.carried.total"\nfrom = "s3.carryover.total"\n', "合计"),
        ('[[carry]]\ncell = "s3.carried.natural"\nfrom = "s3.nothing.natural"\n', "nothing"),
        ('[[carry]]\ncell = "s3.carried.natural"\nfrom = "s3.carryover.natural"\nnote = "{x}"\n', "{prior}"),
        ('[[carry]]\ncell = "s3.carried.natural"\nfrom = "s3.carryover.natural"\nfil = true\n', "fil"),
        ('[[carry]]\ncell = "s3.carried.natural"\nfrom = "s3.carryover.natural"\n', "已设置过"),
    ],
)  # fmt: skip
def test_mistakes_in_carry_are_reported_at_load(tmp_path: Path, block: str, said: str) -> None:
    with pytest.raises(LayoutError) as e:
        _with_carry(tmp_path, block)
    assert "carry" in str(e.value) and said in str(e.value)


# --- templates ------------------------------------------------------------------------


def test_each_agency_gets_its_own_last_year(tmp_path: Path) -> None:
    write_last_year(tmp_path / "上年")
    res = write_templates(
        LAYOUT, YEAR, tmp_path / "模板", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年"],
    )  # fmt: skip
    mine, other = res.paths
    assert res.prefilled == [mine] and res.prior_missing == ["县另一局"]
    values = this_year(mine)
    assert values == {f"s3.carried.{c}": Decimal(n) for c, n in CARRYOVER.items()}
    # the agency without last year's return gets exactly the plain template
    plain = write_templates(
        LAYOUT, YEAR, tmp_path / "普通", roster=roster(tmp_path), county="测试县", password="pw"
    )
    assert other.read_bytes() == plain.paths[1].read_bytes()
    assert mine.read_bytes() != plain.paths[0].read_bytes()
    # same inputs, same bytes
    again = write_templates(
        LAYOUT, YEAR, tmp_path / "再次", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年" / f"A01-{YEAR - 1}.xlsx"],
    )  # fmt: skip
    assert again.paths[0].read_bytes() == mine.read_bytes()


def test_prefilled_cells_carry_a_note_and_stay_editable(tmp_path: Path) -> None:
    write_last_year(tmp_path / "上年")
    res = write_templates(
        LAYOUT, YEAR, tmp_path / "模板", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年"],
    )  # fmt: skip
    notes = comments_by_sheet(res.paths[0])
    wb = openpyxl.load_workbook(res.paths[0])
    for col, n in CARRYOVER.items():
        cell = LAYOUT.cells[f"s3.carried.{col}"]
        sheet = LAYOUT.sheet(cell.sheet).name
        assert "已按上年报表预填" in notes[sheet][cell.a1] and f"为 {n}。" in notes[sheet][cell.a1]
        ws = wb[sheet]
        assert ws[cell.a1].value == n and ws[cell.a1].protection.locked is False
        assert ws.protection.sheet  # the sheet is protected, the cell is not
    for row, n in CURRENT.items():
        cell = LAYOUT.cells[f"a20_1.{row}.current"]
        sheet = LAYOUT.sheet(cell.sheet).name
        assert f"上年现行有效件数为 {n}" in notes[sheet][cell.a1]
        assert wb[sheet][cell.a1].value is None  # said, not filled


def _filled() -> dict[str, Decimal]:
    """This year's return, consistent: last year's carried values, this year's numbers."""
    out = real_inputs(LAYOUT)
    for col, n in CARRYOVER.items():
        delta = n - out.get(f"s3.carried.{col}", Decimal(0))
        out[f"s3.carried.{col}"] = Decimal(n)
        out[f"s3.open.{col}"] = out.get(f"s3.open.{col}", Decimal(0)) + delta
    for row, n in CURRENT.items():
        issued = out.get(f"a20_1.{row}.issued", Decimal(0))
        repealed = out.get(f"a20_1.{row}.repealed", Decimal(0))
        out[f"a20_1.{row}.current"] = n + issued - repealed
    return out


def test_a_changed_carryover_is_a_warning_with_both_numbers(tmp_path: Path) -> None:
    last = write_last_year(tmp_path / "上年")
    prior = read_prior([last])
    this = _filled()
    this["s3.carried.natural"] += 2
    this["s3.open.natural"] += 2
    path = tmp_path / "本年.xlsx"
    path.write_bytes(build(LAYOUT, this, ident(LAYOUT, year=YEAR)))
    checked = check_file(path, CheckOptions(prior=prior.by_key))
    warned = [f for f in checked.report.findings if f.code == "prior-rule-broken"]
    assert [(f.rule, f.cell) for f in warned] == [
        ("S1", LAYOUT.cells["s3.carried.natural"].a1),
        ("S1", LAYOUT.cells["s3.carried.total"].a1),
    ]
    assert "= 5" in warned[0].message and "= 3" in warned[0].message  # this year's, last year's
    assert warned[0].found == "5" and warned[0].expected == "3"
    assert checked.report.errors == 0
    # unchanged, no warning
    path.write_bytes(build(LAYOUT, _filled(), ident(LAYOUT, year=YEAR)))
    clean = check_file(path, CheckOptions(prior=prior.by_key))
    assert not [f for f in clean.report.findings if f.rule == "S1"]


def test_current_documents_are_checked_against_last_year(tmp_path: Path) -> None:
    last = write_last_year(tmp_path / "上年")
    prior = read_prior([last])
    this = _filled()
    this["a20_1.rules.issued"], this["a20_1.rules.repealed"] = Decimal(3), Decimal(1)
    this["a20_1.rules.current"] = Decimal(CURRENT["rules"] + 3 - 1)
    this["a20_1.normative.issued"], this["a20_1.normative.repealed"] = Decimal(5), Decimal(0)
    this["a20_1.normative.current"] = Decimal(CURRENT["normative"] + 4)  # one missing
    path = tmp_path / "本年.xlsx"
    path.write_bytes(build(LAYOUT, this, ident(LAYOUT, year=YEAR)))
    checked = check_file(path, CheckOptions(prior=prior.by_key))
    warned = [f for f in checked.report.findings if f.rule == "S2"]
    assert [f.cell for f in warned] == [LAYOUT.cells["a20_1.normative.current"].a1]
    assert warned[0].found == "44" and warned[0].expected == "45"


def test_a_template_sent_back_as_it_came_is_empty(tmp_path: Path) -> None:
    write_last_year(tmp_path / "上年")
    res = write_templates(
        LAYOUT, YEAR, tmp_path / "模板", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年"],
    )  # fmt: skip
    checked = check_file(res.paths[0], CheckOptions())
    found = [f.code for f in checked.report.findings]
    assert found[0] == "return-empty" and "value-blank" not in found


def test_last_years_format_may_differ(tmp_path: Path) -> None:
    old = layout_of("gov-2019")
    last = write_last_year(tmp_path / "上年", old)
    prior = read_prior([last], year=YEAR - 1)
    data = prior.by_key["A01"]
    got = {c.cell: c.value for c in carried(LAYOUT, data) if c.fill}
    assert got == {f"s3.carried.{c}": Decimal(n) for c, n in CARRYOVER.items()}
    # 2019's table has no 现行有效件数: nothing said about it
    assert not [c for c in carried(LAYOUT, data) if c.cell.startswith("a20_1.")]


def test_generic_template_from_the_one_file_given(tmp_path: Path) -> None:
    last = write_last_year(tmp_path / "上年")
    res = write_templates(LAYOUT, YEAR, tmp_path / "通用", password="pw", prior=[last])
    assert res.prefilled == list(res.paths)
    assert this_year(res.paths[0]) == {f"s3.carried.{c}": Decimal(n) for c, n in CARRYOVER.items()}
    write_last_year(tmp_path / "上年", code="A02")
    with pytest.raises(UsageError) as e:
        write_templates(LAYOUT, YEAR, tmp_path / "通用2", password="pw", prior=[tmp_path / "上年"])
    assert "通用模板只能按一份上年报表预填" in e.value.args[0]


def test_wrong_or_unreadable_prior_is_a_usage_error(tmp_path: Path) -> None:
    last = write_last_year(tmp_path / "上年")
    with pytest.raises(UsageError) as e:
        write_templates(LAYOUT, YEAR + 1, tmp_path / "模板", password="pw", prior=[last])
    assert f"应为上一年（{YEAR} 年度）" in e.value.args[0]
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(UsageError) as e:
        read_prior([bad])
    assert "无法作为上年报表读取" in e.value.args[0]
    twice = tmp_path / "两份"
    twice.mkdir()
    shutil.copy(last, twice / "a.xlsx")
    other = last_year_values()
    other["s3.open.natural"] += 1
    other["s3.new.natural"] += 1
    (twice / "b.xlsx").write_bytes(build(LAYOUT, other, ident(LAYOUT, year=YEAR - 1)))
    with pytest.raises(UsageError) as e:
        read_prior([twice])
    assert "属于同一单位" in e.value.args[0]
    assert prior_key(check_file(last, CheckOptions()).data.identity) == "A01"  # type: ignore[union-attr]


def test_template_prior_on_the_command_line(tmp_path: Path) -> None:
    write_last_year(tmp_path / "上年")
    code, out, err = invoke(
        ["template", "--year", str(YEAR), "--out", str(tmp_path / "模板"), "--roster",
         str(roster(tmp_path)), "--county", "测试县", "--password", "pw", "--prior",
         str(tmp_path / "上年")]
    )  # fmt: skip
    assert code == 0, err
    assert "已按上年报表预填 1 个模板" in out
    assert "县另一局在 --prior 中没有上年报表" in err


# --- LibreOffice ----------------------------------------------------------------------


@pytest.mark.libreoffice
def test_typing_over_a_prefilled_cell_in_libreoffice_is_warned(tmp_path: Path) -> None:
    from lo import fill_with_libreoffice
    from pdf_render import page_image, pages, to_pdf

    last = write_last_year(tmp_path / "上年")
    res = write_templates(
        LAYOUT, YEAR, tmp_path / "模板", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年"],
    )  # fmt: skip
    template = res.paths[0]
    # the printed template shows last year's numbers in 二、上年结转
    pdf = to_pdf(template, tmp_path / "pdf")
    printed = pages(pdf)
    row = LAYOUT.cells["s3.carried.natural"].row_label.split(" / ")[-1]
    at = next(i for i, p in enumerate(printed) if row in p.text)
    line = next(x for x in printed[at].text.splitlines() if x.startswith(row[:6]))
    assert " ".join(str(n) for n in CARRYOVER.values()) in line
    image = page_image(pdf, at, tmp_path / "template-prior.png")
    if os.environ.get("XLREPORT_UPDATE_DOCS_IMAGES"):
        shutil.copyfile(image, ROOT / "docs" / "images" / "template-prior.png")
    # the agency fills in its year and types 5 over last year's 3
    this = _filled()
    this["s3.carried.natural"] += 2
    this["s3.open.natural"] += 2
    entries = []
    for cid, v in this.items():
        cell = LAYOUT.cells[cid]
        entries.append((LAYOUT.sheet(cell.sheet).name, cell.a1, str(v)))
    filled = tmp_path / "填好.xlsx"
    fill_with_libreoffice(template, filled, entries)
    checked = check_file(filled, CheckOptions(prior=read_prior([last]).by_key))
    assert checked.report.errors == 0, checked.report.findings
    warned = [f for f in checked.report.findings if f.rule == "S1"]
    assert warned and warned[0].cell == LAYOUT.cells["s3.carried.natural"].a1
    assert (warned[0].found, warned[0].expected) == ("5", "3")
    # saved by LibreOffice, the template still knows last year's values: no --prior needed
    alone = check_file(filled, CheckOptions())
    again = [(f.rule, f.cell, f.found, f.expected) for f in alone.report.findings if f.rule == "S1"]
    assert again == [("S1", LAYOUT.cells["s3.carried.natural"].a1, "5", "3")]


def test_without_prior_the_template_itself_remembers_last_year(tmp_path: Path) -> None:
    """The pre-filled template keeps last year's values: check warns without --prior."""
    write_last_year(tmp_path / "上年")
    res = write_templates(
        LAYOUT, YEAR, tmp_path / "模板", roster=roster(tmp_path), county="测试县",
        password="pw", prior=[tmp_path / "上年"],
    )  # fmt: skip
    this = _filled()
    this["s3.carried.natural"] += 2
    this["s3.open.natural"] += 2
    this["a20_1.rules.current"] += 1

    def fill(wb: openpyxl.Workbook) -> None:
        for cid, v in this.items():
            cell = LAYOUT.cells[cid]
            wb[LAYOUT.sheet(cell.sheet).name][cell.a1] = int(v)

    path = tmp_path / "填好.xlsx"
    path.write_bytes(with_openpyxl(res.paths[0].read_bytes(), fill))
    checked = check_file(path, CheckOptions())
    warned = {(f.rule, f.cell): (f.found, f.expected) for f in checked.report.findings if f.rule}
    cells = LAYOUT.cells
    assert warned[("S1", cells["s3.carried.natural"].a1)] == ("5", "3")
    rules_current = CURRENT["rules"] + this["a20_1.rules.issued"] - this["a20_1.rules.repealed"]
    assert warned[("S2", cells["a20_1.rules.current"].a1)] == (
        str(rules_current + 1), str(rules_current),
    )  # fmt: skip
    assert checked.report.errors == 0
    assert {r for r, _c in warned} == {"S1", "S2"}
    # a plain template knows no last year: nothing to compare
    plain = write_templates(
        LAYOUT, YEAR, tmp_path / "普通", roster=roster(tmp_path), county="测试县", password="pw"
    )
    path.write_bytes(with_openpyxl(plain.paths[0].read_bytes(), fill))
    assert not [
        f for f in check_file(path, CheckOptions()).report.findings if f.rule.startswith("S")
    ]


def test_a_changed_carryover_is_one_thing_to_explain(tmp_path: Path) -> None:
    """Seen from its column and from the 总计 column, one changed carryover is one cause."""
    from xlreport.checks.causes import cause_count

    prior = read_prior([write_last_year(tmp_path / "上年")])
    this = _filled()
    this["s3.carried.legal"] += 1
    this["s3.open.legal"] += 1
    path = tmp_path / "本年.xlsx"
    path.write_bytes(build(LAYOUT, this, ident(LAYOUT, year=YEAR)))
    checked = check_file(path, CheckOptions(prior=prior.by_key))
    warned = [f for f in checked.report.findings if f.rule == "S1"]
    assert len(warned) == 2 and len({f.cause for f in warned}) == 1
    assert (
        cause_count(checked.report.findings, "warning")
        == cause_count([f for f in checked.report.findings if f.rule != "S1"], "warning") + 1
    )


def test_last_years_summary_prefills_the_countys_own_template(tmp_path: Path) -> None:
    write_last_year(tmp_path / "上年", code="A01")
    write_last_year(tmp_path / "上年", code="A02")
    summary = tmp_path / "上年汇总.xlsx"
    code, _out, err = invoke(
        ["merge", str(tmp_path / "上年"), "--out", str(summary), "--name", "测试县", "--county", "测试县"]
    )  # fmt: skip
    assert code == 0, err
    res = write_templates(LAYOUT, YEAR, tmp_path / "本县", password="pw", prior=[summary])
    doubled = {f"s3.carried.{c}": Decimal(2 * n) for c, n in CARRYOVER.items()}
    assert this_year(res.paths[0]) == doubled
    with pytest.raises(UsageError) as e:
        write_templates(
            LAYOUT,
            YEAR,
            tmp_path / "按单位",
            roster=roster(tmp_path),
            password="pw",
            prior=[summary],
        )
    assert "汇总表只能预填通用模板" in e.value.args[0]


def test_last_years_published_report_prefills_a_generic_template(tmp_path: Path) -> None:
    """Last year's report as published (HTML here; Word, PDF and text import the same way)
    pre-fills 上年结转 as last year's own workbook does."""
    from xlreport.api.publish import PublishRequest, publish_file

    last = write_last_year(tmp_path / "上年")
    page = tmp_path / "上年年报.html"
    publish_file(PublishRequest(last, "html", out=page))
    res = write_templates(LAYOUT, YEAR, tmp_path / "通用", password="pw", prior=[page])
    assert res.prefilled == list(res.paths)
    assert this_year(res.paths[0]) == {f"s3.carried.{c}": Decimal(n) for c, n in CARRYOVER.items()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["上年", "上年年报.html", "通用"]
