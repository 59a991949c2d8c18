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

from xlreport.codes import FindingCode
from xlreport.reader.model import RawCell
from xlreport.spec.model import ValueType

#: Excel keeps 15 significant digits; more in a stored number is binary floating-point noise.
EXCEL_DIGITS = 15
#: A double holds no number of a larger decimal exponent (1.8E+308; 4.9E-324 rounds to 1E-323).
DOUBLE_EXPONENT = 330
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
    code: FindingCode | Literal[""] = ""
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
    if not d.is_finite() or not -DOUBLE_EXPONENT <= d.adjusted() <= DOUBLE_EXPONENT:
        return None  # no spreadsheet stores it as a number
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
    if raw is not None and raw.formula is not None:
        return _formula(raw, vt)
    if _blank(raw):
        found = raw.text if raw is not None and raw.text else ""
        return Judged(
            "blank",
            None,
            found,
            "value-blank",
            "单元格为空（空白不会自动当作 0）。",
            "没有数据请填 0。",
            "0 或其他" + vt.label,
        )
    assert raw is not None and raw.text is not None
    if raw.t == "n":
        d = excel_decimal(raw.text)
        if d is None:
            return _not_number(raw.text, vt)
        return judge_number(d, vt)
    if raw.t in _TEXT_TYPES:
        return _text(raw.text, vt)
    if raw.t == "b":
        shown = "TRUE" if raw.text.strip() in ("1", "true", "TRUE") else "FALSE"
        return _not_number(shown, vt)
    return _not_number(raw.text, vt)


def _formula(raw: RawCell, vt: ValueType) -> Judged:
    """A formula in an input cell is refused, whatever result the file stored with it.

    The stored result is written by whatever program saved the file: it can be missing
    (a program that does not calculate), stale, or typed into the XML by hand. Nothing
    here recomputes a formula, so it is never summed nor offered as the number to type.
    """
    formula = _shown(raw.formula or "")
    stored = f"（文件中保存的结果为“{_shown(raw.text)}”，未经核实，不予采用）" if raw.text else ""
    return Judged(
        "invalid",
        None,
        f"={formula}",
        "input-formula",
        f"填报单元格中是公式 ={formula}{stored}：填报单元格只能填写数字，公式不予汇总。",
        f"请删除公式，自行核实结果后直接填写{type_text(vt)}。",
        type_text(vt),
    )


#: Longest text of a cell shown in a message; the rest is cut with "…".
SHOWN_MAX = 60


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


def _not_number(found: str, vt: ValueType) -> Judged:
    found = _shown(found)
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
    """A stored number against the type's kind, range, bounds and decimals."""
    found = _big(d)
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
                f"请核实：如应为 {_big(-d)}，请去掉负号。",
                f"不小于 {fmt(vt.min)}",
            )
        return _range(found, vt, f"不小于 {fmt(vt.min)}")
    if vt.max is not None and d > vt.max:
        return _range(found, vt, f"不大于 {fmt(vt.max)}")
    if abs(d) > vt.limit:
        return _range(found, vt, _bound_text(vt, vt.limit))
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
    if vt.plausible is not None and abs(d) > vt.plausible:
        bound = _bound_text(vt, vt.plausible)
        return Judged(
            "ok",
            d,
            found,
            "value-implausible",
            f"{found} 异常大（一般应{bound}），已按填报的数字校验和汇总，请核实。",
            "请核实这个数字；如填写有误（如多输了几个 0、把金额单位填错），请改正后重新报送。",
            bound,
        )
    return Judged("ok", d, found)


def _bound_text(vt: ValueType, bound: Decimal) -> str:
    unit = vt.unit or ""
    if vt.min is not None and vt.min >= 0:
        return f"不大于 {fmt(bound)}{unit}"
    return f"在 -{fmt(bound)}{unit} 到 {fmt(bound)}{unit} 之间"


#: A number longer than this is shown in scientific notation (1.234568E+300).
BIG_SHOWN = 20


def _big(d: Decimal) -> str:
    """``fmt(d)``, or a short scientific form for a very long number."""
    shown = fmt(d)
    return shown if len(shown) <= BIG_SHOWN else f"{d:.6E}"


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
