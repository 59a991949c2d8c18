"""退回修改通知: the notice an agency in 需修改 or 退回 gets, with its annotated copy.

One printable A4 workbook: who, which file and round, why (the clerk's reason when it was
sent back), every blocking finding (sheet, cell, row and column labels, expected, found,
what to do), the warnings to verify, and — when there was a previous version — what the
new version fixed (已改正), what remains (仍存在), what is new (新出现) and which cells it
changed. Written into ``notices/<agency>/`` beside the annotated copy of the return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from xlreport.campaign.documents import DocSheet, DocTable, Document, document_bytes
from xlreport.campaign.receipts import show_time
from xlreport.checks.resubmission import Mark, Resubmission, finding_key
from xlreport.findings import SEVERITY_ZH, Finding
from xlreport.fsutil import safe_filename

_HEADINGS = ("序号", "改正情况", "工作表", "单元格", "行", "列", "问题", "应为", "实为", "处理办法")
_WIDTHS = (5, 8, 12, 7, 20, 14, 30, 10, 10, 26)


@dataclass(frozen=True)
class Notice:
    campaign: str
    agency_code: str
    agency_name: str
    state: str  # 需修改 or 退回
    round: int
    file_name: str
    sha256: str
    received_at: str
    findings: Sequence[Finding]  # the current version's
    reason: str = ""  # the clerk's reason (退回)
    receipt_number: str = ""
    resubmission: Resubmission | None = None  # against the previous version, when there is one
    annotated_name: str = ""  # the annotated copy beside the notice
    deadline: str = ""  # when to send the corrected return by ("" none)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def notice_folder_name(agency_code: str, agency_name: str) -> str:
    return safe_filename(f"{agency_code}_{agency_name}", max_len=100)


def notice_file_name(n: Notice) -> str:
    return safe_filename(f"退回修改通知_{n.agency_name}_第{n.round}轮", max_len=150) + ".xlsx"


def _marks(n: Notice) -> dict[tuple[str, str, str, str], Mark]:
    if n.resubmission is None:
        return {}
    out: dict[tuple[str, str, str, str], Mark] = {}
    for m in n.resubmission.marks:
        if m.mark != "已改正":
            out.setdefault(finding_key(m.finding), m.mark)
    return out


def _row(i: int, mark: str, f: Finding) -> tuple[str, ...]:
    return (
        str(i),
        mark,
        f.sheet,
        f.cell,
        f.row_label,
        f.col_label,
        f.message,
        f.expected,
        f.found,
        f.hint,
    )


def notice_bytes(n: Notice) -> bytes:
    """The notice as a printable A4 workbook."""
    marks = _marks(n)
    first = "首次报送" if n.resubmission is None else "—"

    def rows(findings: Sequence[Finding]) -> list[tuple[str, ...]]:
        return [_row(i, marks.get(finding_key(f), first), f) for i, f in enumerate(findings, 1)]

    why = {
        "退回": f"经审核退回修改。原因：{n.reason}" if n.reason else "经审核退回修改。",
        "需修改": "报表经校验发现必须修改的错误，暂不能审核通过。",
    }.get(n.state, n.state)
    fields = [
        ("报送事项", n.campaign),
        ("报送单位", f"{n.agency_name}（{n.agency_code}）"),
        ("状态", n.state),
        ("说明", why),
        ("所涉文件", f"第 {n.round} 轮：“{n.file_name}”，{show_time(n.received_at)} 收到"),
        ("文件校验码", n.sha256),
    ]
    if n.receipt_number:
        fields.append(("回执编号", n.receipt_number))
    counts = f"必须修改的错误 {len(n.blocking)} 处，需核实的警告 {len(n.warnings)} 处"
    if n.resubmission is not None:
        counts += "；" + n.resubmission.summary()
    fields.append(("问题数", counts))
    todo = "请在随附的标注稿"
    todo += f"“{n.annotated_name}”" if n.annotated_name else ""
    todo += "中逐项改正（出错的单元格已标红并附批注），保存后重新报送"
    todo += f"，截止 {n.deadline}。" if n.deadline else "。"
    fields.append(("修改要求", todo))
    tables = [
        DocTable("一、必须修改的错误", _HEADINGS, rows(n.blocking), _WIDTHS),
    ]
    if n.warnings:
        tables.append(
            DocTable("二、需核实的警告（确认无误可不改）", _HEADINGS, rows(n.warnings), _WIDTHS)
        )
    sheets = [
        DocSheet(
            "退回修改通知",
            f"{n.campaign}\n退回修改通知",
            fields=fields,
            tables=tables,
            landscape=True,
            notes=("经办人：____________        联系电话：____________        日期：____________",),
        )
    ]
    if n.resubmission is not None:
        sheets.append(_resubmission_sheet(n.resubmission))
    created = _created(n.received_at)
    return document_bytes(
        Document(f"退回修改通知 {n.agency_name} 第{n.round}轮", sheets, created, n.campaign)
    )


def _resubmission_sheet(res: Resubmission) -> DocSheet:
    marks = DocTable(
        "上一版问题的改正情况",
        ("序号", "改正情况", "严重程度", "工作表", "单元格", "行", "列", "问题"),
        [
            (
                str(i),
                m.mark,
                SEVERITY_ZH[m.finding.severity],
                m.finding.sheet,
                m.finding.cell,
                m.finding.row_label,
                m.finding.col_label,
                m.finding.message,
            )
            for i, m in enumerate(res.marks, 1)
        ],
        (6, 10, 8, 14, 8, 26, 18, 48),
        marked=frozenset(
            i
            for i, m in enumerate(res.marks)
            if m.mark != "已改正" and m.finding.severity == "error"
        ),
    )
    changed = DocTable(
        "本版改动的单元格",
        ("序号", "工作表", "单元格", "行", "列", "原值", "新值"),
        [
            (str(i), c.sheet, c.cell, c.row_label, c.col_label, *_old_new(c.to_dict()))
            for i, c in enumerate(res.changed, 1)
        ],
        (6, 14, 8, 30, 20, 14, 14),
    )
    return DocSheet(
        "改正情况",
        "与上一版相比",
        fields=(("小结", res.summary()),),
        tables=(marks, changed),
        landscape=True,
    )


def _old_new(d: dict[str, str]) -> tuple[str, str]:
    return d["old"], d["new"]


def _created(iso: str) -> datetime:
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=UTC)
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


__all__ = ["Notice", "notice_bytes", "notice_file_name", "notice_folder_name"]
