"""What checking one file yields, for the terminal, JSON, annotate and merge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xlreport.findings import FileReport
from xlreport.identity import Identity
from xlreport.spec.model import Layout

#: An empty mapping shared by every return that has nothing in a field (a merge of
#: 100,000 returns read from a campaign's ledger: not three empty dicts each). Typed
#: read-only; never changed.
EMPTY: Mapping[str, Any] = {}


@dataclass(slots=True)
class ReturnData:
    """The trusted content of a return (or summary) after checking.

    ``values`` holds every input cell that holds a valid number (blank cells are absent:
    they count as 0); ``raw_inputs`` holds what was found in every non-blank input cell as
    text, valid or not (for annotate); ``totals`` is inputs plus every total recomputed.
    """

    path: str
    sha256: str
    layout: Layout
    identity: Identity
    values: Mapping[str, Decimal]  # a dict, or packed (xlreport.batch.packed)
    totals: Mapping[str, Decimal]
    raw_inputs: Mapping[str, str] = field(default_factory=dict)
    signoff: Mapping[str, str] = field(default_factory=dict)
    saved_at: str = ""  # the workbook's own saved time (docProps/core.xml modified), ISO text
    file_mtime: float = 0.0
    blank_cells: int = 0  # input cells left blank (absent from ``values``)


@dataclass
class CheckOptions:
    """What `xlreport check` and `xlreport merge` were told."""

    layout: Layout | None = None  # None: recognise any shipped layout from the workbook identity
    year: int | None = None
    roster_codes: Mapping[str, str] | None = None  # agency code → name, when --roster is given
    prior: Mapping[str, ReturnData] = field(default_factory=dict)  # agency code → last year's
    county: str | None = None  # the county (县/区) the returns must be for, when given (--county)
    #: merge: count a return with blank input cells, the blanks as 0 (else it is left out)
    blank_as_zero: bool = False


@dataclass(slots=True)
class CheckedFile:
    report: FileReport
    data: ReturnData | None  # None when the file could not be read as a return
    #: Why the file was not checked at all (an Excel lock file ``~$…``, a hidden file, not a
    #: spreadsheet); "" for every checked file. A skipped file has ``data`` None but is not
    #: unreadable.
    skipped: str = ""
