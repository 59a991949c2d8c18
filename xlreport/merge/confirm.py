"""Counts that look like dates: counted only when the one merging confirms the file's figures.

LibreOffice 7.4 in a Chinese locale stores "1-2" typed into a count cell (number format "0")
as the serial 46024 and keeps the "0": no style shows that it was a date, so the check can
only warn (``value-date-like``: a whole count equal to the serial of a day around the report
year). A real count that large is possible (a big county's 行政处罚), so merging neither
refuses the number for good nor sums it silently: such a return is left out (status
``unconfirmed``, reason ``date-like-unconfirmed``), listed with the cells and the dates they
look like, until ``merge --confirm FILE`` says that file's figures are numbers; it then
counts, and 报送情况, the terminal and ``--json`` say so (:func:`confirmed_note`).

A confirmation is of the file's content: a byte-identical copy of a confirmed file is
confirmed too (whichever of the twins counts).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xlreport.checks.dates import shown_date
from xlreport.checks.model import CheckedFile
from xlreport.findings import FileReport
from xlreport.merge.model import FileOutcome

#: The check's warning that marks a count equal to a date serial.
DATE_LIKE = "value-date-like"
#: Why merging left such a return out (catalogue code).
UNCONFIRMED = "date-like-unconfirmed"
#: Cells named in one reason at most (``--json`` lists them all).
_SHOWN = 10


@dataclass(frozen=True, slots=True)
class DateLikeCell:
    """One count cell whose number is the serial of a day around the report year."""

    sheet: str
    cell: str
    row_label: str
    col_label: str
    value: str  # the number as stored
    date: str  # the day it is the serial of


def date_like_cells(report: FileReport) -> list[DateLikeCell]:
    """The cells of ``report`` with a ``value-date-like`` finding, in the report's order."""
    out: list[DateLikeCell] = []
    for f in report.findings:
        if f.code != DATE_LIKE:
            continue
        try:
            day = shown_date(Decimal(f.found))
        except (InvalidOperation, ValueError):
            day = ""
        out.append(DateLikeCell(f.sheet, f.cell, f.row_label, f.col_label, f.found, day))
    return out


def describe_cells(cells: Sequence[DateLikeCell], shown: int = _SHOWN) -> str:
    """``表!C5（行 × 列）46024（即 2026-01-02）、…`` (the first ``shown``, then the count)."""
    text = "、".join(
        f"{c.sheet}!{c.cell}（{c.row_label} × {c.col_label}）{c.value}"
        + (f"（即 {c.date}）" if c.date else "")
        for c in cells[:shown]
    )
    return text + (f" 等{len(cells)}格" if len(cells) > shown else "")


def confirmed_note(cells: Sequence[DateLikeCell]) -> str:
    """How a counted return with confirmed date-like cells is described."""
    return f"已核实：{len(cells)}格数值恰似日期，经确认按数字计（{describe_cells(cells)}）"


def unconfirmed_reason(cells: Sequence[DateLikeCell]) -> str:
    return (
        f"有{len(cells)}格数值恰似日期，未经核实，未计入汇总：{describe_cells(cells)}；"
        "如果单位输入的是“1-2”“2024/12/31”之类的日期，请退回单位重新输入数字；"
        "如确为该数，用 --confirm 本文件 重新汇总（按数字计入）"
    )


def drop_unconfirmed(
    ordered: Sequence[CheckedFile],
    idx: Sequence[int],
    outcomes: dict[int, FileOutcome],
    confirmed: Collection[str],
) -> tuple[list[int], dict[int, str]]:
    """The inputs of ``idx`` that still count: those without date-like cells, and those
    whose figures were confirmed (``confirmed``: input paths given with --confirm, or a
    byte-identical copy of one); the others get the outcome ``unconfirmed``. Also returns
    the note of every confirmed input that counts (:func:`confirmed_note`)."""
    hashes = {
        cf.data.sha256 for cf in ordered if cf.report.path in confirmed and cf.data is not None
    }
    keep: list[int] = []
    notes: dict[int, str] = {}
    for i in idx:
        cf = ordered[i]
        cells = date_like_cells(cf.report)
        if not cells:
            keep.append(i)
        elif cf.report.path in confirmed or (cf.data is not None and cf.data.sha256 in hashes):
            keep.append(i)
            notes[i] = confirmed_note(cells)
        else:
            reason = unconfirmed_reason(cells)
            outcomes[i] = FileOutcome(cf, "unconfirmed", reason, reason_code=UNCONFIRMED)
    return keep, notes


__all__ = [
    "DATE_LIKE",
    "UNCONFIRMED",
    "DateLikeCell",
    "confirmed_note",
    "date_like_cells",
    "describe_cells",
    "drop_unconfirmed",
    "unconfirmed_reason",
]
