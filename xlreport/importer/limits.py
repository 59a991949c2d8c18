"""Bounds that keep importing an untrusted document cheap, whatever it claims.

A published report is 4–7 thousand characters of text; the HTML page carrying it is
200–350 thousand characters, the Word file 30–200 KB, the PDF 100 KB–2 MB over 5–15
pages. The defaults leave more than an order of magnitude of room above that.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportLimits:
    #: Size of the file on disk (any kind).
    max_file_bytes: int = 20 * MB
    #: Characters of an HTML page or a text file once decoded.
    max_chars: int = 8_000_000
    #: Tags of an HTML page / elements of a Word document.
    max_elements: int = 400_000
    #: Nesting depth of HTML or Word XML.
    max_depth: int = 200
    #: Table cells over the whole document.
    max_cells: int = 20_000
    #: Inflated bytes of word/document.xml.
    max_docx_xml_bytes: int = 32 * MB
    #: Pages of a PDF that are read.
    max_pdf_pages: int = 60
    #: Characters of text a PDF page may carry.
    max_pdf_page_chars: int = 200_000


DEFAULT_IMPORT_LIMITS = ImportLimits()
