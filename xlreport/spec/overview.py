"""The ``[overview]`` of a layout file: what the summary's 概览 sheet shows and charts.

Part of loading a layout (:mod:`xlreport.spec.loader`). Every reference is checked at
load time like those of totals and rules: an unknown table, row, column or cell is a
:class:`~xlreport.spec.context.LayoutError` naming the file and the key. A layout file
without ``[overview]`` lists every total under 主要数据 and has no charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlreport.spec.context import FileContext
from xlreport.spec.expressions import parse_expr
from xlreport.spec.model import (
    Breakdown,
    Cell,
    Expr,
    Figure,
    Narrative,
    NarrativePart,
    Overview,
    Ranking,
    Slice,
    Table,
)

#: Stands for the number of agencies shown in ``ranking.chart_title_top``.
SHOWN = "{n}"
#: In ``[overview.narrative]``: a phrase's value; last year's value, the change and its size.
VALUE, PRIOR, CHANGE, DIFF = "{value}", "{prior}", "{change}", "{diff}"


def parse_overview(
    ctx: FileContext, raw: Any, tables: dict[str, Table], cells: Mapping[str, Cell]
) -> Overview:
    """The overview of the layout file (``raw`` is its ``[overview]`` table, None without)."""
    if raw is None:
        return Overview(
            figures=tuple(_default_figure(c) for c in cells.values() if c.kind == "total")
        )
    o = ctx.table(
        raw,
        "overview",
        {},
        {"figures": list, "breakdown": dict, "ranking": dict, "narrative": dict},
    )
    figures = tuple(
        _figure(ctx, f"overview.figures[{i}]", rf, tables)
        for i, rf in enumerate(o.get("figures", []))
    )
    breakdown = _breakdown(ctx, o["breakdown"], tables) if "breakdown" in o else None
    ranking = _ranking(ctx, o["ranking"], tables) if "ranking" in o else None
    narrative = _narrative(ctx, o["narrative"], tables) if "narrative" in o else None
    return Overview(figures=figures, breakdown=breakdown, ranking=ranking, narrative=narrative)


def _default_figure(cell: Cell) -> Figure:
    return Figure(f"{cell.row_label} / {cell.col_label}".replace(" / ", "·"), cell.id)


def _text(ctx: FileContext, where: str, value: str) -> str:
    if not value.strip():
        raise ctx.fail(where, "不能为空")
    return value


def _header(ctx: FileContext, where: str, raw: list[Any], n: int) -> tuple[str, ...]:
    if len(raw) != n or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ctx.fail(where, f"应为 {n} 个非空的列标题")
    return tuple(raw)


def _single_cell(ctx: FileContext, where: str, text: str, tables: dict[str, Table]) -> str:
    expr = parse_expr(ctx, where, text, tables, allow_prior=False)
    if len(expr.terms) != 1 or expr.terms[0].sign != 1:
        raise ctx.fail(where, f"“{text}”应为单个单元格（表格.行.列）")
    return expr.terms[0].cell


def _figure(ctx: FileContext, where: str, raw: Any, tables: dict[str, Table]) -> Figure:
    f = ctx.table(raw, where, {"label": str, "cell": str}, {})
    return Figure(
        _text(ctx, where + ".label", f["label"]),
        _single_cell(ctx, where + ".cell", f["cell"], tables),
    )


def _breakdown(ctx: FileContext, raw: Any, tables: dict[str, Table]) -> Breakdown:
    where = "overview.breakdown"
    b = ctx.table(raw, where, {"title": str, "header": list, "slices": list}, {})
    slices: list[Slice] = []
    owner: dict[str, str] = {}  # cell → label of the slice that counts it
    for i, rs in enumerate(b["slices"]):
        w = f"{where}.slices[{i}]"
        s = ctx.table(rs, w, {"label": str, "sum": str}, {})
        label = _text(ctx, w + ".label", s["label"])
        if any(x.label == label for x in slices):
            raise ctx.fail(w + ".label", f"“{label}”重复")
        expr: Expr = parse_expr(ctx, w + ".sum", s["sum"], tables, allow_prior=False)
        for cell in expr.cells():
            if cell in owner:
                raise ctx.fail(w + ".sum", f"单元格 {cell} 已计入“{owner[cell]}”")
            owner[cell] = label
        slices.append(Slice(label, expr))
    if not slices:
        raise ctx.fail(where + ".slices", "至少需要一项")
    title = _text(ctx, where + ".title", b["title"])
    label_col, value_col = _header(ctx, where + ".header", b["header"], 2)
    return Breakdown(title, (label_col, value_col), tuple(slices))


def _ranking(ctx: FileContext, raw: Any, tables: dict[str, Table]) -> Ranking:
    where = "overview.ranking"
    r = ctx.table(
        raw,
        where,
        {"cell": str, "title": str, "header": list, "chart_title": str, "chart_title_top": str},
        {},
    )
    top = _text(ctx, where + ".chart_title_top", r["chart_title_top"])
    if SHOWN not in top:
        raise ctx.fail(where + ".chart_title_top", f"应含 {SHOWN}（图中显示的单位数）")
    name, code, value = _header(ctx, where + ".header", r["header"], 3)
    return Ranking(
        cell=_single_cell(ctx, where + ".cell", r["cell"], tables),
        title=_text(ctx, where + ".title", r["title"]),
        header=(name, code, value),
        chart_title=_text(ctx, where + ".chart_title", r["chart_title"]),
        chart_title_top=top,
    )


def _narrative(ctx: FileContext, raw: Any, tables: dict[str, Table]) -> Narrative:
    where = "overview.narrative"
    n = ctx.table(
        raw,
        where,
        {"title": str, "parts": list},
        {"compare": str, "up": str, "down": str, "same": str},
    )
    parts: list[NarrativePart] = []
    for i, rp in enumerate(n["parts"]):
        w = f"{where}.parts[{i}]"
        p = ctx.table(rp, w, {"text": str}, {"sum": str, "compare": bool})
        text = _text(ctx, w + ".text", p["text"])
        if (VALUE in text) != ("sum" in p):
            raise ctx.fail(w, f"含 {VALUE} 的文字需要 sum（要读取的单元格），反之亦然")
        expr = (
            parse_expr(ctx, w + ".sum", p["sum"], tables, allow_prior=False) if "sum" in p else None
        )
        parts.append(NarrativePart(text, expr, bool(p.get("compare", False)) and expr is not None))
    if not parts:
        raise ctx.fail(where + ".parts", "至少需要一项")
    compare = n.get("compare", "")
    if any(p.compare for p in parts):
        if PRIOR not in compare or CHANGE not in compare:
            raise ctx.fail(where + ".compare", f"应含 {PRIOR} 和 {CHANGE}（与上年比较的说法）")
        for key in ("up", "down"):
            if DIFF not in n.get(key, ""):
                raise ctx.fail(f"{where}.{key}", f"应含 {DIFF}（增减的数量）")
        _text(ctx, where + ".same", n.get("same", ""))
    return Narrative(
        title=_text(ctx, where + ".title", n["title"]),
        parts=tuple(parts),
        compare=compare,
        up=n.get("up", ""),
        down=n.get("down", ""),
        same=n.get("same", ""),
    )
