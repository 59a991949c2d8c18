"""Receipts (回执): what the office gives an agency for every file it received.

A receipt has a number (the ledger issues it: ``<year>-<agency code>-<seq>``), and says
which round, when, which file (its name and sha256), the verdict and how many errors and
warnings. It is written as a printable A4 document (``receipts/回执_<number>_<agency>.xlsx``)
and as one line of text to paste into a message. The number can be verified later
against the ledger (``xlreport campaign receipt NUMBER``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from xlreport.campaign.documents import DocSheet, DocTable, Document, FormWriter, document_bytes
from xlreport.fsutil import safe_filename

#: A version's verdict (ledger ``versions.verdict``) in words.
VERDICT_ZH = {
    "ok": "校验通过，未发现问题",
    "warning": "校验通过，有需核实的警告",
    "error": "有错误，需修改后重新报送",
}
#: What became of an arrival (ledger ``arrivals.outcome``) in words.
OUTCOME_ZH = {
    "version": "已登记",
    "duplicate": "重复文件（与已收到的文件完全相同），未重复登记",
    "unchanged": "数值与上一版相同，未登记为新版本",
    "refused": "拒收",
}


@dataclass(frozen=True)
class Receipt:
    number: str
    campaign: str  # e.g. 清河县2024年度政府信息公开工作年度报告统计表
    agency_code: str
    agency_name: str
    received_at: str  # ISO time
    file_name: str
    sha256: str
    outcome: str  # version / duplicate / unchanged / refused
    round: int | None = None  # the version's round when the file became a version
    verdict: str = ""  # ok / warning / error (a version's); "" otherwise
    errors: int = 0
    warnings: int = 0
    reason: str = ""  # why it was refused or not recorded (the ledger's message)
    issued_at: str = ""

    @property
    def verdict_text(self) -> str:
        if self.outcome != "version":
            text = OUTCOME_ZH.get(self.outcome, self.outcome)
            return f"{text}：{self.reason}" if self.reason else text
        return VERDICT_ZH.get(self.verdict, self.verdict)

    @property
    def round_text(self) -> str:
        return f"第 {self.round} 轮" if self.round is not None else "—（未登记为新版本）"

    def line(self) -> str:
        """One line to paste into a message to the agency."""
        counts = (
            f"错误 {self.errors} 处、警告 {self.warnings} 处；" if self.outcome == "version" else ""
        )
        return (
            f"【回执 {self.number}】{self.agency_name}：{self.campaign}"
            f"于 {show_time(self.received_at)} 收到“{self.file_name}”"
            f"（{self.round_text}，SHA-256 {self.sha256[:16]}…）。"
            f"{counts}{self.verdict_text}。凭回执号可核验。"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "campaign": self.campaign,
            "agency_code": self.agency_code,
            "agency_name": self.agency_name,
            "received_at": self.received_at,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "outcome": self.outcome,
            "round": self.round,
            "verdict": self.verdict,
            "errors": self.errors,
            "warnings": self.warnings,
            "reason": self.reason,
            "issued_at": self.issued_at,
            "text": self.line(),
        }


#: The ledger records UTC; people read Beijing time (fixed, whatever the machine's zone,
#: so the same ledger gives the same documents everywhere).
BEIJING = timezone(timedelta(hours=8), "北京时间")


def local_time(iso: str) -> datetime:
    """An ISO time in Beijing time (a time without offset is taken as it is)."""
    t = datetime.fromisoformat(iso)
    return t.astimezone(BEIJING) if t.tzinfo is not None else t


def show_time(iso: str) -> str:
    """An ISO time as people read it: 2025-01-15 10:20:31, Beijing time."""
    try:
        return local_time(iso).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, OverflowError):
        return iso


def _created(iso: str) -> datetime:
    """The document's creation time: the receipt's time in UTC (as the properties say)."""
    try:
        t = datetime.fromisoformat(iso)
        return t.astimezone(UTC) if t.tzinfo is not None else t.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return datetime(2000, 1, 1, tzinfo=UTC)


def receipt_file_name(r: Receipt) -> str:
    return safe_filename(f"回执_{r.number}_{r.agency_name}", max_len=150) + ".xlsx"


def receipt_bytes(r: Receipt, forms: FormWriter | None = None) -> bytes:
    """The receipt as a printable A4 workbook; ``forms``: the same bytes faster, for a
    caller writing many receipts."""
    fields = [
        ("回执编号", r.number),
        ("报送事项", r.campaign),
        ("报送单位", f"{r.agency_name}（{r.agency_code}）"),
        ("报送轮次", r.round_text),
        ("收到时间", show_time(r.received_at)),
        ("文件名", r.file_name),
        ("文件校验码（SHA-256）", r.sha256),
        ("校验结论", r.verdict_text),
    ]
    if r.outcome == "version":
        fields.append(("错误 / 警告", f"错误 {r.errors} 处，警告 {r.warnings} 处"))
    notes = [
        "说明：本回执只证明上述文件已于所列时间收到并登记，不代表报表已审核通过。",
        "文件校验码是文件内容的“指纹”：文件改动一个字节，校验码就完全不同。"
        f"核验本回执：xlreport campaign receipt {r.number}",
        "",
        "经办人：____________        日期：____________",
    ]
    sheet = DocSheet("回执", "报表接收回执", fields=fields, tables=(), notes=notes)
    doc = Document(f"回执 {r.number}", [sheet], _created(r.received_at), subject=r.campaign)
    return document_bytes(doc) if forms is None else forms.build(doc)


def receipts_table(receipts: list[Receipt]) -> DocTable:
    """Receipts as rows of a table (for a history or a board)."""
    return DocTable(
        "回执",
        ("回执编号", "轮次", "收到时间", "文件名", "结论", "错误", "警告"),
        [
            (
                r.number,
                str(r.round) if r.round is not None else "—",
                show_time(r.received_at),
                r.file_name,
                r.verdict_text,
                str(r.errors),
                str(r.warnings),
            )
            for r in receipts
        ],
    )


__all__ = [
    "BEIJING",
    "OUTCOME_ZH",
    "VERDICT_ZH",
    "Receipt",
    "local_time",
    "receipt_bytes",
    "receipt_file_name",
    "receipts_table",
    "show_time",
]
