"""Every shortcut taken for province-scale speed gives what the general computation gives.

Each test runs the shortcut and the general path it stands in for on the same input and
compares: per-layout plans (sums, judgements, label signatures), the totals reused from
checking, the flat worker results, the summation of packed values, the bulk rows of the
summary sheets and the streamed re-deflation.
"""

from __future__ import annotations

import difflib
import io
import pickle
import random
import zipfile
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from check_helpers import YEAR, build, check_bytes, layout_of, with_openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from xlreport.batch.packed import CompactValues
from xlreport.batch.worker_result import Keep, Unpacker, kept_raw_inputs, kept_signoff, pack
from xlreport.checks.alignment import _align
from xlreport.checks.model import CheckOptions
from xlreport.checks.plan import judged_inputs
from xlreport.checks.values import judge
from xlreport.merge.sums import _PRECISION, SumRefused, sum_inputs, tidy
from xlreport.reader.model import RawCell
from xlreport.spec.compiled import add_up, terms_of
from xlreport.writer import zippack
from xlreport.writer.summary_bulk import BulkWorksheet, number_text

L = layout_of()
IDS = [c.id for c in L.inputs()]

numbers = st.one_of(
    st.none(),
    st.integers(0, 10**6).map(Decimal),
    st.integers(-(10**40), 10**40).map(Decimal),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    ),
    st.sampled_from([Decimal("1E+300"), Decimal("1E-25"), Decimal("-0"), Decimal("2.50")]),
    st.integers(10**59, 10**61).map(lambda n: Decimal(n | 1)),  # sums beyond 60 digits
)


def _values(draw_list: list[Decimal | None]) -> dict[str, Decimal]:
    return {cid: v for cid, v in zip(IDS, draw_list, strict=False) if v is not None}


@settings(max_examples=60, deadline=None)
@given(st.lists(numbers, min_size=len(IDS), max_size=len(IDS)))
def test_plan_sums_are_expr_evaluate(drawn: list[Decimal | None]) -> None:
    values = _values(drawn)
    values.update(L.compute_totals(values))
    for total in L.totals:
        assert str(add_up(terms_of(total.expr), values)) == str(total.expr.evaluate(values))
    for rule in L.checks:
        for side in (rule.lhs, rule.rhs):
            assert str(add_up(terms_of(side), values)) == str(side.evaluate(values))


def test_judgements_made_ahead_are_those_of_judge() -> None:
    for cell, cache in judged_inputs(L):
        for key, judged in cache.items():
            raw = None if key is None else RawCell(*key)
            assert judged == judge(raw, cell.type)


@pytest.mark.parametrize("seed", range(20))
def test_align_shortcut_is_difflib(seed: int) -> None:
    rnd = random.Random(seed)
    expected = [tuple(sorted(rnd.sample("abcdef", rnd.randint(0, 2)))) for _ in range(12)]
    found = list(expected)
    if seed % 2:
        found.insert(rnd.randrange(len(found)), ("x",))
    mapping, changes = _align(expected, found)
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    if expected == found:
        assert matcher.get_opcodes() == [("equal", 0, len(expected), 0, len(found))]
        assert mapping == {i: i for i in range(len(expected))} and changes == []
    else:
        assert changes  # the row inserted is reported


def test_checked_totals_are_compute_totals(tmp_path: Path) -> None:
    clean = check_bytes(tmp_path, build(L))
    assert clean.data is not None
    assert list(clean.data.totals.items()) == list(
        L.compute_totals(dict(clean.data.values)).items()
    )

    total = next(c for c in L.total_cells() if L.sheet(c.sheet).name == "三、依申请公开")

    def overwrite(wb: openpyxl.Workbook) -> None:
        wb["三、依申请公开"].cell(total.r + 1, total.c + 1).value = 5

    broken = check_bytes(tmp_path, with_openpyxl(build(L), overwrite), name="b.xlsx")
    assert "formula-overwritten" in [f.code for f in broken.report.findings]
    assert broken.data is not None
    assert list(broken.data.totals.items()) == list(
        L.compute_totals(dict(broken.data.values)).items()
    )


