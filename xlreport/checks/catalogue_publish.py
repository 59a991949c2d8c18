"""Finding codes of `xlreport publish` (spliced into the catalogue's ``_KINDS``)."""

from __future__ import annotations

from xlreport.codes import FindingCode
from xlreport.findings import Severity

PUBLISH_GROUP = "发布"

#: (code, severity, Chinese title, action), in the order docs/findings.md lists them.
PUBLISH_KINDS: tuple[tuple[FindingCode, Severity, str, str], ...] = (
    (
        "publish-refused", "error", "报表有未改正的错误，未发布",
        "先用 xlreport check 查看并改正错误后再发布；确需先出一份供核对的稿子时加 --force（每页标注“未通过校验”，不得作为正式报告发布）。",
    ),
)  # fmt: skip
