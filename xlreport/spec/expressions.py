"""Totals and rules of a layout file: the ``table.row.col`` expressions and ``each``.

Part of loading a layout (:mod:`xlreport.spec.loader`); every mistake is a
:class:`~xlreport.spec.context.LayoutError` naming the file and the key.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast, get_args

from xlreport.findings import Severity
from xlreport.spec.context import FileContext
from xlreport.spec.model import Axis, Expr, RuleCheck, Sheet, Table, Term, Total

_TERM = re.compile(
    r"^(?:(prior):)?([A-Za-z_]\w*)\.([A-Za-z_]\w*(?:\.\.[A-Za-z_]\w*)?)\.([A-Za-z_]\w*(?:\.\.[A-Za-z_]\w*)?)$"
)


def _expand(ctx: FileContext, where: str, sel: str, axes: tuple[Axis, ...], what: str) -> list[str]:
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
    ctx: FileContext, where: str, text: str, tables: dict[str, Table], *, allow_prior: bool
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
    ctx: FileContext,
    where: str,
    e: dict[str, Any],
    tables: dict[str, Table],
    fields: tuple[str, ...],
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


def parse_totals(ctx: FileContext, raw: list[Any], tables: dict[str, Table]) -> tuple[Total, ...]:
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


def parse_rules(
    ctx: FileContext, raw: list[Any], tables: dict[str, Table], sheets: list[Sheet]
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
        if e["severity"] not in get_args(Severity):
            *most, last = get_args(Severity)
            raise ctx.fail(where + ".severity", f"只能是 {'、'.join(most)} 或 {last}")
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
