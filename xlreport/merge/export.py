"""``--export``: the merged data in long form, one line per agency and cell, then the summary.

CSV is UTF-8 with a BOM and CRLF line ends, so Excel opens it with the Chinese intact; text
that Excel would take for a formula (starting with = + - @) gets a leading apostrophe.
JSON keeps values as decimal strings (exact; ``null`` for a blank cell). Same inputs give
the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from xlreport.checks.model import ReturnData
from xlreport.errors import UsageError
from xlreport.identity import Identity
from xlreport.merge.model import agency_key, agency_name
from xlreport.merge.sums import decimal_text
from xlreport.spec.model import Layout

EXPORT_FIELDS = (
    "agency_code",
    "agency_name",
    "section",
    "row_label",
    "col_label",
    "cell",
    "kind",
    "value",
)
EXPORT_HEADER = ("单位编码", "单位名称", "部分", "行", "列", "单元格", "类型", "数值")
KIND_TEXT = {"input": "填报", "total": "合计"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = tuple[str, str, str, str, str, str, str, str | None]


def export_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise UsageError(
            f"--export 只支持 .csv 或 .json 文件：{path.name}",
            "例如 --export 汇总数据.csv",
        )
    return suffix[1:]


def _rows(layout: Layout, code: str, name: str, values: Mapping[str, Decimal]) -> Iterator[Row]:
    for cell in layout.cells.values():
        v = values.get(cell.id)
        yield (
            code,
            name,
            layout.sheet(cell.sheet).title,
            cell.row_label,
            cell.col_label,
            cell.id,
            KIND_TEXT[cell.kind],
            None if v is None else decimal_text(v),
        )


def long_rows(
    layout: Layout,
    counted: Sequence[ReturnData],
    identity: Identity,
    summary: Mapping[str, Decimal],
) -> list[Row]:
    """Every cell of every counted input (sorted by code; totals recomputed), then the summary."""
    out: list[Row] = []
    for data in sorted(counted, key=agency_key):
        values = dict(layout.compute_totals(data.values))
        for cell in layout.inputs():
            if cell.id not in data.values:
                values.pop(cell.id, None)
        out += _rows(layout, agency_key(data), agency_name(data), values)
    out += _rows(layout, identity.agency_code, identity.agency_name, summary)
    return out


def _text_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_bytes(path: Path, rows: Sequence[Row]) -> bytes:
    if export_format(path) == "json":
        doc = [dict(zip(EXPORT_FIELDS, r, strict=True)) for r in rows]
        return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(EXPORT_HEADER)
    for r in rows:
        *text, value = r
        w.writerow([*(_text_cell(t) for t in text), value or ""])
    return buf.getvalue().encode("utf-8-sig")
