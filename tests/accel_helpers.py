"""Reading a file both ways: with reader/accel/ and with the parser alone (tests only).

``outcome`` reads a whole file (the workbook, or the refusal's code and message);
``parts_both_ways`` reads every worksheet part and the shared strings of a file with
``accel`` and with the parser on the same inputs and asserts that they agree exactly —
cells, merges, protection, validations and every count of the budget — or that ``accel``
declined, having changed nothing. An ordinary function called by ordinary tests: the
reader under test is the one that ships.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import replace
from pathlib import Path

from xlreport.errors import UnreadableFileError
from xlreport.reader import read_xlsx
from xlreport.reader.accel.sheet import FAST_MAX_BYTES, read_plain_sheet
from xlreport.reader.accel.strings import read_plain_strings
from xlreport.reader.archive import Archive
from xlreport.reader.limits import DEFAULT_LIMITS, ReadLimits
from xlreport.reader.model import RawSheet
from xlreport.reader.sheet import parse_sheet
from xlreport.reader.strings import parse_shared_strings
from xlreport.reader.styles import date_styles
from xlreport.reader.xmlsafe import Budget

SST_PART = "xl/sharedStrings.xml"


def outcome(path: Path, fast: bool, limits: ReadLimits | None = None) -> object:
    """The workbook read, or ("refused", code, message)."""
    try:
        return read_xlsx(path, fast=fast, limits=limits or DEFAULT_LIMITS)
    except UnreadableFileError as e:
        return ("refused", e.code, e.message)


def _same_sheet(a: RawSheet, b: RawSheet) -> bool:
    return (a.cells, a.merges, a.protected, a.data_validations) == (
        b.cells,
        b.merges,
        b.protected,
        b.data_validations,
    )


def _strings_both_ways(data: bytes, limits: ReadLimits) -> list[str]:
    fast_budget, slow_budget = Budget(limits), Budget(limits)
    fast = read_plain_strings(data, SST_PART, fast_budget)
    try:
        slow = parse_shared_strings([data], SST_PART, slow_budget)
    except UnreadableFileError:
        assert fast is None, "accel read a shared-strings table the parser refuses"
        return []
    if fast is None:
        assert fast_budget == Budget(limits), "accel declined the strings but changed the budget"
        return slow
    assert fast == slow, "accel and the parser read the shared strings differently"
    assert fast_budget == slow_budget, f"strings: budget {fast_budget} != {slow_budget}"
    return slow


def _sheet_both_ways(
    data: bytes, part: str, sst: list[str], dates: frozenset[int], limits: ReadLimits
) -> bool:
    empty = RawSheet(name="s")
    fast, fast_budget = copy.deepcopy(empty), Budget(limits)
    if not read_plain_sheet(data, part, fast, sst, fast_budget, dates):
        assert _same_sheet(fast, empty) and fast_budget == Budget(limits), "declined but changed"
        return False
    slow, slow_budget = copy.deepcopy(empty), Budget(limits)
    try:
        parse_sheet([data], part, slow, sst, slow_budget, dates=dates)
    except UnreadableFileError as e:
        raise AssertionError(f"accel read {part}, the parser refuses it: {e}") from e
    assert _same_sheet(fast, slow), f"accel and the parser read {part} differently"
    assert fast_budget == replace(slow_budget), f"{part}: budget {fast_budget} != {slow_budget}"
    return True


def parts_both_ways(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> int:
    """Compare accel with the parser on every worksheet part (and the shared strings) of
    the zip at ``path``; the number of worksheet parts accel read. A file whose zip the
    reader refuses has no parts to compare (0)."""
    try:
        archive = Archive(path.read_bytes(), limits)
    except UnreadableFileError:
        return 0

    def whole(part: str) -> bytes | None:
        if not archive.has(part) or archive.declared_size(part) > FAST_MAX_BYTES:
            return None
        try:
            return b"".join(archive.chunks(part))
        except UnreadableFileError:
            return None  # a bomb, a bad CRC …: the reader refuses the file before any part

    sst_data = whole(SST_PART)
    sst = _strings_both_ways(sst_data, limits) if sst_data is not None else []
    dates = frozenset[int]()
    if archive.has("xl/styles.xml"):
        with contextlib.suppress(UnreadableFileError):  # the parser refuses the file
            dates = date_styles(archive.chunks("xl/styles.xml"), "xl/styles.xml", Budget(limits))
    taken = 0
    for part in sorted(archive.names()):
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            data = whole(part)
            if data is not None:
                taken += _sheet_both_ways(data, part, sst, dates, limits)
    return taken


def same_both_ways(path: Path, limits: ReadLimits | None = None) -> tuple[object, int]:
    """The file's outcome, asserted the same with and without accel, and how many of its
    worksheet parts accel reads (each compared with the parser)."""
    fast = outcome(path, True, limits)
    assert fast == outcome(path, False, limits)
    return fast, parts_both_ways(path, limits or DEFAULT_LIMITS)
