"""Campaign board, receipts, notices and merge (``xlreport campaign status|history|receipt|
notice|receipts|merge``): one code per refusal or result. Spliced into the one catalogue
(xlreport/checks/catalogue.py) in the campaign group.
"""

from __future__ import annotations

from xlreport.codes import FindingCode
from xlreport.findings import Severity

#: (code, severity, Chinese title, action), in the order docs/findings.md lists them.
CAMPAIGN_BOARD_KINDS: tuple[tuple[FindingCode, Severity, str, str], ...] = (
    (
        "campaign-receipt-unknown", "error", "台账中没有这个回执号",
        "核对回执号是否抄错（格式如 2024-QH001-002），以及是否在本活动文件夹中核验。",
    ),
    (
        "campaign-receipt-file-changed", "error", "回执对应的存档文件缺失或已被改动",
        "存档文件与回执登记的 sha256 不符：请运行 campaign verify 查明原因，从备份恢复存档。",
    ),
    (
        "campaign-notice-not-needed", "error", "该单位不处于“需修改”或“退回”状态，无需退回修改通知",
        "用 campaign status 查看单位的状态；要退回请先运行 campaign return 编码 --reason …。",
    ),
    (
        "campaign-merge-unapproved", "error", "有单位已报送但没有已通过的版本，未汇总",
        "先审核这些单位（campaign approve 或 campaign return）；确需先出部分汇总时加 --allow-missing。",
    ),
    (
        "campaign-merge-nothing", "error", "没有已通过的版本，无法汇总",
        "先用 campaign approve 审核通过单位的报表，再运行 campaign merge。",
    ),
)  # fmt: skip
