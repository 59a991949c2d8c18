"""Where the template of a layout puts content on a table sheet, and which cells it merges.

One source for the writer (which lays the sheet out from it) and the checks (which compare
a returned file with it): the fixed labels, the agency line (row 1), the value cells, and
the 勾稽检查 block beside the tables. Everything else on the sheet is empty in the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from xlreport.spec.model import Layout, RuleCheck, Sheet

Content = Literal["label", "info", "input", "total", "check"]
Range = tuple[int, int, int, int]  # r1, c1, r2, c2 (0-based, inclusive)

#: The agency and year line under the title.
INFO_ROW = 1
#: Columns between a sheet's tables and its 勾稽检查 block.
CHECK_GAP = 1
#: Width of the 勾稽检查 block: rule name, status.
CHECK_WIDTH = 2


def live_rules(layout: Layout) -> dict[int, list[RuleCheck]]:
    """Hard rules without last-year terms, grouped by rule entry (``RuleCheck.index``)."""
    out: dict[int, list[RuleCheck]] = {}
    for ch in layout.checks:
        if ch.severity == "error" and not ch.uses_prior:
            out.setdefault(ch.index, []).append(ch)
    return out


@dataclass(frozen=True)
class CheckBlock:
    """The 勾稽检查 block beside one table: its heading row and one row per rule entry."""

    heading_row: int
    rows: tuple[tuple[int, tuple[RuleCheck, ...]], ...]  # (sheet row, the entry's instances)


def check_column(sheet: Sheet) -> int:
    """First column of the 勾稽检查 block (rule names; the status is in the next one)."""
    return sheet.width + CHECK_GAP


def check_blocks(layout: Layout, sheet: Sheet) -> tuple[CheckBlock, ...]:
    """The 勾稽检查 blocks of a sheet, top to bottom (none when no live rule is about it)."""
    entries = live_rules(layout)
    out: list[CheckBlock] = []
    next_free = 0
    for table in sheet.tables:
        mine = [tuple(inst) for inst in entries.values() if _table_of(layout, inst[0]) == table.key]
        if not mine:
            continue
        r = max(table.top, next_free)
        heading = r
        rows: list[tuple[int, tuple[RuleCheck, ...]]] = []
        for instances in mine:
            r += 1
            rows.append((r, instances))
        out.append(CheckBlock(heading, tuple(rows)))
        next_free = r + 2
    return tuple(out)


def _table_of(layout: Layout, check: RuleCheck) -> str:
    return check.table or layout.cells[check.cells()[0]].table


@dataclass(frozen=True)
class SheetMap:
    """``content``: every cell the template fills (the top-left cell of a merged area) →
    what it holds; ``merges``: every merged area; ``covered``: the other cells of merged
    areas (empty in the template, and hidden under the merge)."""

    content: Mapping[tuple[int, int], Content]
    merges: frozenset[Range]
    covered: frozenset[tuple[int, int]]
    checks: tuple[tuple[int, int], ...]  # the cells of the 勾稽检查 blocks


def sheet_map(layout: Layout, sheet: Sheet) -> SheetMap:
    """The map of one layout sheet (worked out when the layout was loaded)."""
    return layout.compiled.sheet_maps[sheet.key]


def build_sheet_map(layout: Layout, sheet: Sheet) -> SheetMap:
    """The map of one layout sheet, worked out (:func:`sheet_map` gives the one made at load)."""
    key = sheet.key
    content: dict[tuple[int, int], Content] = {}
    merges: set[Range] = set()

    def put(r1: int, c1: int, r2: int, c2: int, what: Content) -> None:
        content[(r1, c1)] = what
        if (r1, c1) != (r2, c2):
            merges.add((r1, c1, r2, c2))

    for lb in sheet.labels:
        put(lb.r1, lb.c1, lb.r2, lb.c2, "label")
    put(INFO_ROW, 0, INFO_ROW, sheet.width - 1, "info")
    for cell in layout.cells.values():
        if cell.sheet == key:
            put(cell.r, cell.c, cell.r, cell.c2, cell.kind)
    col = check_column(sheet)
    for block in check_blocks(layout, sheet):
        put(block.heading_row, col, block.heading_row, col + 1, "check")
        for r, _instances in block.rows:
            put(r, col, r, col, "check")
            put(r, col + 1, r, col + 1, "check")
    covered = {
        (r, c)
        for r1, c1, r2, c2 in merges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }
    checks = tuple(pos for pos, what in content.items() if what == "check")
    return SheetMap(content, frozenset(merges), frozenset(covered), checks)


__all__ = [
    "CHECK_GAP",
    "CHECK_WIDTH",
    "INFO_ROW",
    "CheckBlock",
    "SheetMap",
    "build_sheet_map",
    "check_blocks",
    "check_column",
    "live_rules",
    "sheet_map",
]
