"""Resubmission verification: what a new version of an agency's return changed.

Given the findings and values of the previous version and of the new one, every finding of
the previous version is marked 已改正 (gone) or 仍存在 (still there), every finding of the new
version that the previous one did not have is marked 新出现, and every cell whose value
changed is listed old → new with its sheet, cell and row and column labels (from the layout).

Findings are matched by what they are about — code, sheet, cell (the template's cell when the
finding knows it, so inserted rows do not break the match) and rule — never by their message
(a message carries the values, which change when a figure is corrected). Two findings with
the same key are matched in order, one to one. Pure: no files, no ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from xlreport.findings import SEVERITY_ZH, Finding
from xlreport.spec.model import Layout, a1

Mark = Literal["已改正", "仍存在", "新出现"]
MARKS: tuple[Mark, ...] = ("已改正", "仍存在", "新出现")
#: A cell's value in a version: a number, the text found in it when it was not a valid
#: number, or None when the cell was blank.
CellValue = Decimal | str | None
FindingKey = tuple[str, str, str, str]


def finding_key(f: Finding) -> FindingKey:
    """What a finding is about: code, sheet, cell and rule (not its message)."""
    if f.at is not None:
        sheet, r, c = f.at
        return (f.code, sheet, a1(r, c), f.rule)
    return (f.code, f.sheet, f.cell, f.rule)


@dataclass(frozen=True)
class MarkedFinding:
    mark: Mark
    finding: Finding  # the previous version's for 已改正, the new version's otherwise

    def to_dict(self) -> dict[str, Any]:
        return {"mark": self.mark, **self.finding.to_dict()}


@dataclass(frozen=True)
class ChangedCell:
    cell_id: str  # the layout's id (table.row.col)
    sheet: str  # the sheet's visible name
    cell: str  # A1 in the template
    row_label: str
    col_label: str
    old: CellValue
    new: CellValue

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell_id": self.cell_id,
            "sheet": self.sheet,
            "cell": self.cell,
            "row_label": self.row_label,
            "col_label": self.col_label,
            "old": show_value(self.old),
            "new": show_value(self.new),
        }


def show_value(v: CellValue) -> str:
    """A value as shown to people: a number as written, text as it was, blank as （空）."""
    if v is None:
        return "（空）"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")
    return v


@dataclass(frozen=True)
class Resubmission:
    """What a new version did to the previous one's findings and values."""

    marks: tuple[MarkedFinding, ...]  # the previous findings (in their order), then new ones
    changed: tuple[ChangedCell, ...]  # in the layout's cell order

    def of(self, mark: Mark) -> list[Finding]:
        return [m.finding for m in self.marks if m.mark == mark]

    @property
    def fixed(self) -> list[Finding]:
        return self.of("已改正")

    @property
    def remaining(self) -> list[Finding]:
        return self.of("仍存在")

    @property
    def new(self) -> list[Finding]:
        return self.of("新出现")

    def counts(self) -> dict[Mark, int]:
        c = Counter(m.mark for m in self.marks)
        return {m: c.get(m, 0) for m in MARKS}

    def summary(self) -> str:
        """One Chinese line: how many were fixed, remain, are new; how many cells changed."""
        c = self.counts()
        return (
            f"上一版的问题已改正 {c['已改正']} 处、仍存在 {c['仍存在']} 处，"
            f"新出现 {c['新出现']} 处；改动了 {len(self.changed)} 个单元格"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "findings": [m.to_dict() for m in self.marks],
            "changed_cells": [c.to_dict() for c in self.changed],
        }


def compare_versions(
    layout: Layout,
    old_findings: Sequence[Finding],
    old_values: Mapping[str, CellValue],
    new_findings: Sequence[Finding],
    new_values: Mapping[str, CellValue],
) -> Resubmission:
    """Mark the previous version's findings and the new ones, list the changed cells."""
    remaining: dict[FindingKey, list[int]] = {}
    for i, f in enumerate(new_findings):
        remaining.setdefault(finding_key(f), []).append(i)
    matched: set[int] = set()
    marks: list[MarkedFinding] = []
    for f in old_findings:
        queue = remaining.get(finding_key(f))
        if queue:
            i = queue.pop(0)
            matched.add(i)
            marks.append(MarkedFinding("仍存在", new_findings[i]))
        else:
            marks.append(MarkedFinding("已改正", f))
    marks.extend(MarkedFinding("新出现", f) for i, f in enumerate(new_findings) if i not in matched)
    return Resubmission(tuple(marks), tuple(changed_cells(layout, old_values, new_values)))


def _same(a: CellValue, b: CellValue) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b  # 5 and 5.0 are the same figure
    return type(a) is type(b) and a == b


def changed_cells(
    layout: Layout, old: Mapping[str, CellValue], new: Mapping[str, CellValue]
) -> Iterable[ChangedCell]:
    """Every cell whose value differs (blank counts as a value), in the layout's order;
    cells the layout does not know come last, by id."""
    ids = [cid for cid in layout.cells if cid in old or cid in new]
    ids += sorted((set(old) | set(new)) - set(layout.cells))
    for cid in ids:
        before, after = old.get(cid), new.get(cid)
        if _same(before, after):
            continue
        cell = layout.cells.get(cid)
        if cell is None:
            yield ChangedCell(cid, "", "", "", "", before, after)
            continue
        sheet = layout.sheet(cell.sheet).name
        yield ChangedCell(cid, sheet, cell.a1, cell.row_label, cell.col_label, before, after)


def mark_line(m: MarkedFinding) -> str:
    """One marked finding as a line for people."""
    f = m.finding
    where = "".join(p for p in (f.sheet, f" {f.cell}" if f.cell else "") if p)
    where = f"{where}：" if where else ""
    return f"【{m.mark}】{SEVERITY_ZH[f.severity]} {where}{f.message}"


__all__ = [
    "MARKS",
    "CellValue",
    "ChangedCell",
    "Mark",
    "MarkedFinding",
    "Resubmission",
    "changed_cells",
    "compare_versions",
    "finding_key",
    "mark_line",
    "show_value",
]
