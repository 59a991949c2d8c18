"""The ledger file: one SQLite database per campaign, its schema, versions and migrations.

Opened with WAL (readers never block the writer), foreign keys on and a busy timeout
(a second process waits for the first instead of failing). Every write runs in one
``BEGIN IMMEDIATE`` transaction (:func:`write`): a process killed at any moment leaves
the ledger as it was before or after that transaction, never between.

The schema has a number (``PRAGMA user_version`` and the ``schema_migrations`` table).
A ledger written by a newer xlreport is refused; an older one is copied aside
(``ledger.sqlite3.v<N>.bak``) and migrated forward by :data:`MIGRATIONS`, one step per
version, each in its own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from xlreport.errors import UsageError

LEDGER_FILE = "ledger.sqlite3"
#: The schema this xlreport writes. Raise it with a new entry in :data:`MIGRATIONS`.
SCHEMA_VERSION = 2
#: Seconds a process waits for another one's write transaction before giving up.
BUSY_TIMEOUT_S = 60.0

#: The agency states (the order the board lists them in).
STATE_NONE = "未报"
STATE_PENDING = "已报（待审核）"
STATE_FIX = "需修改"
STATE_APPROVED = "已通过"
STATE_RETURNED = "退回"
STATES = (STATE_NONE, STATE_PENDING, STATE_FIX, STATE_APPROVED, STATE_RETURNED)

#: What moves an agency from one state to the next. ``submit-clean``: a new version with
#: no blocking finding; ``submit-errors``: a new version with errors. Anything not listed
#: is not allowed (the events table refers to this table, so SQLite refuses it too).
TRANSITIONS: tuple[tuple[str, str, str], ...] = (
    (STATE_NONE, "submit-clean", STATE_PENDING),
    (STATE_NONE, "submit-errors", STATE_FIX),
    (STATE_PENDING, "submit-clean", STATE_PENDING),
    (STATE_PENDING, "submit-errors", STATE_FIX),
    (STATE_PENDING, "approve", STATE_APPROVED),
    (STATE_PENDING, "return", STATE_RETURNED),
    (STATE_FIX, "submit-clean", STATE_PENDING),
    (STATE_FIX, "submit-errors", STATE_FIX),
    (STATE_FIX, "return", STATE_RETURNED),
    (STATE_RETURNED, "submit-clean", STATE_PENDING),
    (STATE_RETURNED, "submit-errors", STATE_FIX),
    (STATE_APPROVED, "unapprove", STATE_PENDING),
    # a new version after approval: the approved one is no longer current
    (STATE_APPROVED, "submit-clean", STATE_PENDING),
    (STATE_APPROVED, "submit-errors", STATE_FIX),
)
#: Actions the clerk must give a reason for.
REASON_REQUIRED = frozenset({"return", "unapprove"})

_SCHEMA_V1 = """
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE campaign (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    year INTEGER NOT NULL,
    layout_id TEXT NOT NULL,
    layout_version INTEGER NOT NULL,
    layout_fingerprint TEXT NOT NULL,
    spec_file TEXT NOT NULL DEFAULT '',   -- relative to the campaign folder, '' for a built-in
    county TEXT NOT NULL DEFAULT '',
    deadline TEXT,                        -- ISO date, NULL when none
    grace_days INTEGER NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
    template_password TEXT NOT NULL,
    created_at TEXT NOT NULL,
    generator TEXT NOT NULL
);
CREATE TABLE transitions (
    from_state TEXT NOT NULL,
    action TEXT NOT NULL,
    to_state TEXT NOT NULL,
    PRIMARY KEY (from_state, action),
    UNIQUE (from_state, action, to_state)
);
CREATE TABLE agencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL,                 -- position in the latest roster
    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    added_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '未报',    -- current state (the events say how it came)
    current_version INTEGER REFERENCES versions(id),
    receipts_issued INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE agency_history (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL REFERENCES agencies(code),
    change TEXT NOT NULL CHECK (change IN ('added', 'renamed', 'withdrawn', 'restored', 'details')),
    old TEXT NOT NULL,                    -- canonical JSON of the fields before
    new TEXT NOT NULL,                    -- canonical JSON of the fields after
    roster_sha256 TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE check_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    generator TEXT NOT NULL,
    layout_fingerprint TEXT NOT NULL,
    options TEXT NOT NULL                 -- canonical JSON of the check options
);
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    original_name TEXT NOT NULL,          -- of the first arrival
    size INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    source_path TEXT NOT NULL,
    stored_path TEXT NOT NULL,            -- relative to the campaign folder
    check_run_id INTEGER NOT NULL REFERENCES check_runs(id),
    agency_code TEXT NOT NULL DEFAULT '', -- as the file says (may be no roster agency)
    agency_name TEXT NOT NULL DEFAULT '',
    year INTEGER,
    layout_id TEXT NOT NULL DEFAULT '',
    unreadable INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0,
    identity TEXT NOT NULL DEFAULT '{}',  -- canonical JSON of the identity
    signoff TEXT NOT NULL DEFAULT '{}',
    saved_at TEXT NOT NULL DEFAULT '',
    blank_cells INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE arrivals (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    source_path TEXT NOT NULL,
    original_name TEXT NOT NULL,
    source_mtime REAL NOT NULL,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('version', 'duplicate', 'unchanged', 'refused')),
    code TEXT NOT NULL,                   -- campaign-* result code
    message TEXT NOT NULL,
    agency_code TEXT REFERENCES agencies(code),  -- the roster agency, when there is one
    version_id INTEGER REFERENCES versions(id),
    UNIQUE (sha256, source_path)
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    agency_code TEXT NOT NULL REFERENCES agencies(code),
    round INTEGER NOT NULL CHECK (round >= 1),
    sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
    check_run_id INTEGER NOT NULL REFERENCES check_runs(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('ok', 'warning', 'error')),
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    values_sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (agency_code, round)
);
CREATE TABLE findings (
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    sheet TEXT NOT NULL,
    cell TEXT NOT NULL,
    row_label TEXT NOT NULL,
    col_label TEXT NOT NULL,
    expected TEXT NOT NULL,
    found TEXT NOT NULL,
    hint TEXT NOT NULL,
    rule TEXT NOT NULL,
    cause TEXT NOT NULL DEFAULT '',       -- the one mistake several findings share, or ''
    at TEXT NOT NULL DEFAULT '',          -- JSON [sheet, row, col] of the template cell, or ''
    PRIMARY KEY (sha256, seq)
) WITHOUT ROWID;
CREATE TABLE "values" (
    sha256 TEXT PRIMARY KEY REFERENCES files(sha256),
    layout_fingerprint TEXT NOT NULL,
    packed TEXT NOT NULL                  -- JSON array in layout input order: int, "decimal", null
) WITHOUT ROWID;
CREATE TABLE receipts (
    number TEXT PRIMARY KEY,              -- <year>-<agency code>-<seq, 3 digits>
    agency_code TEXT NOT NULL REFERENCES agencies(code),
    seq INTEGER NOT NULL,
    arrival_id INTEGER NOT NULL UNIQUE REFERENCES arrivals(id),
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    issued_at TEXT NOT NULL,
    UNIQUE (agency_code, seq)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    agency_code TEXT REFERENCES agencies(code),
    from_state TEXT,
    action TEXT,
    to_state TEXT,
    sha256 TEXT REFERENCES files(sha256),
    check_run_id INTEGER REFERENCES check_runs(id),
    version_id INTEGER REFERENCES versions(id),
    reason TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}',      -- canonical JSON
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    FOREIGN KEY (from_state, action, to_state)
        REFERENCES transitions(from_state, action, to_state)
);
CREATE INDEX events_agency ON events(agency_code);
CREATE INDEX arrivals_agency ON arrivals(agency_code);
CREATE INDEX versions_agency ON versions(agency_code);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER approve_only_clean BEFORE INSERT ON events
WHEN NEW.to_state = '已通过'
    AND (NEW.version_id IS NULL
         OR (SELECT errors FROM versions WHERE id = NEW.version_id) != 0)
