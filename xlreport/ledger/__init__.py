"""The campaign ledger: one SQLite file per collection campaign (layer above merge/batch,
below the library API).

:func:`create_campaign` / :meth:`Campaign.open` make and open a campaign folder;
:func:`ingest` records the files received; :func:`approve`, :func:`return_agency` and
:func:`unapprove` are the clerk's decisions; :func:`update_roster` applies a new roster;
:func:`verify` checks the event chain and the store. Tables and states: see
:mod:`xlreport.ledger.schema`.
"""

from xlreport.ledger.campaign import Campaign, CampaignInfo, create_campaign, update_roster
from xlreport.ledger.ingest import ingest, unpack_json
from xlreport.ledger.model import IngestItem, IngestReport, Problem, RosterChange, StateChange
from xlreport.ledger.review import approve, return_agency, unapprove
from xlreport.ledger.schema import (
    SCHEMA_VERSION,
    STATE_APPROVED,
    STATE_FIX,
    STATE_NONE,
    STATE_PENDING,
    STATE_RETURNED,
    STATES,
    TRANSITIONS,
)
from xlreport.ledger.verify import verify

__all__ = [
    "SCHEMA_VERSION",
    "STATES",
    "STATE_APPROVED",
    "STATE_FIX",
    "STATE_NONE",
    "STATE_PENDING",
    "STATE_RETURNED",
    "TRANSITIONS",
    "Campaign",
    "CampaignInfo",
    "IngestItem",
    "IngestReport",
    "Problem",
    "RosterChange",
    "StateChange",
    "approve",
    "create_campaign",
    "ingest",
    "return_agency",
    "unapprove",
    "unpack_json",
    "update_roster",
    "verify",
]
