"""Plain typed objects for a statutory layout: sheets, tables, cells, totals and rules.

Everything the writer, reader, checks and merge know about a layout comes from these
objects, which :mod:`xlreport.spec.loader` builds from a data file in ``templates/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from xlreport.findings import Severity

if TYPE_CHECKING:
    from xlreport.spec.compiled import Compiled

CellKind = Literal["input", "total"]
LabelRole = Literal["title", "caption", "corner", "column", "row"]


def col_letter(c: int) -> str:
    """0-based column index to letters: 0 → A, 26 → AA."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(r: int, c: int) -> str:
    """0-based row/column to an A1 reference."""
    return f"{col_letter(c)}{r + 1}"


#: Excel keeps 15 significant digits: no bound of a value type may need more.
EXCEL_DIGITS = 15


def digits_ceiling(decimals: int) -> Decimal:
    """The largest number with ``decimals`` decimals that Excel holds exactly (15 digits)."""
    return Decimal(10) ** (EXCEL_DIGITS - decimals) - Decimal(1).scaleb(-decimals)


@dataclass(frozen=True)
class ValueType:
    """What an input cell may hold.

    ``limit``: no value of this type is larger in size (an error above it, whatever
    ``min``/``max`` say); ``plausible``: a value larger in size is possible but needs
    checking (a warning naming the bound); None: no such warning.
    """

    key: str
    kind: Literal["integer", "decimal"]
    min: Decimal | None
    max: Decimal | None
    decimals: int
    unit: str
    label: str
    limit: Decimal = field(default_factory=lambda: digits_ceiling(0))
    plausible: Decimal | None = None

    def for_summary(self) -> ValueType:
        """This type in a summary: a sum of many returns may pass one return's limit and
        plausibility bound (a province adds up millions), never what Excel holds exactly."""
        return replace(self, limit=digits_ceiling(self.decimals), plausible=None)


@dataclass(frozen=True)
class Axis:
    """A leaf row or column of a table, with its verbatim label path."""

    key: str
    path: tuple[str, ...]
    span: int = 1
    type: str | None = None


@dataclass(frozen=True)
class Label:
    """A fixed text cell of the workbook (merged when r1 != r2 or c1 != c2)."""

    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int
    text: str
    role: LabelRole
    vertical: bool = False

    @property
    def a1(self) -> str:
        return a1(self.r1, self.c1)


@dataclass(frozen=True)
class Cell:
    """A value cell, addressed as ``table.row.col``; ``c2 > c`` when it is merged across."""

    id: str
    sheet: str
    table: str
    row: str
    col: str
    r: int
    c: int
    c2: int
    kind: CellKind
    type: ValueType
    row_label: str
    col_label: str

    @property
    def a1(self) -> str:
        return a1(self.r, self.c)


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    corner: str
    type: str
    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    vertical_groups: tuple[str, ...]
    top: int  # first sheet row of the table (caption or header)
    header_rows: int
    label_cols: int
    first_data_row: int
    width: int

    @property
    def bottom(self) -> int:
        """Last sheet row of the table."""
        return self.first_data_row + len(self.rows) - 1

    def row(self, key: str) -> Axis:
        return next(a for a in self.rows if a.key == key)

    def column(self, key: str) -> Axis:
        return next(a for a in self.columns if a.key == key)


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    title: str
    landscape: bool
    tables: tuple[Table, ...]
    labels: tuple[Label, ...]
    width: int
    height: int
    repeat_rows: tuple[int, int]  # rows printed on every page (0-based, inclusive)


@dataclass(frozen=True)
class Term:
    sign: int
    cell: str
    prior: bool = False


@dataclass(frozen=True)
class Expr:
    """A signed sum of cells; ``prior`` terms read last year's return."""

    terms: tuple[Term, ...]
    source: str

    @property
    def uses_prior(self) -> bool:
        return any(t.prior for t in self.terms)

    def cells(self) -> tuple[str, ...]:
        return tuple(t.cell for t in self.terms if not t.prior)

    def evaluate(
        self, values: Mapping[str, Decimal], prior: Mapping[str, Decimal] | None = None
    ) -> Decimal:
        """Blank (missing) cells count as 0, as in the spreadsheet."""
        total = Decimal(0)
        for t in self.terms:
            src = prior if t.prior else values
            v = src.get(t.cell) if src is not None else None
            if v is not None:
                total += v if t.sign > 0 else -v
        return total


