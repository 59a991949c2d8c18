"""Why a file cannot be read, in the words the county clerk needs: what it is, what to do.

Every reason has its own stable finding code (``@coded``), which ``check`` and ``merge``
report for the file (``--json`` carries it); ``file-unreadable`` is left for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from xlreport.codes import FindingCode
from xlreport.errors import UnreadableFileError

SAVE_AS_XLSX = "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再发送"
ASK_AGAIN = (
    "请向报送单位重新索取原文件；如对方能正常打开，请其“另存为”Excel 工作簿（*.xlsx）后再发送"
)
SEND_THE_XLSX = "请发送用下发模板填报的 Excel 统计表（*.xlsx）本身"
SUSPICIOUS_HINT = "请联系报送单位核实文件来源，并请其在 Excel 或 WPS 中打开检查后“另存为”Excel 工作簿（*.xlsx）再发送"


_P = ParamSpec("_P")


def coded(
    code: FindingCode,
) -> Callable[[Callable[_P, UnreadableFileError]], Callable[_P, UnreadableFileError]]:
    """Give a reason its stable finding code (catalogued in xlreport/checks/catalogue.py)."""

    def wrap(make: Callable[_P, UnreadableFileError]) -> Callable[_P, UnreadableFileError]:
        @wraps(make)
        def reason(*args: _P.args, **kwargs: _P.kwargs) -> UnreadableFileError:
            e = make(*args, **kwargs)
            e.code = code
            return e

        return reason

    return wrap


def unreadable(
    message: str, hint: str = SAVE_AS_XLSX, code: FindingCode = "file-unreadable"
) -> UnreadableFileError:
    return UnreadableFileError(message, hint, code)


def shown(text: str, limit: int = 60) -> str:
    """Text taken from the file (a part or sheet name, an address), safe to show on one line."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


# --- the path itself -------------------------------------------------------------------


@coded("file-not-found")
def missing(path: str) -> UnreadableFileError:
    return unreadable(f"找不到文件：{shown(path, 260)}", "请检查文件名和路径是否正确")


@coded("file-is-folder")
def directory(path: str) -> UnreadableFileError:
    return unreadable(
        f"这是一个文件夹，不是 Excel 文件：{shown(path, 260)}", "请指定文件夹中的 .xlsx 文件"
    )


@coded("file-not-regular")
def not_a_file(path: str) -> UnreadableFileError:
    return unreadable(f"这不是一个普通文件：{shown(path, 260)}", "请指定要检查的 .xlsx 文件")


@coded("file-os-error")
def os_error(path: str, reason: str) -> UnreadableFileError:
    return unreadable(
        f"无法读取文件 {shown(path, 260)}（{reason}）",
        "请确认文件没有被其他程序占用，并且有读取权限",
    )


@coded("file-empty")
def empty() -> UnreadableFileError:
    return unreadable("文件是空的（0 字节），没有任何内容", "可能是传输中断；" + ASK_AGAIN)


@coded("file-too-large")
def too_large(size: int, limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件过大（{size / (1024 * 1024):.1f} MB，上限 {_mb(limit)}），不像是一份年报统计表",
        "请确认发送的是正确的文件；不要在表格中插入图片或附件",
    )


# --- what the file turns out to be ------------------------------------------------------


@coded("file-encrypted")
def encrypted() -> UnreadableFileError:
    return unreadable(
        "文件设置了打开密码（加密的工作簿），无法读取",
        "请在 Excel 或 WPS 中打开，取消“用密码进行加密”后“另存为”Excel 工作簿（*.xlsx）再发送",
    )


@coded("file-xls")
def old_xls() -> UnreadableFileError:
    return unreadable("文件是旧版 Excel 97-2003 工作簿（.xls 格式），不是 .xlsx 格式")


@coded("file-et")
def wps_et() -> UnreadableFileError:
    return unreadable("文件是 WPS 表格专用格式（.et），不是 .xlsx 格式")


@coded("file-xls-or-et")
def xls_or_et() -> UnreadableFileError:
    return unreadable("文件是旧版 Excel（.xls）或 WPS 表格（.et）格式，不是 .xlsx 格式")


@coded("file-word")
def word_doc() -> UnreadableFileError:
    return unreadable("文件是 Word 文档（.doc），不是 Excel 工作簿", SEND_THE_XLSX)


@coded("file-ole-other")
def other_ole() -> UnreadableFileError:
    return unreadable("文件是 Office 旧版复合文档，但不是 Excel 工作簿", SEND_THE_XLSX)


