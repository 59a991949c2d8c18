"""Reading back workbooks the writer made (tests only: openpyxl and plain XML)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree as ET

import openpyxl

from xlreport.identity import Identity, template_id_of
from xlreport.spec.model import Layout

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
PASSWORD = "test-pw"


def identity(
    layout: Layout, code: str = "QH004", name: str = "清河县科技和工业信息化局"
) -> Identity:
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=2024,
        agency_code=code,
        agency_name=name,
        agency_type="部门" if code else "",
        template_id=template_id_of(layout.fingerprint, 2024, "清河县", code),
        county="清河县",
    )


def generic(layout: Layout) -> Identity:
    return identity(layout, code="", name="")


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@dataclass(frozen=True)
class XmlCell:
    ref: str
    t: str
    formula: str | None
    value: str | None


def sheet_xml_cells(data: bytes, sheet_index: int) -> dict[str, XmlCell]:
    """Every <c> of the sheet at 0-based position ``sheet_index`` (xlsxwriter numbering)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read(f"xl/worksheets/sheet{sheet_index + 1}.xml"))
    out = {}
    for c in root.iterfind(".//m:sheetData/m:row/m:c", NS):
        f = c.find("m:f", NS)
        v = c.find("m:v", NS)
        out[c.get("r", "")] = XmlCell(
            c.get("r", ""),
            c.get("t", "n"),
            f.text if f is not None else None,
            v.text if v is not None else None,
        )
    return out


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def dec(text: str | None) -> Decimal:
    return Decimal(text) if text is not None else Decimal(0)
