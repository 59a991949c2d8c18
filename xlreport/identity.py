"""What an xlreport workbook carries besides the statutory tables: identity and sign-off.

Shared by the writer (which puts these cells and names in every workbook) and by the
checks (which read them back). The identity is stored twice — as rows of the hidden
``_xlreport`` sheet and as workbook-level defined names — because Excel, WPS and
LibreOffice all keep both on a re-save (LibreOffice turns a very-hidden sheet into a plain
hidden one); the reader cross-checks the two copies.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

META_SHEET = "_xlreport"
GUIDE_SHEET = "填报说明"
WORKBOOK_KIND_RETURN = "return"
WORKBOOK_KIND_SUMMARY = "summary"
#: The sheets a summary (``xlreport merge``) has besides the statutory tables (分类小计
#: only when its agencies are too many for 分单位明细 to carry the subtotals); checking a
#: summary expects them (they are not "added" sheets there).
SUMMARY_SHEETS = ("概览", "分单位明细", "报送情况", "校验结果", "分类小计")
#: The roster's 单位类型 → the group a summary counts its agencies in (分类小计, and the
#: statutory tables per type of ``merge --by-type``), in the order shown.
TYPE_GROUPS: tuple[tuple[str, str], ...] = (
    ("部门", "县直部门"),
    ("乡镇", "乡镇"),
    ("街道", "街道"),
    ("其他", "其他"),
)
#: Excel's longest sheet name.
SHEET_NAME_MAX = 31

# Rows of the _xlreport sheet: key in column A, value (always text) in column B.
META_KEYS = (
    "format",  # the literal "xlreport"
    "layout_id",
    "layout_version",
    "layout_fingerprint",
    "year",
    "agency_code",
    "agency_name",
    "agency_type",
    "kind",  # return | summary
    "template_id",
    "county",
    "contributors",  # summary only: agency codes joined by ","
    "generator",  # "xlreport 0.1.0"
)
META_FORMAT = "xlreport"
#: Between the agency codes of a summary's ``contributors`` in its identity sheet: a code
#: holding it would be read back as two agencies (refused in a roster and a merge).
CONTRIBUTOR_SEPARATOR = ","
#: Defined names that mirror the meta rows that identify a workbook.
NAME_OF_KEY = {
    "layout_id": "XLR_LAYOUT",
    "layout_version": "XLR_LAYOUT_VERSION",
    "layout_fingerprint": "XLR_FINGERPRINT",
    "year": "XLR_YEAR",
    "agency_code": "XLR_AGENCY_CODE",
    "kind": "XLR_KIND",
    "template_id": "XLR_TEMPLATE_ID",
}

# The 填报说明 sheet: instructions on top, then the identity and sign-off block.
# Each field: key, label (column A), editable by the agency? Values in column B.
SIGNOFF_FIRST_ROW = 12  # 0-based row of the first field
SIGNOFF_FIELDS: tuple[tuple[str, str], ...] = (
    ("agency_name", "填报单位"),
    ("agency_code", "单位编码"),
    ("year", "报告年度"),
    ("filler", "填报人"),
    ("phone", "联系电话"),
    ("head", "单位负责人"),
    ("date", "填报日期"),
    ("seal", "盖章处"),
)
SIGNOFF_ROW = {key: SIGNOFF_FIRST_ROW + i for i, (key, _label) in enumerate(SIGNOFF_FIELDS)}
SIGNOFF_LABEL_COL = 0
SIGNOFF_VALUE_COL = 1
#: Fields the agency fills in (the others are fixed by the template, except the agency
#: name in a generic template, which the agency types).
SIGNOFF_INPUTS = ("filler", "phone", "head", "date", "seal")


@dataclass(frozen=True, slots=True)
class Identity:
    """Who and what a workbook is for."""

    layout_id: str
    layout_version: int
    layout_fingerprint: str
    year: int
    agency_code: str = ""
    agency_name: str = ""
    agency_type: str = ""
    kind: Literal["return", "summary"] = "return"
    template_id: str = ""
    county: str = ""
    contributors: tuple[str, ...] = ()

    @property
    def generic(self) -> bool:
        """A template not made for one agency: the agency types its own name."""
        return not self.agency_code and self.kind == "return"

    def meta_rows(self, generator: str) -> list[tuple[str, str]]:
        values = {
            "format": META_FORMAT,
            "layout_id": self.layout_id,
            "layout_version": str(self.layout_version),
            "layout_fingerprint": self.layout_fingerprint,
            "year": str(self.year),
            "agency_code": self.agency_code,
            "agency_name": self.agency_name,
            "agency_type": self.agency_type,
            "kind": self.kind,
            "template_id": self.template_id,
            "county": self.county,
            "contributors": CONTRIBUTOR_SEPARATOR.join(self.contributors),
            "generator": generator,
        }
        return [(k, values[k]) for k in META_KEYS]


def template_id_of(fingerprint: str, year: int, county: str, agency_code: str) -> str:
    """Deterministic id of one template: the same inputs always give the same id (the
    writer stores it, the check recomputes it from the other identity fields)."""
    key = f"{fingerprint}|{year}|{county}|{agency_code}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_SPACE = re.compile(r"\s+")


def normal_name(name: str) -> str:
    """An agency name as compared: NFKC (full-width letters, digits and brackets become
    half-width), every whitespace removed (a stray or ideographic space is no new agency)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


def type_sheet_names(sheet_names: Sequence[str]) -> dict[tuple[str, str], str]:
    """(statutory sheet name, group of :data:`TYPE_GROUPS`) → the name of that sheet's copy
    for the group in a summary (``merge --by-type``): "二、主动公开（乡镇）", the sheet's name
    cut so that the whole stays within Excel's 31 characters (the group is kept whole), a
    number before the group when two would otherwise be the same; unique (as Excel compares
    names) among themselves, the statutory sheets and the summary's other sheets."""
    taken = {n.casefold() for n in (*sheet_names, *SUMMARY_SHEETS, GUIDE_SHEET, META_SHEET)}
    out: dict[tuple[str, str], str] = {}
    for _kind, group in TYPE_GROUPS:
        suffix = f"（{group}）"
        for name in sheet_names:
            n = 1
            while True:
                mark = str(n) if n > 1 else ""
                candidate = name[: SHEET_NAME_MAX - len(suffix) - len(mark)] + mark + suffix
                if candidate.casefold() not in taken:
                    break
                n += 1
            taken.add(candidate.casefold())
            out[(name, group)] = candidate
    return out


def summary_sheet_names(sheet_names: Sequence[str]) -> tuple[str, ...]:
    """Every sheet a summary of a layout with these statutory sheets may have besides them:
    :data:`SUMMARY_SHEETS` and the statutory tables per type (:func:`type_sheet_names`)."""
    return (*SUMMARY_SHEETS, *type_sheet_names(sheet_names).values())
