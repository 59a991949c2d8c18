"""What travels back from a worker for one checked file, and what the parent makes of it.

A province merge checks ~10,000 files on worker processes. Every result travels in one
shape, :class:`WorkerResult`: plain values the parent rebuilds the same objects from — the
layout by its id and fingerprint (pickling the layout itself would cost more than
checking), the values packed (:mod:`xlreport.batch.packed`), the file report only when it
says more than the return and its findings (as every return
:func:`~xlreport.checks.workbook_check.check_workbook` reads does not). :class:`Unpacker`
rebuilds the results, sharing the texts that repeat from return to return. Packing reads
a result and never changes it.

``keep`` says what a result keeps of a return's cells: "all" (everything: last year's
returns, whose totals the rules read), "check" (no recomputed totals; the text of the
input cells only for a file with warnings or errors — what annotate marks), "merge"
(nothing of the cells but the values, of the sign-off block only the agency name, and
that only when the identity has none). Packing keeps every number exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from decimal import Decimal
from typing import Literal, NamedTuple, cast

from xlreport.batch.packed import CompactValues, Packed, packed_of
from xlreport.checks.model import EMPTY, CheckedFile, CheckOptions, ReturnData
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


class ReturnRecord(NamedTuple):
    """A checked return's data as it travels (see :class:`~xlreport.checks.model.ReturnData`)."""

    path: str
    sha256: str
    layout_id: str
    fingerprint: str
    identity: tuple[object, ...]  # Identity's fields, in order
    signoff: Mapping[str, str]
    raw_inputs: Mapping[str, str]
    totals: Mapping[str, Decimal]  # only with keep="all"
    saved_at: str
    file_mtime: float
    packed: Packed
    blank_cells: int


class WorkerResult(NamedTuple):
    """One checked file as it travels back from a worker: the one shape of every result."""

    #: None when the report says nothing but ``findings`` that the return does not say
    report: FileReport | None
    findings: tuple[Finding, ...]
    skipped: str
    ret: ReturnRecord | None  # None: the file could not be read as a return


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


def kept_signoff(data: ReturnData, keep: Keep) -> Mapping[str, str]:
    """What ``keep`` keeps of the sign-off block."""
    if keep != "merge":
        return data.signoff
    name = data.signoff.get("agency_name")
    # merging reads the sign-off's agency name only when the identity has none
    return {"agency_name": name} if name is not None and not data.identity.agency_name else {}


def kept_raw_inputs(result: CheckedFile, keep: Keep) -> Mapping[str, str]:
    """What ``keep`` keeps of the input cells' texts (annotate marks them)."""
    if result.data is None or keep == "merge":
        return {}
    if keep == "all" or any(f.severity != "info" for f in result.report.findings):
        return result.data.raw_inputs
    return {}


def pack(result: CheckedFile, keep: Keep) -> WorkerResult:
    """``result`` as it travels to the parent (``result`` itself is left as it was)."""
    data = result.data
    if data is None:
        return WorkerResult(result.report, (), result.skipped, None)
    ident = data.identity
    record = ReturnRecord(
        data.path,
        data.sha256,
        data.layout.id,
        data.layout.fingerprint,
        tuple(getattr(ident, name) for name in _IDENTITY_FIELDS),
        kept_signoff(data, keep),
        kept_raw_inputs(result, keep),
        data.totals if keep == "all" else {},
        data.saved_at,
        data.file_mtime,
        packed_of(data.layout, data.values),
        data.blank_cells,
    )
    if _report_derived(result):
        return WorkerResult(None, tuple(result.report.findings), result.skipped, record)
    return WorkerResult(result.report, (), result.skipped, record)


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

    def __call__(self, wire: WorkerResult) -> CheckedFile:
        rec = wire.ret
        if rec is None:
            assert wire.report is not None
            return CheckedFile(wire.report, None, wire.skipped)
        layout = self.layout(rec.layout_id, rec.fingerprint)
        fields_ = dict(zip(_IDENTITY_FIELDS, rec.identity, strict=True))
        for name in _SHARED_FIELDS:
            fields_[name] = self._share(cast(str, fields_[name]))
        identity = Identity(**fields_)  # type: ignore[arg-type]
        data = ReturnData(
            path=rec.path,
            sha256=rec.sha256,
            layout=layout,
            identity=identity,
            values=self._values_of(layout, rec.packed),
            totals=rec.totals or EMPTY,  # one shared empty mapping, not one per return
            raw_inputs=rec.raw_inputs or EMPTY,
            signoff=rec.signoff or EMPTY,
            saved_at=rec.saved_at,
            file_mtime=rec.file_mtime,
            blank_cells=rec.blank_cells,
        )
        report = wire.report
        if report is None:
            report = FileReport(
                path=rec.path,
                findings=list(wire.findings),
                agency_code=identity.agency_code,
                agency_name=identity.agency_name,
                layout=layout.id,
                year=identity.year,
            )
        return CheckedFile(report, data, wire.skipped)


__all__ = [
    "Keep",
    "ReturnRecord",
    "Unpacker",
    "ValuesOf",
    "WorkerResult",
    "kept_raw_inputs",
    "kept_signoff",
    "pack",
]
