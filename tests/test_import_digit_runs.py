"""A published cell whose digits are split by a space or line break (``3 5``, ``1<br>2``), or
that holds a character only NFKC turns into a digit (``1²``, ``①``), is not a number: the
importer leaves it blank with a finding instead of joining the digits (35, 12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_docs import cms_html, word_docx, word_text
from realdata import load_real_report, real_report_inputs, real_report_totals

from xlreport.importer import import_document
from xlreport.importer.values import parse_value
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout, ValueType

LAYOUTS = list(builtin_layouts().values())
COUNT = ValueType("count", "integer", Decimal(0), None, 0, "", "件数")
MONEY = ValueType("money", "decimal", Decimal(0), None, 2, "元", "金额")


def _layout() -> Layout:
    return builtin_layouts()["gov-2021"]


def _values(lay: Layout) -> dict[str, Decimal | None]:
    rep = load_real_report("pingtan_2022")
    return {**real_report_inputs(rep, lay), **real_report_totals(rep, lay)}


@pytest.mark.parametrize(
    "text",
    ["3 5", "1\n2", "1\r\n2", " 3 5 ", "3\u00a05", "3\u30005", "３ ５", "1 ,234", "1, 234", "1. 5",
     "12 34元"],
)  # fmt: skip
def test_digits_split_by_space_or_line_break_are_not_joined(text: str) -> None:
    p = parse_value(text, MONEY if "元" in text else COUNT)
    assert p.value is None
    assert p.code == "import-value-not-number"
    assert "空格或换行隔开" in p.note and "不猜测" in p.note


@pytest.mark.parametrize(
    ("text", "odd"),
    [("1²", "²"), ("²", "²"), ("12³", "³"), ("⁴", "⁴"), ("1₂", "₂"), ("①", "①"), ("⑫", "⑫"),
     ("⑴", "⑴"), ("⒈", "⒈"), ("٣", "٣"), ("𝟓", "𝟓")],
)  # fmt: skip
def test_characters_nfkc_makes_digits_are_not_numbers(text: str, odd: str) -> None:
    p = parse_value(text, COUNT)
    assert p.value is None
    assert p.code == "import-value-not-number"
    assert f"“{odd}”不是普通数字" in p.note


@pytest.mark.parametrize(
    ("text", "value"),
    [("35", 35), (" 35 ", 35), ("\u00a035", 35), ("３５", 35), ("１２３４", 1234), ("1,234", 1234),
     ("１，２３４", 1234), ("-15", -15), ("－15", -15), ("3 件", 3), ("3件", 3), ("0", 0)],
)  # fmt: skip
def test_plain_full_width_and_grouped_digits_still_import(text: str, value: int) -> None:
    p = parse_value(text, COUNT)
    assert p.value == Decimal(value)
    assert p.code in {None, "import-value-unit"}


def test_money_with_separators_and_unit_still_imports() -> None:
    p = parse_value("75,394,432.52元", MONEY)
    assert p.value == Decimal("75394432.52")
    assert p.code == "import-value-unit"


CELLS = {
    "a20_5.permit.decisions": "3 5",
    "a20_6.penalty.decisions": "1²",
    "a20_6.coercion.decisions": "1\n2",
    "s3.new.research": "①",
}


@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_split_and_footnote_digits_are_left_blank_with_a_finding(kind: str) -> None:
    lay = _layout()
    values = _values(lay)
    texts = {**CELLS, "a20_8.fees.amount": "１２"}
    if kind == "html":  # a <br> inside the cell, as a CMS editor writes it
        doc = cms_html(lay, "某县某局", 2022, values, texts=texts)
        doc = doc.replace("&nbsp;1\n2", "&nbsp;1<br>2")
        assert "1<br>2" in doc
        data = doc.encode("utf-8")
    elif kind == "docx":
        data = word_docx(lay, "某县某局", 2022, values, texts=texts)
    else:
        data = word_text(lay, "某县某局", 2022, values, texts=texts).encode("utf-8")
    got = import_document(data, "x", LAYOUTS)
    assert got.refused is None, got.refused
    for cid in CELLS:
        assert cid not in got.values, (cid, got.values.get(cid))
        (issue,) = [i for i in got.issues if i.cell == cid]
        assert issue.code == "import-value-not-number"
        assert issue.found == CELLS[cid]
        assert "未导入" in issue.message
    assert got.values["a20_8.fees.amount"] == Decimal(12)  # full-width digits: normalised
    # every other input cell imports exactly
    inputs = {c.id for c in lay.compiled.inputs} - set(CELLS) - {"a20_8.fees.amount"}
    assert {k: got.values.get(k) for k in inputs} == {k: values.get(k) for k in inputs}


@pytest.mark.parametrize(("text", "value"), [("30\n9", 309), ("44 \n0", 440), ("1,23\n4", 1234)])
def test_a_pdf_cells_wrapped_line_is_one_number(text: str, value: int) -> None:
    """A PDF's text layer breaks a number where a narrow cell wrapped: ``wrapped`` joins it;
    without it the same text is split digits, not a number."""
    assert parse_value(text, COUNT, wrapped=True).value == Decimal(value)
    assert parse_value(text, COUNT).value is None


@pytest.mark.parametrize("text", ["3 5", "1²", "①"])
def test_a_space_or_a_footnote_mark_is_no_number_even_wrapped(text: str) -> None:
    p = parse_value(text, COUNT, wrapped=True)
    assert p.value is None and p.code == "import-value-not-number"
