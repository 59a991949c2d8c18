"""``campaign verify``: is the ledger what was recorded, and is every stored file intact?

Checks, and names precisely what is wrong: SQLite's own integrity and foreign keys; the
event chain (which event was altered, removed or reordered); every stored file against
its sha256 (which file is missing or changed); each agency's state and current version
against a replay of its events by the transition table. Files in the store that the
ledger does not know (left by an interrupted ingest) are listed, not counted as damage.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from xlreport.ledger.campaign import Campaign
from xlreport.ledger.chain import chain_problems
from xlreport.ledger.model import Problem
from xlreport.ledger.schema import STATE_NONE, TRANSITIONS
from xlreport.ledger.store import STORE_DIR, file_intact

_ALLOWED = set(TRANSITIONS)


def verify(camp: Campaign) -> list[Problem]:
    """Every problem found ([] when the ledger and the store are intact); a ledger SQLite
    cannot read on (a damaged page) is one more problem, after those found before it."""
    problems: list[Problem] = []
    try:
        _verify(camp, problems)
    except sqlite3.DatabaseError as e:
        problems.append(Problem("campaign-ledger-damaged", f"台账数据库损坏，无法继续核对：{e}"))
    return problems


def _verify(camp: Campaign, problems: list[Problem]) -> None:
    conn = camp.conn
    for (line,) in conn.execute("PRAGMA integrity_check"):
        if line != "ok":
            problems.append(Problem("campaign-ledger-damaged", f"台账数据库损坏：{line}"))
    if problems:  # the rest would read damaged pages
        return
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
    problems += _values(conn)
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
        if action is not None and action.startswith("submit-"):
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


def _values(conn: sqlite3.Connection) -> list[Problem]:
    """Each version's recorded values (what the merge adds up) against the digest taken
    when they were recorded — and that digest against the one its event carries."""
    out: list[Problem] = []
    rows = conn.execute(
        "SELECT v.id, v.agency_code, v.round, v.values_sha256, val.packed FROM versions v"
        ' LEFT JOIN "values" val ON val.sha256 = v.sha256 ORDER BY v.id'
    )
    for vid, code, round_, recorded, packed in rows:
        found = hashlib.sha256((packed or "").encode("utf-8")).hexdigest()
        if found != recorded:
            out.append(
                Problem(
                    "campaign-ledger-damaged",
                    f"单位 {code} 第 {round_} 轮版本（#{vid}）的数值与登记时的摘要不符："
                    "台账中的数值被改动过（汇总会用到这些数值）",
                )
            )
    events = conn.execute(
        "SELECT e.id, e.version_id, e.data, v.values_sha256 FROM events e"
        " JOIN versions v ON v.id = e.version_id WHERE e.kind = 'file-version' ORDER BY e.id"
    )
    for eid, vid, data, recorded in events:
        said = json.loads(data or "{}").get("values_sha256")
        if said is not None and said != recorded:
            out.append(
                Problem(
                    "campaign-ledger-damaged",
                    f"版本 #{vid} 登记的数值摘要与事件 #{eid} 记下的不同：台账被改动过",
                    event_id=eid,
                )
            )
    return out
