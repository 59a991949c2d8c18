"""What ``xlreport serve`` asks of a campaign: the board, an agency's page, an agency's
link page, an upload through a link, the office's actions and the downloads.

Every function opens the campaign for the one call (a thread of the web server each), reads
or changes it through the ledger and the campaign API (``campaign_ingest``,
``campaign_approve`` …: the same code paths as the command line) and returns a record of
:mod:`xlreport.api.campaign_web_views` for the pages to render. Downloads are found by an id
from the ledger (a version id, a receipt number, an agency code), never by a path.
"""

from __future__ import annotations

import io
import secrets
import shutil
import sqlite3
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path

from xlreport.annotate import annotated_bytes, return_stem
from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignDecisionResult,
    CampaignIngestRequest,
    CampaignReturnRequest,
    CampaignUnapproveRequest,
    campaign_approve,
    campaign_ingest,
    campaign_return,
    campaign_unapprove,
    open_campaign,
)
from xlreport.api.campaign_board import (
    CampaignMergeRequest,
    CampaignNoticeRequest,
    CampaignReceiptsRequest,
    CampaignStatusRequest,
    campaign_merge,
    campaign_notices,
    campaign_receipts,
    campaign_status,
)
from xlreport.api.campaign_web_views import (
    ActionDone,
    AgencyRow,
    AgencyView,
    BoardView,
    ChangedCellRow,
    ContactRow,
    Download,
    EventRow,
    FindingRow,
    LinkView,
    RateRow,
    ReceiptRow,
    ReminderList,
    UploadOutcome,
    VersionRow,
)
from xlreport.batch.check import check_file
from xlreport.campaign.board import TOTAL, board_bytes, percent
from xlreport.campaign.board import AgencyRow as BoardAgency
from xlreport.campaign.receipts import local_time
from xlreport.campaign.records import files_compared
from xlreport.checks.catalogue import CATALOGUE
from xlreport.checks.identity_check import identity_fields
from xlreport.checks.resubmission import Resubmission, show_value
from xlreport.errors import UnreadableFileError, UsageError
from xlreport.findings import Finding
from xlreport.fsutil import atomic_write_bytes, safe_filename
from xlreport.identity import META_SHEET
from xlreport.ledger import (
    STATE_APPROVED,
    STATE_FIX,
    STATE_PENDING,
    STATES,
)
from xlreport.ledger.campaign import (
    INBOX_DIR,
    NOTICES_DIR,
    RECEIPTS_DIR,
    SUMMARY_DIR,
    TEMPLATES_DIR,
    Campaign,
)
from xlreport.ledger.events import event_text
from xlreport.ledger.links import owner_of
from xlreport.ledger.queries import findings_of
from xlreport.ledger.roster_lookup import campaign_check_options
from xlreport.reader import read_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
#: Where uploads through links are kept (never inside inbox/: a refused upload must not be
#: picked up by a later ``campaign ingest`` of the inbox).
UPLOADS_DIR = "uploads"


@dataclass(frozen=True)
class CampaignRequest:
    campaign: Path


@dataclass(frozen=True)
class AgencyRequest:
    campaign: Path
    code: str


@dataclass(frozen=True)
class LinkRequest:
    campaign: Path
    token: str
    max_upload: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class UploadRequest:
    campaign: Path
    token: str
    path: Path  # the uploaded bytes, as saved by the web layer
    original_name: str


@dataclass(frozen=True)
class ActionRequest:
    campaign: Path
    name: str  # ingest, approve, approve-clean, return, unapprove
    code: str = ""
    reason: str = ""


@dataclass(frozen=True)
class DownloadRequest:
    campaign: Path
    kind: str  # templates, annotated, original, receipt
    ref: str = ""


@dataclass(frozen=True)
class AgencyDownloadRequest:
    campaign: Path
    token: str
    kind: str  # template, annotated, receipt
    ref: str = ""


@dataclass(frozen=True)
class CampaignTitle:
    title: str
    year: int
    county: str

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "year": self.year, "county": self.county}


# --- helpers ------------------------------------------------------------------------------