@pytest.mark.parametrize("keep", ["all", "check", "merge"])
def test_worker_results_rebuild_what_keep_keeps(tmp_path: Path, keep: Keep) -> None:
    base = tmp_path
    options = CheckOptions(year=YEAR)
    for name, data in (("clean.xlsx", build(L)), ("text.xlsx", build(L, {IDS[0]: "12件"}))):
        checked = check_bytes(base, data, options, name=name)
        assert checked.data is not None
        before = (dict(checked.data.signoff), dict(checked.data.raw_inputs), checked.data.totals)
        sent = pickle.loads(pickle.dumps(pack(checked, keep)))
        # packing reads the result and leaves it as it was
        assert (checked.data.signoff, checked.data.raw_inputs, checked.data.totals) == before
        back = Unpacker(options)(sent)
        assert back.report == checked.report
        assert [f.at for f in back.report.findings] == [f.at for f in checked.report.findings]
        assert back.data is not None
        assert back.data.layout is checked.data.layout
        assert back.data.identity == checked.data.identity
        assert dict(back.data.values) == dict(checked.data.values)
        assert back.data.raw_inputs == kept_raw_inputs(checked, keep)
        assert back.data.signoff == kept_signoff(checked.data, keep)
        assert back.data.totals == (checked.data.totals if keep == "all" else {})
    assert kept_raw_inputs(checked, "check") == checked.data.raw_inputs != {}  # a text: kept
    assert kept_raw_inputs(checked, "merge") == {}


def test_an_unreadable_file_travels_with_its_report(tmp_path: Path) -> None:
    bad = check_bytes(tmp_path, b"not a workbook", CheckOptions(year=YEAR), name="bad.xlsx")
    assert bad.data is None and bad.report.unreadable
    back = Unpacker(CheckOptions())(pickle.loads(pickle.dumps(pack(bad, "merge"))))
    assert back.report == bad.report and back.data is None and back.skipped == bad.skipped


def test_merge_keeps_of_the_sign_off_what_names_the_agency(tmp_path: Path) -> None:
    from dataclasses import replace

    from xlreport.merge.model import agency_name

    checked = check_bytes(tmp_path, build(L))
    assert checked.data is not None and checked.data.identity.agency_name
    full = dict(checked.data.signoff)
    assert kept_signoff(checked.data, "merge") == {}
    nameless = check_bytes(tmp_path, build(L), name="n.xlsx")
    assert nameless.data is not None
    nameless.data.identity = replace(nameless.data.identity, agency_name="")
    nameless.data.signoff = full
    named = agency_name(nameless.data)
    assert named
    sent = pack(nameless, "merge")
    assert agency_name(Unpacker(CheckOptions())(sent).data) == named  # type: ignore[arg-type]


def _exact_sums(maps: list[dict[str, Decimal]]) -> tuple[dict[str, Fraction], bool]:
    """The exact column sums, and whether some partial sum of a column, in order, has
    more significant digits than the sums are computed with (then rounding would be due)."""
    sums = dict.fromkeys(IDS, Decimal(0))
    too_long = False
    with localcontext() as ctx:
        ctx.prec = 10_000  # exact for these numbers
        for m in maps:
            for cid in IDS:
                v = m.get(cid)
                if v is not None:
                    sums[cid] += v
                    digits = sums[cid].normalize().as_tuple().digits
                    too_long = too_long or len(digits) > _PRECISION
    return {cid: Fraction(v) for cid, v in sums.items()}, too_long


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(numbers, min_size=len(IDS), max_size=len(IDS)), max_size=6),
    st.booleans(),
)
def test_sums_are_exact_or_refused(rows: list[list[Decimal | None]], packed: bool) -> None:
    """One path for every return (packed or not): the exact sum, or SumRefused — and a
    refusal only where an exact sum needs more digits than the sums are computed with."""
    maps = [_values(r) for r in rows]
    exact, too_long = _exact_sums(maps)
    given_maps = [CompactValues.of(L, m) for m in maps] if packed else maps
    try:
        got = sum_inputs(L, given_maps)
    except SumRefused:
        assert too_long
        return
    assert {cid: Fraction(v) for cid, v in got.items()} == exact
    assert all(str(v) == str(tidy(v)) for v in got.values())


