"""Which input counts: errors, layout and year, duplicates, versions (conflict or --prefer),
overlaps."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from merge_helpers import checked, random_values, unreadable

from xlreport.batch.spill import SpilledList
from xlreport.merge.model import FileOutcome
from xlreport.merge.naming import derived_code
from xlreport.merge.select import select_returns
from xlreport.merge.status import NOT_IN_ROSTER, roster_status
from xlreport.merge.sums import merge_values
from xlreport.merge.versions import near, near_pairs
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


def test_two_differing_versions_are_a_conflict_whatever_their_times() -> None:
    # issue 10: the saved time decided before (LibreOffice 7.4 writes local time as UTC,
    # PC clocks are wrong): now neither counts, both are named with the cells that differ
    old = checked(L, "A", V1, path="/in/z-final.xlsx", saved_at="2025-01-03T08:00:00Z", mtime=9e9)
    new = checked(L, "A", V2, path="/in/a-draft.xlsx", saved_at="2025-01-05T08:00:00Z", mtime=1.0)
    other = checked(L, "B", V1, path="/in/b.xlsx")
    sel = select_returns([old, new, other], L, 2024)
    f = by_name(sel.files)
    for name, twin in (("z-final.xlsx", "a-draft.xlsx"), ("a-draft.xlsx", "z-final.xlsx")):
        c = f[name]
        assert c.status == "conflict" and c.left_out and c.reason_code == "version-conflict"
        assert twin in c.reason and "--prefer" in c.reason and c.instead == twin
        assert [d.cell_id for d in c.differences] == ["s3.new.natural"]
    assert "5→7" in f["z-final.xlsx"].reason
    assert [d.identity.agency_code for d in sel.counted] == ["B"]
    # 报送情况 lists every differing cell, and what to do
    row = next(r for r in roster_status(sel.files, None).rows if r.file_name == "z-final.xlsx")
    assert row.status == "版本冲突未汇总" and "a-draft.xlsx" in row.note
    assert "5→7" in row.note and row.note.endswith("或用 --prefer 指定以哪份为准")


def test_prefer_resolves_a_conflict_and_the_others_are_superseded() -> None:
    old = checked(L, "A", V1, path="/in/z-final.xlsx", saved_at="2025-01-03T08:00:00Z")
    new = checked(L, "A", V2, path="/in/a-draft.xlsx", saved_at="2025-01-05T08:00:00Z")
    draft = checked(L, "A", V2, path="/in/draft-with-errors.xlsx", errors=3)
    sel = select_returns([old, new, draft], L, 2024, prefer={"/in/z-final.xlsx"})
    f = by_name(sel.files)
    assert f["z-final.xlsx"].status == "merged"
    for name in ("a-draft.xlsx", "draft-with-errors.xlsx"):
        sup = f[name]
        assert sup.status == "superseded" and not sup.left_out and sup.instead == "z-final.xlsx"
        assert "--prefer" in sup.reason
    sup = f["a-draft.xlsx"]
    assert [(d.cell_id, d.kept, d.replaced) for d in sup.differences] == [
        ("s3.new.natural", "5", "7")
    ]
    d = sup.differences[0]
    assert d.cell == L.cells["s3.new.natural"].a1 and d.sheet == L.sheet("s3").name
    assert "自然人" in d.col_label and "本年新收" in d.row_label
    assert [d.values for d in sel.counted] == [V1]


def test_an_erroneous_draft_beside_a_valid_return_keeps_its_error_without_prefer() -> None:
    draft = checked(L, "A", V1, path="/in/a-old.xlsx", errors=2)
    final = checked(L, "A", V2, path="/in/a-new.xlsx")
    f = by_name(select_returns([draft, final], L, 2024).files)
    # left out and named (exit 1) until the clerk says the valid one counts (--prefer)
    assert f["a-new.xlsx"].status == "merged" and f["a-old.xlsx"].status == "error"
    # the one counted says another file of its agency was left out (which is newer: unknown)
    assert "“a-old.xlsx”有错误未计入" in f["a-new.xlsx"].reason
    assert "有错误未计入" in roster_status(list(f.values()), None).rows[0].note
    # last year's return of the same agency is no version of this year's
    last_year = checked(L, "A", V1, path="/in/a-2023.xlsx", year=2023)
    f = by_name(select_returns([last_year, final], L, 2024).files)
    assert f["a-new.xlsx"].status == "merged" and f["a-2023.xlsx"].status == "mismatch"


def test_two_preferred_versions_of_one_agency_stay_a_conflict() -> None:
    a = checked(L, "A", V1, path="/in/1.xlsx")
    b = checked(L, "A", V2, path="/in/2.xlsx")
    f = by_name(select_returns([a, b], L, 2024, prefer={"/in/1.xlsx", "/in/2.xlsx"}).files)
    assert f["1.xlsx"].status == f["2.xlsx"].status == "conflict"
    assert "只能指定其中一份" in f["1.xlsx"].reason


def test_a_summary_is_never_mixed_with_the_returns_it_contains() -> None:
    # issue 10: an old summary left in the folder outranked corrected returns; now the mix
    # is refused: neither the summary nor the returns of its agencies count
    county = checked(
        L, "XCOUNTY", V1, path="/c/county.xlsx", kind="summary", contributors=("A", "B")
    )
    direct = checked(L, "B", V2, path="/c/b.xlsx")
    other = checked(L, "C", V2, path="/c/c.xlsx")
    sel = select_returns([direct, other, county], L, 2024)
    f = by_name(sel.files)
    assert f["c.xlsx"].status == "merged"
    for name, partner in (("county.xlsx", "b.xlsx"), ("b.xlsx", "county.xlsx")):
        assert f[name].status == "overlap" and f[name].left_out
        assert f[name].reason_code == "summary-overlap"
        assert partner in f[name].reason and "B" in f[name].reason
    assert [d.identity.agency_code for d in sel.counted] == ["C"]


def test_overlapping_summaries_are_both_refused() -> None:
    s1 = checked(L, "S1", V1, path="/s1.xlsx", kind="summary", contributors=("A", "B", "C"))
    s2 = checked(L, "S2", V2, path="/s2.xlsx", kind="summary", contributors=("C", "D"))
    f = by_name(select_returns([s2, s1], L, 2024).files)
    assert f["s1.xlsx"].status == f["s2.xlsx"].status == "overlap"
    assert "C" in f["s2.xlsx"].reason and "s1.xlsx" in f["s2.xlsx"].reason


def test_summaries_with_one_code_and_other_contributors_never_replace_each_other() -> None:
    # two batch summaries of one county (same --name, so the same code), disjoint: both count
    b1 = checked(L, "XQ", V1, path="/batch1.xlsx", kind="summary", contributors=("A", "B"))
    b2 = checked(L, "XQ", V2, path="/batch2.xlsx", kind="summary", contributors=("C",))
    sel = select_returns([b1, b2], L, 2024)
    assert {f.status for f in sel.files} == {"merged"}
    assert merge_values(L, (d.values for d in sel.counted)) == merge_values(L, [V1, V2])
    # sharing an agency: refused, not replaced
    b3 = checked(L, "XQ", V2, path="/batch3.xlsx", kind="summary", contributors=("B", "C"))
    f = by_name(select_returns([b1, b3], L, 2024).files)
    assert f["batch1.xlsx"].status == f["batch3.xlsx"].status == "overlap"
    assert "--code" in f["batch1.xlsx"].reason  # two districts of one name: give codes
    # the same contributors and other figures: two versions of one summary, a conflict
    b4 = checked(L, "XQ", V2, path="/batch4.xlsx", kind="summary", contributors=("A", "B"))
    f = by_name(select_returns([b1, b4], L, 2024).files)
    assert f["batch1.xlsx"].status == f["batch4.xlsx"].status == "conflict"
    f = by_name(select_returns([b1, b4], L, 2024, prefer={"/batch4.xlsx"}).files)
    assert f["batch4.xlsx"].status == "merged" and f["batch1.xlsx"].status == "superseded"


def test_own_summary_in_a_folder_is_skipped_but_never_when_named() -> None:
    own = checked(L, "XOWN", V1, path="/in/汇总.xlsx", kind="summary", contributors=("A",))
    a = checked(L, "A", V1, path="/in/a.xlsx")
    f = by_name(select_returns([own, a], L, 2024, own_code="XOWN").files)
    assert f["汇总.xlsx"].status == "skipped" and f["a.xlsx"].status == "merged"
    st_ = roster_status(select_returns([own, a], L, 2024, own_code="XOWN").files, {"A": "甲"})
    assert st_.not_in_roster == []  # our own output is no roster matter
    f = by_name(
        select_returns([own, a], L, 2024, own_code="XOWN", explicit={"/in/汇总.xlsx"}).files
    )
    assert f["汇总.xlsx"].status == "overlap" and f["a.xlsx"].status == "overlap"


def test_returns_of_another_county_are_left_out_without_county() -> None:
    ours = [checked(L, c, V1, path=f"/{c}.xlsx") for c in ("A", "B")]
    theirs = checked(L, "C", V2, path="/c.xlsx")
    assert theirs.data is not None
    theirs.data.identity = replace(theirs.data.identity, county="邻县")
    sel = select_returns([*ours, theirs], L, 2024)
    f = by_name(sel.files)
    assert f["c.xlsx"].status == "mismatch" and f["c.xlsx"].reason_code == "county-conflict"
    assert "邻县" in f["c.xlsx"].reason and "--county" in f["c.xlsx"].reason
    # with --county the check has already judged it (county-mismatch): no vote here
    assert (
        by_name(select_returns([*ours, theirs], L, 2024, county="测试县").files)["c.xlsx"].status
        == "merged"
    )


def test_generic_template_return_is_identified_by_its_name() -> None:
    cf = checked(L, "", V1, path="/g.xlsx", name="某某乡人民政府")
    sel = select_returns([cf], L, 2024)
    assert sel.files[0].status == "merged"
    assert sel.files[0].code == derived_code("某某乡人民政府")
    nameless = checked(L, "", V1, path="/n.xlsx")
    assert nameless.data is not None
    nameless.data.identity = replace(nameless.data.identity, agency_name="")
    assert select_returns([nameless], L, 2024).files[0].status == "unidentified"


def test_generic_names_are_normalised_and_near_names_are_one_agency() -> None:
    a = checked(L, "", V1, path="/g1.xlsx", name="某某乡人民政府（办公室）")
    spaced = checked(L, "", V1, path="/g2.xlsx", name="某某乡 人民政府(办公室)")
    assert a.data and spaced.data
    spaced.data.sha256 = "other-bytes"  # a different file, the same name written otherwise
    f = by_name(select_returns([a, spaced], L, 2024).files)
    assert f["g1.xlsx"].status == f["g2.xlsx"].status == "conflict"  # one agency, not two
    assert f["g1.xlsx"].code == f["g2.xlsx"].code == derived_code("某某乡人民政府(办公室)")
    typo = checked(L, "", V2, path="/g3.xlsx", name="某某乡人民政府（办公室")
    f = by_name(select_returns([a, typo], L, 2024).files)
    assert f["g1.xlsx"].status == f["g3.xlsx"].status == "conflict"
    assert f["g3.xlsx"].reason_code == "name-near-duplicate" and "--roster" in f["g3.xlsx"].reason
    sel = select_returns([a, typo], L, 2024, prefer={"/g3.xlsx"})
    f = by_name(sel.files)
    assert f["g3.xlsx"].status == "merged" and f["g1.xlsx"].status == "superseded"
    far = checked(L, "", V2, path="/g4.xlsx", name="某某镇人民政府（办公室）")
    f = by_name(select_returns([a, far], L, 2024).files)
    assert f["g1.xlsx"].status == f["g4.xlsx"].status == "merged"


def test_near_names() -> None:
    assert near("某某乡人民政", "某某乡人民政府") and near("县教育局", "县教育体育局")
    assert not near("某某镇人民政府", "某某乡人民政府")  # a character replaced: two towns
    assert not near("县财政局", "县财政局") and not near("县财政局", "县财政局办公室")
    assert not near("乡", "乡政府")  # too short to tell
    names = ["县教育局", "县教育体育局", "县财政局", "城关镇", "城南镇", "县财政局办"]
    assert near_pairs(names) == [("县教育体育局", "县教育局"), ("县财政局", "县财政局办")]


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
    sel = select_returns(files, L, 2024, prefer={"/b-new.xlsx"})
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
    # the lines waiting on disk (a province's) are the same lines
    on_disk = roster_status(sel.files, roster, keep=0)
    assert isinstance(on_disk.rows, SpilledList) and on_disk.rows.spilled
    assert list(on_disk.rows) == list(st_.rows) and on_disk.missing == st_.missing


def test_status_lines_of_one_agency_and_status_are_in_file_name_order_whatever_the_input_order() -> (
    None
):
    files = [
        checked(L, "B", V1, path="/in/b1.xlsx"),
        checked(L, "B", V2, path="/in/b2.xlsx"),
        checked(L, "A", V1, path="/in/a.xlsx"),
    ]
    outcomes = list(select_returns(files, L, 2024).files)
    assert [f.status for f in outcomes] == ["merged", "conflict", "conflict"]
    expected = [("A", "a.xlsx"), ("B", "b1.xlsx"), ("B", "b2.xlsx")]
    for order in (outcomes, outcomes[::-1]):
        rows = roster_status(order, {"A": "甲", "B": "乙"}).rows
        assert [(r.code, r.file_name) for r in rows] == expected


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


def test_a_code_holding_the_contributor_separator_is_not_merged() -> None:
    """A summary lists its agencies' codes joined by commas: a code with a comma would be
    read back as two agencies (and one agency counted twice a level up)."""
    sel = select_returns(
        [checked(L, "A,1", V1, path="/x/a.xlsx"), checked(L, "B", V2, path="/x/b.xlsx")], L, 2024
    )
    f = by_name(sel.files)
    assert f["a.xlsx"].status == "unidentified" and "逗号" in f["a.xlsx"].reason
    assert [d.identity.agency_code for d in sel.counted] == ["B"]


@pytest.mark.parametrize("typed", ["单位A0", "单位A0局"])  # the same name, or a near one
def test_a_generic_return_named_as_a_coded_agency_is_a_version_of_it(typed: str) -> None:
    """Without a roster, a return from the generic template that types the name a coded
    return states is that agency's second version — never a second agency summed."""
    sel = select_returns(
        [
            checked(L, "A0", V1, path="/x/coded.xlsx", name="单位A0"),
            checked(L, "", V1, path="/x/generic.xlsx", name=typed, sha="f" * 64),
            checked(L, "B", V2, path="/x/b.xlsx"),
        ],
        L,
        2024,
    )
    f = by_name(sel.files)
    assert f["coded.xlsx"].status == f["generic.xlsx"].status == "conflict"
    assert f["b.xlsx"].status == "merged"
    assert [d.identity.agency_code for d in sel.counted] == ["B"]
    # the same figures in two different files: said as it is
    assert "填报的数据相同，但文件不同" in f["coded.xlsx"].reason


