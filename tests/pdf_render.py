"""Printing a workbook as a person would: LibreOffice → PDF, then the pages as text or images.

``soffice --convert-to pdf`` prints every visible sheet with its own page setup (paper,
orientation, scaling, repeated rows, header and footer), as File → Export as PDF does.
Each call uses its own LibreOffice profile, so tests and a running LibreOffice never meet.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2
from lo import soffice_path

TIMEOUT = 180.0


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    """``xlsx`` printed to ``out_dir/<stem>.pdf`` by LibreOffice."""
    soffice = soffice_path()
    assert soffice is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlreport-lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(xlsx),
            ],
            capture_output=True,
            timeout=TIMEOUT,
            check=True,
        )
    pdf = out_dir / (xlsx.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {xlsx}"
    return pdf


@dataclass(frozen=True)
class Page:
    text: str
    width: float  # points
    height: float
    smallest_font: float  # points, as printed (after scaling to the page)


def pages(pdf: Path) -> list[Page]:
    out: list[Page] = []
    with pdfplumber.open(pdf) as doc:
        for p in doc.pages:
            sizes = [c["size"] for c in p.chars if c["text"].strip()]
            out.append(Page(p.extract_text() or "", p.width, p.height, min(sizes, default=0.0)))
    return out


def page_image(pdf: Path, index: int, png: Path, scale: float = 1.5) -> Path:
    """Page ``index`` of ``pdf`` as a PNG image."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        doc[index].render(scale=scale).to_pil().save(png)
    finally:
        doc.close()
    return png
