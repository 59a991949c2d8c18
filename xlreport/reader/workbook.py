"""The small parts around the sheets: content types, workbook, relationships, properties."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field

from xlreport.reader.model import SheetState
from xlreport.reader.xmlsafe import MAIN_NS, REL_ATTR_NS, Budget, names, scan, truthy

_CT_NS = ("http://schemas.openxmlformats.org/package/2006/content-types",)
_PKG_REL_NS = ("http://schemas.openxmlformats.org/package/2006/relationships",)
_CORE_NS = ("http://purl.org/dc/terms/",)
_APP_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
)
_REL_ID = tuple(f"{ns} id" for ns in REL_ATTR_NS)
_STATES: dict[str, SheetState] = {
    "visible": "visible",
    "hidden": "hidden",
    "veryHidden": "veryHidden",
}

WORKBOOK_TYPES = frozenset(
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    )
)
MACRO_TYPES = frozenset(
    (
        "application/vnd.ms-excel.sheet.macroenabled.main+xml",
        "application/vnd.ms-excel.template.macroenabled.main+xml",
        "application/vnd.ms-excel.addin.macroenabled.main+xml",
    )
)
BINARY_TYPES = frozenset(("application/vnd.ms-excel.sheet.binary.macroenabled.main",))
DEFAULT_WORKBOOK = "xl/workbook.xml"


def parse_content_types(chunks: Iterable[bytes], budget: Budget) -> dict[str, str]:
    """Part name (without the leading "/", as written) → content type (lower case)."""
    found = scan(chunks, "[Content_Types].xml", names(_CT_NS, "Override"), frozenset(), budget)
    return {
        e.attrs.get("PartName", "").lstrip("/"): e.attrs.get("ContentType", "").strip().lower()
        for e in found
    }


@dataclass
class SheetEntry:
    name: str
    state: SheetState
    rel_id: str


@dataclass
class WorkbookPart:
    sheets: list[SheetEntry] = field(default_factory=list)
    defined_names: dict[str, str] = field(default_factory=dict)
    structure_protected: bool = False
    full_calc_on_load: bool = False


def parse_workbook(chunks: Iterable[bytes], part: str, budget: Budget) -> WorkbookPart:
    wanted = names(MAIN_NS, "sheet", "definedName", "workbookProtection", "calcPr")
    wb = WorkbookPart()
    for e in scan(chunks, part, wanted, frozenset(("definedName",)), budget):
        a = e.attrs
        if e.name == "sheet":
            rel_id = next((a[k] for k in _REL_ID if k in a), "")
            state = _STATES.get(a.get("state", "visible"), "visible")
            wb.sheets.append(SheetEntry(a.get("name", ""), state, rel_id))
        elif e.name == "definedName":
            if "localSheetId" not in a:
                wb.defined_names.setdefault(a.get("name", ""), e.text)
        elif e.name == "workbookProtection":
            wb.structure_protected = truthy(a.get("lockStructure"))
        elif e.name == "calcPr":
            wb.full_calc_on_load = truthy(a.get("fullCalcOnLoad"))
    return wb


@dataclass(frozen=True)
class Relationship:
    type: str  # the last segment of the type URI, e.g. "worksheet", "sharedStrings"
    target: str  # part name, resolved against the source part, without leading "/"


def rels_part_of(part: str) -> str:
    """The relationships part that belongs to ``part``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def parse_rels(
    chunks: Iterable[bytes], part: str, source: str, budget: Budget
) -> dict[str, Relationship]:
    """Id → relationship of ``source``'s relationships part (external targets left out)."""
    rels: dict[str, Relationship] = {}
    for e in scan(chunks, part, names(_PKG_REL_NS, "Relationship"), frozenset(), budget):
        a = e.attrs
        if a.get("TargetMode", "Internal") == "External":
            continue
        rels.setdefault(
            a.get("Id", ""),
            Relationship(
                a.get("Type", "").rsplit("/", 1)[-1], resolve(source, a.get("Target", ""))
            ),
        )
    return rels


def resolve(source: str, target: str) -> str:
    """A relationship target as a part name: absolute ("/xl/...") or relative to ``source``."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def parse_core(chunks: Iterable[bytes], budget: Budget) -> tuple[str, str]:
    """(created, modified) from docProps/core.xml, as stored."""
    found = scan(
        chunks,
        "docProps/core.xml",
        names(_CORE_NS, "created", "modified"),
        frozenset(("created", "modified")),
        budget,
    )
    got = {e.name: e.text.strip() for e in found}
    return got.get("created", ""), got.get("modified", "")


def parse_app(chunks: Iterable[bytes], budget: Budget) -> str:
    """<Application> from docProps/app.xml."""
    found = scan(
        chunks,
        "docProps/app.xml",
        names(_APP_NS, "Application"),
        frozenset(("Application",)),
        budget,
    )
    return found[0].text.strip() if found else ""
