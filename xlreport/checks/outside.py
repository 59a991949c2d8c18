"""Content where the template has none, and merged areas other than the template's.

Checking reads the labels and value cells the layout defines and nothing else, so a number
typed anywhere else on a table sheet — beside a table (in the columns of the 勾稽检查
block, on sheets with or without one), under it, in a cell a merged area covers or used to
cover — would vanish from the summary without a word. Each such cell is a finding at its
cell. The merged areas are compared with the template's (:mod:`xlreport.spec.sheet_map`): a
merge taken away or added changes what a spreadsheet shows (a merge hides the cells it
covers, whatever they hold).
"""

from __future__ import annotations

from collections.abc import Iterable

from xlreport.checks.alignment import SheetView
from xlreport.checks.catalogue import finding
from xlreport.findings import Finding
from xlreport.reader.model import RawCell
from xlreport.spec.model import Layout, a1
from xlreport.spec.sheet_map import Range, sheet_map

#: Stray cells reported one by one on a sheet; the rest are counted in one more finding.
STRAY_SHOWN = 20
_SHOWN_TEXT = 40


def _has_content(cell: RawCell) -> bool:
    if cell.formula:
        return True
    return cell.text is not None and cell.text.strip() != ""


def _bare_number(cell: RawCell) -> bool:
    return cell.t == "n" and not cell.formula and _has_content(cell)


class _Inverse:
    """File row/column → layout row/column (beyond the layout: continued past its last one;
    in an inserted row or column: None)."""

    def __init__(self, forward: dict[int, int], inserted: set[int]) -> None:
        self.back = {f: e for e, f in forward.items()}
        self.inserted = inserted
        self.last = max(forward.items(), key=lambda kv: kv[1]) if forward else (-1, -1)

    def __call__(self, f: int) -> int | None:
        got = self.back.get(f)
        if got is not None:
            return got
        if f in self.inserted:
            return None
        e_last, f_last = self.last
        return e_last + (f - f_last) if f > f_last else None


def check_outside(layout: Layout, view: SheetView) -> list[Finding]:
    """Stray content and changed merges on one table sheet."""
    raw = view.raw
    if raw is None:
        return []
    smap = sheet_map(layout, view.sheet)
    if view.plain:
        stray = [
            (pos, pos)
            for pos in raw.cells.keys() - smap.content.keys()
            if _has_content(raw.cells[pos])
        ]
        # the 勾稽检查 block holds texts and formulas: a bare number there is typed in
        stray += [
            (pos, pos)
            for pos in smap.checks
            if (cell := raw.cells.get(pos)) is not None and _bare_number(cell)
        ]
    else:
        rows = _Inverse(view.rows, view.inserted_rows)
        cols = _Inverse(view.cols, view.inserted_cols)
        stray = []
        for pos, cell in raw.cells.items():
            r, c = rows(pos[0]), cols(pos[1])
            if r is None or c is None:
                continue  # in an inserted row or column: reported as such
            what = smap.content.get((r, c))
            if (what is None and _has_content(cell)) or (what == "check" and _bare_number(cell)):
                stray.append((pos, (r, c)))
    out = _stray(view, sorted(stray))
    if view.plain:
        out += _merges(view, smap.merges, raw.merges)
    return out


def _stray(view: SheetView, stray: list[tuple[tuple[int, int], tuple[int, int]]]) -> list[Finding]:
    raw = view.raw
    assert raw is not None
    out: list[Finding] = []
    for (r, c), (er, ec) in stray[:STRAY_SHOWN]:
        cell = raw.cells[(r, c)]
        shown = cell.text if cell.text else "=" + (cell.formula or "")
        shown = shown if len(shown) <= _SHOWN_TEXT else shown[:_SHOWN_TEXT] + "…"
        what = "数字" if cell.t == "n" and not cell.formula else "内容"
        out.append(
            finding(
                "content-outside-table",
                f"工作表“{view.name}”的 {a1(r, c)} 不是填报单元格，却有{what}“{shown}”："
                "这里的内容不会被读取或汇总。",
                sheet=view.name,
                cell=a1(r, c),
                expected="空白",
                found=shown,
                at=(view.sheet.name, er, ec),
            )
        )
    rest = len(stray) - STRAY_SHOWN
    if rest > 0:
        (r, c), _at = stray[STRAY_SHOWN]
        out.append(
            finding(
                "content-outside-table",
                f"工作表“{view.name}”另有 {rest} 个非填报单元格有内容（从 {a1(r, c)} 起），"
                "这些内容不会被读取或汇总。",
                sheet=view.name,
                cell=a1(r, c),
                expected="空白",
                found=f"{rest} 个单元格",
            )
        )
    return out


def _ref(rng: Range) -> str:
    r1, c1, r2, c2 = rng
    return f"{a1(r1, c1)}:{a1(r2, c2)}"


def _real(merges: Iterable[Range]) -> set[Range]:
    return {m for m in merges if (m[0], m[1]) != (m[2], m[3])}


def _merges(view: SheetView, expected: frozenset[Range], found: Iterable[Range]) -> list[Finding]:
    got = _real(found)
    out: list[Finding] = []
    for rng in sorted(expected - got):
        out.append(
            finding(
                "merge-changed",
                f"工作表“{view.name}”的合并单元格 {_ref(rng)} 被取消了合并。",
                sheet=view.name,
                cell=a1(rng[0], rng[1]),
                expected=f"合并 {_ref(rng)}",
                found="未合并",
                at=(view.sheet.name, rng[0], rng[1]),
            )
        )
    for rng in sorted(got - expected):
        out.append(
            finding(
                "merge-changed",
                f"工作表“{view.name}”的 {_ref(rng)} 被合并了（模板中没有这个合并），"
                "合并会遮住其中除左上角以外的单元格。",
                sheet=view.name,
                cell=a1(rng[0], rng[1]),
                expected="不合并",
                found=f"合并 {_ref(rng)}",
                at=(view.sheet.name, rng[0], rng[1]),
            )
        )
    return out


__all__ = ["STRAY_SHOWN", "check_outside"]