def test_blank_and_zero_are_a_difference_between_versions() -> None:
    blank = {"a20_8.fees.amount": Decimal("1.25")}
    zero = {"s3.new.natural": Decimal(0), "a20_8.fees.amount": Decimal("1.25")}
    sel = select_returns(
        [checked(L, "A", blank, path="/x/a1.xlsx"), checked(L, "A", zero, path="/x/a2.xlsx")],
        L,
        2024,
        blank_as_zero=True,
    )
    f = by_name(sel.files)
    assert f["a1.xlsx"].status == "conflict"
    assert [d.cell_id for d in f["a1.xlsx"].differences] == ["s3.new.natural"]
    assert "空" in f["a1.xlsx"].reason


def test_prefer_naming_a_byte_identical_copy_prefers_its_content() -> None:
    twin = "e" * 64
    sel = select_returns(
        [
            checked(L, "A", V1, path="/x/v1.xlsx"),
            checked(L, "A", V2, path="/x/v2.xlsx", sha=twin),
            checked(L, "A", V2, path="/x/v2 - 副本.xlsx", sha=twin),
        ],
        L,
        2024,
        prefer={"/x/v2 - 副本.xlsx"},
    )
    f = by_name(sel.files)
    assert f["v2.xlsx"].status == "merged"  # the copy kept of the two identical files
    assert f["v2 - 副本.xlsx"].status == "duplicate"
    assert f["v1.xlsx"].status == "superseded"
    assert sel.counted[0].values == V2


