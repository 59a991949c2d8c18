"""Building inputs for merge tests: checked returns made in memory, and workbooks on disk."""

from __future__ import annotations

import hashlib
import io
import os
import random
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

from xlreport.checks.model import CheckedFile, ReturnData
from xlreport.findings import FileReport, Finding
from xlreport.identity import Identity, template_id_of
from xlreport.spec.model import Layout

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
YEAR = 2024
PASSWORD = "merge-test"


def ident(
    layout: Layout,
    code: str,
    name: str = "",
    *,
    year: int = YEAR,
    kind: str = "return",
    contributors: tuple[str, ...] = (),
) -> Identity:
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=year,
        agency_code=code,
        agency_name=name or f"单位{code}",
        agency_type="汇总" if kind == "summary" else "部门",
        kind="summary" if kind == "summary" else "return",
        template_id=template_id_of(layout.fingerprint, year, "测试县", code),
        county="测试县",
        contributors=contributors,
    )


def fake_sha(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def checked(
    layout: Layout,
    code: str,
    values: Mapping[str, Decimal],
    *,
    path: str = "",
    name: str = "",
    year: int = YEAR,
    saved_at: str = "",
    mtime: float = 0.0,
    kind: str = "return",
    contributors: tuple[str, ...] = (),
    errors: int = 0,
    warnings: int = 0,
    sha: str = "",
) -> CheckedFile:
    """A return (or summary) as check_paths would hand it over, without any file."""
    identity = ident(layout, code, name, year=year, kind=kind, contributors=contributors)
    path = path or f"/in/{code}.xlsx"
    findings = [Finding("test-error", "error", f"错误{i}", file=path) for i in range(errors)]
    findings += [Finding("test-warning", "warning", f"警告{i}", file=path) for i in range(warnings)]
    report = FileReport(
        path=path,
        findings=findings,
        agency_code=code,
        agency_name=identity.agency_name,
        layout=layout.id,
        year=year,
    )
    sha = sha or fake_sha(code, sorted(values.items()), saved_at, kind, contributors, year, errors)
    data = ReturnData(
        path=path,
        sha256=sha,
        layout=layout,
        identity=identity,
        values=dict(values),
        totals=layout.compute_totals(values),
        saved_at=saved_at,
        file_mtime=mtime,
    )
    return CheckedFile(report, data)


def unreadable(path: str, message: str = "不是 xlsx 文件") -> CheckedFile:
    report = FileReport(
        path=path, findings=[Finding("not-xlsx", "error", message)], unreadable=True
    )
    return CheckedFile(report, None)


def random_values(layout: Layout, rng: random.Random, *, blanks: float = 0.1) -> dict[str, Decimal]:
    """Random valid inputs for every input cell of ``layout`` (some left blank)."""
    out: dict[str, Decimal] = {}
    for cell in layout.inputs():
        if rng.random() < blanks:
            continue
        t = cell.type
        if t.kind == "decimal":
            out[cell.id] = Decimal(rng.randint(0, 10**9)) / Decimal(10**t.decimals)
        elif t.min is not None and t.min >= 0:
            out[cell.id] = Decimal(
                rng.choice([0, 1, 2, rng.randint(0, 500), rng.randint(0, 10**6)])
            )
        else:
            out[cell.id] = Decimal(rng.randint(-50, 50))
    return out


def valid_values(layout: Layout, rng: random.Random, *, blanks: float = 0.0) -> dict[str, Decimal]:
    """Random inputs that satisfy the hard rules: in section 三, per column,
    一 + 二 = （七）总计 + 四 (H2); the other rules hold through the totals."""
    out = random_values(layout, rng, blanks=blanks)
    leaves = [t for t in layout.totals if t.cell.startswith("s3.outcome_total.")]
    for total in leaves:
        col = total.cell.rsplit(".", 1)[1]
        if not all(t.cell.endswith(f".{col}") for t in total.expr.terms):
            continue  # the row's own 总计, not a column total
        outcomes = sum((out.get(t.cell, Decimal(0)) for t in total.expr.terms), Decimal(0))
        carryover = Decimal(rng.randint(0, 20))
        carried = Decimal(rng.randint(0, int(outcomes + carryover)))
        out[f"s3.carryover.{col}"] = carryover
        out[f"s3.carried.{col}"] = carried
        out[f"s3.new.{col}"] = outcomes + carryover - carried
    return out


def set_mtime(path: Path, stamp: float) -> None:
    os.utime(path, (stamp, stamp))


# --- reading the xml of a written workbook ------------------------------------------------


def sheet_paths(data: bytes) -> dict[str, str]:
    """Sheet name → its part name in the package."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        wb = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for s in wb.iterfind(".//m:sheets/m:sheet", NS):
        target = str(targets[s.get(rel_ns)])
        out[str(s.get("name"))] = "xl/" + target.lstrip("/").removeprefix("xl/")
    return out


def shared_strings(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "xl/sharedStrings.xml" not in zf.namelist():
            return []
        root = ET.fromstring(zf.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root]


def xml_cells(data: bytes, sheet: str) -> dict[str, tuple[str, str | None, str | None]]:
    """A1 → (type, formula, value as text; shared and inline strings resolved) for one sheet."""
    part = sheet_paths(data)[sheet]
    strings = shared_strings(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read(part))
    out = {}
    for c in root.iterfind(".//m:sheetData/m:row/m:c", NS):
        t = c.get("t", "n")
        f = c.find("m:f", NS)
        v = c.find("m:v", NS)
        text = v.text if v is not None else None
        if t == "s" and text is not None:
            text = strings[int(text)]
        elif t == "inlineStr":
            text = "".join(x.text or "" for x in c.iter(f"{{{NS['m']}}}t"))
        out[str(c.get("r"))] = (t, f.text if f is not None else None, text)
    return out
