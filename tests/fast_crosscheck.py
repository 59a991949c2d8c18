"""Every part the reader's fast paths read during the tests is read by the streaming parser
too, and the two must agree exactly (cells, merges, protection, validations, every count of
the budget) — or the fast path must have declined. Installed by conftest.py for the whole
session (worker processes forked by merge/check inherit it), so every file any test reads —
templates, LibreOffice re-saves, real published tables, tampered and hostile files — is a
differential test of sheet_fast.py, cells_fast.py and the plain shared-strings reader.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import xlreport.reader.read as read
from xlreport.errors import UnreadableFileError
from xlreport.reader.model import RawSheet
from xlreport.reader.sheet import parse_sheet
from xlreport.reader.strings import parse_shared_strings
from xlreport.reader.xmlsafe import Budget

#: Parts read by a fast path and confirmed by the streaming parser, in this process.
CONFIRMED = {"sheets": 0, "strings": 0, "declined": 0}


def _same_sheet(a: RawSheet, b: RawSheet) -> bool:
    return (a.cells, a.merges, a.protected, a.data_validations) == (
        b.cells,
        b.merges,
        b.protected,
        b.data_validations,
    )


def install() -> None:
    fast_sheet = read.parse_sheet_fast
    fast_strings = read.read_shared_strings

    def checked_sheet(
        data: bytes,
        part: str,
        sheet: RawSheet,
        sst: list[str],
        budget: Budget,
        dates: frozenset[int] = frozenset(),
    ) -> bool:
        fast = copy.deepcopy(sheet)
        fast_budget = replace(budget)
        if not fast_sheet(data, part, fast, sst, fast_budget, dates):
            assert _same_sheet(fast, sheet) and fast_budget == budget, "declined but changed"
            CONFIRMED["declined"] += 1
            return False
        slow = copy.deepcopy(sheet)
        slow_budget = replace(budget)
        try:
            parse_sheet([data], part, slow, sst, slow_budget, dates=dates)
        except UnreadableFileError as e:
            msg = f"fast path read {part}, the streaming parser refuses it: {e}"
            raise AssertionError(msg) from e
        assert _same_sheet(fast, slow), f"fast and streaming reads of {part} differ"
        assert fast_budget == slow_budget, f"{part}: budget {fast_budget} != {slow_budget}"
        sheet.cells.update(fast.cells)
        sheet.merges[:] = fast.merges
        sheet.protected, sheet.data_validations = fast.protected, fast.data_validations
        budget.elements, budget.cells = fast_budget.elements, fast_budget.cells
        budget.rows = fast_budget.rows
        budget.formula_chars = fast_budget.formula_chars
        CONFIRMED["sheets"] += 1
        return True

    def checked_strings(data: bytes, part: str, budget: Budget) -> list[str]:
        slow_budget = replace(budget)
        try:
            slow: Any = parse_shared_strings([data], part, slow_budget)
        except UnreadableFileError as e:
            slow = e
        try:
            fast = fast_strings(data, part, budget)
        except UnreadableFileError as e:
            assert isinstance(slow, UnreadableFileError) and str(e) == str(slow), str(e)
            raise
        assert fast == slow, f"fast and streaming reads of {part} differ"
        assert budget == slow_budget, f"{part}: budget {budget} != {slow_budget}"
        CONFIRMED["strings"] += 1
        return fast

    read.parse_sheet_fast = checked_sheet  # type: ignore[assignment]
    read.read_shared_strings = checked_strings  # type: ignore[assignment]
