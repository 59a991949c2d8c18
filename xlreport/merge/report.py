"""A merge result as a JSON document (``xlreport merge --json``), written piece by piece."""

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


def json_chunks(result: MergeResult) -> Iterator[str]:
    """The ``merge --json`` document (``json.dumps(doc, ensure_ascii=False, indent=2)``) in
    pieces: the entry of each file and agency is made as it is written (a province lists
    ~10,000 files twice: made at once, they cost ~10 KB a file)."""
    lazy: dict[str, tuple[int, Callable[[], Iterator[dict[str, Any]]]]] = {
        "files": (len(result.files), lambda: map(_file, result.files)),
        "agencies": (len(result.agencies), lambda: map(_agency, result.agencies)),
    }
    yield "{"
    for i, (key, value) in enumerate(_document(result).items()):
        head = ("," if i else "") + f"\n  {json.dumps(key, ensure_ascii=False)}: "
        if key not in lazy or not lazy[key][0]:
            yield head + _nested(value, 2)
            continue
        yield head + "["
        for j, item in enumerate(lazy[key][1]()):
            yield ("," if j else "") + "\n    " + _nested(item, 4)
        yield "\n  ]"
    yield "\n}"


def _nested(value: Any, indent: int) -> str:
    """``value`` as JSON at ``indent`` spaces (no newline is ever inside a JSON string)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + " " * indent)


def result_json_text(result: MergeResult) -> str:
    """The whole ``merge --json`` document (without the final newline)."""
    return "".join(json_chunks(result))


def write_result_json(result: MergeResult, out: TextIO) -> None:
    """The ``merge --json`` document and a newline, written to ``out`` in a few large writes."""
    pending: list[str] = []
    for chunk in json_chunks(result):
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


def _document(result: MergeResult) -> dict[str, Any]:
    """The document, its "files" and "agencies" lists left empty (made as they are written)."""
    files: list[Any] = []
    agencies: list[Any] = []
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
    if result.by_type is not None:  # --by-type only: without it the document is unchanged
        summary["by_type"] = dict(result.by_type)  # group → agencies, in TYPE_GROUPS order
    return {
        "summary": summary,
        "files": files,
        "agencies": agencies,
        "counts": {
            "files": len(result.files),
            "merged": result.merged_count,
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


def blank_as_zero_files(result: MergeResult) -> list[FileOutcome]:
    """Counted returns with blank input cells (merge --blank-as-zero took them as 0)."""
    return [f for f in result.merged if f.data is not None and f.data.blank_cells]


def confirmed_files(result: MergeResult) -> list[FileOutcome]:
    """Counted returns with counts that look like dates, confirmed (merge --confirm)."""
    return [f for f in result.merged if date_like_cells(f.checked.report)]
