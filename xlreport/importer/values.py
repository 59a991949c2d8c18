"""A published cell's text as a number, never guessed: blank stays blank, a unit is taken
off only when it is the column's, anything else is reported."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xlreport.codes import FindingCode
from xlreport.spec.model import ValueType

_NUM = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(元|万元|件|个|项|次|宗|人次)?$")
_GROUPED = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?)(元|万元|件|个|项|次)?$")
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


def parse_value(text: str, vt: ValueType) -> Parsed:
    t = clean(text)
    if not t:
        return Parsed(None, "import-blank")
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
