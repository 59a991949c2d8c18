"""A collection campaign: its folder, its ledger, its roster with history.

A campaign folder holds ``ledger.sqlite3`` (see :mod:`xlreport.ledger.schema`), the
templates sent out (``templates/``), the files received (``inbox/`` by default), every
file ever ingested (``store/``, under its sha256) and the folders later steps write
(``receipts/``, ``notices/``, ``summary/``). :func:`create_campaign` makes one,
:meth:`Campaign.open` opens one; :func:`update_roster` applies a new roster.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlreport import __version__
from xlreport.errors import UsageError
from xlreport.fsutil import atomic_write_bytes
from xlreport.identity import normal_name
from xlreport.ledger.chain import append_event, canonical_json
from xlreport.ledger.model import RosterChange
from xlreport.ledger.schema import (
    LEDGER_FILE,
    STATE_NONE,
    connect,
    connect_existing,
    migrate,
    write,
)
from xlreport.ledger.store import STORE_DIR, hash_file
from xlreport.roster import Agency, load_roster
from xlreport.spec import Layout, load_layout, resolve_layout
from xlreport.template import (
    agency_identity,
    file_names,
    password_file_for,
    write_password_file,
    write_templates,
)
from xlreport.writer.personalise import Personaliser
from xlreport.years import YEAR_MAX, YEAR_MIN, is_report_year

TEMPLATES_DIR = "templates"
INBOX_DIR = "inbox"
RECEIPTS_DIR = "receipts"
NOTICES_DIR = "notices"
SUMMARY_DIR = "summary"
#: The folders of a campaign, made by :func:`create_campaign`.
FOLDERS = (TEMPLATES_DIR, INBOX_DIR, RECEIPTS_DIR, NOTICES_DIR, SUMMARY_DIR, STORE_DIR)
SPEC_COPY = "layout.toml"
GENERATOR = f"xlreport {__version__}"

Clock = Callable[[], str]


def utc_now() -> str:
    """Now, UTC, ISO 8601 to the microsecond (the order events were recorded in)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class CampaignInfo:
    year: int
    layout_id: str
    layout_version: int
    layout_fingerprint: str
    spec_file: str
    county: str
    deadline: str | None
    grace_days: int
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "layout_id": self.layout_id,
            "layout_version": self.layout_version,
            "layout_fingerprint": self.layout_fingerprint,
            "spec_file": self.spec_file,
            "county": self.county,
            "deadline": self.deadline,
            "grace_days": self.grace_days,
            "created_at": self.created_at,
        }


def agency_fields(a: Agency) -> dict[str, str]:
    """What the ledger keeps of a roster row, as compared and recorded in the history."""
    return {
        "name": a.name,
        "type": a.type,
        "contact": a.contact,
        "phone": a.phone,
        "email": a.email,
    }


