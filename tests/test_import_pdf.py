"""``xlreport import`` of PDFs with a text layer: Word documents printed to PDF by LibreOffice
(as agencies publish them), and PDFs that are too big or have no text."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from import_docs import word_docx
from realdata import load_real_report, real_report_inputs, real_report_totals

from xlreport.importer import import_document
from xlreport.spec import builtin_layouts

LAYOUTS = list(builtin_layouts().values())


def _pdf_pages(n: int, text: bool) -> bytes:
    """A minimal PDF of ``n`` pages, each with one line of text (or none)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = 3
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for _ in range(n):
        content = b"BT /F1 12 Tf 72 720 Td (page) Tj ET" if text else b""
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        c = len(objs)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (c, font)
        )
        kids.append(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        n,
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_a_pdf_of_too_many_pages_is_refused() -> None:
    got = import_document(_pdf_pages(61, text=True), "x.pdf", LAYOUTS)
    assert got.refused is not None and got.refused.code == "import-too-large"


def test_a_pdf_without_text_is_refused() -> None:
    got = import_document(_pdf_pages(2, text=False), "x.pdf", LAYOUTS)
    assert got.refused is not None and got.refused.code == "import-pdf-no-text"


def test_a_pdf_with_text_but_no_tables_is_refused() -> None:
    got = import_document(_pdf_pages(2, text=True), "x.pdf", LAYOUTS)
    assert got.refused is not None and got.refused.code == "import-no-tables"


def _to_pdf(docx: Path, tmp: Path) -> Path:
    profile = tmp / "profile"
    subprocess.run(
        [
            os.environ.get("XLREPORT_SOFFICE", "soffice"),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return docx.with_suffix(".pdf")


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["pingtan_2022", "suqian_city_2023"])
def test_word_printed_to_pdf_imports_exactly(name: str, tmp_path: Path) -> None:
    lay = builtin_layouts()["gov-2021"]
    rep = load_real_report(name)
    values: dict[str, Decimal | None] = {
        **real_report_inputs(rep, lay),
        **real_report_totals(rep, lay),
    }
    docx = tmp_path / f"{name}.docx"
    docx.write_bytes(word_docx(lay, "宿迁市人民政府", 2023, values))
    pdf = _to_pdf(docx, tmp_path)
    got = import_document(pdf.read_bytes(), str(pdf), LAYOUTS)
    assert got.refused is None and got.kind == "pdf" and got.layout is lay
    assert (got.agency, got.year) == ("宿迁市人民政府", 2023)
    want = real_report_inputs(rep, lay)
    assert {k: got.values.get(k) for k in want} == want
    # a label cut by the page break is matched and said so, never a lost row
    assert not [i for i in got.issues if i.code in ("import-row-missing", "import-row-unknown")]
