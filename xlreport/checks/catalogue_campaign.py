"""The results of a collection campaign (``xlreport campaign …``): one code per outcome.

What happened to a file handed to ``campaign ingest`` (recorded as a version, a
duplicate, refused and why), why a state change was refused, and what ``campaign verify``
found wrong. Spliced into the one catalogue (xlreport/checks/catalogue.py).
"""

from __future__ import annotations

from xlreport.codes import FindingCode
from xlreport.findings import Severity

CAMPAIGN_GROUP = "收集活动"

#: (code, severity, Chinese title, action), in the order docs/findings.md lists them.
CAMPAIGN_KINDS: tuple[tuple[FindingCode, Severity, str, str], ...] = (
    (
        "campaign-version-recorded", "info", "已登记为该单位的新版本",
        "无需处理；按校验结果审核（campaign approve）或退回（campaign return）。",
    ),
    (
        "campaign-duplicate", "info", "与已收到的文件完全相同（重复报送），未再次登记",
        "无需处理：这份文件此前已经收到并登记过。",
    ),
    (
        "campaign-unchanged", "warning", "再次报送的数据与上一版本完全相同，未作为新版本登记",
        "如单位说已修改，请核实对方发来的是否是改过的文件；需要修改的问题见上一版本的校验结果。",
    ),
    (
        "campaign-refused-unreadable", "error", "文件无法作为报表读取，未登记为任何单位的报表",
        "按原因处理（如请单位用下发的模板另存为 .xlsx），收到新文件后重新导入。",
    ),
    (
        "campaign-not-a-return", "error", "文件是汇总表而不是单位的报表",
        "汇总表不在收集范围内；请确认单位发来的是本单位的报表。",
    ),
    (
        "campaign-wrong-year", "error", "报表年度与本次收集活动的年度不同",
        "请单位用本年度下发的模板重新填写；文件已留存但不计入本次活动。",
    ),
    (
        "campaign-wrong-layout", "error", "报表的布局（格式或版本）与本次收集活动不同",
        "请单位用本次下发的模板重新填写；文件已留存但不计入本次活动。",
    ),
    (
        "campaign-wrong-county", "error", "报表属于另一个县（区）的收集活动",
        "核实文件来源；这份模板是发给别的县（区）的，不计入本次活动。",
    ),
    (
        "campaign-unknown-agency", "error", "填报单位不在本次活动的单位名单中",
        "如确为应报单位，请先用 campaign roster 更新名单再重新导入；否则请核实来源。",
    ),
    (
        "campaign-agency-withdrawn", "error", "填报单位已从名单中撤销",
        "如该单位仍需报送，请在名单中恢复它（campaign roster）后重新导入。",
    ),
    (
        "campaign-source-changed", "error", "导入过程中原文件被改动，未登记",
        "等单位或同事保存完毕后重新运行 campaign ingest。",
    ),
    (
        "campaign-source-unreadable", "error", "原文件无法读取，未登记",
        "检查文件是否存在、是否有读取权限，改正后重新运行 campaign ingest。",
    ),
    (
        "campaign-not-allowed", "error", "单位当前的状态不允许这项操作",
        "用 campaign status 查看单位的状态：只有“已报（待审核）”的版本可以通过，只有已通过的可以撤销通过。",
    ),
    (
        "campaign-agency-missing", "error", "名单中没有这个单位编码",
        "核对单位编码（campaign status 列出全部单位）。",
    ),
    (
        "campaign-chain-broken", "error", "事件记录链断开或记录被改动",
        "台账的事件记录在写入后被改动或删除；请从备份恢复台账，并查明原因。",
    ),
    (
        "campaign-file-damaged", "error", "存储的文件缺失或内容与登记的 sha256 不符",
        "从单位发来的原件（或备份）重新导入：campaign ingest 原件 会把文件放回存储。",
    ),
    (
        "campaign-state-mismatch", "error", "单位的当前状态与事件记录不符",
        "台账被直接改动过；请从备份恢复台账。",
    ),
    (
        "campaign-ledger-damaged", "error", "台账数据库本身已损坏",
        "请从备份恢复台账（ledger.sqlite3）。",
    ),
    (
        "campaign-store-extra", "info", "存储中有未登记的文件（多为导入被中断时留下）",
        "无需处理：重新运行 campaign ingest 会登记对应的文件。",
    ),
)  # fmt: skip
