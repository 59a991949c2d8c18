"""Round trip, as a property: publish (Word and HTML) → import gives back exactly the
values, for every layout and random valid values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlreport.api.publish import PublishRequest, publish_file
from xlreport.importer import import_document
from xlreport.roster import Agency
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Cell
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

LAYOUTS = list(builtin_layouts().values())


def _value(cell: Cell) -> st.SearchStrategy[Decimal]:
    t = cell.type
    lo = int(t.min) if t.min is not None else -99_999
    if t.kind == "integer":
        return st.integers(min_value=lo, max_value=9_999_999).map(Decimal)
    scale = 10**t.decimals
    return st.integers(min_value=lo * scale, max_value=99_999_999 * scale).map(
        lambda n: (Decimal(n) / scale).normalize() if n else Decimal(0)
    )


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, dict[str, Decimal]]:
    lay = draw(st.sampled_from(LAYOUTS))
    values = {c.id: draw(_value(c)) for c in lay.compiled.inputs}
    return lay.id, values


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=_case(), to=st.sampled_from(["docx", "html"]))
def test_published_values_import_back_exactly(
    case: tuple[str, dict[str, Decimal]], to: str, tmp_path: Path
) -> None:
    lid, values = case
    lay = builtin_layouts()[lid]
    ident = agency_identity(lay, 2024, Agency("001", "清河县发展和改革局", "部门"))
    src = tmp_path / f"{lid}.xlsx"
    src.write_bytes(build_workbook(lay, ident, password="x", values=dict(values)))
    out = tmp_path / f"{lid}-{len(list(tmp_path.iterdir()))}.{to}"
    res = publish_file(PublishRequest(path=src, to=to, out=out, full=True, force=True))
    assert res.written, res.findings
    got = import_document(out.read_bytes(), str(out), LAYOUTS)
    assert got.refused is None, got.refused
    assert got.layout is lay and (got.agency, got.year) == ("清河县发展和改革局", 2024)
    assert got.values == values
    assert not [i for i in got.issues if i.code not in ("import-variant",)]
