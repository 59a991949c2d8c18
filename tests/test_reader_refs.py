"""A1 addresses and the shifting of shared formulas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlreport.reader.refs import col_index, col_letters, parse_range, parse_ref, shift_formula


@pytest.mark.parametrize(
    ("ref", "rc"),
    [
        ("A1", (0, 0)),
        ("Z9", (8, 25)),
        ("AA10", (9, 26)),
        ("XFD1048576", (1048575, 16383)),
        ("b7", (6, 1)),
    ],
)
def test_parse_ref(ref: str, rc: tuple[int, int]) -> None:
    assert parse_ref(ref) == rc


@pytest.mark.parametrize("ref", ["", "A0", "1A", "XFE1", "A1048577", "AAAA1", "A1B", "$A$1", "A 1"])
def test_parse_ref_refuses(ref: str) -> None:
    assert parse_ref(ref) is None


def test_parse_range() -> None:
    assert parse_range("A1:C3") == (0, 0, 2, 2)
    assert parse_range("C3:A1") == (0, 0, 2, 2)
    assert parse_range("D5") == (4, 3, 4, 3)
    assert parse_range("A1:") is None
    assert parse_range("A1:ZZZZ9") is None


@given(st.integers(min_value=0, max_value=16383))
def test_col_letters_round_trip(col: int) -> None:
    assert col_index(col_letters(col)) == col


@pytest.mark.parametrize(
    ("formula", "dr", "dc", "expected"),
    [
        ("SUM(D5:I5)", 1, 0, "SUM(D6:I6)"),
        ("SUM(D5:I5)", 0, 2, "SUM(F5:K5)"),
        ("$A$1+A1+$A1+A$1", 2, 3, "$A$1+D3+$A3+D$1"),
        ("SUM(A:A)+SUM($B:C)", 5, 1, "SUM(B:B)+SUM($B:D)"),
        ("SUM(1:1)+SUM($2:3)", 1, 4, "SUM(2:2)+SUM($2:4)"),
        ('"A1"&A1', 1, 0, '"A1"&A2'),
        ('"say ""B2"""&B2', 1, 1, '"say ""B2"""&C3'),
        ("'三、依申请公开'!D6+Sheet1!D6", 1, 0, "'三、依申请公开'!D7+Sheet1!D7"),
        ("'A1 sheet'!A1", 1, 0, "'A1 sheet'!A2"),
        ("LOG10(A1)+ATAN2(B1,C1)", 1, 0, "LOG10(A2)+ATAN2(B2,C2)"),
        ("XLR_YEAR+A1", 1, 0, "XLR_YEAR+A2"),
        ("1E5+A1*2.5E-3", 1, 0, "1E5+A2*2.5E-3"),
        ("Table1[Col1]+A1", 1, 0, "Table1[Col1]+A2"),
        ("_xlfn.XLOOKUP(A1,B:B,C:C)", 1, 1, "_xlfn.XLOOKUP(B2,C:C,D:D)"),
        ("A1", -1, 0, "#REF!"),
        ("A1", 0, -1, "#REF!"),
        ("XFD1+A1048576", 0, 0, "XFD1+A1048576"),
        ("XFD1", 0, 1, "#REF!"),
        ("A1048576", 1, 0, "#REF!"),
    ],
)
def test_shift_formula(formula: str, dr: int, dc: int, expected: str) -> None:
    assert shift_formula(formula, dr, dc) == expected


refs = st.tuples(st.integers(0, 200), st.integers(0, 200), st.booleans(), st.booleans())


@given(st.lists(refs, min_size=1, max_size=5), st.integers(0, 50), st.integers(0, 50))
def test_shift_there_and_back(parts: list[tuple[int, int, bool, bool]], dr: int, dc: int) -> None:
    formula = "+".join(
        f"{'$' if ac else ''}{col_letters(c)}{'$' if ar else ''}{r + 1}" for r, c, ar, ac in parts
    )
    moved = shift_formula(formula, dr, dc)
    assert shift_formula(moved, -dr, -dc) == formula
    for (r, c, ar, ac), token in zip(parts, moved.split("+"), strict=True):
        want = f"{'$' if ac else ''}{col_letters(c if ac else c + dc)}{'$' if ar else ''}{(r if ar else r + dr) + 1}"
        assert token == want
