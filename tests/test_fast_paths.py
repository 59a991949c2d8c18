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
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from check_helpers import YEAR, build, check_bytes, layout_of, with_openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from xlreport.batch.packed import CompactValues
from xlreport.batch.worker_result import Keep, Unpacker, pack, slim
from xlreport.checks.alignment import _align
from xlreport.checks.model import CheckOptions
from xlreport.checks.plan import judged_inputs
from xlreport.checks.values import judge
from xlreport.merge.sums import SumRefused, _sum_packed, sum_inputs, tidy
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


@pytest.mark.parametrize("keep", ["check", "merge"])
def test_flat_results_rebuild_the_slimmed_result(tmp_path: Path, keep: Keep) -> None:
    base = tmp_path
    options = CheckOptions(year=YEAR)
    for name, data in (("clean.xlsx", build(L)), ("text.xlsx", build(L, {IDS[0]: "12件"}))):
        checked = check_bytes(base, data, options, name=name)
        sent = pickle.loads(pickle.dumps(pack(checked, keep)))
        back = Unpacker(options)(sent)
        expected = slim(check_bytes(base, data, options, name=name), keep)
        assert back.report == expected.report
        assert [f.at for f in back.report.findings] == [f.at for f in expected.report.findings]
        assert back.data is not None and expected.data is not None
        assert back.data.layout is expected.data.layout
        assert back.data.identity == expected.data.identity
        assert dict(back.data.values) == dict(expected.data.values)
        assert back.data.raw_inputs == expected.data.raw_inputs
        assert back.data.signoff == expected.data.signoff


def test_merge_keeps_of_the_sign_off_what_names_the_agency(tmp_path: Path) -> None:
    from dataclasses import replace

    from xlreport.merge.model import agency_name

    checked = check_bytes(tmp_path, build(L))
    assert checked.data is not None and checked.data.identity.agency_name
    full = dict(checked.data.signoff)
    assert slim(checked, "merge").data.signoff == {}  # type: ignore[union-attr]
    nameless = check_bytes(tmp_path, build(L), name="n.xlsx")
    assert nameless.data is not None
    nameless.data.identity = replace(nameless.data.identity, agency_name="")
    nameless.data.signoff = full
    named = agency_name(nameless.data)
    assert named
    sent = pack(nameless, "merge")
    assert agency_name(Unpacker(CheckOptions())(sent).data) == named  # type: ignore[arg-type]


def _slow_sum(maps: list[dict[str, Decimal]]) -> dict[str, Decimal]:
    """The general path: plain mappings are added one by one in Decimal."""
    assert not any(isinstance(m, CompactValues) for m in maps)
    return sum_inputs(L, maps)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(numbers, min_size=len(IDS), max_size=len(IDS)), max_size=6))
def test_packed_sums_are_decimal_sums(rows: list[list[Decimal | None]]) -> None:
    maps = [_values(r) for r in rows]
    try:
        expected: dict[str, Decimal] | type[Exception] = _slow_sum(maps)
    except SumRefused:
        expected = SumRefused
    try:
        got: dict[str, Decimal] | type[Exception] = sum_inputs(
            L, [CompactValues.of(L, m) for m in maps]
        )
    except SumRefused:
        got = SumRefused
    if isinstance(expected, dict) and isinstance(got, dict):
        assert [(k, str(v)) for k, v in got.items()] == [(k, str(v)) for k, v in expected.items()]
    else:
        assert got == expected


@pytest.mark.parametrize(
    "column",
    [
        [Decimal(10**60 + 1)],
        [Decimal(10**59 + 1), Decimal(9 * 10**59)],
        [Decimal(10**29), Decimal("0.1")],
        [Decimal(10**45), Decimal("1E-20")],
        [Decimal("1E+300")],
    ],
)
def test_packed_sums_raise_where_decimal_sums_raise(column: list[Decimal]) -> None:
    maps = [{IDS[0]: v, IDS[1]: Decimal(3)} for v in column]
    try:
        expected: list[tuple[str, str]] | type[Exception] = [
            (k, str(v)) for k, v in _slow_sum(maps).items()
        ]
    except SumRefused:
        expected = SumRefused
    try:
        got: list[tuple[str, str]] | type[Exception] = [
            (k, str(v)) for k, v in sum_inputs(L, [CompactValues.of(L, m) for m in maps]).items()
        ]
    except SumRefused:
        got = SumRefused
    assert got == expected


def test_packed_sums_take_the_shortcut_for_ordinary_returns() -> None:
    rnd = random.Random(1)
    maps = [
        {cid: Decimal(rnd.randrange(1000)) for cid in IDS if rnd.random() < 0.9} for _ in range(50)
    ]
    maps[3][IDS[7]] = Decimal("12.35")
    packed = [CompactValues.of(L, m) for m in maps]
    shortcut = _sum_packed(L, len(IDS), packed)
    assert shortcut is not None
    assert [str(tidy(Decimal(v))) for v in shortcut] == [str(v) for v in _slow_sum(maps).values()]


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
