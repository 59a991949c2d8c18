"""Issue 13: the demo county's summary printed by LibreOffice (→ PDF) is a short, readable
document: at most 12 A4 pages, page numbers "第 N 页 共 M 页" on every page, no text
smaller than 7 pt, the charts whole on a page, and every page rendered has content."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber
import pytest

from xlreport.demo import run_demo
from xlreport.merge.sheets import DETAIL_SHEET
from xlreport.spec import resolve_layout

MAX_PAGES = 12
MIN_POINTS = 7.0
A4 = (595, 842)


def to_pdf(source: Path, outdir: Path) -> Path:
    exe = shutil.which("soffice")
    assert exe is not None
    with tempfile.TemporaryDirectory(prefix="lo_profile_print_") as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=600, env={**os.environ, "HOME": profile},
        )  # fmt: skip
    pdf = outdir / (source.stem + ".pdf")
    assert pdf.is_file()
    return pdf


@pytest.mark.libreoffice
def test_the_demo_summary_prints_in_at_most_12_readable_a4_pages(tmp_path: Path) -> None:
    demo = run_demo(tmp_path / "demo")
    assert demo.merge is not None and demo.merge.outcome.summary_written
    story = demo.merge.outcome.narrative
    assert story is not None
    pdf = to_pdf(demo.merge.outcome.out, tmp_path / "pdf")
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages
        assert 1 <= len(pages) <= MAX_PAGES, len(pages)
        texts = [p.extract_text() or "" for p in pages]
        for n, (page, text) in enumerate(zip(pages, texts, strict=True), 1):
            assert sorted((round(page.width), round(page.height))) == sorted(A4), n
            # page numbers of the whole document, in order
            assert f"第 {n} 页 共 {len(pages)} 页" in text.replace("\n", " "), n
            sizes = [c["size"] for c in page.chars]
            assert sizes and min(sizes) >= MIN_POINTS, (n, min(sizes))
            # rendered, the page is not blank
            image = page.to_image(resolution=40).original.convert("L")
            dark = sum(image.histogram()[:200])
            assert dark > 500, n
        # the 概览 comes first, with the paragraph; the statutory tables' cover blocks
        first = texts[0].replace("\n", "")
        assert story.text[:20] in first
        assert sum("汇总编号" in t for t in texts) >= 3
        # no 填报说明, no hash printed
        assert not any("只在浅黄色单元格" in t for t in texts)
        shas = [f.sha256 for f in demo.merge.outcome.merged]
        assert not any(s[:16] in t.replace("\n", "") for s in shas for t in texts)
        # the charts are whole, together on one page after the 概览's tables: each chart's
        # title is a line of its own on one page only (the tables' titles say more)
        overview = resolve_layout("gov-2021").overview  # the demo's layout
        assert overview.breakdown is not None and overview.ranking is not None
        lines = [set(t.split("\n")) for t in texts]
        bar = [
            n for n, page_lines in enumerate(lines) if overview.ranking.chart_title in page_lines
        ]
        assert len(bar) == 1, bar
        assert overview.breakdown.title in lines[bar[0]]
        # … and the bar chart's value axis (its last part) is on that page too
        assert any(re.fullmatch(r"0( \d+)+", line) for line in lines[bar[0]])
        # the detail prints with its header repeated on each of its pages
        detail = [t for t in texts if "栏目" in t]
        assert len(detail) >= 2 and any(DETAIL_SHEET in t for t in detail)
