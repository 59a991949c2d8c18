"""A published table typed into each shipped layout's workbook by LibreOffice, by label.

For every shipped layout and every real report in tests/data/real_reports: the generic
workbook is written; LibreOffice (headless, UNO) opens it, types the published numbers into
the input cells found by their printed row and column labels, recalculates and saves as
xlsx. The saved file must then show the published totals as computed values, keep every
total as a formula, and keep sheet protection, validation and the workbook's identity.
(Workbook structure protection does not survive: LibreOffice 7.4 drops it on save.)

The fixtures are in the 2021 format. A layout whose section has other labels (section 二 of
the 2019 layouts) gets deterministic made-up values there; sections 三 and 四 are typed from
the real report in every layout (the 2019 （六）其他处理 row gets the sum of the 2021 items).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lo import Job, run_jobs
from lo.locate import address_by_labels, grid_of
from realdata import (
    REAL_REPORTS,
    load_real_report,
    match_real_report,
    real_report_inputs,
    real_report_totals,
    section_numeral,
    synthetic_inputs,
)

from xlreport.identity import META_SHEET, NAME_OF_KEY, Identity, template_id_of
from xlreport.reader import read_xlsx
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook

pytestmark = pytest.mark.libreoffice

PASSWORD = "roundtrip-pw"
CASES = [(lid, rep) for lid in sorted(builtin_layouts()) for rep in REAL_REPORTS]
IDS = [f"{lid}-{rep}" for lid, rep in CASES]


@dataclass(frozen=True)
class Typed:
    layout: Layout
    identity: Identity
    src: Path
    dst: Path
    typed: dict[str, Decimal]  # input cell id → value typed (blank inputs left out)
    published: dict[str, Decimal | None]  # total cell id → published total
    real_sections: frozenset[str]


def _text(value: Decimal) -> str:
    """What a person types: plain digits, no exponent, no grouping."""
    return format(value, "f") if value != value.to_integral_value() else str(int(value))


def _prepare(layout_id: str, report_name: str, tmp: Path) -> tuple[Typed, Job]:
    layout = builtin_layouts()[layout_id]
    report = load_real_report(report_name)
    ident = Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=int(report["year"]),
        template_id=template_id_of(layout.fingerprint, int(report["year"]), "测试县", ""),
        county="测试县",
    )
    m = match_real_report(report, layout)
    real = frozenset(
        section_numeral(s)
        for s in layout.sheets
        if all(c.id in m.values for c in layout.inputs() if c.sheet == s.key)
    )
    values = real_report_inputs(report, layout, sections=real)
    others = [c.id for c in layout.inputs() if section_numeral(layout.sheet(c.sheet)) not in real]
    typed = {k: v for k, v in values.items() if v is not None} | synthetic_inputs(layout, others)
    src = tmp / f"{layout.id}-{report_name}-blank.xlsx"
    src.write_bytes(build_workbook(layout, ident, password=PASSWORD))
    wb = openpyxl.load_workbook(src)
    grids = {s.key: grid_of(wb[s.name]) for s in layout.sheets}
    entries = tuple(
        (
            layout.sheet(layout.cells[cid].sheet).name,
            address_by_labels(layout, cid, grids[layout.cells[cid].sheet]),
            _text(v),
        )
        for cid, v in typed.items()
    )
    dst = tmp / f"{layout.id}-{report_name}-libreoffice.xlsx"
    published = real_report_totals(report, layout, sections=real)
    return Typed(layout, ident, src, dst, typed, published, real), Job(src, dst, entries)


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Typed]:
    tmp = tmp_path_factory.mktemp("roundtrip")
    prepared = [_prepare(lid, rep, tmp) for lid, rep in CASES]
    run_jobs([job for _t, job in prepared])  # one LibreOffice start for every file
    return {case_id: t for case_id, (t, _job) in zip(IDS, prepared, strict=True)}


def _number(v: object) -> Decimal | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


@pytest.mark.parametrize("case", IDS)
def test_real_sections_three_and_four_are_typed(typed: dict[str, Typed], case: str) -> None:
    assert {"三", "四"} <= typed[case].real_sections


@pytest.mark.parametrize("case", IDS)
def test_typed_values_are_numbers_in_their_cells(typed: dict[str, Typed], case: str) -> None:
    t = typed[case]
    wb = openpyxl.load_workbook(t.dst, data_only=True)
    for cid, value in t.typed.items():
        cell = t.layout.cells[cid]
        got = wb[t.layout.sheet(cell.sheet).name][cell.a1].value
        assert _number(got) == value, f"{cid} at {cell.a1}: {got!r} != {value}"


@pytest.mark.parametrize("case", IDS)
def test_recomputed_totals_equal_published(typed: dict[str, Typed], case: str) -> None:
    t = typed[case]
    assert t.published, "no published totals to compare with"
    wb = openpyxl.load_workbook(t.dst, data_only=True)
    expected = t.layout.compute_totals(t.typed)
    for cid, published in t.published.items():
        cell = t.layout.cells[cid]
        got = _number(wb[t.layout.sheet(cell.sheet).name][cell.a1].value)
        assert got == published == expected[cid], f"{cid}: LibreOffice {got}, published {published}"
    for cell in t.layout.total_cells():  # totals outside the real sections: from the inputs
        got = _number(wb[t.layout.sheet(cell.sheet).name][cell.a1].value)
        assert got == expected[cell.id], cell.id


@pytest.mark.parametrize("case", IDS)
def test_project_reader_reads_the_libreoffice_file(typed: dict[str, Typed], case: str) -> None:
    t = typed[case]
    raw = read_xlsx(t.dst)
    expected = t.layout.compute_totals(t.typed)
    for cell in t.layout.total_cells():
        sheet = raw.sheet(t.layout.sheet(cell.sheet).name)
        assert sheet is not None
        rc = sheet.cells[(cell.r, cell.c)]
        assert rc.formula and rc.formula.upper().startswith("SUM("), (cell.id, rc.formula)
        assert rc.number == expected[cell.id], (cell.id, rc.text)
    for s in t.layout.sheets:
        table_sheet = raw.sheet(s.name)
        assert table_sheet is not None and table_sheet.protected, s.name
        assert table_sheet.data_validations > 0, s.name
    # LibreOffice 7.4 drops workbook structure protection on save (see
    # test_libreoffice_harness.py); the template had it.
    assert read_xlsx(t.src).structure_protected


@pytest.mark.parametrize("case", IDS)
def test_totals_stay_locked_formulas(typed: dict[str, Typed], case: str) -> None:
    t = typed[case]
    wb = openpyxl.load_workbook(t.dst)
    for cell in t.layout.total_cells():
        c = wb[t.layout.sheet(cell.sheet).name][cell.a1]
        assert isinstance(c.value, str) and c.value.upper().startswith("=SUM("), (cell.id, c.value)
        assert c.protection.locked, cell.id


def _validation_of(ws: object, ref: str) -> set[tuple[str, str]]:
    return {
        (str(dv.type), str(dv.formula1).lstrip("="))
        for dv in ws.data_validations.dataValidation  # type: ignore[attr-defined]
        if ref in dv.sqref
    }


@pytest.mark.parametrize("case", IDS)
def test_protection_and_validation_survive(typed: dict[str, Typed], case: str) -> None:
    t = typed[case]
    before = openpyxl.load_workbook(t.src)
    wb = openpyxl.load_workbook(t.dst)
    for s in t.layout.sheets:
        ws = wb[s.name]
        assert ws.protection.sheet, f"{s.name} lost its protection"
        for cell in t.layout.inputs():
            if cell.sheet != s.key:
                continue
            assert not ws[cell.a1].protection.locked, f"{cell.id} became locked"
            kept = _validation_of(ws, cell.a1)
            assert kept, f"{cell.id} lost its validation"
            assert kept == _validation_of(before[s.name], cell.a1), cell.id


@pytest.mark.parametrize("case", IDS)
def test_identity_survives(typed: dict[str, Typed], case: str) -> None:
    t = typed[case]
    wb = openpyxl.load_workbook(t.dst)
    meta = wb[META_SHEET]
    assert meta.sheet_state in ("hidden", "veryHidden")
    rows = {r[0]: r[1] for r in meta.iter_rows(values_only=True) if r[0]}
    expected = dict(t.identity.meta_rows(generator=""))
    for key in ("format", "layout_id", "layout_version", "layout_fingerprint", "year", "kind"):
        assert str(rows.get(key)) == expected[key], key
    assert rows["template_id"] == t.identity.template_id
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    for key in ("layout_id", "layout_version", "layout_fingerprint", "year", "template_id"):
        assert names.get(NAME_OF_KEY[key]) == f'"{expected[key]}"', NAME_OF_KEY[key]


@pytest.mark.parametrize("case", IDS)
def test_live_checks_pass_after_recalculation(typed: dict[str, Typed], case: str) -> None:
    """The published tables keep every hard rule, so no status cell shows ✗."""
    t = typed[case]
    blank = openpyxl.load_workbook(io.BytesIO(t.src.read_bytes()))
    wb = openpyxl.load_workbook(t.dst, data_only=True)
    for s in t.layout.sheets:
        status = [
            c.coordinate
            for row in blank[s.name].iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value.startswith("=") and "✗" in c.value
        ]
        if any(r.sheet == s.key and r.severity == "error" for r in t.layout.checks):
            assert status, f"{s.name} has hard rules but no status cell"
        for ref in status:
            assert wb[s.name][ref].value == "✓", f"{s.name}!{ref}: {wb[s.name][ref].value!r}"
