"""The codes of ``xlreport import`` (published reports read back into returns): severity,
group, Chinese title, action — spliced into the one catalogue (catalogue.py)."""

from __future__ import annotations

from xlreport.findings import Severity

IMPORT_GROUP = "导入已发布的年报"

#: (code, severity, Chinese title, action), in the order docs/findings.md lists them.
IMPORT_KINDS: tuple[tuple[str, Severity, str, str], ...] = (
    (
        "import-unknown-kind", "error", "不是可导入的年报文档（HTML、Word .docx、带文字层的 PDF 或文本）",
        "请提供网页另存的 .html、Word 的 .docx、可复制文字的 PDF 或从 Word 复制出的文本文件。",
    ),
    (
        "import-too-large", "error", "文档过大，不像是一份年度报告",
        "确认文件无误；一份年报的网页、Word 或 PDF 远小于此上限。",
    ),
    (
        "import-unsafe", "error", "文档结构异常（压缩炸弹、DTD/实体、嵌套过深或单元格过多），为安全起见未读取",
        "请从政府网站重新下载原文件，或用 Word 打开后另存为 .docx 再导入。",
    ),
    (
        "import-damaged", "error", "文档已损坏，无法读取",
        "请重新下载或另存原文件后再导入。",
    ),
    (
        "import-pdf-no-text", "error", "PDF 没有文字层（扫描件或图片）",
        "请改用网站上的文字版（网页或 Word），或先对 PDF 做文字识别后核对再导入。",
    ),
    (
        "import-no-tables", "error", "文档中没有找到法定统计表（二、三、四部分）",
        "确认这是政府信息公开工作年度报告全文（不是通知或链接页）。",
    ),
    (
        "import-layout-unknown", "error", "统计表的表头与任何已知格式都对不上",
        "用 xlreport formats 查看已知格式；本地格式请写成布局文件后用 --spec 指定。",
    ),
    (
        "import-format-mismatch", "error", "统计表的表头与 --format 指定的格式不符",
        "去掉 --format（自动识别），或指定与表头相符的格式。",
    ),
    (
        "import-title-missing", "error", "标题中找不到单位名称和报告年度",
        "确认文档以“××单位××年度政府信息公开工作年度报告”为标题。",
    ),
    (
        "import-variant", "info", "识别出的表格格式及其变体",
        "无需处理；核对识别出的格式是否与发布的表格一致。",
    ),
    (
        "import-label-variant", "info", "标签有错别字或空格，按规范标签对应",
        "无需处理；发布单位今后可按法定格式逐字改正标签。",
    ),
    (
        "import-blank", "warning", "发布的表格中此格为空白（未按 0 处理）",
        "空白不是 0：请向发布单位核实此格应为多少；导入的报表保留空白。",
    ),
    (
        "import-value-unit", "info", "数值带单位，已去掉单位后导入",
        "无需处理；核对单位与该列的单位一致。",
    ),
    (
        "import-value-unit-mismatch", "error", "数值所带单位与该列的单位不同，未导入",
        "核实发布的数字与单位，在导入的报表中手工填写换算后的数值。",
    ),
    (
        "import-value-not-number", "error", "单元格内容不是数字，未导入",
        "核实发布单位的原意（如“-”“无”是否为 0），在导入的报表中手工填写。",
    ),
    (
        "import-digits-run", "error", "整行数字连在一起（单元格边界丢失），此行未导入",
        "不要猜测如何拆分：请找到该报告的原始网页、Word 或 PDF 重新导入，或手工填写此行。",
    ),
    (
        "import-row-cells", "error", "此行的数值个数与表头的列数不符，此行未导入",
        "核对发布的表格此行是否漏格或多格，手工填写此行。",
    ),
    (
        "import-value-merged", "error", "一个数值占了几列（合并单元格），此行未导入",
        "无法判断数值属于哪一列：请核实后手工填写此行。",
    ),
    (
        "import-group-row", "error", "发布的表格把一组细项印成一行，细项未导入",
        "无法在不猜测的情况下拆分到各细项：请向发布单位核实各细项的数字后手工填写。",
    ),
    (
        "import-row-missing", "warning", "发布的表格中没有这一行，此行留空",
        "核实发布的表格是否漏印此行；导入的报表中此行保留空白。",
    ),
    (
        "import-row-unknown", "warning", "发布的表格中有一行无法对应到法定格式，未导入",
        "核对这一行的标签；如是本地增加的行，请写进本地布局文件后用 --spec 导入。",
    ),
    (
        "import-row-duplicate", "error", "同一行在发布的表格中出现了两次且数字不同，此行未导入",
        "核实哪一行是正确的，手工填写此行。",
    ),
    (
        "import-total-differs", "warning", "发布的合计与其各项之和不符",
        "导入的报表中合计按各项重新计算；请向发布单位核实合计或各项数字。",
    ),
)  # fmt: skip
