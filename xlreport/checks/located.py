"""Where findings are marked in an annotated copy.

A finding's own ``sheet``/``cell`` say where the problem is in the file as received (rows
may have been inserted there); its ``at`` (:attr:`xlreport.findings.Finding.at`, set by
``finding(..., at=...)``) says which cell of a freshly built copy of the template to mark
when `check --annotate` builds the copy for the agency.
"""

#: The first sheet of a `check --annotate` copy (known, so a corrected copy sent back
#: again is not warned about an added sheet).
ANNOTATION_SHEET = "退回修改说明"

__all__ = ["ANNOTATION_SHEET"]