BEGIN SELECT RAISE(ABORT, 'approval needs a version without errors'); END;
"""

Migration = Callable[[sqlite3.Connection], None]


def _create_v1(conn: sqlite3.Connection) -> None:
    for stmt in _statements(_SCHEMA_V1):
        conn.execute(stmt)
    conn.executemany(
        "INSERT INTO transitions (from_state, action, to_state) VALUES (?, ?, ?)", TRANSITIONS
    )


def _statements(script: str) -> list[str]:
    """``script`` split into statements (a trigger's body keeps its own semicolons)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


#: Version 2: the agencies' upload links (``xlreport campaign links``, ``xlreport serve``).
#: Only a token's sha256 is kept; an agency has at most one link in force.
_SCHEMA_V2 = """
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    agency_code TEXT NOT NULL REFERENCES agencies(code),
    token_sha256 TEXT NOT NULL UNIQUE,
    issued_at TEXT NOT NULL,
    expires_on TEXT NOT NULL,             -- ISO date, the last day the link works
    revoked_at TEXT,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX links_agency ON links(agency_code);
"""


def _create_v2(conn: sqlite3.Connection) -> None:
    for stmt in _statements(_SCHEMA_V2):
        conn.execute(stmt)


#: version → (description, the step from version - 1). Version 1 creates the schema.
MIGRATIONS: dict[int, tuple[str, Migration]] = {
    1: ("初始结构：活动、单位、文件、版本、检查结果、数值、回执、事件链", _create_v1),
    2: ("上传链接：各单位的上传网址（只存令牌的散列值）", _create_v2),
}


def connect_existing(
    path: Path, *, query_only: bool = True, check_same_thread: bool = True
) -> sqlite3.Connection:
    """A connection to the ledger at ``path`` that only reads: refused when there is no
    such file (never a new empty ledger); ``query_only``: SQLite refuses any write on it
    (without it the caller reads only by use — temporary tables need that). A plain path,
    not a ``file:`` URI: a ledger on a Windows share (``\\server\\share``) opens as any
    other."""
    if not Path(path).is_file():
        raise sqlite3.OperationalError(f"unable to open database file: {path}")
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=check_same_thread
    )
    if query_only:
        conn.execute("PRAGMA query_only = ON")
    return conn


