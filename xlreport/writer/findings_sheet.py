"""The first sheet of a `check --annotate` copy: every finding of the return, as a list.

Used through ``build_workbook(..., before_sheets=findings_sheet(...))``. Every field is
written as text (an agency's own text is never read as a formula).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from xlreport.findings import SEVERITY_ZH
from xlreport.writer.styles import FONT, NOTE_FILL, display_width

HEADINGS = ("序号", "严重程度", "工作表", "单元格", "行", "列", "问题", "应为", "实为", "处理办法")
_MAX_WIDTHS = (6, 10, 16, 8, 30, 22, 60, 18, 18, 48)


@dataclass(frozen=True)
class FindingRow:
    severity: str  # already in Chinese (xlreport.findings.SEVERITY_ZH)
    sheet: str
    cell: str
    row_label: str
    col_label: str
    message: str
    expected: str
    found: str
    hint: str


def findings_sheet(
    name: str, title: str, intro: str, rows: Sequence[FindingRow], password: str
) -> Callable[[Any], None]:
    """A ``before_sheets`` hook adding the sheet ``name`` with a title, a line and the rows."""

    def add(wb: Any) -> None:
        ws = wb.add_worksheet(name)
        base = {"font_name": FONT, "font_size": 11, "valign": "top", "text_wrap": True}
        title_fmt = wb.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
        intro_fmt = wb.add_format(base)
        head_fmt = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#DDEBF7"})
        cell_fmt = wb.add_format({**base, "border": 1})
        error_fmt = wb.add_format({**base, "border": 1, "bg_color": NOTE_FILL})
        ws.write_string(0, 0, title, title_fmt)
        ws.merge_range(1, 0, 1, len(HEADINGS) - 1, intro, intro_fmt)
        ws.set_row(1, 36)
        for c, h in enumerate(HEADINGS):
            ws.write_string(3, c, h, head_fmt)
        widths = [display_width(h) + 2 for h in HEADINGS]
        for i, row in enumerate(rows):
            r = 4 + i
            values = (
                str(i + 1),
                row.severity,
                row.sheet,
                row.cell,
                row.row_label,
                row.col_label,
                row.message,
                row.expected,
                row.found,
                row.hint,
            )
            fmt = error_fmt if row.severity == SEVERITY_ZH["error"] else cell_fmt
            for c, v in enumerate(values):
                ws.write_string(r, c, v, fmt)
                widths[c] = max(widths[c], min(display_width(v) + 2, _MAX_WIDTHS[c]))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(4, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3, 3)
        ws.protect(password)
        ws.activate()

    return add
