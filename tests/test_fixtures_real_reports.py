"""The real published tables and their mapping onto the shipped layouts (tests/realdata.py)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from realdata import (
    DATA_DIR,
    REAL_REPORTS,
    UnmatchedCells,
    load_real_report,
    match_real_report,
    real_report_inputs,
    real_report_totals,
    section_numeral,
    synthetic_inputs,
)

from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real-reports"


def _layout(layout_id: str) -> Layout:
    return builtin_layouts()[layout_id]


def _sections_of(layout: Layout, numerals: set[str]) -> list[str]:
    return [s.key for s in layout.sheets if section_numeral(s) in numerals]


def test_every_fixture_has_a_readme_line_and_a_source() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    stems = sorted(p.stem for p in DATA_DIR.glob("*.json"))
    assert stems == sorted(REAL_REPORTS)
    for name in REAL_REPORTS:
        assert f"`{name}.json`" in readme
        report = load_real_report(name)
        assert report["short_id"] == name and report["source_url"] and report["format"] == "2021"


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"共享目录 {SHARED} 不存在，无法比对副本")
@pytest.mark.parametrize("name", REAL_REPORTS)
def test_copies_are_identical_to_the_shared_fixtures(name: str) -> None:
    ours = (DATA_DIR / f"{name}.json").read_bytes()
    assert ours == (SHARED / f"{name}.json").read_bytes()


def test_unknown_fixture_is_named() -> None:
    with pytest.raises(FileNotFoundError, match="pingtan_2022"):
        load_real_report("no_such_report")


@pytest.mark.parametrize("name", REAL_REPORTS)
def test_every_gov2021_cell_is_covered_and_every_fixture_leaf_used_once(name: str) -> None:
    layout = _layout("gov-2021")
    m = match_real_report(load_real_report(name), layout)
    assert m.unmatched == ()
    used = [p for paths in m.sources.values() for p in paths]
    assert sorted(used) == sorted(m.leaves)  # each published number lands in exactly one cell
    inputs = real_report_inputs(load_real_report(name), layout)
    assert set(inputs) == {c.id for c in layout.inputs()}
    assert set(real_report_totals(load_real_report(name), layout)) == {
        c.id for c in layout.total_cells()
    }


@pytest.mark.parametrize("name", REAL_REPORTS)
def test_published_totals_equal_computed_totals(name: str) -> None:
    """rule_violations_observed is empty for both fixtures: every 总计 adds up exactly."""
    report = load_real_report(name)
    assert report["rule_violations_observed"] == []
    layout = _layout("gov-2021")
    inputs = real_report_inputs(report, layout)
    published = real_report_totals(report, layout)
    computed = layout.compute_totals({k: v for k, v in inputs.items() if v is not None})
    assert published == {cid: computed[cid] for cid in published}
    assert all(v is not None for v in published.values())


def test_values_keep_their_printed_precision() -> None:
    layout = _layout("gov-2021")
    fee = next(c for c in layout.inputs() if c.type.kind == "decimal")
    got = {n: real_report_inputs(load_real_report(n), layout)[fee.id] for n in REAL_REPORTS}
    assert got == {"pingtan_2022": Decimal("9116.36"), "suqian_city_2023": Decimal("59237.2449")}
    assert all(isinstance(v, Decimal) for v in got.values())


@pytest.mark.parametrize("layout_id", ["gov-2019", "qinghe-2024"])
@pytest.mark.parametrize("name", REAL_REPORTS)
def test_2019_layouts_take_sections_three_and_four(layout_id: str, name: str) -> None:
    layout = _layout(layout_id)
    report = load_real_report(name)
    with pytest.raises(UnmatchedCells, match="规范性文件"):
        real_report_inputs(report, layout)  # section 二 has other labels in 2019
    inputs = real_report_inputs(report, layout, sections=("三", "四"))
    keys = _sections_of(layout, {"三", "四"})
    assert set(inputs) == {c.id for c in layout.inputs() if c.sheet in keys}
    published = real_report_totals(report, layout, sections=("三", "四"))
    computed = layout.compute_totals({k: v for k, v in inputs.items() if v is not None})
    assert published == {cid: computed[cid] for cid in published}
    # the single 2019 （六）其他处理 row is the sum of the three 2021 items
    m = match_real_report(report, layout, ("三",))
    summed = {cid: paths for cid, paths in m.sources.items() if len(paths) > 1}
    assert summed and all(len(p) == 3 for p in summed.values())
    rows = {layout.cells[cid].row_label for cid in summed}
    assert len(rows) == 1 and rows.pop().endswith("（六）其他处理")
    g21 = match_real_report(report, _layout("gov-2021"))
    cell_of = {paths[0]: cid for cid, paths in g21.sources.items()}
    for cid, paths in summed.items():
        parts = [g21.values[cell_of[p]] for p in paths]
        assert m.values[cid] == sum((v for v in parts if v is not None), Decimal(0))
        if cid in inputs:
            assert inputs[cid] == m.values[cid]


def test_label_drift_leaves_the_cell_unmatched() -> None:
    """A published “1、属于国家秘密” (instead of “1.”) is not silently taken for the statutory row."""
    report = copy.deepcopy(load_real_report("pingtan_2022"))
    group = report["sections"]["section三"]["三、本年度办理结果"]["（三）不予公开"]
    group["1、属于国家秘密"] = group.pop("1.属于国家秘密")
    layout = _layout("gov-2021")
    m = match_real_report(report, layout)
    assert len(m.unmatched) == 7 and all(
        layout.cells[c].row_label.endswith("1.属于国家秘密") for c in m.unmatched
    )
    with pytest.raises(UnmatchedCells, match=r"1\.属于国家秘密"):
        real_report_inputs(report, layout)


def test_blank_published_cells_come_back_as_none() -> None:
    report = copy.deepcopy(load_real_report("suqian_city_2023"))
    report["sections"]["section四"]["行政复议"]["尚未审结"] = None
    layout = _layout("gov-2021")
    inputs = real_report_inputs(report, layout)
    blank = [cid for cid, v in inputs.items() if v is None]
    assert len(blank) == 1
    cell = layout.cells[blank[0]]
    assert cell.col_label == "行政复议 / 尚未审结"


def test_synthetic_values_fit_their_types() -> None:
    layout = _layout("gov-2019")
    values = synthetic_inputs(layout, [c.id for c in layout.inputs()])
    assert set(values) == {c.id for c in layout.inputs()}
    for cid, v in values.items():
        t = layout.cells[cid].type
        if t.min is not None:
            assert v >= t.min, cid
        exponent = v.as_tuple().exponent
        assert isinstance(exponent, int) and -exponent <= max(t.decimals, 0), cid
    assert any(v < 0 for v in values.values())  # 本年增/减 may be negative
    assert values == synthetic_inputs(layout, [c.id for c in layout.inputs()])
