"""A collection campaign (``xlreport campaign …``): create it, update its roster, ingest the
files received, approve / return / withdraw an approval, verify the ledger.

Each use case: one typed request (frozen dataclass) → one typed result with ``to_json()``.
The campaign is the folder ``campaign`` (default: the current folder), opened for the one
call and closed again; every change is one transaction of the ledger
(:mod:`xlreport.ledger`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlreport.campaign.records import ReceiptDocuments
from xlreport.errors import UsageError
from xlreport.jsonout import JsonArray, JsonResult
from xlreport.ledger import (
    Campaign,
    CampaignInfo,
    IngestItem,
    IngestReport,
    Problem,
    RosterChange,
    StateChange,
    approve,
    create_campaign,
    ingest,
    return_agency,
    unapprove,
    update_roster,
    verify,
)
from xlreport.ledger.campaign import TEMPLATES_DIR, Clock, utc_now
from xlreport.mapped_view import MappedView


def open_campaign(folder: str | Path = ".", *, clock: Clock = utc_now) -> Campaign:
    """The campaign at ``folder``, open (close it, or use it in a ``with``)."""
    return Campaign.open(folder, clock=clock)


# --- init -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignInitRequest:
    folder: str | Path
    year: int
    roster: str | Path
    format_id: str | None = None
    spec: str | Path | None = None
    name: str = ""  # the county (县/区) of the templates, e.g. 清河县
    deadline: str | None = None  # ISO date, e.g. 2025-01-20
    grace_days: int = 0
    password: str | None = None  # template protection (default: generated, kept in the ledger)


@dataclass
class CampaignInitResult(JsonResult):
    folder: Path
    info: CampaignInfo
    agencies: int
    templates: Sequence[Path]
    roster_notes: list[str] = field(default_factory=list)

    exit_code = 0

    def json_document(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "campaign": self.info.to_dict(),
            "agencies": self.agencies,
            "templates": JsonArray(self.templates, str),
            "roster_notes": self.roster_notes,
        }


def campaign_init(req: CampaignInitRequest, *, clock: Clock = utc_now) -> CampaignInitResult:
    """Create the campaign folder: ledger, templates for every roster agency, inbox/, …"""
    camp, notes = create_campaign(
        req.folder,
        year=req.year,
        roster=req.roster,
        format_id=req.format_id,
        spec=req.spec,
        county=req.name,
        deadline=req.deadline,
        grace_days=req.grace_days,
        password=req.password,
        clock=clock,
    )
    with camp:
        count = camp.conn.execute("SELECT COUNT(*) FROM agencies").fetchone()[0]
        folder = camp.dir / TEMPLATES_DIR
        # the workbooks there as glob finds and sorts them, kept as names (100,000 of them)
        names = [p.name for p in sorted(folder.glob("*.xlsx"))]
        templates = MappedView(names, folder.joinpath)
        return CampaignInitResult(camp.dir, camp.info, int(count), templates, notes)


# --- roster -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRosterRequest:
    roster: str | Path
    campaign: str | Path = "."


@dataclass
class CampaignRosterResult(JsonResult):
    changes: list[RosterChange]
    agencies: int  # on the roster now (withdrawn ones not counted)
    roster_notes: list[str] = field(default_factory=list)

    exit_code = 0

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    def json_document(self) -> dict[str, Any]:
        kinds = ("added", "renamed", "withdrawn", "restored", "details")
        return {
            "agencies": self.agencies,
            "counts": {k: self.count(k) for k in kinds},
            "changes": JsonArray(self.changes, RosterChange.to_dict),
            "roster_notes": self.roster_notes,
        }


def campaign_roster(req: CampaignRosterRequest, *, clock: Clock = utc_now) -> CampaignRosterResult:
    """Apply a new roster: agencies added, renamed, withdrawn, restored; history kept."""
    with open_campaign(req.campaign, clock=clock) as camp:
        changes, notes = update_roster(camp, req.roster)
        (count,) = camp.conn.execute("SELECT COUNT(*) FROM agencies WHERE withdrawn = 0").fetchone()
        return CampaignRosterResult(changes, int(count), notes)


# --- ingest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignIngestRequest:
    paths: Sequence[str | Path] = ()  # files or folders; none: the campaign's inbox/
    campaign: str | Path = "."
    workers: int | None = None
    #: The agency the files came from (an upload through its link): a file of another
    #: agency, or of none, is refused (see :func:`xlreport.ledger.ingest`).
    sender: str | None = None


@dataclass
class CampaignIngestResult(JsonResult):
    report: IngestReport
    #: The receipt documents written into receipts/ for this ingest's receipts.
    receipt_files: Sequence[Path] = ()
    #: Why the receipt documents could not be written ("" when they were): the ledger has
    #: recorded the files all the same; ``campaign receipts`` writes them later.
    receipt_problem: str = ""

    @property
    def exit_code(self) -> int:
        """2: a file could not be read at all; 1: a file refused or a new version with
        errors; 0 otherwise (duplicates and files already ingested are fine)."""
        r = self.report
        if r.count("unreadable"):
            return 2
        return 1 if r.count("refused") or r.count("unchanged") or r.with_errors else 0

    def json_document(self) -> dict[str, Any]:
        return {
            **self.report.json_document(),
            "receipt_files": JsonArray(self.receipt_files, str),
            "receipt_problem": self.receipt_problem,
            "exit_code": self.exit_code,
        }


def campaign_ingest(req: CampaignIngestRequest, *, clock: Clock = utc_now) -> CampaignIngestResult:
    """Store, check once and record every file (see :func:`xlreport.ledger.ingest`)."""
    if req.workers is not None and req.workers < 1:
        raise UsageError(f"--workers {req.workers} 无效", "至少为 1")
    with open_campaign(req.campaign, clock=clock) as camp:
        documents = ReceiptDocuments(camp)
        problem = ""

        def write(items: Sequence[IngestItem]) -> None:
            """The receipts of these items (every receipt given comes here once, as its
            transaction commits), unless one could not be written: the files are recorded
            all the same, the documents can follow later (campaign receipts)."""
            nonlocal problem
            for item in items:
                if problem or not item.receipt:
                    continue
                try:
                    documents.write(item.receipt)
                except UsageError as e:
                    problem = f"{e}；回执文档未写入（稍后运行 campaign receipts 补写）"

        report = ingest(camp, req.paths, workers=req.workers, recorded=write, sender=req.sender)
        return CampaignIngestResult(report, documents.written, problem)


# --- decisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignApproveRequest:
    codes: Sequence[str] = ()
    all_clean: bool = False  # every agency in 已报（待审核）
    campaign: str | Path = "."


@dataclass(frozen=True)
class CampaignReturnRequest:
    code: str
    reason: str
    campaign: str | Path = "."


@dataclass(frozen=True)
class CampaignUnapproveRequest:
    code: str
    reason: str
    campaign: str | Path = "."


@dataclass
class CampaignDecisionResult(JsonResult):
    changes: list[StateChange]

    @property
    def exit_code(self) -> int:
        """1 when a decision asked for was refused (not allowed in the agency's state)."""
        return 1 if any(not c.done for c in self.changes) else 0

    def json_document(self) -> dict[str, Any]:
        done = sum(1 for c in self.changes if c.done)
        return {
            "done": done,
            "refused": len(self.changes) - done,
            "changes": JsonArray(self.changes, StateChange.to_dict),
            "exit_code": self.exit_code,
        }


def campaign_approve(
    req: CampaignApproveRequest, *, clock: Clock = utc_now
) -> CampaignDecisionResult:
    """已通过 for the agencies named (or every clean pending one)."""
    codes = [c.strip() for c in req.codes if c.strip()]
    with open_campaign(req.campaign, clock=clock) as camp:
        return CampaignDecisionResult(approve(camp, codes, all_clean=req.all_clean))


def campaign_return(
    req: CampaignReturnRequest, *, clock: Clock = utc_now
) -> CampaignDecisionResult:
    """退回: send the agency's current version back for correction, with the reason."""
    with open_campaign(req.campaign, clock=clock) as camp:
        return CampaignDecisionResult([return_agency(camp, req.code.strip(), req.reason)])


def campaign_unapprove(
    req: CampaignUnapproveRequest, *, clock: Clock = utc_now
) -> CampaignDecisionResult:
    """撤销通过: withdraw an approval, with the reason."""
    with open_campaign(req.campaign, clock=clock) as camp:
        return CampaignDecisionResult([unapprove(camp, req.code.strip(), req.reason)])


# --- verify -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignVerifyRequest:
    campaign: str | Path = "."


@dataclass
class CampaignVerifyResult(JsonResult):
    problems: list[Problem]
    events: int
    files: int

    @property
    def ok(self) -> bool:
        return not any(p.blocking for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def json_document(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "files": self.files,
            "problems": JsonArray(self.problems, Problem.to_dict),
            "exit_code": self.exit_code,
        }


def campaign_verify(req: CampaignVerifyRequest) -> CampaignVerifyResult:
    """Check the event chain, every stored file's hash and every agency's state."""
    with open_campaign(req.campaign) as camp:
        problems = verify(camp)
        (events,) = camp.conn.execute("SELECT COUNT(*) FROM events").fetchone()
        (files,) = camp.conn.execute("SELECT COUNT(*) FROM files").fetchone()
        return CampaignVerifyResult(problems, int(events), int(files))
