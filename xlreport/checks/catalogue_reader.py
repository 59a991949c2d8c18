"""Why the reader refused a file: one finding code per reason (xlreport/reader/reasons.py).

Every code here is an error of the file group; the message and the hint of a finding come
from the reason itself, the title and action here are what docs/findings.md shows.
"""

from __future__ import annotations

from xlreport.codes import FindingCode

#: (code, Chinese title, action), in the order docs/findings.md lists them.
READER_REASONS: tuple[tuple[FindingCode, str, str], ...] = (
    (
        "file-not-found", "找不到文件或文件夹",
        "检查路径是否写对（文件是否已移动或改名），改正后重新运行；其余文件照常处理。",
    ),
    (
        "file-is-folder", "指定的是文件夹而不是文件",
        "指定文件夹中的 .xlsx 文件，或直接指定文件夹让工具查找其中的报表。",
    ),
    (
        "file-not-regular", "不是普通文件（管道、设备等），未打开",
        "请给出报表文件本身（.xlsx），不要给出管道或设备。",
    ),
    (
        "file-os-error", "系统无法读取文件",
        "确认文件没有被其他程序占用，并且有读取权限。",
    ),
    (
        "file-empty", "文件是空的（0 字节）",
        "可能是传输中断；请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "file-too-large", "文件过大，不像是一份年报统计表",
        "确认发送的是正确的文件；不要在表格中插入图片或附件。",
    ),
    (
        "file-encrypted", "文件设置了打开密码（加密的工作簿）",
        "请单位在 Excel 或 WPS 中取消“用密码进行加密”后另存为 .xlsx 再报送。",
    ),
    (
        "file-xls", "文件是旧版 Excel 97-2003 工作簿（.xls）",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-et", "文件是 WPS 表格专用格式（.et）",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-xls-or-et", "文件是旧版 Excel（.xls）或 WPS 表格（.et）格式",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-xlsm", "文件是启用宏的工作簿（.xlsm），为安全起见不予读取",
        "请单位另存为不含宏的 Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-xlsb", "文件是 Excel 二进制工作簿（.xlsb）",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-ods", "文件是 OpenDocument 电子表格（.ods）",
        "请单位在 LibreOffice、Excel 或 WPS 中打开后另存为 Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-excel-xml", "文件是 Excel 2003 XML 表格格式",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-html", "文件是网页（HTML）格式，不是真正的 Excel 工作簿",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "file-word", "文件是 Word 文档，不是 Excel 工作簿",
        "请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "file-powerpoint", "文件是 PowerPoint 演示文稿，不是 Excel 工作簿",
        "请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "file-opendocument", "文件是 OpenDocument 文字或演示文档，不是电子表格",
        "请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "file-ole-other", "文件是 Office 旧版复合文档，但不是 Excel 工作簿",
        "请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "file-pdf", "文件是 PDF 文档，不是 Excel 工作簿",
        "请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "file-image", "文件是图片，不是 Excel 工作簿",
        "请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "file-text", "文件是纯文本（CSV 或 TXT），不是 Excel 工作簿",
        "请单位使用下发的 Excel 模板填报后发送 .xlsx 文件。",
    ),
    (
        "file-archive", "文件是压缩包，不是 Excel 工作簿",
        "解压后检查其中的 .xlsx 文件。",
    ),
    (
        "file-unknown-format", "无法识别的文件格式",
        "确认文件没有损坏；请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "zip-no-workbook", "压缩包里没有 Excel 工作簿",
        "如果是打包发送的，请解压后检查其中的 .xlsx 文件；请单位发送用下发模板填报的 Excel 统计表（*.xlsx）本身。",
    ),
    (
        "zip-truncated", "文件不完整或已损坏（压缩结构无法解析）",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "zip-too-many-parts", "压缩包中的部件过多",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "zip-bomb", "部件的压缩比异常（疑似“压缩炸弹”）",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "zip-part-too-large", "部件解压后过大",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "zip-too-large", "工作簿解压后的内容过大",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "zip-part-corrupt", "部件的数据不完整或校验失败",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "zip-part-unsupported", "部件使用了加密或不支持的压缩方式",
        "请单位在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再报送。",
    ),
    (
        "xml-invalid", "部件不是有效的 XML（文件已损坏）",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "xml-dtd", "部件含有文档类型或实体声明（DTD）",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "xml-too-deep", "部件的 XML 嵌套层数过多",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "xml-too-many-elements", "工作簿的 XML 元素过多",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "file-too-many-cells", "工作簿的单元格过多，不像是一份年报统计表",
        "请单位删除与报表无关的工作表和数据后另存为 .xlsx 再报送。",
    ),
    (
        "file-too-many-rows", "工作簿的行数过多，不像是一份年报统计表",
        "请单位删除与报表无关的工作表和数据后另存为 .xlsx 再报送。",
    ),
    (
        "file-too-many-strings", "工作簿的文字条目过多",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "file-formula-text-too-long", "共享公式展开后的公式文字过多",
        "文件可疑：请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后另存为 .xlsx 再报送。",
    ),
    (
        "cell-ref-invalid", "单元格位置无效或超出 Excel 范围（文件已损坏）",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "cell-value-invalid", "单元格的内容无效（文件已损坏）",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "file-part-missing", "工作簿缺少必需的部件（文件已损坏）",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "file-no-sheets", "工作簿中没有任何工作表（文件已损坏）",
        "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送。",
    ),
    (
        "file-number-invalid", "单元格中存储的数值不是电子表格写出的数字",
        "文件被其他程序改写或已损坏（Excel/WPS 打开时显示的是另一个数）：请单位在 Excel 或 WPS 中打开核对该单元格，重新输入数字后另存为 .xlsx 再报送。",
    ),
    (
        "file-number-out-of-range", "单元格中存储的数值过长或超出电子表格的范围",
        "文件被其他程序改写或已损坏：请单位在 Excel 或 WPS 中打开核对该单元格，重新输入数字后另存为 .xlsx 再报送。",
    ),
    (
        "zip-duplicate-part", "文件中有重名的部件（同名或仅大小写不同）",
        "不同软件会读到不同的内容，文件可疑：请单位在 Excel 或 WPS 中打开核对后另存为 .xlsx 再报送。",
    ),
    (
        "zip-name-mismatch", "文件的压缩目录与部件头记录的名称不一致",
        "不同软件会读到不同的内容，文件可疑：请单位在 Excel 或 WPS 中打开核对后另存为 .xlsx 再报送。",
    ),
)  # fmt: skip
