"""``campaign ingest``: every file received, stored under its hash, checked once, recorded.

Three phases, so that a crash or a full disk never leaves a half record:

1. every file named (or found in the inbox) is hashed; a file already ingested from the
   same place is left alone (``already``), the same bytes from elsewhere are a duplicate;
2. each new file is copied into the store (atomic; the original is only read) — a
   failure here (disk full, store not writable) stops the ingest before anything is
   recorded, with one Chinese line;
3. the stored copies are checked (on every core) and each file is recorded in its own
   ``BEGIN IMMEDIATE`` transaction: file, findings, values, the agency's new version and
   state, its receipt number, the events. The transaction reads the ledger afresh, so
   two processes ingesting the same folder record each file once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from xlreport.batch.check import iter_checked, worker_count
from xlreport.batch.discover import discover
from xlreport.batch.packed import Packed, packed_of
from xlreport.batch.spill import SpilledList
from xlreport.checks.catalogue import CATALOGUE
from xlreport.checks.model import CheckedFile
from xlreport.codes import FindingCode
from xlreport.errors import UsageError
from xlreport.findings import Finding
from xlreport.identity import Identity, normal_name
from xlreport.ledger.campaign import (
    GENERATOR,
    INBOX_DIR,
    NOTICES_DIR,
    RECEIPTS_DIR,
    SUMMARY_DIR,
    TEMPLATES_DIR,
    Campaign,
    historical_names,
)
from xlreport.ledger.chain import append_event, canonical_json
from xlreport.ledger.model import IngestItem, IngestReport
from xlreport.ledger.roster_lookup import campaign_check_options
from xlreport.ledger.schema import STATE_NONE, TRANSITIONS
from xlreport.ledger.store import (
    STORE_DIR,
    SourceChangedError,
    hash_file,
    store_copy,
    stored_name,
)
from xlreport.mapped_view import MappedView
from xlreport.safetext import printable

_NEXT = {(f, a): t for f, a, t in TRANSITIONS}
#: Findings of the check that mean "not a file of this campaign", as refusal codes.
_REFUSING: dict[str, FindingCode] = {
    "layout-mismatch": "campaign-wrong-layout",
    "layout-version-mismatch": "campaign-wrong-layout",
    "unknown-layout": "campaign-wrong-layout",
    "year-mismatch": "campaign-wrong-year",
    "county-mismatch": "campaign-wrong-county",
    "agency-not-in-roster": "campaign-unknown-agency",
}
#: Files recorded per transaction (each file whole; a crash loses at most the batch, which
#: the next ingest records).
BATCH = 16
#: Threads copying files into the store, and the files given to them at a time.
COPY_THREADS = 4
STORE_SLICE = 256
#: The campaign's own folders: what is in them is never ingested as a return.
OWN_FOLDERS = (TEMPLATES_DIR, STORE_DIR, RECEIPTS_DIR, NOTICES_DIR, SUMMARY_DIR)
_VERDICT_ZH = {"ok": "通过", "warning": "有警告", "error": "有错误"}


@dataclass(slots=True)
class _Source:
    """A file to ingest; its path kept as text (a campaign may receive 100,000 files)."""

    source: str  # the absolute path, as recorded
    shown: str
    sha256: str
    size: int
    mtime: float

    @property
    def stored(self) -> str:
        """Where it is kept in the store (relative to the campaign folder)."""
        return stored_name(self.sha256, self.name)

    @property
    def path(self) -> Path:
        return Path(self.source)

    @property
    def name(self) -> str:
        return os.path.basename(self.source)


def _source_of(s: _Source) -> str:
    return s.source


def _pack_json(packed: Packed) -> str:
    """The packed values as JSON: an int as a number, a Decimal as its exact text, None as
    null (Decimals reach ``default``: json knows ints and None itself)."""
    return json.dumps(packed, separators=(",", ":"), default=str)


def unpack_json(text: str) -> Packed:
    """The packed values as stored (see :func:`_pack_json`) back as a packed tuple."""
    values = json.loads(text)
    if '"' not in text:  # no Decimal among them (most returns): ints and None as read
        return tuple(values)
    return tuple(Decimal(v) if type(v) is str else v for v in values)


def _inside(path: Path, folders: Sequence[Path]) -> bool:
    """Whether ``path`` is in one of ``folders`` (resolved)."""
    try:
        real = path.resolve()
    except OSError:
        return False
    return any(real.is_relative_to(f) for f in folders)


def ingest(
    camp: Campaign,
    paths: Sequence[str | Path] = (),
    *,
    workers: int | None = None,
    recorded: Callable[[Sequence[IngestItem]], None] | None = None,
    sender: str | None = None,
) -> IngestReport:
    """Ingest ``paths`` (files or folders; default the campaign's inbox). ``recorded`` is
    called with the items of each committed transaction of new files, while the workers
    go on checking (the receipt documents are written there): every item given a receipt
    reaches it exactly once (duplicates and files already ingested get none). ``sender``:
    the agency the files came from (an upload through its link): a file whose identity —
    as the check recognised it, in the transaction that records it — names another agency,
    or none, is refused (``serve-other-agency`` / ``serve-no-identity``), its receipt the
    sender's."""
    report = IngestReport()
    todo = list(paths) or [camp.dir / INBOX_DIR]
    own = [(camp.dir / d).resolve() for d in OWN_FOLDERS]
    # the files found wait in temporary files, not in memory (an inbox of 100,000)
    sources: SpilledList[_Source] = SpilledList()
    for f in discover(todo):
        path = f.path
        if f.skip or _inside(path, own):
            why = f.skip or "活动自己的文件（模板、存档、回执、通知或汇总），不是收到的报表"
            report.add(IngestItem(f.shown, "skipped", None, f"未导入：{why}。"))
            continue
        if f.problem:  # a broken link, a name that is no text …: never opened, not recorded
            report.add(IngestItem(f.shown, "unreadable", f.code, f"{f.problem}未登记。"))
            continue
        try:
            st = path.stat()
            sha, size = hash_file(path)
        except OSError as e:
            msg = f.problem or f"无法读取 {printable(f.shown)}（{e.strerror or e}），未登记。"
            report.add(IngestItem(f.shown, "unreadable", "campaign-source-unreadable", msg))
            continue
        sources.append(_Source(str(path.absolute()), f.shown, sha, size, st.st_mtime))

    conn = camp.conn
    known_pairs = {
        (r[0], r[1]): r[2:]
        for r in conn.execute(
            "SELECT sha256, source_path, outcome, received_at, COALESCE(agency_code, '')"
            " FROM arrivals"
        )
    }
    # hashes as their 32 bytes, half the memory of their text
    known_files = {bytes.fromhex(s) for (s,) in conn.execute("SELECT sha256 FROM files")}
    new: SpilledList[_Source] = SpilledList()
    later: SpilledList[_Source] = SpilledList()  # the same bytes as a file recorded or to be
    seen: set[bytes] = set()
    for s in sources:
        known = known_pairs.get((s.sha256, s.source))
        digest = bytes.fromhex(s.sha256)
        if known is not None:
            report.add(_already(conn, s, known))
        elif digest in known_files or digest in seen:
            later.append(s)
        else:
            seen.add(digest)
            new.append(s)
    del sources, known_pairs, known_files, seen

    if new:
        # the workers check the originals while this process stores them: a result counts
        # only if the bytes checked have the hash of the bytes stored
        with (
            campaign_check_options(camp) as options,
            closing(
                iter_checked(MappedView(new, _source_of), options, worker_count(workers), "check")
            ) as checked,
        ):
            first = next(checked)  # the workers have started
            changed = _store_all(camp, new)
            run_id = report.check_run_id = _new_check_run(camp)
            batch: list[tuple[_Source, CheckedFile]] = []
            results = itertools.chain([first], checked)
            for i, (s, result) in enumerate(zip(new, results, strict=True), 1):
                data = result.data
                if s.sha256 in changed or (data is not None and data.sha256 != s.sha256):
                    report.add(_changed(s))
                else:
                    batch.append((s, result))
                if len(batch) >= BATCH or (i == len(new) and batch):
                    with camp.writing() as conn:  # whole files only, a few per transaction
                        items = [_record_tx(camp, conn, *b, run_id, sender) for b in batch]
                    report.extend(items)
                    batch.clear()
                    if recorded is not None:
                        recorded(items)
    for s in later:
        report.add(_record_duplicate(camp, s))
    return report


def _changed(s: _Source) -> IngestItem:
    return IngestItem(
        s.shown,
        "unreadable",
        "campaign-source-changed",
        f"{printable(s.shown)} 在导入过程中被改动，未登记；请保存完毕后重新导入。",
        sha256=s.sha256,
    )


def _store_all(camp: Campaign, new: Sequence[_Source]) -> set[str]:
    """Copy every new file into the store; the hashes of those whose source changed
    meanwhile. A failure to write (disk full, store not writable) stops the ingest before
    anything is recorded: one Chinese line."""
    changed: set[str] = set()
    # threads: the copies wait for the disk (fsync) side by side; started after the check
    # workers, so no process is forked while they run
    # (a slice at a time: a future per file of 100,000 would hold hundreds of megabytes)
    with ThreadPoolExecutor(COPY_THREADS) as pool:
        for start in range(0, len(new), STORE_SLICE):
            part = new[start : start + STORE_SLICE]
            done = [pool.submit(store_copy, s.path, camp.dir, s.stored, s.sha256) for s in part]
            for s, future in zip(part, done, strict=True):
                try:
                    future.result()
                except SourceChangedError:
                    changed.add(s.sha256)
                except OSError as e:
                    for rest in done:
                        rest.cancel()
                    raise UsageError(
                        f"无法把 {printable(s.shown)} 保存到活动存储 {camp.dir / STORE_DIR}："
                        f"{e.strerror or e}；本次导入未登记任何文件，台账未作改动",
                        "请检查磁盘空间和存储文件夹的写入权限，然后重新运行 campaign ingest",
                    ) from e
    return changed


def _new_check_run(camp: Campaign) -> int:
    info = camp.info
    options = {"year": info.year, "county": info.county, "layout_id": info.layout_id}
    with camp.writing() as conn:
        cur = conn.execute(
            "INSERT INTO check_runs (started_at, generator, layout_fingerprint, options)"
            " VALUES (?, ?, ?, ?)",
            (camp.clock(), GENERATOR, info.layout_fingerprint, canonical_json(options)),
        )
        return int(cur.lastrowid or 0)


_ARRIVAL_SQL = "SELECT outcome, received_at, COALESCE(agency_code, '') FROM arrivals"


def _already(
    conn: sqlite3.Connection, s: _Source, row: tuple[str, str, str] | None = None
) -> IngestItem:
    """``s`` was ingested from the same place before (``row``: its arrival, when known)."""
    if row is None:
        row = conn.execute(
            _ARRIVAL_SQL + " WHERE sha256 = ? AND source_path = ?", (s.sha256, s.source)
        ).fetchone()
    assert row is not None
    return IngestItem(
        s.shown,
        "already",
        None,
        f"此文件已于 {row[1]} 导入（结果：{row[0]}），未作改动。",
        sha256=s.sha256,
        agency_code=row[2],
    )


def _arrival(
    conn: sqlite3.Connection,
    s: _Source,
    now: str,
    outcome: str,
    code: FindingCode,
    message: str,
    agency: str | None,
    version_id: int | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO arrivals (sha256, source_path, original_name, source_mtime, received_at,"
        " outcome, code, message, agency_code, version_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            s.sha256,
            s.source,
            s.name,
            s.mtime,
            now,
            outcome,
            code,
            message,
            agency,
            version_id,
        ),
    )
    return int(cur.lastrowid or 0)


def _receipt(
    conn: sqlite3.Connection, year: int, agency: str, arrival: int, sha: str, now: str
) -> str:
    (seq,) = conn.execute(
        "UPDATE agencies SET receipts_issued = receipts_issued + 1 WHERE code = ?"
        " RETURNING receipts_issued",
        (agency,),
    ).fetchone()
    number = f"{year}-{agency}-{int(seq):03d}"
    conn.execute(
        "INSERT INTO receipts (number, agency_code, seq, arrival_id, sha256, issued_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (number, agency, seq, arrival, sha, now),
    )
    return number


def _record_duplicate(camp: Campaign, s: _Source) -> IngestItem:
    with camp.writing() as conn:
        return _duplicate_tx(camp, conn, s)


def _duplicate_tx(camp: Campaign, conn: sqlite3.Connection, s: _Source) -> IngestItem:
    """Record ``s`` as a duplicate of a file recorded before (in the caller's transaction)."""
    if conn.execute(
        "SELECT 1 FROM arrivals WHERE sha256 = ? AND source_path = ?", (s.sha256, s.source)
    ).fetchone():
        return _already(conn, s)
    row = conn.execute(
        "SELECT original_name, received_at, check_run_id FROM files WHERE sha256 = ?",
        (s.sha256,),
    ).fetchone()
    if row is None:  # the first copy could not be recorded (it changed meanwhile)
        return IngestItem(
            s.shown,
            "unreadable",
            "campaign-source-changed",
            f"{printable(s.shown)} 与一个未能登记的文件相同，未登记；请重新导入。",
            sha256=s.sha256,
        )
    first = conn.execute(
        "SELECT COALESCE(agency_code, ''), version_id FROM arrivals WHERE sha256 = ?"
        " ORDER BY id LIMIT 1",
        (s.sha256,),
    ).fetchone()
    agency = first[0] if first else ""
    now = camp.clock()
    msg = f"与 {row[0]}（{row[1]} 收到）完全相同，是重复报送，未再次登记。"
    _arrival(conn, s, now, "duplicate", "campaign-duplicate", msg, agency or None)
    append_event(
        conn,
        at=now,
        kind="file-duplicate",
        agency_code=agency or None,
        sha256=s.sha256,
        check_run_id=row[2],
        data={"source": s.source, "name": s.name},
    )
    return IngestItem(
        s.shown, "duplicate", "campaign-duplicate", msg, sha256=s.sha256, agency_code=agency
    )


def _kept_findings(conn: sqlite3.Connection, result: CheckedFile) -> list[Finding]:
    """The check's findings, less a name that differs only because the roster renamed
    the agency after its template was made (an earlier name of the same code)."""
    data = result.data
    out = []
    for f in result.report.findings:
        if (
            f.code == "agency-name-differs"
            and data is not None
            and normal_name(data.identity.agency_name)
            in historical_names(conn, data.identity.agency_code)
        ):
            continue
        out.append(f)
    return out


def _identity_json(identity: Identity) -> str:
    return canonical_json(
        {
            f.name: list(getattr(identity, f.name))
            if isinstance(getattr(identity, f.name), tuple)
            else getattr(identity, f.name)
            for f in fields(identity)
        }
    )


def _refusal(
    conn: sqlite3.Connection, result: CheckedFile, found: list[Finding], sender: str | None
) -> tuple[FindingCode, str] | None:
    """Why the file is not a return of this campaign (code, message), or None; from
    ``sender``'s link, also when it is not ``sender``'s return."""
    data = result.data
    for f in found:
        why = _REFUSING.get(f.code)
        if why is not None and f.severity == "error":
            return why, f.message
    if data is None or result.report.unreadable:
        first = next((f for f in found if f.severity == "error"), None)
        return "campaign-refused-unreadable", first.message if first else "文件无法读取。"
    if data.identity.kind != "return":
        return "campaign-not-a-return", "这是一份汇总表，不是单位的报表。"
    code = data.identity.agency_code
    if sender is not None and code != sender:
        if not code:
            return "serve-no-identity", CATALOGUE["serve-no-identity"].action
        return "serve-other-agency", (
            f"文件是单位 {code} 的报表，不是本单位（{sender}）的。"
            + CATALOGUE["serve-other-agency"].action
        )
    row = conn.execute("SELECT withdrawn, name FROM agencies WHERE code = ?", (code,)).fetchone()
    if not code or row is None:
        who = code or data.identity.agency_name or "（未填写）"
        return "campaign-unknown-agency", f"单位“{who}”不在本次活动的单位名单中。"
    if row[0]:
        return "campaign-agency-withdrawn", f"单位 {row[1]}（{code}）已从名单中撤销。"
    return None


def _packed(result: CheckedFile) -> Packed | None:
    data = result.data
    if data is None:
        return None
    return packed_of(data.layout, data.values)


def _insert_file(
    conn: sqlite3.Connection,
    s: _Source,
    result: CheckedFile,
    found: list[Finding],
    run_id: int,
    now: str,
) -> None:
    data = result.data
    rep = result.report
    conn.execute(
        "INSERT INTO files (sha256, original_name, size, received_at, source_path, stored_path,"
        " check_run_id, agency_code, agency_name, year, layout_id, unreadable, errors, warnings,"
        " infos, identity, signoff, saved_at, blank_cells)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            s.sha256,
            s.name,
            s.size,
            now,
            s.source,
            s.stored,
            run_id,
            data.identity.agency_code if data else rep.agency_code,
            data.identity.agency_name if data else rep.agency_name,
            data.identity.year if data else rep.year,
            data.layout.id if data else rep.layout,
            int(rep.unreadable),
            sum(f.severity == "error" for f in found),
            sum(f.severity == "warning" for f in found),
            sum(f.severity == "info" for f in found),
            _identity_json(data.identity) if data else "{}",
            canonical_json(data.signoff) if data else "{}",
            data.saved_at if data else "",
            data.blank_cells if data else 0,
        ),
    )
    conn.executemany(
        "INSERT INTO findings (sha256, seq, code, severity, message, sheet, cell, row_label,"
        " col_label, expected, found, hint, rule, cause, at) VALUES"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                s.sha256,
                i,
                f.code,
                f.severity,
                f.message,
                f.sheet,
                f.cell,
                f.row_label,
                f.col_label,
                f.expected,
                f.found,
                f.hint,
                f.rule,
                f.cause,
                json.dumps(list(f.at), ensure_ascii=False) if f.at else "",
            )
            for i, f in enumerate(found)
        ],
    )


