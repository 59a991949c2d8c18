"""Returns typed in by LibreOffice (headless, UNO), cell by cell at the layout's cells,
as an agency would fill them: real tables pass clean, and mistakes typed in are found."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import YEAR, a1_of, build, codes, layout_of, real_inputs, set_cached_value
from lo import Entry, Job, run_jobs

from xlreport.batch import check_file
from xlreport.checks import CheckedFile, CheckOptions
from xlreport.checks.values import fmt

pytestmark = pytest.mark.libreoffice
LAYOUT = layout_of()


def typed(values: Mapping[str, Decimal | str]) -> list[Entry]:
    """What a person types: each value as text into its cell."""
    out: list[Entry] = []
    for cid, v in values.items():
        sheet, ref = a1_of(LAYOUT, cid)
        out.append((sheet, ref, fmt(v) if isinstance(v, Decimal) else v))
    return out


def _cases() -> dict[str, list[Entry]]:
    pingtan = real_inputs(LAYOUT, "pingtan_2022")
    suqian = real_inputs(LAYOUT, "suqian_city_2023")
    text: dict[str, Decimal | str] = dict(pingtan)
    text["s3.open.natural"] = "12件"
    text["s3.open.commercial"] = "—"
    intake = dict(pingtan)
    intake["s3.open.natural"] += 3
    total_sheet, total_ref = a1_of(LAYOUT, "s3.new.total")
    right_total = LAYOUT.compute_totals(pingtan)["s3.new.total"]
    return {
        "pingtan": typed(pingtan),
        "suqian": typed(suqian),
        "text": typed(text),
        "intake": typed(intake),
        "overwritten": [*typed(pingtan), (total_sheet, total_ref, fmt(right_total))],
    }


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CheckedFile]:
    tmp = tmp_path_factory.mktemp("lo-check")
    blank = tmp / "模板.xlsx"
    blank.write_bytes(build(LAYOUT, {}))
    filled_by_writer = tmp / "已填.xlsx"
    filled_by_writer.write_bytes(build(LAYOUT, real_inputs(LAYOUT, "suqian_city_2023")))
    jobs = [Job(blank, tmp / f"{name}.xlsx", tuple(e)) for name, e in _cases().items()]
    jobs.append(Job(filled_by_writer, tmp / "resaved.xlsx", ()))
    run_jobs(jobs)
    return {j.dst.stem: check_file(j.dst, CheckOptions(year=YEAR)) for j in jobs}


@pytest.mark.parametrize("name", ["pingtan", "suqian", "resaved"])
def test_real_tables_typed_by_libreoffice_pass_clean(
    filled: dict[str, CheckedFile], name: str
) -> None:
    checked = filled[name]
    assert checked.report.findings == []
    assert checked.report.status == "ok"
    report = "pingtan_2022" if name == "pingtan" else "suqian_city_2023"
    assert checked.data is not None and checked.data.values == real_inputs(LAYOUT, report)


def test_text_typed_by_libreoffice_is_found(filled: dict[str, CheckedFile]) -> None:
    got = {(f.code, f.cell, f.found) for f in filled["text"].report.findings}
    assert got == {
        ("value-text-number", LAYOUT.cells["s3.open.natural"].a1, "12件"),
        ("value-zero-as-text", LAYOUT.cells["s3.open.commercial"].a1, "—"),
    }


def test_outcomes_typed_off_balance_fail_h2(filled: dict[str, CheckedFile]) -> None:
    got = {(f.rule, f.col_label) for f in filled["intake"].report.findings}
    assert got == {
        ("H2", LAYOUT.cells["s3.new.natural"].col_label),
        ("H2", LAYOUT.cells["s3.new.total"].col_label),
    }


def test_total_typed_over_by_libreoffice_is_overwritten(filled: dict[str, CheckedFile]) -> None:
    checked = filled["overwritten"]
    assert codes(checked, "error") == ["formula-overwritten"]
    assert checked.report.findings[0].cell == LAYOUT.cells["s3.new.total"].a1


def test_a_cache_forged_after_libreoffice_saved_it(
    filled: dict[str, CheckedFile], tmp_path: Path
) -> None:
    source = Path(filled["pingtan"].report.path)
    sheet, ref = a1_of(LAYOUT, "s3.outcome_total.commercial")
    right = LAYOUT.compute_totals(real_inputs(LAYOUT, "pingtan_2022"))[
        "s3.outcome_total.commercial"
    ]
    forged = set_cached_value(source.read_bytes(), sheet, ref, str(right + 40))
    (tmp_path / "forged.xlsx").write_bytes(forged)
    checked = check_file(tmp_path / "forged.xlsx", CheckOptions(year=YEAR))
    assert [(f.code, f.cell, f.expected) for f in checked.report.findings] == [
        ("cache-forged", ref, fmt(right))
    ]
