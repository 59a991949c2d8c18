"""The cell formats of an xlreport workbook, created once per workbook and reused."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from xlreport.spec.model import ValueType

FONT = "宋体"
INPUT_FILL = "#FFF2CC"  # light yellow: "type here"
TOTAL_FILL = "#EDEDED"  # grey: computed, locked
FIXED_FILL = "#F2F2F2"  # grey: prefilled identity
NOTE_FILL = "#FFC7CE"  # a cell annotate points at
NOTE_FONT = "#9C0006"
BROKEN_FILL = "#FF9999"  # conditional format: cell of a broken rule


@lru_cache(maxsize=4096)
def display_width(text: str) -> int:
    """Width in Excel character units: a CJK character counts twice (remembered: the same
    labels are measured again in every block of a province's 分单位明细)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def number_format(vt: ValueType) -> str:
    """Integers show as integers; decimals in General so that no decimal is hidden."""
    return "0" if vt.kind == "integer" else "General"


class Styles:
    """Format objects by name; ``noted=True`` gives the annotate highlight of the same kind."""

    def __init__(self, workbook: Any) -> None:
        self._wb = workbook
        self._cache: dict[tuple[str, str, bool], Any] = {}
        self.broken = workbook.add_format({"bg_color": BROKEN_FILL, "font_color": NOTE_FONT})
        self.status_bad = workbook.add_format({"font_color": "#C00000", "bold": True})

    def get(self, kind: str, num_format: str = "", *, noted: bool = False) -> Any:
        key = (kind, num_format, noted)
        fmt = self._cache.get(key)
        if fmt is None:
            props = dict(_BASE)
            props.update(_KINDS[kind])
            if num_format:
                props["num_format"] = num_format
            if noted:
                props.update({"bg_color": NOTE_FILL, "font_color": NOTE_FONT})
            fmt = self._wb.add_format(props)
            self._cache[key] = fmt
        return fmt


_BASE: dict[str, Any] = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
_BORDER: dict[str, Any] = {"border": 1, "text_wrap": True}
_KINDS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center"},
    "info": {"align": "left"},
    "cover": {"align": "left", "valign": "top", "text_wrap": True},
    "caption": {**_BORDER, "bold": True, "align": "left"},
    "corner": {**_BORDER, "align": "center"},
    "column": {**_BORDER, "bold": True, "align": "center"},
    "row": {**_BORDER, "align": "left"},
    "row_vertical": {**_BORDER, "align": "center", "rotation": 270},
    "input": {**_BORDER, "locked": False, "bg_color": INPUT_FILL, "align": "right"},
    # a summary's figure: printed, not typed (no input shading, locked)
    "value": {**_BORDER, "align": "right"},
    "total": {**_BORDER, "bg_color": TOTAL_FILL, "bold": True, "align": "right"},
    "text_input": {**_BORDER, "locked": False, "bg_color": INPUT_FILL, "align": "left"},
    "text_fixed": {**_BORDER, "bg_color": FIXED_FILL, "align": "left"},
    "field": {**_BORDER, "bold": True, "align": "center"},
    "guide": {"text_wrap": True, "align": "left"},
    "check_head": {**_BORDER, "bold": True, "align": "center", "bg_color": "#DDEBF7"},
    "check_rule": {**_BORDER, "align": "left", "font_size": 9},
    "check_status": {**_BORDER, "align": "left", "font_size": 9},
    "plain": {},
}
