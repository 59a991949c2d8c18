"""A campaign's board, history, receipts, notices and summary (``xlreport campaign status|
history|receipt|receipts|notice|merge``).

Each use case: one typed request (frozen dataclass) → one typed result with ``to_json()``.
The campaign folder is opened for the one call (:func:`xlreport.api.campaign.open_campaign`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xlreport.api.campaign import open_campaign
from xlreport.batch.spill import SpilledList
from xlreport.campaign.board import Board, board_bytes, reminder_text
from xlreport.campaign.receipts import Receipt
from xlreport.campaign.records import (
    NoticeOutput,
    ReceiptCheck,
    ReceiptDocuments,
    agencies_needing_notice,
    campaign_board,
    campaign_title,
    receipt_numbers,
    receipts_of,
    resubmission_between,
    verify_receipt_number,
    write_if_changed,
    write_notice,
)
from xlreport.campaign.summary import ManifestRow, manifest_bytes, merge_from_ledger
from xlreport.checks.resubmission import Resubmission
from xlreport.codes import FindingCode
from xlreport.errors import UsageError
from xlreport.fsutil import safe_filename
from xlreport.jsonout import JsonArray, JsonResult
from xlreport.ledger import Campaign
from xlreport.ledger.campaign import RECEIPTS_DIR, SUMMARY_DIR, Clock, utc_now
from xlreport.ledger.chain import append_event, canonical_json_with_list
from xlreport.ledger.queries import Version, current_of_agencies, events_of, versions_of
from xlreport.ledger.schema import STATE_APPROVED
from xlreport.ledger.store import hash_file
from xlreport.merge import MergeResult
from xlreport.merge.model import STATUS_TEXT

__all__ = [
    "CampaignHistoryRequest",
    "CampaignHistoryResult",
    "CampaignMergeRequest",
    "CampaignMergeResult",
    "CampaignNoticeRequest",
    "CampaignNoticeResult",
    "CampaignReceiptsRequest",
    "CampaignReceiptsResult",
    "CampaignStatusRequest",
    "CampaignStatusResult",
    "ReceiptVerifyRequest",
    "ReceiptVerifyResult",
    "campaign_history",
    "campaign_merge",
    "campaign_notices",
    "campaign_receipts",
    "campaign_status",
    "verify_receipt",
]


def _open(folder: str | Path, clock: Clock = utc_now) -> Campaign:
    return open_campaign(folder, clock=clock)


# --- status -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignStatusRequest:
    campaign: str | Path = "."
    export: str | Path | None = None  # an .xlsx of the board (报送进度.xlsx)
    as_of: str | None = None  # ISO time the board is for (default: now)


@dataclass
class CampaignStatusResult(JsonResult):
    board: Board
    export: Path | None = None

    exit_code = 0

    def reminders(self) -> dict[str, str]:
        return {w: reminder_text(self.board, w) for w in ("missing", "to_fix", "overdue")}

    def json_document(self) -> dict[str, Any]:
        return {
            **self.board.json_document(),
            "reminders": self.reminders(),
            "export": str(self.export) if self.export else None,
        }


def campaign_status(req: CampaignStatusRequest, *, clock: Clock = utc_now) -> CampaignStatusResult:
    """The board: expected, received, on time, approved, to fix, overdue, by 单位类型."""
    export = Path(req.export) if req.export is not None else None
    if export is not None and export.suffix.lower() != ".xlsx":
        raise UsageError(f"--export 须为 .xlsx 文件：{export.name}", "例如 --export 报送进度.xlsx")
    with _open(req.campaign, clock) as camp:
        board = campaign_board(camp, req.as_of or clock())
    if export is not None:
        write_if_changed(export, board_bytes(board))
    return CampaignStatusResult(board, export)


# --- history ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignHistoryRequest:
    code: str
    campaign: str | Path = "."


@dataclass
class VersionStep:
    version: Version
    receipt: str
    resubmission: Resubmission | None  # against the version before it

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.version.to_dict(),
            "receipt": self.receipt,
            "resubmission": self.resubmission.to_dict() if self.resubmission else None,
        }


@dataclass
class CampaignHistoryResult(JsonResult):
    code: str
    name: str
    state: str
    versions: list[VersionStep]
    events: list[dict[str, Any]]
    receipts: list[Receipt]

    exit_code = 0

    def json_document(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "state": self.state,
            "versions": [v.to_dict() for v in self.versions],
            "events": self.events,
            "receipts": [r.to_dict() for r in self.receipts],
        }


def campaign_history(req: CampaignHistoryRequest) -> CampaignHistoryResult:
    """An agency's versions (with what each fixed), events and receipts."""
    code = req.code.strip()
    with _open(req.campaign) as camp:
        row = camp.conn.execute(
            "SELECT name, state FROM agencies WHERE code = ?", (code,)
        ).fetchone()
        if row is None:
            raise UsageError(
                f"名单中没有单位编码 {code}（campaign-agency-missing）",
                "用 xlreport campaign status 查看单位编码",
            )
        receipts = receipts_of(camp, code)
        by_sha: dict[str, str] = {}
        for r in receipts:
            by_sha.setdefault(r.sha256, r.number)
        steps: list[VersionStep] = []
        previous: Version | None = None
        for v in versions_of(camp.conn, code):
            res = resubmission_between(camp, previous, v) if previous is not None else None
            steps.append(VersionStep(v, by_sha.get(v.sha256, ""), res))
            previous = v
        return CampaignHistoryResult(
            code, row[0], row[1], steps, events_of(camp.conn, code), receipts
        )


