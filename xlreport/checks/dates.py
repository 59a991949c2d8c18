"""A number in an input cell whose style shows it as a date: a date typed where a count goes.

Typed into a cell formatted "General", "1-2" or "2024/12/31" is taken for a date by Excel,
WPS and LibreOffice (in a Chinese locale): the cell stores the date's serial number (46024,
45657) and gets a date format. The serial is a valid whole number to the template's
validation and to every other check, so only the cell's style tells (``RawCell.date``, read
from ``xl/styles.xml`` by the reader). Measured with LibreOffice 7.4 in zh-CN, typing
through the user interface: a decimal input (General) gets ``yy"年"m"月"d"日"``; an integer
input keeps the template's "0" and shows the serial as a plain number (no date style then):
a whole number that is the serial of a day around the report year is a warning, with the
date it would be (a count that large is possible — an approval office's licences — but rare);
merge counts such a return only when the one merging confirms it (``merge --confirm``, see
:mod:`xlreport.merge.confirm`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from xlreport.checks.alignment import SheetView
from xlreport.checks.catalogue import finding
from xlreport.checks.values import Judged, fmt
from xlreport.codes import FindingCode
from xlreport.findings import Finding
from xlreport.spec.model import Cell, Layout

#: Day 0 of the 1900 date system as spreadsheets count it (Excel's phantom 1900-02-29
#: makes serials from 61 on count from 1899-12-30).
_EPOCH = date(1899, 12, 30)
_LAST_SERIAL = (date(9999, 12, 31) - _EPOCH).days


def shown_date(serial: Decimal) -> str:
    """A date serial as the date (and time) a spreadsheet shows for it."""
    if serial < 0 or serial > _LAST_SERIAL:
        return fmt(serial)
    days = int(serial)
    seconds = round((serial - days) * 86400)
    if days == 0 and seconds:
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}"
    day = (_EPOCH + timedelta(days=days)).isoformat() if days >= 61 else f"1900 年第 {days} 天"
    if seconds:
        return f"{day} {seconds // 3600}:{seconds // 60 % 60:02d}"
    return day


def serial_of(day: date) -> int:
    return (day - _EPOCH).days


def check_dates(
    layout: Layout, views: dict[str, SheetView], judged: dict[str, Judged], year: int | None
) -> list[Finding]:
    """An error at every input cell holding a number in a date or time format; a warning
    at a whole count that is the serial of a day from the year before the report year
    ``year`` to the year after it (None: not looked for — a summary's sums may be that
    large)."""
    out = _date_styled(layout, views)
    if year is None:
        return out
    styled = {(loc.sheet, loc.cell) for loc in out}
    low, high = serial_of(date(year - 1, 1, 1)), serial_of(date(year + 1, 12, 31))
    for cid, j in judged.items():
        if j.value is None or not low <= j.value <= high or j.value != int(j.value):
            continue
        cell = layout.cells[cid]
        view = views[cell.sheet]
        at = (view.name, view.a1(cell.r, cell.c))
        if cell.type.kind == "integer" and at not in styled:
            out.append(_located("value-date-like", view, cell, j.value))
    return out


def _located(code: FindingCode, view: SheetView, cell: Cell, serial: Decimal) -> Finding:
    when = shown_date(serial)
    if code == "value-date":
        message = (
            f"单元格中是日期 {when}（表格中存储为日期序号 {fmt(serial)}），不是数字："
            "输入的“1-2”“2024/12/31”之类的内容被表格软件当成了日期。"
        )
    else:
        message = (
            f"{fmt(serial)} 恰好是日期 {when} 的日期序号：如果输入的是“1-2”“2024/12/31”之类的"
            "日期，表格软件会存成这个数。汇总时这份报表须经汇总人核实确认"
            "（xlreport merge --confirm）才计入。"
        )
    return finding(
        code,
        message,
        sheet=view.name,
        cell=view.a1(cell.r, cell.c),
        row_label=cell.row_label,
        col_label=cell.col_label,
        expected=cell.type.label,
        found=when if code == "value-date" else fmt(serial),
        at=(view.sheet.name, cell.r, cell.c),
    )


def _date_styled(layout: Layout, views: dict[str, SheetView]) -> list[Finding]:
    """An error at every input cell holding a number in a date or time format."""
    out: list[Finding] = []
    dated = {
        key
        for key, view in views.items()
        if view.raw is not None and any(c.date for c in view.raw.cells.values())
    }
    if not dated:
        return out
    for cell in layout.compiled.inputs:
        if cell.sheet not in dated:
            continue
        view = views[cell.sheet]
        pos = (cell.r, cell.c) if view.plain else view.where(cell.r, cell.c)
        raw = view.raw.cells.get(pos) if view.raw is not None and pos is not None else None
        if raw is None or not raw.date or raw.number is None:
            continue
        out.append(_located("value-date", view, cell, raw.number))
    return out


__all__ = ["check_dates", "serial_of", "shown_date"]
