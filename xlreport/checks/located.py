"""Findings placed where they belong in a freshly built copy of the template.

A finding's own ``sheet``/``cell`` say where the problem is in the file as received (rows
may have been inserted there); its ``at`` (:attr:`xlreport.findings.Finding.at`) says which
cell of the template to mark when `check --annotate` builds the copy for the agency.
"""

from __future__ import annotations

from dataclasses import replace

from xlreport.findings import Finding, TemplatePos

#: The first sheet of a `check --annotate` copy (known, so a corrected copy sent back
#: again is not warned about an added sheet).
ANNOTATION_SHEET = "退回修改说明"


def located(f: Finding, at: TemplatePos | None = None) -> Finding:
    """``f`` marked at ``at`` in the template copy (``f`` itself when ``at`` is None)."""
    return f if at is None else replace(f, at=at)


__all__ = ["ANNOTATION_SHEET", "TemplatePos", "located"]