@given(
    st.lists(st.text("城关镇乡政府局办", min_size=1, max_size=7), max_size=6),
    st.lists(st.text("城关镇乡政府局办", min_size=1, max_size=7), max_size=6),
)
@settings(max_examples=200)
def test_generic_names_near_coded_ones_are_every_such_pair(
    generic: list[str], coded: list[str]
) -> None:
    from xlreport.merge.versions import _generic_near_coded

    expected = sorted({(g, c) for g in generic for c in coded if g == c or near(g, c)})
    assert _generic_near_coded(generic, dict.fromkeys(coded)) == expected


def test_a_generic_name_fitting_several_coded_agencies_knocks_none_of_them_out() -> None:
    """Two coded agencies of the same (or a near) name both count; a generic return whose
    name fits both is no one's for sure: left out with the reason, never joined to either."""
    sel = select_returns(
        [
            checked(L, "A1", V1, path="/x/a1.xlsx", name="中心小学"),
            checked(L, "A2", V2, path="/x/a2.xlsx", name="中心小学"),
            checked(L, "", V1, path="/x/g.xlsx", name="中心小学"),
        ],
        L,
        2024,
    )
    f = by_name(sel.files)
    assert f["a1.xlsx"].status == f["a2.xlsx"].status == "merged"
    assert f["g.xlsx"].status == "conflict" and "A1、A2" in f["g.xlsx"].reason


def test_same_figures_is_said_only_when_no_other_version_differs() -> None:
    sel = select_returns(
        [
            checked(L, "B", V1, path="/x/b1.xlsx", name="第一中学"),
            checked(L, "B", V1, path="/x/b2.xlsx", name="第一中学", sha="d" * 64),
            checked(L, "B", V2, path="/x/b3.xlsx", name="第一中学"),
        ],
        L,
        2024,
    )
    f = by_name(sel.files)
    assert {x.status for x in f.values()} == {"conflict"}
    assert "填报的数据相同" not in f["b1.xlsx"].reason