def _title(camp: Campaign) -> str:
    info = camp.info
    return f"{info.county} {info.year} 年度政府信息公开工作年度报告".strip()


def _shown_time(iso: str) -> str:
    """An ISO time as the office reads it: Beijing time, to the second."""
    if not iso:
        return ""
    try:
        return local_time(iso).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso[:19].replace("T", " ")


def _row(f: Finding, mark: str = "") -> FindingRow:
    return FindingRow(
        f.severity,
        f.code,
        f.message,
        f.sheet,
        f.cell,
        f.row_label,
        f.col_label,
        f.expected,
        f.found,
        f.hint,
        mark,
    )


@dataclass(frozen=True)
class _Version:
    id: int
    round: int
    sha256: str
    verdict: str
    errors: int
    warnings: int
    received_at: str
    original_name: str


def _versions(conn: sqlite3.Connection, code: str) -> list[_Version]:
    rows = conn.execute(
        "SELECT v.id, v.round, v.sha256, v.verdict, v.errors, v.warnings, v.received_at,"
        " f.original_name FROM versions v JOIN files f ON f.sha256 = v.sha256"
        " WHERE v.agency_code = ? ORDER BY v.round",
        (code,),
    ).fetchall()
    return [_Version(*r) for r in rows]


def _version_rows(versions: Sequence[_Version]) -> tuple[VersionRow, ...]:
    last = versions[-1].id if versions else None
    return tuple(
        VersionRow(
            v.id,
            v.round,
            _shown_time(v.received_at),
            v.original_name,
            v.sha256,
            v.verdict,
            v.errors,
            v.warnings,
            v.id == last,
        )
        for v in reversed(versions)
    )


def _marked(
    camp: Campaign, versions: Sequence[_Version]
) -> tuple[tuple[FindingRow, ...], tuple[FindingRow, ...], tuple[ChangedCellRow, ...]]:
    """The current version's findings (marked against the previous one), the previous
    one's findings it fixed, and the cells that changed."""
    if not versions:
        return (), (), ()
    cur = versions[-1]
    if len(versions) < 2:
        return tuple(_row(f) for f in findings_of(camp.conn, cur.sha256)), (), ()
    resub: Resubmission = files_compared(camp, versions[-2].sha256, cur.sha256)
    current = tuple(_row(m.finding, m.mark) for m in resub.marks if m.mark != "已改正")
    fixed = tuple(_row(m.finding, m.mark) for m in resub.marks if m.mark == "已改正")
    changed = tuple(
        ChangedCellRow(
            c.sheet, c.cell, c.row_label, c.col_label, show_value(c.old), show_value(c.new)
        )
        for c in resub.changed
    )
    return current, fixed, changed


def _receipt_document(camp: Campaign, number: str) -> Path | None:
    folder = camp.dir / RECEIPTS_DIR
    if not folder.is_dir():
        return None
    found = sorted(p for p in folder.rglob(f"*{glob_escape(number)}*") if p.is_file())
    return found[0] if found else None


VERDICT_ZH = {"ok": "通过", "warning": "通过（有提示）", "error": "有错误，需修改"}


def _receipts(camp: Campaign, code: str) -> tuple[ReceiptRow, ...]:
    rows = camp.conn.execute(
        "SELECT r.number, r.issued_at, v.round, a.original_name, v.verdict, v.errors,"
        " v.warnings, a.outcome, a.message, ag.name"
        " FROM receipts r JOIN arrivals a ON a.id = r.arrival_id"
        " JOIN agencies ag ON ag.code = r.agency_code"
        " LEFT JOIN versions v ON v.id = a.version_id"
        " WHERE r.agency_code = ? ORDER BY r.seq DESC",
        (code,),
    ).fetchall()
    out = []
    for number, issued, rnd, name, verdict, errors, warnings, outcome, message, agency in rows:
        if verdict:
            what = (
                f"第 {rnd} 轮，{VERDICT_ZH.get(verdict, verdict)}（错误 {errors}、提示 {warnings}）"
            )
        else:
            what = message
        text = f"回执 {number}：{agency} 的 {name} 已于 {_shown_time(issued)} 收到，{what}"
        out.append(
            ReceiptRow(
                number,
                _shown_time(issued),
                rnd,
                name,
                verdict or outcome,
                errors or 0,
                warnings or 0,
                text,
                _receipt_document(camp, number) is not None,
            )
        )
    return tuple(out)


