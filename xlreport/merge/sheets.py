"""What the extra sheets of the summary say: 分单位明细, 报送情况, 校验结果.

Plain data for :mod:`xlreport.writer.summary_sheets`. Files are named by their base name
plus SHA-256 (never their folder), so the summary does not depend on where or in which
order the inputs were given.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from xlreport.findings import SEVERITY_ZH, Finding
from xlreport.identity import SUMMARY_SHEETS
from xlreport.mapped_view import MappedView
from xlreport.merge.model import AgencyRow, FileOutcome
from xlreport.writer.summary_sheets import Block, CellValue, ExtraSheet

OVERVIEW_SHEET, DETAIL_SHEET, STATUS_SHEET, FINDINGS_SHEET, SUBTOTAL_SHEET = SUMMARY_SHEETS

STATUS_HEADER = (
    "单位编码",
    "单位名称",
    "状态",
    "在名单中",
    "文件名",
    "保存时间",
    "错误数",
    "警告数",
    "空白格数",
    "说明",
    "SHA-256",  # last, after the print area: kept, not printed
)
FINDINGS_HEADER = (
    "单位名称",
    "级别",
    "工作表",
    "单元格",
    "说明",
    "处理建议",
    # after the print area: on screen and for filtering
    "文件名",
    "单位编码",
    "代码",
    "行标签",
    "列标签",
    "应为",
    "实为",
    "规则",
    "SHA-256",
)
FINDINGS_PRINTED = 6


class _StatusRows(Sequence[list[CellValue]]):
    """The rows of 报送情况, each made when it is read (one per input file)."""

    def __init__(self, rows: Sequence[AgencyRow]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> list[CellValue]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[CellValue]]: ...
    def __getitem__(self, i: int | slice) -> list[CellValue] | list[list[CellValue]]:
        if isinstance(i, slice):
            return [_status_row(r) for r in self._rows[i]]
        return _status_row(self._rows[i])

    def __iter__(self) -> Iterator[list[CellValue]]:
        return map(_status_row, self._rows)


def _status_row(r: AgencyRow) -> list[CellValue]:
    return [
        r.code,
        r.name,
        r.status,
        r.in_roster,
        r.file_name,
        r.saved_at,
        r.errors,
        r.warnings,
        r.blanks,
        r.note,
        r.sha256,
    ]


def status_sheet(rows: Sequence[AgencyRow], title: str) -> ExtraSheet:
    block = Block(
        rows=_StatusRows(rows), header=[STATUS_HEADER], autofilter=True, width=len(STATUS_HEADER)
    )
    return ExtraSheet(
        name=STATUS_SHEET,
        title=f"{title}报送情况",
        blocks=[block],
        widths=[12, 24, 14, 10, 24, 21, 7, 7, 8, 36, 66],
        freeze_cols=2,
        landscape=True,
        print_cols=len(STATUS_HEADER) - 1,
        wrap=True,
    )


def _finding_row(f: FileOutcome, x: Finding) -> list[CellValue]:
    return [
        f.agency_name,
        SEVERITY_ZH.get(x.severity, x.severity),
        x.sheet,
        x.cell,
        x.message,
        x.hint,
        f.file_name,
        f.code,
        x.code,
        x.row_label,
        x.col_label,
        x.expected,
        x.found,
        x.rule,
        f.sha256,
    ]


def findings_sheet(files: Sequence[FileOutcome], title: str) -> ExtraSheet:
    """Every finding of every input, as ``check --json`` has them (file by base name).
    Each line is made as it is written, from the place of its file and finding (a
    province's 100,000 files may have as many warnings)."""
    file_at, finding_at = array("q"), array("q")
    for i, f in enumerate(files):
        n = len(f.checked.report.findings)
        file_at.extend([i] * n)
        finding_at.extend(range(n))

    def line(k: int) -> list[CellValue]:
        f = files[file_at[k]]
        return _finding_row(f, f.checked.report.findings[finding_at[k]])

    body = MappedView(range(len(file_at)), line)
    note = f"共{len(body)}条" if body else "所有文件均未发现问题"
    block = Block(
        rows=body, header=[FINDINGS_HEADER], autofilter=True, title=note, width=len(FINDINGS_HEADER)
    )
    return ExtraSheet(
        name=FINDINGS_SHEET,
        title=f"{title}校验结果（每个文件的每条校验意见，可筛选）",
        blocks=[block],
        widths=[24, 6, 14, 8, 56, 44, 30, 14, 22, 30, 24, 14, 14, 6, 66],
        freeze_cols=1,
        landscape=True,
        print_cols=FINDINGS_PRINTED,
        wrap=True,
    )
