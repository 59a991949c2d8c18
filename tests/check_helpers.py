"""Building real returns and tampering with them, for the `xlreport check` tests.

Returns are written by the real writer; tampering is done the way it happens in the field:
openpyxl (a script, or a re-save), or editing the XML inside the zip (a cached value
changed behind its formula). Nothing here checks anything.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from realdata import load_real_report, real_report_inputs

from xlreport.batch import check_file
from xlreport.checks import CheckedFile, CheckOptions
from xlreport.identity import Identity, template_id_of
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook

PASSWORD = "check-pw"
YEAR = 2023
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def layout_of(layout_id: str = "gov-2021") -> Layout:
    return builtin_layouts()[layout_id]


def ident(
    layout: Layout,
    *,
    year: int = YEAR,
    code: str = "A01",
    name: str = "县测试局",
    kind: str = "return",
) -> Identity:
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=year,
        agency_code=code,
        agency_name=name,
        agency_type="部门" if code else "",
        kind="summary" if kind == "summary" else "return",
        template_id=template_id_of(layout.fingerprint, year, "测试县", code),
        county="测试县",
    )


def real_inputs(layout: Layout, report: str = "pingtan_2022") -> dict[str, Decimal]:
    """A real published table on the layout's input cells (blank cells left out)."""
    values = real_report_inputs(load_real_report(report), layout)
    return {k: v for k, v in values.items() if v is not None}


def build(
    layout: Layout,
    values: Mapping[str, Decimal | str] | None = None,
    identity: Identity | None = None,
    **kw: object,
) -> bytes:
    return build_workbook(
        layout,
        identity or ident(layout),
        password=PASSWORD,
        values=values if values is not None else real_inputs(layout),
        **kw,  # type: ignore[arg-type]
    )


def check_bytes(
    tmp_path: Path, data: bytes, options: CheckOptions | None = None, name: str = "return.xlsx"
) -> CheckedFile:
    path = tmp_path / name
    path.write_bytes(data)
    return check_file(path, options or CheckOptions(year=YEAR))


def codes(checked: CheckedFile, severity: str | None = None) -> list[str]:
    return [f.code for f in checked.report.findings if severity in (None, f.severity)]


def errors(checked: CheckedFile) -> list[tuple[str, str, str]]:
    """(code, sheet, cell) of every error finding."""
    return [(f.code, f.sheet, f.cell) for f in checked.report.findings if f.severity == "error"]


# --- the zip and its XML --------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(parts: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return buf.getvalue()


def sheet_part(data: bytes, sheet_name: str) -> str:
    """The zip member holding the worksheet named ``sheet_name``."""
    parts = members(data)
    wb = ET.fromstring(parts["xl/workbook.xml"])
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iterfind("rel:Relationship", NS)}
    for s in wb.iterfind("m:sheets/m:sheet", NS):
        if s.get("name") == sheet_name:
            target = targets[s.get(f"{{{NS['r']}}}id")]
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(sheet_name)


def edit_part(data: bytes, part: str, edit: Callable[[str], str]) -> bytes:
    parts = members(data)
    before = parts[part].decode("utf-8")
    after = edit(before)
    assert after != before, f"edit of {part} changed nothing"
    parts[part] = after.encode("utf-8")
    return rezip(parts)


def set_cached_value(data: bytes, sheet_name: str, ref: str, value: str) -> bytes:
    """Change the stored result of the formula at ``ref``, leaving the formula alone."""

    def edit(xml: str) -> str:
        pattern = re.compile(rf'(<c r="{ref}"[^>]*>\s*<f[^>]*>[^<]*</f>\s*<v>)([^<]*)(</v>)')
        assert pattern.search(xml), f"no formula with a cached value at {ref}"
        return pattern.sub(lambda m: m.group(1) + value + m.group(3), xml, count=1)

    return edit_part(data, sheet_part(data, sheet_name), edit)


# --- openpyxl: what scripts and people do ----------------------------------------------


def with_openpyxl(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def shift_refs(formula: str, *, rows: bool, at: int, n: int) -> str:
    """References at or after row/column ``at`` (1-based) move by ``n`` (negative: deleted),
    as a spreadsheet application adjusts them."""

    def move(m: re.Match[str]) -> str:
        col, row = _col_number(m.group(2)), int(m.group(4))
        if rows and row >= at:
            row = max(at, row + n) if n < 0 else row + n
        if not rows and col >= at:
            col = max(at, col + n) if n < 0 else col + n
        return f"{m.group(1)}{_col_letters(col)}{m.group(3)}{row}"

    return _REF.sub(move, formula)


def _shift_merges(ws: Worksheet, *, rows: bool, at: int, n: int) -> list[tuple[int, ...]]:
    out = []
    for m in list(ws.merged_cells.ranges):
        c1, r1, c2, r2 = m.bounds
        ws.unmerge_cells(str(m))
        lo, hi = (r1, r2) if rows else (c1, c2)
        if n < 0 and at <= lo and hi <= at - n - 1:
            continue  # merge entirely in the deleted rows/columns
        lo = lo + n if lo >= at and (n > 0 or lo > at - n - 1) else lo
        hi = hi + n if hi >= at else hi
        out.append((c1, lo, c2, hi) if rows else (lo, r1, hi, r2))
    return out


def change_lines(ws: Worksheet, *, rows: bool, at: int, n: int) -> None:
    """Insert (n > 0) or delete (n < 0) rows or columns at ``at`` (1-based) the way Excel or
    WPS does: cells, formulas and merged areas all move (openpyxl alone moves only cells)."""
    merges = _shift_merges(ws, rows=rows, at=at, n=n)
    if rows:
        (ws.insert_rows if n > 0 else ws.delete_rows)(at, abs(n))
    else:
        (ws.insert_cols if n > 0 else ws.delete_cols)(at, abs(n))
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = shift_refs(cell.value, rows=rows, at=at, n=n)
    for c1, r1, c2, r2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def a1_of(layout: Layout, cell_id: str) -> tuple[str, str]:
    """(sheet name, A1) of a layout cell."""
    c = layout.cells[cell_id]
    return layout.sheet(c.sheet).name, c.a1
