"""Comments on cells of the statutory tables that are not findings: the notes of a
template pre-filled from last year (``template --prior``).

Used through ``build_workbook(..., after_sheets=cell_comments(layout, notes))``: the cells
keep their own format (an input cell stays an editable input cell) and get the comment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xlreport.spec.model import Layout

AUTHOR = "xlreport"


def cell_comments(layout: Layout, notes: Sequence[tuple[str, str]]) -> Callable[[Any], None]:
    """An ``after_sheets`` hook: each (cell id, text) as the comment of that cell."""
    names = {s.key: s.name for s in layout.sheets}
    placed = [(names[layout.cells[cid].sheet], layout.cells[cid], text) for cid, text in notes]

    def add(wb: Any) -> None:
        for sheet_name, cell, text in placed:
            ws = wb.get_worksheet_by_name(sheet_name)
            ws.write_comment(
                cell.r, cell.c, text, {"author": AUTHOR, "x_scale": 2.5, "y_scale": 1.6}
            )

    return add


__all__ = ["cell_comments"]
