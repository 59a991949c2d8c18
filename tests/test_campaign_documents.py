"""Receipts, notices and the board as data and as printable workbooks (xlreport.campaign)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from xlreport.campaign.board import (
    TOTAL,
    AgencyRow,
    board_bytes,
    build_board,
    reminder_text,
)
from xlreport.campaign.documents import FormWriter
from xlreport.campaign.notices import Notice, notice_bytes, notice_file_name
from xlreport.campaign.receipts import Receipt, receipt_bytes, receipt_file_name
from xlreport.checks.catalogue import finding
from xlreport.checks.resubmission import compare_versions
from xlreport.ledger.schema import (
    STATE_APPROVED,
    STATE_FIX,
    STATE_NONE,
    STATE_PENDING,
    STATE_RETURNED,
)
from xlreport.spec import resolve_layout

LAYOUT = resolve_layout("gov-2021", None)
INPUTS = [c.id for c in LAYOUT.inputs()]
SHA = "3f9c2a" + "0" * 58


def _texts(data: bytes) -> dict[str, list[str]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {
        ws.title: [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        for ws in wb.worksheets
    }


def _receipt(**kw: object) -> Receipt:
    base: dict[str, object] = {
        "number": "2024-QH003-002",
        "campaign": "清河县2024年度政府信息公开工作年度报告",
        "agency_code": "QH003",
        "agency_name": "清河县教育局",
        "received_at": "2025-01-15T10:20:31+08:00",
        "file_name": "教育局年报（改）.xlsx",
        "sha256": SHA,
        "outcome": "version",
        "round": 2,
        "verdict": "error",
        "errors": 3,
        "warnings": 1,
    }
    base.update(kw)
    return Receipt(**base)  # type: ignore[arg-type]


def test_a_receipt_is_a_printable_a4_document_with_every_field() -> None:
    r = _receipt()
    data = receipt_bytes(r)
    assert data == receipt_bytes(r)  # same receipt, same bytes
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["回执"]
    assert ws.page_setup.paperSize == 9  # A4
    text = "\n".join(_texts(data)["回执"])
    for needle in ("2024-QH003-002", "清河县教育局（QH003）", "第 2 轮", "2025-01-15 10:20:31"):
        assert needle in text
    assert "教育局年报（改）.xlsx" in text and SHA in text
    assert "错误 3 处，警告 1 处" in text and "有错误" in text
    assert receipt_file_name(r) == "回执_2024-QH003-002_清河县教育局.xlsx"


_TEXT = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
    | st.sampled_from(
        ["XLRTOKxF001x7Q", "XLRTOKxDOCTITLEx7Q", "1999-09-09T09:09:09Z", "&<>", " ", "_x0041_"]
    ),
    max_size=4,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    number=st.sampled_from(["2024-QH003-002", "2024-QH003-002 ", "回执"]) | _TEXT,
    agency=_TEXT,
    file_name=_TEXT,
    reason=_TEXT,
    outcome=st.sampled_from(["version", "duplicate", "unchanged", "refused"]),
    errors=st.integers(0, 10**6),
    when=st.datetimes(timezones=st.timezones() | st.none()).map(lambda t: t.isoformat()),
)
def test_a_receipt_from_the_form_has_the_bytes_of_one_built_directly(
    number: str,
    agency: str,
    file_name: str,
    reason: str,
    outcome: str,
    errors: int,
    when: str,
) -> None:
    """FormWriter (a form built once, tokens replaced) gives exactly document_bytes' bytes,
    whatever the text: tokens, edge spaces, control characters, a value equal to a label."""
    forms = FormWriter()
    plain = _receipt()
    assert receipt_bytes(plain, forms) == receipt_bytes(plain)
    r = _receipt(
        number=number,
        agency_name=agency,
        file_name=file_name,
        reason=reason,
        outcome=outcome,
        errors=errors,
        received_at=when,
    )
    assert receipt_bytes(r, forms) == receipt_bytes(r)
    assert receipt_bytes(r, forms) == receipt_bytes(r, FormWriter())  # from a fresh form too


def test_a_form_is_built_once_for_receipts_of_one_shape() -> None:
    forms = FormWriter()
    for i in range(20):
        r = _receipt(number=f"2024-QH{i:03d}-001", file_name=f"{i}.xlsx", sha256=f"{i:064x}")
        data = receipt_bytes(r, forms)
        assert data == receipt_bytes(r)
        assert f"{i}.xlsx" in "\n".join(_texts(data)["回执"])
    assert len(forms._forms) == 1


def test_a_receipt_line_says_number_file_round_and_counts() -> None:
    line = _receipt().line()
    assert line.startswith("【回执 2024-QH003-002】清河县教育局：")
    assert "“教育局年报（改）.xlsx”" in line and "第 2 轮" in line
    assert "错误 3 处、警告 1 处" in line and SHA[:16] in line
    refused = _receipt(outcome="unchanged", round=None, reason="与第 1 轮数值相同").line()
    assert "数值与上一版相同" in refused and "与第 1 轮数值相同" in refused
    assert "错误" not in refused


def _finding(code: str, i: int, message: str, severity: str | None = None) -> object:
    c = LAYOUT.cells[INPUTS[i]]
    return finding(
        code,  # type: ignore[arg-type]
        message,
        sheet=LAYOUT.sheet(c.sheet).name,
        cell=c.a1,
        row_label=c.row_label,
        col_label=c.col_label,
        expected="非负整数",
        found=f"-{i}",
        hint="请改为非负整数",
        severity=severity,  # type: ignore[arg-type]
    )


def test_a_notice_lists_every_blocking_finding_with_labels_and_the_marks() -> None:
    old = [_finding("value-negative", 0, "旧问题甲"), _finding("value-negative", 1, "旧问题乙")]
    new = [
        _finding("value-negative", 1, "仍然是负数"),
        _finding("value-not-integer", 2, "不是整数"),
        _finding("value-implausible", 3, "数值偏大", "warning"),
    ]
    res = compare_versions(
        LAYOUT,
        old,  # type: ignore[arg-type]
        {INPUTS[0]: Decimal(-1)},
        new,  # type: ignore[arg-type]
        {INPUTS[0]: Decimal(4)},
    )
    n = Notice(
        campaign="清河县2024年度政府信息公开工作年度报告",
        agency_code="QH003",
        agency_name="清河县教育局",
        state="退回",
        round=2,
        file_name="教育局.xlsx",
        sha256=SHA,
        received_at="2025-01-15T10:20:31+08:00",
        findings=new,  # type: ignore[arg-type]
        reason="第二部分数字与去年差异过大，请核实",
        resubmission=res,
        annotated_name="退回修改_教育局.xlsx",
        deadline="2025-01-25",
    )
    assert [f.message for f in n.blocking] == ["仍然是负数", "不是整数"]
    data = notice_bytes(n)
    assert data == notice_bytes(n)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["退回修改通知"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    texts = _texts(data)
    main = "\n".join(texts["退回修改通知"])
    assert "第二部分数字与去年差异过大" in main and "退回修改_教育局.xlsx" in main
    for f in n.blocking:
        for part in (f.sheet, f.cell, f.row_label, f.col_label, f.expected, f.found, f.hint):
            assert part in texts["退回修改通知"]
    assert "仍存在" in texts["退回修改通知"] and "新出现" in texts["退回修改通知"]
    assert "数值偏大" in main  # the warning, in its own table
    marks = texts["改正情况"]
    assert "已改正" in marks and "旧问题甲" in marks  # the previous version's fixed finding
    cell = LAYOUT.cells[INPUTS[0]]
    assert cell.row_label in marks and "-1" in marks and "4" in marks
    assert notice_file_name(n) == "退回修改通知_清河县教育局_第2轮.xlsx"


def test_a_first_notice_has_no_resubmission_sheet() -> None:
    n = Notice(
        "活动",
        "QH001",
        "甲",
        "需修改",
        1,
        "a.xlsx",
        SHA,
        "2025-01-15T10:00:00+08:00",
        [_finding("value-negative", 0, "负数")],  # type: ignore[list-item]
    )
    texts = _texts(notice_bytes(n))
    assert list(texts) == ["退回修改通知"]
    assert "首次报送" in texts["退回修改通知"]


_STATES = (STATE_NONE, STATE_PENDING, STATE_FIX, STATE_APPROVED, STATE_RETURNED)


@st.composite
def _agency(draw: st.DrawFn, i: int) -> AgencyRow:
    state = draw(st.sampled_from(_STATES))
    day = draw(st.integers(10, 30))
    received = "" if state == STATE_NONE else f"2025-01-{day:02d}T09:00:00+08:00"
    return AgencyRow(
        code=f"A{i:03d}",
        name=f"单位{i}",
        type=draw(st.sampled_from(("部门", "乡镇", "街道", ""))),
        state=state,
        contact=draw(st.sampled_from(("", "张三"))),
        phone="0310-1",
        withdrawn=draw(st.booleans()),
        first_received_at=received,
        last_received_at=received,
        rounds=0 if state == STATE_NONE else 1,
    )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 12).flatmap(lambda n: st.tuples(*(_agency(i) for i in range(n)))),
    st.sampled_from(("", "2025-01-20")),
    st.integers(0, 5),
    st.integers(15, 31),
)
def test_board_counts_add_up(
    agencies: tuple[AgencyRow, ...], deadline: str, grace: int, today: int
) -> None:
    as_of = f"2025-01-{today:02d}T12:00:00+08:00"
    b = build_board("活动", agencies, deadline=deadline, grace_days=grace, as_of=as_of)
    t = b.total
    live = [a for a in agencies if not a.withdrawn]
    assert t.expected == len(live)
    assert t.received + t.missing == t.expected
    assert t.on_time + t.late == t.received
    assert t.pending + t.approved + t.to_fix == t.received
    assert t.missing == len(b.missing) and t.overdue == len(b.overdue)
    assert t.to_fix == len(b.to_fix)
    passed = bool(deadline) and today > 20 + grace
    assert t.overdue == (t.missing if passed else 0)
    if not deadline:
        assert t.late == 0
    for name in ("expected", "received", "on_time", "approved", "overdue"):
        assert getattr(t, name) == sum(getattr(c, name) for k, c in b.by_type.items() if k != TOTAL)
    assert b.json_document()["counts"][TOTAL]["expected"] == t.expected


def test_board_lists_and_export() -> None:
    rows = [
        AgencyRow("A1", "甲局", "部门", STATE_NONE, "张三", "0310-1", "a@x.cn"),
        AgencyRow(
            "A2",
            "乙镇",
            "乡镇",
            STATE_RETURNED,
            "",
            "",
            "",
            False,
            "2025-01-18T09:00:00+08:00",
            "2025-01-18T09:00:00+08:00",
            1,
            2,
            0,
        ),
        AgencyRow(
            "A3",
            "丙局",
            "部门",
            STATE_APPROVED,
            first_received_at="2025-01-22T09:00:00+08:00",
            last_received_at="2025-01-22T09:00:00+08:00",
            rounds=1,
        ),
        AgencyRow("A4", "丁局", "部门", STATE_NONE, withdrawn=True),
    ]
    b = build_board(
        "清河县2024年度",
        rows,
        deadline="2025-01-20",
        grace_days=1,
        as_of="2025-01-25T12:00:00+08:00",
    )
    t = b.total
    assert (t.expected, t.received, t.on_time, t.late, t.overdue, t.approved, t.to_fix) == (
        3,
        2,
        1,
        1,
        1,
        1,
        1,
    )
    assert b.by_type["部门"].expected == 2 and b.by_type["乡镇"].to_fix == 1
    text = reminder_text(b, "missing")
    assert "甲局（A1）" in text and "张三，0310-1，a@x.cn" in text and "截止 2025-01-20" in text
    assert "乙镇（A2）［退回］" in reminder_text(b, "to_fix")
    assert "（名单未填联系方式）" in reminder_text(b, "to_fix")
    data = board_bytes(b)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["报送进度", "单位明细", "催报名单"]
    assert wb["单位明细"].auto_filter.ref is not None
    texts = _texts(data)
    assert "66.7%" in texts["报送进度"] and "33.3%" in texts["报送进度"]
    assert "已撤销" in texts["单位明细"] and "逾期" in texts["单位明细"]
    assert any("甲局（A1）" in t for t in texts["催报名单"])
