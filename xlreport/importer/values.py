"""A published cell's text as a number, never guessed: blank stays blank, a unit is taken
off only when it is the column's, anything else is reported."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xlreport.codes import FindingCode
from xlreport.spec.model import ValueType

_NUM = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(元|万元|件|个|项|次|宗|人次)?$", re.ASCII)
_GROUPED = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?)(元|万元|件|个|项|次)?$", re.ASCII)
# digits with a space or line break between them (separators aside): ``3 5``, ``1\n2``, ``1 ,234``
_SPLIT_DIGITS = re.compile(r"\d[.,]*\s[\s.,]*\d", re.ASCII)
# digits NFKC may rightly turn into ASCII ones: the full-width ０-９ of Chinese typing
_FULL_WIDTH_DIGITS = frozenset("０１２３４５６７８９")
_COUNT_UNITS = frozenset({"件", "个", "项", "次", "宗", "人次"})


@dataclass(frozen=True)
class Parsed:
    value: Decimal | None
    code: FindingCode | None = None  # import-blank / import-value-* when not plain
    note: str = ""


def clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    return t.replace("−", "-")


def looks_like_value(text: str) -> bool:
    """Whether a cell holds a value (number, blank, dash, 无) rather than a label."""
    t = clean(text)
    if not t or t in {"-", "—", "——", "/", "无", "--"}:
        return True
    return bool(_NUM.match(t) or _GROUPED.match(t))


#: Digits set raised or lowered (HTML ``<sup>``/``<sub>``, Word's superscript runs: a
#: footnote mark after a number, ``5<sup>1</sup>``) written as superscript / subscript
#: digits, which :func:`parse_value` never reads as plain ones — 5¹ is not 51.
RAISED = {
    "superscript": str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),
    "subscript": str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"),
}


def _odd_digit(text: str) -> str:
    """The first character that reads as a digit but is no plain one (superscript ``²``,
    circled ``①``, subscript, another script's digit…), or ""."""
    for ch in text:
        if ch.isascii() or ch in _FULL_WIDTH_DIGITS:
            continue
        if ch.isdigit() or any("0" <= d <= "9" for d in unicodedata.normalize("NFKC", ch)):
            return ch
    return ""


def parse_value(text: str, vt: ValueType, *, wrapped: bool = False) -> Parsed:
    """``text`` as a value of type ``vt``. Digits split by a space or a line break
    (``3 5``, ``1<br>2``) are no number: never joined by guessing. ``wrapped``: the text's
    line breaks are where a narrow cell wrapped (a PDF's text layer: ``30\n9`` is 309), so
    only a space splits digits there."""
    t = clean(text)
    if not t:
        return Parsed(None, "import-blank")
    shown = re.sub(r"\s+", " ", text.strip())[:40]
    odd = _odd_digit(text)
    if odd:  # ``1²``: a footnote mark, not the number 12
        return Parsed(
            None,
            "import-value-not-number",
            f"“{shown}”中的“{odd}”不是普通数字（上标、带圈数字等，多为脚注标记），不按数字读取",
        )
    joined = text.strip()
    if wrapped:
        joined = re.sub(r"(?<=\S)[ \t]*(?:\r?\n)+[ \t]*(?=\S)", "", joined)
    if _SPLIT_DIGITS.search(unicodedata.normalize("NFKC", joined)):
        return Parsed(
            None,
            "import-value-not-number",
            f"“{shown}”中的数字被空格或换行隔开，可能是几格的数字挤在一起（单元格边界丢失），"
            "不猜测是一个数还是几个数",
        )
    m = _NUM.match(t) or _GROUPED.match(t)
    if m is None:
        return Parsed(None, "import-value-not-number", f"“{text.strip()[:40]}”不是数字")
    sign, digits, unit = m.group(1), m.group(2).replace(",", ""), m.group(3) or ""
    try:
        value = Decimal(sign + digits)
    except InvalidOperation:
        return Parsed(None, "import-value-not-number", f"“{text.strip()[:40]}”不是数字")
    notes = []
    if "," in m.group(2):
        notes.append("去掉了千位分隔符")
    if unit:
        ok = unit == vt.unit or (unit in _COUNT_UNITS and vt.kind == "integer" and not vt.unit)
        if not ok:
            want = vt.unit or "件数（不带单位）"
            return Parsed(
                None, "import-value-unit-mismatch", f"“{text.strip()}”的单位是{unit}，该列为{want}"
            )
        notes.append(f"去掉了单位“{unit}”")
    if unit or notes:
        return Parsed(value, "import-value-unit", "；".join(notes))
    return Parsed(value)


def digit_run(text: str) -> bool:
    """Two or more digits with no cell boundary between them (``640020470``, ``230 000023``)."""
    t = clean(text)
    return len(t) >= 2 and t.isdigit()
