"""The merge's one promise, as a property: never a summary that differs from what it says.

For random valid returns (random figures holding every hard rule, written by the
project's writer, saved like Excel) plus random mistakes from issue 10 (applied by the
hostile corpus's edits), ``merge_paths`` must:

- account for every input file exactly once;
- give every file it leaves out a Chinese reason (and then exit ≠ 0);
- write a summary whose every input cell, read back with the project's reader, is exactly
  the sum of what the files it lists as merged *show* — in a spreadsheet, not in a lax
  parser: each file's shown figures are known here from how it was made (``１２`` in
  ``<v>`` shows 0, ``=3+4`` shows 7 whatever its cache says);
- replace a return only by a return of the same agency (same code, county and template).

Kept fast: few examples, small folders, derandomized (a fixed sequence of examples in CI).
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from hostile import corpus_returns as cr
from hostile.kinds_issue10 import _formula, _v
from hostile.saved_as import excel_like
from hostile.stamp import PASSWORD, identity
from hostile.tamper import Parts
from hostile.values import Agency, free_input, realistic_values
from hostile.zipkit import read_members, write_members
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from xlreport.checks.model import CheckOptions
from xlreport.merge import merge_paths
from xlreport.merge.naming import summary_identity
from xlreport.reader import read_xlsx
from xlreport.spec import resolve_layout
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook

LAYOUT = resolve_layout("gov-2021")
YEAR = 2024
COUNTY = "清河县"
GOOD_WHEN = "2025-01-20T10:00:00Z"
LATER = "2025-01-22T10:00:00Z"
MISTAKES = ("duplicate", "second-version", "wrong-year", "wrong-county", "template-id",
            "formula-no-cache", "formula-forged-cache", "huge-value", "fullwidth-digits",
            "blank-inputs", "summary", "identity-tampered")  # fmt: skip


@dataclass(frozen=True)
class Made:
    path: Path
    shown: dict[str, Decimal]  # the inputs as a spreadsheet shows them (blank: absent)
    who: tuple[str, str, str]  # agency code, county, template id


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _return(
    agency: Agency, values: dict[str, Decimal], *, when: str = GOOD_WHEN, county: str = COUNTY,
    year: int = YEAR, template_id: str | None = None
) -> tuple[bytes, tuple[str, str, str]]:  # fmt: skip
    ident = identity(LAYOUT, year, agency, county)
    if template_id is not None:
        ident = replace(ident, template_id=template_id)
    data = build_workbook(LAYOUT, ident, password=PASSWORD, values=dict(values),
                          signoff=cr.sign_for(agency.code))  # fmt: skip
    parts = cr.set_saved(excel_like(read_members(data)), when)
    return write_members(parts), (agency.code, county, ident.template_id)


def _edited(data: bytes, fn: Callable[[Parts, cr.Anatomy], Parts]) -> bytes:
    return write_members(fn(read_members(data), cr.anatomy(LAYOUT)))


class _Ctx:
    """What the corpus's edits need of their context (the layout)."""

    layout = LAYOUT


def _mistake(kind: str, folder: Path, goods: list[Made], seed: int) -> Made:
    rng = random.Random(seed)
    target = goods[seed % len(goods)]
    code = target.who[0]
    other = realistic_values(LAYOUT, rng)
    free = free_input(LAYOUT).id
    fresh = Agency(f"MK{seed % 1000:03d}", f"清河县随机错误单位{seed % 1000}", "部门")
    name = f"{kind}-{seed}.xlsx"
    if kind == "duplicate":
        return Made(_write(folder, name, target.path.read_bytes()), target.shown, target.who)
    if kind in ("second-version", "wrong-county", "template-id"):
        changes = {"county": "临河县"} if kind == "wrong-county" else {}
        tid = "0123456789abcdef" if kind == "template-id" else None
        data, who = _return(Agency(code, f"清河县单位{code}", "部门"), other, when=LATER,
                            template_id=tid, **changes)  # fmt: skip
        return Made(_write(folder, name, data), other, who)
    if kind == "wrong-year":
        data, who = _return(fresh, other, year=YEAR - 1)
        return Made(_write(folder, name, data), other, who)
    if kind == "blank-inputs":
        data, who = _return(fresh, {})
        return Made(_write(folder, name, data), {}, who)
    if kind == "summary":
        covered = goods[: 1 + seed % len(goods)]
        total = {k: sum((g.shown.get(k, Decimal(0)) for g in covered), Decimal(0))
                 for k in {k for g in covered for k in g.shown}}  # fmt: skip
        ident = summary_identity(LAYOUT, YEAR, [g.who[0] for g in covered], name="清河县某镇")
        data = build_workbook(LAYOUT, ident, password=PASSWORD, values=dict(total))
        return Made(_write(folder, name, data), total, (ident.agency_code, "", ""))
    if kind == "identity-tampered":
        data, who = _return(fresh, other)
        return Made(_write(folder, name, _edited(data, cr.identity_differs)), other, who)
    values = {**other, free: Decimal(7 if kind.startswith("formula") else 12)}
    data, who = _return(fresh, values)
    edit = {"formula-no-cache": _formula(None), "formula-forged-cache": _formula(b"100"),
            "huge-value": _v("1E+300"), "fullwidth-digits": _v("１２")}[kind]  # fmt: skip
    shown = {**values, free: {"huge-value": Decimal("1E+300"), "fullwidth-digits": Decimal(0)}
             .get(kind, Decimal(7))}  # fmt: skip
    edited = write_members(edit(read_members(data), _Ctx()))  # type: ignore[arg-type]
    return Made(_write(folder, name, edited), shown, who)


