"""Property: whatever valid values a return holds, the published HTML page and Word
document read back give exactly those values (and every total) at their positions."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import docx
from hypothesis import given, settings
from hypothesis import strategies as st
from merge_helpers import checked, valid_values
from publish_helpers import LAYOUTS, as_number, expected_positions, layout_of, parse_page

from xlreport.publish.content import content_of
from xlreport.publish.docx_writer import render_docx
from xlreport.publish.html_writer import render_html


@settings(max_examples=30, deadline=None)
@given(
    layout_id=st.sampled_from(LAYOUTS),
    seed=st.integers(0, 2**32),
    blanks=st.sampled_from([0.0, 0.3]),
    full=st.booleans(),
)
def test_values_read_back(layout_id: str, seed: int, blanks: float, full: bool) -> None:
    layout = layout_of(layout_id)
    values = valid_values(layout, random.Random(seed), blanks=blanks)
    data = checked(layout, "A01", values).data
    assert data is not None
    content = content_of(data, errors=0, stamped=False)
    totals = layout.compute_totals(values)
    page = parse_page(render_html(content, full=full))
    document = docx.Document(io.BytesIO(render_docx(content, full=full)))
    for sheet, table, word in zip(layout.sheets, page.tables, document.tables, strict=True):
        got = table.positions()
        cells = word._cells
        for (r, c), exp in expected_positions(layout, sheet).items():
            if exp.kind != "value":
                continue
            want = totals.get(exp.cell_id, Decimal(0))
            assert as_number(got[(r, c)].text) == want, exp.cell_id
            assert as_number(cells[r * sheet.width + c].text) == want, exp.cell_id
