"""The campaign's summary from the ledger: the approved files rebuilt from what was recorded
when they were ingested (no file is read again), merged by :func:`xlreport.merge.run.merge_checked`
as ``xlreport merge`` merges them, and the manifest of the versions that went in."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from xlreport.batch.spill import IN_MEMORY, SpilledList, SpilledValues, ValueSpill
from xlreport.campaign.documents import DocSheet, DocTable, Document, document_bytes
from xlreport.campaign.receipts import local_time
from xlreport.checks.model import EMPTY, CheckedFile, CheckOptions, ReturnData
from xlreport.findings import FileReport, Finding
from xlreport.ledger import Campaign
from xlreport.ledger.queries import findings_of_files, identity_from_json, packed_from_row
from xlreport.mapped_view import MappedView
from xlreport.merge import MergeResult
from xlreport.merge.run import merge_checked

# --- merge from the ledger -------------------------------------------------------------


#: Files rebuilt per statement of findings while merging from the ledger.
_MERGE_CHUNK = 256
#: Up to this many files rebuilt from the ledger stay in memory as objects while merging
#: (a county's few thousand are read several times: ~1.3 KB each); more (a province's
#: 100,000) wait in a temporary file and are made again each time they are read.
MERGE_IN_MEMORY = IN_MEMORY
_GIVEN = "xlreport_merge_given"  # temporary tables of this connection
_ORDERED = "xlreport_merge_ordered"


def checked_from_ledger(
    conn: sqlite3.Connection,
    camp: Campaign,
    shas: Iterable[str],
    spill: ValueSpill,
    *,
    keep: int = MERGE_IN_MEMORY,
) -> SpilledList[CheckedFile]:
    """The files ``shas`` as merging sees checked files, rebuilt from what the ledger
    recorded when they were ingested (their findings, identity, sign-off and exact
    values): no file is read again. ``conn``: a :meth:`~xlreport.ledger.Campaign.snapshot`
    of ``camp``'s ledger (its temporary tables go with it). Each is shown under its stored
    path, as ``xlreport merge`` over the store would show it, and they come in the order
    of those paths (the ledger sorts the stored paths as UTF-8 bytes: the order of their
    characters, as Python sorts them); the values are kept in ``spill``'s temporary file,
    as ``xlreport merge`` keeps them (a province's returns stay small). Up to ``keep``
    files are kept in memory, more in a temporary file (:class:`SpilledList`)."""
    if not conn.in_transaction:  # each statement would read the ledger at another moment
        raise RuntimeError("checked_from_ledger outside a snapshot")
    for table in (_GIVEN, _ORDERED):
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute(f"CREATE TEMP TABLE {_GIVEN} (sha256 TEXT NOT NULL)")
    conn.executemany(f"INSERT INTO {_GIVEN} VALUES (?)", ((sha,) for sha in shas))
    # sorted once by path (the hashes only), then read in that order with the values
    conn.execute(
        f"CREATE TEMP TABLE {_ORDERED} AS SELECT g.sha256 FROM {_GIVEN} g"
        " JOIN files f ON f.sha256 = g.sha256 ORDER BY f.stored_path, g.rowid"
    )
    codec = _RecordCodec(camp, spill)
    out: SpilledList[CheckedFile] = SpilledList(keep=keep, encode=codec.encode, decode=codec.decode)
    with closing(
        conn.execute(
            "SELECT f.sha256, f.stored_path, f.agency_code, f.agency_name, f.layout_id, f.year,"
            " f.signoff, f.saved_at, f.blank_cells, f.identity, v.layout_fingerprint, v.packed"
            f" FROM {_ORDERED} o JOIN files f ON f.sha256 = o.sha256"
            ' LEFT JOIN "values" v ON v.sha256 = f.sha256 ORDER BY o.rowid'
        )
    ) as rows:
        while part := rows.fetchmany(_MERGE_CHUNK):
            findings = findings_of_files(conn, [r[0] for r in part])
            out.extend(_checked_file(camp, r, findings[r[0]], spill) for r in part)
    return out


class _RecordCodec:
    """A file rebuilt from the ledger as it waits in a :class:`SpilledList`: its report and
    identity as they are, its values by their place in the spill, the layout left out."""

    def __init__(self, camp: Campaign, spill: ValueSpill) -> None:
        self.layout, self.spill = camp.layout, spill

    @staticmethod
    def encode(cf: CheckedFile) -> tuple[Any, ...]:
        r, d = cf.report, cf.data
        head = (r.path, r.findings, r.agency_code, r.agency_name, r.layout, r.year)
        if d is None:
            return head
        assert isinstance(d.values, SpilledValues)
        return (*head, d.sha256, d.identity, d.values.offset, d.signoff, d.saved_at, d.blank_cells)

    def decode(self, record: tuple[Any, ...]) -> CheckedFile:
        path, findings, code, name, layout_id, year = record[:6]
        report = FileReport(path, findings, code, name, layout_id, year)
        if len(record) == 6:
            return CheckedFile(report, None)
        sha256, identity, offset, signoff, saved_at, blanks = record[6:]
        values = self.spill.at(self.layout, offset)
        data = ReturnData(
            path,
            sha256,
            self.layout,
            identity,
            values,
            EMPTY,
            EMPTY,
            signoff,
            saved_at,
            0.0,
            blanks,
        )
        return CheckedFile(report, data)


def _checked_file(
    camp: Campaign, row: tuple[Any, ...], findings: list[Finding], spill: ValueSpill
) -> CheckedFile:
    sha256, stored, code, name, layout_id, year, signoff_json, saved_at, blanks = row[:9]
    path = str(camp.dir / stored)
    findings = [replace(f, file=path) for f in findings]
    identity = identity_from_json(row[9])
    if identity is not None:  # one text each for the code and name (100,000 files)
        code = identity.agency_code if identity.agency_code == code else code
        name = identity.agency_name if identity.agency_name == name else name
    report = FileReport(path, findings, code, name, sys.intern(layout_id), year)
    packed = packed_from_row(camp.layout, row[10], row[11])
    if identity is None or packed is None:
        return CheckedFile(report, None)
    values = spill.values(camp.layout, packed)
    signoff = json.loads(signoff_json)
    # merging reads the sign-off's agency name only when the identity has none
    kept = {"agency_name": signoff["agency_name"]} if (
        "agency_name" in signoff and not identity.agency_name
    ) else EMPTY  # fmt: skip
    data = ReturnData(
        path, sha256, camp.layout, identity, values, EMPTY, EMPTY, kept, saved_at, 0.0, int(blanks)
    )
    return CheckedFile(report, data)


def merge_from_ledger(
    camp: Campaign,
    conn: sqlite3.Connection,
    shas: Iterable[str],
    out: Path,
    *,
    allow_missing: bool,
    keep: int = MERGE_IN_MEMORY,
) -> MergeResult:
    """The summary of the files ``shas`` from their recorded values, as ``xlreport merge``
    over the stored files makes it (the campaign's roster, layout, year and county), all
    read from the snapshot ``conn`` (:meth:`~xlreport.ledger.Campaign.snapshot`): the
    roster and the files of one moment. ``keep``: as :func:`checked_from_ledger`."""
    info = camp.info
    options = CheckOptions(layout=camp.layout, year=info.year, county=info.county or None)
    spill = ValueSpill()  # the values wait in a temporary file, as xlreport merge keeps them
    checked = checked_from_ledger(conn, camp, shas, spill, keep=keep)  # in their paths' order
    # the agencies on the roster, in roster order: a dict, as the summary asks for every
    # file's code several times
    roster = {
        code: name
        for code, name in conn.execute(
            "SELECT code, name FROM agencies WHERE withdrawn = 0 ORDER BY seq, code"
        )
    }
    conn.execute("COMMIT")  # all read: the summary is written without holding the snapshot
    return merge_checked(
        checked, out, options, roster=roster, name=info.county, allow_missing=allow_missing
    )


# --- merge manifest ---------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestRow:
    agency_code: str
    agency_name: str
    version_id: int
    round: int
    sha256: str
    received_at: str
    state: str
    file_name: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _manifest_cells(r: ManifestRow) -> tuple[str, ...]:
    when = local_time(r.received_at).strftime("%Y-%m-%d %H:%M:%S")
    return (r.agency_code, r.agency_name, str(r.round), when, r.state, r.file_name, r.sha256)


_MANIFEST_HEADINGS = ("单位编码", "单位名称", "轮次", "收到时间", "状态", "文件名", "SHA-256")
_MANIFEST_WIDTHS = (10, 30, 6, 20, 8, 30, 66)


def manifest_bytes(
    title: str,
    rows: Sequence[ManifestRow],
    when: str,
    summary: str,
    left_out: Sequence[ManifestRow] = (),
) -> bytes:
    """The summary's manifest: which version (sha256) of each agency went in; then the
    approved versions the summary left out (``left_out``, their ``state`` saying why)."""
    tables = [
        DocTable(
            "",
            _MANIFEST_HEADINGS,
            MappedView(rows, _manifest_cells),  # made row by row (rows may be a SpilledList)
            _MANIFEST_WIDTHS,
            autofilter=True,
        )
    ]
    fields = [("汇总表", summary), ("单位数", str(len(rows)))]
    if left_out:
        tables.append(
            DocTable(
                "已通过但未计入汇总的版本（原因见“状态”；改正后重新审核、汇总）",
                _MANIFEST_HEADINGS,
                MappedView(left_out, _manifest_cells),
                (*_MANIFEST_WIDTHS[:4], 40, *_MANIFEST_WIDTHS[5:]),
            )
        )
        fields.append(("已通过未计入", str(len(left_out))))
    sheet = DocSheet(
        "汇总清单",
        f"{title}\n汇总所用版本清单",
        fields=tuple(fields),
        tables=tuple(tables),
        landscape=True,
    )
    return document_bytes(Document(f"{title} 汇总清单", [sheet], local_time(when), title))


__all__ = ["ManifestRow", "checked_from_ledger", "manifest_bytes", "merge_from_ledger"]