def _record_tx(
    camp: Campaign,
    conn: sqlite3.Connection,
    s: _Source,
    result: CheckedFile,
    run_id: int,
    sender: str | None = None,
) -> IngestItem:
    """Record one checked file (in the caller's transaction; ``sender``: see :func:`ingest`)."""
    if conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (s.sha256,)).fetchone():
        return _duplicate_tx(camp, conn, s)  # another process recorded it meanwhile
    now = camp.clock()
    found = _kept_findings(conn, result)
    _insert_file(conn, s, result, found, run_id, now)
    packed = _packed(result)
    values_text = _pack_json(packed) if packed is not None else ""
    if packed is not None and result.data is not None:
        conn.execute(
            'INSERT INTO "values" (sha256, layout_fingerprint, packed) VALUES (?, ?, ?)',
            (s.sha256, result.data.layout.fingerprint, values_text),
        )
    refusal = _refusal(conn, result, found, sender)
    if refusal is not None:
        return _refused(camp, conn, s, result, refusal, run_id, now, sender)
    return _version(camp, conn, s, found, values_text, run_id, now)


def _refused(
    camp: Campaign,
    conn: sqlite3.Connection,
    s: _Source,
    result: CheckedFile,
    refusal: tuple[FindingCode, str],
    run_id: int,
    now: str,
    sender: str | None = None,
) -> IngestItem:
    code, why = refusal
    claimed = result.data.identity.agency_code if result.data else result.report.agency_code
    on_roster = bool(
        claimed and conn.execute("SELECT 1 FROM agencies WHERE code = ?", (claimed,)).fetchone()
    )
    # the refusal is the sender's (its receipt too), never the agency a file claims to be
    agency = sender if sender is not None else claimed if on_roster else None
    msg = f"{CATALOGUE[code].title}：{why}"
    arrival = _arrival(conn, s, now, "refused", code, msg, agency)
    receipt = _receipt(conn, camp.info.year, agency, arrival, s.sha256, now) if agency else ""
    append_event(
        conn,
        at=now,
        kind="file-refused",
        agency_code=agency,
        sha256=s.sha256,
        check_run_id=run_id,
        data={"code": code, "source": s.source, "name": s.name, "claimed": claimed},
    )
    return IngestItem(
        s.shown, "refused", code, msg, sha256=s.sha256, agency_code=claimed, receipt=receipt
    )


