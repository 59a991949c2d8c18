"""Every finding code `xlreport check` can report: severity, Chinese title, what to do.

The catalogue is the one place a code is defined; :func:`finding` refuses an unknown code,
and ``docs/findings.md`` and the code type (``xlreport/codes.py``, which mypy checks every
code against) are generated from it (tests keep both current)::

    python -m xlreport.checks.findings_doc > docs/findings.md
    python -m xlreport.checks.findings_doc --codes > xlreport/codes.py
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from xlreport.checks.catalogue_campaign import CAMPAIGN_GROUP, CAMPAIGN_KINDS
from xlreport.checks.catalogue_campaign_board import CAMPAIGN_BOARD_KINDS
from xlreport.checks.catalogue_import import IMPORT_GROUP, IMPORT_KINDS
from xlreport.checks.catalogue_publish import PUBLISH_GROUP, PUBLISH_KINDS
from xlreport.checks.catalogue_reader import READER_REASONS
from xlreport.checks.catalogue_serve import SERVE_GROUP, SERVE_KINDS
from xlreport.codes import FindingCode
from xlreport.findings import SEVERITY_ZH, Finding, Severity, TemplatePos


@dataclass(frozen=True)
class FindingKind:
    code: FindingCode
    severity: Severity
    group: str
    title: str
    action: str


_FILE = "文件"
_IDENTITY = "标识与归属"
IDENTITY_GROUP = _IDENTITY  # a file with an error of this group is not surely whose it says
_STRUCTURE = "表格结构"
_FORMULA = "合计公式"
_VALUE = "填报数值"
_RULE = "勾稽关系"
_MERGE = "汇总取舍"

_KINDS = (
    FindingKind(
        "file-unreadable", "error", _FILE, "文件无法作为 Excel 工作簿打开（其他原因）",
        "按提示处理（如用 Excel/WPS 另存为 .xlsx 格式、去掉打开密码），再重新报送。",
    ),
    # why the reader refused a file: one code per reason (catalogue_reader.py)
    *(FindingKind(code, "error", _FILE, title, action) for code, title, action in READER_REASONS),
    FindingKind(
        "file-skipped", "info", _FILE, "文件未校验（锁定文件、隐藏文件或非电子表格）",
        "无需处理；如果这是应报送的报表，请改为 .xlsx 文件后重新校验。",
    ),
    FindingKind(
        "folder-unreadable", "error", _FILE, "文件夹无法读取，其中的文件未校验",
        "检查文件夹的读取权限（或是否已被删除），改正后重新运行。",
    ),
    FindingKind(
        "link-broken", "error", _FILE, "链接指向的文件不存在或链接循环",
        "找到链接原本指向的报表文件，把文件本身放入文件夹后重新运行。",
    ),
    FindingKind(
        "file-name-undecodable", "error", _FILE,
        "文件名的编码无法识别（多为在别的系统上解压的压缩包中的中文文件名）",
        "把该文件改名（例如“单位名称.xlsx”）后放回原处，重新运行。",
    ),
    FindingKind(
        "not-xlreport-workbook", "error", _FILE, "不是本工具生成的报表模板",
        "请单位使用下发的模板填写（不要复制到新建的表格中），再重新报送。",
    ),
    FindingKind(
        "unknown-layout", "error", _FILE, "报表使用了不认识的布局",
        "用 --format 或 --spec 指定该模板对应的布局，或请单位改用本年度下发的模板。",
    ),
    FindingKind(
        "identity-damaged", "error", _FILE, "报表的标识信息已损坏",
        "请单位改用下发的模板重新填写。",
    ),
    FindingKind(
        "identity-copies-differ", "error", _IDENTITY, "报表标识的两份记录不一致",
        "标识被改动过；请单位改用下发的模板重新填写。",
    ),
    FindingKind(
        "identity-copy-missing", "warning", _IDENTITY, "报表标识缺少一份记录",
        "缺少名称时一般是被其他软件另存导致，核对单位和年度无误即可（警告）；隐藏的标识工作表被删除则是人为改动（错误），请用原模板重新填报。",
    ),
    FindingKind(
        "layout-mismatch", "error", _IDENTITY, "报表布局与要求的布局不同",
        "请单位改用本次下发的模板重新填写，或检查 --format/--spec 是否选对。",
    ),
    FindingKind(
        "layout-version-mismatch", "error", _IDENTITY, "报表模板的版本与当前布局不同",
        "请单位改用本次下发的模板重新填写（旧模板的表格可能与现行格式不同）。",
    ),
    FindingKind(
        "year-mismatch", "error", _IDENTITY, "报告年度与要求的年度不同",
        "请单位用本年度的模板重新填写，或检查 --year 是否正确。",
    ),
    FindingKind(
        "agency-not-in-roster", "error", _IDENTITY, "填报单位不在单位名单中",
        "核对单位名单（--roster）；如名单有误请更新名单，否则请单位使用自己的模板。",
    ),
    FindingKind(
        "agency-name-differs", "error", _IDENTITY, "单位名称与名单不一致",
        "核对是否为同一单位：是别的单位的报表（或编码填错）请退回；名单中的名称有误请更正名单。",
    ),
    FindingKind(
        "agency-name-missing", "error", _IDENTITY, "通用模板未填写单位名称",
        "请单位在“填报说明”工作表的“填报单位”一栏填写单位全称。",
    ),
    FindingKind(
        "template-id-mismatch", "error", _IDENTITY, "模板编号与报表标识不符",
        "标识被改动过（例如把别的单位或别的县的模板改成本单位的）；请单位用下发给本单位的模板重新填写。",
    ),
    FindingKind(
        "county-mismatch", "error", _IDENTITY, "报表属于另一个县（区）",
        "这份模板是发给别的县（区）的，不计入本县汇总；请核实来源，或检查 --county 是否正确。",
    ),
    FindingKind(
        "signoff-differs", "error", _IDENTITY, "“填报说明”中的单位或年度与报表标识不同",
        "报表可能是别的单位的数据填进了本单位的模板；请核实后由本单位用自己的模板重新填写。",
    ),
    FindingKind(
        "sheet-missing", "error", _STRUCTURE, "缺少工作表",
        "请单位改用下发的模板重新填写，不要删除工作表。",
    ),
    FindingKind(
        "sheet-renamed", "error", _STRUCTURE, "工作表被改名",
        "请把工作表名改回原名（已按内容找到该表并照常校验）。",
    ),
    FindingKind(
        "sheet-added", "error", _STRUCTURE, "多出了工作表",
        "请删除多出的工作表后重新报送：多出的表不会被汇总，需要说明的内容请写在报告正文中。",
    ),
    FindingKind(
        "content-outside-table", "error", _STRUCTURE, "表格以外的单元格有内容",
        "请删除表格以外的内容，把数据填到表格中对应的黄色单元格：表格以外的内容不会被汇总。",
    ),
    FindingKind(
        "merge-changed", "error", _STRUCTURE, "合并单元格被改动",
        "请单位改用下发的模板重新填写（不要取消或增加合并单元格）：合并会遮住单元格中的内容。",
    ),
    FindingKind(
        "label-changed", "error", _STRUCTURE, "表格中的固定文字被改动",
        "请把该单元格恢复为原文（法定格式的文字须逐字一致）。",
    ),
    FindingKind(
        "rows-inserted", "error", _STRUCTURE, "插入了行",
        "请删除插入的行，按原格式填写（法定表格不能增加行）。",
    ),
    FindingKind(
        "rows-deleted", "error", _STRUCTURE, "删除了行",
        "请单位改用下发的模板重新填写（法定表格不能删除行）。",
    ),
    FindingKind(
        "columns-inserted", "error", _STRUCTURE, "插入了列",
        "请删除插入的列，按原格式填写（法定表格不能增加列）。",
    ),
    FindingKind(
        "columns-deleted", "error", _STRUCTURE, "删除了列",
        "请单位改用下发的模板重新填写（法定表格不能删除列）。",
    ),
    FindingKind(
        "sheet-unprotected", "warning", _STRUCTURE, "工作表保护被撤销",
        "无需单独处理；其他被改动之处（如有）已逐项列出。",
    ),
    FindingKind(
        "workbook-unprotected", "warning", _STRUCTURE, "工作簿结构保护被撤销",
        "无需单独处理；工作表的增删、改名（如有）已逐项列出。",
    ),
    FindingKind(
        "formula-overwritten", "error", _FORMULA, "合计公式被改成了固定数字",
        "请单位改用下发的模板重新填写，合计单元格不要手工填写（即使数字正确也会在修改后失效）。",
    ),
    FindingKind(
        "formula-changed", "error", _FORMULA, "合计公式被改动",
        "请单位改用下发的模板重新填写，不要修改合计公式。",
    ),
    FindingKind(
        "cache-stale", "error", _FORMULA, "合计单元格保存的结果未重新计算",
        "用 Excel 或 WPS 打开该文件，按 Ctrl+Alt+F9 全部重新计算，确认数字无误后保存，再重新报送。",
    ),
    FindingKind(
        "cache-forged", "error", _FORMULA, "合计单元格保存的结果与公式不符（疑似被改动）",
        "请单位说明原因；用 Excel 或 WPS 打开，按 F9 重新计算后保存，再重新报送。",
    ),
    FindingKind(
        "no-cached-values", "info", _FORMULA, "文件中没有保存公式结果",
        "无需处理：合计已按填报数字重新计算（文件多由程序另存，而不是用 Excel/WPS 保存）。",
    ),
    FindingKind(
        "value-blank", "warning", _VALUE, "单元格为空",
        "没有数据请填 0：有空白的报表汇总时默认不计入（汇总人确认空白即为 0 时可加 --blank-as-zero）。",
    ),
    FindingKind(
        "return-empty", "error", _VALUE, "报表的填报单元格全部为空",
        "请单位填写报表后重新报送（没有发生的事项填 0），不要报送空模板。",
    ),
    FindingKind(
        "value-text-number", "error", _VALUE, "数字被填成了文字",
        "删除单元格内容后只输入数字（不带单位、空格或全角字符）。",
    ),
    FindingKind(
        "value-zero-as-text", "error", _VALUE, "用“—”“无”等文字表示零",
        "没有数据请填数字 0。",
    ),
    FindingKind(
        "value-not-number", "error", _VALUE, "单元格中不是数字",
        "请填写数字。",
    ),
    FindingKind(
        "value-not-integer", "error", _VALUE, "件数/个数填了小数",
        "请填写整数。",
    ),
    FindingKind(
        "value-negative", "error", _VALUE, "填了负数",
        "件数和金额不能为负数，请核实后填写。",
    ),
    FindingKind(
        "value-out-of-range", "error", _VALUE, "数值超出允许范围",
        "请核实后填写允许范围内的数字。",
    ),
    FindingKind(
        "value-too-many-decimals", "error", _VALUE, "小数位数过多",
        "按规定的小数位数填写（多余的位数请四舍五入）。",
    ),
    FindingKind(
        "value-implausible", "warning", _VALUE, "数值异常大",
        "请核实该数字（是否多输了 0、单位是否填错）；确实如此的无需修改。",
    ),
    FindingKind(
        "value-date", "error", _VALUE, "数字被当成了日期（如“1-2”变成 1月2日）",
        "该单元格已被表格软件设为日期格式：请从旁边空白的填报单元格复制（Ctrl+C）并粘贴到该单元格以恢复数字格式，再输入数字（不要带“-”“/”）。",
    ),
    FindingKind(
        "value-date-like", "warning", _VALUE, "数值恰好是报告年度前后某一天的日期序号",
        "核实该数：如果本想填的是件数却输入了“1-2”之类的内容，请重新输入数字。汇总时这份报表须经汇总人确认（xlreport merge --confirm 文件）才计入：如确为该数，请在报送时向汇总人说明。",
    ),
    FindingKind(
        "input-formula", "error", _VALUE, "填报单元格中是公式",
        "删除公式，直接填写数字：填报单元格中的公式及其保存的结果不予汇总。",
    ),
    FindingKind(
        "rule-broken", "error", _RULE, "不满足勾稽关系",
        "请核对相关单元格的数字，使两边相等。严重程度取自布局中该规则的设定。",
    ),
    FindingKind(
        "prior-rule-broken", "warning", _RULE, "与上年报表不衔接",
        "请核实；如确有原因（如集中清理文件），请在报送时说明。",
    ),
    FindingKind(
        "prior-year-mismatch", "warning", _RULE, "上年报表的年度不是上一年",
        "检查 --prior 给出的文件是否为上一年度的报表。",
    ),
    FindingKind(
        "prior-not-found", "info", _RULE, "没有该单位的上年报表",
        "如需核对与上年的衔接，请用 --prior 给出该单位上一年度的报表。",
    ),
    FindingKind(
        "version-conflict", "error", _MERGE, "同一单位有内容不同的多份报表",
        "核实哪一份为准：移走其余文件，或用 xlreport merge --prefer 文件 指定（其余列为已被替换）。",
    ),
    FindingKind(
        "name-near-duplicate", "error", _MERGE, "两份通用模板报表的单位名称几乎相同",
        "按同一单位的两个版本处理：移走一份或用 --prefer 指定；如确为两个单位，请用 --roster 给出单位名单后汇总。",
    ),
    FindingKind(
        "summary-overlap", "error", _MERGE, "汇总表与它所含单位的报表（或另一份汇总表）混在一起",
        "汇总表不能与它包含的单位的报表一起汇总：移走旧汇总表（或这些报表）后重新汇总。",
    ),
    FindingKind(
        "county-conflict", "error", _MERGE, "报表属于不同的县（区）",
        "移走别的县（区）的报表，或用 --county 指定本次汇总的县（区）。",
    ),
    FindingKind(
        "date-like-unconfirmed", "error", _MERGE, "件数恰似日期，未经汇总人确认不计入汇总",
        "逐格核实：如果单位输入的是“1-2”“2024/12/31”之类的日期，请退回单位重新输入数字；如确为该数，用 xlreport merge --confirm 文件 重新汇总（按数字计入，报送情况中注明已核实）。",
    ),
    *(FindingKind(cast(FindingCode, c), s, IMPORT_GROUP, t, a) for c, s, t, a in IMPORT_KINDS),
    *(FindingKind(c, s, PUBLISH_GROUP, t, a) for c, s, t, a in PUBLISH_KINDS),  # catalogue_publish.py
    *(FindingKind(c, s, CAMPAIGN_GROUP, t, a) for c, s, t, a in CAMPAIGN_KINDS),
    *(FindingKind(c, s, SERVE_GROUP, t, a) for c, s, t, a in SERVE_KINDS),
    *(FindingKind(c, s, CAMPAIGN_GROUP, t, a) for c, s, t, a in CAMPAIGN_BOARD_KINDS),
)  # fmt: skip

CATALOGUE: dict[str, FindingKind] = {k.code: k for k in _KINDS}
if len(CATALOGUE) != len(_KINDS):  # a code defined twice would silently shadow the other
    _twice = sorted({k.code for k in _KINDS if sum(1 for x in _KINDS if x.code == k.code) > 1})
    raise RuntimeError(f"finding codes defined twice: {', '.join(_twice)}")


def known_code(code: str) -> FindingCode:
    """A code handed over as text (a reader refusal's ``UnreadableFileError.code``) as the
    catalogued code it is; KeyError for a code the catalogue lacks."""
    if code not in CATALOGUE:
        raise KeyError(code)
    return cast(FindingCode, code)


def finding(
    code: FindingCode,
    message: str,
    *,
    severity: Severity | None = None,
    hint: str | None = None,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    row_label: str = "",
    col_label: str = "",
    expected: str = "",
    found: str = "",
    rule: str = "",
    at: TemplatePos | None = None,
) -> Finding:
    """A finding of a catalogued ``code``; severity and hint default to the catalogue's;
    ``at``: the cell to mark in an annotated copy (:attr:`Finding.at`)."""
    kind = CATALOGUE[code]
    return Finding(
        code=code,
        severity=severity or kind.severity,
        message=message,
        file=file,
        sheet=sheet,
        cell=cell,
        row_label=row_label,
        col_label=col_label,
        expected=expected,
        found=found,
        hint=kind.action if hint is None else hint,
        rule=rule,
        at=at,
    )


def render_markdown() -> str:
    """docs/findings.md: every code, grouped, in catalogue order."""
    lines = [
        "# `xlreport check` 的检查结果代码",
        "",
        "本文件由 `python -m xlreport.checks.findings_doc > docs/findings.md` 从代码生成，请勿手工编辑。",
        "",
        "每条检查结果都带有：代码（code，稳定不变）、严重程度（错误 error / 警告 warning /"
        " 提示 info）、文件、工作表、单元格、行标签、列标签、应为（expected）、实为（found）、"
        "说明（message）和处理办法（hint）。有错误时退出码为 1；有文件无法作为报表读取时为 2。",
        "",
    ]
    groups: dict[str, list[FindingKind]] = {}
    for k in _KINDS:
        groups.setdefault(k.group, []).append(k)
    for group, kinds in groups.items():
        lines += [f"## {group}", "", "| 代码 | 严重程度 | 含义 | 处理办法 |", "|---|---|---|---|"]
        for k in kinds:
            sev = f"{SEVERITY_ZH[k.severity]}（{k.severity}）"
            lines.append(f"| `{k.code}` | {sev} | {k.title} | {k.action} |")
        lines.append("")
    return "\n".join(lines)
