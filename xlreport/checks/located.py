"""A finding together with where it belongs in a freshly built copy of the template.

The finding's own ``sheet``/``cell`` say where the problem is in the file as received
(rows may have been inserted there); ``at`` says which cell of the template to mark when
`check --annotate` builds the copy for the agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlreport.findings import Finding

#: The first sheet of a `check --annotate` copy (known, so a corrected copy sent back
#: again is not warned about an added sheet).
ANNOTATION_SHEET = "退回修改说明"

#: (visible sheet name in the template, 0-based row, 0-based column)
TemplatePos = tuple[str, int, int]


@dataclass(frozen=True)
class Located:
    finding: Finding
    at: TemplatePos | None = None