class Campaign:
    """An open campaign: its folder, ledger connection, settings and layout."""

    def __init__(self, folder: Path, conn: sqlite3.Connection, clock: Clock) -> None:
        self.dir = folder
        self.conn = conn
        self.clock = clock
        row = conn.execute(
            "SELECT year, layout_id, layout_version, layout_fingerprint, spec_file, county,"
            " deadline, grace_days, created_at FROM campaign WHERE id = 1"
        ).fetchone()
        if row is None:
            raise UsageError(f"{folder} 的台账中没有活动设置（台账不完整）", "请重新创建活动")
        self.info = CampaignInfo(*row)
        self._layout: Layout | None = None

    @classmethod
    def open(cls, folder: str | Path, *, clock: Clock = utc_now) -> Campaign:
        """Open the campaign at ``folder`` (migrating an older ledger after a backup)."""
        where = Path(folder)
        path = where / LEDGER_FILE
        if not path.is_file():
            raise UsageError(
                f"{where} 不是收集活动文件夹（没有 {LEDGER_FILE}）",
                "用 --campaign 指定活动文件夹，或先运行 xlreport campaign init 创建活动",
            )
        try:
            # a ledger without the campaign's tables (emptied, or another database) is
            # damage to report (looked at read-only), never one to build afresh
            with closing(connect_existing(path)) as probe:
                has_tables = probe.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'campaign'"
                ).fetchone()
            if not has_tables:
                raise UsageError(
                    f"台账 {path} 中没有活动的数据（文件是空的或已损坏），未作任何改动",
                    "请从备份恢复台账（活动文件夹中 .bak 结尾的文件），或重新创建活动",
                )
            conn = connect(path)
            migrate(conn, path, clock())
            return cls(where, conn, clock)
        except sqlite3.DatabaseError as e:
            raise UsageError(f"台账 {path} 无法打开：{e}", "请从备份恢复台账") from e

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Campaign:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def layout(self) -> Layout:
        """The campaign's layout (its own copy of a --spec file, or the built-in one);
        refused if it is no longer the layout the campaign was made with."""
        if self._layout is None:
            info = self.info
            if info.spec_file:
                layout = load_layout(self.dir / info.spec_file)
            else:
                layout = resolve_layout(info.layout_id)
            if layout.fingerprint != info.layout_fingerprint:
                raise UsageError(
                    f"活动使用的布局 {info.layout_id} 已与创建活动时不同"
                    f"（指纹 {layout.fingerprint[:12]}…，创建时 {info.layout_fingerprint[:12]}…）",
                    "请用创建活动时的 xlreport 版本或布局文件；已收到的报表按原布局登记",
                )
            self._layout = layout
        return self._layout

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; SQLite's own failures (disk full …) as one Chinese line."""
        try:
            with write(self.conn) as conn:
                yield conn
        except sqlite3.OperationalError as e:
            raise UsageError(
                f"无法写入台账 {self.dir / LEDGER_FILE}：{e}",
                "台账未作改动；请检查磁盘空间和文件夹权限后重试",
            ) from e

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own that reads the ledger as it is now, all of it from one
        moment (one read transaction) however long the reading takes and whatever is
        written meanwhile; for reading only (temporary tables aside); closed afterwards,
        with any temporary table made on it. The caller ends the read (``COMMIT``) once it
        has what it needs, so that the ledger's log can be checkpointed meanwhile."""
        conn = connect_existing(self.dir / LEDGER_FILE, query_only=False)
        try:
            conn.execute("BEGIN")
            yield conn
        finally:
            conn.close()

    def agencies(self) -> list[sqlite3.Row]:
        self.conn.row_factory = sqlite3.Row
        try:
            return list(self.conn.execute("SELECT * FROM agencies ORDER BY seq, code"))
        finally:
            self.conn.row_factory = None

    def template_password(self) -> str:
        return str(
            self.conn.execute("SELECT template_password FROM campaign WHERE id = 1").fetchone()[0]
        )


def _check_settings(year: int, deadline: str | None, grace_days: int) -> str | None:
    if not is_report_year(year):
        raise UsageError(
            f"报告年度 {year} 不合理", f"请填写 {YEAR_MIN} 到 {YEAR_MAX} 之间的年份，如 --year 2024"
        )
    if grace_days < 0:
        raise UsageError(f"--grace-days {grace_days} 不能是负数", "宽限天数应为 0 或正整数")
    if deadline is None or not deadline.strip():
        return None
    try:
        return dt.date.fromisoformat(deadline.strip()).isoformat()
    except ValueError as e:
        raise UsageError(
            f"截止日期“{deadline}”不是有效的日期", "请写成 年-月-日，如 --deadline 2025-01-20"
        ) from e


