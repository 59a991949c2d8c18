"""Comments on cells of the statutory tables that are not findings: the notes of a
template pre-filled from last year (``template --prior``), and last year's values kept.

Used through ``build_workbook(..., after_sheets=cell_comments(layout, notes, prior))``: the
cells keep their own format (an input cell stays an editable input cell) and get the
comment; last year's values become defined names (:data:`xlreport.spec.carry.PRIOR_NAME`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from xlreport.spec.carry import PRIOR_NAME
from xlreport.spec.model import Layout

AUTHOR = "xlreport"


def number_text(value: Decimal) -> str:
    """A Decimal as a formula constant: plain digits, no exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def cell_comments(
    layout: Layout,
    notes: Sequence[tuple[str, str]],
    prior: Mapping[str, Decimal] | None = None,
) -> Callable[[Any], None]:
    """An ``after_sheets`` hook: each (cell id, text) as the comment of that cell; each of
    ``prior`` (last year's cell id → value) as the defined name ``XLR_PRIOR.<cell id>``."""
    names = {s.key: s.name for s in layout.sheets}
    placed = [(names[layout.cells[cid].sheet], layout.cells[cid], text) for cid, text in notes]
    kept = sorted((prior or {}).items())

    def add(wb: Any) -> None:
        for sheet_name, cell, text in placed:
            ws = wb.get_worksheet_by_name(sheet_name)
            ws.write_comment(
                cell.r, cell.c, text, {"author": AUTHOR, "x_scale": 2.5, "y_scale": 1.6}
            )
        for cid, value in kept:
            wb.define_name(PRIOR_NAME + cid, f"={number_text(value)}")

    return add


__all__ = ["cell_comments", "number_text"]
