"""``build_workbook``: the locked xlreport workbook for one agency (or a generic one).

Everything on the sheets comes from the :class:`~xlreport.spec.model.Layout`; what
differs between agencies comes from the :class:`~xlreport.identity.Identity` through
:func:`agency_texts` only, which :mod:`xlreport.writer.personalise` relies on.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import IO, Any

from xlreport.identity import GUIDE_SHEET, SIGNOFF_ROW, SIGNOFF_VALUE_COL, Identity
from xlreport.spec.model import Layout, col_letter
from xlreport.writer.cells import CellNote
from xlreport.writer.formulas import excel_string, quote_sheet
from xlreport.writer.guide import GENERATOR, signoff_values, write_guide, write_meta
from xlreport.writer.styles import Styles
from xlreport.writer.table_sheet import SheetTexts, write_table_sheet
from xlreport.writer.xlsxwriter_private import LockedWorkbook
from xlreport.writer.zippack import pack, repack_to, unzip

#: Longest agency name shown in the page header (Excel allows 255 characters in all).
HEADER_NAME_MAX = 40
FOOTER = "&C第 &P 页 共 &N 页"
#: The undeflated package of a workbook with extra sheets is kept in memory up to this size.
_SPOOL_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Cover:
    """A summary printed as a document (``xlreport merge``): no 填报说明 sheet (a summary is
    not filled in), its figures not shaded or validated as inputs, ``lines`` as the cover
    block on top of every table sheet (in the info row) and ``header`` as the page header
    (Excel header syntax)."""

    lines: Sequence[str]
    header: str


@dataclass(frozen=True)
class TableSet:
    """The statutory tables once more in a summary, after its own (one set per 单位类型,
    ``merge --by-type``): ``layout`` is the summary's layout with its sheets renamed
    (:func:`xlreport.spec.compiled.with_sheet_names`), ``values`` its input cells (the
    totals are the layout's formulas, their cached values computed from these), ``cover``
    its cover block and page header. Written exactly as the summary's own tables."""

    layout: Layout
    values: Mapping[str, Decimal]
    cover: Cover


def legacy_password_hash(password: str) -> str:
    """The 16-bit legacy password hash of sheet/workbook protection (ECMA-376 Part 4)."""
    digest = 0
    for ch in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(ch)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


def header_text(identity: Identity) -> str:
    """The page header: agency (``&`` doubled for Excel's header codes) and year."""
    name = identity.agency_name[:HEADER_NAME_MAX].replace("&", "&&")
    return f"&L填报单位：{name}&R报告年度：{identity.year}年度"


def info_line(name: str, year: int) -> str:
    return f"填报单位：{name}　报告年度：{year}年度"


def _sheet_texts(identity: Identity, signoff: Mapping[str, str]) -> SheetTexts:
    year = identity.year
    if identity.generic:
        # the agency types its name on the guide sheet; the info line follows it
        row = SIGNOFF_ROW["agency_name"] + 1
        absolute = f"{quote_sheet(GUIDE_SHEET)}!${col_letter(SIGNOFF_VALUE_COL)}${row}"
        prefix, suffix = info_line("\0", year).split("\0")
        formula = f"={excel_string(prefix)}&{absolute}&{excel_string(suffix)}"
        typed = signoff_values(identity, signoff)["agency_name"]
        return SheetTexts(info_line(typed, year), formula, header_text(identity), FOOTER)
    return SheetTexts(info_line(identity.agency_name, year), "", header_text(identity), FOOTER)


def _numbers(layout: Layout, values: Mapping[str, Decimal | str]) -> dict[str, Decimal]:
    """The input cells of ``values`` that hold numbers (a text is no number to add up)."""
    return {
        k: v
        for k, v in values.items()
        if isinstance(v, Decimal) and layout.cells[k].kind == "input"
    }


def _cover_texts(cover: Cover) -> SheetTexts:
    """What a summary's table sheets show on top and in the page header."""
    return SheetTexts("\n".join(cover.lines), "", cover.header, FOOTER, document=True)


def _notes_by_sheet(
    notes: Sequence[CellNote], known: set[str]
) -> dict[str, dict[tuple[int, int], str]]:
    out: dict[str, dict[tuple[int, int], str]] = {name: {} for name in known}
    for n in notes:
        if n.sheet_name not in out:
            raise ValueError(f"批注指向不存在的工作表“{n.sheet_name}”")
        cell = out[n.sheet_name]
        key = (n.row, n.col)
        cell[key] = f"{cell[key]}\n{n.text}" if key in cell else n.text
    return out


def build_workbook(
    layout: Layout,
    identity: Identity,
    *,
    password: str,
    values: Mapping[str, Decimal | str] | None = None,
    signoff: Mapping[str, str] | None = None,
    notes: Sequence[CellNote] = (),
    before_sheets: Callable[[Any], None] | None = None,
    after_sheets: Callable[[Any], None] | None = None,
) -> bytes:
    """The xlsx bytes of one locked workbook; same arguments give the same bytes.

    ``values``: input cell id → number (Decimal) or text (kept as text, e.g. an invalid
    "12件" for annotate). ``signoff``: sign-off field key → text. ``notes``: cells to
    highlight with a comment. ``before_sheets``/``after_sheets`` receive the xlsxwriter
    workbook to add sheets before the guide sheet or after the tables.
    """
    out = io.BytesIO()
    write_workbook(
        out,
        layout,
        identity,
        password=password,
        values=values,
        signoff=signoff,
        notes=notes,
        before_sheets=before_sheets,
        after_sheets=after_sheets,
    )
    return out.getvalue()


def write_workbook(
    out: IO[bytes],
    layout: Layout,
    identity: Identity,
    *,
    password: str,
    values: Mapping[str, Decimal | str] | None = None,
    signoff: Mapping[str, str] | None = None,
    notes: Sequence[CellNote] = (),
    before_sheets: Callable[[Any], None] | None = None,
    after_sheets: Callable[[Any], None] | None = None,
    cover: Cover | None = None,
    tables: Sequence[TableSet] = (),
) -> None:
    """:func:`build_workbook`'s bytes written to ``out`` (seekable, at its start): a
    province summary's tens of MB of sheets are never held in memory whole. ``cover``: a
    summary's (see :class:`Cover`); ``tables``: more sets of the statutory tables, after
    the workbook's own (see :class:`TableSet`)."""
    if after_sheets is None and before_sheets is None and cover is None and not tables:
        out.write(
            pack(
                build_members(
                    layout, identity, password=password, values=values, signoff=signoff, notes=notes
                )
            )
        )
        return
    # xlsxwriter's package goes to a temporary file, undeflated, and is deflated once, part
    # by part, into ``out``
    # xlsxwriter's own temporary files (a big summary's sheets) go to a folder of ours that
    # is removed however the writing ends (Ctrl-C included): none is left in the system's
    with (
        tempfile.TemporaryDirectory(prefix="xlreport-") as tmpdir,
        tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, dir=tmpdir) as fh,
    ):
        _write_xlsx(
            fh,
            layout,
            identity,
            password=password,
            values=values,
            signoff=signoff,
            notes=notes,
            before_sheets=before_sheets,
            after_sheets=after_sheets,
            stored=True,
            tmpdir=tmpdir,
            cover=cover,
            tables=tables,
        )
        fh.seek(0)
        repack_to(fh, out)


