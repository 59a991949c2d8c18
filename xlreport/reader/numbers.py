"""What a spreadsheet reads as a number in a ``<v>``: the one rule both sheet parsers apply.

Excel, WPS, LibreOffice, openpyxl and xlsxwriter write a number cell's value as ASCII
``[-+]digits[.digits][E[-+]digits]`` (``12``, ``0.5``, ``1.2345E-05``, ``1e-05``), at most
~24 characters for any IEEE double. Python's ``Decimal`` accepts far more: full-width and
Arabic-Indic digits, ``_`` between digits, surrounding spaces, ``Infinity`` — texts that
Excel and LibreOffice show as 0 or 1, or blank. No spreadsheet writes them, so a number
cell holding one is a forged or damaged file: the reader refuses it, naming the cell,
rather than read a number the spreadsheet does not show. So is a number that no double
can hold (``1E+400``, 100,000 digits), which a spreadsheet cannot show as written.
"""

from __future__ import annotations

import re

#: The grammar of a number written by a spreadsheet (``[0-9]`` is ASCII only).
_GRAMMAR = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
#: Longest number text accepted: a double prints in at most 24 characters
#: ("-2.2250738585072014E-308"); the rest is slack for writers that pad with zeros.
MAX_NUMBER_CHARS = 40
#: What a number text may be judged as: fine, not a number, or beyond a double.
NUMBER_OK, NOT_A_NUMBER, OUT_OF_RANGE = "", "not-a-number", "out-of-range"


def number_problem(text: str) -> str:
    """NUMBER_OK when ``text`` is a number as a spreadsheet writes it and a double can
    hold it; else NOT_A_NUMBER or OUT_OF_RANGE. A text in the grammar but longer than any
    spreadsheet writes (more significant digits than a double holds) is OUT_OF_RANGE.
    Linear in the text's length."""
    if len(text) > MAX_NUMBER_CHARS:
        # the grammar of the whole text (linear; a cut could fall inside the exponent:
        # "…352E-25" cut after "E-" is no number, yet the whole is one, only too long)
        return OUT_OF_RANGE if _GRAMMAR.fullmatch(text) else NOT_A_NUMBER
    if _GRAMMAR.fullmatch(text) is None:
        return NOT_A_NUMBER
    if "e" in text or "E" in text:
        value = float(text)
        if value in (float("inf"), float("-inf")):
            return OUT_OF_RANGE
        mantissa = text.split("e")[0].split("E")[0]
        if value == 0.0 and mantissa.strip("+-0.") != "":
            return OUT_OF_RANGE  # below the smallest double: a spreadsheet shows 0
    return NUMBER_OK


def is_spreadsheet_number(text: str) -> bool:
    """Whether ``text`` (a number cell's ``<v>``) is a number a spreadsheet reads as written."""
    return number_problem(text) == NUMBER_OK