# --- receipts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptVerifyRequest:
    number: str
    campaign: str | Path = "."


@dataclass
class ReceiptVerifyResult(JsonResult):
    check: ReceiptCheck

    @property
    def exit_code(self) -> int:
        return 0 if self.check.ok else 1

    def json_document(self) -> dict[str, Any]:
        c = self.check
        return {
            "number": c.number,
            "ok": c.ok,
            "code": c.code,
            "message": c.message,
            "receipt": c.receipt.to_dict() if c.receipt else None,
            "exit_code": self.exit_code,
        }


def verify_receipt(req: ReceiptVerifyRequest) -> ReceiptVerifyResult:
    """Whether a receipt number was issued by this campaign's ledger, for which file, and
    whether that file is still stored as received."""
    if not req.number.strip():
        raise UsageError("回执号不能为空", "例如 xlreport campaign receipt 2024-QH001-001")
    with _open(req.campaign) as camp:
        return ReceiptVerifyResult(verify_receipt_number(camp, req.number.strip()))


@dataclass(frozen=True)
class CampaignReceiptsRequest:
    campaign: str | Path = "."
    code: str | None = None  # only this agency's


@dataclass
class CampaignReceiptsResult(JsonResult):
    receipts: Sequence[Receipt]
    written: Sequence[Path]
    folder: Path

    exit_code = 0

    def json_document(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "receipts": JsonArray(self.receipts, Receipt.to_dict),
            "written": JsonArray(self.written, str),
        }


def campaign_receipts(req: CampaignReceiptsRequest) -> CampaignReceiptsResult:
    """Every receipt (of one agency) as a document in receipts/ and a line of text."""
    with _open(req.campaign) as camp:
        documents = ReceiptDocuments(camp)
        receipts: SpilledList[Receipt] = SpilledList()  # 100,000 of them: on disk
        for number in receipt_numbers(camp, req.code.strip() if req.code else None):
            r = documents.write(number)
            if r is not None:
                receipts.append(r)
        return CampaignReceiptsResult(receipts, documents.written, camp.dir / RECEIPTS_DIR)


# --- notices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignNoticeRequest:
    codes: Sequence[str] = ()
    all: bool = False  # every agency in 需修改 or 退回
    campaign: str | Path = "."
    deadline: str = ""  # the date to send the corrected return by, shown in the notice