def build_members(
    layout: Layout,
    identity: Identity,
    *,
    password: str,
    values: Mapping[str, Decimal | str] | None = None,
    signoff: Mapping[str, str] | None = None,
    notes: Sequence[CellNote] = (),
    before_sheets: Callable[[Any], None] | None = None,
    after_sheets: Callable[[Any], None] | None = None,
) -> list[tuple[str, bytes]]:
    """The package parts (name, XML bytes) that :func:`build_workbook` zips (xlsxwriter's
    own xlsx, not yet deterministic: see :func:`pack`)."""
    buf = io.BytesIO()
    _write_xlsx(
        buf,
        layout,
        identity,
        password=password,
        values=values,
        signoff=signoff,
        notes=notes,
        before_sheets=before_sheets,
        after_sheets=after_sheets,
    )
    return unzip(buf.getvalue())


def _write_xlsx(
    out: IO[bytes],
    layout: Layout,
    identity: Identity,
    *,
    password: str,
    values: Mapping[str, Decimal | str] | None = None,
    signoff: Mapping[str, str] | None = None,
    notes: Sequence[CellNote] = (),
    before_sheets: Callable[[Any], None] | None = None,
    after_sheets: Callable[[Any], None] | None = None,
    stored: bool = False,
    tmpdir: str | None = None,
    cover: Cover | None = None,
    tables: Sequence[TableSet] = (),
) -> None:
    """xlsxwriter's xlsx of the workbook into ``out`` (parts not deflated with ``stored``;
    xlsxwriter's temporary files in ``tmpdir``, when given)."""
    values = values or {}
    signoff = signoff or {}
    unknown = [k for k in values if k not in layout.cells]
    if unknown:
        raise ValueError(f"布局 {layout.id} 中没有这些单元格：{'、'.join(unknown[:5])}")
    computed = layout.compute_totals(_numbers(layout, values))
    by_sheet = _notes_by_sheet(notes, {GUIDE_SHEET, *(s.name for s in layout.sheets)})

    options: dict[str, object] = {
        "in_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    if tmpdir is not None:
        options["tmpdir"] = tmpdir
    wb = LockedWorkbook(out, options, legacy_password_hash(password), stored=stored)
    when = datetime(identity.year + 1, 1, 1, tzinfo=UTC)
    wb.set_properties(
        {
            "title": f"{identity.year}年度{layout.title}统计表",
            "subject": layout.name,
            "author": GENERATOR,
            "created": when,
        }
    )
    styles = Styles(wb)
    if before_sheets is not None:
        before_sheets(wb)
    texts = _sheet_texts(identity, signoff)
    if cover is None:
        write_guide(
            wb,
            styles,
            layout,
            identity,
            signoff,
            by_sheet[GUIDE_SHEET],
            texts.header,
            FOOTER,
            password,
        )
    else:
        texts = _cover_texts(cover)
    for sheet in layout.sheets:
        write_table_sheet(
            wb, styles, layout, sheet, texts, values, computed, by_sheet[sheet.name], password
        )
    for more in tables:
        # the same tables, written by the same code: only names, values and cover differ
        totals = more.layout.compute_totals(_numbers(more.layout, more.values))
        for sheet in more.layout.sheets:
            write_table_sheet(
                wb,
                styles,
                more.layout,
                sheet,
                _cover_texts(more.cover),
                more.values,
                totals,
                {},
                password,
            )
    if after_sheets is not None:
        after_sheets(wb)
    write_meta(wb, identity, password)
    wb.close()
