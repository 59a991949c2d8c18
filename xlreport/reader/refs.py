"""A1 references: cell addresses to 0-based (row, col), and shifting shared formulas."""

from __future__ import annotations

import re

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COL = 16_384

_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_REF_CACHE_MAX = 20_000
#: Addresses seen before → (row, col). Bounded (a return uses ~600 distinct addresses, the
#: same in every return; emptied when full); holds only addresses inside Excel's grid.
REF_CACHE: dict[str, tuple[int, int]] = {}


def col_index(letters: str) -> int:
    """0-based column of "A".."XFD" (no validation of the range)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(col: int) -> str:
    """Letters of a 0-based column."""
    s = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def parse_ref(ref: str) -> tuple[int, int] | None:
    """0-based (row, col) of an address such as "B7", or None when it is not one in Excel's grid."""
    rc = REF_CACHE.get(ref)
    if rc is not None:
        return rc
    m = _REF.fullmatch(ref) or _REF.fullmatch(ref.strip().upper())
    if m is None:
        return None
    letters = m[1]
    col = ord(letters[0]) - 64
    for ch in letters[1:]:
        col = col * 26 + ord(ch) - 64
    row = int(m[2]) - 1
    if row >= EXCEL_MAX_ROW or col > EXCEL_MAX_COL:
        return None
    rc = (row, col - 1)
    if len(REF_CACHE) >= _REF_CACHE_MAX:
        # emptied when full, never left full: reader/accel reads only addresses it holds,
        # so a full cache would turn the fast path off for the rest of the process
        REF_CACHE.clear()
    REF_CACHE[ref] = rc
    return rc


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """(r1, c1, r2, c2) of "A1:C3" (or of a single cell), normalised so r1 ≤ r2, c1 ≤ c2."""
    a, colon, b = ref.partition(":")
    p = parse_ref(a)
    q = parse_ref(b) if colon else p
    if p is None or q is None:
        return None
    return (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))


# --- shared formulas -----------------------------------------------------------------------

_NOT_BEFORE = r"(?<![A-Za-z0-9_.$\\])"
_NOT_AFTER = r"(?![A-Za-z0-9_.(!\[])"
_TOKEN = re.compile(
    r'(?P<str>"(?:[^"]|"")*")'  # a string literal: never touched
    r"|(?P<sheet>'(?:[^']|'')*'!)"  # a quoted sheet name
    r"|(?P<brk>\[[^\]]*\])"  # structured or external-workbook reference
    + rf"|{_NOT_BEFORE}(?P<cr>\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}){_NOT_AFTER}"  # A:C
    + rf"|{_NOT_BEFORE}(?P<rr>\$?[0-9]{{1,7}}:\$?[0-9]{{1,7}}){_NOT_AFTER}"  # 1:3
    + rf"|{_NOT_BEFORE}(?P<cd>\$?)(?P<col>[A-Za-z]{{1,3}})(?P<rd>\$?)(?P<row>[0-9]{{1,7}}){_NOT_AFTER}"
)
#: Shifted formulas by (master, rows, cols): returns share their formulas. Bounded, and
#: only short formulas are kept.
_shift_cache: dict[tuple[str, int, int], str] = {}
_SHIFT_CACHE_MAX = 20_000
_SHIFT_CACHE_TEXT = 256
_REF_ERROR = "#REF!"


def _shift_col(token: str, dc: int) -> str | None:
    if token.startswith("$"):
        return token
    c = col_index(token.upper()) + dc
    return col_letters(c) if 0 <= c < EXCEL_MAX_COL else None


def _shift_row(token: str, dr: int) -> str | None:
    if token.startswith("$"):
        return token
    r = int(token) + dr
    return str(r) if 1 <= r <= EXCEL_MAX_ROW else None


def shift_formula(formula: str, dr: int, dc: int) -> str:
    """The formula of a shared-formula master, as written for a cell ``dr`` rows and ``dc``
    columns away: relative A1 references move, ``$``-anchored parts stay."""
    if dr == 0 and dc == 0:
        return formula
    key = (formula, dr, dc)
    cached = _shift_cache.get(key)
    if cached is not None:
        return cached

    def repl(m: re.Match[str]) -> str:
        if m["col"] is not None:
            c = m["col"] if m["cd"] else _shift_col(m["col"], dc)
            r = m["row"] if m["rd"] else _shift_row(m["row"], dr)
            if c is None or r is None:
                return _REF_ERROR
            return f"{m['cd']}{c}{m['rd']}{r}"
        if m["cr"] is not None:
            a, b = m["cr"].split(":")
            sa, sb = _shift_col(a, dc), _shift_col(b, dc)
            return _REF_ERROR if sa is None or sb is None else f"{sa}:{sb}"
        if m["rr"] is not None:
            a, b = m["rr"].split(":")
            sa, sb = _shift_row(a, dr), _shift_row(b, dr)
            return _REF_ERROR if sa is None or sb is None else f"{sa}:{sb}"
        return m[0]

    shifted = _TOKEN.sub(repl, formula)
    if len(formula) <= _SHIFT_CACHE_TEXT and len(_shift_cache) < _SHIFT_CACHE_MAX:
        _shift_cache[key] = shifted
    return shifted