@coded("file-xlsm")
def xlsm() -> UnreadableFileError:
    return unreadable(
        "文件是启用宏的工作簿（.xlsm），含有宏代码，为安全起见不予读取",
        "请在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx，不含宏）再发送",
    )


@coded("file-xlsb")
def xlsb() -> UnreadableFileError:
    return unreadable("文件是 Excel 二进制工作簿（.xlsb），不是 .xlsx 格式")


@coded("file-ods")
def ods() -> UnreadableFileError:
    return unreadable(
        "文件是 OpenDocument 电子表格（.ods），不是 .xlsx 格式",
        "请在 LibreOffice、Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再发送",
    )


@coded("file-opendocument")
def opendocument_other() -> UnreadableFileError:
    return unreadable("文件是 OpenDocument 文档（文字或演示），不是电子表格", SEND_THE_XLSX)


@coded("file-word")
def docx() -> UnreadableFileError:
    return unreadable(
        "文件是 Word 文档（.docx），不是 Excel 工作簿", SEND_THE_XLSX + "，不要粘贴到 Word 中"
    )


@coded("file-powerpoint")
def pptx() -> UnreadableFileError:
    return unreadable("文件是 PowerPoint 演示文稿，不是 Excel 工作簿", SEND_THE_XLSX)


@coded("zip-no-workbook")
def zip_without_workbook() -> UnreadableFileError:
    return unreadable(
        "文件是一个压缩包，里面没有 Excel 工作簿",
        "如果是打包发送的，请解压后发送其中的 .xlsx 文件；" + SEND_THE_XLSX,
    )


@coded("zip-truncated")
def bad_zip() -> UnreadableFileError:
    return unreadable("文件不完整或已损坏（压缩结构无法解析），可能是下载或传输时中断", ASK_AGAIN)


@coded("file-pdf")
def pdf() -> UnreadableFileError:
    return unreadable(
        "文件是 PDF 文档，不是 Excel 工作簿", SEND_THE_XLSX + "，而不是导出或打印的 PDF"
    )


@coded("file-html")
def html() -> UnreadableFileError:
    return unreadable("文件是网页（HTML）格式，即使扩展名是 .xls/.xlsx，也不是真正的 Excel 工作簿")


@coded("file-excel-xml")
def xml_2003() -> UnreadableFileError:
    return unreadable("文件是 Excel 2003 XML 表格格式，不是 .xlsx 格式")


@coded("file-text")
def text_file() -> UnreadableFileError:
    return unreadable(
        "文件是纯文本（CSV 或 TXT），不是 Excel 工作簿",
        "请使用下发的 Excel 模板填报后发送 .xlsx 文件",
    )


@coded("file-image")
def image() -> UnreadableFileError:
    return unreadable("文件是图片，不是 Excel 工作簿", SEND_THE_XLSX + "，而不是截图或照片")


@coded("file-archive")
def archive(kind: str) -> UnreadableFileError:
    return unreadable(f"文件是 {kind} 压缩包，不是 Excel 工作簿", "请解压后发送其中的 .xlsx 文件")


@coded("file-unknown-format")
def unknown_format() -> UnreadableFileError:
    return unreadable(
        "无法识别的文件格式，不是 Excel 工作簿（.xlsx）",
        "请确认文件没有损坏；" + SAVE_AS_XLSX,
    )


# --- inside a zip that claims to be a workbook ------------------------------------------


@coded("zip-too-many-parts")
def too_many_members(n: int, limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：压缩包中有 {n} 个部件（上限 {limit} 个），不像是一份年报统计表", SUSPICIOUS_HINT
    )


def duplicate_part(first: str, second: str) -> UnreadableFileError:
    how = "同名" if first == second else "名称仅大小写或写法不同"
    return unreadable(
        f"文件可疑：压缩包中有两个{how}的部件（{shown(first)} 与 {shown(second)}），"
        "不同软件可能读到不同的内容，已拒绝读取",
        SUSPICIOUS_HINT,
        "zip-duplicate-part",
    )


def name_mismatch(central: str, local: str) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：压缩包目录中的部件 {shown(central)} 在其数据头中名为 {shown(local)}，"
        "不同软件可能读到不同的内容，已拒绝读取",
        SUSPICIOUS_HINT,
        "zip-name-mismatch",
    )


@coded("zip-bomb")
def bomb(part: str) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：部件 {shown(part)} 的压缩比异常（疑似“压缩炸弹”），已拒绝读取", SUSPICIOUS_HINT
    )


@coded("zip-part-too-large")
def part_too_large(part: str, limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：部件 {shown(part)} 解压后超过 {_mb(limit)}，不像是一份年报统计表",
        SUSPICIOUS_HINT,
    )


