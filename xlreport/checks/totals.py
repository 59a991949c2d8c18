"""Totals: each still carries its formula, and its stored (cached) result is the right one.

Also yields the *effective* values the rules are checked on: valid inputs; a total's
recomputed value while its formula is intact, else the constant found in its place
(that is what the agency claims).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from xlreport.checks.alignment import SheetView
from xlreport.checks.catalogue import finding
from xlreport.checks.formula_refs import sum_terms
from xlreport.checks.values import Judged, excel_decimal, fmt, judge
from xlreport.findings import Finding, TemplatePos
from xlreport.reader.model import RawCell, RawWorkbook
from xlreport.spec.compiled import CompiledTotal, add_up
from xlreport.spec.formulas import same_formula
from xlreport.spec.model import Cell, Layout, Total, a1

#: Cached results closer than this to the recomputed value count as equal.
TOLERANCE = Decimal("0.0000005")


@dataclass
class TotalsResult:
    effective: dict[str, Decimal] = field(default_factory=dict)  # blank cells absent
    invalid: set[str] = field(default_factory=set)  # value unknown or not a valid number
    findings: list[Finding] = field(default_factory=list)
    intact: set[str] = field(default_factory=set)  # totals whose formula is intact


def _extra_ok(view: SheetView, layout: Layout, pos: tuple[int, int]) -> bool:
    """A reference the template's formula lacks, harmless: a blank cell in an inserted row
    or column, or a covered cell of a merged value cell."""
    raw = view.raw.cells.get(pos) if view.raw is not None else None
    if raw is not None and (raw.text not in (None, "") or raw.formula):
        return False
    r, c = pos
    if r in view.inserted_rows or c in view.inserted_cols:
        return True
    for cell in layout.cells.values():
        if cell.sheet == view.sheet.key and cell.c2 > cell.c:
            for k in range(cell.c + 1, cell.c2 + 1):
                if view.where(cell.r, k) == pos:
                    return True
    return False


def formula_intact(
    layout: Layout, views: Mapping[str, SheetView], total: Total, found: str
) -> bool:
    """The found formula sums exactly the template's cells (written any way)."""
    cell = layout.cells[total.cell]
    view = views[cell.sheet]
    if not view.shifted and same_formula(found, layout.compiled.formulas[total.cell]):
        return True
    terms = sum_terms(found, view.name)
    if terms is None:
        return False
    want: Counter[tuple[int, int]] = Counter()
    for t in total.expr.terms:
        c = layout.cells[t.cell]
        pos = views[c.sheet].where(c.r, c.c) if c.sheet == cell.sheet else None
        if pos is None:
            return False
        want[pos] += t.sign
    for pos in set(terms) | set(want):
        diff = terms.get(pos, 0) - want.get(pos, 0)
        if diff and not (want.get(pos, 0) == 0 and _extra_ok(view, layout, pos)):
            return False
    return True


def _terms_present(layout: Layout, views: Mapping[str, SheetView], total: Total) -> bool:
    """Every cell the total adds up is still in the file (no deleted row or column)."""
    cells = (layout.cells[t.cell] for t in total.expr.terms)
    return all(views[c.sheet].where(c.r, c.c) is not None for c in cells)


def expected_formula(layout: Layout, views: Mapping[str, SheetView], total: Total) -> str:
    """The template's formula for a total, with references where the cells now stand."""
    cell = layout.cells[total.cell]
    view = views[cell.sheet]
    text = layout.compiled.formulas[total.cell]
    if not view.shifted:
        return text
    pos = [view.where(layout.cells[t.cell].r, layout.cells[t.cell].c) for t in total.expr.terms]
    if any(p is None for p in pos):
        return text
    refs = [a1(*p) for p in pos if p is not None]
    rows = {p[0] for p in pos if p is not None}
    cols = {p[1] for p in pos if p is not None}
    run = len(rows) == 1 or len(cols) == 1
    if all(t.sign > 0 for t in total.expr.terms) and run and len(refs) > 1:
        ordered = sorted(p for p in pos if p is not None)
        span = ordered[-1][0] - ordered[0][0] + ordered[-1][1] - ordered[0][1] + 1
        if span == len(ordered):
            return f"SUM({a1(*ordered[0])}:{a1(*ordered[-1])})"
    out = ""
    for i, (t, ref) in enumerate(zip(total.expr.terms, refs, strict=True)):
        out += ("" if i == 0 and t.sign > 0 else "+" if t.sign > 0 else "-") + ref
    return out


