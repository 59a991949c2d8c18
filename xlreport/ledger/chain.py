"""The event log as a hash chain: each event carries the hash of the one before it.

An event's hash is the sha256 of the canonical JSON (sorted keys, no spaces, UTF-8, no
ASCII escaping) of all its fields but the hash itself, the previous hash included. A
change to any recorded event, a deleted or a reordered one breaks the chain from there
on, and :func:`chain_problems` says which event.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

#: The hash the first event refers to.
GENESIS = "0" * 64

EVENT_FIELDS = (
    "id",
    "at",
    "kind",
    "agency_code",
    "from_state",
    "action",
    "to_state",
    "sha256",
    "check_run_id",
    "version_id",
    "reason",
    "data",
    "prev_hash",
)


def canonical_json(value: Any) -> str:
    """One text for one value, whoever writes it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json_with_list(head: dict[str, Any], key: str, items: Iterable[Any]) -> str:
    """``canonical_json({**head, key: list(items)})`` made item by item: a campaign
    merge records 100,000 versions without holding them as objects all at once. ``key``
    must sort after every key of ``head`` (it is written last)."""
    if any(k >= key for k in head):
        raise ValueError(f"{key!r} must sort after every key of head")
    start = canonical_json(head)[:-1] + ("," if head else "") + canonical_json(key) + ":["
    return start + ",".join(canonical_json(item) for item in items) + "]}"


def event_hash(fields: dict[str, Any]) -> str:
    """The hash of an event (``fields``: every name of :data:`EVENT_FIELDS`)."""
    body = {name: fields[name] for name in EVENT_FIELDS}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def last_hash(conn: sqlite3.Connection) -> tuple[int, str]:
    """The id and hash of the last event (0 and :data:`GENESIS` when there is none)."""
    row = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append_event(
    conn: sqlite3.Connection,
    *,
    at: str,
    kind: str,
    agency_code: str | None = None,
    from_state: str | None = None,
    action: str | None = None,
    to_state: str | None = None,
    sha256: str | None = None,
    check_run_id: int | None = None,
    version_id: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    data_json: str | None = None,
) -> int:
    """Append one event (inside the caller's write transaction); its id. ``data_json``:
    the data already as its canonical JSON (see :func:`canonical_json_with_list`)
    instead of ``data``."""
    if data is not None and data_json is not None:
        raise ValueError("data or data_json, not both")
    last_id, prev = last_hash(conn)
    fields: dict[str, Any] = {
        "id": last_id + 1,
        "at": at,
        "kind": kind,
        "agency_code": agency_code,
        "from_state": from_state,
        "action": action,
        "to_state": to_state,
        "sha256": sha256,
        "check_run_id": check_run_id,
        "version_id": version_id,
        "reason": reason,
        "data": data_json if data_json is not None else canonical_json(data or {}),
        "prev_hash": prev,
    }
    fields["hash"] = event_hash(fields)
    names = [*EVENT_FIELDS, "hash"]
    conn.execute(
        f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [fields[n] for n in names],
    )
    return int(fields["id"])


def chain_problems(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """Every break of the chain: (event id, what is wrong in Chinese); [] when it holds."""
    problems: list[tuple[int, str]] = []
    prev = GENESIS
    expected_id = 1
    cols = ", ".join([*EVENT_FIELDS, "hash"])
    for row in conn.execute(f"SELECT {cols} FROM events ORDER BY id"):
        fields = dict(zip([*EVENT_FIELDS, "hash"], row, strict=True))
        eid = fields["id"]
        what = f"事件 #{eid}（{fields['kind']}" + (
            f"，单位 {fields['agency_code']}）" if fields["agency_code"] else "）"
        )
        if eid != expected_id:
            problems.append(
                (expected_id, f"事件 #{expected_id} 到 #{eid - 1} 缺失：事件记录被删除")
            )
        if fields["prev_hash"] != prev:
            problems.append(
                (eid, f"{what}记录的前一事件哈希与事件 #{eid - 1} 的哈希不符：事件链断开")
            )
        if event_hash(fields) != fields["hash"]:
            problems.append((eid, f"{what}的内容与其哈希不符：记录在写入后被改动"))
        prev = str(fields["hash"])
        expected_id = eid + 1
    return problems