def _version(
    camp: Campaign,
    conn: sqlite3.Connection,
    s: _Source,
    found: list[Finding],
    values_text: str,
    run_id: int,
    now: str,
) -> IngestItem:
    data_code = conn.execute("SELECT agency_code FROM files WHERE sha256 = ?", (s.sha256,))
    code = str(data_code.fetchone()[0])
    state, current, name = conn.execute(
        "SELECT state, current_version, name FROM agencies WHERE code = ?", (code,)
    ).fetchone()
    values_sha = hashlib.sha256(values_text.encode("ascii")).hexdigest()
    errors = sum(f.severity == "error" for f in found)
    warnings = sum(f.severity == "warning" for f in found)
    prev_round = 0
    if current is not None:  # the current version is always the agency's latest
        prev_round, prev_values = conn.execute(
            "SELECT round, values_sha256 FROM versions WHERE id = ?", (current,)
        ).fetchone()
        if prev_values == values_sha:
            msg = (
                f"{name}（{code}）再次报送的数据与第 {prev_round} 轮完全相同，"
                "未作为新版本登记；如单位说已修改，请核实发来的文件。"
            )
            arrival = _arrival(conn, s, now, "unchanged", "campaign-unchanged", msg, code)
            receipt = _receipt(conn, camp.info.year, code, arrival, s.sha256, now)
            append_event(
                conn,
                at=now,
                kind="file-unchanged",
                agency_code=code,
                sha256=s.sha256,
                check_run_id=run_id,
                data={"same_as_round": prev_round, "source": s.source, "name": s.name},
            )
            return IngestItem(
                s.shown,
                "unchanged",
                "campaign-unchanged",
                msg,
                sha256=s.sha256,
                agency_code=code,
                errors=errors,
                warnings=warnings,
                state_before=state,
                state_after=state,
                receipt=receipt,
            )
    round_ = prev_round + 1
    verdict = "error" if errors else ("warning" if warnings else "ok")
    cur = conn.execute(
        "INSERT INTO versions (agency_code, round, sha256, check_run_id, verdict, errors,"
        " warnings, values_sha256, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code, round_, s.sha256, run_id, verdict, errors, warnings, values_sha, now),
    )
    version_id = int(cur.lastrowid or 0)
    action = "submit-errors" if errors else "submit-clean"
    after = _NEXT[(state, action)]
    conn.execute(
        "UPDATE agencies SET state = ?, current_version = ? WHERE code = ?",
        (after, version_id, code),
    )
    msg = (
        f"已登记为 {name}（{code}）第 {round_} 轮报送：{_VERDICT_ZH[verdict]}"
        f"（错误 {errors} 个，警告 {warnings} 个）；状态 {state} → {after}。"
    )
    arrival = _arrival(conn, s, now, "version", "campaign-version-recorded", msg, code, version_id)
    receipt = _receipt(conn, camp.info.year, code, arrival, s.sha256, now)
    append_event(
        conn,
        at=now,
        kind="file-version",
        agency_code=code,
        from_state=state,
        action=action,
        to_state=after,
        sha256=s.sha256,
        check_run_id=run_id,
        version_id=version_id,
        data={
            "round": round_,
            "verdict": verdict,
            "errors": errors,
            "warnings": warnings,
            "previous_version": current,
            "source": s.source,
            "name": s.name,
            "values_sha256": values_sha,  # the values the merge adds up, under the chain
        },
    )
    return IngestItem(
        s.shown,
        "version",
        "campaign-version-recorded",
        msg,
        sha256=s.sha256,
        agency_code=code,
        round=round_,
        verdict=verdict,
        errors=errors,
        warnings=warnings,
        state_before=state if state else STATE_NONE,
        state_after=after,
        receipt=receipt,
    )
