"""Bounds that keep reading an untrusted workbook cheap, whatever the file claims.

A real return (gov-2021, as written by xlreport, re-saved by LibreOffice or openpyxl) is
~20–25 KB on disk, 150–200 KB of XML, ~530 ``<c>`` elements in 83 rows, 1,800–2,900 XML
elements in all and ~120 shared strings, nested 6 levels deep. The defaults leave at least
two orders of magnitude of room above that, and stop a hostile file (zip bomb, entity bomb,
millions of rows, cells, elements or strings, absurd nesting) after well under a second of
work on a 2-core machine (benchmarks/bench_reader.py prints the times). Whoever reads
something bigger (a province-wide listing) passes its own ReadLimits, or selects the
sheets it needs: cells of sheets not selected are not parsed and do not count.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Every bound the reader enforces; exceeding one raises UnreadableFileError."""

    #: Size of the file on disk. A return is ~50 KB; 50 MB allows embedded pictures.
    max_file_bytes: int = 50 * MB
    #: Number of entries in the zip (central directory), checked before it is parsed.
    max_members: int = 5_000
    #: Bytes inflated from any single part that is read (sheet, shared strings, ...).
    max_part_bytes: int = 32 * MB
    #: Bytes inflated over all the parts read from one file.
    max_total_bytes: int = 96 * MB
    #: Inflated ÷ compressed bytes of one part, enforced once the part has inflated
    #: more than ``ratio_floor_bytes`` (small parts compress extremely well).
    max_ratio: int = 200
    ratio_floor_bytes: int = 1 * MB
    #: ``<c>`` elements over all the sheets read (empty styled cells included).
    max_cells: int = 50_000
    #: ``<row>`` elements over all the sheets read.
    max_rows: int = 50_000
    #: XML elements over all the parts read (bounds the work on any XML shape).
    max_elements: int = 150_000
    #: ``<si>`` entries in the shared-strings table.
    max_shared_strings: int = 50_000
    #: Characters of formula text produced by expanding shared formulas (a 20-byte
    #: ``<f t="shared" si="0"/>`` stands for its master's whole text).
    max_shared_formula_chars: int = 250_000
    #: Nesting depth of any XML part (real parts nest < 10 deep).
    max_depth: int = 64
    #: Largest 1-based row and column a cell may name (Excel's own maxima: XFD1048576).
    max_row: int = 1_048_576
    max_col: int = 16_384


DEFAULT_LIMITS = ReadLimits()
