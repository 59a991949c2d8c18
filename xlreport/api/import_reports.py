"""``xlreport import`` as one library call: published reports in, return workbooks out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlreport.checks.catalogue import finding
from xlreport.errors import UsageError
from xlreport.findings import Finding
from xlreport.fsutil import atomic_write_bytes
from xlreport.importer import (
    ImportIssue,
    ImportOutcome,
    import_path,
    workbook_bytes,
    workbook_name,
)
from xlreport.outputs import check_folder_writable, same_file_key
from xlreport.spec import builtin_layouts, resolve_layout
from xlreport.spec.model import Layout

#: Files of a folder that are not looked at (lock files, hidden files, our own outputs).
_SKIP_PREFIX = (".", "~$")


@dataclass(frozen=True)
class ImportRequest:
    paths: Sequence[str | Path]
    out: str | Path
    format_id: str | None = None  # None or "auto": detected from the headers
    spec: str | Path | None = None


@dataclass
class ImportedFile:
    path: str
    status: str  # imported | imported-with-blanks | refused
    kind: str = ""
    layout: str = ""
    variant: str = ""
    agency: str = ""
    year: int | None = None
    workbook: str = ""
    report: str = ""
    findings: list[Finding] = field(default_factory=list)
    values: int = 0
    blank: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "kind": self.kind,
            "layout": self.layout,
            "variant": self.variant,
            "agency": self.agency,
            "year": self.year,
            "workbook": self.workbook,
            "report": self.report,
            "values": self.values,
            "blank": self.blank,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class ImportResult:
    files: list[ImportedFile] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """2: a document refused; 1: an imported one has errors; 0: clean."""
        if any(f.status == "refused" for f in self.files):
            return 2
        if any(x.severity == "error" for f in self.files for x in f.findings):
            return 1
        return 0

    def to_json(self) -> str:
        counts: dict[str, int] = {}
        for f in self.files:
            counts[f.status] = counts.get(f.status, 0) + 1
        doc = {
            "files": [f.to_dict() for f in self.files],
            "summary": {"files": len(self.files), **counts, "exit_code": self.exit_code},
        }
        return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False)


def _inputs(paths: Sequence[str | Path], out_dir: Path) -> list[Path]:
    """The files named, and every file in the folders named (not those of ``out_dir``:
    an earlier import's results, nor workbooks)."""
    found: list[Path] = []
    skip = out_dir.resolve()
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(
                x
                for x in p.rglob("*")
                if x.is_file()
                and not x.name.startswith(_SKIP_PREFIX)
                and x.suffix.lower() != ".xlsx"
                and skip not in x.resolve().parents
            )
        else:
            found.append(p)
    return found


def _findings(out: ImportOutcome, path: str) -> list[Finding]:
    layout = out.layout
    res = []
    if out.refused is not None:
        res.append(
            finding(out.refused.code, out.refused.message, file=path, hint=out.refused.hint or None)
        )
        return res
    for i in out.issues:
        res.append(_finding(i, layout, path))
    return res


def _finding(i: ImportIssue, layout: Layout | None, path: str) -> Finding:
    a1 = ""
    at = None
    if layout is not None and i.cell in layout.cells:
        c = layout.cells[i.cell]
        a1 = c.a1
        at = (layout.sheet(c.sheet).name, c.r, c.c)
    return finding(
        i.code,
        i.message,
        file=path,
        sheet=i.sheet,
        cell=a1,
        row_label=i.row_label,
        col_label=i.col_label,
        found=i.found,
        expected=i.expected,
        at=at,
    )


def import_reports(req: ImportRequest) -> ImportResult:
    """Import every document named (folders: every file in them), writing for each a
    return workbook and a JSON report into ``req.out``."""
    if not req.paths:
        raise UsageError("没有指定要导入的文件或文件夹", "用法：xlreport import 文件… --out 文件夹")
    fmt = None if req.format_id in (None, "auto") else req.format_id
    if req.spec is not None:
        layouts = [resolve_layout(None, req.spec)]
        fmt = layouts[0].id
    else:
        layouts = list(builtin_layouts().values())
        if fmt is not None:
            resolve_layout(fmt)  # an unknown id is a usage error
    out_dir = Path(req.out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out 应为文件夹，但 {out_dir} 是文件", "请指定一个文件夹")
    check_folder_writable(out_dir, "导入结果（--out）")
    files = _inputs(req.paths, out_dir)
    inputs = {same_file_key(p) for p in files} - {None}
    result = ImportResult()
    taken: set[str] = set()
    for p in files:
        got = import_path(p, layouts, format_id=fmt)
        item = ImportedFile(path=str(p), status="refused", kind=got.kind)
        item.findings = _findings(got, str(p))
        if got.refused is None and got.layout is not None:
            name = workbook_name(got)
            base, n = name.removesuffix(".xlsx"), 1
            while name.lower() in taken:
                n += 1
                name = f"{base}_{n}.xlsx"
            taken.add(name.lower())
            target = out_dir / name
            report = target.with_suffix(".json")
            for t in (target, report):
                if same_file_key(t) in inputs:
                    raise UsageError(f"输出文件 {t} 是输入文件之一", "请用 --out 指定另一个文件夹")
            atomic_write_bytes(target, workbook_bytes(got))
            item.layout, item.variant = got.layout.id, got.variant
            item.agency, item.year = got.agency, got.year
            item.values, item.blank = len(got.values), len(got.blank_cells)
            item.status = "imported-with-blanks" if item.blank else "imported"
            item.workbook, item.report = str(target), str(report)
            atomic_write_bytes(
                report, (json.dumps(item.to_dict(), ensure_ascii=False, indent=2) + "\n").encode()
            )
        result.files.append(item)
    if not files:
        raise UsageError("没有找到要导入的文件", "请指定年报的网页、Word、PDF 或文本文件")
    return result
