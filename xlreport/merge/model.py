"""What merging yields: the fate of every input file, the roster statuses and the summary."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath, PurePosixPath
from typing import Literal, Protocol, overload

from xlreport.checks.model import CheckedFile, ReturnData
from xlreport.identity import Identity, normal_name
from xlreport.merge.naming import derived_code
from xlreport.merge.narrative import NarrativeText
from xlreport.spec.model import Layout

FileStatus = Literal[
    "merged",  # counted in the summary
    "duplicate",  # byte-identical to a file that counts
    "superseded",  # another version of an agency whose preferred version (--prefer) counts
    "conflict",  # one of several differing versions of one agency, none preferred
    "error",  # the check found errors
    "mismatch",  # another layout or year than the summary's
    "overlap",  # its agencies are already counted through another input
    "unidentified",  # no agency code and no agency name inside the workbook
    "blank",  # input cells left blank, and merge was not told to count blanks as 0
    "unconfirmed",  # counts that look like dates, and merge was not told they are numbers
    "unreadable",  # not a workbook xlreport can read
    "skipped",  # not checked at all: an Excel lock file ~$…, a hidden file, not a spreadsheet
]

#: Statuses that mean "left out because something is wrong" (exit status 1).
LEFT_OUT: frozenset[FileStatus] = frozenset(
    {
        "error",
        "mismatch",
        "overlap",
        "unidentified",
        "unreadable",
        "conflict",
        "blank",
        "unconfirmed",
    }
)

#: The status of a file as the 报送情况 sheet and the terminal say it.
STATUS_TEXT: dict[FileStatus, str] = {
    "merged": "已报送",
    "duplicate": "重复文件（只计一次）",
    "superseded": "已被替换",
    "conflict": "版本冲突未汇总",
    "error": "有错误未汇总",
    "mismatch": "有错误未汇总",
    "overlap": "有错误未汇总",
    "unidentified": "有错误未汇总",
    "blank": "有空白未汇总",
    "unconfirmed": "待核实未汇总",
    "unreadable": "无法读取",
    "skipped": "未校验（跳过）",
}
STATUS_MISSING = "未报送"


class RosterAgency(Protocol):
    """One line of the roster (``xlreport.roster.Agency`` fits)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class CellDiff:
    """One input cell in which a superseded return differs from the one that counts."""

    cell_id: str
    sheet: str  # visible sheet name
    cell: str  # A1
    row_label: str
    col_label: str
    kept: str  # value in the return that counts ("" when blank)
    replaced: str  # value in the superseded return


@dataclass(slots=True)
class FileOutcome:
    """One input file and what merging did with it."""

    checked: CheckedFile
    status: FileStatus
    reason: str = ""  # why it was left out / replaced (counted: a note, e.g. 已核实…), Chinese
    instead: str = ""  # file name of the input that counts in its place
    differences: tuple[CellDiff, ...] = ()
    reason_code: str = ""  # the catalogue code of a merge refusal (version-conflict …), or ""

    @property
    def path(self) -> str:
        return self.checked.report.path

    @property
    def file_name(self) -> str:
        """The base name: what the sheets show, so that folders and order do not matter."""
        return base_name(self.path)

    @property
    def data(self) -> ReturnData | None:
        return self.checked.data

    @property
    def sha256(self) -> str:
        return self.data.sha256 if self.data else ""

    @property
    def code(self) -> str:
        return agency_key(self.data) if self.data else self.checked.report.agency_code

    @property
    def agency_name(self) -> str:
        return agency_name(self.data) if self.data else self.checked.report.agency_name

    @property
    def left_out(self) -> bool:
        return self.status in LEFT_OUT


