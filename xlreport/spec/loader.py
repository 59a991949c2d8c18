"""Load and validate a layout data file into :class:`~xlreport.spec.model.Layout`.

Any mistake in the file (an unknown key, a duplicate label path, a total or rule naming a
cell that does not exist, a cycle among totals) raises :class:`LayoutError` naming the
file and the key, in Chinese, at load time.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

from xlreport.identity import GUIDE_SHEET, META_SHEET
from xlreport.spec.carry import parse_carry
from xlreport.spec.compiled import compile_into
from xlreport.spec.context import FileContext, LayoutError
from xlreport.spec.expressions import parse_rules, parse_totals
from xlreport.spec.model import (
    EXCEL_DIGITS,
    Axis,
    Cell,
    Label,
    Layout,
    Sheet,
    Table,
    ValueType,
    digits_ceiling,
)
from xlreport.spec.overview import parse_overview

#: Names of the sheets the writer adds beside the layout's own.
RESERVED_SHEETS = (GUIDE_SHEET, META_SHEET)
_BAD_SHEET_CHARS = set("[]:*?/\\")
FIRST_TABLE_ROW = 2  # row 0: sheet title; row 1: agency and year line


def load_layout(path: str | Path) -> Layout:
    """Read and validate one layout file."""
    p = Path(path)
    ctx = FileContext(p.name)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise LayoutError(f"无法读取布局文件 {p}：{e.strerror or e}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise LayoutError(f"布局文件 {p.name} 不是有效的 TOML：{e}") from e
    except RecursionError:
        raise LayoutError(_too_deep(p.name)) from None
    try:
        return build_layout(raw, ctx, str(p))
    except RecursionError:
        raise LayoutError(_too_deep(p.name)) from None


def _too_deep(name: str) -> str:
    return f"布局文件 {name} 有误：数组或表的嵌套层数过多，不是有效的布局（请检查方括号是否成对）"


def build_layout(raw: dict[str, Any], ctx: FileContext, source: str) -> Layout:
    top = ctx.table(
        raw,
        "（顶层）",
        {"id": str, "version": int, "name": str, "sheets": list},
        {
            "title": str,
            "types": dict,
            "totals": list,
            "rules": list,
            "overview": dict,
            "carry": list,
        },
    )
    types = _types(ctx, top.get("types", {}))
    sheets: list[Sheet] = []
    cells: dict[str, Cell] = {}
    table_keys: dict[str, Table] = {}
    sheet_names: set[str] = set(RESERVED_SHEETS)
    for i, rs in enumerate(top["sheets"]):
        sheet = _sheet(ctx, rs, f"sheets[{i}]", types, table_keys)
        if sheet.name in sheet_names or any(s.key == sheet.key for s in sheets):
            raise ctx.fail(f"sheets[{i}]", f"工作表“{sheet.name}”（{sheet.key}）重复或为保留名")
        sheet_names.add(sheet.name)
        sheets.append(sheet)
    if not sheets:
        raise ctx.fail("sheets", "至少需要一个工作表")
    totals = parse_totals(ctx, top.get("totals", []), table_keys)
    total_ids = {t.cell for t in totals}
    for sheet in sheets:
        for t in sheet.tables:
            for ri, row in enumerate(t.rows):
                for col in t.columns:
                    cid = f"{t.key}.{row.key}.{col.key}"
                    c0 = t.label_cols + sum(x.span for x in t.columns[: t.columns.index(col)])
                    vt = types[col.type or row.type or t.type]
                    cells[cid] = Cell(
                        id=cid,
                        sheet=sheet.key,
                        table=t.key,
                        row=row.key,
                        col=col.key,
                        r=t.first_data_row + ri,
                        c=c0,
                        c2=c0 + col.span - 1,
                        kind="total" if cid in total_ids else "input",
                        type=vt,
                        row_label=" / ".join(([t.caption] if t.caption else []) + list(row.path))
                        or sheet.title,
                        col_label=" / ".join(col.path),
                    )
    checks = parse_rules(ctx, top.get("rules", []), table_keys, sheets)
    layout = Layout(
        id=ctx.key(top["id"].replace("-", "_"), "id") and top["id"],
        version=top["version"],
        name=top["name"],
        title=top.get("title", "政府信息公开工作年度报告"),
        source=source,
        fingerprint="",
        types=types,
        sheets=tuple(sheets),
        cells=cells,
        totals=totals,
        checks=checks,
        overview=parse_overview(ctx, top.get("overview"), table_keys, cells),
        carry=parse_carry(ctx, top.get("carry", []), table_keys, cells),
        _by_pos={(c.sheet, c.r, c.c): c for c in cells.values()},
    )
    return compile_into(_with_fingerprint(layout))


def _types(ctx: FileContext, raw: dict[str, Any]) -> dict[str, ValueType]:
    out: dict[str, ValueType] = {}
    for key, rt in raw.items():
        where = f"types.{key}"
        t = ctx.table(
            rt,
            where,
            {"kind": str},
            {
                "min": int,
                "max": int,
                "decimals": int,
                "unit": str,
                "label": str,
                "limit": int,
                "plausible": int,
            },
        )
        if t["kind"] not in ("integer", "decimal"):
            raise ctx.fail(where + ".kind", "只能是 integer 或 decimal")
        decimals = t.get("decimals", 0)
        if t["kind"] == "integer" and decimals:
            raise ctx.fail(where + ".decimals", "整数类型不能有小数位")
        if t["kind"] == "decimal" and not 1 <= decimals <= 10:
            raise ctx.fail(where + ".decimals", "小数类型的小数位数应在 1 到 10 之间")
        limit, plausible = _bounds(ctx, t, where, decimals)
        out[ctx.key(key, where)] = ValueType(
            key=key,
            kind=cast(Literal["integer", "decimal"], t["kind"]),
            min=Decimal(t["min"]) if "min" in t else None,
            max=Decimal(t["max"]) if "max" in t else None,
            decimals=decimals,
            unit=t.get("unit", ""),
            label=t.get("label", key),
            limit=limit,
            plausible=plausible,
        )
    if "count" not in out:
        out["count"] = ValueType(
            "count",
            "integer",
            Decimal(0),
            None,
            0,
            "",
            "非负整数",
            Decimal(DEFAULT_COUNT_LIMIT),
            Decimal(DEFAULT_COUNT_PLAUSIBLE),
        )
    return out


#: The bounds of the ``count`` type a layout gets when it defines none (as the shipped ones).
DEFAULT_COUNT_LIMIT = 999_999_999
DEFAULT_COUNT_PLAUSIBLE = 9_999_999


def _bounds(
    ctx: FileContext, t: dict[str, Any], where: str, decimals: int
) -> tuple[Decimal, Decimal | None]:
    """A type's ``limit`` (default: the most Excel holds exactly with its decimals) and
    ``plausible``: 0 < plausible <= limit <= that most, and no ``min``/``max`` beyond it."""
    ceiling = digits_ceiling(decimals)
    limit = Decimal(t.get("limit", ceiling))
    if not 0 < limit <= ceiling:
        raise ctx.fail(
            where + ".limit",
            f"上限应大于 0 且不超过 {ceiling:f}（Excel 只能精确保存 {EXCEL_DIGITS} 位有效数字）",
        )
    for name in ("min", "max"):
        if name in t and abs(Decimal(t[name])) > limit:
            raise ctx.fail(f"{where}.{name}", f"不能超出上限 {limit:f}（limit）")
    plausible = Decimal(t["plausible"]) if "plausible" in t else None
    if plausible is not None and not 0 < plausible <= limit:
        raise ctx.fail(where + ".plausible", f"应大于 0 且不超过上限 {limit:f}（limit）")
    return limit, plausible


def _axes(
    ctx: FileContext, raw: list[Any], where: str, types: dict[str, ValueType], *, allow_empty: bool
) -> tuple[Axis, ...]:
    axes: list[Axis] = []
    keys: set[str] = set()
    paths: set[tuple[str, ...]] = set()
    for i, ra in enumerate(raw):
        w = f"{where}[{i}]"
        a = ctx.table(ra, w, {"key": str, "path": list}, {"span": int, "type": str})
        key = ctx.key(a["key"], w + ".key")
        path = tuple(a["path"])
        if not all(isinstance(x, str) and x.strip() for x in path):
            raise ctx.fail(w + ".path", "标签路径的每一项都应为非空文字")
        if not path and not allow_empty:
            raise ctx.fail(w + ".path", "标签路径不能为空")
        if key in keys:
            raise ctx.fail(w + ".key", f"键“{key}”重复")
        if path in paths:
            raise ctx.fail(w + ".path", f"标签路径“{' / '.join(path)}”重复")
        if a.get("type") is not None and a["type"] not in types:
            raise ctx.fail(w + ".type", f"未定义的数值类型“{a['type']}”")
        if a.get("span", 1) < 1:
            raise ctx.fail(w + ".span", "跨列数至少为 1")
        keys.add(key)
        paths.add(path)
        axes.append(Axis(key, path, a.get("span", 1), a.get("type")))
    if not axes:
        raise ctx.fail(where, "至少需要一项")
    return tuple(axes)


def _groups(axes: tuple[Axis, ...], level: int) -> list[tuple[int, int, str, bool]]:
    """Runs of consecutive axes sharing the label path up to ``level``: (first, last, text, leaf)."""
    runs: list[tuple[int, int, str, bool]] = []
    i = 0
    while i < len(axes):
        p = axes[i].path
        if len(p) <= level:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(axes)
            and len(axes[j + 1].path) > level
            and (axes[j + 1].path[: level + 1] == p[: level + 1])
        ):
            j += 1
        runs.append((i, j, p[level], len(p) == level + 1))
        i = j + 1
    return runs


def _sheet(
    ctx: FileContext,
    raw: Any,
    where: str,
    types: dict[str, ValueType],
    table_keys: dict[str, Table],
) -> Sheet:
    s = ctx.table(
        raw, where, {"key": str, "name": str, "title": str, "tables": list}, {"landscape": bool}
    )
    key = ctx.key(s["key"], where + ".key")
    name = s["name"]
    if (
        not name
        or len(name) > 31
        or set(name) & _BAD_SHEET_CHARS
        or name[0] == "'"
        or name[-1] == "'"
    ):
        raise ctx.fail(where + ".name", f"工作表名“{name}”不合规（1–31 个字符，不含 []:*?/\\）")
    labels: list[Label] = []
    tables: list[Table] = []
    top = FIRST_TABLE_ROW
    for ti, rt in enumerate(s["tables"]):
        tw = f"{where}.tables[{ti}]"
        t = ctx.table(
            rt,
            tw,
            {"key": str, "columns": list, "rows": list},
            {"caption": str, "corner": str, "type": str, "vertical_groups": list},
        )
        tkey = ctx.key(t["key"], tw + ".key")
        if tkey in table_keys:
            raise ctx.fail(tw + ".key", f"表格键“{tkey}”重复")
        ttype = t.get("type", "count")
        if ttype not in types:
            raise ctx.fail(tw + ".type", f"未定义的数值类型“{ttype}”")
        cols = _axes(ctx, t["columns"], tw + ".columns", types, allow_empty=False)
        rows = _axes(ctx, t["rows"], tw + ".rows", types, allow_empty=True)
        if any(not r.path for r in rows) and len(rows) > 1:
            raise ctx.fail(tw + ".rows", "无标签的行只能有一行")
        if any(r.span != 1 for r in rows):
            raise ctx.fail(tw + ".rows", "行不能设置 span")
        vgroups = tuple(t.get("vertical_groups", []))
        header_rows = max(len(c.path) for c in cols)
        label_cols = max(len(r.path) for r in rows)
        width = label_cols + sum(c.span for c in cols)
        caption = t.get("caption", "")
        r = top
        if caption:
            labels.append(Label(key, r, 0, r, width - 1, caption, "caption"))
            r += 1
        if label_cols:
            labels.append(
                Label(key, r, 0, r + header_rows - 1, label_cols - 1, t.get("corner", ""), "corner")
            )
        elif t.get("corner"):
            raise ctx.fail(tw + ".corner", "没有行标签的表格不能有左上角说明")
        starts = [label_cols + sum(c.span for c in cols[:i]) for i in range(len(cols))]
        for level in range(header_rows):
            for i, j, text, leaf in _groups(cols, level):
                r2 = r + header_rows - 1 if leaf else r + level
                labels.append(
                    Label(
                        key, r + level, starts[i], r2, starts[j] + cols[j].span - 1, text, "column"
                    )
                )
        first_data = r + header_rows
        for level in range(label_cols):
            for i, j, text, leaf in _groups(rows, level):
                c2 = label_cols - 1 if leaf else level
                vertical = text in vgroups and not leaf
                labels.append(
                    Label(key, first_data + i, level, first_data + j, c2, text, "row", vertical)
                )
        missing = set(vgroups) - {lb.text for lb in labels if lb.vertical}
        if missing:
            raise ctx.fail(
                tw + ".vertical_groups", f"没有这样的行分组：{'、'.join(sorted(missing))}"
            )
        table = Table(
            key=tkey,
            caption=caption,
            corner=t.get("corner", ""),
            type=ttype,
            rows=rows,
            columns=cols,
            vertical_groups=vgroups,
            top=top,
            header_rows=header_rows,
            label_cols=label_cols,
            first_data_row=first_data,
            width=width,
        )
        table_keys[tkey] = table
        tables.append(table)
        top = table.bottom + 1
    if not tables:
        raise ctx.fail(where + ".tables", "至少需要一个表格")
    width = max(t.width for t in tables)
    labels.insert(0, Label(key, 0, 0, 0, width - 1, s["title"], "title"))
    repeat = (0, tables[0].first_data_row - 1) if len(tables) == 1 else (0, 0)
    return Sheet(
        key=key,
        name=name,
        title=s["title"],
        landscape=s.get("landscape", False),
        tables=tuple(tables),
        labels=tuple(labels),
        width=width,
        height=top,
        repeat_rows=repeat,
    )


def _with_fingerprint(layout: Layout) -> Layout:
    """Fingerprint of everything that shapes the workbook, not of comments or spacing.

    A type's ``limit`` and ``plausible`` bounds are left out: the checks apply the current
    bounds to every return whatever its template's validation said, so a template sent out
    before a bound changed is still the same layout."""
    doc = {
        "id": layout.id,
        "version": layout.version,
        "types": {k: [v.kind, str(v.min), str(v.max), v.decimals] for k, v in layout.types.items()},
        "sheets": [
            [s.key, s.name, s.title, [[lb.r1, lb.c1, lb.r2, lb.c2, lb.text] for lb in s.labels]]
            for s in layout.sheets
        ],
        "cells": [
            [c.id, c.sheet, c.r, c.c, c.c2, c.kind, c.type.key] for c in layout.cells.values()
        ],
        "totals": [[t.cell, t.expr.source] for t in layout.totals],
        "rules": [[r.rule, r.severity, r.lhs.source, r.rhs.source] for r in layout.checks],
    }
    digest = hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode()).hexdigest()[:16]
    from dataclasses import replace

    return replace(layout, fingerprint=digest)
