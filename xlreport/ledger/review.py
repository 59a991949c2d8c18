"""The clerk's decisions: approve (已通过), return for correction (退回), withdraw an approval.

Each decision is a transition of :data:`~xlreport.ledger.schema.TRANSITIONS` applied to
the agency's current version, recorded as an event carrying the version's sha256 and the
check run that decided its verdict. A decision the table does not allow, or an approval
of a version with a blocking finding, is refused (with a code), never forced.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from xlreport.codes import FindingCode
from xlreport.errors import UsageError
from xlreport.ledger.campaign import Campaign
from xlreport.ledger.chain import append_event
from xlreport.ledger.model import StateChange
from xlreport.ledger.schema import REASON_REQUIRED, STATE_PENDING, TRANSITIONS

_NEXT = {(f, a): t for f, a, t in TRANSITIONS}
_ACTION_ZH = {"approve": "审核通过", "return": "退回修改", "unapprove": "撤销通过"}


def approve(
    camp: Campaign, codes: Sequence[str] = (), *, all_clean: bool = False
) -> list[StateChange]:
    """Approve the current version of each agency of ``codes`` (or, ``all_clean``, of
    every agency whose state is 已报（待审核）: a version with no blocking finding)."""
    if not codes and not all_clean:
        raise UsageError(
            "没有指定要审核通过的单位", "给出单位编码，或用 --all-clean 通过全部待审核单位"
        )
    with camp.writing() as conn:
        todo = list(dict.fromkeys(codes))
        if all_clean:
            todo += [
                c
                for (c,) in conn.execute(
                    "SELECT code FROM agencies WHERE state = ? AND withdrawn = 0 ORDER BY seq, code",
                    (STATE_PENDING,),
                )
                if c not in todo
            ]
        return [_decide(camp, conn, code, "approve", "") for code in todo]


def return_agency(camp: Campaign, code: str, reason: str) -> StateChange:
    """Send ``code``'s current version back for correction (退回), with the reason."""
    with camp.writing() as conn:
        return _decide(camp, conn, code, "return", _reason(reason, "return"))


def unapprove(camp: Campaign, code: str, reason: str) -> StateChange:
    """Withdraw ``code``'s approval (back to 已报（待审核）), with the reason."""
    with camp.writing() as conn:
        return _decide(camp, conn, code, "unapprove", _reason(reason, "unapprove"))


def _reason(reason: str, action: str) -> str:
    text = " ".join(reason.split())
    if not text and action in REASON_REQUIRED:
        raise UsageError(
            f"{_ACTION_ZH[action]}必须说明原因", '用 --reason "原因" 写明为什么（会记入台账）'
        )
    return text


def _refused(code: str, action: str, state: str, why: FindingCode, message: str) -> StateChange:
    return StateChange(code, action, False, state, state, why, message)


def _decide(
    camp: Campaign, conn: sqlite3.Connection, code: str, action: str, reason: str
) -> StateChange:
    row = conn.execute(
        "SELECT a.state, a.current_version, a.name, a.withdrawn, v.round, v.sha256,"
        " v.check_run_id, v.errors FROM agencies a LEFT JOIN versions v"
        " ON v.id = a.current_version WHERE a.code = ?",
        (code,),
    ).fetchone()
    if row is None:
        return _refused(
            code, action, "", "campaign-agency-missing", f"名单中没有单位编码“{code}”。"
        )
    state, version, name, withdrawn, round_, sha, run, errors = row
    after = _NEXT.get((state, action))
    if withdrawn:
        return _refused(
            code, action, state, "campaign-not-allowed", f"{name}（{code}）已从名单中撤销。"
        )
    if after is None or version is None:
        return _refused(
            code,
            action,
            state,
            "campaign-not-allowed",
            f"{name}（{code}）当前状态为“{state}”，不能{_ACTION_ZH[action]}。",
        )
    if action == "approve" and errors:
        return _refused(
            code,
            action,
            state,
            "campaign-not-allowed",
            f"{name}（{code}）第 {round_} 轮报送有 {errors} 个错误，不能审核通过。",
        )
    conn.execute("UPDATE agencies SET state = ? WHERE code = ?", (after, code))
    event = append_event(
        conn,
        at=camp.clock(),
        kind=f"agency-{action}",
        agency_code=code,
        from_state=state,
        action=action,
        to_state=after,
        sha256=sha,
        check_run_id=run,
        version_id=version,
        reason=reason,
        data={"round": round_},
    )
    return StateChange(
        code,
        action,
        True,
        state,
        after,
        None,
        f"{name}（{code}）第 {round_} 轮：{state} → {after}"
        + (f"（原因：{reason}）" if reason else "")
        + "。",
        round_,
        sha,
        event,
    )