class FileOutcomes(Sequence[FileOutcome]):
    """Every input's outcome, in file order: those decided otherwise kept as they are, the
    counted ones (most of them) made when asked for from the input and its note."""

    def __init__(
        self,
        ordered: Sequence[CheckedFile],
        decided: dict[int, FileOutcome],
        notes: dict[int, str],
    ) -> None:
        self._ordered, self._decided, self._notes = ordered, decided, notes

    def __len__(self) -> int:
        return len(self._ordered)

    def _item(self, i: int) -> FileOutcome:
        found = self._decided.get(i)
        if found is not None:
            return found
        return FileOutcome(self._ordered[i], "merged", self._notes.get(i, ""))

    @overload
    def __getitem__(self, index: int) -> FileOutcome: ...

    @overload
    def __getitem__(self, index: slice) -> list[FileOutcome]: ...

    def __getitem__(self, index: int | slice) -> FileOutcome | list[FileOutcome]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(len(self))[index]]
        return self._item(range(len(self))[index])

    def __iter__(self) -> Iterator[FileOutcome]:
        return map(self._item, range(len(self)))

    def not_counted(self) -> list[FileOutcome]:
        """The outcomes of the inputs that do not count, in file order (without going
        through the counted ones)."""
        return [self._decided[i] for i in sorted(self._decided)]

    @property
    def counted(self) -> int:
        """How many inputs count."""
        return len(self) - len(self._decided)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FileOutcomes({list(self)!r})"


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One line of the 报送情况 sheet: a file of an agency, or a roster agency without one."""

    code: str
    name: str
    status: str  # 已报送 / 未报送 / 有错误未汇总 / 已被替换 / …
    in_roster: str  # "是", "否（不在名单中）", or "" without a roster
    file_name: str = ""
    sha256: str = ""
    saved_at: str = ""
    errors: int | None = None
    warnings: int | None = None
    note: str = ""
    blanks: int | None = None  # blank input cells of the file (None: no file)


@dataclass
class MergeResult:
    """Everything ``merge_paths`` did; ``summary_written`` is False when nothing could be merged."""

    out: Path
    #: every input file, in a fixed order (made as they are asked for: 100,000 of them)
    files: FileOutcomes
    agencies: Sequence[AgencyRow]  # the 报送情况 lines (may wait in a temporary file)
    layout: Layout | None = None
    year: int | None = None
    identity: Identity | None = None  # of the summary
    values: dict[str, Decimal] = field(default_factory=dict)  # the summary's inputs and totals
    counted: Sequence[ReturnData] = ()  # sorted by agency code
    missing: list[tuple[str, str]] = field(default_factory=list)  # roster agencies not reported
    not_in_roster: list[tuple[str, str]] = field(default_factory=list)  # counted, not on roster
    roster_size: int | None = None
    export: Path | None = None
    summary_written: bool = False
    problem: str = ""  # why nothing was written
    #: With --year: the year most inputs say when it is another (--year mistyped), else None.
    year_hint: int | None = None
    year_hint_text: str = ""
    allow_missing: bool = False  # --allow-missing: a partial summary (roster agencies missing)
    #: The paragraph for the county's report (``xlreport.merge.narrative``), when the layout has one.
    narrative: NarrativeText | None = None
    summary_id: str = ""  # 汇总编号 (``xlreport.merge.document.summary_id``)
    #: With --by-type: every 单位类型 group that has returns → how many agencies it covers
    #: (the summary holds the statutory tables once more for each), else None.
    by_type: dict[str, int] | None = None

    @property
    def partial(self) -> bool:
        """Roster agencies sent nothing: the summary covers only part of the county."""
        return bool(self.missing)

    def with_status(self, *statuses: FileStatus) -> list[FileOutcome]:
        if "merged" in statuses:
            return [f for f in self.files if f.status in statuses]
        return [f for f in self.files.not_counted() if f.status in statuses]

    @property
    def merged(self) -> list[FileOutcome]:
        return self.with_status("merged")

    @property
    def merged_count(self) -> int:
        """How many inputs count (without making their outcomes)."""
        return self.files.counted

    @property
    def left_out(self) -> list[FileOutcome]:
        return [f for f in self.files.not_counted() if f.left_out]

    @property
    def exit_code(self) -> int:
        """0: every input counted (duplicates and replaced drafts are fine) and no roster
        agency missing (unless --allow-missing); 1: some left out or missing; 2: nothing
        could be merged."""
        if not self.summary_written:
            return 2
        if self.left_out or (self.missing and not self.allow_missing):
            return 1
        return 0


_POSIX = type(PurePath()) is PurePosixPath


def base_name(path: str) -> str:
    """``PurePath(path).name``, without making a path object (asked for every file, often)."""
    if _POSIX:
        name = path.rpartition("/")[2]
        if name and name != ".":  # else PurePath drops a trailing "/" or "."
            return name
    return PurePath(path).name


def agency_name(data: ReturnData) -> str:
    """The agency's name as the workbook states it (identity, else the sign-off block)."""
    return data.identity.agency_name or data.signoff.get("agency_name", "").strip()


def agency_key(data: ReturnData) -> str:
    """The agency's code as the workbook states it; a generic template's return (no code)
    gets the stable code derived from the name it typed (compared as :func:`normal_name`
    gives it: a stray space or full-width bracket is no new agency); "" when it has neither."""
    if data.identity.agency_code:
        return data.identity.agency_code
    name = normal_name(agency_name(data))
    return derived_code(name) if name else ""
