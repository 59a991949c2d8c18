"""Check one workbook already read into a :class:`RawWorkbook`: a pure function."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from xlreport.checks.alignment import SheetView
from xlreport.checks.carried import kept_prior
from xlreport.checks.catalogue import finding
from xlreport.checks.causes import assign_causes
from xlreport.checks.dates import check_dates
from xlreport.checks.identity_check import recognise
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.plan import judged_inputs
from xlreport.checks.rules import check_rules
from xlreport.checks.structure import match_sheets
from xlreport.checks.totals import TotalsResult, check_totals
from xlreport.checks.values import Judged, judge
from xlreport.findings import FileReport, Finding
from xlreport.identity import WORKBOOK_KIND_SUMMARY, Identity, summary_sheet_names
from xlreport.reader.model import RawWorkbook
from xlreport.spec.model import Layout


def prior_key(identity: Identity) -> str:
    """How a return is matched with last year's: its agency code (a summary: its county)."""
    if identity.kind == WORKBOOK_KIND_SUMMARY and not identity.agency_code:
        return f"summary:{identity.county}"
    return identity.agency_code


def unreadable_file(path: str, f: Finding) -> CheckedFile:
    report = FileReport(path=path, findings=[replace(f, file=path)], unreadable=True)
    return CheckedFile(report, None)


def _judge_inputs(
    layout: Layout, views: dict[str, SheetView], summary: bool
) -> tuple[dict[str, Judged], list[Finding]]:
    """Every input cell judged by its value type (in a summary, the type without a
    return's bounds: ``ValueType.for_summary``)."""
    judged: dict[str, Judged] = {}
    out: list[Finding] = []
    for cell, cache in judged_inputs(layout):
        view = views[cell.sheet]
        raw_sheet = view.raw
        pos = (cell.r, cell.c) if view.plain else view.where(cell.r, cell.c)
        if pos is None or raw_sheet is None:
            judged[cell.id] = Judged("invalid", None, "")  # sheet/row/column gone: reported
            continue
        raw = raw_sheet.cells.get(pos)
        # judge() reads nothing but these three and the cell's type
        key = None if raw is None else (raw.t, raw.text, raw.formula)
        j = None if summary else cache.get(key)
        if j is None:
            j = judge(raw, cell.type.for_summary() if summary else cell.type)
        judged[cell.id] = j
        if j.code:
            out.append(
                finding(
                    j.code,
                    j.message,
                    hint=j.hint,
                    sheet=view.name,
                    cell=view.a1(cell.r, cell.c),
                    row_label=cell.row_label,
                    col_label=cell.col_label,
                    expected=j.expected,
                    found=j.found,
                    at=(view.sheet.name, cell.r, cell.c),
                )
            )
    return judged, out


def _all_blank(layout: Layout, found: list[Finding]) -> list[Finding]:
    """A return with every input cell blank is not a report: one error in place of a
    "blank" warning per cell."""
    n = sum(1 for _ in layout.inputs())
    empty = finding(
        "return-empty",
        f"全部 {n} 个填报单元格都是空白，这不是一份填好的报表（可能报送了空模板）。",
        expected="填写好的报表",
        found="空模板",
    )
    return [empty, *(loc for loc in found if loc.code != "value-blank")]


def _only_carried(layout: Layout, judged: dict[str, Judged]) -> bool:
    """Nothing filled in but what ``template --prior`` pre-filled: a template sent back
    as it came is no return either."""
    carried = {c.cell for c in layout.carry if c.fill}
    if not carried:
        return False
    return all(j.state == "blank" for cid, j in judged.items() if cid not in carried)


def _prior(
    layout: Layout, identity: Identity, options: CheckOptions
) -> tuple[ReturnData | None, list[Finding]]:
    if not options.prior or not any(r.uses_prior for r in layout.checks):
        return None, []
    prior = options.prior.get(prior_key(identity))
    if prior is None:
        who = identity.agency_name or identity.agency_code or "该单位"
        return None, [
            finding("prior-not-found", f"--prior 中没有{who}的上年报表，未核对与上年的衔接。")
        ]
    if prior.identity.year != identity.year - 1:
        return None, [
            finding(
                "prior-year-mismatch",
                f"作为上年报表给出的 {prior.path} 是 {prior.identity.year} 年度的，"
                f"本报表是 {identity.year} 年度；未核对与上年的衔接。",
                expected=str(identity.year - 1),
                found=str(prior.identity.year),
            )
        ]
    return prior, []


def _recomputed(
    layout: Layout, values: dict[str, Decimal], totals: TotalsResult
) -> dict[str, Decimal]:
    """``layout.compute_totals(values)``. When every total's formula is intact and none is
    invalid, checking already computed exactly that, in the same order: the valid inputs,
    then each total from them."""
    total_ids = layout.compiled.total_ids
    if len(totals.intact) == len(total_ids) and not (totals.invalid & total_ids):
        return dict(totals.effective)
    return layout.compute_totals(values)


def check_workbook(
    raw: RawWorkbook, options: CheckOptions, *, path: str, file_mtime: float = 0.0
) -> CheckedFile:
    """Every finding for one workbook, and its trusted content for merge."""
    rec = recognise(raw, options)
    if rec.unreadable is not None or rec.layout is None or rec.identity is None:
        assert rec.unreadable is not None
        return unreadable_file(path, rec.unreadable)
    layout, identity = rec.layout, rec.identity
    located = list(rec.findings)
    summary = identity.kind == WORKBOOK_KIND_SUMMARY
    # a summary (xlreport merge) has no 填报说明: nobody fills it in or signs it; its own
    # sheets (概览 …, the tables per 单位类型) are not "added" ones
    own = summary_sheet_names([s.name for s in layout.sheets]) if summary else ()
    views, structure = match_sheets(raw, layout, own, guide=not summary)
    located += structure
    judged, value_findings = _judge_inputs(layout, views, summary)
    blanks = sum(1 for j in judged.values() if j.state == "blank")
    if (judged and blanks == len(judged)) or _only_carried(layout, judged):
        value_findings = _all_blank(layout, value_findings)
    totals = check_totals(layout, views, judged, raw)
    located += totals.findings + value_findings
    located += check_dates(layout, views, judged, None if summary else identity.year)
    prior, prior_findings = _prior(layout, identity, options)
    located += prior_findings
    kept = kept_prior(raw, layout) if prior is None else {}  # a pre-filled template's
    located += check_rules(
        layout,
        views,
        totals.effective,
        totals.invalid,
        prior.totals if prior is not None else kept or None,
        frozenset(prior.layout.cells) if prior is not None else frozenset(kept),
    )
    located.sort(key=lambda loc: loc.severity == "info")  # stable: notes last
    located = assign_causes(layout, located)
    values = {cid: j.value for cid, j in judged.items() if j.value is not None}
    data = ReturnData(
        path=path,
        sha256=raw.sha256,
        layout=layout,
        identity=identity,
        values=values,
        totals=_recomputed(layout, values, totals),
        raw_inputs={cid: j.found for cid, j in judged.items() if j.found},
        signoff=rec.signoff,
        saved_at=raw.modified,
        file_mtime=file_mtime,
        blank_cells=blanks,
    )
    report = FileReport(
        path=path,
        findings=[replace(loc, file=path) for loc in located],
        agency_code=identity.agency_code,
        agency_name=identity.agency_name,
        layout=layout.id,
        year=identity.year,
    )
    return CheckedFile(report, data)


__all__ = ["check_workbook", "prior_key", "unreadable_file"]
