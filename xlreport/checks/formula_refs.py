"""Read a total's formula as a signed sum of cells, to compare it by meaning.

Only the shapes a total can take are understood: references, ranges, ``SUM(...)`` and
``+``/``-`` between them (``$`` and the formula's own sheet name allowed). Anything else
(numbers, other functions, other sheets) is "not a plain sum" and yields None.
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(
    r"\s*(?:(?P<sheet>(?:'(?:[^']|'')+'|[^\s!'(),+\-:]+)!)?"
    r"(?P<ref>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)(?![\w(])"
    r"|(?P<sum>SUM\s*\()|(?P<op>[+\-,)]))",
    re.IGNORECASE,
)
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
#: A range larger than this is not a total of one table.
MAX_RANGE_CELLS = 10_000

Terms = Counter[tuple[int, int]]


def _cell(text: str) -> tuple[int, int]:
    m = _CELL.fullmatch(text)
    assert m is not None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _range(text: str) -> list[tuple[int, int]] | None:
    a, _, b = text.partition(":")
    r1, c1 = _cell(a)
    r2, c2 = _cell(b) if b else (r1, c1)
    r1, r2 = sorted((r1, r2))
    c1, c2 = sorted((c1, c2))
    if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_RANGE_CELLS:
        return None
    return [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def _sheet_ok(prefix: str | None, own: str) -> bool:
    if not prefix:
        return True
    name = prefix[:-1]
    if name.startswith("'"):
        name = name[1:-1].replace("''", "'")
    return name == own


def sum_terms(formula: str, own_sheet: str) -> Terms | None:
    """``SUM(D8:D10)-D12`` → {(7,3): 1, (8,3): 1, (9,3): 1, (11,3): -1}; None if not a sum."""
    text = formula.strip()
    if text.startswith("="):
        text = text[1:].strip()
    if text.upper().startswith("_XLFN."):
        text = text[6:]
    terms: Terms = Counter()
    pos, sign, in_sum, expect_operand, seen = 0, 1, False, True, False
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m.group("ref"):
            if not expect_operand or not _sheet_ok(m.group("sheet"), own_sheet):
                return None
            cells = _range(m.group("ref"))
            if cells is None:
                return None
            for cell in cells:
                terms[cell] += sign
            expect_operand, seen = False, True
        elif m.group("sum"):
            if not expect_operand or in_sum:
                return None
            in_sum = True
        elif m.group("op") == ")":
            if not in_sum or expect_operand:
                return None
            in_sum, expect_operand = False, False
        elif m.group("op") == ",":
            if not in_sum or expect_operand:
                return None
            expect_operand = True
        elif in_sum:
            return None  # no arithmetic inside SUM(...)
        elif expect_operand:
            if seen:
                return None
            sign = -sign if m.group("op") == "-" else sign  # a leading sign
        else:
            sign = 1 if m.group("op") == "+" else -1
            expect_operand = True
    if in_sum or expect_operand:
        return None
    return Counter({k: v for k, v in terms.items() if v})