@dataclass
class CampaignNoticeResult(JsonResult):
    notices: list[NoticeOutput]

    @property
    def exit_code(self) -> int:
        return 1 if any(n.refusal for n in self.notices) else 0

    def json_document(self) -> dict[str, Any]:
        return {
            "notices": [
                {
                    "code": n.code,
                    "state": n.state,
                    "notice": str(n.notice) if n.notice else None,
                    "annotated": str(n.annotated) if n.annotated else None,
                    "blocking": n.blocking,
                    "refusal": n.refusal,
                    "message": n.message,
                    "resubmission": n.resubmission.to_dict() if n.resubmission else None,
                }
                for n in self.notices
            ],
            "exit_code": self.exit_code,
        }


def campaign_notices(req: CampaignNoticeRequest) -> CampaignNoticeResult:
    """退回修改通知 and annotated copy, in notices/<agency>/, for each agency named (or all in
    需修改 or 退回)."""
    codes = [c.strip() for c in req.codes if c.strip()]
    if not codes and not req.all:
        raise UsageError(
            "没有指定单位",
            "给出单位编码，如 campaign notice QH003；或用 --all 为所有需修改/退回的单位生成",
        )
    with _open(req.campaign) as camp:
        if req.all:
            codes = [*codes, *(c for c in agencies_needing_notice(camp) if c not in codes)]
        return CampaignNoticeResult([write_notice(camp, c, deadline=req.deadline) for c in codes])


# --- merge ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignMergeRequest:
    campaign: str | Path = "."
    allow_missing: bool = False  # agencies without an approved version left out (partial)
    out: str | Path | None = None  # default: summary/<county><year>年度汇总.xlsx


@dataclass
class CampaignMergeResult(JsonResult):
    merge: MergeResult | None
    manifest: Sequence[ManifestRow]
    manifest_path: Path | None = None
    refusal: FindingCode | None = None
    message: str = ""
    unapproved: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, state
    #: approved versions the summary left out (``state``: why), not in ``manifest``
    left_out: list[ManifestRow] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.refusal is not None or self.merge is None:
            return 1
        return self.merge.exit_code

    def json_document(self) -> dict[str, Any]:
        m = self.merge
        return {
            "summary": str(m.out) if m is not None and m.summary_written else None,
            "manifest_file": str(self.manifest_path) if self.manifest_path else None,
            "versions": JsonArray(self.manifest, ManifestRow.to_dict),
            "left_out": [r.to_dict() for r in self.left_out],
            "missing": [list(x) for x in m.missing] if m is not None else [],
            "partial": m.partial if m is not None else None,
            "unapproved": [list(x) for x in self.unapproved],
            "refusal": self.refusal,
            "message": self.message,
            "exit_code": self.exit_code,
        }


