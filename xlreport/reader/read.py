"""read_xlsx: one untrusted file in, its raw content (or one Chinese reason) out."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from xlreport.reader import reasons
from xlreport.reader.accel.sheet import FAST_MAX_BYTES, read_plain_sheet
from xlreport.reader.accel.strings import read_plain_strings
from xlreport.reader.archive import Archive, part_key
from xlreport.reader.limits import DEFAULT_LIMITS, ReadLimits
from xlreport.reader.model import RawSheet, RawWorkbook
from xlreport.reader.sheet import parse_sheet
from xlreport.reader.sniff import ZIP_MAGIC, refuse_non_zip, refuse_zip_kind
from xlreport.reader.strings import parse_shared_strings
from xlreport.reader.styles import date_styles
from xlreport.reader.workbook import (
    BINARY_TYPES,
    DEFAULT_WORKBOOK,
    MACRO_TYPES,
    WORKBOOK_TYPES,
    parse_app,
    parse_content_types,
    parse_core,
    parse_rels,
    parse_workbook,
    rels_part_of,
)
from xlreport.reader.xmlsafe import Budget

_CONTENT_TYPES = "[Content_Types].xml"
_SHEET_TYPES = frozenset(("worksheet", "chartsheet", "dialogsheet"))


def read_xlsx(
    path: str | Path,
    *,
    sheets: Callable[[str], bool] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    fast: bool = True,
) -> RawWorkbook:
    """Read an xlsx safely: every sheet listed (name, state) in workbook order; the parts of
    the sheets that ``sheets`` selects (all when None) parsed for cells, merges, protection
    and validations. A sheet not selected has ``read=False`` and nothing else parsed (its
    ``protected`` stays False). Raises UnreadableFileError (a Chinese message and hint) for
    anything that is not a readable xlsx, or that exceeds ``limits``. ``fast`` lets plain
    worksheet parts and shared-strings tables be read by ``reader/accel/`` (about twice as
    fast); the result is the same either way, False reads every part with the parser
    (``tests/test_reader_accel.py`` compares the two)."""
    data = _load(Path(path), limits)
    sha256 = hashlib.sha256(data).hexdigest()
    if not data.startswith(ZIP_MAGIC):
        raise refuse_non_zip(data, Path(path).suffix)
    archive = Archive(data, limits)
    budget = Budget(limits)
    wb_part = _find_workbook(archive, budget)
    workbook = parse_workbook(archive.chunks(wb_part), wb_part, budget)
    if not workbook.sheets:
        raise reasons.no_sheets()
    rels_part = rels_part_of(wb_part)
    rels = (
        parse_rels(archive.chunks(rels_part), rels_part, wb_part, budget)
        if archive.has(rels_part)
        else {}
    )
    sst: list[str] = []
    sst_part = next(
        (r.target for r in rels.values() if r.type == "sharedStrings"), "xl/sharedStrings.xml"
    )
    if archive.has(sst_part):
        sst = _read_strings(archive, sst_part, budget, fast)
    styles_part = next((r.target for r in rels.values() if r.type == "styles"), "xl/styles.xml")
    dates = frozenset[int]()
    if archive.has(styles_part):
        dates = date_styles(archive.chunks(styles_part), styles_part, budget)
    raw_sheets: list[RawSheet] = []
    for entry in workbook.sheets:
        sheet = RawSheet(name=entry.name, state=entry.state)
        raw_sheets.append(sheet)
        if sheets is not None and not sheets(entry.name):
            sheet.read = False
            continue
        rel = rels.get(entry.rel_id)
        if rel is None or rel.type not in _SHEET_TYPES or not archive.has(rel.target):
            target = rel.target if rel is not None else entry.rel_id
            raise reasons.missing_part(f"工作表“{reasons.shown(entry.name)}”的内容", target)
        _read_sheet(archive, rel.target, sheet, sst, budget, fast, dates)
    created = modified = application = ""
    if archive.has("docProps/core.xml"):
        created, modified = parse_core(archive.chunks("docProps/core.xml"), budget)
    if archive.has("docProps/app.xml"):
        application = parse_app(archive.chunks("docProps/app.xml"), budget)
    return RawWorkbook(
        path=str(path),
        size=len(data),
        sha256=sha256,
        sheets=raw_sheets,
        defined_names=workbook.defined_names,
        structure_protected=workbook.structure_protected,
        application=application,
        created=created,
        modified=modified,
        full_calc_on_load=workbook.full_calc_on_load,
    )


def _read_strings(archive: Archive, part: str, budget: Budget, fast: bool) -> list[str]:
    """The shared strings: whole and by ``accel/`` when small enough and plain, else
    streamed by the parser."""
    if not fast or archive.declared_size(part) > FAST_MAX_BYTES:
        return parse_shared_strings(archive.chunks(part), part, budget)
    data = b"".join(archive.chunks(part))
    strings = read_plain_strings(data, part, budget)
    if strings is None:
        return parse_shared_strings([data], part, budget)
    return strings


def _read_sheet(
    archive: Archive,
    part: str,
    sheet: RawSheet,
    sst: list[str],
    budget: Budget,
    fast: bool,
    dates: frozenset[int],
) -> None:
    """One worksheet part: whole and by ``accel/`` when it is small enough and plain,
    streamed by the parser (``parse_sheet``) otherwise. ``dates``: the date styles (``styles.py``)."""
    if not fast or archive.declared_size(part) > FAST_MAX_BYTES:
        parse_sheet(archive.chunks(part), part, sheet, sst, budget, dates=dates)
        return
    data = b"".join(archive.chunks(part))
    if not read_plain_sheet(data, part, sheet, sst, budget, dates):
        parse_sheet([data], part, sheet, sst, budget, dates=dates)


def _load(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, after checking that it is a regular file of acceptable size."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise reasons.missing(str(path)) from None
    except OSError as e:
        raise reasons.os_error(str(path), e.strerror or type(e).__name__) from None
    if stat.S_ISDIR(st.st_mode):
        raise reasons.directory(str(path))
    if not stat.S_ISREG(st.st_mode):
        raise reasons.not_a_file(str(path))
    if st.st_size == 0:
        raise reasons.empty()
    if st.st_size > limits.max_file_bytes:
        raise reasons.too_large(st.st_size, limits.max_file_bytes)
    try:
        with open(path, "rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as e:
        raise reasons.os_error(str(path), e.strerror or type(e).__name__) from None
    if not data:
        raise reasons.empty()
    if len(data) > limits.max_file_bytes:
        raise reasons.too_large(len(data), limits.max_file_bytes)
    return data


def _find_workbook(archive: Archive, budget: Budget) -> str:
    """The workbook part, after refusing zips that are some other kind of document."""
    mimetype = archive.read_small("mimetype", 200) if archive.has("mimetype") else None
    refusal = refuse_zip_kind(archive.names(), mimetype)
    if refusal is not None:
        raise refusal
    types: dict[str, str] = {}
    if archive.has(_CONTENT_TYPES):
        types = parse_content_types(archive.chunks(_CONTENT_TYPES), budget)
    for ctype in types.values():
        if ctype in MACRO_TYPES:
            raise reasons.xlsm()
        if ctype in BINARY_TYPES:
            raise reasons.xlsb()
    main = next((p for p, t in types.items() if t in WORKBOOK_TYPES and archive.has(p)), None)
    if main is not None:
        return part_key(main)
    if archive.has(DEFAULT_WORKBOOK):
        return DEFAULT_WORKBOOK
    raise reasons.zip_without_workbook()
