"""What the campaign's documents and board read from the ledger, and what they write.

Receipts, notices and the board from an open :class:`xlreport.ledger.Campaign` (the merge:
:mod:`xlreport.campaign.summary`):
the ledger's rows made into the documents' plain records (:mod:`xlreport.campaign.receipts`,
:mod:`~xlreport.campaign.notices`, :mod:`~xlreport.campaign.board`), written atomically
into the campaign's folders. A document written again from the same ledger has the same
bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlreport.annotate import annotated_bytes, return_stem
from xlreport.batch import check_paths
from xlreport.batch.spill import SpilledList
from xlreport.campaign.board import AgencyRow, Board, build_board
from xlreport.campaign.documents import FormWriter
from xlreport.campaign.notices import (
    Notice,
    notice_bytes,
    notice_file_name,
    notice_folder_name,
)
from xlreport.campaign.receipts import Receipt, receipt_bytes, receipt_file_name
from xlreport.checks.resubmission import CellValue, Resubmission, compare_versions
from xlreport.codes import FindingCode
from xlreport.errors import UsageError
from xlreport.findings import Finding
from xlreport.fsutil import atomic_write_bytes
from xlreport.ledger import Campaign
from xlreport.ledger.campaign import NOTICES_DIR, RECEIPTS_DIR
from xlreport.ledger.queries import (
    Version,
    findings_of,
    receipt,
    values_of,
    versions_of,
)
from xlreport.ledger.roster_lookup import campaign_check_options
from xlreport.ledger.schema import STATE_FIX, STATE_RETURNED
from xlreport.ledger.store import file_intact
from xlreport.spec import Layout


def campaign_title(camp: Campaign) -> str:
    """清河县2024年度政府信息公开工作年度报告 (the county when the campaign has one)."""
    info = camp.info
    return f"{info.county}{info.year}年度{camp.layout.title}"


def write_if_changed(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` (atomic; ``durable``: see
    :func:`~xlreport.fsutil.atomic_writer`) unless it already holds exactly that; whether
    it was written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    try:
        atomic_write_bytes(path, data, durable=durable)
    except OSError as e:
        raise UsageError(
            f"无法写入 {path}：{e.strerror or e}",
            "台账未受影响；请检查磁盘空间和文件夹的写入权限，然后重新运行这条命令",
        ) from e
    return True


# --- receipts ---------------------------------------------------------------------------


def _agency_name(camp: Campaign, code: str) -> str:
    row = camp.conn.execute("SELECT name FROM agencies WHERE code = ?", (code,)).fetchone()
    return str(row[0]) if row else code


def receipt_record(camp: Campaign, rec: dict[str, Any], title: str = "") -> Receipt:
    """A row of :func:`xlreport.ledger.queries.receipt` as a :class:`Receipt`."""
    return Receipt(
        number=rec["number"],
        campaign=title or campaign_title(camp),
        agency_code=rec["agency_code"],
        agency_name=_agency_name(camp, rec["agency_code"]),
        received_at=rec["received_at"],
        file_name=rec["original_name"],
        sha256=rec["sha256"],
        outcome=rec["outcome"],
        round=rec["round"],
        verdict=rec["verdict"] or "",
        errors=int(rec["errors"] or 0),
        warnings=int(rec["warnings"] or 0),
        reason="" if rec["outcome"] == "version" else rec["message"],
        issued_at=rec["issued_at"],
    )


def receipt_numbers(camp: Campaign, code: str | None = None) -> list[str]:
    """Every receipt number (of agency ``code``), in the order they were issued."""
    if code is None:
        rows = camp.conn.execute("SELECT number FROM receipts ORDER BY issued_at, number")
    else:
        rows = camp.conn.execute(
            "SELECT number FROM receipts WHERE agency_code = ? ORDER BY seq", (code,)
        )
    return [str(r[0]) for r in rows]


def receipt_by_number(camp: Campaign, number: str) -> Receipt | None:
    rec = receipt(camp.conn, number.strip())
    return None if rec is None else receipt_record(camp, rec)


def receipts_of(camp: Campaign, code: str | None = None) -> list[Receipt]:
    title = campaign_title(camp)
    out = []
    for n in receipt_numbers(camp, code):
        rec = receipt(camp.conn, n)
        if rec is not None:
            out.append(receipt_record(camp, rec, title))
    return out


def write_receipts(camp: Campaign, numbers: Iterable[str] | None = None) -> Sequence[Path]:
    """The receipt documents (every receipt, or those of ``numbers``) in ``receipts/``;
    the paths of those written now (an unchanged one is not written again)."""
    wanted = list(numbers) if numbers is not None else receipt_numbers(camp)
    documents = ReceiptDocuments(camp)
    for n in wanted:
        documents.write(n)
    return documents.written


class ReceiptDocuments:
    """Writes receipt documents into ``receipts/``, one receipt at a time (an ingest
    writes each batch's receipts as soon as the batch is recorded), through one
    :class:`FormWriter`. A receipt document is the ledger's receipt made printable: it is
    written atomically but not forced to disk (an fsync per file received cost more than
    a tenth of the ingest, measured); after a power cut, ``campaign receipts`` writes any
    that came out empty again, byte for byte."""

    def __init__(self, camp: Campaign) -> None:
        self.camp = camp
        self.title = campaign_title(camp)
        self.forms = FormWriter()
        self.written: SpilledList[Path] = SpilledList()  # 100,000 receipts: on disk

    def write(self, number: str) -> Receipt | None:
        """The document of receipt ``number``, and the receipt (None, nothing written, if
        the ledger has no such receipt); :class:`UsageError` (in Chinese) if it cannot be
        written."""
        rec = receipt(self.camp.conn, number)
        if rec is None:
            return None
        r = receipt_record(self.camp, rec, self.title)
        target = self.camp.dir / RECEIPTS_DIR / receipt_file_name(r)
        if write_if_changed(target, receipt_bytes(r, self.forms), durable=False):
            self.written.append(target)
        return r


@dataclass(frozen=True)
class ReceiptCheck:
    """What verifying a receipt number found."""

    number: str
    receipt: Receipt | None
    code: FindingCode | None  # None: the receipt is genuine and its file intact
    message: str

    @property
    def ok(self) -> bool:
        return self.code is None


def verify_receipt_number(camp: Campaign, number: str) -> ReceiptCheck:
    """Whether ``number`` was issued by this ledger, and its file is still as received."""
    r = receipt_by_number(camp, number)
    if r is None:
        return ReceiptCheck(
            number,
            None,
            "campaign-receipt-unknown",
            f"回执号 {number} 不在本活动的台账中（{campaign_title(camp)}）",
        )
    row = camp.conn.execute("SELECT stored_path FROM files WHERE sha256 = ?", (r.sha256,))
    stored = row.fetchone()
    problem = "文件未存档" if stored is None else file_intact(camp.dir, stored[0], r.sha256)
    if problem:
        return ReceiptCheck(
            number,
            r,
            "campaign-receipt-file-changed",
            f"回执 {number} 登记的文件“{r.file_name}”：{problem}",
        )
    return ReceiptCheck(number, r, None, f"回执 {number} 真实有效：{r.line()}")


# --- resubmission -----------------------------------------------------------------------


def with_found_text(
    layout: Layout, values: Mapping[str, Decimal], findings: Sequence[Finding]
) -> dict[str, CellValue]:
    """The recorded values plus, for an input cell that holds no valid number, the text a
    finding found there (so a change reads 12件 → 12, not （空） → 12)."""
    out: dict[str, CellValue] = dict(values)
    by_name = {sh.name: sh.key for sh in layout.sheets}
    for f in findings:
        if f.at is None or not f.found:
            continue
        key = by_name.get(f.at[0])
        cell = layout.cell_at(key, f.at[1], f.at[2]) if key is not None else None
        if cell is not None and cell.kind == "input" and cell.id not in out:
            out[cell.id] = f.found
    return out


def resubmission_between(camp: Campaign, old: Version, new: Version) -> Resubmission:
    """The new version's findings and values against the old one's."""
    return files_compared(camp, old.sha256, new.sha256)


def files_compared(camp: Campaign, old_sha256: str, new_sha256: str) -> Resubmission:
    """The findings and values of the file ``new_sha256`` against those of ``old_sha256``
    (the values with the text found in input cells, see :func:`with_found_text`)."""
    layout = camp.layout
    before_findings = findings_of(camp.conn, old_sha256)
    after_findings = findings_of(camp.conn, new_sha256)
    before = with_found_text(layout, values_of(camp, old_sha256) or {}, before_findings)
    after = with_found_text(layout, values_of(camp, new_sha256) or {}, after_findings)
    return compare_versions(layout, before_findings, before, after_findings, after)


def current_and_previous(camp: Campaign, code: str) -> tuple[Version | None, Version | None]:
    """The agency's current version and the one received before it (None when none)."""
    row = camp.conn.execute("SELECT current_version FROM agencies WHERE code = ?", (code,))
    current_id = (row.fetchone() or (None,))[0]
    versions = versions_of(camp.conn, code)
    current = next((v for v in versions if v.id == current_id), None)
    if current is None:
        return None, None
    earlier = [v for v in versions if v.round < current.round]
    return current, (earlier[-1] if earlier else None)


def resubmission_of(camp: Campaign, code: str) -> Resubmission | None:
    """The agency's current version against its previous one (None: a first version)."""
    current, previous = current_and_previous(camp, code)
    if current is None or previous is None:
        return None
    return resubmission_between(camp, previous, current)


# --- the board --------------------------------------------------------------------------


def agency_rows(camp: Campaign, *, marks: bool = True) -> list[AgencyRow]:
    """Every agency of the ledger as a board row; ``marks``: with the resubmission counts
    of each agency with two versions or more. One statement read row by row; the few
    texts every agency repeats (its type and state) kept once (100,000 agencies)."""
    shared: dict[str, str] = {}
    rows = []
    for (
        code, name, kind, state, contact, phone, email, withdrawn, received, errors, warnings,
        first, rounds,
    ) in camp.conn.execute(
        "SELECT a.code, a.name, a.type, a.state, a.contact, a.phone, a.email, a.withdrawn,"
        " v.received_at, v.errors, v.warnings, g.first, g.rounds FROM agencies a"
        " LEFT JOIN versions v ON v.id = a.current_version"
        " LEFT JOIN (SELECT agency_code, MIN(received_at) AS first, COUNT(*) AS rounds"
        "   FROM versions GROUP BY agency_code) g ON g.agency_code = a.code"
        " ORDER BY a.seq, a.code"
    ):  # fmt: skip
        rounds = int(rounds or 0)
        res = resubmission_of(camp, code) if marks and rounds > 1 else None
        rows.append(
            AgencyRow(
                code=code,
                name=name,
                type=shared.setdefault(kind, kind),
                state=shared.setdefault(state, state),
                contact=contact,
                phone=phone,
                email=email,
                withdrawn=bool(withdrawn),
                first_received_at=first or "",
                last_received_at=received or "",
                rounds=rounds,
                errors=int(errors or 0),
                warnings=int(warnings or 0),
                marks={str(k): v for k, v in res.counts().items()} if res is not None else None,
            )
        )
    return rows


def campaign_board(camp: Campaign, as_of: str, *, marks: bool = True) -> Board:
    info = camp.info
    return build_board(
        campaign_title(camp),
        agency_rows(camp, marks=marks),
        deadline=info.deadline or "",
        grace_days=info.grace_days,
        as_of=as_of,
    )


# --- notices ----------------------------------------------------------------------------


@dataclass
class NoticeOutput:
    code: str
    state: str
    notice: Path | None = None
    annotated: Path | None = None
    refusal: FindingCode | None = None
    message: str = ""
    resubmission: Resubmission | None = None
    blocking: int = 0
    paths: list[Path] = field(default_factory=list)


def _return_reason(camp: Campaign, code: str, version_id: int) -> str:
    row = camp.conn.execute(
        "SELECT reason FROM events WHERE agency_code = ? AND action = 'return'"
        " AND version_id = ? ORDER BY id DESC LIMIT 1",
        (code, version_id),
    ).fetchone()
    return str(row[0]) if row else ""


def _receipt_of_version(camp: Campaign, code: str, sha256: str) -> str:
    row = camp.conn.execute(
        "SELECT number FROM receipts WHERE agency_code = ? AND sha256 = ? ORDER BY seq LIMIT 1",
        (code, sha256),
    ).fetchone()
    return str(row[0]) if row else ""


def write_notice(camp: Campaign, code: str, *, deadline: str = "") -> NoticeOutput:
    """The 退回修改通知 of agency ``code`` (in 需修改 or 退回) and the annotated copy of its
    current version, in ``notices/<code>_<name>/``; refused (coded) in any other state."""
    row = camp.conn.execute(
        "SELECT name, state, current_version FROM agencies WHERE code = ?", (code,)
    ).fetchone()
    if row is None:
        return NoticeOutput(
            code, "", refusal="campaign-agency-missing", message=f"名单中没有单位编码 {code}"
        )
    name, state, _ = row
    current, previous = current_and_previous(camp, code)
    if state not in (STATE_FIX, STATE_RETURNED) or current is None:
        return NoticeOutput(
            code,
            state,
            refusal="campaign-notice-not-needed",
            message=f"{name}（{code}）的状态是“{state}”，不需要退回修改通知",
        )
    findings = findings_of(camp.conn, current.sha256)
    res = resubmission_between(camp, previous, current) if previous is not None else None
    folder = camp.dir / NOTICES_DIR / notice_folder_name(code, name)
    stored = camp.dir / current.stored_path
    with campaign_check_options(camp) as options:
        checked = [c for c in check_paths([stored], options, workers=1) if not c.skipped]
    annotated: Path | None = None
    out = NoticeOutput(code, state, resubmission=res)
    if checked and checked[0].data is not None:
        c = checked[0]
        assert c.data is not None
        c.data = replace(c.data, path=current.original_name)
        stem = return_stem(c.data.identity, c.data.signoff, current.original_name, current.round)
        annotated = folder / f"{stem}.xlsx"
        if write_if_changed(annotated, annotated_bytes(c, round_no=current.round)):
            out.paths.append(annotated)
    notice = Notice(
        campaign=campaign_title(camp),
        agency_code=code,
        agency_name=name,
        state=state,
        round=current.round,
        file_name=current.original_name,
        sha256=current.sha256,
        received_at=current.received_at,
        findings=findings,
        reason=_return_reason(camp, code, current.id) if state == STATE_RETURNED else "",
        receipt_number=_receipt_of_version(camp, code, current.sha256),
        resubmission=res,
        annotated_name=annotated.name if annotated is not None else "",
        deadline=deadline,
    )
    target = folder / notice_file_name(notice)
    if write_if_changed(target, notice_bytes(notice)):
        out.paths.append(target)
    out.notice, out.annotated, out.blocking = target, annotated, len(notice.blocking)
    out.message = (
        f"{name}（{code}）{state}：必须修改的错误 {len(notice.blocking)} 处，"
        f"通知和标注稿在 {folder}"
    )
    return out


def agencies_needing_notice(camp: Campaign) -> list[str]:
    rows = camp.conn.execute(
        "SELECT code FROM agencies WHERE state IN (?, ?) AND withdrawn = 0 ORDER BY seq, code",
        (STATE_FIX, STATE_RETURNED),
    )
    return [str(r[0]) for r in rows]


__all__ = [
    "NoticeOutput",
    "ReceiptCheck",
    "ReceiptDocuments",
    "agencies_needing_notice",
    "agency_rows",
    "campaign_board",
    "campaign_title",
    "current_and_previous",
    "receipt_by_number",
    "receipt_numbers",
    "receipts_of",
    "resubmission_between",
    "resubmission_of",
    "verify_receipt_number",
    "write_if_changed",
    "write_notice",
    "write_receipts",
]
