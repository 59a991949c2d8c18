"""What an input cell holds, judged by its value type: a valid number, blank, or a problem.

Nothing is converted silently: a number typed as text ("12件", full-width "１２", "12"
stored as text) is a problem at its cell; the number it probably meant goes in the hint.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Literal

from xlreport.reader.model import RawCell
from xlreport.spec.model import ValueType

#: Excel keeps 15 significant digits; more in a stored number is binary floating-point noise.
EXCEL_DIGITS = 15
_TEXT_TYPES = ("s", "inlineStr", "str")
#: What people type for "nothing" instead of 0.
ZERO_WORDS = frozenset({"-", "--", "—", "——", "–", "－", "―", "无", "/", "\\", "空", "零"})
_NUMBER_TEXT = re.compile(r"^(?:约|共|计)?\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*(\D{0,4})$")
_DIVIDE_BY = {("元", "万元"): Decimal(10000)}

State = Literal["ok", "blank", "invalid"]


@dataclass(frozen=True)
class Judged:
    """One input cell judged.

    ``value``: the valid number (None when blank or invalid); ``found``: what the cell
    holds as text ("" when blank); ``code``/``message``/``hint``/``expected`` describe
    a problem (code "" when there is none).
    """

    state: State
    value: Decimal | None
    found: str
    code: str = ""
    message: str = ""
    hint: str = ""
    expected: str = ""


def fmt(d: Decimal) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros after the point."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@lru_cache(maxsize=8192)
def excel_decimal(text: str) -> Decimal | None:
    """A stored number exactly as Excel means it (15 significant digits), or None.

    Cached: a folder of returns repeats the same few hundred stored numbers, and the
    result (an immutable Decimal) depends on nothing but the text.
    """
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    with localcontext() as ctx:
        ctx.prec = EXCEL_DIGITS
        d = +d
    if d == d.to_integral_value():
        with localcontext() as ctx:
            ctx.prec = 400
            return d.quantize(Decimal(1))
    return d.normalize()


def decimals_of(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def type_text(vt: ValueType) -> str:
    unit = f"（单位：{vt.unit}）" if vt.unit and vt.unit not in vt.label else ""
    return f"{vt.label}{unit}"


def guess_number(text: str, vt: ValueType) -> tuple[Decimal, str] | None:
    """The number a text probably means, with a note on how it was read; None if no guess."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if s in ZERO_WORDS:
        return Decimal(0), "没有数据时应填 0"
    m = _NUMBER_TEXT.match(s)
    if not m:
        return None
    number, unit = m.group(1).replace(",", ""), m.group(2)
    d = excel_decimal(number)
    if d is None:
        return None
    factor = _DIVIDE_BY.get((unit, vt.unit))
    if factor is not None:
        return fmt_exact(d / factor), f"{fmt(d)}{unit} 即 {fmt(d / factor)}{vt.unit}"
    return d, ""


def fmt_exact(d: Decimal) -> Decimal:
    return d.normalize() if d != d.to_integral_value() else d.quantize(Decimal(1))


def _blank(raw: RawCell | None) -> bool:
    if raw is None or raw.text is None:
        return True
    return raw.text == "" or (raw.t in _TEXT_TYPES and raw.text.strip() == "")


def judge(raw: RawCell | None, vt: ValueType) -> Judged:
    """Judge one input cell against its value type."""
    if _blank(raw):
        found = raw.text if raw is not None and raw.text else ""
        return Judged(
            "blank",
            None,
            found,
            "value-blank",
            "单元格为空（汇总时按 0 计算）。",
            "没有数据请填 0。",
            "0 或其他" + vt.label,
        )
    assert raw is not None and raw.text is not None
    if raw.t == "n":
        d = excel_decimal(raw.text)
        if d is None:
            return _not_number(raw.text, vt)
        judged = judge_number(d, vt)
        if raw.formula is not None and judged.state == "ok":
            return Judged(
                "ok",
                judged.value,
                judged.found,
                "input-formula",
                f"填报单元格中是公式 ={raw.formula}，已按其结果 {judged.found} 校验。",
                f"请删除公式，直接填写数字 {judged.found}。",
                judged.found,
            )
        return judged
    if raw.t in _TEXT_TYPES:
        return _text(raw.text, vt)
    if raw.t == "b":
        shown = "TRUE" if raw.text.strip() in ("1", "true", "TRUE") else "FALSE"
        return _not_number(shown, vt)
    return _not_number(raw.text, vt)