def _shown(raw: RawCell | None) -> str:
    if raw is None or raw.text is None or raw.text == "":
        return ""
    d = excel_decimal(raw.text) if raw.t == "n" else None
    return fmt(d) if d is not None else raw.text


def check_totals(
    layout: Layout,
    views: Mapping[str, SheetView],
    inputs: Mapping[str, Judged],
    raw_wb: RawWorkbook,
) -> TotalsResult:
    res = TotalsResult()
    for cid, j in inputs.items():
        if j.value is not None:
            res.effective[cid] = j.value
        elif j.state == "invalid":
            res.invalid.add(cid)
    formulas = _Formulas(layout, views)
    # every sheet there, every row and column in place: each cell is where the layout says
    plain = all(v.plain for v in views.values())
    compiled = layout.compiled
    for tp in compiled.totals:
        total, cell = tp.total, tp.cell
        view = views[cell.sheet]
        if plain or (view.plain and all(views[s].plain for s in tp.term_sheets)):
            pos: tuple[int, int] | None = (cell.r, cell.c)
        else:
            pos = view.where(cell.r, cell.c)
            if pos is not None and not _terms_present(layout, views, total):
                pos = None
        if pos is None:
            res.invalid.add(cell.id)  # sheet, row or column gone: already reported
            continue
        raw = view.raw.cells.get(pos) if view.raw is not None else None
        deps_ok = not res.invalid or not any(d in res.invalid for d in tp.deps)
        computed = add_up(tp.terms, res.effective) if deps_ok else None
        if raw is None or raw.formula is None:
            at = (view.sheet.name, cell.r, cell.c)
            res.findings.append(_overwritten(view, cell, pos, raw, formulas, computed, at))
            const = judge(raw, cell.type)
            if const.value is not None:
                res.effective[cell.id] = const.value
            elif const.state == "invalid":
                res.invalid.add(cell.id)
        elif _intact(layout, views, tp, compiled.formulas[cell.id], raw.formula):
            res.intact.add(cell.id)
            if computed is None:
                res.invalid.add(cell.id)
            else:
                res.effective[cell.id] = computed
        else:
            at = (view.sheet.name, cell.r, cell.c)
            res.findings.append(
                finding(
                    "formula-changed",
                    f"合计公式应为 ={formulas[cell.id]}，现为 ={raw.formula}。",
                    sheet=view.name,
                    cell=a1(*pos),
                    row_label=cell.row_label,
                    col_label=cell.col_label,
                    expected="=" + formulas[cell.id],
                    found="=" + raw.formula,
                    at=at,
                )
            )
            cached = excel_decimal(raw.text) if raw.t == "n" and raw.text else None
            if cached is None:
                res.invalid.add(cell.id)
            else:
                res.effective[cell.id] = cached
    res.findings += _caches(layout, views, res, raw_wb)
    return res


class _Formulas(Mapping[str, str]):
    """Total cell id → ``expected_formula``, each worked out when a finding needs it."""

    def __init__(self, layout: Layout, views: Mapping[str, SheetView]) -> None:
        self._layout, self._views = layout, views

    def __getitem__(self, cid: str) -> str:
        total = self._layout.total_of(cid)
        if total is None:
            raise KeyError(cid)
        return expected_formula(self._layout, self._views, total)

    def __iter__(self) -> Iterator[str]:
        return (t.cell for t in self._layout.totals)

    def __len__(self) -> int:
        return len(self._layout.totals)