@pytest.mark.parametrize(
    ("column", "refused"),
    [
        ([Decimal(10**60 + 1)], True),
        ([Decimal(10**59 + 1), Decimal(9 * 10**59)], True),
        ([Decimal(10**29), Decimal("0.1")], False),
        ([Decimal(10**45), Decimal("1E-20")], True),
        ([Decimal("1E+300")], False),  # exact with one digit
    ],
)
def test_sums_refuse_where_rounding_would_be_needed(column: list[Decimal], refused: bool) -> None:
    maps = [{IDS[0]: v, IDS[1]: Decimal(3)} for v in column]
    for given_maps in (maps, [CompactValues.of(L, m) for m in maps]):
        if refused:
            with pytest.raises(SumRefused):
                sum_inputs(L, given_maps)
        else:
            got = sum_inputs(L, given_maps)
            assert Fraction(got[IDS[0]]) == sum(map(Fraction, column))
            assert got[IDS[1]] == 3 * len(column)


def _row_xml(values: list[object]) -> str:
    """One bulk row as the sheet's XML has it."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("x", worksheet_class=BulkWorksheet)
    number = wb.add_format({"num_format": "0"})
    text = wb.add_format({"bold": True})
    ws.add_bulk_row(3, values, [number] * len(values), text)
    wb.close()
    with zipfile.ZipFile(buf) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    return xml[xml.index('<row r="4">') : xml.index("</row>") + 6]


def _cell_by_cell(values: list[object], number_style: int, text_style: int) -> str:
    letters = [xlsxwriter.utility.xl_col_to_name(c) for c in range(len(values))]
    parts = []
    for v, col in zip(values, letters, strict=True):
        if type(v) in (int, Decimal):
            parts.append(f'<c r="{col}4" s="{number_style}"><v>{number_text(v)}</v></c>')  # type: ignore[arg-type]
        elif isinstance(v, str) and v:
            parts.append(f'<c r="{col}4" s="{text_style}" t="inlineStr"><is><t>{v}</t></is></c>')
        else:
            parts.append(f'<c r="{col}4" s="{text_style}"/>')
    return '<row r="4">' + "".join(parts) + "</row>"


@pytest.mark.parametrize(
    "values",
    [
        ["A01", "某局", 1, 2, 3, Decimal("1.5"), 7],
        [1, 2, 3],
        ["a", None, 5, Decimal("1E+2"), Decimal("0.0000001")],
        ["a", 5, "b", 6],
        [None, None],
        [True, 3],
        [],
    ],
)
def test_bulk_rows_are_written_cell_by_cell(values: list[object]) -> None:
    # styles: 1 for the number format, 2 for the text format (numbered in that order)
    assert _row_xml(values) == _cell_by_cell(values, 1, 2)


@pytest.mark.parametrize("where", [None, 0, 700, -1])
def test_streamed_repack_writes_what_repack_returns(
    monkeypatch: pytest.MonkeyPatch, where: int | None
) -> None:
    monkeypatch.setattr(zippack, "_STREAM_FROM", 1000)
    monkeypatch.setattr(zippack, "_PIECE", 1024)
    rnd = random.Random(where)
    raw = "".join(f"<c><v>{rnd.randint(0, 10**6)}</v></c>" for _ in range(500)).encode()
    if where is not None:
        at = where if where >= 0 else len(raw)
        raw = raw[:at] + b"<headerFooter/>" + raw[at:]
    for compression in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression) as zf:
            zf.writestr("xl/worksheets/sheet1.xml", raw)
            zf.writestr("xl/styles.xml", b"<styleSheet/>")
        out = io.BytesIO()
        zippack.repack_to(io.BytesIO(buf.getvalue()), out)
        assert out.getvalue() == zippack.pack(zippack.unzip(buf.getvalue()))


def test_a_large_member_is_deflated_at_the_large_level(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed bytes either way: the level follows from the member's size alone."""
    monkeypatch.setattr(zippack, "_STREAM_FROM", 1000)
    monkeypatch.setattr(zippack, "_PIECE", 1024)
    rnd = random.Random(7)
    raw = "".join(f"<c><v>{rnd.randint(0, 10**6)}</v></c>" for _ in range(500)).encode()
    pieces = [raw[i : i + 1024] for i in range(0, len(raw), 1024)]
    expected = b"".join(
        zippack.deflate(p, last=i == len(pieces) - 1, level=zippack.LARGE_LEVEL)
        for i, p in enumerate(pieces)
    )
    assert zippack.member("xl/worksheets/sheet1.xml", raw).deflated == expected
    small = raw[:900]
    assert zippack.member("xl/styles.xml", small).deflated == zippack.deflate(small, last=True)
    assert zippack.LARGE_LEVEL != zippack.LEVEL