def _summary_inputs(layout: Layout, path: Path) -> dict[str, Decimal]:
    wb = read_xlsx(path)
    out: dict[str, Decimal] = {}
    for c in layout.inputs():
        sheet = wb.sheet(layout.sheet(c.sheet).name)
        cell = sheet.cells.get((c.r, c.c)) if sheet is not None else None
        out[c.id] = cell.number if cell is not None and cell.number is not None else Decimal(0)
    return out


def _violations(made: list[Made], out: Path) -> list[str]:
    by_path = {str(m.path): m for m in made}
    try:
        result = merge_paths([str(out.parent / "收到")], out,
                             CheckOptions(layout=LAYOUT, year=YEAR), workers=1, name=COUNTY)  # fmt: skip
    except Exception as e:
        return [f"merge raised {type(e).__name__}: {str(e)[:200]}"]
    problems = []
    listed = [f.path for f in result.files]
    if sorted(listed) != sorted(by_path):
        problems.append(f"files listed {sorted(listed)} != inputs {sorted(by_path)}")
    for f in result.files:
        if f.status not in ("merged", "superseded", "duplicate") and not f.reason:
            problems.append(f"{Path(f.path).name}: {f.status} without a reason")
        if f.status == "superseded":
            kept = next((m for p, m in by_path.items() if Path(p).name == f.instead), None)
            if kept is not None and kept.who != by_path[f.path].who:
                problems.append(f"{Path(f.path).name} {by_path[f.path].who} replaced by "
                                f"{f.instead} {kept.who}: another agency's file")  # fmt: skip
    if result.exit_code == 0 and result.left_out:
        problems.append("exit 0 with files left out")
    if result.summary_written:
        merged = [by_path[f.path] for f in result.merged]
        expected = {c.id: sum((m.shown.get(c.id, Decimal(0)) for m in merged), Decimal(0))
                    for c in LAYOUT.inputs()}  # fmt: skip
        got = _summary_inputs(LAYOUT, out)
        wrong = [f"{k}: {got[k]} != {v}" for k, v in expected.items() if got[k] != v]
        if wrong:
            names = sorted(Path(f.path).name for f in result.merged)
            problems.append(f"summary (exit {result.exit_code}) is not the sum of the files it "
                            f"lists as merged {names}: {wrong[:3]}")  # fmt: skip
    return problems


# no shrinking: a failing example is reported as found (shrinking rebuilds many folders)
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=2, max_size=3, unique=True),
    mistakes=st.lists(st.tuples(st.sampled_from(MISTAKES), st.integers(0, 10**6)), max_size=3),
)
def test_summary_is_the_sum_of_what_it_lists(
    seeds: list[int], mistakes: list[tuple[str, int]]
) -> None:
    work = Path(tempfile.mkdtemp(prefix="xlr-prop-"))
    try:
        folder = work / "收到"
        folder.mkdir()
        goods = []
        for i, seed in enumerate(seeds):
            agency = Agency(f"PG{i:03d}", f"清河县随机单位{i}", "部门")
            values = realistic_values(LAYOUT, random.Random(seed))
            data, who = _return(agency, values)
            goods.append(Made(_write(folder, f"{agency.code}.xlsx", data), values, who))
        made = goods + [_mistake(k, folder, goods, s) for k, s in mistakes]
        problems = _violations(made, work / "汇总.xlsx")
        assert not problems, f"mistakes {[k for k, _s in mistakes]}:\n" + "\n".join(problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_mistake_alone(kind: str, tmp_path: Path) -> None:
    """Each mistake once beside two good returns: the cases the random search may miss."""
    folder = tmp_path / "收到"
    folder.mkdir()
    goods = []
    for i in range(2):
        agency = Agency(f"PG{i:03d}", f"清河县随机单位{i}", "部门")
        values = realistic_values(LAYOUT, random.Random(i))
        data, who = _return(agency, values)
        goods.append(Made(_write(folder, f"{agency.code}.xlsx", data), values, who))
    made = [*goods, _mistake(kind, folder, goods, 1)]
    problems = _violations(made, tmp_path / "汇总.xlsx")
    assert not problems, "\n".join(problems)