@dataclass(frozen=True)
class Total:
    cell: str
    expr: Expr


@dataclass(frozen=True)
class RuleCheck:
    """One instance of a rule: for one row or column, or the rule itself when not repeated."""

    rule: str  # family id, e.g. "H2"
    index: int  # position of the rule entry in the layout file
    name: str
    severity: Severity
    lhs: Expr
    rhs: Expr
    sheet: str
    table: str | None
    axis: Literal["row", "col"] | None
    key: str | None  # the row or column key the instance is for
    label: str  # that row's or column's label ("" when not repeated)

    @property
    def uses_prior(self) -> bool:
        return self.lhs.uses_prior or self.rhs.uses_prior

    def cells(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.lhs.cells() + self.rhs.cells():
            seen[c] = None
        return tuple(seen)


@dataclass(frozen=True)
class Figure:
    """A line of the summary's 主要数据: one cell, shown with its label."""

    label: str
    cell: str


@dataclass(frozen=True)
class Slice:
    """A part of the breakdown chart: the sum of its cells."""

    label: str
    expr: Expr


@dataclass(frozen=True)
class Breakdown:
    """The pie chart of the summary's 概览 and the block it reads (label and value columns)."""

    title: str
    header: tuple[str, str]
    slices: tuple[Slice, ...]


@dataclass(frozen=True)
class Ranking:
    """One cell of every agency counted, most first: a block (name, code, value) and a bar
    chart of its first agencies; ``chart_title_top`` (with ``{n}``) when not all are shown."""

    cell: str
    title: str
    header: tuple[str, str, str]
    chart_title: str
    chart_title_top: str


@dataclass(frozen=True)
class Overview:
    """What the summary's 概览 sheet shows of the tables: the ``[overview]`` of the layout file."""

    figures: tuple[Figure, ...] = ()
    breakdown: Breakdown | None = None
    ranking: Ranking | None = None


@dataclass(frozen=True)
class Carry:
    """Last year carried forward (``[[carry]]``): ``cell`` of a template made with
    ``template --prior`` shows ``source`` added up over last year's return of the agency;
    ``fill``: the value is pre-filled (else only said in the note). ``note``: the comment
    on the cell, ``{prior}`` standing for last year's value."""

    cell: str
    source: Expr
    fill: bool
    note: str


@dataclass(frozen=True)
class Layout:
    id: str
    version: int
    name: str
    title: str
    source: str
    fingerprint: str
    types: Mapping[str, ValueType]
    sheets: tuple[Sheet, ...]
    cells: Mapping[str, Cell]  # in sheet, row, column order
    totals: tuple[Total, ...]  # in evaluation order
    checks: tuple[RuleCheck, ...]
    overview: Overview = field(default_factory=Overview)
    carry: tuple[Carry, ...] = ()  # not part of the fingerprint: it does not shape the workbook
    _by_pos: Mapping[tuple[str, int, int], Cell] = field(default_factory=dict, repr=False)
    #: Set once by :func:`xlreport.spec.compiled.compile_into` (the loader's last step);
    #: a copy made with ``dataclasses.replace`` starts without it, as its facts may differ.
    _compiled: Compiled | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def compiled(self) -> Compiled:
        """What is derived from this layout once (:mod:`xlreport.spec.compiled`)."""
        if self._compiled is None:
            raise RuntimeError(f"布局 {self.id} 尚未编译：请用 load_layout 读取布局")
        return self._compiled

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets if s.key == key)

    def inputs(self) -> Iterator[Cell]:
        return (c for c in self.cells.values() if c.kind == "input")

    def total_cells(self) -> Iterator[Cell]:
        return (c for c in self.cells.values() if c.kind == "total")

    def total_of(self, cell_id: str) -> Total | None:
        """The total that fills ``cell_id`` (None for an input or an unknown id)."""
        return self.compiled.total_by_cell.get(cell_id)

    def cell_at(self, sheet: str, r: int, c: int) -> Cell | None:
        return self._by_pos.get((sheet, r, c))

    def compute_totals(self, inputs: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """Inputs plus every total recomputed from them (blank inputs count as 0)."""
        values = dict(inputs)
        for t in self.totals:
            values[t.cell] = t.expr.evaluate(values)
        return values
