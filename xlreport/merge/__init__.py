"""Merging returns into the county summary: which return counts, exact sums, the summary.

``merge_paths`` checks every input as ``xlreport check`` does, then (pure, in
:mod:`~xlreport.merge.select`): returns with errors, unreadable and skipped files are left
out with their reason; the layout and year are --format/--year or the most common among
the valid inputs (others are left out), the county --county or the one the returns agree
on; byte-identical files count once; two differing files of one agency (code from inside
the workbook; a generic template's return: a code derived from the normalised name typed
in it, near names joined) are a conflict — neither counts — unless ``--prefer`` names one,
and the others are then superseded with the cells that differ (no clock decides: see
:mod:`~xlreport.merge.versions`); a return with counts that look like dates is left out
unless ``--confirm`` names it (:mod:`~xlreport.merge.confirm`); a summary counts for all its contributors, and is never
mixed with an input that speaks for one of them (both are left out).

Sums are exact (Decimal, blank = 0), totals recomputed by ``Layout.compute_totals``. The
summary workbook is the layout's own locked workbook holding the sums, identity kind
"summary" with the sorted contributor codes (so summaries merge upward: county → city →
province gives the flat totals), plus 概览, 分单位明细, 报送情况 and 校验结果.

Determinism: the same inputs in any order, from any folder, give the same bytes — inputs
are ordered by file *name*, SHA-256, then path; the sheets name files by base name plus
SHA-256 (never their folder); agencies are sorted by code; document times are fixed by the
writer; the sheet password is derived from the summary's identity (a summary is
regenerated, never edited). Outputs are written atomically; inputs are only read.
"""

from xlreport.merge.model import AgencyRow, CellDiff, FileOutcome, FileStatus, MergeResult
from xlreport.merge.naming import derived_code, summary_identity
from xlreport.merge.run import merge_checked, merge_paths
from xlreport.merge.select import Selection, select_returns
from xlreport.merge.sums import merge_values, sum_inputs

__all__ = [
    "AgencyRow",
    "CellDiff",
    "FileOutcome",
    "FileStatus",
    "MergeResult",
    "Selection",
    "derived_code",
    "merge_checked",
    "merge_paths",
    "merge_values",
    "select_returns",
    "sum_inputs",
    "summary_identity",
]
