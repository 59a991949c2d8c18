"""`check --annotate`: for each return with findings, a copy to send back to the agency.

The copy is a fresh workbook of the same layout and identity, holding the agency's own
values (an invalid entry kept as the text it was), its sign-off, every cell a finding
points at highlighted with a comment carrying the message, and a first sheet listing
every finding. The input files are never touched; copies are written atomically.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from xlreport.checks.located import ANNOTATION_SHEET
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.notice import (
    PREFIX,
    Item,
    Repaired,
    items,
    repaired,
    repaired_findings,
    repaired_text,
    return_stem,
)
from xlreport.checks.workbook_check import check_workbook
from xlreport.findings import SEVERITY_ZH, Finding
from xlreport.fsutil import atomic_write_bytes
from xlreport.outputs import same_file_key
from xlreport.reader import read_xlsx
from xlreport.writer import CellNote, build_workbook
from xlreport.writer.findings_sheet import FindingRow, RepairedRow, findings_sheet


def annotate_password(checked: CheckedFile) -> str:
    """A protection password that depends only on the return (same input, same bytes)."""
    seed = checked.data.sha256 if checked.data is not None else checked.report.path
    return hashlib.sha256(f"xlreport-annotate|{seed}".encode()).hexdigest()[:12]


def note_text(f: Finding) -> str:
    hint = f"\n处理：{f.hint}" if f.hint else ""
    return f"{SEVERITY_ZH[f.severity]}（{f.code}）：{f.message}{hint}"


def annotated_bytes(
    checked: CheckedFile, *, password: str | None = None, round_no: int = 1
) -> bytes:
    """The annotated copy of one checked return (``round_no``: the how-manieth return)."""
    data = checked.data
    if data is None:
        raise ValueError("无法读取的文件不能生成退回修改稿")
    values: dict[str, Decimal | str] = dict(data.values)
    for cid, text in data.raw_inputs.items():
        values.setdefault(cid, text)
    pwd = password or annotate_password(checked)
    plain = build_workbook(
        data.layout, data.identity, password=pwd, values=values, signoff=data.signoff
    )
    findings = checked.report.findings
    again = recheck(plain, data)
    fixed = repaired_findings(findings, again)
    # what is left is grouped as it is in the copy (a rule broken by two slips, one of them
    # a total the copy restored, is left to the other)
    causes = {(f.code, f.rule, f.at): f.cause for f in again}
    left = [
        replace(f, cause=causes.get((f.code, f.rule, f.at), f.cause))
        for i, f in enumerate(findings)
        if i not in fixed
    ]
    done = repaired([f for i, f in enumerate(findings) if i in fixed])
    notes = [CellNote(*f.at, note_text(f)) for f in left if f.at is not None]
    notes += [
        CellNote(*f.at, "已修复：" + repaired_text(f))
        for i, f in enumerate(findings)
        if i in fixed and f.at is not None and f.severity != "info"
    ]
    groups = items(left)
    rows = [
        FindingRow(
            g.severity,
            g.lead.sheet,
            g.cells,
            g.lead.row_label,
            g.lead.col_label,
            g.message,
            g.lead.expected,
            g.lead.found,
            g.lead.hint,
        )
        for g in groups
    ]
    fixed_rows = [RepairedRow(r.sheet, r.cells, r.text) for r in done]
    hook = findings_sheet(
        ANNOTATION_SHEET,
        f"{data.identity.year}年度报表退回修改说明（第{round_no}轮）",
        intro_text(data, groups, done),
        rows,
        pwd,
        fixed_rows,
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


def intro_text(data: ReturnData, groups: Sequence[Item], done: Sequence[Repaired]) -> str:
    """The paragraph above the list: how many things to fix (causes), what was repaired."""
    who = data.identity.agency_name or data.signoff.get("agency_name") or "贵单位"
    errors = sum(1 for g in groups if g.lead.severity == "error")
    warnings = sum(1 for g in groups if g.lead.severity == "warning")
    name = f"{who}报送的“{Path(data.path).name}”"
    said = "；".join(dict.fromkeys(r.text.split("，")[0].rstrip("。") for r in done[:3]))
    more = f"等 {len(done)} 项" if len(done) > 3 else ""
    if not errors and not warnings:
        if done:
            return (
                f"{name}经校验发现的问题已在本文件中全部修复（{said}{more}，见表后），"
                "没有需要贵单位修改的地方：请核对后直接保存，重新报送。"
            )
        return f"{name}经校验没有需要修改的问题。"
    text = (
        f"{name}经校验，需要贵单位处理的问题 {errors + warnings} 项（错误 {errors} 项、"
        f"警告 {warnings} 项；同一原因引起的几处算一项），见下表。相关单元格已标红并附批注。"
        "请在本文件中逐项改正后保存，重新报送。"
    )
    if done:
        text += f"另有 {len(done)} 项已在本文件中修复，无需处理（{said}{more}，见表后）。"
    return text


def recheck(copy: bytes, data: ReturnData) -> list[Finding]:
    """The findings of ``copy`` (a fresh copy of the return, not yet annotated)."""
    with tempfile.TemporaryDirectory(prefix="xlreport-annotate-") as tmp:
        path = Path(tmp) / "copy.xlsx"
        path.write_bytes(copy)
        raw = read_xlsx(path)
        return check_workbook(raw, CheckOptions(layout=data.layout), path=str(path)).report.findings


def annotate_files(
    checked: Sequence[CheckedFile],
    out_dir: Path,
    *,
    password: str | None = None,
    round_no: int = 1,
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
        stem = return_stem(c.data.identity, c.data.signoff, c.report.path, round_no)
        target = out_dir / f"{stem}.xlsx"
        n = 2
        while taken(target):
            target = out_dir / f"{stem}_{n}.xlsx"
            n += 1
        used.add(target.resolve())
        atomic_write_bytes(target, annotated_bytes(c, password=password, round_no=round_no))
        written.append(target)
    return written


def is_annotated_copy(path: Path) -> bool:
    """Whether ``path`` is a copy an earlier ``check --annotate`` wrote (replaced freely)."""
    from xlreport.errors import UnreadableFileError

    try:
        raw = read_xlsx(path, sheets=lambda name: False)
    except (UnreadableFileError, OSError):
        return False
    return bool(raw.sheets) and raw.sheets[0].name == ANNOTATION_SHEET


__all__ = ["PREFIX", "annotate_files", "annotated_bytes", "note_text"]
