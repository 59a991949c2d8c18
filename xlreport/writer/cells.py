"""Writing cells of one worksheet with the right format, and the annotate notes on them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlreport.writer.styles import Styles


@dataclass(frozen=True)
class CellNote:
    """A remark for ``check --annotate``: the cell is highlighted and carries the text as a comment.

    ``sheet_name`` is the visible sheet name; ``row``/``col`` are 0-based.
    """

    sheet_name: str
    row: int
    col: int
    text: str


class ShortestFloat(float):
    """A float that xlsxwriter writes in its shortest exact form (9116.36, not 9116.360000000001).

    xlsxwriter formats numbers with ``.16G``, which turns many decimals into long binary
    noise; Excel itself stores the shortest text that reads back as the same double.
    """

    def __format__(self, spec: str) -> str:
        return repr(float(self))


def excel_number(value: Decimal) -> int | float:
    """A Decimal as a number cell: an int when integral, else the shortest float."""
    return int(value) if value == value.to_integral_value() else ShortestFloat(value)


class CellWriter:
    """One worksheet: every write goes through here so that noted cells get highlighted."""

    def __init__(self, worksheet: Any, styles: Styles, notes: Mapping[tuple[int, int], str]):
        self.ws = worksheet
        self.styles = styles
        self.notes = notes
        self._written: set[tuple[int, int]] = set()

    def fmt(self, kind: str, r: int, c: int, num_format: str = "") -> Any:
        return self.styles.get(kind, num_format, noted=(r, c) in self.notes)

    def _area(self, r: int, c: int, r2: int, c2: int, fmt: Any) -> None:
        if r2 != r or c2 != c:
            self.ws.merge_range(r, c, r2, c2, None, fmt)
        self._written.add((r, c))

    def text(
        self, r: int, c: int, text: str, kind: str, r2: int | None = None, c2: int | None = None
    ) -> None:
        """Text, always as a string (never read as a formula or number)."""
        fmt = self.fmt(kind, r, c)
        self._area(r, c, r if r2 is None else r2, c if c2 is None else c2, fmt)
        if text:
            self.ws.write_string(r, c, text, fmt)
        else:
            self.ws.write_blank(r, c, None, fmt)

    def value(
        self, r: int, c: int, c2: int, value: Decimal | str | None, kind: str, num_format: str
    ) -> None:
        """An input cell: a number, text kept as text (an invalid entry), or blank."""
        fmt = self.fmt(kind, r, c, num_format)
        self._area(r, c, r, c2, fmt)
        if isinstance(value, Decimal):
            self.ws.write_number(r, c, excel_number(value), fmt)
        elif value:
            self.ws.write_string(r, c, value, fmt)
        else:
            self.ws.write_blank(r, c, None, fmt)

    def formula(
        self,
        r: int,
        c: int,
        formula: str,
        cached: Decimal | str,
        kind: str,
        num_format: str = "",
        r2: int | None = None,
        c2: int | None = None,
    ) -> None:
        fmt = self.fmt(kind, r, c, num_format)
        self._area(r, c, r if r2 is None else r2, c if c2 is None else c2, fmt)
        value = excel_number(cached) if isinstance(cached, Decimal) else cached
        self.ws.write_formula(r, c, formula, fmt, value)

    def finish(self) -> None:
        """Highlight noted cells nothing was written to, and attach every note as a comment."""
        for (r, c), text in sorted(self.notes.items()):
            if (r, c) not in self._written:
                self.ws.write_blank(r, c, None, self.fmt("plain", r, c))
            self.ws.write_comment(
                r, c, text, {"author": "xlreport", "x_scale": 2.5, "y_scale": 2.0}
            )
