"""The answers of ``xlreport serve`` to an agency's link and upload: one code per refusal.

An upload through an agency's link is refused before it is ingested when it is not that
agency's return; a link that is unknown, revoked or past its campaign is refused. Spliced
into the one catalogue (xlreport/checks/catalogue.py).
"""

from __future__ import annotations

from xlreport.codes import FindingCode
from xlreport.findings import Severity

SERVE_GROUP = "报送网页"

#: (code, severity, Chinese title, action), in the order docs/findings.md lists them.
SERVE_KINDS: tuple[tuple[FindingCode, Severity, str, str], ...] = (
    (
        "serve-other-agency",
        "error",
        "通过本单位链接上传的是其他单位的报表，已拒收",
        "请上传本单位的报表：从本页面下载本单位的模板填写；其他单位的报表请由其通过自己的链接上传。",
    ),
    (
        "serve-no-identity",
        "error",
        "上传的文件不是本次下发的带单位信息的模板，无法确认是哪个单位的报表，已拒收",
        "请从本页面下载本单位的模板，在模板中填写后上传（不要复制到新建的工作簿里）。",
    ),
    (
        "serve-link-unknown",
        "error",
        "链接无效（不存在或已被更换）",
        "请向报送负责人索取本单位的新链接。",
    ),
    (
        "serve-link-revoked",
        "error",
        "链接已被报送负责人停用",
        "请向报送负责人索取本单位的新链接。",
    ),
    (
        "serve-link-expired",
        "error",
        "链接已过期（本次收集活动已结束）",
        "如仍需报送，请联系报送负责人。",
    ),
    (
        "serve-agency-withdrawn",
        "error",
        "本单位已不在本次报送名单中，链接不再可用",
        "如有疑问，请联系报送负责人。",
    ),
)
