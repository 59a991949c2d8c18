"""Which input counts: errors, layout and year, duplicates, superseded returns, overlaps."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from merge_helpers import checked, random_values, unreadable

from xlreport.merge.model import FileOutcome
from xlreport.merge.naming import derived_code
from xlreport.merge.select import recency, saved_timestamp, select_returns
from xlreport.merge.status import NOT_IN_ROSTER, roster_status
from xlreport.merge.sums import merge_values
from xlreport.spec import resolve_layout

L = resolve_layout("gov-2021")
L19 = resolve_layout("gov-2019")
V1 = {"s3.new.natural": Decimal(5), "a20_8.fees.amount": Decimal("1.25")}
V2 = {"s3.new.natural": Decimal(7), "a20_8.fees.amount": Decimal("1.25")}


def by_name(files: list[FileOutcome]) -> dict[str, FileOutcome]:
    return {f.file_name: f for f in files}


def test_errors_and_unreadable_are_left_out_with_their_reason() -> None:
    sel = select_returns(
        [
            checked(L, "A", V1, path="/x/a.xlsx"),
            checked(L, "B", V2, path="/x/b.xlsx", errors=2, warnings=1),
            checked(L, "C", V2, path="/x/c.xlsx", warnings=3),
            unreadable("/x/d.xlsx", "这是旧版 .xls 文件"),
        ],
        L,
        2024,
    )
    f = by_name(sel.files)
    assert f["a.xlsx"].status == "merged"
    assert f["b.xlsx"].status == "error" and "2个错误" in f["b.xlsx"].reason
    assert f["c.xlsx"].status == "merged"  # warnings do not stop a return
    assert f["d.xlsx"].status == "unreadable" and ".xls" in f["d.xlsx"].reason
    assert [d.identity.agency_code for d in sel.counted] == ["A", "C"]


def test_other_layout_or_year_is_left_out() -> None:
    sel = select_returns(
        [
            checked(L, "A", V1, path="/a.xlsx"),
            checked(L19, "B", {}, path="/b.xlsx"),
            checked(L, "C", V1, path="/c.xlsx", year=2023),
        ],
        L,
        2024,
    )
    f = by_name(sel.files)
    assert f["b.xlsx"].status == "mismatch" and "gov-2019" in f["b.xlsx"].reason
    assert f["c.xlsx"].status == "mismatch" and "2023" in f["c.xlsx"].reason
    assert [d.identity.agency_code for d in sel.counted] == ["A"]


def test_layout_and_year_default_to_the_most_common() -> None:
    files = [
        checked(L, "A", V1, path="/a.xlsx"),
        checked(L, "B", V1, path="/b.xlsx"),
        checked(L19, "C", {}, path="/c.xlsx", year=2023),
    ]
    sel = select_returns(files)
    assert sel.layout is L and sel.year == 2024
    assert by_name(sel.files)["c.xlsx"].status == "mismatch"


def test_byte_identical_files_count_once() -> None:
    a = checked(L, "A", V1, path="/in/甲.xlsx")
    twin = checked(L, "A", V1, path="/other/甲（副本）.xlsx")
    assert a.data and twin.data and a.data.sha256 == twin.data.sha256
    sel = select_returns([twin, a], L, 2024)
    f = by_name(sel.files)
    assert f["甲.xlsx"].status == "merged"
    assert f["甲（副本）.xlsx"].status == "duplicate"
    assert f["甲（副本）.xlsx"].instead == "甲.xlsx"
    assert len(sel.counted) == 1


def test_the_return_saved_last_counts_and_the_differences_are_listed() -> None:
    old = checked(L, "A", V1, path="/in/z-final.xlsx", saved_at="2025-01-03T08:00:00Z", mtime=9e9)
    new = checked(L, "A", V2, path="/in/a-draft.xlsx", saved_at="2025-01-05T08:00:00Z", mtime=1.0)
    sel = select_returns([old, new], L, 2024)
    f = by_name(sel.files)
    assert f["a-draft.xlsx"].status == "merged"  # saved later, whatever the file time
    sup = f["z-final.xlsx"]
    assert sup.status == "superseded" and sup.instead == "a-draft.xlsx"
    assert [(d.cell_id, d.kept, d.replaced) for d in sup.differences] == [
        ("s3.new.natural", "7", "5")
    ]
    d = sup.differences[0]
    assert d.cell == L.cells["s3.new.natural"].a1 and d.sheet == L.sheet("s3").name
    assert "自然人" in d.col_label and "本年新收" in d.row_label
    assert "保存时间更晚" in sup.reason and "5→7" in sup.reason


def test_file_time_then_path_break_ties() -> None:
    a = checked(L, "A", V1, path="/in/1.xlsx", saved_at="2025-01-01T00:00:00Z", mtime=200.0)
    b = checked(L, "A", V2, path="/in/2.xlsx", saved_at="2025-01-01T00:00:00Z", mtime=100.0)
    assert by_name(select_returns([a, b], L, 2024).files)["1.xlsx"].status == "merged"
    c = checked(L, "A", V2, path="/in/3.xlsx", saved_at="2025-01-01T00:00:00Z", mtime=200.0)
    f = by_name(select_returns([c, a], L, 2024).files)
    assert f["3.xlsx"].status == "merged" and f["1.xlsx"].status == "superseded"


def test_saved_time_parsing() -> None:
    assert saved_timestamp("") == float("-inf")
    assert saved_timestamp("garbage") == float("-inf")
    assert saved_timestamp("2025-01-01T00:00:00Z") == saved_timestamp("2025-01-01T08:00:00+08:00")
    a = checked(L, "A", V1, saved_at="2025-01-01T00:00:00Z").data
    assert a is not None and recency(a)[0] > saved_timestamp("2024-12-31T23:59:59Z")


def test_summary_and_direct_return_of_the_same_agency_are_not_double_counted() -> None:
    county = checked(
        L, "XCOUNTY", V1, path="/c/county.xlsx", kind="summary", contributors=("A", "B")
    )
    direct = checked(L, "B", V2, path="/c/b.xlsx")
    other = checked(L, "C", V2, path="/c/c.xlsx")
    sel = select_returns([direct, other, county], L, 2024)
    f = by_name(sel.files)
    assert f["county.xlsx"].status == "merged"
    assert f["c.xlsx"].status == "merged"
    assert f["b.xlsx"].status == "overlap"
    assert "B" in f["b.xlsx"].reason and "county.xlsx" in f["b.xlsx"].reason
    assert f["b.xlsx"].left_out


def test_overlapping_summaries() -> None:
    s1 = checked(L, "S1", V1, path="/s1.xlsx", kind="summary", contributors=("A", "B", "C"))
    s2 = checked(L, "S2", V2, path="/s2.xlsx", kind="summary", contributors=("C", "D"))
    f = by_name(select_returns([s2, s1], L, 2024).files)
    assert f["s1.xlsx"].status == "merged"  # the larger summary is kept
    assert f["s2.xlsx"].status == "overlap" and "C" in f["s2.xlsx"].reason


def test_generic_template_return_is_identified_by_its_name() -> None:
    cf = checked(L, "", V1, path="/g.xlsx", name="某某乡人民政府")
    sel = select_returns([cf], L, 2024)
    assert sel.files[0].status == "merged"
    assert sel.files[0].code == derived_code("某某乡人民政府")
    nameless = checked(L, "", V1, path="/n.xlsx")
    assert nameless.data is not None
    nameless.data.identity = replace(nameless.data.identity, agency_name="")
    assert select_returns([nameless], L, 2024).files[0].status == "unidentified"


def test_roster_statuses() -> None:
    roster = {"A": "甲局", "B": "乙局", "C": "丙局", "D": "丁局", "E": "戊局"}
    files = [
        checked(L, "A", V1, path="/a.xlsx"),
        checked(L, "B", V1, path="/b-old.xlsx", saved_at="2025-01-01T00:00:00Z"),
        checked(L, "B", V2, path="/b-new.xlsx", saved_at="2025-01-02T00:00:00Z"),
        checked(L, "C", V1, path="/c.xlsx", errors=1),
        checked(L, "Z", V1, path="/z.xlsx"),
        unreadable("/junk.xlsx"),
    ]
    sel = select_returns(files, L, 2024)
    st_ = roster_status(sel.files, roster)
    rows = [(r.code, r.status, r.file_name) for r in st_.rows]
    assert rows == [
        ("A", "已报送", "a.xlsx"),
        ("B", "已报送", "b-new.xlsx"),
        ("B", "已被替换", "b-old.xlsx"),
        ("C", "有错误未汇总", "c.xlsx"),
        ("D", "未报送", ""),
        ("E", "未报送", ""),
        ("Z", "已报送", "z.xlsx"),
        ("", "无法读取", "junk.xlsx"),
    ]
    old = next(r for r in st_.rows if r.file_name == "b-old.xlsx")
    assert "b-new.xlsx" in old.note and "5→7" in old.note
    z = next(r for r in st_.rows if r.code == "Z")
    assert z.in_roster == NOT_IN_ROSTER and "不在报送名单中" in z.note
    assert st_.missing == [("D", "丁局"), ("E", "戊局")]
    assert st_.not_reported == [("C", "丙局"), ("D", "丁局"), ("E", "戊局")]
    assert st_.not_in_roster == [("Z", "单位Z")]


def test_roster_agency_counted_through_a_summary() -> None:
    county = checked(L, "XC", V1, path="/county.xlsx", kind="summary", contributors=("A", "B"))
    st_ = roster_status(select_returns([county], L, 2024).files, {"A": "甲", "B": "乙", "C": "丙"})
    by_code = {r.code: r for r in st_.rows}
    assert by_code["A"].status == "已报送" and by_code["A"].file_name == "county.xlsx"
    assert "汇总表" in by_code["A"].note
    assert by_code["C"].status == "未报送"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_selection_does_not_depend_on_input_order(seed: int, rnd: random.Random) -> None:
    rng = random.Random(seed)
    files = []
    for i in range(12):
        code = rng.choice("ABCDE")
        values = random_values(L, rng, blanks=0.5) if rng.random() < 0.7 else V1
        files.append(
            checked(
                L,
                code,
                values,
                path=f"/d{i % 3}/{code}-{i // 3}.xlsx",
                saved_at=rng.choice(["", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"]),
                mtime=float(rng.randint(0, 3)),
                errors=1 if rng.random() < 0.15 else 0,
            )
        )
    first = select_returns(files, L, 2024)
    shuffled = list(files)
    rnd.shuffle(shuffled)
    second = select_returns(shuffled, L, 2024)
    assert [(f.path, f.status, f.reason) for f in first.files] == [
        (f.path, f.status, f.reason) for f in second.files
    ]
    assert merge_values(L, (d.values for d in first.counted)) == merge_values(
        L, (d.values for d in second.counted)
    )
    codes = [d.identity.agency_code for d in first.counted]
    assert codes == sorted(set(codes))  # one per agency, sorted


@pytest.mark.parametrize("n", [1, 3])
def test_upward_merge_of_summaries_equals_the_flat_merge(n: int) -> None:
    rng = random.Random(n)
    returns = [
        checked(L, f"A{i:02d}", random_values(L, rng), path=f"/r/{i}.xlsx") for i in range(9)
    ]
    flat = select_returns(returns, L, 2024)
    flat_values = merge_values(L, (d.values for d in flat.counted))
    groups = [returns[0:4], returns[4:9]]
    summaries = []
    for g, group in enumerate(groups):
        sel = select_returns(group, L, 2024)
        values = merge_values(L, (d.values for d in sel.counted))
        inputs = {c.id: values[c.id] for c in L.inputs()}
        codes = tuple(sorted(d.identity.agency_code for d in sel.counted))
        summaries.append(
            checked(L, f"S{g}", inputs, path=f"/s/{g}.xlsx", kind="summary", contributors=codes)
        )
    up = select_returns(summaries, L, 2024)
    assert merge_values(L, (d.values for d in up.counted)) == flat_values