def _not_number(found: str, vt: ValueType) -> Judged:
    return Judged(
        "invalid",
        None,
        found,
        "value-not-number",
        f"单元格中是“{found}”，不是数字。",
        f"请填写{type_text(vt)}。",
        type_text(vt),
    )


def _text(text: str, vt: ValueType) -> Judged:
    guess = guess_number(text, vt)
    if guess is None:
        return _not_number(text, vt)
    d, note = guess
    s = unicodedata.normalize("NFKC", text).strip()
    if s in ZERO_WORDS:
        return Judged(
            "invalid",
            None,
            text,
            "value-zero-as-text",
            f"单元格中是文字“{text}”，不是数字 0。",
            "没有数据请填数字 0（不要填“-”“—”“无”等文字）。",
            "0",
        )
    how = f"（{note}）" if note else ""
    plain = text.strip() == fmt(d) or text.strip() == str(d)
    what = "数字被存成了文字" if plain else "数字中带有单位、空格、全角字符或其他文字"
    return Judged(
        "invalid",
        None,
        text,
        "value-text-number",
        f"单元格中是文字“{text}”，不是数字：{what}。",
        f"可能应为 {fmt(d)}{how}：请删除单元格内容后重新输入数字 {fmt(d)}"
        "（不要带单位、空格或引号，输入法切换为半角）。",
        fmt(d),
    )


def judge_number(d: Decimal, vt: ValueType) -> Judged:
    """A stored number against the type's kind, range and decimals."""
    found = fmt(d)
    if vt.kind == "integer" and d != d.to_integral_value():
        lo, hi = int(d.to_integral_value("ROUND_FLOOR")), int(d.to_integral_value("ROUND_CEILING"))
        return Judged(
            "invalid",
            None,
            found,
            "value-not-integer",
            f"这里应填{vt.label}，填的是小数 {found}。",
            f"请核实后填写整数（可能应为 {lo} 或 {hi}）。",
            vt.label,
        )
    if vt.min is not None and d < vt.min:
        if d < 0 <= vt.min:
            return Judged(
                "invalid",
                None,
                found,
                "value-negative",
                f"这里应填{vt.label}，填的是负数 {found}。",
                f"请核实：如应为 {fmt(-d)}，请去掉负号。",
                f"不小于 {fmt(vt.min)}",
            )
        return _range(found, vt, f"不小于 {fmt(vt.min)}")
    if vt.max is not None and d > vt.max:
        return _range(found, vt, f"不大于 {fmt(vt.max)}")
    if vt.kind == "decimal" and decimals_of(d) > vt.decimals:
        rounded = d.quantize(Decimal(1).scaleb(-vt.decimals), rounding=ROUND_HALF_UP)
        return Judged(
            "invalid",
            None,
            found,
            "value-too-many-decimals",
            f"{found} 有 {decimals_of(d)} 位小数，这里最多 {vt.decimals} 位。",
            f"可能应为 {fmt(rounded)}（四舍五入到 {vt.decimals} 位小数）。",
            f"最多 {vt.decimals} 位小数",
        )
    return Judged("ok", d, found)


def _range(found: str, vt: ValueType, bound: str) -> Judged:
    return Judged(
        "invalid",
        None,
        found,
        "value-out-of-range",
        f"{found} 超出了允许的范围（应{bound}）。",
        f"请核实后填写{type_text(vt)}。",
        bound,
    )
