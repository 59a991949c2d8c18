"""The summary opened and recalculated by LibreOffice: the same totals, and still mergeable."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from lo import Entry, Job, run_jobs
from merge_helpers import PASSWORD, YEAR, ident, valid_values, xml_cells
from realdata import REAL_REPORTS, load_real_report, real_report_inputs

from xlreport.batch import check_file
from xlreport.checks.model import CheckOptions
from xlreport.merge import merge_paths
from xlreport.merge.sheets import DETAIL_SHEET
from xlreport.spec import resolve_layout
from xlreport.spec.model import col_letter
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")
OPTIONS = CheckOptions(layout=L, year=YEAR)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_same_summary(tmp_path: Path) -> None:
    rng = random.Random(12)
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(5):
        values = dict(valid_values(L, rng))
        data = build_workbook(L, ident(L, f"L{i}", f"单位{i}"), password=PASSWORD, values=values)
        (inbox / f"{i}.xlsx").write_bytes(data)
    out = tmp_path / "县汇总.xlsx"
    result = merge_paths([inbox], out, OPTIONS, name="某某县")
    resaved = tmp_path / "lo" / "县汇总.xlsx"
    resaved.parent.mkdir()
    run_jobs([Job(out, resaved)])

    data = resaved.read_bytes()
    for sheet in L.sheets:
        cells = xml_cells(data, sheet.name)
        for cell in L.cells.values():
            if cell.sheet == sheet.key:
                assert Decimal(str(cells[cell.a1][2])) == result.values[cell.id], cell.id
    # 分单位明细 (issue 13: one row per cell): LibreOffice's 合计 column, recalculated from
    # the agencies' columns through the 小计 of their type, is the summary, cell by cell
    detail = xml_cells(data, DETAIL_SHEET)
    head = next(int(ref[1:]) for ref, c in detail.items() if ref[0] == "A" and c[2] == "项目")
    heads = [detail.get(f"{col_letter(c)}{head}", ("n", None, None))[2] for c in range(40)]
    total = col_letter(heads.index(f"{len(result.counted)}个单位"))
    rows = sorted(
        int(ref[len(total) :])
        for ref, (_t, f, _v) in detail.items()
        if f and ref[: len(total)] == total and ref[len(total) :].isdigit()
    )
    got = [Decimal(str(detail[f"{total}{r}"][2])) for r in rows]
    assert got == [result.values[c] for c in L.cells]

    checked = check_file(resaved, OPTIONS)
    assert checked.report.errors == 0, [f.message for f in checked.report.findings]
    city = merge_paths([resaved], tmp_path / "市汇总.xlsx", OPTIONS, name="某某市")
    assert city.exit_code == 0 and city.values == result.values


@pytest.mark.libreoffice
def test_real_tables_typed_by_libreoffice_sum_exactly(tmp_path: Path) -> None:
    """Each real published table typed, cell by cell, into an agency's template by
    LibreOffice; the merge equals the sum of the published numbers, computed apart."""
    jobs = []
    tables: dict[str, dict[str, Decimal]] = {}
    for i, report in enumerate(REAL_REPORTS):
        code = f"R{i}"
        raw = real_report_inputs(load_real_report(report), L)
        tables[code] = {k: v for k, v in raw.items() if v is not None}
        blank = tmp_path / f"模板-{code}.xlsx"
        blank.write_bytes(build_workbook(L, ident(L, code, report), password=PASSWORD))
        entries: list[Entry] = [
            (L.sheet(L.cells[cid].sheet).name, L.cells[cid].a1, format(v, "f"))
            for cid, v in tables[code].items()
        ]
        jobs.append(Job(blank, tmp_path / "收到" / f"{report}.xlsx", tuple(entries)))
    run_jobs(jobs)
    result = merge_paths([tmp_path / "收到"], tmp_path / "汇总.xlsx", OPTIONS, name="两地")
    assert result.exit_code == 0, [f.reason for f in result.left_out]
    for cell in L.inputs():
        expected = sum(
            (Fraction(str(t[cell.id])) for t in tables.values() if cell.id in t), Fraction(0)
        )
        assert Fraction(str(result.values[cell.id])) == expected, cell.id
    data = (tmp_path / "汇总.xlsx").read_bytes()
    for cell in L.total_cells():
        _t, formula, cached = xml_cells(data, L.sheet(cell.sheet).name)[cell.a1]
        assert formula and Decimal(str(cached)) == result.values[cell.id], cell.id
