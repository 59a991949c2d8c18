"""The ``[[carry]]`` of a layout file: which cells last year's return carries forward.

Part of loading a layout (:mod:`xlreport.spec.loader`)::

    [[carry]]
    table = "s3"
    each = "col"                      # as in totals and rules: {col} / {row}, except
    except = ["total"]
    cell = "s3.carried.{col}"         # this year's input cell
    from = "s3.carryover.{col}"       # last year's cells, added up (a..b, +, -)
    fill = true                       # pre-fill the value (false: only the note)
    note = "已按上年报表预填：…{prior}…"  # the comment on the cell; {prior}: last year's value

Every reference is checked at load time; the target must be one input cell, each at most
once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlreport.spec.context import FileContext
from xlreport.spec.expressions import _instances, parse_expr
from xlreport.spec.model import Carry, Cell, Table

PRIOR = "{prior}"
#: A pre-filled template keeps last year's values of the cells its notes came from as
#: workbook-level defined names ``XLR_PRIOR.<cell id>`` (a number each): `check` then warns
#: about a changed value even without ``--prior`` (the prior rules whose cells are known).
PRIOR_NAME = "XLR_PRIOR."
DEFAULT_NOTE = "已按上年报表预填（上年为 {prior}）。可以修改；与上年不同时，请在报送时说明原因。"


def parse_carry(
    ctx: FileContext, raw: list[Any], tables: dict[str, Table], cells: Mapping[str, Cell]
) -> tuple[Carry, ...]:
    found: dict[str, Carry] = {}
    for i, rc in enumerate(raw):
        where = f"carry[{i}]"
        e = ctx.table(
            rc,
            where,
            {"cell": str, "from": str},
            {"table": str, "each": str, "except": list, "fill": bool, "note": str},
        )
        note = e.get("note", DEFAULT_NOTE)
        rest = note.replace(PRIOR, "")
        if "{" in rest or "}" in rest:
            raise ctx.fail(where + ".note", f"只能使用占位符 {PRIOR}")
        for _axis, _key, _label, f in _instances(ctx, where, e, tables, ("cell", "from")):
            target = parse_expr(ctx, where + ".cell", f["cell"], tables, allow_prior=False)
            source = parse_expr(ctx, where + ".from", f["from"], tables, allow_prior=False)
            if len(target.terms) != 1 or target.terms[0].sign != 1:
                raise ctx.fail(where + ".cell", "预填目标应为单个单元格")
            cid = target.terms[0].cell
            if cells[cid].kind != "input":
                raise ctx.fail(where + ".cell", f"{cid} 是合计（公式），不能预填")
            if cid in found:
                raise ctx.fail(where + ".cell", f"单元格 {cid} 已设置过上年结转")
            found[cid] = Carry(cid, source, e.get("fill", True), note)
    return tuple(found.values())


__all__ = ["DEFAULT_NOTE", "PRIOR", "PRIOR_NAME", "parse_carry"]
