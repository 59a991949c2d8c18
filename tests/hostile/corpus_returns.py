"""Workbooks built by the real writer, or a good return edited, for the hostile corpus.

Every cell, sheet and label comes from the Layout; nothing here knows an address.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from hostile.saved_as import excel_like
from hostile.stamp import PASSWORD, identity
from hostile.tamper import (
    Parts,
    add_shared_string,
    add_sheet,
    cell_inner,
    delete_sheet,
    edit,
    insert_row,
    part_of,
    rename_sheet,
    set_cell,
    unprotect_sheet,
    unprotect_workbook,
)
from hostile.values import Agency, free_input, realistic_values, signoff
from hostile.zipkit import read_members, write_members
from xlreport.identity import META_SHEET, NAME_OF_KEY, template_id_of
from xlreport.spec.model import Cell, Label, Layout, Sheet
from xlreport.writer import build_workbook

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class Anatomy:
    """Where the corpus edits a return, all taken from the Layout."""

    main: Sheet  # the sheet with the most input cells
    other: Sheet  # another table sheet (deleted / renamed)
    total: Cell  # a total cell on the main sheet
    label: Label  # a row label on the main sheet
    insert_at: int  # 1-based sheet row inside the main table where a row is inserted


def anatomy(layout: Layout) -> Anatomy:
    counts = {s.key: sum(1 for c in layout.inputs() if c.sheet == s.key) for s in layout.sheets}
    main = max(layout.sheets, key=lambda s: counts[s.key])
    other = next(s for s in reversed(layout.sheets) if s.key != main.key)
    total = next(c for c in layout.total_cells() if c.sheet == main.key)
    label = next(lb for lb in main.labels if lb.role == "row")
    table = next(t for t in main.tables if t.rows)
    return Anatomy(main, other, total, label, table.first_data_row + 3)


def set_saved(parts: Parts, when: str) -> Parts:
    return edit(
        parts,
        "docProps/core.xml",
        lambda d: _MODIFIED.sub(rb"\g<1>" + when.encode() + rb"\g<2>", d),
    )


def saved_of(parts: Parts) -> str:
    m = _MODIFIED.search(dict(parts)["docProps/core.xml"])
    return m.group(0).split(b">")[1].split(b"<")[0].decode() if m else ""


def earlier(when: str, hours: int) -> str:
    """An ISO time ``hours`` before ``when`` (same day or the day before; enough here)."""
    day, hour = int(when[8:10]), int(when[11:13])
    total = day * 24 + hour - hours
    return f"{when[:8]}{total // 24:02d}T{total % 24:02d}{when[13:]}"


def writer_return(
    layout: Layout,
    agency: Agency | None,
    values: Mapping[str, Decimal | str] | Mapping[str, Decimal],
    sign: dict[str, str],
    *,
    year: int = 2024,
    when: str = "2025-01-20T10:00:00Z",
) -> bytes:
    """A return built by the writer and saved like Excel; ``agency`` None: generic template."""
    who = agency or Agency("", "", "")
    ident = identity(layout, year, who)
    if agency is None:
        ident = replace(
            ident, template_id=template_id_of(layout.fingerprint, year, ident.county, "")
        )
    data = build_workbook(layout, ident, password=PASSWORD, values=dict(values), signoff=sign)
    return write_members(set_saved(excel_like(read_members(data)), when))


def values_for(layout: Layout, seed: str) -> dict[str, Decimal]:
    return realistic_values(layout, random.Random(seed))


def sign_for(seed: str) -> dict[str, str]:
    return signoff(random.Random(seed), 20)


def broken_rule(layout: Layout, values: dict[str, Decimal]) -> dict[str, Decimal | str]:
    """The same figures with one hard rule broken (an input on its left side raised by 5)."""
    out: dict[str, Decimal | str] = dict(values)
    for rule in layout.checks:
        if rule.severity != "error" or rule.uses_prior:
            continue
        for t in rule.lhs.terms:
            cell = layout.cells[t.cell]
            if t.sign > 0 and cell.kind == "input" and t.cell not in rule.rhs.cells():
                out[t.cell] = values[t.cell] + 5
                return out
    raise ValueError("no rule to break")


def first_count(layout: Layout, sheet: Sheet, nth: int = 0) -> Cell:
    cells = [c for c in layout.inputs() if c.sheet == sheet.key and c.type.kind == "integer"]
    return cells[nth]


# --- edits of a good return ---------------------------------------------------------------


def renamed(parts: Parts, a: Anatomy) -> Parts:
    return rename_sheet(unprotect_workbook(parts), a.other.name, a.other.name + "（修改）")


def deleted(parts: Parts, a: Anatomy) -> Parts:
    return delete_sheet(unprotect_workbook(parts), a.other.name)


def added(parts: Parts, _a: Anatomy) -> Parts:
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>情况说明：本年度无行政复议案件。</t></is></c></row>'
    return add_sheet(parts, "说明", body.encode())


def rows_inserted(parts: Parts, a: Anatomy) -> Parts:
    parts = unprotect_sheet(parts, a.main.name)
    parts, idx = add_shared_string(parts, "其中：网上申请")

    def row(r: int) -> bytes:
        return b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="D%d"><v>4</v></c></row>' % (
            r,
            r,
            idx,
            r,
        )

    return insert_row(parts, a.main.name, a.insert_at, row)


def label_edited(parts: Parts, a: Anatomy) -> Parts:
    parts = unprotect_sheet(parts, a.main.name)
    parts, idx = add_shared_string(parts, a.label.text + "（含网上申请）")
    return set_cell(parts, a.main.name, a.label.a1, b' t="s"', b"<v>%d</v>" % idx)


def formula_overwritten(parts: Parts, a: Anatomy) -> Parts:
    parts = unprotect_sheet(parts, a.main.name)
    inner = cell_inner(parts, a.main.name, a.total.a1)
    value = re.search(rb"<v>[^<]*</v>", inner)
    assert value is not None
    return set_cell(parts, a.main.name, a.total.a1, b"", value.group(0))


def cache_forged(parts: Parts, a: Anatomy) -> Parts:
    inner = cell_inner(parts, a.main.name, a.total.a1)
    m = re.search(rb"<v>([^<]*)</v>", inner)
    assert m is not None
    forged = inner.replace(m.group(0), b"<v>%d</v>" % (int(Decimal(m.group(1).decode())) + 7))
    attrs = re.search(rb' t="n"', inner)  # keep LibreOffice's explicit type, if any
    return set_cell(parts, a.main.name, a.total.a1, attrs.group(0) if attrs else b"", forged)


def identity_differs(parts: Parts, _a: Anatomy) -> Parts:
    name = NAME_OF_KEY["agency_code"].encode()

    def fn(d: bytes) -> bytes:
        return re.sub(rb'(<definedName [^>]*name="' + name + rb'"[^>]*>)[^<]*', rb'\1"QH999"', d)

    return edit(parts, "xl/workbook.xml", fn)


def meta_deleted(parts: Parts, _a: Anatomy) -> Parts:
    return delete_sheet(unprotect_workbook(parts), META_SHEET)


def far_value(parts: Parts, a: Anatomy) -> Parts:
    """The table sheet unprotected and a number typed far away (at XFD1048576)."""
    parts = unprotect_sheet(parts, a.main.name)

    def fn(d: bytes) -> bytes:
        return d.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>', 1
        )

    return edit(parts, part_of(parts, a.main.name), fn)


def draft(parts: Parts, layout: Layout, a: Anatomy) -> tuple[Parts, Cell]:
    """An earlier version: one free input (no total, no rule) one higher."""
    cell = free_input(layout)
    sheet = layout.sheet(cell.sheet)
    inner = cell_inner(parts, sheet.name, cell.a1)
    m = re.search(rb"<v>([^<]*)</v>", inner)
    assert m is not None
    new = inner.replace(m.group(0), b"<v>%d</v>" % (int(Decimal(m.group(1).decode())) + 1))
    attrs = re.search(rb' t="n"', inner)
    return set_cell(parts, sheet.name, cell.a1, attrs.group(0) if attrs else b"", new), cell