def campaign_merge(req: CampaignMergeRequest, *, clock: Clock = utc_now) -> CampaignMergeResult:
    """The summary of exactly the approved versions (their stored files, merged as
    ``xlreport merge`` does), in summary/, with a manifest of the versions that went in,
    recorded in the ledger as an event. Refused (``campaign-merge-unapproved``) while an
    agency has versions but none approved, unless ``allow_missing``."""
    with _open(req.campaign, clock) as camp:
        # the approved versions, the roster and the files read at one moment
        with camp.snapshot() as conn:
            approved, unapproved = _approved_versions(conn)
            if not approved:
                return CampaignMergeResult(
                    None, [], refusal="campaign-merge-nothing",
                    message="没有已通过的版本，无法汇总：先用 campaign approve 审核通过",
                    unapproved=unapproved,
                )  # fmt: skip
            if unapproved and not req.allow_missing:
                shown = "、".join(f"{n}（{c}，{s}）" for c, n, s in unapproved[:10])
                more = f"等 {len(unapproved)} 个单位" if len(unapproved) > 10 else ""
                return CampaignMergeResult(
                    None, approved, refusal="campaign-merge-unapproved",
                    message=f"{shown}{more}已报送但没有已通过的版本，未汇总；"
                    "先审核（campaign approve / return），或加 --allow-missing 先出部分汇总",
                    unapproved=unapproved,
                )  # fmt: skip
            out = _summary_path(camp, req.out)
            manifest_path = out.with_name(out.stem + "_汇总清单.xlsx")
            _refuse_overwriting(camp, out, manifest_path)
            shas = (r.sha256 for r in approved)
            result = merge_from_ledger(camp, conn, shas, out, allow_missing=req.allow_missing)
        if not result.summary_written:
            return CampaignMergeResult(result, [], None, unapproved=unapproved)
        counted, left_out = _counted_versions(approved, result)
        when = clock()
        write_if_changed(
            manifest_path,
            manifest_bytes(campaign_title(camp), counted, when, out.name, left_out),
        )
        # which version of each agency went in, written version by version
        recorded = canonical_json_with_list(
            {
                "summary": _relative(out, camp.dir),
                "summary_sha256": hash_file(out)[0],
                "allow_missing": req.allow_missing,
                "left_out": [
                    {"agency": r.agency_code, "version_id": r.version_id, "sha256": r.sha256,
                     "reason": r.state}
                    for r in left_out
                ],
            },
            "versions",
            (
                {"agency": r.agency_code, "version_id": r.version_id,
                 "round": r.round, "sha256": r.sha256}
                for r in counted
            ),
        )  # fmt: skip
        with camp.writing() as writing:
            append_event(writing, at=when, kind="merge", data_json=recorded)
        return CampaignMergeResult(
            result, counted, manifest_path, unapproved=unapproved, left_out=left_out
        )


def _approved_versions(
    conn: sqlite3.Connection,
) -> tuple[SpilledList[ManifestRow], list[tuple[str, str, str]]]:
    """The approved current version of each agency (kept in a temporary file: 100,000 of
    them), and the agencies with versions but none approved (code, name, state)."""
    approved: SpilledList[ManifestRow] = SpilledList()
    unapproved: list[tuple[str, str, str]] = []
    for code, name, state, vid, round_no, sha256, received_at, file_name in current_of_agencies(
        conn
    ):
        if state == STATE_APPROVED:
            approved.append(
                ManifestRow(code, name, vid, round_no, sha256, received_at, state, file_name)
            )
        else:
            unapproved.append((code, name, state))
    return approved, unapproved


def _summary_path(camp: Campaign, out: str | Path | None) -> Path:
    """``--out``, else summary/<county><year>年度汇总.xlsx in the campaign."""
    if out is not None:
        return Path(out)
    info = camp.info
    name = info.county or campaign_title(camp)
    return camp.dir / SUMMARY_DIR / (safe_filename(f"{name}{info.year}年度汇总") + ".xlsx")


def _refuse_overwriting(camp: Campaign, out: Path, manifest: Path) -> None:
    """Outside the campaign's summary/ (``--out``), neither the summary nor its manifest
    may replace a file that is already there."""
    if out.resolve().parent == (camp.dir / SUMMARY_DIR).resolve():
        return
    for path in (out, manifest):
        if path.exists():
            raise UsageError(
                f"{path} 已存在，不会覆盖", "另选一个文件名，或省略 --out（写入活动的 summary/）"
            )


def _counted_versions(
    approved: Sequence[ManifestRow], result: MergeResult
) -> tuple[SpilledList[ManifestRow], list[ManifestRow]]:
    """The approved versions the summary counts, and those it left out (a blank cell, a
    count that looks like a date …), each with why in its ``state``: the manifest and the
    ledger say only what went in."""
    counted: SpilledList[ManifestRow] = SpilledList()
    why = {f.sha256: f for f in result.files.not_counted()}
    left_out: list[ManifestRow] = []
    for r in approved:
        f = why.get(r.sha256)
        if f is None:
            counted.append(r)
        else:
            state = f"{STATUS_TEXT[f.status]}：{f.reason}" if f.reason else STATUS_TEXT[f.status]
            left_out.append(replace(r, state=state))
    return counted, left_out


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