def _events(conn: sqlite3.Connection, code: str) -> tuple[EventRow, ...]:
    rows = conn.execute(
        "SELECT at, kind, COALESCE(action, ''), COALESCE(from_state, ''),"
        " COALESCE(to_state, ''), reason FROM events WHERE agency_code = ? ORDER BY id DESC",
        (code,),
    ).fetchall()
    return tuple(
        EventRow(_shown_time(at), kind, fr, to, reason, event_text(kind, action))
        for at, kind, action, fr, to, reason in rows
    )


def _agency(conn: sqlite3.Connection, code: str) -> tuple[str, str, str, str, str, str, str, int]:
    row = conn.execute(
        "SELECT code, name, type, state, contact, phone, email, withdrawn FROM agencies"
        " WHERE code = ?",
        (code,),
    ).fetchone()
    if row is None:
        raise UsageError(f"花名册中没有单位 {code}", "请从看板进入单位页面")
    return row  # type: ignore[no-any-return]


# --- the board ----------------------------------------------------------------------------


def describe_campaign(req: CampaignRequest) -> CampaignTitle:
    """The campaign's title (and a check that the folder is a campaign)."""
    with open_campaign(req.campaign) as camp:
        return CampaignTitle(_title(camp), camp.info.year, camp.info.county)


def _contact(a: BoardAgency) -> ContactRow:
    return ContactRow(a.code, a.name, a.type, a.state, a.contact, a.phone, a.email)


def board_view(req: CampaignRequest) -> BoardView:
    """What ``campaign status`` shows (the same board), for the page: counts by state,
    rates by 单位类型, the reminder lists with their messages, every agency."""
    status = campaign_status(CampaignStatusRequest(req.campaign))
    board = status.board
    reminders = status.reminders()
    with open_campaign(req.campaign) as camp:
        title = _title(camp)
        info = camp.info
        inbox = camp.dir / INBOX_DIR
        inbox_files = {str(p.absolute()) for p in inbox.rglob("*.xlsx") if p.is_file()}
        known = {
            p
            for (p,) in camp.conn.execute(
                "SELECT DISTINCT source_path FROM arrivals WHERE source_path LIKE ?",
                (str(inbox.absolute()) + "%",),
            )
        }
        summary_ready = _summary_path(camp) is not None
    active = [a for a in board.agencies if not a.withdrawn]
    rates = tuple(
        RateRow(
            "" if kind == TOTAL else kind,
            c.expected,
            c.received,
            c.on_time,
            c.approved,
            c.to_fix,
            c.overdue + c.late,
            percent(c.reporting_rate),
            percent(c.on_time_rate),
        )
        for kind, c in sorted(board.by_type.items(), key=lambda kv: kv[0] != TOTAL)
    )
    lists = (
        ReminderList("missing", "未报", tuple(map(_contact, board.missing)), reminders["missing"]),
        ReminderList(
            "returned",
            "退回未改（需修改或已退回）",
            tuple(map(_contact, board.to_fix)),
            reminders["to_fix"],
        ),
        ReminderList(
            "overdue", "逾期未报", tuple(map(_contact, board.overdue)), reminders["overdue"]
        ),
    )
    return BoardView(
        title,
        info.year,
        info.county,
        info.deadline or "",
        _shown_time(board.as_of),
        tuple((st, sum(1 for a in active if a.state == st)) for st in STATES),
        rates,
        lists,
        tuple(
            AgencyRow(
                a.code,
                a.name,
                a.type,
                a.state,
                a.rounds or None,
                _shown_time(a.last_received_at),
                a.errors,
                a.warnings,
            )
            for a in active
        ),
        len(inbox_files - known),
        summary_ready,
    )


# --- an agency ----------------------------------------------------------------------------


