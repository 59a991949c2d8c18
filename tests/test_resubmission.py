"""Resubmission verification (xlreport.checks.resubmission): marks and changed cells."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xlreport.checks.catalogue import finding
from xlreport.checks.resubmission import (
    CellValue,
    compare_versions,
    finding_key,
    mark_line,
    show_value,
)
from xlreport.findings import Finding
from xlreport.spec import resolve_layout

LAYOUT = resolve_layout("gov-2021", None)
INPUTS = [c.id for c in LAYOUT.inputs()]
CODES = ("value-negative", "rule-broken", "value-not-number", "formula-overwritten")


def _f(code: str, cell: str, message: str = "问题", rule: str = "") -> Finding:
    c = LAYOUT.cells[cell]
    sheet = LAYOUT.sheet(c.sheet).name
    return finding(code, message, sheet=sheet, cell=c.a1, rule=rule)  # type: ignore[arg-type]


def test_fixed_remaining_and_new_are_marked_by_code_sheet_cell_not_message() -> None:
    a, b, c = INPUTS[:3]
    old = [_f("value-negative", a, "应为非负数，实为 -1"), _f("value-negative", b)]
    new = [_f("value-negative", b, "应为非负数，实为 -7（改过但仍错）"), _f("value-negative", c)]
    res = compare_versions(LAYOUT, old, {}, new, {})
    assert [m.mark for m in res.marks] == ["已改正", "仍存在", "新出现"]
    assert res.fixed == [old[0]]
    assert res.remaining == [new[0]]  # the new version's finding, with its new message
    assert res.new == [new[1]]
    assert res.counts() == {"已改正": 1, "仍存在": 1, "新出现": 1}
    assert "已改正 1 处" in res.summary()
    assert mark_line(res.marks[0]).startswith("【已改正】错误 ")


def test_the_same_code_on_another_rule_is_another_finding() -> None:
    a = INPUTS[0]
    old = [_f("rule-broken", a, rule="H1")]
    new = [_f("rule-broken", a, rule="H2")]
    res = compare_versions(LAYOUT, old, {}, new, {})
    assert [m.mark for m in res.marks] == ["已改正", "新出现"]


def test_a_finding_with_a_template_position_matches_where_rows_were_inserted() -> None:
    a = INPUTS[0]
    cell = LAYOUT.cells[a]
    at = (LAYOUT.sheet(cell.sheet).name, cell.r, cell.c)
    old = replace(_f("value-negative", a), at=at)
    moved = replace(old, cell="B99")  # a row inserted above it in the new file
    res = compare_versions(LAYOUT, [old], {}, [moved], {})
    assert [m.mark for m in res.marks] == ["仍存在"]


def test_changed_cells_carry_labels_and_old_and_new_values() -> None:
    a, b, c = INPUTS[:3]
    old: dict[str, CellValue] = {a: Decimal(5), b: Decimal(3)}
    new: dict[str, CellValue] = {a: Decimal("5.0"), b: "三", c: Decimal(2)}
    res = compare_versions(LAYOUT, [], old, [], new)
    assert [x.cell_id for x in res.changed] == [b, c]
    first = res.changed[0]
    cell = LAYOUT.cells[b]
    assert (first.sheet, first.cell) == (LAYOUT.sheet(cell.sheet).name, cell.a1)
    assert (first.row_label, first.col_label) == (cell.row_label, cell.col_label)
    assert first.to_dict()["old"] == "3" and first.to_dict()["new"] == "三"
    assert res.changed[1].to_dict()["old"] == "（空）"
    assert res.to_dict()["changed_cells"][1]["new"] == "2"


def test_show_value() -> None:
    assert show_value(Decimal("1E+1")) == "10"
    assert show_value(Decimal("2.50")) == "2.50"
    assert show_value(None) == "（空）"


_findings = st.lists(
    st.builds(
        lambda code, i, rule, msg: _f(code, INPUTS[i], msg, rule),
        st.sampled_from(CODES),
        st.integers(0, 5),
        st.sampled_from(("", "H1", "H2")),
        st.sampled_from(("甲", "乙")),
    ),
    max_size=8,
)
_values = st.dictionaries(
    st.sampled_from(INPUTS[:6]),
    st.one_of(st.none(), st.integers(0, 3).map(Decimal), st.sampled_from(("x", "一"))),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(_findings, _findings, _values, _values)
def test_marks_account_for_every_finding_once(
    old: list[Finding],
    new: list[Finding],
    old_values: dict[str, CellValue],
    new_values: dict[str, CellValue],
) -> None:
    res = compare_versions(LAYOUT, old, old_values, new, new_values)
    c = res.counts()
    # every previous finding is fixed or remains; every new one remains or is new
    assert c["已改正"] + c["仍存在"] == len(old)
    assert c["仍存在"] + c["新出现"] == len(new)
    assert Counter(map(id, res.remaining + res.new)) == Counter(map(id, new))
    # what remains is exactly the multiset intersection of the keys
    both = Counter(map(finding_key, old)) & Counter(map(finding_key, new))
    assert Counter(map(finding_key, res.remaining)) == both
    # the same version twice: nothing fixed, nothing new, no cell changed
    same = compare_versions(LAYOUT, old, old_values, old, old_values)
    assert same.counts() == {"已改正": 0, "仍存在": len(old), "新出现": 0}
    assert same.changed == ()
    # a changed cell is one whose value differs, each listed once
    changed = {x.cell_id for x in res.changed}
    assert len(changed) == len(res.changed)
    keys = set(old_values) | set(new_values)
    assert changed == {k for k in keys if old_values.get(k) != new_values.get(k)}
    # comparing backwards swaps fixed and new, and old and new values
    back = compare_versions(LAYOUT, new, new_values, old, old_values)
    assert back.counts()["已改正"] == c["新出现"] and back.counts()["新出现"] == c["已改正"]
    assert [(x.cell_id, x.old, x.new) for x in back.changed] == [
        (x.cell_id, x.new, x.old) for x in res.changed
    ]