def create_campaign(
    folder: str | Path,
    *,
    year: int,
    roster: str | Path,
    format_id: str | None = None,
    spec: str | Path | None = None,
    county: str = "",
    deadline: str | None = None,
    grace_days: int = 0,
    password: str | None = None,
    clock: Clock = utc_now,
) -> tuple[Campaign, list[str]]:
    """Make the campaign folder ``folder`` (which must not exist, or be empty): ledger,
    templates for every roster agency, and the empty folders. Built beside ``folder``
    and renamed into place at the end, so a failure leaves nothing half-made. Returns the
    open campaign and what reading the roster normalised."""
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"活动文件夹 {target} 已存在且不是空文件夹；为免覆盖，未写入任何文件",
            "请指定一个新的（或空的）文件夹",
        )
    day = _check_settings(year, deadline, grace_days)
    layout = resolve_layout(format_id, spec)
    notes: list[str] = []
    agencies = load_roster(roster, notes=notes)
    county = county.strip()
    password = password or secrets.token_urlsafe(9)
    roster_sha = hash_file(Path(roster))[0]
    parent = target.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
    try:
        for sub in FOLDERS:
            (building / sub).mkdir()
        spec_file = ""
        if spec is not None:
            spec_file = SPEC_COPY
            atomic_write_bytes(building / SPEC_COPY, Path(spec).read_bytes())
        write_templates(
            layout,
            year,
            building / TEMPLATES_DIR,
            roster=agencies,
            county=county,
            password=password,
        )
        write_password_file(password_file_for(building / TEMPLATES_DIR), layout, year, password)
        ledger = building / LEDGER_FILE
        conn = connect(ledger)
        try:
            now = clock()
            migrate(conn, ledger, now)
            with write(conn):
                conn.execute(
                    "INSERT INTO campaign (id, year, layout_id, layout_version, layout_fingerprint,"
                    " spec_file, county, deadline, grace_days, template_password, created_at,"
                    " generator) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        year,
                        layout.id,
                        layout.version,
                        layout.fingerprint,
                        spec_file,
                        county,
                        day,
                        grace_days,
                        password,
                        now,
                        GENERATOR,
                    ),
                )
                append_event(
                    conn,
                    at=now,
                    kind="campaign-created",
                    data={
                        "year": year,
                        "layout_id": layout.id,
                        "layout_fingerprint": layout.fingerprint,
                        "county": county,
                        "deadline": day,
                        "grace_days": grace_days,
                        "roster_sha256": roster_sha,
                        "generator": GENERATOR,
                    },
                )
                for seq, a in enumerate(agencies):
                    _add_agency(conn, a, seq, roster_sha, now)
        finally:
            conn.close()
        if target.exists():
            target.rmdir()  # empty (checked above)
        os.replace(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Campaign.open(target, clock=clock), notes


def _history(
    conn: sqlite3.Connection,
    code: str,
    change: str,
    old: dict[str, str],
    new: dict[str, str],
    roster_sha: str,
    now: str,
) -> None:
    conn.execute(
        "INSERT INTO agency_history (code, change, old, new, roster_sha256, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (code, change, canonical_json(old), canonical_json(new), roster_sha, now),
    )
    append_event(
        conn,
        at=now,
        kind=f"agency-{change}",
        agency_code=code,
        data={"old": old, "new": new, "roster_sha256": roster_sha},
    )


def _add_agency(conn: sqlite3.Connection, a: Agency, seq: int, roster_sha: str, now: str) -> None:
    conn.execute(
        "INSERT INTO agencies (code, name, type, contact, phone, email, seq, added_at, state)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (a.code, a.name, a.type, a.contact, a.phone, a.email, seq, now, STATE_NONE),
    )
    _history(conn, a.code, "added", {}, agency_fields(a), roster_sha, now)


def historical_names(conn: sqlite3.Connection, code: str) -> set[str]:
    """Every name ``code`` has had in the campaign's rosters (compared by
    :func:`~xlreport.identity.normal_name`)."""
    names: set[str] = set()
    for old, new in conn.execute("SELECT old, new FROM agency_history WHERE code = ?", (code,)):
        for text in (old, new):
            name = json.loads(text).get("name")
            if name:
                names.add(normal_name(name))
    return names


_LISTED = "xlreport_roster_listed"  # a temporary table of update_roster


def update_roster(camp: Campaign, roster: str | Path) -> tuple[list[RosterChange], list[str]]:
    """Apply a new roster: agencies added, renamed (or their details changed), withdrawn
    (missing from the new roster), restored (back again). Nothing is deleted: every change
    is a history row and an event. Templates are written for the agencies added or
    renamed. Returns the changes and what reading the roster normalised."""
    notes: list[str] = []
    agencies = load_roster(roster, notes=notes)
    roster_sha = hash_file(Path(roster))[0]
    changes: list[RosterChange] = []
    fresh: list[Agency] = []
    with camp.writing() as conn:
        now = camp.clock()
        # the codes on the new roster, in a temporary table: each agency is looked up in
        # the ledger as it comes (a roster of 100,000 is not held twice in memory)
        conn.execute(f"DROP TABLE IF EXISTS temp.{_LISTED}")
        conn.execute(f"CREATE TEMP TABLE {_LISTED} (code TEXT PRIMARY KEY)")
        for seq, a in enumerate(agencies):
            conn.execute(f"INSERT OR IGNORE INTO temp.{_LISTED} VALUES (?)", (a.code,))
            new = agency_fields(a)
            row = conn.execute(
                "SELECT name, type, contact, phone, email, withdrawn FROM agencies WHERE code = ?",
                (a.code,),
            ).fetchone()
            if row is None:
                _add_agency(conn, a, seq, roster_sha, now)
                changes.append(RosterChange(a.code, "added", {}, new))
                fresh.append(a)
                continue
            values, withdrawn = row[:5], bool(row[5])
            old = dict(zip(("name", "type", "contact", "phone", "email"), values, strict=True))
            conn.execute(
                "UPDATE agencies SET name = ?, type = ?, contact = ?, phone = ?, email = ?,"
                " seq = ?, withdrawn = 0 WHERE code = ?",
                (a.name, a.type, a.contact, a.phone, a.email, seq, a.code),
            )
            if withdrawn:
                _history(conn, a.code, "restored", old, new, roster_sha, now)
                changes.append(RosterChange(a.code, "restored", old, new))
            if old["name"] != a.name:
                _history(conn, a.code, "renamed", old, new, roster_sha, now)
                changes.append(RosterChange(a.code, "renamed", old, new))
                fresh.append(a)
            elif old != new and not withdrawn:
                _history(conn, a.code, "details", old, new, roster_sha, now)
                changes.append(RosterChange(a.code, "details", old, new))
        gone = conn.execute(
            "SELECT code, name, type, contact, phone, email FROM agencies WHERE withdrawn = 0"
            f" AND code NOT IN (SELECT code FROM temp.{_LISTED})"
        ).fetchall()  # read before they change
        conn.execute(f"DROP TABLE temp.{_LISTED}")
        for code, *values in gone:
            old = dict(zip(("name", "type", "contact", "phone", "email"), values, strict=True))
            conn.execute("UPDATE agencies SET withdrawn = 1 WHERE code = ?", (code,))
            _history(conn, code, "withdrawn", old, old, roster_sha, now)
            changes.append(RosterChange(code, "withdrawn", old, old))
    if fresh:
        write_new_templates(camp, agencies, fresh)
    return changes, notes


def write_new_templates(camp: Campaign, roster: Sequence[Agency], which: Sequence[Agency]) -> None:
    """The templates of ``which`` (agencies of ``roster``) into the campaign's templates/
    (named as :func:`~xlreport.template.write_templates` names them for the whole roster)."""
    layout, info = camp.layout, camp.info
    wanted = {a.code for a in which}
    every = file_names(layout, info.year, list(roster))  # names are unique across the roster
    names = {a.code: n for a, n in zip(roster, every, strict=True) if a.code in wanted}
    del every
    maker = Personaliser(layout, password=camp.template_password())
    for a in which:
        data = maker.build(agency_identity(layout, info.year, a, county=info.county))
        atomic_write_bytes(camp.dir / TEMPLATES_DIR / names[a.code], data)