def agency_view(req: AgencyRequest) -> AgencyView:
    """Everything about one agency: versions, marked findings, changes, receipts, events."""
    with open_campaign(req.campaign) as camp:
        code, name, typ, state, contact, phone, email, _ = _agency(camp.conn, req.code)
        versions = _versions(camp.conn, code)
        current, fixed, changed = _marked(camp, versions)
        clean = bool(versions) and versions[-1].errors == 0
        return AgencyView(
            code,
            name,
            typ,
            state,
            contact,
            phone,
            email,
            _version_rows(versions),
            current,
            fixed,
            changed,
            _receipts(camp, code),
            _events(camp.conn, code),
            can_approve=state == STATE_PENDING and clean,
            can_return=state in (STATE_PENDING, STATE_FIX),
            can_unapprove=state == STATE_APPROVED,
            has_notice=_notice_path(camp, code) is not None,
        )


# --- an agency's link ---------------------------------------------------------------------


def _owner(camp: Campaign, token: str) -> tuple[str, str, str]:
    owner = owner_of(camp, token)
    if owner.refusal is not None:
        kind = CATALOGUE[owner.refusal]
        raise UsageError(kind.title, kind.action)
    return owner.agency_code, owner.agency_name, owner.expires_on


def _template_of(camp: Campaign, code: str, name: str) -> Path | None:
    """The agency's template in templates/ (the one whose identity names the agency; the
    files named after it are tried first)."""
    folder = camp.dir / TEMPLATES_DIR
    if not folder.is_dir():
        return None
    candidates = sorted(
        folder.glob("*.xlsx"), key=lambda p: (code not in p.stem and name not in p.stem, p.name)
    )
    for p in candidates:
        if _file_agency(p) == code:
            return p
    return None


def _file_agency(path: Path) -> str | None:
    """The agency code a workbook's identity names, read as the check reads it ('' when
    none; None unreadable or not a workbook of ours)."""
    try:
        raw = read_xlsx(path, sheets=lambda name: name == META_SHEET)
    except (UnreadableFileError, OSError):
        return None
    fields = identity_fields(raw)
    return None if fields is None else fields.get("agency_code", "").strip()


def link_view(req: LinkRequest) -> LinkView:
    """What an agency sees through its link (refused with the reason when it does not work)."""
    with open_campaign(req.campaign) as camp:
        code, name, expires = _owner(camp, req.token)
        state = _agency(camp.conn, code)[3]
        versions = _versions(camp.conn, code)
        current, _, _ = _marked(camp, versions)
        return LinkView(
            code,
            name,
            state,
            _title(camp),
            camp.info.year,
            camp.info.deadline or "",
            expires,
            req.max_upload // (1024 * 1024),
            _version_rows(versions),
            _receipts(camp, code),
            current,
            _template_of(camp, code, name) is not None,
        )


def _refused(code: str, message: str) -> UploadOutcome:
    return UploadOutcome(False, code, message, "", None, (), (), (), None, False, None)


