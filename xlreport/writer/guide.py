"""The 填报说明 sheet (instructions, identity and sign-off) and the hidden identity sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlreport import __version__
from xlreport.identity import (
    GUIDE_SHEET,
    META_SHEET,
    NAME_OF_KEY,
    SIGNOFF_FIELDS,
    SIGNOFF_FIRST_ROW,
    SIGNOFF_INPUTS,
    SIGNOFF_LABEL_COL,
    SIGNOFF_ROW,
    SIGNOFF_VALUE_COL,
    Identity,
)
from xlreport.spec.model import Layout
from xlreport.writer.cells import CellWriter
from xlreport.writer.formulas import excel_string
from xlreport.writer.styles import Styles

GENERATOR = f"xlreport {__version__}"
_SEAL_HEIGHT = 60.0


def guide_lines(layout: Layout, identity: Identity) -> list[str]:
    """The numbered instructions above the sign-off block."""
    names = [s.name for s in layout.sheets]
    money = [vt.label for vt in layout.types.values() if vt.unit]
    lines = [
        f"本工作簿用于填报{identity.year}年度{layout.title}中的统计表（{layout.name}），"
        f"共 {len(names)} 张表：{'、'.join(names)}。",
        "只在浅黄色单元格中填写数字。灰色的合计（总计）单元格由公式自动计算，已锁定，无需填写。",
        "没有发生的事项请明确填写 0，不要留空，也不要填“-”“—”“无”等文字（有空白的报表汇总时不计入，会被退回补填）。",
        "只填阿拉伯数字，不要带单位或文字（如“12件”“5万元”）。"
        + (f"金额按表头所示单位填写：{'；'.join(money)}。" if money else ""),
        "每张表右侧的“勾稽检查”即时显示 ✓ 或 ✗；出现 ✗ 时，标红单元格之间的勾稽关系不成立，请核对后再报送。",
        "请勿撤销工作表保护，勿重命名、删除或移动工作表，勿插入或删除行列，否则汇总时无法识别。",
        "请填写下方的填报人、联系电话、单位负责人和填报日期"
        + ("，以及本单位名称和单位编码" if identity.generic else "")
        + "。",
        "填好后用 Excel 或 WPS 保存为 .xlsx 格式（不要另存为 .xls 或 .et），按通知要求报送。",
    ]
    if len(lines) > SIGNOFF_FIRST_ROW - 3:
        raise ValueError("填报说明过长，放不下签字栏之前的行")
    return [f"{i}. {t}" for i, t in enumerate(lines, 1)]


def signoff_editable(identity: Identity) -> set[str]:
    """Sign-off fields the agency types (name and code too in a generic workbook)."""
    keys = set(SIGNOFF_INPUTS)
    if identity.generic:
        keys |= {"agency_name", "agency_code"}
    return keys


def signoff_values(identity: Identity, signoff: Mapping[str, str]) -> dict[str, str]:
    """What each sign-off field shows: fixed identity values, or what the agency typed."""
    fixed = {
        "agency_name": identity.agency_name,
        "agency_code": identity.agency_code,
        "year": str(identity.year),
    }
    editable = signoff_editable(identity)
    return {
        key: (signoff.get(key, "") if key in editable else fixed.get(key, ""))
        for key, _label in SIGNOFF_FIELDS
    }


def write_guide(
    wb: Any,
    styles: Styles,
    layout: Layout,
    identity: Identity,
    signoff: Mapping[str, str],
    notes: Mapping[tuple[int, int], str],
    header: str,
    footer: str,
    password: str,
) -> None:
    ws = wb.add_worksheet(GUIDE_SHEET)
    out = CellWriter(ws, styles, notes)
    ws.set_column(SIGNOFF_LABEL_COL, SIGNOFF_LABEL_COL, 16)
    ws.set_column(SIGNOFF_VALUE_COL, SIGNOFF_VALUE_COL, 72)
    last = max(SIGNOFF_LABEL_COL, SIGNOFF_VALUE_COL)
    out.text(0, 0, f"{identity.year}年度{layout.title}统计表 填报说明", "title", 0, last)
    ws.set_row(0, 30)
    for i, line in enumerate(guide_lines(layout, identity), 1):
        out.text(i, 0, line, "guide", i, last)
        ws.set_row(i, 33)
    out.text(SIGNOFF_FIRST_ROW - 1, 0, "填报单位信息及签字", "caption", SIGNOFF_FIRST_ROW - 1, last)
    editable = signoff_editable(identity)
    shown = signoff_values(identity, signoff)
    for key, label in SIGNOFF_FIELDS:
        r = SIGNOFF_ROW[key]
        out.text(r, SIGNOFF_LABEL_COL, label, "field")
        kind = "text_input" if key in editable else "text_fixed"
        out.text(r, SIGNOFF_VALUE_COL, shown[key], kind)
        if key in editable:
            ws.data_validation(
                r,
                SIGNOFF_VALUE_COL,
                r,
                SIGNOFF_VALUE_COL,
                {"validate": "any", "input_title": label, "input_message": f"请填写{label}。"},
            )
        ws.set_row(r, _SEAL_HEIGHT if key == "seal" else 22)
    out.finish()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)
    ws.set_header(header)
    ws.set_footer(footer)
    ws.protect(password)


def write_meta(wb: Any, identity: Identity, password: str) -> None:
    """The very hidden identity sheet and the defined names that mirror it."""
    ws = wb.add_worksheet(META_SHEET)
    rows = identity.meta_rows(GENERATOR)
    for r, (key, value) in enumerate(rows):
        ws.write_string(r, 0, key)
        if value:
            ws.write_string(r, 1, value)
    ws.very_hidden()
    ws.protect(password)
    meta = dict(rows)
    for key, name in NAME_OF_KEY.items():
        wb.define_name(name, "=" + excel_string(meta[key]))
