"""Cases of issue 10 ("the summary must never be silently wrong") a crafted file can show.

Each is a return of its own agency (``NK…``), built by the real writer with realistic
figures and then edited at the zip/XML level the way the issue describes — so that
whatever the tool makes of it shows in its own status and in the sums, never hidden
behind the good return. Values are edited in a *free* input (no total, no hard rule uses
it): a file refused is refused for what the case shows, not for a total that no longer
adds up. The relations to the good return (a neighbouring county's template with its
code, a template id that does not match) use the good return's agency code.

``R`` ("refused"): check exits 1 or 2 and merge leaves the file out (error or unreadable)
— which of the two is the fix's choice (a reader refusal or a finding).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from hostile import corpus_returns as cr
from hostile.cases import Ctx, Expect, Spec
from hostile.saved_as import excel_like
from hostile.stamp import PASSWORD, identity
from hostile.tamper import Parts, cell_inner, edit, get, part_of, set_cell
from hostile.values import Agency, free_input
from hostile.zipkit import deflated, raw_zip, read_members, write_members
from xlreport.identity import GUIDE_SHEET, SIGNOFF_ROW, SIGNOFF_VALUE_COL, template_id_of
from xlreport.spec.model import Cell
from xlreport.writer import build_workbook

U: Expect = "unreadable"
F: Expect = "findings"
Edit = Callable[[Parts, Ctx], Parts]
LATER = "2025-01-28T10:00:00Z"  # after every good return: a case never loses by its date


def _agency(i: int) -> Agency:
    return Agency(f"NK{i:02d}", f"清河县第十号议题测试单位{i}", "部门")


def _ref(cell: Cell) -> str:
    return cell.a1.replace("$", "")


def _own(i: int, edit_fn: Edit, free: Decimal | None = Decimal(12)) -> Callable[[Ctx], bytes]:
    """A return of agency NK<i> (``free``: the free input's value), edited by ``edit_fn``."""

    def make(c: Ctx) -> bytes:
        agency = _agency(i)
        values: dict[str, Decimal | str] = dict(cr.values_for(c.layout, agency.code))
        if free is not None:
            values[free_input(c.layout).id] = free
        data = cr.writer_return(c.layout, agency, values, cr.sign_for(agency.code))
        return write_members(edit_fn(read_members(data), c))

    return make


def _free_v(parts: Parts, c: Ctx, v: bytes, attrs: bytes = b"") -> Parts:
    """The free input's cell holding ``<v>v</v>`` exactly as written (style kept)."""
    cell = free_input(c.layout)
    return set_cell(parts, c.layout.sheet(cell.sheet).name, _ref(cell), attrs, b"<v>" + v + b"</v>")


def _v(text: str) -> Edit:
    return lambda p, c: _free_v(p, c, text.encode())


def _inline_untyped(parts: Parts, c: Ctx) -> Parts:
    cell = free_input(c.layout)
    return set_cell(parts, c.layout.sheet(cell.sheet).name, _ref(cell), b"",
                    b"<is><t>12</t></is>")  # fmt: skip


def _formula(cached: bytes | None) -> Edit:
    def fn(parts: Parts, c: Ctx) -> Parts:
        cell = free_input(c.layout)
        inner = b"<f>3+4</f>" + (b"<v>" + cached + b"</v>" if cached is not None else b"")
        return set_cell(parts, c.layout.sheet(cell.sheet).name, _ref(cell), b"", inner)

    return fn


def _total_cache(value: bytes) -> Edit:
    def fn(parts: Parts, c: Ctx) -> Parts:
        sheet = c.anatomy.main.name
        inner = cell_inner(parts, sheet, _ref(c.anatomy.total))
        forged = re.sub(rb"<v>[^<]*</v>", b"<v>" + value + b"</v>", inner)
        return set_cell(parts, sheet, _ref(c.anatomy.total), b"", forged)

    return fn


def _date_style(parts: Parts, c: Ctx) -> Parts:
    """The free input holds 46024 ("1-2" typed in a Chinese locale) with a date format."""
    styles = get(parts, "xl/styles.xml")
    xfs = re.search(rb"<cellXfs count=\"(\d+)\">(.*?)</cellXfs>", styles, re.S)
    assert xfs is not None
    index = int(xfs.group(1))
    date_xf = b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
    new = styles.replace(xfs.group(0), b'<cellXfs count="%d">' % (index + 1) + xfs.group(2)
                         + date_xf + b"</cellXfs>")  # fmt: skip
    parts = _free_v(edit(parts, "xl/styles.xml", lambda _d: new), c, b"46024")
    cell = free_input(c.layout)
    tag = re.compile(rb'(<c r="' + _ref(cell).encode() + rb'"[^>]*? s=")\d+(")')
    name = part_of(parts, c.layout.sheet(cell.sheet).name)
    return edit(parts, name, lambda d: tag.sub(rb"\g<1>%d\g<2>" % index, d, count=1))


def _merge_changed(parts: Parts, c: Ctx) -> Parts:
    """A merged range of the main sheet split (sheet protection kept as it was, as after
    unprotect, edit, protect again) and a number typed into a cell it used to cover."""
    name = part_of(parts, c.anatomy.main.name)
    sheet = get(parts, name)
    m = re.search(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"/>', sheet)
    assert m is not None, "the main sheet has no merged range"
    covered = m.group(3) + m.group(4)  # the range's last cell: covered, never shown

    def fn(d: bytes) -> bytes:
        d = d.replace(m.group(0), b"", 1)
        d = re.sub(rb'<mergeCells count="(\d+)"',
                   lambda x: b'<mergeCells count="%d"' % (int(x.group(1)) - 1), d, count=1)  # fmt: skip
        return _put(d, covered.decode(), b"<v>9</v>")

    return edit(parts, name, fn)


def _beside(parts: Parts, c: Ctx) -> Parts:
    """A number typed just right of the main sheet's tables (where a check block would be),
    protection kept."""
    main = c.anatomy.main
    cells = [x for x in c.layout.cells.values() if x.sheet == main.key]
    col = max(x.c for x in cells) + 2
    row = min(x.r for x in cells if x.kind == "input")
    ref = _col_letter(col) + str(row + 1)
    return edit(parts, part_of(parts, main.name), lambda d: _put(d, ref, b"<v>5</v>"))


def _col_letter(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        out = chr(65 + r) + out
    return out


def _put(sheet: bytes, ref: str, inner: bytes) -> bytes:
    """Cell ``ref`` set to ``inner`` in a worksheet, added to its row (in column order)."""
    pat = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    new = b'<c r="' + ref.encode() + b'">' + inner + b"</c>"
    if pat.search(sheet):
        return pat.sub(lambda _m: new, sheet, count=1)
    row = int(re.sub(r"[A-Z]", "", ref))
    m = re.search(rb'<row r="%d"[^>]*?(?:/>|>(.*?)</row>)' % row, sheet, re.S)
    if m is None:
        return _add_row(sheet, row, new)
    cells = list(re.finditer(rb'<c r="([A-Z]+)\d+".*?(?:/>|</c>)', m.group(1) or b"", re.S))
    col = ref.rstrip("0123456789")
    before = [x for x in cells if (len(x.group(1)), x.group(1)) < (len(col), col.encode())]
    body = m.group(1) or b""
    at = before[-1].end() if before else 0
    body = body[:at] + new + body[at:]
    head = re.match(rb"<row [^>]*?(?=/?>)", m.group(0))
    assert head is not None
    return sheet[: m.start()] + head.group(0) + b">" + body + b"</row>" + sheet[m.end() :]


def _add_row(sheet: bytes, row: int, cell: bytes) -> bytes:
    rows = list(re.finditer(rb'<row r="(\d+)"', sheet))
    after = [x for x in rows if int(x.group(1)) > row]
    new = b'<row r="%d">' % row + cell + b"</row>"
    at = after[0].start() if after else sheet.index(b"</sheetData>")
    return sheet[:at] + new + sheet[at:]


def _guide_other(parts: Parts, c: Ctx) -> Parts:
    """The 填报说明 sheet showing another agency's name and code than the identity."""
    col = _col_letter(SIGNOFF_VALUE_COL)
    for key, text in (("agency_name", "清河县另一个单位"), ("agency_code", "NK99")):
        ref = f"{col}{SIGNOFF_ROW[key] + 1}"
        inner = b"<is><t>" + text.encode() + b"</t></is>"
        parts = set_cell(parts, GUIDE_SHEET, ref, b' t="inlineStr"', inner)
    return parts


def _blank(c: Ctx) -> bytes:
    agency = _agency(40)
    return cr.writer_return(c.layout, agency, {}, cr.sign_for(agency.code))


def _as_base(c: Ctx, **changes: str) -> bytes:
    """A return with the good return's agency code, identity fields changed, saved later."""
    agency = Agency(c.base_code, "清河县第十号议题同编码单位", "部门")
    ident = replace(identity(c.layout, 2024, agency), **changes)
    values = dict(cr.values_for(c.layout, "same-code"))
    data = build_workbook(c.layout, ident, password=PASSWORD, values=dict(values),
                          signoff=cr.sign_for("same-code"))  # fmt: skip
    return write_members(cr.set_saved(excel_like(read_members(data)), LATER))


def _neighbour(c: Ctx) -> bytes:
    """What `xlreport template --county 临河县` made for the same code: a consistent identity,
    so only the county tells it apart (merge: county-conflict; check --county: county-mismatch)."""
    tid = template_id_of(c.layout.fingerprint, 2024, "临河县", c.base_code)
    return _as_base(c, county="临河县", template_id=tid)


def _template_id(c: Ctx) -> bytes:
    return _as_base(c, template_id="0123456789abcdef")


# --- packages whose part names a spreadsheet and a zip library read differently ----------


def _own_parts(i: int, c: Ctx) -> Parts:
    """The parts of a return of agency NK<i> (12 in the free input), saved like Excel."""
    agency = _agency(i)
    values: dict[str, Decimal | str] = dict(cr.values_for(c.layout, agency.code))
    values[free_input(c.layout).id] = Decimal(12)
    return read_members(cr.writer_return(c.layout, agency, values, cr.sign_for(agency.code)))


def _free_part(parts: Parts, c: Ctx) -> tuple[str, bytes]:
    """The worksheet part holding the free input, with other figures in it (999 there)."""
    cell = free_input(c.layout)
    name = part_of(parts, c.layout.sheet(cell.sheet).name)
    return name, get(_free_v(parts, c, b"999"), name)


def _duplicate_part(i: int) -> Callable[[Ctx], bytes]:
    def make(c: Ctx) -> bytes:
        parts = _own_parts(i, c)
        name, other = _free_part(parts, c)
        return raw_zip([*(deflated(n, d) for n, d in parts), deflated(name, other)])

    return make


def _case_variant(i: int) -> Callable[[Ctx], bytes]:
    def make(c: Ctx) -> bytes:
        parts = _own_parts(i, c)
        name, other = _free_part(parts, c)
        head, tail = name.rsplit("/", 1)
        variant = deflated(f"{head}/{tail.capitalize()}", other)
        return raw_zip([*(deflated(n, d) for n, d in parts), variant])

    return make


def _central_differs(i: int) -> Callable[[Ctx], bytes]:
    """The local header names one part, the central directory another: the worksheet with
    the free input is stored (other figures) under a local name no part has, and the
    central directory calls it by its real name."""

    def make(c: Ctx) -> bytes:
        parts = _own_parts(i, c)
        name, other = _free_part(parts, c)
        alias = name.replace("sheet", "sheeT")
        members = [deflated(n, d) for n, d in parts if n != name] + [deflated(alias, other)]
        data = bytearray(raw_zip(members))
        central = data.rindex(alias.encode())
        data[central : central + len(name)] = name.encode()
        return bytes(data)

    return make


ISSUE10 = [
    Spec("v-fullwidth-digits.xlsx", U, "<v>１２</v> in an input (Excel and LibreOffice show 0; "
         "Python's Decimal reads 12)", _own(1, _v("１２")), codes=("file-number-invalid",)),
    Spec("v-arabic-indic-digits.xlsx", U, "<v>١٢</v> in an input (a spreadsheet shows 0)",
         _own(2, _v("١٢")), codes=("file-number-invalid",)),
    Spec("v-underscore-digits.xlsx", U, "<v>1_000</v> in an input (a spreadsheet shows 1)",
         _own(3, _v("1_000")), codes=("file-number-invalid",)),
    Spec("inline-string-untyped.xlsx", "warnings", "<is><t>12</t></is> without t=\"inlineStr\" in an "
         "input (a spreadsheet shows it blank)", _own(4, _inline_untyped), codes=("value-blank",), merge="blank"),
    Spec("v-1e400.xlsx", U, "1E+400 in an input", _own(5, _v("1E+400")), codes=("file-number-out-of-range",)),
    Spec("v-1e300.xlsx", F, "1E+300 in an input (beyond any bound; crashed merge with "
         "decimal.Inexact)", _own(6, _v("1E+300")), codes=("value-out-of-range",)),
    Spec("v-100000-digits.xlsx", U, "a 100,000-digit number in an input",
         _own(7, _v("9" * 100_000)), codes=("file-number-out-of-range",)),
    Spec("v-100000-decimals.xlsx", U, "a number with 100,000 decimals in an input",
         _own(8, _v("1." + "3" * 100_000)), codes=("file-number-out-of-range",)),
    Spec("total-cache-1e400.xlsx", U, "the cached value of a total is 1E+400",
         _own(9, _total_cache(b"1E+400")), codes=("file-number-out-of-range",)),
    Spec("date-format-input.xlsx", F, "46024 (\"1-2\" typed in a Chinese locale) in an input "
         "whose style is a date format", _own(10, _date_style), codes=("value-date",)),
    Spec("formula-input-no-cache.xlsx", F, "=3+4 typed in an input, no cached value (Excel "
         "shows 7)", _own(11, _formula(None)), codes=("input-formula",)),
    Spec("formula-input-forged-cache.xlsx", F, "=3+4 typed in an input with a forged cached "
         "value 100", _own(12, _formula(b"100")), codes=("input-formula",)),
    Spec("merge-range-changed.xlsx", F, "a merged range of the main sheet split, protection "
         "as before, a number typed in a cell it used to cover", _own(13, _merge_changed), codes=("merge-changed",)),
    Spec("number-beside-tables.xlsx", F, "a number typed beside the main table (the columns "
         "kept for the check block), protection as before", _own(14, _beside), codes=("content-outside-table",)),
    Spec("guide-other-agency.xlsx", F, "填报说明 shows another agency's name and code than "
         "the identity", _own(15, _guide_other), codes=("signoff-differs",)),
    Spec("all-inputs-blank.xlsx", F, "an untouched template: every input blank", _blank,
         codes=("return-empty",)),
    Spec("neighbour-county-same-code.xlsx", "ok", "a neighbouring county's (临河县) template "
         "with the good return's code, other figures, saved later: a valid return of its own "
         "county, so check alone passes it; merge never lets it replace ours (county-conflict)",
         _neighbour, merge="mismatch"),
    Spec("template-id-mismatch.xlsx", F, "the good return's agency with a template id no "
         "template of this county has, other figures, saved later", _template_id, codes=("template-id-mismatch",)),
    Spec("zip-duplicate-part.xlsx", U, "the main sheet twice under one part name, other "
         "figures in the second copy", _duplicate_part(16), codes=("zip-duplicate-part",)),
    Spec("zip-case-variant-part.xlsx", U, "the main sheet again under a case-variant part "
         "name, other figures", _case_variant(17), codes=("zip-duplicate-part",)),
    Spec("zip-central-name-differs.xlsx", U, "the central directory names the main sheet, "
         "its local header another part", _central_differs(18), codes=("zip-name-mismatch",)),
]  # fmt: skip