def upload_return(req: UploadRequest) -> UploadOutcome:
    """Ingest one file uploaded through an agency's link (as ``campaign ingest`` does),
    after making sure it is that agency's return; the answer to show at once."""
    with open_campaign(req.campaign) as camp:
        code, _name, _ = _owner(camp, req.token)
        stamp = "".join(ch for ch in camp.clock()[:26] if ch.isdigit()) + secrets.token_hex(4)
    # one folder per upload, holding the file under the agency's own name (the ledger
    # records that name); the name is made safe for every file system first (cut to a
    # byte budget, keeping its .xlsx), and the folder goes again if the file cannot be kept
    base = req.original_name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = (
        Path(req.campaign)
        / UPLOADS_DIR
        / safe_filename(code)
        / stamp
        / (safe_filename(base) if base.strip(" .") else "upload.xlsx")
    )
    kept.parent.parent.mkdir(parents=True, exist_ok=True)
    kept.parent.mkdir()  # this upload's own folder (the stamp is unique)
    try:
        shutil.move(str(req.path), str(kept))
    except BaseException:
        shutil.rmtree(kept.parent, ignore_errors=True)
        raise
    # another agency's file (or one naming none) is turned away before the ledger sees it,
    # so that its own agency can still send it; the ingest decides again as it records the
    # file (from the identity the check recognised): never another agency's version
    says = _file_agency(kept)
    if says is not None and says != code:
        kept.parent.rename(kept.parent.with_name(kept.parent.name + "_拒收"))
        if says == "":
            kind = CATALOGUE["serve-no-identity"]
            return _refused("serve-no-identity", f"{kind.title}。{kind.action}")
        kind = CATALOGUE["serve-other-agency"]
        return _refused(
            "serve-other-agency",
            f"{kind.title}：文件是单位 {says} 的报表，不是本单位（{code}）的。{kind.action}",
        )
    result = campaign_ingest(CampaignIngestRequest([kept], req.campaign, workers=1, sender=code))
    items = result.report.items
    if not items:
        return _refused("campaign-refused-unreadable", "文件无法接收，请重新上传。")
    item = items[0]
    if item.outcome == "refused":  # kept apart, for the office to see what was refused
        kept.parent.rename(kept.parent.with_name(kept.parent.name + "_拒收"))
    if item.receipt:  # the printable receipt, as ``campaign receipts`` writes it
        campaign_receipts(CampaignReceiptsRequest(req.campaign, code))
    with open_campaign(req.campaign) as camp:
        receipts = {r.number: r for r in _receipts(camp, code)}
        receipt = receipts.get(item.receipt) if item.receipt else None
        if item.outcome != "version":
            return UploadOutcome(
                False, item.code or "", item.message, "", None, (), (), (), receipt, False, None
            )
        # this upload's version, against the one before it (another upload of the agency
        # may have been recorded meanwhile)
        versions = _versions(camp.conn, code)
        mine = next(i for i, v in enumerate(versions) if v.sha256 == item.sha256)
        current, fixed, changed = _marked(camp, versions[: mine + 1])
        version = versions[mine]
        if item.errors:
            message = "请按下列问题修改后重新上传（可下载标注了问题的副本对照修改）。"
        elif item.warnings:
            message = "没有错误，有提示请核对；等待报送负责人审核。"
        else:
            message = "没有发现问题，等待报送负责人审核。"
        return UploadOutcome(
            True,
            item.code or "",
            message,
            item.verdict,
            item.round,
            current,
            fixed,
            changed,
            receipt,
            bool(version.errors or version.warnings),
            version.id,
        )


# --- actions -------------------------------------------------------------------------------


def _decision_text(result: CampaignDecisionResult, done_text: str) -> str:
    refused = [c for c in result.changes if not c.done]
    if refused:
        raise UsageError("；".join(c.message for c in refused if c.message) or "操作未完成")
    return done_text.format(n=len(result.changes))


def office_action(req: ActionRequest) -> ActionDone:
    """One of the office's actions, through the campaign API; what was done, in Chinese."""
    name, code, reason = req.name, req.code.strip(), req.reason.strip()
    if name == "ingest":
        report = campaign_ingest(CampaignIngestRequest((), req.campaign, workers=1)).report
        return ActionDone(
            f"收件箱：新版本 {report.count('version')} 份，重复 {report.count('duplicate')} 份，"
            f"未变 {report.count('unchanged')} 份，拒收 {report.count('refused')} 份，"
            f"此前已导入 {report.count('already')} 份。"
        )
    if name == "approve-clean":
        result = campaign_approve(CampaignApproveRequest((), True, req.campaign))
        return ActionDone(_decision_text(result, "已通过 {n} 个单位的报表。"))
    if name == "merge":
        return merge_summary(CampaignRequest(req.campaign))
    if name == "notice" and code:
        notices = campaign_notices(CampaignNoticeRequest(codes=(code,), campaign=req.campaign))
        bad = [n.message for n in notices.notices if n.refusal]
        if bad:
            raise UsageError("；".join(bad))
        return ActionDone("已生成退回修改通知和标注副本（notices 文件夹），可在本页下载。")
    if not code:
        raise UsageError("没有指定单位", "请从单位页面操作")
    if name == "approve":
        result = campaign_approve(CampaignApproveRequest((code,), False, req.campaign))
        return ActionDone(_decision_text(result, "已通过。"))
    if name in ("return", "unapprove") and not reason:
        raise UsageError("请填写原因", "退回和撤销通过都需要写明原因，原因会记入事件并告知单位")
    if name == "return":
        result = campaign_return(CampaignReturnRequest(code, reason, req.campaign))
        return ActionDone(_decision_text(result, "已退回修改。"))
    if name == "unapprove":
        result = campaign_unapprove(CampaignUnapproveRequest(code, reason, req.campaign))
        return ActionDone(_decision_text(result, "已撤销通过。"))
    raise UsageError(f"没有这个操作：{name}")


