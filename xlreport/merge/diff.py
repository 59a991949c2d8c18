"""The cells in which two returns of the same agency differ."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from xlreport.merge.model import CellDiff
from xlreport.merge.sums import decimal_text
from xlreport.spec.model import Layout


def differing_cells(
    layout: Layout, kept: Mapping[str, Decimal], replaced: Mapping[str, Decimal]
) -> tuple[CellDiff, ...]:
    """Input cells whose value differs, in layout order. Blank and 0 differ: a blank cell is
    no number (a merge does not count it as 0 unless told to)."""
    out: list[CellDiff] = []
    for cell in layout.inputs():
        a, b = kept.get(cell.id), replaced.get(cell.id)
        if a == b:  # the same number (1.0 and 1 too), or both blank
            continue
        out.append(
            CellDiff(
                cell_id=cell.id,
                sheet=layout.sheet(cell.sheet).name,
                cell=cell.a1,
                row_label=cell.row_label,
                col_label=cell.col_label,
                kept=decimal_text(a),
                replaced=decimal_text(b),
            )
        )
    return tuple(out)


def describe_differences(diffs: tuple[CellDiff, ...], limit: int = 5, order: str = "旧→新") -> str:
    """“有2个单元格不同（旧→新）：二、主动公开!B9（… × …）95→120；…” for the terminal and
    sheets; ``order`` says what the two sides of each arrow are."""
    if not diffs:
        return "数据完全相同（仅文件不同）"
    parts = [
        f"{d.sheet}!{d.cell}（{d.row_label} × {d.col_label}）{d.replaced or '空'}→{d.kept or '空'}"
        for d in diffs[:limit]
    ]
    more = "；……" if len(diffs) > limit else ""
    return f"有{len(diffs)}个单元格不同（{order}）：" + "；".join(parts) + more