def _intact(
    layout: Layout, views: Mapping[str, SheetView], tp: CompiledTotal, formula: str, found: str
) -> bool:
    """``formula_intact``, answered at once for the template's formula (``formula``) as it
    was written."""
    if found == formula and not views[tp.cell.sheet].shifted:
        return True  # same_formula(found, found)
    return formula_intact(layout, views, tp.total, found)


def _overwritten(
    view: SheetView,
    cell: Cell,
    pos: tuple[int, int],
    raw: RawCell | None,
    formulas: Mapping[str, str],
    computed: Decimal | None,
    at: TemplatePos,
) -> Finding:
    shown = _shown(raw)
    what = f"固定数字 {shown}" if shown else "空白"
    same = ""
    if computed is not None and shown and raw is not None and raw.t == "n":
        d = excel_decimal(shown)
        if d is not None and abs(d - computed) <= TOLERANCE:
            same = "（数字目前恰好等于计算结果，但修改其他数字后不会随之更新）"
        else:
            same = f"（按填报数字应为 {fmt(computed)}）"
    return finding(
        "formula-overwritten",
        f"合计单元格应为公式 ={formulas[cell.id]}，现为{what}{same}。",
        sheet=view.name,
        cell=a1(*pos),
        row_label=cell.row_label,
        col_label=cell.col_label,
        expected="=" + formulas[cell.id],
        found=shown,
        at=at,
    )


def _caches(
    layout: Layout, views: Mapping[str, SheetView], res: TotalsResult, raw_wb: RawWorkbook
) -> list[Finding]:
    """Stored results of intact formulas against the recomputed values."""
    differ: list[tuple[Cell, RawCell, Decimal | None]] = []
    agreeing_nonzero = False
    any_cache = False
    for cid in layout.compiled.total_order:
        if cid not in res.intact:
            continue
        cell = layout.cells[cid]
        raw = views[cell.sheet].cell(cell.r, cell.c)
        if raw is None or raw.text is None:
            continue
        any_cache = True
        if cid in res.invalid:
            continue
        want = res.effective.get(cid, Decimal(0))
        got = excel_decimal(raw.text) if raw.t == "n" else None
        if got is not None and (got == want or abs(got - want) <= TOLERANCE):
            agreeing_nonzero = agreeing_nonzero or want != 0
        else:
            differ.append((cell, raw, got))
    if not any_cache and res.intact:
        return [
            finding(
                "no-cached-values",
                "文件中没有保存任何公式结果（多为程序另存的文件），合计已按填报数字重新计算。",
            )
        ]
    all_zero = all(got == 0 for _c, _r, got in differ)
    stale = all_zero or (raw_wb.full_calc_on_load and not agreeing_nonzero)
    out: list[Finding] = []
    for cell, raw, got in differ:
        view = views[cell.sheet]
        shown_want = fmt(res.effective.get(cell.id, Decimal(0)))
        found = fmt(got) if got is not None else (raw.text or "")
        if stale:
            msg = (
                f"合计单元格保存的结果是 {found}，按填报数字应为 {shown_want}：文件填写后很可能没有"
                "重新计算（保存的还是模板中的初始值）。"
            )
        else:
            msg = (
                f"合计单元格保存的结果是 {found}，但公式按填报数字算出 {shown_want}，而其他合计都已"
                "正确计算：这个结果很可能是在公式之外被改动的（也可能是在“手动计算”模式下"
                "填写后没有重新计算）。"
            )
        out.append(
            finding(
                "cache-stale" if stale else "cache-forged",
                msg,
                sheet=view.name,
                cell=view.a1(cell.r, cell.c),
                row_label=cell.row_label,
                col_label=cell.col_label,
                expected=shown_want,
                found=found,
                at=(view.sheet.name, cell.r, cell.c),
            )
        )
    return out
