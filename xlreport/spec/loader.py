"""Load and validate a layout data file into :class:`~xlreport.spec.model.Layout`.

Any mistake in the file (an unknown key, a duplicate label path, a total or rule naming a
cell that does not exist, a cycle among totals) raises :class:`LayoutError` naming the
file and the key, in Chinese, at load time.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

from xlreport.spec.model import (
    Axis,
    Cell,
    Expr,
    Label,
    Layout,
    RuleCheck,
    Severity,
    Sheet,
    Table,
    Term,
    Total,
    ValueType,
)

#: Names of the sheets the writer adds beside the layout's own.
RESERVED_SHEETS = ("填报说明", "_xlreport")
_BAD_SHEET_CHARS = set("[]:*?/\\")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TERM = re.compile(
    r"^(?:(prior):)?([A-Za-z_]\w*)\.([A-Za-z_]\w*(?:\.\.[A-Za-z_]\w*)?)\.([A-Za-z_]\w*(?:\.\.[A-Za-z_]\w*)?)$"
)
FIRST_TABLE_ROW = 2  # row 0: sheet title; row 1: agency and year line


class LayoutError(Exception):
    """A layout file that cannot be used; the message is Chinese and names file and key."""


@dataclass
class _Ctx:
    file: str

    def fail(self, where: str, msg: str) -> LayoutError:
        return LayoutError(f"布局文件 {self.file} 有误：{where}：{msg}")

    def table(
        self, raw: Any, where: str, required: dict[str, type], optional: dict[str, type]
    ) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(where, "应为表（键值对）")
        for k in raw:
            if k not in required and k not in optional:
                known = "、".join(sorted([*required, *optional]))
                raise self.fail(where, f"未知的键“{k}”（可用的键：{known}）")
        for k in required:
            if k not in raw:
                raise self.fail(where, f"缺少必填的键“{k}”")
        for k, v in raw.items():
            t = required.get(k) or optional[k]
            if (t is int and isinstance(v, bool)) or not isinstance(v, t):
                raise self.fail(f"{where}.{k}", f"类型应为 {t.__name__}")
        return cast(dict[str, Any], raw)

    def key(self, value: str, where: str) -> str:
        if not _KEY.match(value):
            raise self.fail(where, f"键名“{value}”只能由字母、数字和下划线组成且不以数字开头")
        return value


def load_layout(path: str | Path) -> Layout:
    """Read and validate one layout file."""
    p = Path(path)
    ctx = _Ctx(p.name)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise LayoutError(f"无法读取布局文件 {p}：{e.strerror or e}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise LayoutError(f"布局文件 {p.name} 不是有效的 TOML：{e}") from e
    return build_layout(raw, ctx, str(p))


def build_layout(raw: dict[str, Any], ctx: _Ctx, source: str) -> Layout:
    top = ctx.table(
        raw,
        "（顶层）",
        {"id": str, "version": int, "name": str, "sheets": list},
        {"title": str, "types": dict, "totals": list, "rules": list},
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
    totals = _totals(ctx, top.get("totals", []), table_keys)
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
    checks = _rules(ctx, top.get("rules", []), table_keys, sheets)
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
        _by_pos={(c.sheet, c.r, c.c): c for c in cells.values()},
    )
    return _with_fingerprint(layout)


def _types(ctx: _Ctx, raw: dict[str, Any]) -> dict[str, ValueType]:
    out: dict[str, ValueType] = {}
    for key, rt in raw.items():
        where = f"types.{key}"
        t = ctx.table(
            rt,
            where,
            {"kind": str},
            {"min": int, "max": int, "decimals": int, "unit": str, "label": str},
        )
        if t["kind"] not in ("integer", "decimal"):
            raise ctx.fail(where + ".kind", "只能是 integer 或 decimal")
        decimals = t.get("decimals", 0)
        if t["kind"] == "integer" and decimals:
            raise ctx.fail(where + ".decimals", "整数类型不能有小数位")
        if t["kind"] == "decimal" and not 1 <= decimals <= 10:
            raise ctx.fail(where + ".decimals", "小数类型的小数位数应在 1 到 10 之间")
        out[ctx.key(key, where)] = ValueType(
            key=key,
            kind=cast(Literal["integer", "decimal"], t["kind"]),
            min=Decimal(t["min"]) if "min" in t else None,
            max=Decimal(t["max"]) if "max" in t else None,
            decimals=decimals,
            unit=t.get("unit", ""),
            label=t.get("label", key),
        )
    if "count" not in out:
        out["count"] = ValueType("count", "integer", Decimal(0), None, 0, "", "非负整数")
    return out


def _axes(
    ctx: _Ctx, raw: list[Any], where: str, types: dict[str, ValueType], *, allow_empty: bool
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
    ctx: _Ctx,
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


def _expand(ctx: _Ctx, where: str, sel: str, axes: tuple[Axis, ...], what: str) -> list[str]:
    keys = [a.key for a in axes]
    if ".." in sel:
        a, b = sel.split("..")
        for k in (a, b):
            if k not in keys:
                raise ctx.fail(where, f"没有这样的{what}“{k}”")
        i, j = keys.index(a), keys.index(b)
        if i > j:
            raise ctx.fail(where, f"范围“{sel}”的起点在终点之后")
        return keys[i : j + 1]
    if sel not in keys:
        raise ctx.fail(where, f"没有这样的{what}“{sel}”")
    return [sel]


def parse_expr(
    ctx: _Ctx, where: str, text: str, tables: dict[str, Table], *, allow_prior: bool
) -> Expr:
    parts = re.split(r"\s*([+-])\s*", text.strip())
    signs = [1] + [1 if op == "+" else -1 for op in parts[1::2]]
    terms: list[Term] = []
    for sign, src in zip(signs, parts[0::2], strict=True):
        m = _TERM.match(src)
        if not m:
            raise ctx.fail(where, f"无法识别的单元格引用“{src}”（应为 表格.行.列）")
        prior, tkey, rsel, csel = m.groups()
        if prior and not allow_prior:
            raise ctx.fail(where, "此处不能引用上年数据（prior:）")
        if tkey not in tables:
            raise ctx.fail(where, f"没有这样的表格“{tkey}”")
        t = tables[tkey]
        for rk in _expand(ctx, where, rsel, t.rows, "行"):
            for ck in _expand(ctx, where, csel, t.columns, "列"):
                terms.append(Term(sign, f"{tkey}.{rk}.{ck}", bool(prior)))
    return Expr(tuple(terms), text.strip())


def _instances(
    ctx: _Ctx, where: str, e: dict[str, Any], tables: dict[str, Table], fields: tuple[str, ...]
) -> list[tuple[str | None, str | None, str, dict[str, str]]]:
    """Expand ``each``: (axis, key, label, field texts with {row}/{col} filled in)."""
    each = e.get("each")
    if each is None:
        for f in fields:
            if "{" in e[f]:
                raise ctx.fail(f"{where}.{f}", "使用了 {row} 或 {col}，但没有设置 each")
        if "except" in e:
            raise ctx.fail(where + ".except", "没有设置 each 时不能使用 except")
        return [(None, None, "", {f: e[f] for f in fields})]
    if each not in ("row", "col"):
        raise ctx.fail(where + ".each", "只能是 row 或 col")
    if e.get("table") not in tables:
        raise ctx.fail(where + ".table", f"设置 each 时须指定存在的表格（现为“{e.get('table')}”）")
    t = tables[e["table"]]
    axes = t.rows if each == "row" else t.columns
    skip = e.get("except", [])
    for k in skip:
        if k not in [a.key for a in axes]:
            raise ctx.fail(where + ".except", f"没有这样的{'行' if each == 'row' else '列'}“{k}”")
    out: list[tuple[str | None, str | None, str, dict[str, str]]] = []
    for a in axes:
        if a.key in skip:
            continue
        filled = {f: e[f].replace("{" + each + "}", a.key) for f in fields}
        for f, v in filled.items():
            if "{" in v:
                raise ctx.fail(f"{where}.{f}", f"占位符与 each = “{each}” 不符")
        out.append((each, a.key, " / ".join(a.path), filled))
    return out


def _totals(ctx: _Ctx, raw: list[Any], tables: dict[str, Table]) -> tuple[Total, ...]:
    found: dict[str, Total] = {}
    for i, rt in enumerate(raw):
        where = f"totals[{i}]"
        e = ctx.table(
            rt, where, {"cell": str, "sum": str}, {"table": str, "each": str, "except": list}
        )
        for _axis, _key, _label, f in _instances(ctx, where, e, tables, ("cell", "sum")):
            target = parse_expr(ctx, where + ".cell", f["cell"], tables, allow_prior=False)
            expr = parse_expr(ctx, where + ".sum", f["sum"], tables, allow_prior=False)
            if len(target.terms) != 1 or target.terms[0].sign != 1:
                raise ctx.fail(where + ".cell", "合计目标应为单个单元格")
            cell = target.terms[0].cell
            if cell in found:
                raise ctx.fail(where + ".cell", f"单元格 {cell} 已被定义为合计")
            if cell in expr.cells():
                raise ctx.fail(where + ".sum", f"合计 {cell} 引用了自身")
            found[cell] = Total(cell, expr)
    # evaluation order: a total after every total it uses; a cycle is an error
    order: list[Total] = []
    state: dict[str, int] = {}

    def visit(cell: str, chain: tuple[str, ...]) -> None:
        if state.get(cell) == 2:
            return
        if state.get(cell) == 1:
            raise ctx.fail("totals", f"合计之间存在循环引用：{' → '.join((*chain, cell))}")
        state[cell] = 1
        for dep in found[cell].expr.cells():
            if dep in found:
                visit(dep, (*chain, cell))
        state[cell] = 2
        order.append(found[cell])

    for cell in found:
        visit(cell, ())
    return tuple(order)


def _rules(
    ctx: _Ctx, raw: list[Any], tables: dict[str, Table], sheets: list[Sheet]
) -> tuple[RuleCheck, ...]:
    sheet_of = {t.key: s.key for s in sheets for t in s.tables}
    checks: list[RuleCheck] = []
    for i, rr in enumerate(raw):
        where = f"rules[{i}]"
        e = ctx.table(
            rr,
            where,
            {"id": str, "severity": str, "name": str, "lhs": str, "rhs": str},
            {"table": str, "each": str, "except": list},
        )
        if e["severity"] not in ("error", "warning", "info"):
            raise ctx.fail(where + ".severity", "只能是 error、warning 或 info")
        for axis, key, label, f in _instances(ctx, where, e, tables, ("lhs", "rhs")):
            lhs = parse_expr(ctx, where + ".lhs", f["lhs"], tables, allow_prior=True)
            rhs = parse_expr(ctx, where + ".rhs", f["rhs"], tables, allow_prior=True)
            if not (lhs.cells() + rhs.cells()):
                raise ctx.fail(where, "规则至少要引用一个本年单元格")
            first = (lhs.cells() + rhs.cells())[0].split(".")[0]
            checks.append(
                RuleCheck(
                    rule=e["id"],
                    index=i,
                    name=e["name"],
                    severity=cast(Severity, e["severity"]),
                    lhs=lhs,
                    rhs=rhs,
                    sheet=sheet_of[e.get("table", first)],
                    table=e.get("table"),
                    axis=cast(Literal["row", "col"] | None, axis),
                    key=key,
                    label=label,
                )
            )
    return tuple(checks)


def _with_fingerprint(layout: Layout) -> Layout:
    """Fingerprint of everything that shapes the workbook, not of comments or spacing."""
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