@coded("zip-too-large")
def total_too_large(limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：工作簿解压后的内容超过 {_mb(limit)}，不像是一份年报统计表", SUSPICIOUS_HINT
    )


@coded("zip-part-corrupt")
def part_corrupt(part: str) -> UnreadableFileError:
    return unreadable(f"文件已损坏：部件 {shown(part)} 的数据不完整或校验失败", ASK_AGAIN)


@coded("zip-part-unsupported")
def part_unsupported(part: str) -> UnreadableFileError:
    return unreadable(
        f"文件中的部件 {shown(part)} 使用了加密或不支持的压缩方式，无法读取", SAVE_AS_XLSX
    )


@coded("xml-invalid")
def xml_invalid(part: str, detail: str) -> UnreadableFileError:
    return unreadable(f"文件已损坏：部件 {shown(part)} 不是有效的 XML（{detail}）", ASK_AGAIN)


@coded("xml-dtd")
def xml_dtd(part: str) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：部件 {shown(part)} 含有文档类型或实体声明（DTD），为安全起见已拒绝读取",
        SUSPICIOUS_HINT,
    )


@coded("xml-too-deep")
def xml_too_deep(part: str, limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：部件 {shown(part)} 的 XML 嵌套超过 {limit} 层，已拒绝读取", SUSPICIOUS_HINT
    )


@coded("xml-too-many-elements")
def too_many_elements(limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：工作簿的 XML 元素超过 {limit:,} 个，不像是一份年报统计表", SUSPICIOUS_HINT
    )


@coded("file-too-many-cells")
def too_many_cells(limit: int) -> UnreadableFileError:
    return unreadable(
        f"工作簿的单元格超过 {limit:,} 个，不像是一份年报统计表",
        "请删除与报表无关的工作表和数据后“另存为”Excel 工作簿（*.xlsx）再发送",
    )


@coded("file-too-many-rows")
def too_many_rows(limit: int) -> UnreadableFileError:
    return unreadable(
        f"工作簿的行数超过 {limit:,} 行，不像是一份年报统计表",
        "请删除与报表无关的工作表和数据后“另存为”Excel 工作簿（*.xlsx）再发送",
    )


@coded("file-too-many-strings")
def too_many_strings(limit: int) -> UnreadableFileError:
    return unreadable(f"工作簿的文字条目超过 {limit:,} 条，不像是一份年报统计表", SUSPICIOUS_HINT)


@coded("file-formula-text-too-long")
def too_much_formula_text(limit: int) -> UnreadableFileError:
    return unreadable(
        f"文件可疑：共享公式展开后的公式文字超过 {limit:,} 个字符，不像是一份年报统计表",
        SUSPICIOUS_HINT,
    )


@coded("cell-ref-invalid")
def bad_cell_ref(sheet: str, ref: str) -> UnreadableFileError:
    return unreadable(
        f"文件已损坏：工作表“{shown(sheet)}”中有无效或超出 Excel 范围的单元格位置“{shown(ref, 24)}”",
        ASK_AGAIN,
    )


@coded("cell-value-invalid")
def bad_value(sheet: str, ref: str, detail: str) -> UnreadableFileError:
    return unreadable(f"文件已损坏：工作表“{shown(sheet)}”单元格 {ref} {detail}", ASK_AGAIN)


def bad_number(sheet: str, ref: str, text: str, out_of_range: bool) -> UnreadableFileError:
    """A number cell whose ``<v>`` no spreadsheet writes (see numbers.py); ``text`` is cut
    short so that the message stays one line whatever the file holds."""
    where = f"工作表“{shown(sheet)}”单元格 {ref} "
    if out_of_range:
        return unreadable(
            f"文件可疑：{where}存储的数值“{shown(text, 24)}”（共 {len(text):,} 个字符）"
            "过长或超出电子表格能表示的范围，Excel 和 WPS 不会写出这样的数值",
            SUSPICIOUS_HINT,
            "file-number-out-of-range",
        )
    return unreadable(
        f"文件可疑：{where}存储的数值“{shown(text, 24)}”不是电子表格写出的数字"
        "（含全角或其他文字的数字、下划线、空格等），Excel 和 WPS 打开时显示的是另一个数",
        SUSPICIOUS_HINT,
        "file-number-invalid",
    )


@coded("file-part-missing")
def missing_part(what: str, part: str) -> UnreadableFileError:
    return unreadable(f"文件已损坏：缺少{what}（{shown(part)}）", ASK_AGAIN)


@coded("file-no-sheets")
def no_sheets() -> UnreadableFileError:
    return unreadable("文件已损坏：工作簿中没有任何工作表", ASK_AGAIN)
