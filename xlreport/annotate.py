"""`check --annotate`: for each return with findings, a copy to send back to the agency.

The copy is a fresh workbook of the same layout and identity, holding the agency's own
values (an invalid entry kept as the text it was), its sign-off, every cell a finding
points at highlighted with a comment carrying the message, and a first sheet listing
every finding. The input files are never touched; copies are written atomically.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from xlreport.checks.located import ANNOTATION_SHEET
from xlreport.checks.model import CheckedFile
from xlreport.findings import SEVERITY_ZH, Finding
from xlreport.fsutil import atomic_write_bytes, safe_filename
from xlreport.outputs import same_file_key
from xlreport.writer import CellNote, build_workbook
from xlreport.writer.findings_sheet import FindingRow, findings_sheet

PREFIX = "退回修改_"


def annotate_password(checked: CheckedFile) -> str:
    """A protection password that depends only on the return (same input, same bytes)."""
    seed = checked.data.sha256 if checked.data is not None else checked.report.path
    return hashlib.sha256(f"xlreport-annotate|{seed}".encode()).hexdigest()[:12]


def note_text(f: Finding) -> str:
    hint = f"\n处理：{f.hint}" if f.hint else ""
    return f"{SEVERITY_ZH[f.severity]}（{f.code}）：{f.message}{hint}"


def annotated_bytes(checked: CheckedFile, *, password: str | None = None) -> bytes:
    """The annotated copy of one checked return."""
    data = checked.data
    if data is None:
        raise ValueError("无法读取的文件不能生成退回修改稿")
    values: dict[str, Decimal | str] = dict(data.values)
    for cid, text in data.raw_inputs.items():
        values.setdefault(cid, text)
    findings = checked.report.findings
    notes = [CellNote(*f.at, note_text(f)) for f in findings if f.at is not None]
    rows = [
        FindingRow(
            SEVERITY_ZH[f.severity],
            f.sheet,
            f.cell,
            f.row_label,
            f.col_label,
            f.message,
            f.expected,
            f.found,
            f.hint,
        )
        for f in findings
    ]
    who = data.identity.agency_name or data.identity.agency_code or "贵单位"
    counts = f"错误 {checked.report.errors} 处、警告 {checked.report.warnings} 处"
    intro = (
        f"{who}报送的“{Path(data.path).name}”经校验发现以下问题（{counts}）。"
        "相关单元格已标红并附批注。请在本文件中逐项改正后保存，重新报送。"
    )
    pwd = password or annotate_password(checked)
    hook = findings_sheet(
        ANNOTATION_SHEET, f"{data.identity.year}年度报表退回修改说明", intro, rows, pwd
    )
    return build_workbook(
        data.layout,
        data.identity,
        password=pwd,
        values=values,
        signoff=data.signoff,
        notes=notes,
        before_sheets=hook,
    )


def annotate_files(
    checked: Sequence[CheckedFile], out_dir: Path, *, password: str | None = None
) -> list[Path]:
    """Write a copy for every return with warnings or errors; the copies, in input order."""
    inputs = {Path(c.report.path).resolve() for c in checked}
    input_keys = {same_file_key(c.report.path) for c in checked} - {None}
    used: set[Path] = set()
    written: list[Path] = []

    def taken(target: Path) -> bool:
        """Not to be written: used in this run, an input, or a file not an earlier copy."""
        if target.resolve() in used or target.resolve() in inputs:
            return True
        if not os.path.lexists(target):
            return False
        return same_file_key(target) in input_keys or not is_annotated_copy(target)

    for c in checked:
        if c.data is None or not any(f.severity != "info" for f in c.report.findings):
            continue
        stem = safe_filename(PREFIX + Path(c.report.path).stem, max_len=150)
        target = out_dir / f"{stem}.xlsx"
        n = 2
        while taken(target):
            target = out_dir / f"{stem}_{n}.xlsx"
            n += 1
        used.add(target.resolve())
        atomic_write_bytes(target, annotated_bytes(c, password=password))
        written.append(target)
    return written


def is_annotated_copy(path: Path) -> bool:
    """Whether ``path`` is a copy an earlier ``check --annotate`` wrote (replaced freely)."""
    from xlreport.errors import UnreadableFileError
    from xlreport.reader import read_xlsx

    try:
        raw = read_xlsx(path, sheets=lambda name: False)
    except (UnreadableFileError, OSError):
        return False
    return bool(raw.sheets) and raw.sheets[0].name == ANNOTATION_SHEET


__all__ = ["annotate_files", "annotated_bytes", "note_text"]
