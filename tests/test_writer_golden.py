"""Golden comparison: the gov-2021 generic template, part by part.

The expected package parts live in tests/golden/gov-2021-generic/; the comparison and the
update switch are those of every golden test (tests/golden_helpers.py,
tests/golden/README.md). After an intended change to the writer or the layout::

    XLREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_writer_golden.py

and review the rewritten parts with git diff.
"""

from __future__ import annotations

from golden_helpers import check_parts, xlsx_parts

from xlreport.spec import builtin_layouts
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

PASSWORD = "golden"


def test_generic_template_matches_golden() -> None:
    layout = builtin_layouts()["gov-2021"]
    data = build_workbook(
        layout, agency_identity(layout, 2024, None, county="清河县"), password=PASSWORD
    )
    check_parts("gov-2021-generic", xlsx_parts(data))
