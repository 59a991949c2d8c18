"""Reading the ledger back: what later steps (receipts, notices, the board, the summary,
the web pages) need of a file, a version or an agency, as xlreport's own objects."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from xlreport.batch.packed import CompactValues, Packed
from xlreport.checks.model import ReturnData
from xlreport.codes import FindingCode
from xlreport.findings import Finding, Severity
from xlreport.identity import Identity
from xlreport.ledger.campaign import Campaign
from xlreport.ledger.events import event_text
from xlreport.ledger.ingest import unpack_json
from xlreport.spec.model import Layout


@dataclass(frozen=True)
class Version:
    id: int
    agency_code: str
    round: int
    sha256: str
    check_run_id: int
    verdict: str  # ok | warning | error
    errors: int
    warnings: int
    values_sha256: str
    received_at: str
    original_name: str
    stored_path: str  # relative to the campaign folder

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_VERSION_SQL = (
    "SELECT v.id, v.agency_code, v.round, v.sha256, v.check_run_id, v.verdict, v.errors,"
    " v.warnings, v.values_sha256, v.received_at, f.original_name, f.stored_path"
    " FROM versions v JOIN files f ON f.sha256 = v.sha256"
)


def versions_of(conn: sqlite3.Connection, code: str) -> list[Version]:
    """Every version of agency ``code``, first round first."""
    rows = conn.execute(_VERSION_SQL + " WHERE v.agency_code = ? ORDER BY v.round", (code,))
    return [Version(*r) for r in rows]


def current_versions(conn: sqlite3.Connection) -> dict[str, Version]:
    """Agency code → its current version, for every agency that has one."""
    rows = conn.execute(
        _VERSION_SQL + " JOIN agencies a ON a.current_version = v.id ORDER BY a.seq, a.code"
    )
    return {r[1]: Version(*r) for r in rows}


def current_of_agencies(
    conn: sqlite3.Connection,
) -> Iterator[tuple[str, str, str, int, int, str, str, str]]:
    """For every agency not withdrawn that has a current version, in roster order: code,
    name, state, and the version's id, round, sha256, received time and original file
    name — one statement, plain tuples read as they are used (a province's merge reads
    100,000 of them)."""
    return conn.execute(
        "SELECT a.code, a.name, a.state, v.id, v.round, v.sha256, v.received_at, f.original_name"
        " FROM agencies a JOIN versions v ON v.id = a.current_version"
        " JOIN files f ON f.sha256 = v.sha256"
        " WHERE a.withdrawn = 0 ORDER BY a.seq, a.code"
    )


def findings_of(conn: sqlite3.Connection, sha256: str) -> list[Finding]:
    """The findings recorded for the file ``sha256``, in the order the check gave them
    (``file``: the file's original name)."""
    return findings_of_files(conn, [sha256])[sha256]


#: Files asked for in one statement (well under SQLite's limit on parameters).
_CHUNK = 500


def file_chunks(shas: Sequence[str]) -> Iterator[tuple[list[str], str]]:
    """The distinct ``shas`` a few hundred at a time, each with its ``?,?,…`` list for
    ``IN (…)``."""
    unique = list(dict.fromkeys(shas))
    for i in range(0, len(unique), _CHUNK):
        chunk = unique[i : i + _CHUNK]
        yield chunk, ",".join("?" * len(chunk))


def findings_of_files(conn: sqlite3.Connection, shas: Sequence[str]) -> dict[str, list[Finding]]:
    """:func:`findings_of` for each of the files ``shas``, a few statements for them all."""
    out: dict[str, list[Finding]] = {sha: [] for sha in shas}
    for chunk, marks in file_chunks(shas):
        names = dict(
            conn.execute(
                f"SELECT sha256, original_name FROM files WHERE sha256 IN ({marks})", chunk
            ).fetchall()
        )
        rows = conn.execute(
            "SELECT sha256, code, severity, message, sheet, cell, row_label, col_label,"
            " expected, found, hint, rule, cause, at FROM findings"
            f" WHERE sha256 IN ({marks}) ORDER BY sha256, seq",
            chunk,
        )
        for row in rows:
            at = json.loads(row[13]) if row[13] else None
            out[row[0]].append(
                Finding(
                    code=cast(FindingCode, row[1]),
                    severity=cast(Severity, row[2]),
                    message=row[3],
                    file=names.get(row[0], ""),
                    sheet=row[4],
                    cell=row[5],
                    row_label=row[6],
                    col_label=row[7],
                    expected=row[8],
                    found=row[9],
                    hint=row[10],
                    rule=row[11],
                    cause=row[12],
                    at=(str(at[0]), int(at[1]), int(at[2])) if at else None,
                )
            )
    return out


def values_of(camp: Campaign, sha256: str) -> CompactValues | None:
    """The input values recorded for the file ``sha256`` (None for a file without values),
    as the mapping checks and merge read (exact: nothing rounded)."""
    row = camp.conn.execute(
        'SELECT layout_fingerprint, packed FROM "values" WHERE sha256 = ?', (sha256,)
    ).fetchone()
    return None if row is None else values_from_row(camp.layout, row[0], row[1])


def values_from_row(layout: Layout, fingerprint: str, packed: str | None) -> CompactValues | None:
    """The values of a ``"values"`` row (None: none recorded, or another layout's file —
    a refused one, not this campaign's values)."""
    values = packed_from_row(layout, fingerprint, packed)
    return None if values is None else CompactValues(layout, values)


def packed_from_row(layout: Layout, fingerprint: str, packed: str | None) -> Packed | None:
    """:func:`values_from_row` as the packed tuple."""
    if packed is None or fingerprint != layout.fingerprint:
        return None
    return unpack_json(packed)


def identity_of(conn: sqlite3.Connection, sha256: str) -> Identity | None:
    """The identity the file ``sha256`` carried (None for an unreadable file)."""
    row = conn.execute("SELECT identity FROM files WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else identity_from_json(row[0])


#: Identity fields most files share (one string each, not one per file, in a province's merge).
_SHARED_FIELDS = frozenset({"layout_id", "layout_fingerprint", "agency_type", "kind", "county"})


def identity_from_json(text: str) -> Identity | None:
    """An identity as the ledger records it (``{}``: none, an unreadable file)."""
    if text == "{}":
        return None
    fields: dict[str, Any] = {
        k: sys.intern(v) if k in _SHARED_FIELDS and type(v) is str else v
        for k, v in json.loads(text).items()
    }
    fields["contributors"] = tuple(fields.get("contributors", ()))
    return Identity(**fields)


def events_of(conn: sqlite3.Connection, code: str) -> list[dict[str, Any]]:
    """Every event of agency ``code``, oldest first, as plain records (``text``: the event
    in Chinese, see :func:`~xlreport.ledger.events.event_text`)."""
    conn_rows = conn.execute(
        "SELECT id, at, kind, from_state, action, to_state, sha256, check_run_id, version_id,"
        " reason, data FROM events WHERE agency_code = ? ORDER BY id",
        (code,),
    )
    names = (
        "id", "at", "kind", "from_state", "action", "to_state", "sha256", "check_run_id",
        "version_id", "reason", "data",
    )  # fmt: skip
    out = []
    for row in conn_rows:
        rec = dict(zip(names, row, strict=True))
        rec["data"] = json.loads(rec["data"])
        rec["text"] = event_text(rec["kind"], rec["action"])
        out.append(rec)
    return out


def receipt(conn: sqlite3.Connection, number: str) -> dict[str, Any] | None:
    """What receipt ``number`` was given for (None: no such receipt in this ledger)."""
    row = conn.execute(
        "SELECT r.number, r.agency_code, r.seq, r.sha256, r.issued_at, a.original_name,"
        " a.received_at, a.outcome, a.code, a.message, v.round, v.verdict, v.errors, v.warnings"
        " FROM receipts r JOIN arrivals a ON a.id = r.arrival_id"
        " LEFT JOIN versions v ON v.id = a.version_id WHERE r.number = ?",
        (number,),
    ).fetchone()
    if row is None:
        return None
    names = (
        "number", "agency_code", "seq", "sha256", "issued_at", "original_name", "received_at",
        "outcome", "code", "message", "round", "verdict", "errors", "warnings",
    )  # fmt: skip
    return dict(zip(names, row, strict=True))


def return_data_of(camp: Campaign, sha256: str) -> ReturnData | None:
    """The checked return ``sha256`` as :class:`~xlreport.checks.model.ReturnData` (what
    merge reads), rebuilt from the ledger without reading the file: identity, values,
    sign-off, saved time, the source's modification time, blank cells; ``path`` is the
    source path of its first arrival. None for a file without values of this layout."""
    values = values_of(camp, sha256)
    identity = identity_of(camp.conn, sha256)
    row = camp.conn.execute(
        "SELECT f.signoff, f.saved_at, f.blank_cells, a.source_path, a.source_mtime"
        " FROM files f JOIN arrivals a ON a.sha256 = f.sha256 WHERE f.sha256 = ?"
        " ORDER BY a.id LIMIT 1",
        (sha256,),
    ).fetchone()
    if values is None or identity is None or row is None:
        return None
    return ReturnData(
        path=row[3],
        sha256=sha256,
        layout=camp.layout,
        identity=identity,
        values=values,
        totals={},
        signoff=json.loads(row[0]),
        saved_at=row[1],
        file_mtime=float(row[4]),
        blank_cells=int(row[2]),
    )
