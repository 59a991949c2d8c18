"""A merge result as a JSON document (``xlreport merge --json``) and the next step to take."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from xlreport.merge.confirm import date_like_cells
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
        "reason_code": f.reason_code,
        "instead": f.instead,
        "errors": report.errors,
        "warnings": report.warnings,
        "blank_cells": f.data.blank_cells if f.data else None,
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
        # counts that look like dates: unconfirmed (left out) or confirmed (merged)
        "date_like_cells": [
            {
                "sheet": c.sheet,
                "cell": c.cell,
                "row_label": c.row_label,
                "col_label": c.col_label,
                "value": c.value,
                "date": c.date,
            }
            for c in date_like_cells(report)
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
        "blank_cells": a.blanks,
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
        "partial": result.summary_written and result.partial,
        "summary_id": result.summary_id,
        "narrative": result.narrative.to_json() if result.narrative else None,
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
            "conflicts": len(result.with_status("conflict")),
            "duplicates": len(result.with_status("duplicate")),
            "skipped": len(result.with_status("skipped")),
            "blank": len(result.with_status("blank")),
            "blank_as_zero": len(blank_as_zero_files(result)),
            "unconfirmed": len(result.with_status("unconfirmed")),
            "confirmed": len(confirmed_files(result)),
            "roster": result.roster_size,
            "missing": len(result.missing),
            "not_in_roster": len(result.not_in_roster),
        },
        "missing": [{"code": c, "name": n} for c, n in result.missing],
        "not_in_roster": [{"code": c, "name": n} for c, n in result.not_in_roster],
        "year_hint": (
            {"likely": result.year_hint, "message": result.year_hint_text}
            if result.year_hint is not None
            else None
        ),
        "exit_code": result.exit_code,
    }


def next_steps(result: MergeResult) -> list[str]:
    """What the clerk does next, in order of urgency."""
    steps: list[str] = []
    if result.year_hint is not None:  # the files are not what is wrong: nothing to send back
        return [f"改用 --year {result.year_hint} 重新运行 xlreport merge。"]
    if result.with_status("conflict"):
        steps.append(
            "同一单位有内容不同的多份报表（版本冲突）：核实以哪份为准，移走其余文件，或用 "
            "--prefer 文件 指定后重新运行 xlreport merge。"
        )
    if any(f.status not in ("conflict", "unconfirmed") for f in result.left_out):
        steps.append(
            "把“未计入”的报表退回单位修改（可运行 xlreport check 文件 --annotate 文件夹 "
            "生成标注了问题单元格的退回件），收回后重新运行 xlreport merge。"
        )
    if result.with_status("blank"):
        steps.append(
            "有空白的报表未计入：请单位补填（没有的填 0）；如确认空白即为 0，"
            "可加 --blank-as-zero 重新汇总（报送情况中会注明按 0 计的空白格数）。"
        )
    if result.with_status("unconfirmed"):
        steps.append(
            "有数值恰似日期的报表未计入（待核实）：逐格向单位核实，输入的是“1-2”之类日期的，"
            "退回单位重新输入数字；确为该数的，用 --confirm 文件 重新汇总（报送情况中注明已核实）。"
        )
    if result.missing:
        steps.append(
            f"催报未报送的 {len(result.missing)} 个单位，收到后重新运行 xlreport merge"
            + (
                "。"
                if result.allow_missing
                else "（确需先报送部分汇总时加 --allow-missing，汇总表会注明为部分汇总）。"
            )
        )
    if result.not_in_roster:
        steps.append("核对不在名单中的单位：如确应汇总，请把它们加入名单后重新汇总。")
    if result.summary_written:
        steps.append(
            "打开汇总表核对“概览”和“报送情况”；汇总表可报送上级，上级可用 xlreport merge "
            "把各地汇总表再次汇总。"
        )
    return steps


def blank_as_zero_files(result: MergeResult) -> list[FileOutcome]:
    """Counted returns with blank input cells (merge --blank-as-zero took them as 0)."""
    return [f for f in result.merged if f.data is not None and f.data.blank_cells]


def confirmed_files(result: MergeResult) -> list[FileOutcome]:
    """Counted returns with counts that look like dates, confirmed (merge --confirm)."""
    return [f for f in result.merged if date_like_cells(f.checked.report)]
