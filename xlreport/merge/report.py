"""A merge result as a JSON document (``xlreport merge --json``) and the next step to take."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from xlreport.merge.model import STATUS_TEXT, AgencyRow, FileOutcome, MergeResult
from xlreport.merge.sums import decimal_text


def _file(f: FileOutcome) -> dict[str, Any]:
    report = f.checked.report
    return {
        "path": f.path,
        "file_name": f.file_name,
        "sha256": f.sha256,
        "agency": {"code": f.code, "name": f.agency_name},
        "kind": f.data.identity.kind if f.data else "",
        "saved_at": f.data.saved_at if f.data else "",
        "status": f.status,
        "status_text": STATUS_TEXT[f.status],
        "reason": f.reason,
        # why an unreadable file was refused, as a stable code (xlreport/reader/reasons.py)
        "code": report.findings[0].code if f.status == "unreadable" and report.findings else "",
        "instead": f.instead,
        "errors": report.errors,
        "warnings": report.warnings,
        "differences": [
            {
                "cell_id": d.cell_id,
                "sheet": d.sheet,
                "cell": d.cell,
                "row_label": d.row_label,
                "col_label": d.col_label,
                "kept": d.kept,
                "replaced": d.replaced,
            }
            for d in f.differences
        ],
    }


class _Listed(list[Any]):
    """A JSON list whose items are made one at a time as the encoder writes them (a
    province lists ~10,000 files twice: made at once, they cost ~10 KB a file)."""

    def __init__(self, count: int, items: Callable[[], Iterator[Any]]) -> None:
        super().__init__()
        self._count, self._items = count, items

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[Any]:
        return self._items()


def result_json(result: MergeResult) -> dict[str, Any]:
    """The ``merge --json`` document."""
    return _document(result, lazy=False)


def write_result_json(result: MergeResult, out: TextIO) -> None:
    """``print(json.dumps(result_json(result), ensure_ascii=False, indent=2), file=out)``,
    written piece by piece: the file and agency entries are made as they are written."""
    doc = _document(result, lazy=True)
    pending: list[str] = []
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(doc):
        pending.append(chunk)
        if len(pending) >= _WRITE_EVERY:
            out.write("".join(pending))
            pending.clear()
    pending.append("\n")
    out.write("".join(pending))


#: Pieces of JSON text joined before each write.
_WRITE_EVERY = 4096


def _agency(a: AgencyRow) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "status": a.status,
        "in_roster": a.in_roster,
        "file_name": a.file_name,
        "sha256": a.sha256,
        "saved_at": a.saved_at,
        "errors": a.errors,
        "warnings": a.warnings,
        "note": a.note,
    }


def _document(result: MergeResult, *, lazy: bool) -> dict[str, Any]:
    files: list[Any]
    agencies: list[Any]
    if lazy:
        files = _Listed(len(result.files), lambda: map(_file, result.files))
        agencies = _Listed(len(result.agencies), lambda: map(_agency, result.agencies))
    else:
        files = [_file(f) for f in result.files]
        agencies = [_agency(a) for a in result.agencies]
    ident = result.identity
    summary: dict[str, Any] = {
        "written": result.summary_written,
        "path": str(result.out) if result.summary_written else "",
        "problem": result.problem,
        "layout": result.layout.id if result.layout else "",
        "year": result.year,
        "agency": {"code": ident.agency_code, "name": ident.agency_name} if ident else None,
        "contributors": list(ident.contributors) if ident else [],
        "values": {k: decimal_text(v) for k, v in result.values.items()},
        "export": str(result.export) if result.export else "",
    }
    return {
        "summary": summary,
        "files": files,
        "agencies": agencies,
        "counts": {
            "files": len(result.files),
            "merged": len(result.merged),
            "left_out": len(result.left_out),
            "superseded": len(result.with_status("superseded")),
            "duplicates": len(result.with_status("duplicate")),
            "skipped": len(result.with_status("skipped")),
            "roster": result.roster_size,
            "missing": len(result.missing),
            "not_in_roster": len(result.not_in_roster),
        },
        "missing": [{"code": c, "name": n} for c, n in result.missing],
        "not_in_roster": [{"code": c, "name": n} for c, n in result.not_in_roster],
        "exit_code": result.exit_code,
    }


def next_steps(result: MergeResult) -> list[str]:
    """What the clerk does next, in order of urgency."""
    steps: list[str] = []
    if result.left_out:
        steps.append(
            "把“未计入”的报表退回单位修改（可运行 xlreport check 文件 --annotate 文件夹 "
            "生成标注了问题单元格的退回件），收回后重新运行 xlreport merge。"
        )
    if result.missing:
        steps.append(f"催报未报送的 {len(result.missing)} 个单位，收到后重新运行 xlreport merge。")
    if result.not_in_roster:
        steps.append("核对不在名单中的单位：如确应汇总，请把它们加入名单后重新汇总。")
    if result.summary_written:
        steps.append(
            "打开汇总表核对“概览”和“报送情况”；汇总表可报送上级，上级可用 xlreport merge "
            "把各地汇总表再次汇总。"
        )
    return steps
