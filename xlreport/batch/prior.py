"""Last year's returns or summary, read with the trusted reader, for this year's work.

:func:`read_prior` checks every file given (files or folders) like ``xlreport check`` does
and indexes the readable ones by agency (a summary by its county); :func:`carried` works
out, from one of them, what the layout's ``[[carry]]`` carries into this year's template.
Used by ``template --prior``; the same index serves ``check --prior``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlreport.batch.check import check_paths
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.checks.values import fmt
from xlreport.checks.workbook_check import prior_key
from xlreport.errors import UsageError
from xlreport.identity import WORKBOOK_KIND_SUMMARY
from xlreport.importer import prior_workbooks
from xlreport.safetext import printable
from xlreport.spec.carry import PRIOR
from xlreport.spec.model import Layout


@dataclass
class PriorSet:
    """Last year's files: the readable ones by agency code (a summary: ``summary:<county>``)."""

    by_key: dict[str, ReturnData] = field(default_factory=dict)
    files: list[CheckedFile] = field(default_factory=list)  # every file checked, in path order

    def for_agency(self, code: str) -> ReturnData | None:
        return self.by_key.get(code)

    def only(self) -> ReturnData | None:
        """The one file given (a generic template, a county's own): None unless exactly one."""
        return next(iter(self.by_key.values())) if len(self.by_key) == 1 else None

    @property
    def summaries(self) -> list[ReturnData]:
        return [d for d in self.by_key.values() if d.identity.kind == WORKBOOK_KIND_SUMMARY]


def read_prior(
    paths: Sequence[str | Path], *, year: int | None = None, workers: int | None = None
) -> PriorSet:
    """Read last year's files: returns, summaries, or published reports (imported, see
    :func:`xlreport.importer.prior_workbooks`). A file that cannot be read as a return, one
    of another year than ``year`` (when given), or two files of one agency are a usage error
    naming them."""
    out = PriorSet()
    if not paths:
        return out
    with prior_workbooks(paths) as books:  # a published report (HTML, Word, PDF, text): imported
        found = [c for c in check_paths(books, CheckOptions(), workers=workers) if not c.skipped]
    if not found:
        raise UsageError(
            "--prior 中没有找到上年的报表或汇总表",
            "请指定上年的 .xlsx 报表文件、汇总表或包含它们的文件夹",
        )
    for c in found:
        out.files.append(c)
        if c.data is None:
            why = next((f.message for f in c.report.findings), "无法读取")
            raise UsageError(
                f"--prior 给出的 {printable(c.report.path)} 无法作为上年报表读取：{why}",
                "请改用上年报送（或汇总）的原文件",
            )
        if year is not None and c.data.identity.year != year:
            raise UsageError(
                f"--prior 给出的 {printable(c.report.path)} 是 {c.data.identity.year} 年度的，"
                f"应为上一年（{year} 年度）",
                "请给出上一年度的报表或汇总表",
            )
        key = prior_key(c.data.identity)
        if key in out.by_key:
            raise UsageError(
                f"--prior 给出的 {printable(out.by_key[key].path)} 和 {printable(c.report.path)} "
                f"属于同一单位（{key}）",
                "每个单位只给一份上年报表",
            )
        out.by_key[key] = c.data
    return out


#: The note on a cell not pre-filled because a cell it comes from was blank last year.
BLANK_NOTE = "上年该栏为空白，未预填（空白不是 0）：请按实际情况填写。"


@dataclass(frozen=True)
class Carried:
    """One cell of this year's template, from last year."""

    cell: str  # cell id
    value: Decimal  # last year's value (0 when ``blank``: nothing is carried)
    fill: bool  # pre-filled (else only the note)
    note: str  # the comment on the cell
    sources: tuple[tuple[str, Decimal], ...] = ()  # last year's cells it came from, their values
    blank: tuple[str, ...] = ()  # last year's cells it came from that were blank


def carried(layout: Layout, prior: ReturnData) -> list[Carried]:
    """What ``layout``'s ``[[carry]]`` takes from ``prior`` (its inputs and recomputed
    totals); a carry whose cells last year's layout lacks is left out. A carry from a cell
    left blank last year carries nothing: blank is not 0 (only :data:`BLANK_NOTE`)."""
    out: list[Carried] = []
    known = prior.layout.cells
    for c in layout.carry:
        if any(t.cell not in known for t in c.source.terms):
            continue
        blank = tuple(
            t.cell
            for t in c.source.terms
            if t.cell not in (prior.values if known[t.cell].kind == "input" else prior.totals)
        )
        sources = tuple(
            (t.cell, prior.totals[t.cell]) for t in c.source.terms if t.cell not in blank
        )
        if blank:
            out.append(Carried(c.cell, Decimal(0), False, BLANK_NOTE, sources, blank))
            continue
        value = c.source.evaluate(prior.totals)
        out.append(Carried(c.cell, value, c.fill, c.note.replace(PRIOR, fmt(value)), sources))
    return out


__all__ = ["BLANK_NOTE", "Carried", "PriorSet", "carried", "read_prior"]