def connect(path: Path) -> sqlite3.Connection:
    """A connection with WAL, foreign keys and the busy timeout; autocommit mode (every
    write goes through :func:`write`)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE``: the write lock is taken at once, so two
    processes never both read, decide, and then fail to write); rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path, now: str, *, target: int = SCHEMA_VERSION) -> int:
    """Bring the ledger at ``path`` to ``target``; a newer one is refused. Before migrating
    an existing ledger, a backup copy is written beside it. Returns the version found."""
    found = schema_version(conn)
    if found > target:
        raise UsageError(
            f"台账 {path} 由更新版本的 xlreport 创建（结构版本 {found}，本程序支持到 {target}）",
            "请升级 xlreport 后再打开这个活动；台账未作任何改动",
        )
    if found == target:
        return found
    if found > 0:
        backup = path.with_name(f"{path.name}.v{found}.bak")
        if not backup.exists():
            dest = sqlite3.connect(backup)
            try:
                conn.backup(dest)
            finally:
                dest.close()
    for version in range(found + 1, target + 1):
        description, step = MIGRATIONS[version]
        with write(conn):
            if schema_version(conn) >= version:  # another process migrated meanwhile
                continue
            step(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                (version, description, now),
            )
            conn.execute(f"PRAGMA user_version = {version}")
    return found
