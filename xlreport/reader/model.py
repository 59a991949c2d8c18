"""What the reader hands to the rest of xlreport: the raw content of a workbook.

No interpretation here: values stay as the text stored in the file (shared strings
resolved), so that the checks can say exactly what was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from xlreport.reader.numbers import is_spreadsheet_number

SheetState = Literal["visible", "hidden", "veryHidden"]

#: Cell types whose empty ``<v/>`` is an empty string rather than "no value".
TEXT_TYPES = frozenset(("str", "inlineStr"))


def empty_value(t: str) -> str | None:
    """What an empty ``<v/>`` (or ``<v></v>``) holds in a cell of type ``t``: an empty
    string in a text type, no value in any other."""
    return "" if t in TEXT_TYPES else None


@dataclass(frozen=True, slots=True)
class RawCell:
    """One ``<c>`` element.

    ``t`` is the cell type attribute as stored ("n" when absent, "s" shared string,
    "str" formula string, "inlineStr", "b", "e", "d"); ``text`` is the value as text
    (shared string / inline / rich text already resolved; None when there is no value);
    ``formula`` is the formula text without "=" (shared formulas expanded), or None;
    ``date`` is True when the cell's style has a date or time number format (see
    ``styles.py``: a number typed as "1-2" shows as a date and is stored as its serial).
    A number cell's text is always a number as a spreadsheet writes it (``numbers.py``):
    the reader refuses a file holding any other.
    """

    t: str
    text: str | None
    formula: str | None = None
    date: bool = False

    @property
    def number(self) -> Decimal | None:
        """The stored number, exactly, when the cell holds a number; else None."""
        if self.t != "n" or self.text is None or not is_spreadsheet_number(self.text):
            return None
        return Decimal(self.text)


@dataclass
class RawSheet:
    name: str
    state: SheetState = "visible"
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)  # 0-based (row, col)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    protected: bool = False  # <sheetProtection sheet="1">
    data_validations: int = 0  # number of <dataValidation> ranges
    read: bool = True  # False when the caller asked to skip this sheet's cells


@dataclass
class RawWorkbook:
    path: str
    size: int
    sha256: str
    sheets: list[RawSheet]  # in workbook order
    defined_names: dict[str, str]  # workbook-scoped names → their text
    structure_protected: bool  # <workbookProtection lockStructure="1">
    application: str = ""  # docProps/app.xml <Application>
    created: str = ""  # docProps/core.xml dcterms:created (ISO text as stored)
    modified: str = ""  # docProps/core.xml dcterms:modified
    full_calc_on_load: bool = False

    def sheet(self, name: str) -> RawSheet | None:
        return next((s for s in self.sheets if s.name == name), None)
