"""The compiled layout: worked out once by the loader, travels with the layout, and no
module keeps facts about layouts in a map keyed by ``id()``."""

from __future__ import annotations

import ast
import pickle
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import YEAR, build, check_bytes, ident, layout_of

from xlreport.checks.model import CheckOptions
from xlreport.checks.plan import TABLES, judged_ahead, judged_inputs
from xlreport.spec import load_layout, templates_dir
from xlreport.spec.compiled import compile_layout
from xlreport.spec.formulas import total_formulas
from xlreport.spec.sheet_map import build_sheet_map

PACKAGE = Path(__file__).resolve().parent.parent / "xlreport"


def test_no_code_in_the_package_calls_id() -> None:
    """``id()`` of a live object is only unique while it lives: a cache keyed by it can hand
    one layout's facts to another. Nothing in the package calls it."""
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "id"
            ):
                calls.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert calls == []


def test_loader_compiles_every_derived_fact() -> None:
    layout = load_layout(templates_dir() / "gov-2021.toml")
    c = layout.compiled
    assert c == compile_layout(layout)  # the same facts worked out again
    assert c.input_ids == tuple(cell.id for cell in layout.inputs())
    assert all(c.input_ids[c.input_index[cid]] == cid for cid in c.input_ids)
    assert [c.input_types[i] for i in c.input_type_at] == [cell.type for cell in c.inputs]
    assert c.formulas == total_formulas(layout)
    assert set(c.total_by_cell) == c.total_ids == {t.cell for t in layout.totals}
    assert all(layout.total_of(cid) is c.total_by_cell[cid] for cid in c.total_ids)
    assert [t.total for t in c.totals] == list(layout.totals)
    assert [r.rule for r in c.rules] == list(layout.checks)
    for sheet in layout.sheets:
        assert c.sheet_maps[sheet.key] == build_sheet_map(layout, sheet)
        assert c.labels[sheet.key].sheet is sheet


def test_compiled_facts_travel_with_the_layout_to_a_worker() -> None:
    layout = layout_of()
    copy = pickle.loads(pickle.dumps(layout))
    assert copy.compiled == layout.compiled


def test_a_changed_copy_is_not_taken_for_the_compiled_layout() -> None:
    """A copy made with ``replace`` may differ in what was compiled: it has no compiled
    facts rather than the original's."""
    layout = layout_of()
    copy = replace(layout, totals=layout.totals[:-1])
    with pytest.raises(RuntimeError):
        _ = copy.compiled


def test_judge_tables_stay_bounded_however_many_returns(tmp_path: Path) -> None:
    """The judgements made ahead are one table per value type, made once: checking more
    returns (of layouts loaded again and again) adds none."""
    layout = layout_of()
    kinds = {cell.type for cell in layout.inputs()}
    judged_inputs(layout)
    before = judged_ahead.cache_info()
    assert before.maxsize == TABLES and before.currsize >= len(kinds)
    options = CheckOptions(year=YEAR)
    for n in range(3):
        again = load_layout(templates_dir() / "gov-2021.toml")
        assert judged_inputs(again)[0][1] is judged_inputs(layout)[0][1]
        values = {c.id: Decimal(n + 1) for c in layout.inputs()}
        name = f"r{n}.xlsx"
        checked = check_bytes(tmp_path, build(layout, values, ident(layout)), options, name)
        assert checked.data is not None
    after = judged_ahead.cache_info()
    assert after.currsize == before.currsize
    assert after.misses == before.misses


def test_the_rule_links_are_compiled_with_the_layout() -> None:
    """Which rule instances are the sum of others (the 总计 column of a rule written per
    column) is worked out at load, for every shipped layout, and travels with it."""
    import pickle

    from xlreport.spec import builtin_layouts

    for layout in builtin_layouts().values():
        links = layout.compiled.rule_links
        assert len(links.cells) == len(layout.checks)
        assert links.derived, layout.id  # every shipped layout has a per-column rule with 总计
        again = pickle.loads(pickle.dumps(layout)).compiled.rule_links
        assert again == links
