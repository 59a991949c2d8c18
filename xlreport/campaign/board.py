"""The reporting board (`campaign status`): who has reported, on time, approved, sent back.

Pure: agencies with their state and the times of their versions in, counts and lists out.
An agency is expected unless withdrawn from the roster. It reported on time when its
first version arrived by the deadline plus the grace days (the whole last day counts);
with no deadline every report is on time. 逾期未报: the cut-off has passed and nothing has
arrived. Counts are given for every 单位类型 and in total; the lists (未报, 退回/需修改未改,
逾期未报) carry the contacts, ready to paste into a reminder (催报).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from xlreport.campaign.documents import DocSheet, DocTable, Document, document_bytes
from xlreport.campaign.receipts import local_time, show_time
from xlreport.jsonout import JsonArray
from xlreport.ledger.schema import (
    STATE_APPROVED,
    STATE_FIX,
    STATE_NONE,
    STATE_PENDING,
    STATE_RETURNED,
)
from xlreport.mapped_view import MappedView

#: The type of an agency whose roster gives none.
UNTYPED = "未分类"
TOTAL = "合计"


@dataclass(frozen=True, slots=True)
class AgencyRow:
    code: str
    name: str
    type: str
    state: str
    contact: str = ""
    phone: str = ""
    email: str = ""
    withdrawn: bool = False
    first_received_at: str = ""  # ISO time of the first version ("" none)
    last_received_at: str = ""  # of the current version
    rounds: int = 0  # versions received
    errors: int = 0  # of the current version
    warnings: int = 0
    #: of the current version against the previous one (mark → count), when there are two
    marks: Mapping[str, int] | None = None

    @property
    def kind(self) -> str:
        return self.type or UNTYPED

    def contact_text(self) -> str:
        parts = [p for p in (self.contact, self.phone, self.email) if p]
        return "，".join(parts) if parts else "（名单未填联系方式）"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "type": self.type,
            "state": self.state,
            "contact": self.contact,
            "phone": self.phone,
            "email": self.email,
            "withdrawn": self.withdrawn,
            "first_received_at": self.first_received_at,
            "last_received_at": self.last_received_at,
            "rounds": self.rounds,
            "errors": self.errors,
            "warnings": self.warnings,
            "marks": dict(self.marks) if self.marks is not None else None,
        }


@dataclass
class Counts:
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0  # reported after the cut-off
    overdue: int = 0  # 逾期未报: nothing arrived, the cut-off passed
    pending: int = 0
    approved: int = 0
    to_fix: int = 0  # 需修改 or 退回
    missing: int = 0  # 未报

    @property
    def reporting_rate(self) -> float:
        return self.received / self.expected if self.expected else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "pending": self.pending,
            "approved": self.approved,
            "to_fix": self.to_fix,
            "missing": self.missing,
            "reporting_rate": round(self.reporting_rate, 4),
            "on_time_rate": round(self.on_time_rate, 4),
        }


COUNT_HEADINGS = (
    "单位类型",
    "应报",
    "已报",
    "按时报送",
    "逾期报送",
    "逾期未报",
    "待审核",
    "已通过",
    "需修改/退回",
    "未报",
    "报送率",
    "按时率",
)


def percent(x: float) -> str:
    return f"{x * 100:.1f}%"


def count_cells(kind: str, c: Counts) -> tuple[str, ...]:
    return (
        kind,
        str(c.expected),
        str(c.received),
        str(c.on_time),
        str(c.late),
        str(c.overdue),
        str(c.pending),
        str(c.approved),
        str(c.to_fix),
        str(c.missing),
        percent(c.reporting_rate),
        percent(c.on_time_rate),
    )


@dataclass
class Board:
    campaign: str
    as_of: str  # ISO time the board is for
    deadline: str  # ISO date, "" none
    grace_days: int
    agencies: list[AgencyRow]  # every agency, in roster order (withdrawn ones included)
    by_type: dict[str, Counts] = field(default_factory=dict)  # 单位类型 → counts, then 合计
    missing: list[AgencyRow] = field(default_factory=list)  # 未报
    to_fix: list[AgencyRow] = field(default_factory=list)  # 退回/需修改, no new version since
    overdue: list[AgencyRow] = field(default_factory=list)  # 逾期未报

    @property
    def total(self) -> Counts:
        return self.by_type[TOTAL]

    @property
    def cutoff(self) -> date | None:
        return cutoff_date(self.deadline, self.grace_days)

    def json_document(self) -> dict[str, Any]:
        """The board for --json; the lists of agencies written as they are read (100,000)."""
        return {
            "campaign": self.campaign,
            "as_of": self.as_of,
            "deadline": self.deadline or None,
            "grace_days": self.grace_days,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "counts": {k: v.to_dict() for k, v in self.by_type.items()},
            "missing": JsonArray(self.missing, _code),
            "to_fix": JsonArray(self.to_fix, _code),
            "overdue": JsonArray(self.overdue, _code),
            "agencies": JsonArray(self.agencies, AgencyRow.to_dict),
        }


def _code(a: AgencyRow) -> str:
    return a.code


def cutoff_date(deadline: str, grace_days: int) -> date | None:
    """The last day a report is on time: the deadline plus the grace days."""
    if not deadline:
        return None
    return date.fromisoformat(deadline[:10]) + timedelta(days=grace_days)


def _day(iso: str) -> date:
    return local_time(iso).date()


def build_board(
    campaign: str, agencies: Sequence[AgencyRow], *, deadline: str, grace_days: int, as_of: str
) -> Board:
    """Count and list ``agencies`` as of ``as_of`` (an ISO time)."""
    board = Board(campaign, as_of, deadline, grace_days, list(agencies))
    cutoff = board.cutoff
    passed = cutoff is not None and _day(as_of) > cutoff
    kinds: dict[str, Counts] = {}
    for a in agencies:
        if a.withdrawn:
            continue
        c = kinds.setdefault(a.kind, Counts())
        received = a.state != STATE_NONE
        on_time = received and (cutoff is None or _day(a.first_received_at) <= cutoff)
        c.expected += 1
        c.received += received
        c.on_time += on_time
        c.late += received and not on_time
        c.overdue += not received and passed
        c.pending += a.state == STATE_PENDING
        c.approved += a.state == STATE_APPROVED
        c.to_fix += a.state in (STATE_FIX, STATE_RETURNED)
        c.missing += not received
        if not received:
            board.missing.append(a)
            if passed:
                board.overdue.append(a)
        elif a.state in (STATE_FIX, STATE_RETURNED):
            board.to_fix.append(a)
    total = Counts()
    for c in kinds.values():
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(c, name))
    board.by_type = {k: kinds[k] for k in _type_order(kinds)}
    board.by_type[TOTAL] = total
    return board


def _type_order(kinds: Mapping[str, Counts]) -> list[str]:
    known = ("部门", "乡镇", "街道", "其他")
    return [k for k in known if k in kinds] + sorted(k for k in kinds if k not in known)


def reminder_text(board: Board, which: str) -> str:
    """One list (``missing``, ``to_fix`` or ``overdue``) as text to paste into a reminder."""
    rows, title = {
        "missing": (board.missing, "尚未报送"),
        "to_fix": (board.to_fix, "已退回（或需修改）尚未重新报送"),
        "overdue": (board.overdue, "逾期未报"),
    }[which]
    if not rows:
        return ""
    head = f"【{board.campaign}】以下 {len(rows)} 个单位{title}"
    if which != "to_fix" and board.deadline:
        head += f"（截止 {board.deadline[:10]}）"
    lines = [head + "，请尽快报送："]
    for i, a in enumerate(rows, 1):
        state = f"［{a.state}］" if which == "to_fix" else ""
        lines.append(f"{i}. {a.name}（{a.code}）{state}联系人：{a.contact_text()}")
    return "\n".join(lines)


_DETAIL = (
    "单位编码",
    "单位名称",
    "单位类型",
    "状态",
    "报送轮次",
    "首次报送",
    "最近报送",
    "按时",
    "错误",
    "警告",
    "改正情况",
    "联系人",
    "电话",
    "邮箱",
)


def _on_time_text(a: AgencyRow, cutoff: date | None) -> str:
    if not a.first_received_at:
        return ""
    if cutoff is None:
        return "是"
    return "是" if _day(a.first_received_at) <= cutoff else "逾期"


def _marks_text(a: AgencyRow) -> str:
    if a.marks is None:
        return ""
    return "，".join(f"{k} {v}" for k, v in a.marks.items())


def _detail_cells(a: AgencyRow, cutoff: date | None) -> tuple[str, ...]:
    return (
        a.code,
        a.name,
        a.type,
        "已撤销" if a.withdrawn else a.state,
        str(a.rounds),
        show_time(a.first_received_at) if a.first_received_at else "",
        show_time(a.last_received_at) if a.last_received_at else "",
        _on_time_text(a, cutoff),
        str(a.errors) if a.rounds else "",
        str(a.warnings) if a.rounds else "",
        _marks_text(a),
        a.contact,
        a.phone,
        a.email,
    )


def board_bytes(board: Board) -> bytes:
    """The board as a workbook: counts, every agency (with autofilter), the reminder lists."""
    counts = DocTable(
        "报送进度", COUNT_HEADINGS, [count_cells(k, c) for k, c in board.by_type.items()]
    )
    fields = [
        ("截止日期", (board.deadline[:10] if board.deadline else "未设定")),
        ("宽限天数", str(board.grace_days)),
        ("统计时间", show_time(board.as_of)),
    ]
    cutoff = board.cutoff
    detail = DocTable(
        "",
        _DETAIL,
        # made row by row as the sheet is measured and written (100,000 agencies)
        MappedView(board.agencies, lambda a: _detail_cells(a, cutoff)),
        autofilter=True,
    )
    notes = [t for w in ("missing", "to_fix", "overdue") if (t := reminder_text(board, w))]
    sheets = [
        DocSheet(
            "报送进度",
            f"{board.campaign}\n报送进度",
            fields=fields,
            tables=(counts,),
            landscape=True,
        ),
        DocSheet("单位明细", "各单位报送情况", tables=(detail,), landscape=True),
        DocSheet("催报名单", "催报名单", notes=notes or ("所有单位均已报送，无需催报。",)),
    ]
    when = datetime.fromisoformat(board.as_of)
    return document_bytes(Document(f"{board.campaign} 报送进度", sheets, when, board.campaign))


__all__ = [
    "COUNT_HEADINGS",
    "TOTAL",
    "UNTYPED",
    "AgencyRow",
    "Board",
    "Counts",
    "board_bytes",
    "build_board",
    "count_cells",
    "cutoff_date",
    "percent",
    "reminder_text",
]
