"""Filled returns and summaries to publish, for the `xlreport publish` tests.

Returns are written by the project's writer with values that satisfy every hard rule
(merge_helpers.valid_values), or with the bundled demo figures (samples/); summaries are
written by the real merge of two such returns. Also: reading a published document back
into positions (HTML tables with their spans) and the layout's own expectation of what
every position holds — from the layout's labels and cells, not from xlreport.publish.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from check_helpers import build, ident
from merge_helpers import valid_values

from xlreport.batch import check_file
from xlreport.checks.model import CheckOptions, ReturnData
from xlreport.demo import COUNTY, YEAR, load_sample_values, samples_dir
from xlreport.merge import merge_paths
from xlreport.roster import load_roster
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout, Sheet
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

LAYOUTS = ("gov-2021", "gov-2019", "qinghe-2024")
DEMO_AGENCY = "QH001"


def layout_of(layout_id: str) -> Layout:
    return builtin_layouts()[layout_id]


def write_return(
    folder: Path,
    layout_id: str,
    *,
    seed: int = 1,
    code: str = "A01",
    name: str = "县测试局",
    values: dict[str, Decimal | str] | None = None,
) -> Path:
    layout = layout_of(layout_id)
    folder.mkdir(parents=True, exist_ok=True)
    vals: dict[str, Decimal | str] = (
        dict(valid_values(layout, random.Random(seed))) if values is None else values
    )
    path = folder / f"{layout_id}-{code}.xlsx"
    path.write_bytes(build(layout, vals, ident(layout, code=code, name=name)))
    return path


def write_summary(folder: Path, layout_id: str) -> Path:
    inbox = folder / f"inbox-{layout_id}"
    write_return(inbox, layout_id, seed=2, code="A01", name="县甲局")
    write_return(inbox, layout_id, seed=3, code="A02", name="县乙局")
    out = folder / f"{layout_id}-汇总.xlsx"
    result = merge_paths([inbox], out, CheckOptions(), name="测试县")
    assert result.summary_written, result
    return out


def write_demo_return(folder: Path) -> Path:
    """The demo's 清河县人民政府办公室 return (its figures in samples/), as the demo fills it."""
    layout = layout_of("gov-2021")
    agency = next(a for a in load_roster(samples_dir() / "roster.csv") if a.code == DEMO_AGENCY)
    figures = load_sample_values(samples_dir() / "sample_values_2024.csv")[DEMO_AGENCY]
    identity = agency_identity(layout, YEAR, agency, county=COUNTY)
    signoff = {"filler": "张三", "phone": "0310-6602123", "head": "李四", "date": "2025年1月2日"}
    data = build_workbook(layout, identity, password="demo", values=dict(figures), signoff=signoff)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{DEMO_AGENCY}.xlsx"
    path.write_bytes(data)
    return path


def trusted(path: Path) -> ReturnData:
    checked = check_file(path, CheckOptions())
    assert checked.data is not None
    return checked.data


def errors_of(path: Path) -> int:
    return len(check_file(path, CheckOptions()).report.errors)


# --- what the layout says each position holds ------------------------------------------


@dataclass(frozen=True)
class Expected:
    text: str
    rowspan: int
    colspan: int
    kind: str  # "label" or "value"
    cell_id: str = ""
    vertical: bool = False
    role: str = ""  # a label's role in the layout (row, column, corner, caption)


def sheet_top(sheet: Sheet) -> int:
    return min(t.top for t in sheet.tables)


def expected_positions(layout: Layout, sheet: Sheet) -> dict[tuple[int, int], Expected]:
    """(row, column) within the printed table → what starts there: every label (but the
    sheet's title) with its merge, every value cell (its id; the value is compared as a
    number)."""
    top = sheet_top(sheet)
    out: dict[tuple[int, int], Expected] = {}
    for lb in sheet.labels:
        if lb.role == "title":
            continue
        out[(lb.r1 - top, lb.c1)] = Expected(
            lb.text,
            lb.r2 - lb.r1 + 1,
            lb.c2 - lb.c1 + 1,
            "label",
            vertical=lb.vertical,
            role=lb.role,
        )
    for cell in layout.cells.values():
        if cell.sheet == sheet.key:
            out[(cell.r - top, cell.c)] = Expected("", 1, cell.c2 - cell.c + 1, "value", cell.id)
    return out


def reading_order(layout: Layout, sheet: Sheet, values: dict[str, Decimal]) -> list[str]:
    """Every label and value of a sheet's table in reading order (row by row)."""
    pos = expected_positions(layout, sheet)
    out = []
    for key in sorted(pos):
        e = pos[key]
        out.append(e.text if e.kind == "label" else number_text(values.get(e.cell_id)))
    return out


def number_text(value: Decimal | None) -> str:
    """How a value must read: 0 for blank, no exponent, no trailing zeros."""
    if value is None or value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def as_number(text: str) -> Decimal:
    return Decimal(text.strip())


# --- HTML read back -----------------------------------------------------------------------


@dataclass
class HtmlCell:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", "1"))

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", "1"))


@dataclass
class HtmlTable:
    caption: str = ""
    rows: list[list[HtmlCell]] = field(default_factory=list)
    head_rows: int = 0
    in_head: bool = False

    def positions(self) -> dict[tuple[int, int], HtmlCell]:
        """The HTML table model: each cell at the first free position of its row."""
        taken: set[tuple[int, int]] = set()
        out: dict[tuple[int, int], HtmlCell] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out[(r, c)] = cell
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return out


class PageParser(HTMLParser):
    """Tables (caption, rows, cells with attributes and text), headings, every tag and
    attribute seen (to look for scripts and external references), text outside tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[HtmlTable] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[tuple[str, str]] = []
        self.paragraphs: list[str] = []
        self.title = ""
        self._cell: HtmlCell | None = None
        self._caption = False
        self._heading: str | None = None
        self._para: list[str] | None = None
        self._in_title = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "table":
            self.tables.append(HtmlTable())
        elif tag == "thead":
            self.tables[-1].in_head = True
        elif tag == "tbody":
            self.tables[-1].in_head = False
        elif tag == "tr":
            self.tables[-1].rows.append([])
            if self.tables[-1].in_head:
                self.tables[-1].head_rows += 1
        elif tag in ("td", "th"):
            self._cell = HtmlCell(tag, a)
            self.tables[-1].rows[-1].append(self._cell)
        elif tag == "caption":
            self._caption = True
        elif tag in ("h1", "h2"):
            self._heading = tag
            self._text = []
        elif tag == "p":
            self._para = []
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "caption":
            self._caption = False
        elif tag in ("h1", "h2") and self._heading:
            self.headings.append((tag, "".join(self._text)))
            self._heading = None
        elif tag == "p" and self._para is not None:
            self.paragraphs.append("".join(self._para))
            self._para = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        elif self._caption:
            self.tables[-1].caption += data
        elif self._heading:
            self._text.append(data)
        elif self._para is not None:
            self._para.append(data)
        elif self._in_title:
            self.title += data


def parse_page(data: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser
