"""Real published tables (tests/data/real_reports/*.json) mapped onto a layout's cells by label.

A fixture keeps the printed labels verbatim, nested: ``sections`` → ``section二`` → caption →
row → column; ``section三`` → row path → column path; ``section四`` → column path. A layout
cell is found in it by walking the same labels, taken from the layout itself (table caption,
row ``Axis.path``, column ``Axis.path``) — never from a cell id or address:

- the fixture may leave out a *group* label the layout has (section 三's “申请人情况” header
  over every column), so a group label absent from the fixture is stepped over;
- the fixture may split a row the layout keeps whole (the 2021 fixtures' three items under
  （六）其他处理 against the 2019 layout's single （六） row): the cell then gets the sum of the
  fixture's sub-rows;
- a leaf label (the row's or the column's own text) must be there, verbatim.

Values come back as ``Decimal`` exactly as printed (``59237.2449``), ``None`` where the
publisher left the cell blank.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlreport.spec.model import Cell, Layout, Sheet, Table

DATA_DIR = Path(__file__).resolve().parent / "data" / "real_reports"
REAL_REPORTS = ("pingtan_2022", "suqian_city_2023")

Value = Decimal | None
FixturePath = tuple[str, ...]


class UnmatchedCells(LookupError):
    """Cells of a layout for which a fixture has no value under the same labels."""


def load_real_report(name: str) -> dict[str, Any]:
    """One fixture by its file stem, numbers with a fraction as ``Decimal``."""
    path = DATA_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in DATA_DIR.glob("*.json")))
        raise FileNotFoundError(f"no real report named {name!r} (known: {known})")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def section_numeral(sheet: Sheet) -> str:
    """“二” for the sheet titled “二、主动公开政府信息情况”."""
    return sheet.title.split("、", 1)[0]


@dataclass(frozen=True)
class _Label:
    text: str
    required: bool  # a leaf label of its axis, or a caption
    columns: bool  # a column label (the row path is done)


@dataclass(frozen=True)
class RealMatch:
    """What a fixture says about each cell of the selected sheets of a layout."""

    values: dict[str, Value]  # cell id → value, for every matched cell (inputs and totals)
    sources: dict[str, tuple[FixturePath, ...]]  # cell id → the fixture leaves it was read from
    unmatched: tuple[str, ...]  # cell ids the fixture has no value for
    leaves: tuple[FixturePath, ...]  # every leaf of the fixture's selected sections


def _labels(table: Table, cell: Cell) -> list[_Label]:
    row = table.row(cell.row).path
    col = table.column(cell.col).path
    out = [_Label(table.caption, True, False)] if table.caption else []
    out += [_Label(t, i == len(row) - 1, False) for i, t in enumerate(row)]
    out += [_Label(t, i == len(col) - 1, True) for i, t in enumerate(col)]
    return out


def _walk(node: Any, labels: list[_Label], at: FixturePath) -> list[tuple[FixturePath, Value]]:
    """The fixture leaves for these labels (more than one when sub-rows are summed)."""
    if not labels:
        if isinstance(node, dict):
            raise KeyError(at)
        return [(at, _number(node, at))]
    if not isinstance(node, dict):
        raise KeyError(at)
    first, rest = labels[0], labels[1:]
    if first.text in node:
        return _walk(node[first.text], rest, (*at, first.text))
    if not first.required:  # a group label the fixture leaves out
        try:
            return _walk(node, rest, at)
        except KeyError:
            pass
    if first.columns and node and all(isinstance(v, dict) for v in node.values()):
        # the row path is done but the fixture goes on with sub-rows: add them up
        found: list[tuple[FixturePath, Value]] = []
        for k, child in node.items():
            found += _walk(child, labels, (*at, k))
        return found
    raise KeyError((*at, first.text))


def _number(raw: Any, at: FixturePath) -> Value:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal):
        raise ValueError(f"fixture value at {' / '.join(at)} is not a number: {raw!r}")
    return Decimal(raw)


def _leaves(node: Any, at: FixturePath) -> Iterator[FixturePath]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*at, k))
    else:
        yield at


def match_real_report(
    report: Mapping[str, Any], layout: Layout, sections: Iterable[str] | None = None
) -> RealMatch:
    """Map a fixture onto the cells of the layout's sheets for ``sections`` (default: all)."""
    wanted = set(sections) if sections is not None else None
    values: dict[str, Value] = {}
    sources: dict[str, tuple[FixturePath, ...]] = {}
    unmatched: list[str] = []
    leaves: list[FixturePath] = []
    for sheet in layout.sheets:
        numeral = section_numeral(sheet)
        if wanted is not None and numeral not in wanted:
            continue
        key = f"section{numeral}"
        tree = report["sections"].get(key, {})
        leaves += _leaves(tree, (key,))
        for table in sheet.tables:
            for cell in layout.cells.values():
                if cell.table != table.key:
                    continue
                try:
                    found = _walk(tree, _labels(table, cell), (key,))
                except KeyError:
                    unmatched.append(cell.id)
                    continue
                numbers = [v for _p, v in found if v is not None]
                values[cell.id] = sum(numbers, Decimal(0)) if numbers else None
                sources[cell.id] = tuple(p for p, _v in found)
    return RealMatch(values, sources, tuple(unmatched), tuple(leaves))


def _select(
    report: Mapping[str, Any], layout: Layout, sections: Iterable[str] | None, kind: str
) -> dict[str, Value]:
    m = match_real_report(report, layout, sections)
    cells = [c for c in layout.cells.values() if c.kind == kind]
    chosen = {section_numeral(s) for s in layout.sheets}
    if sections is not None:
        chosen &= set(sections)
    cells = [c for c in cells if section_numeral(layout.sheet(c.sheet)) in chosen]
    missing = [c for c in cells if c.id not in m.values]
    if missing:
        names = "; ".join(f"{c.id} ({c.row_label} × {c.col_label})" for c in missing)
        raise UnmatchedCells(
            f"{report.get('short_id', '?')} has no value for {len(missing)} {kind} cell(s) "
            f"of {layout.id}: {names}"
        )
    return {c.id: m.values[c.id] for c in cells}


def real_report_inputs(
    report: Mapping[str, Any], layout: Layout, *, sections: Iterable[str] | None = None
) -> dict[str, Value]:
    """Every input cell of the selected sections → the fixture's value (None when blank).

    Raises :class:`UnmatchedCells` naming each input cell the fixture has no label path for.
    """
    return _select(report, layout, sections, "input")


def real_report_totals(
    report: Mapping[str, Any], layout: Layout, *, sections: Iterable[str] | None = None
) -> dict[str, Value]:
    """Every total cell of the selected sections → the total the publisher printed."""
    return _select(report, layout, sections, "total")


def synthetic_value(cell: Cell, seed: int) -> Decimal:
    """A plausible value for ``cell``'s type (negative for signed types, fractions for money)."""
    t = cell.type
    base = Decimal(seed * 37 % 997 + 3)
    if t.kind == "decimal":
        frac = Decimal(seed * 7919 % 10**t.decimals) / Decimal(10**t.decimals)
        return (base * 1000 + frac).normalize()
    if t.min is None or t.min < 0:
        return -base if seed % 2 else base
    return base


def synthetic_inputs(layout: Layout, cell_ids: Iterable[str]) -> dict[str, Decimal]:
    """Deterministic made-up values for the given input cells (for tables no fixture covers)."""
    ids = list(cell_ids)
    return {cid: synthetic_value(layout.cells[cid], i + 1) for i, cid in enumerate(ids)}
