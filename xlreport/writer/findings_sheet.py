"""The first sheet of a `check --annotate` copy: what the agency has to fix, then what the
copy already repaired.

Used through ``build_workbook(..., before_sheets=findings_sheet(...))``. Every field is
written as text (an agency's own text is never read as a formula). Made to be read on
screen and printed: long texts wrap, every row is as high as its longest text, A4
landscape fitted to the page width, the heading row repeated on every page, page numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from xlreport.findings import SEVERITY_ZH
from xlreport.writer.styles import FONT, NOTE_FILL, display_width

HEADINGS = ("序号", "严重程度", "位置", "问题", "应为", "实为", "处理办法")
#: Column widths in Excel character units (a CJK character is 2): 120 in all, A4
#: landscape at about 90 % (11-point text prints at about 10 points).
WIDTHS = (4, 6, 22, 40, 9, 9, 30)
REPAIRED_HEADINGS = ("序号", "", "位置", "已在本文件中修复（无需处理）")
FOOTER = "&C第 &P 页 共 &N 页"
LINE_POINTS = 15.0  # one line of 11-point text
_FIRST_ROW = 4  # 0-based row of the headings


@dataclass(frozen=True)
class FindingRow:
    """One thing to fix (a finding, or several with one cause)."""

    severity: str  # already in Chinese (xlreport.findings.SEVERITY_ZH)
    sheet: str
    cells: str  # "D6" or "D6、J6"
    row_label: str
    col_label: str
    message: str
    expected: str
    found: str
    hint: str


@dataclass(frozen=True)
class RepairedRow:
    """Something the copy already set right (a total's formula restored …)."""

    sheet: str
    cells: str
    text: str


def place(sheet: str, cells: str, row_label: str = "", col_label: str = "") -> str:
    """The 位置 column: the sheet and cells, then the row and column labels."""
    head = f"{sheet}　{cells}" if sheet and cells else sheet or cells
    labels = " × ".join(x for x in (row_label, col_label) if x)
    return "\n".join(x for x in (head, labels) if x)


def lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def row_height(texts: Sequence[str], widths: Sequence[int]) -> float:
    n = max((lines(t, w) for t, w in zip(texts, widths, strict=True) if t), default=1)
    return LINE_POINTS * n + 3


def findings_sheet(
    name: str,
    title: str,
    intro: str,
    rows: Sequence[FindingRow],
    password: str,
    repaired: Sequence[RepairedRow] = (),
) -> Callable[[Any], None]:
    """A ``before_sheets`` hook adding the sheet ``name``: title, intro, the rows to fix,
    then the repaired ones."""

    def add(wb: Any) -> None:
        ws = wb.add_worksheet(name)
        base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True}
        title_fmt = wb.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
        intro_fmt = wb.add_format(base)
        head_fmt = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#DDEBF7"})
        cell_fmt = wb.add_format({**base, "border": 1})
        error_fmt = wb.add_format({**base, "border": 1, "bg_color": NOTE_FILL})
        fixed_fmt = wb.add_format({**base, "border": 1, "bg_color": "#E2EFDA"})
        last = len(HEADINGS) - 1
        ws.write_string(0, 0, title, title_fmt)
        ws.set_row(0, 24)
        ws.merge_range(1, 0, 1, last, intro, intro_fmt)
        ws.set_row(1, row_height([intro], [sum(WIDTHS)]))
        for c, h in enumerate(HEADINGS):
            ws.write_string(_FIRST_ROW, c, h, head_fmt)
        r = _FIRST_ROW
        for i, row in enumerate(rows):
            r += 1
            values = (
                str(i + 1),
                row.severity,
                place(row.sheet, row.cells, row.row_label, row.col_label),
                row.message,
                row.expected,
                row.found,
                row.hint,
            )
            fmt = error_fmt if row.severity == SEVERITY_ZH["error"] else cell_fmt
            for c, v in enumerate(values):
                ws.write_string(r, c, v, fmt)
            ws.set_row(r, row_height(values, WIDTHS))
        if not rows:
            r += 1
            ws.merge_range(r, 0, r, last, "无：本文件中没有需要贵单位修改的问题。", cell_fmt)
        if repaired:
            r += 2
            widths = (WIDTHS[0], WIDTHS[1], WIDTHS[2], sum(WIDTHS[3:]))
            for c, h in enumerate(REPAIRED_HEADINGS[:3]):
                ws.write_string(r, c, h, head_fmt)
            ws.merge_range(r, 3, r, last, REPAIRED_HEADINGS[3], head_fmt)
            for i, fixed in enumerate(repaired):
                r += 1
                cells = (str(i + 1), "已修复", place(fixed.sheet, fixed.cells), fixed.text)
                for c, v in enumerate(cells[:3]):
                    ws.write_string(r, c, v, fixed_fmt)
                ws.merge_range(r, 3, r, last, cells[3], fixed_fmt)
                ws.set_row(r, row_height(cells, widths))
        for c, w in enumerate(WIDTHS):
            ws.set_column(c, c, w)
        ws.freeze_panes(_FIRST_ROW + 1, 0)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.repeat_rows(_FIRST_ROW, _FIRST_ROW)
        ws.set_footer(FOOTER)
        ws.protect(password)
        ws.activate()

    return add