def merge_summary(req: CampaignRequest) -> ActionDone:
    """``campaign merge`` from the board: the summary of the approved versions (agencies
    without one listed as missing, the summary says it is partial)."""
    result = campaign_merge(CampaignMergeRequest(req.campaign, allow_missing=True))
    if result.refusal is not None or result.merge is None or not result.merge.summary_written:
        raise UsageError(result.message or "未能生成汇总表", "请先审核通过各单位的报表")
    m = result.merge
    tail = f"，{len(m.missing)} 个单位未计入（汇总表中已注明）" if m.missing else ""
    if result.left_out:
        tail += f"，{len(result.left_out)} 个已通过的版本未计入（原因见所用版本清单）"
    return ActionDone(f"已生成汇总表：{len(result.manifest)} 个单位已通过的报表计入汇总{tail}。")


def _summary_path(camp: Campaign) -> Path | None:
    """The newest summary in summary/ (not its manifest)."""
    folder = camp.dir / SUMMARY_DIR
    found = [
        p
        for p in folder.glob("*.xlsx")
        if p.is_file() and not p.stem.endswith("_汇总清单") and not p.name.startswith(".~")
    ]
    return max(found, key=lambda p: (p.stat().st_mtime, p.name)) if found else None


def _notice_path(camp: Campaign, code: str) -> Path | None:
    """The agency's newest 退回修改通知 in notices/<code>_<name>/."""
    found = [
        p
        for p in (camp.dir / NOTICES_DIR).glob(f"{glob_escape(code)}_*/退回修改通知_*.xlsx")
        if p.is_file()
    ]
    return max(found, key=lambda p: (p.stat().st_mtime, p.name)) if found else None


# --- downloads -----------------------------------------------------------------------------


def _annotated(camp: Campaign, code: str | None, ref: str) -> Download:
    try:
        version_id = int(ref)
    except ValueError:
        raise UsageError("没有这个版本") from None
    row = camp.conn.execute(
        "SELECT v.agency_code, f.stored_path, f.original_name, v.round FROM versions v"
        " JOIN files f ON f.sha256 = v.sha256 WHERE v.id = ?",
        (version_id,),
    ).fetchone()
    if row is None or (code is not None and row[0] != code):
        raise UsageError("没有这个版本")
    with campaign_check_options(camp) as options:
        checked = check_file(camp.dir / row[1], options)
    if checked.data is None:
        raise UsageError("这一版本无法读取，不能生成退回修改稿")
    name = return_stem(checked.data.identity, checked.data.signoff, row[2], row[3]) + ".xlsx"
    return Download(Path(name), name, XLSX, annotated_bytes(checked, round_no=row[3]))


def _receipt(camp: Campaign, code: str | None, number: str) -> Download:
    row = camp.conn.execute(
        "SELECT agency_code FROM receipts WHERE number = ?", (number,)
    ).fetchone()
    if row is None or (code is not None and row[0] != code):
        raise UsageError("没有这张回执")
    found = _receipt_document(camp, number)
    if found is None:
        raise UsageError("这张回执没有可下载的文件", "回执文字见页面")
    return Download(
        found, found.name, XLSX if found.suffix == ".xlsx" else "application/octet-stream"
    )


