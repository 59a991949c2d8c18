"""The kinds of event the ledger's chain records, and how each reads in Chinese.

Every ``kind`` passed to :func:`~xlreport.ledger.chain.append_event` (in the ledger, and the
``merge`` the campaign API records) has its wording here; a state change reads by its
``action`` (the transitions of :data:`~xlreport.ledger.schema.TRANSITIONS`). Pages and
notices read events through :func:`event_text`, never by their codes.
tests/test_event_text.py fails for a kind written anywhere without a wording here.
"""

from __future__ import annotations

from collections.abc import Mapping

#: The roster's changes (``agency-`` + :class:`~xlreport.ledger.model.RosterChange` change).
ROSTER_EVENT_TEXT: Mapping[str, str] = {
    "agency-added": "列入单位名单",
    "agency-renamed": "单位更名",
    "agency-details": "单位信息变更（类型、联系人、电话或邮箱）",
    "agency-withdrawn": "从单位名单中撤销",
    "agency-restored": "重新列入单位名单",
}

#: The clerk's decisions (``agency-`` + the action of the transition).
DECISION_EVENT_TEXT: Mapping[str, str] = {
    "agency-approve": "审核通过",
    "agency-return": "退回修改",
    "agency-unapprove": "撤销通过",
}

#: Every event kind → its wording.
EVENT_TEXT: Mapping[str, str] = {
    "campaign-created": "建立报送活动",
    **ROSTER_EVENT_TEXT,
    **DECISION_EVENT_TEXT,
    "file-version": "收到新版本",
    "file-duplicate": "收到重复文件（与已收到的文件完全相同，未登记）",
    "file-unchanged": "收到的文件与上一版数据相同（未登记为新版本）",
    "file-refused": "拒收文件",
    "merge": "生成汇总表",
}

#: The actions of the transitions → their wording (more precise than the kind's).
ACTION_TEXT: Mapping[str, str] = {
    "submit-clean": "收到新版本（无错误）",
    "submit-errors": "收到新版本（有错误）",
    "approve": "审核通过",
    "return": "退回修改",
    "unapprove": "撤销通过",
}


def event_text(kind: str, action: str | None = None) -> str:
    """An event as people read it: its action's wording, else its kind's (the code itself
    only for a kind this version does not know, e.g. a ledger written by a newer one)."""
    if action and action in ACTION_TEXT:
        return ACTION_TEXT[action]
    return EVENT_TEXT.get(kind, kind)
