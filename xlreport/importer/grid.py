"""What every document reader hands on: paragraphs and tables of cells with their spans.

A published report reaches the importer as HTML, Word, PDF or text; each reader turns it
into a :class:`Document` — the text before and between the tables (the title, the
section headings) and the tables as rows of :class:`GCell`. ``geometric`` says whether the
cells stand in their true columns (HTML, Word and PDF know the spans; text extracted from
Word does not: there a row is just its cells in order).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GCell:
    """One cell as published: its text (lines joined by ``\\n``) and its spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class GRow:
    """A row of cells; ``xs`` is each cell's first column when the grid is geometric."""

    cells: tuple[GCell, ...]
    xs: tuple[int, ...] = ()


@dataclass
class GTable:
    rows: list[GRow] = field(default_factory=list)
    geometric: bool = True


@dataclass
class Document:
    """A published report: its kind, paragraphs (in order) and tables (in order)."""

    kind: str  # html | docx | pdf | text
    paragraphs: list[str] = field(default_factory=list)
    tables: list[GTable] = field(default_factory=list)
    title_hint: str = ""  # <title> of a page, the file's title property


def place(rows: list[list[GCell]]) -> GTable:
    """Rows of cells with spans → the same rows with each cell's true first column
    (a cell covered by a row span above is skipped over, as a browser lays it out)."""
    taken: dict[tuple[int, int], bool] = {}
    out: list[GRow] = []
    for r, cells in enumerate(rows):
        x = 0
        xs: list[int] = []
        for cell in cells:
            while taken.get((r, x)):
                x += 1
            xs.append(x)
            for dr in range(max(cell.rowspan, 1)):
                for dc in range(max(cell.colspan, 1)):
                    taken[(r + dr, x + dc)] = True
            x += max(cell.colspan, 1)
        out.append(GRow(tuple(cells), tuple(xs)))
    return GTable(out, geometric=True)
