"""What travels back from a worker for one checked file, and what the parent makes of it.

A province merge checks ~10,000 files on worker processes. Each result used to travel as
a tree of dataclasses (report, data, identity, layout reference, findings …) and stay in
the parent as such. A checked return now travels as one flat tuple of plain values: the
layout by its id and fingerprint (pickling the layout itself would cost more than
checking), the values packed (:mod:`xlreport.batch.packed`), the findings only when there
are any, the file report not at all when it says nothing the data does not (as for every
return :func:`~xlreport.checks.workbook_check.check_workbook` reads). :func:`unpack`
rebuilds the same objects, sharing the texts that repeat from return to return.

``keep`` says what a result keeps of a return's cells: "all" (everything: last year's
returns, whose totals the rules read), "check" (values packed, no recomputed totals; the
text of the input cells only for a file with warnings or errors — what annotate marks),
"merge" (values packed, nothing else of the cells, of the sign-off block only the agency
name, and that only when the identity has none). Packing keeps every number exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Literal, NamedTuple

from xlreport.batch.packed import CompactValues, Packed, pack_values
from xlreport.checks.model import CheckedFile, CheckOptions, ReturnData
from xlreport.findings import FileReport, Finding
from xlreport.identity import Identity
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout

Keep = Literal["all", "check", "merge"]

#: What the parent makes of a return's packed values (default: :class:`CompactValues`).
ValuesOf = Callable[[Layout, Packed], Mapping[str, Decimal]]

_IDENTITY_FIELDS = tuple(f.name for f in fields(Identity))
#: Identity fields whose texts repeat across a folder of returns (shared in the parent).
_SHARED_FIELDS = frozenset({"layout_id", "layout_fingerprint", "agency_type", "kind", "county"})
#: At most this many distinct repeated texts are shared (a hostile folder cannot grow it).
_SHARED_MAX = 10_000


@dataclass(frozen=True)
class _LayoutRef:
    id: str
    fingerprint: str


class _Tree(NamedTuple):
    """Any result: the objects themselves, the layout as a reference, the values packed
    apart (when they are)."""

    result: CheckedFile
    packed: Packed | None


class _Flat(NamedTuple):
    """A checked return whose report only adds findings to what its data says."""

    path: str
    sha256: str
    layout_id: str
    fingerprint: str
    identity: tuple[object, ...]  # Identity's fields, in order
    signoff: dict[str, str]
    raw_inputs: dict[str, str]
    saved_at: str
    file_mtime: float
    packed: Packed
    findings: tuple[Finding, ...]
    blank_cells: int = 0


Wire = _Tree | _Flat


def _report_derived(result: CheckedFile) -> bool:
    """The report says nothing but its findings that the data does not say."""
    rep, data = result.report, result.data
    return (
        data is not None
        and not result.skipped
        and not rep.unreadable
        and rep.path == data.path
        and rep.agency_code == data.identity.agency_code
        and rep.agency_name == data.identity.agency_name
        and rep.layout == data.layout.id
        and rep.year == data.identity.year
    )


def _signoff(data: ReturnData, keep: Keep) -> dict[str, str]:
    if keep != "merge":
        return data.signoff
    name = data.signoff.get("agency_name")
    # merging reads the sign-off's agency name only when the identity has none
    return {"agency_name": name} if name is not None and not data.identity.agency_name else {}


def pack(result: CheckedFile, keep: Keep) -> Wire:
    """``result`` as it travels to the parent (a flat result leaves ``result`` as it was;
    a tree is ``result`` itself, slimmed)."""
    data = result.data
    if data is None or keep == "all" or not _report_derived(result):
        packed = None
        if data is not None:
            if keep != "all":
                slim(result, keep)
                assert isinstance(data.values, CompactValues)
                packed, data.values = data.values.packed, {}
            data.layout = _LayoutRef(data.layout.id, data.layout.fingerprint)  # type: ignore[assignment]
        return _Tree(result, packed)
    values = data.values
    if isinstance(values, CompactValues) and values.packed_for(data.layout):
        packed = values.packed
    else:
        packed = pack_values(data.layout, values)
    raw_inputs = data.raw_inputs
    if keep == "merge" or not any(f.severity != "info" for f in result.report.findings):
        raw_inputs = {}
    ident = data.identity
    return _Flat(
        data.path,
        data.sha256,
        data.layout.id,
        data.layout.fingerprint,
        tuple(getattr(ident, name) for name in _IDENTITY_FIELDS),
        _signoff(data, keep),
        raw_inputs,
        data.saved_at,
        data.file_mtime,
        packed,
        tuple(result.report.findings),
        data.blank_cells,
    )


def slim(result: CheckedFile, keep: Keep) -> CheckedFile:
    """Drop (in place) what ``keep`` does not need, and pack the values."""
    data = result.data
    if data is None or keep == "all":
        return result
    data.totals = {}
    if keep == "merge" or not any(f.severity != "info" for f in result.report.findings):
        data.raw_inputs = {}
    data.signoff = _signoff(data, keep)
    if not isinstance(data.values, CompactValues):
        data.values = CompactValues.of(data.layout, data.values)
    return result


class Unpacker:
    """Rebuilds results in the parent; texts that repeat are kept once."""

    def __init__(self, options: CheckOptions, values_of: ValuesOf = CompactValues) -> None:
        self._wanted = options.layout
        self._values_of = values_of
        self._layouts: dict[tuple[str, str], Layout] = {}
        self._shared: dict[str, str] = {}

    def layout(self, layout_id: str, fingerprint: str) -> Layout:
        key = (layout_id, fingerprint)
        found = self._layouts.get(key)
        if found is None:
            wanted = self._wanted
            if wanted is not None and (wanted.id, wanted.fingerprint) == key:
                found = wanted
            else:
                found = builtin_layouts()[layout_id]
            self._layouts[key] = found
        return found

    def _share(self, text: str) -> str:
        shared = self._shared.get(text)
        if shared is None:
            if len(self._shared) >= _SHARED_MAX:
                return text
            shared = self._shared[text] = text
        return shared

    def __call__(self, wire: Wire) -> CheckedFile:
        if isinstance(wire, _Tree):
            result = wire.result
            data = result.data
            if data is not None and isinstance(data.layout, _LayoutRef):
                data.layout = self.layout(data.layout.id, data.layout.fingerprint)
            if data is not None and wire.packed is not None:
                data.values = self._values_of(data.layout, wire.packed)
            return result
        layout = self.layout(wire.layout_id, wire.fingerprint)
        fields_ = dict(zip(_IDENTITY_FIELDS, wire.identity, strict=True))
        for name in _SHARED_FIELDS:
            fields_[name] = self._share(fields_[name])  # type: ignore[arg-type]
        identity = Identity(**fields_)  # type: ignore[arg-type]
        data = ReturnData(
            path=wire.path,
            sha256=wire.sha256,
            layout=layout,
            identity=identity,
            values=self._values_of(layout, wire.packed),
            totals={},
            raw_inputs=wire.raw_inputs,
            signoff=wire.signoff,
            saved_at=wire.saved_at,
            file_mtime=wire.file_mtime,
            blank_cells=wire.blank_cells,
        )
        report = FileReport(
            path=wire.path,
            findings=list(wire.findings),
            agency_code=identity.agency_code,
            agency_name=identity.agency_name,
            layout=layout.id,
            year=identity.year,
        )
        return CheckedFile(report, data)


__all__ = ["Keep", "Unpacker", "ValuesOf", "Wire", "pack", "slim"]
