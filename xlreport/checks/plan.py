"""Input cells judged ahead: the few cell contents nearly every return holds.

Everything else checking needs to know about a layout is worked out when the layout is
loaded (:attr:`Layout.compiled <xlreport.spec.model.Layout.compiled>`). Judging is the
checks' own business, so its tables are made here: one per value type (a frozen, hashable
object), at most :data:`TABLES` of them kept. Each table is filled when it is made and only
read afterwards: entries added file after file would each pin a little of the memory the
files' parsing used, and a worker's resident size would creep up with every return.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from xlreport.checks.values import Judged, judge
from xlreport.reader.model import RawCell
from xlreport.spec.model import Cell, Layout, ValueType

#: What an input cell holds — (type, text, formula), None for no cell — → its judgement.
JudgeCache = Mapping[tuple[str, str | None, str | None] | None, Judged]

#: Input cells judged once per value type, for every return: no cell, and the whole
#: numbers below this as stored (nearly every input of a real return is one of them).
JUDGED_AHEAD = 1000
#: Value types whose tables are kept (a layout has a handful; a worker checks one or two
#: layouts): bounded whatever a process loads.
TABLES = 32


@lru_cache(maxsize=TABLES)
def judged_ahead(vt: ValueType) -> JudgeCache:
    """The judgements of no cell and of the stored whole numbers below :data:`JUDGED_AHEAD`."""
    cache: dict[tuple[str, str | None, str | None] | None, Judged] = {None: judge(None, vt)}
    for n in range(JUDGED_AHEAD):
        cell = RawCell("n", str(n))
        cache[(cell.t, cell.text, cell.formula)] = judge(cell, vt)
    return cache


def judged_inputs(layout: Layout) -> tuple[tuple[Cell, JudgeCache], ...]:
    """Every input cell of ``layout`` in order, with its value type's table."""
    compiled = layout.compiled
    tables = [judged_ahead(vt) for vt in compiled.input_types]
    return tuple(zip(compiled.inputs, [tables[i] for i in compiled.input_type_at], strict=True))
