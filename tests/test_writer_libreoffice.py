"""LibreOffice recalculates our formulas to exactly the values the writer cached.

Values are typed into a template by LibreOffice (headless, UNO); after its recalculation
every total and every 勾稽检查 status cell must equal what ``build_workbook`` caches for the
same values, so a file never recalculated shows the truth too.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lo import Job, run_jobs
from realdata import load_real_report, real_report_inputs, synthetic_inputs
from writer_helpers import PASSWORD, identity, sheet_xml_cells

from xlreport.identity import NAME_OF_KEY
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook

pytestmark = pytest.mark.libreoffice


def _cases() -> list[tuple[str, dict[str, Decimal]]]:
    g21 = builtin_layouts()["gov-2021"]
    g19 = builtin_layouts()["gov-2019"]
    real = {
        k: v
        for k, v in real_report_inputs(load_real_report("pingtan_2022"), g21).items()
        if v is not None
    }
    broken = dict(real)
    first_input = next(c for c in g21.inputs() if c.sheet == "s3")
    broken[first_input.id] = broken.get(first_input.id, Decimal(0)) + 7  # breaks H2
    synthetic = synthetic_inputs(g19, [c.id for c in g19.inputs()])
    return [("gov-2021", real), ("gov-2021", broken), ("gov-2019", synthetic)]


def _formula_cells(layout: Layout, data: bytes) -> dict[tuple[str, str], str]:
    """(sheet name, A1) → cached value of every formula cell of the table sheets."""
    out = {}
    for i, sheet in enumerate(layout.sheets, 1):
        for ref, c in sheet_xml_cells(data, i).items():
            if c.formula is not None and c.formula.startswith(("SUM(", "IF(")):
                out[(sheet.name, ref)] = c.value or ""
    return out


def _same(ours: str, theirs: object) -> bool:
    if isinstance(theirs, int | float):
        return Decimal(ours) == Decimal(repr(theirs)).normalize() or float(ours) == theirs
    return ours == theirs


def test_libreoffice_recalculates_to_the_cached_values(tmp_path: Path) -> None:
    jobs, expected = [], []
    for i, (layout_id, values) in enumerate(_cases()):
        layout = builtin_layouts()[layout_id]
        blank = build_workbook(layout, identity(layout), password=PASSWORD)
        src = tmp_path / f"in{i}.xlsx"
        src.write_bytes(blank)
        entries = [
            (layout.sheet(layout.cells[cid].sheet).name, layout.cells[cid].a1, str(v))
            for cid, v in values.items()
        ]
        jobs.append(Job(src, tmp_path / f"out{i}.xlsx", tuple(entries)))
        filled = build_workbook(layout, identity(layout), password=PASSWORD, values=values)
        expected.append((layout, _formula_cells(layout, filled)))
    run_jobs(jobs)
    saw_cross = False
    for job, (layout, cached) in zip(jobs, expected, strict=True):
        wb = openpyxl.load_workbook(job.dst, data_only=True)
        for (sheet_name, ref), ours in cached.items():
            theirs = wb[sheet_name][ref].value
            assert _same(ours, theirs), (layout.id, sheet_name, ref, ours, theirs)
            saw_cross |= ours.startswith("✗")
        formulas = openpyxl.load_workbook(job.dst)
        # Measured: LibreOffice 7.4 re-saves workbook-structure protection as an empty
        # <workbookProtection/> (lockStructure dropped, with any password hash form we tried),
        # so only the element survives; sheet protection survives in full.
        assert formulas.security is not None
        assert all(ws.protection.sheet for ws in formulas.worksheets)
        assert set(NAME_OF_KEY.values()) <= set(formulas.defined_names)
    assert saw_cross  # the broken case really showed a ✗
