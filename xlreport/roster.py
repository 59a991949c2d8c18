"""The county's list of agencies (名单): who gets a template and whose return is expected.

Read from CSV (UTF-8 with or without BOM, or GBK/GB18030 as Excel saves "CSV（逗号分隔）" on
Chinese Windows) or from the first sheet of an .xlsx. The roster is the clerk's own file,
not an agency's return, so it is read here with openpyxl rather than through
:mod:`xlreport.reader` (which is for untrusted returns and knows nothing of rosters).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlreport.errors import UsageError
from xlreport.identity import CONTRIBUTOR_SEPARATOR

COL_CODE = "单位编码"
COL_NAME = "单位名称"
COL_TYPE = "单位类型"
COL_CONTACT = "联系人"
COL_PHONE = "电话"
COL_EMAIL = "邮箱"
#: Optional columns for reminders (催报): who to call or write to.
CONTACT_COLUMNS = (COL_CONTACT, COL_PHONE, COL_EMAIL)
AGENCY_TYPES = ("部门", "乡镇", "街道", "其他")


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    type: str = ""  # one of AGENCY_TYPES, or "" when the roster has no type
    contact: str = ""  # 联系人 (optional column)
    phone: str = ""  # 电话 (optional column)
    email: str = ""  # 邮箱 (optional column)


def normalise(text: str) -> str:
    """A code or name as compared and written: NFKC (full-width letters and digits, the
    ideographic space → plain), spaces trimmed and runs of spaces collapsed to one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def load_roster(path: str | Path, *, notes: list[str] | None = None) -> list[Agency]:
    """Every agency of the roster, in file order; a bad line is a UsageError naming it.

    Codes and names are normalised (:func:`normalise`); each change is appended to
    ``notes`` as one Chinese line (not an error). Two rows whose codes become the same
    are an error."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".xls", ".et", ".wps"):
        raise UsageError(
            f"名单文件 {p.name} 是旧格式表格，无法读取",
            "请在 Excel/WPS 中另存为 .xlsx 或 CSV 后重试",
        )
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UsageError(f"无法读取名单文件 {p}：{e.strerror or e}") from e
    rows = _xlsx_rows(p, data) if suffix in (".xlsx", ".xlsm") else _csv_rows(p, data)
    return _parse(p.name, rows, notes if notes is not None else [])


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UsageError(
            f"名单文件 {name} 是 UTF-16 编码的文本",
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise UsageError(
            f"名单文件 {name} 的编码无法识别（既不是 UTF-8 也不是 GBK）",
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试",
        ) from e


def _csv_rows(p: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(p.name, data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as e:
        raise UsageError(f"名单文件 {p.name} 第 {reader.line_num} 行不是有效的 CSV：{e}") from e


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _xlsx_rows(p: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only for the clerk's own roster; returns go through xlreport.reader

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise UsageError(f"名单文件 {p.name} 不是可读取的 .xlsx 表格：{e}") from e
    try:
        ws = wb.worksheets[0]
        rows = [
            (i, [_cell_text(v) for v in row])
            for i, row in enumerate(ws.iter_rows(values_only=True), 1)
        ]
    finally:
        wb.close()
    yield from rows


def _field(header: dict[str, int], cells: list[str], col: str) -> str:
    i = header.get(col)
    return cells[i] if i is not None and i < len(cells) else ""


def _normalised(where: str, what: str, text: str, notes: list[str]) -> str:
    clean = normalise(text)
    if clean != text:
        notes.append(f"{where}：{what}“{ascii_shown(text)}”已规范为“{clean}”（全角字符、空格）")
    return clean


def ascii_shown(text: str) -> str:
    """``text`` with its invisible or unusual spaces made visible (e.g. ``\\u3000``)."""
    return "".join(
        ch if ch.isprintable() and ch not in "\u3000\u00a0" else f"\\u{ord(ch):04x}" for ch in text
    )


def _parse(name: str, rows: Iterable[tuple[int, list[str]]], notes: list[str]) -> list[Agency]:
    header: dict[str, int] | None = None
    agencies: list[Agency] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        cells = [c.strip().lstrip("\ufeff").strip() for c in raw]
        if not any(cells):
            continue
        if header is None:
            header = {c: i for i, c in reversed(list(enumerate(cells))) if c}
            for col in (COL_CODE, COL_NAME):
                if col not in header:
                    raise UsageError(
                        f"名单文件 {name} 第 {line} 行（表头）缺少“{col}”列",
                        f"表头应包含 {COL_CODE}、{COL_NAME}，可选 {COL_TYPE}、"
                        + "、".join(CONTACT_COLUMNS),
                    )
            continue

        unstripped = [c.lstrip("\ufeff") for c in raw]
        code, agency_name, kind = (
            _field(header, unstripped, c) for c in (COL_CODE, COL_NAME, COL_TYPE)
        )
        where = f"名单文件 {name} 第 {line} 行"
        code = _normalised(where, COL_CODE, code, notes)
        agency_name = _normalised(where, COL_NAME, agency_name, notes)
        kind = normalise(kind)
        contact, phone, email = (normalise(_field(header, unstripped, c)) for c in CONTACT_COLUMNS)
        if not code:
            raise UsageError(f"{where}：单位编码为空", "每个单位都需要唯一的单位编码")
        if not agency_name:
            raise UsageError(f"{where}：单位名称为空（单位编码 {code}）")
        if CONTRIBUTOR_SEPARATOR in code:
            raise UsageError(
                f"{where}：单位编码“{code}”含有逗号",
                "汇总表用逗号分隔所含单位的编码，编码中不能有逗号（全角逗号也不行）；请改用其他字符",
            )
        if code in seen:
            raise UsageError(
                f"{where}：单位编码“{code}”与第 {seen[code]} 行重复（已把全角字符和空格规范化后比较）",
                "每个单位的编码必须不同",
            )
        if kind and kind not in AGENCY_TYPES:
            raise UsageError(
                f"{where}：单位类型“{kind}”无法识别", f"应为 {'、'.join(AGENCY_TYPES)} 之一，或留空"
            )
        seen[code] = line
        # one shared text per type (a roster of 100,000 agencies has four of them)
        kind = next((t for t in AGENCY_TYPES if t == kind), "")
        agencies.append(Agency(code, agency_name, kind, contact, phone, email))
    if header is None:
        raise UsageError(
            f"名单文件 {name} 是空的", f"第一行应为表头：{COL_CODE},{COL_NAME},{COL_TYPE}"
        )
    if not agencies:
        raise UsageError(f"名单文件 {name} 只有表头，没有任何单位")
    return agencies
