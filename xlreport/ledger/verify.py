"""``campaign verify``: is the ledger what was recorded, and is every stored file intact?

Checks, and names precisely what is wrong: SQLite's own integrity and foreign keys; the
event chain (which event was altered, removed or reordered); every stored file against
its sha256 (which file is missing or changed); each agency's state and current version
against a replay of its events by the transition table. Files in the store that the
ledger does not know (left by an interrupted ingest) are listed, not counted as damage.
"""

from __future__ import annotations

from xlreport.ledger.campaign import Campaign
from xlreport.ledger.chain import chain_problems
from xlreport.ledger.model import Problem
from xlreport.ledger.schema import STATE_NONE, TRANSITIONS
from xlreport.ledger.store import STORE_DIR, file_intact

_ALLOWED = set(TRANSITIONS)


def verify(camp: Campaign) -> list[Problem]:
    """Every problem found ([] when the ledger and the store are intact)."""
    conn = camp.conn
    problems: list[Problem] = []
    for (line,) in conn.execute("PRAGMA integrity_check"):
        if line != "ok":
            problems.append(Problem("campaign-ledger-damaged", f"台账数据库损坏：{line}"))
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(
            Problem(
                "campaign-ledger-damaged",
                f"台账表 {table} 第 {rowid} 行引用的 {parent} 记录不存在（记录被删除）",
            )
        )
    for eid, text in chain_problems(conn):
        problems.append(Problem("campaign-chain-broken", text, event_id=eid))
    known: set[str] = set()
    for sha, rel, name in conn.execute(
        "SELECT sha256, stored_path, original_name FROM files ORDER BY received_at, sha256"
    ):
        known.add(rel)
        wrong = file_intact(camp.dir, rel, sha)
        if wrong:
            problems.append(
                Problem(
                    "campaign-file-damaged",
                    f"存储的文件 {rel}（原名 {name}）{wrong}；登记的 sha256 为 {sha}",
                    sha256=sha,
                    path=rel,
                )
            )
    problems += _states(camp)
    store = camp.dir / STORE_DIR
    if store.is_dir():
        for p in sorted(store.rglob("*")):
            rel = p.relative_to(camp.dir).as_posix()
            if p.is_file() and rel not in known:
                problems.append(
                    Problem(
                        "campaign-store-extra",
                        f"存储中的 {rel} 未登记（导入被中断时留下的；重新导入即可）",
                        path=rel,
                    )
                )
    return problems


def _states(camp: Campaign) -> list[Problem]:
    conn = camp.conn
    replay: dict[str, tuple[str, int | None, int | None]] = {}
    out: list[Problem] = []
    for eid, code, before, action, after, version in conn.execute(
        "SELECT id, agency_code, from_state, action, to_state, version_id FROM events"
        " WHERE to_state IS NOT NULL ORDER BY id"
    ):
        state, current, _ = replay.get(code, (STATE_NONE, None, None))
        if (before, action, after) not in _ALLOWED or before != state:
            out.append(
                Problem(
                    "campaign-state-mismatch",
                    f"事件 #{eid}（单位 {code}）的状态变化 {before} →（{action}）→ {after}"
                    f" 不合规则：此前状态为 {state}",
                    event_id=eid,
                )
            )
        if action.startswith("submit-"):
            current = version
        replay[code] = (after, current, eid)
    for code, state, current in conn.execute("SELECT code, state, current_version FROM agencies"):
        want, version, eid = replay.get(code, (STATE_NONE, None, None))
        if state != want or current != version:
            last = f"最后一个状态事件 #{eid}" if eid else "没有状态事件"
            out.append(
                Problem(
                    "campaign-state-mismatch",
                    f"单位 {code} 记录的状态为“{state}”（当前版本 {current}），按事件记录"
                    f"应为“{want}”（当前版本 {version}，{last}）",
                    event_id=eid,
                )
            )
    return out
