"""The library API: one typed request → one typed result per use case.

Every front end (the command line in ``xlreport/cli``, the web pages in ``xlreport/web``)
parses its input, calls one function here and renders the result; validation (years,
layout, roster, paths) happens here, not in the front ends. A result knows how to render
itself as JSON (``to_json()``); rendering for people (rich, HTML) lives in the front ends.

One module per use case (``xlreport/api/<use case>.py``). The function names say what they
do and differ from their module's name (``check_files`` in ``check.py``). The pages of
``xlreport serve`` have their own view functions in :mod:`xlreport.api.campaign_web`.
"""

from xlreport.api.annotate import AnnotateRequest, AnnotateResult, annotate_returns
from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignDecisionResult,
    CampaignIngestRequest,
    CampaignIngestResult,
    CampaignInitRequest,
    CampaignInitResult,
    CampaignReturnRequest,
    CampaignRosterRequest,
    CampaignRosterResult,
    CampaignUnapproveRequest,
    CampaignVerifyRequest,
    CampaignVerifyResult,
    campaign_approve,
    campaign_ingest,
    campaign_init,
    campaign_return,
    campaign_roster,
    campaign_unapprove,
    campaign_verify,
)
from xlreport.api.campaign_board import (
    CampaignHistoryRequest,
    CampaignHistoryResult,
    CampaignMergeRequest,
    CampaignMergeResult,
    CampaignNoticeRequest,
    CampaignNoticeResult,
    CampaignReceiptsRequest,
    CampaignReceiptsResult,
    CampaignStatusRequest,
    CampaignStatusResult,
    ReceiptVerifyRequest,
    ReceiptVerifyResult,
    campaign_history,
    campaign_merge,
    campaign_notices,
    campaign_receipts,
    campaign_status,
    verify_receipt,
)
from xlreport.api.campaign_links import CampaignLinksRequest, CampaignLinksResult, campaign_links
from xlreport.api.check import CheckRequest, CheckResult, check_files
from xlreport.api.import_reports import ImportRequest, ImportResult, import_reports
from xlreport.api.merge import MergeRequest, MergeResult, merge_returns
from xlreport.api.publish import PublishRequest, PublishResult, publish_file
from xlreport.api.template import TemplateRequest, TemplateResult, make_templates

__all__ = [
    "AnnotateRequest",
    "AnnotateResult",
    "CampaignApproveRequest",
    "CampaignDecisionResult",
    "CampaignHistoryRequest",
    "CampaignHistoryResult",
    "CampaignIngestRequest",
    "CampaignIngestResult",
    "CampaignInitRequest",
    "CampaignInitResult",
    "CampaignLinksRequest",
    "CampaignLinksResult",
    "CampaignMergeRequest",
    "CampaignMergeResult",
    "CampaignNoticeRequest",
    "CampaignNoticeResult",
    "CampaignReceiptsRequest",
    "CampaignReceiptsResult",
    "CampaignReturnRequest",
    "CampaignRosterRequest",
    "CampaignRosterResult",
    "CampaignStatusRequest",
    "CampaignStatusResult",
    "CampaignUnapproveRequest",
    "CampaignVerifyRequest",
    "CampaignVerifyResult",
    "CheckRequest",
    "CheckResult",
    "ImportRequest",
    "ImportResult",
    "MergeRequest",
    "MergeResult",
    "PublishRequest",
    "PublishResult",
    "ReceiptVerifyRequest",
    "ReceiptVerifyResult",
    "TemplateRequest",
    "TemplateResult",
    "annotate_returns",
    "campaign_approve",
    "campaign_history",
    "campaign_ingest",
    "campaign_init",
    "campaign_links",
    "campaign_merge",
    "campaign_notices",
    "campaign_receipts",
    "campaign_return",
    "campaign_roster",
    "campaign_status",
    "campaign_unapprove",
    "campaign_verify",
    "check_files",
    "import_reports",
    "make_templates",
    "merge_returns",
    "publish_file",
    "verify_receipt",
]