def office_download(req: DownloadRequest) -> Download:
    """A file for the office, named by a ledger id (never a path from the request)."""
    if req.kind == "status":  # the board as ``campaign status --export`` writes it
        board = campaign_status(CampaignStatusRequest(req.campaign)).board
        return Download(Path("报送进度.xlsx"), "报送进度.xlsx", XLSX, board_bytes(board))
    with open_campaign(req.campaign) as camp:
        if req.kind == "templates":
            buf = io.BytesIO()
            folder = camp.dir / TEMPLATES_DIR
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for p in sorted(folder.glob("*.xlsx")):
                    info = zipfile.ZipInfo(p.name, date_time=(2000, 1, 1, 0, 0, 0))
                    info.flag_bits |= 0x800  # UTF-8 names (Chinese file names)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, p.read_bytes())
            name = f"{camp.info.county}{camp.info.year}年度报表模板.zip"
            return Download(Path(name), name, ZIP, buf.getvalue())
        if req.kind == "annotated":
            return _annotated(camp, None, req.ref)
        if req.kind == "summary":
            summary = _summary_path(camp)
            if summary is None:
                raise UsageError("还没有生成汇总表", "请先在看板上点“生成汇总表”")
            return Download(summary, summary.name, XLSX)
        if req.kind == "original":
            try:
                version_id = int(req.ref)
            except ValueError:
                raise UsageError("没有这个版本") from None
            row = camp.conn.execute(
                "SELECT f.stored_path, f.original_name FROM versions v"
                " JOIN files f ON f.sha256 = v.sha256 WHERE v.id = ?",
                (version_id,),
            ).fetchone()
            if row is None:
                raise UsageError("没有这个版本")
            return Download(camp.dir / row[0], safe_filename(row[1]), XLSX)
        if req.kind == "receipt":
            return _receipt(camp, None, req.ref)
        if req.kind == "notice":
            notice = _notice_path(camp, req.ref)
            if notice is None:
                raise UsageError("这个单位还没有退回修改通知", "请先在单位页面生成")
            return Download(notice, notice.name, XLSX)
    raise UsageError(f"没有这类文件：{req.kind}")


def agency_download(req: AgencyDownloadRequest) -> Download:
    """A file for the agency of a link: its template, its annotated copies, its receipts."""
    with open_campaign(req.campaign) as camp:
        code, name, _ = _owner(camp, req.token)
        if req.kind == "template":
            found = _template_of(camp, code, name)
            if found is None:
                raise UsageError("没有找到本单位的模板", "请联系报送负责人")
            return Download(found, found.name, XLSX)
        if req.kind == "annotated":
            return _annotated(camp, code, req.ref)
        if req.kind == "receipt":
            return _receipt(camp, code, req.ref)
    raise UsageError(f"没有这类文件：{req.kind}")


# --- the Windows launcher ------------------------------------------------------------------

LAUNCHER = "启动.cmd"


def _launcher_source() -> Path:
    """启动.cmd as installed (in the wheel) or in a source checkout (windows/)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "web" / "launcher" / LAUNCHER, here.parent / "windows" / LAUNCHER):
        if candidate.is_file():
            return candidate
    raise UsageError(f"找不到 {LAUNCHER}（安装不完整）", "请重新安装 xlreport")


def write_launcher(req: CampaignRequest) -> Path:
    """Put 启动.cmd into the campaign folder (double-click: serve it and open the board).
    An existing file of that name is replaced only when it is an earlier copy of ours."""
    with open_campaign(req.campaign) as camp:
        target = camp.dir / LAUNCHER
    # the Python of this installation is tried first (a .venv anywhere on the machine)
    data = (
        _launcher_source()
        .read_bytes()
        .replace(b'set "XLR_PYTHON="', f'set "XLR_PYTHON={sys.executable}"'.encode())
    )
    if target.exists() and target.read_bytes() != data:
        old = target.read_bytes()
        if b"xlreport serve" not in old:
            raise UsageError(
                f"{target} 已存在且不是 xlreport 的启动文件，未覆盖", "请改名或移走后重试"
            )
    atomic_write_bytes(target, data)
    return target
