"""The Word documents of `xlreport publish` as LibreOffice Writer reads them: converted to
PDF and to plain text (``soffice --headless --convert-to``), every label and value of the
return is there in reading order; tables 三、四 stand on landscape pages; a document
published with --force carries 未通过校验 on every page; the pages render as images.

The picture in docs/publish.md (docs/images/publish-docx.png: the page with table 三 of
the demo return) is rewritten by this test with ``XLREPORT_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from golden_helpers import updating
from lo import soffice_path
from publish_helpers import (
    LAYOUTS,
    layout_of,
    reading_order,
    trusted,
    write_demo_return,
    write_return,
    write_summary,
)

from xlreport.api.publish import PublishRequest, publish_file

pytestmark = pytest.mark.libreoffice

IMAGE = Path(__file__).resolve().parent.parent / "docs" / "images" / "publish-docx.png"
CONVERT_TIMEOUT = 240


def _convert(docs: Sequence[Path], target: str, outdir: Path) -> None:
    """One soffice run converting every document (a private profile: other LibreOffice
    sessions on the machine are not disturbed)."""
    soffice = soffice_path()
    assert soffice is not None
    with tempfile.TemporaryDirectory(prefix="xlreport-lo-profile-") as profile:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                *map(str, docs),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT,
            check=False,
        )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Path]]:
    """name → (source workbook, PDF, text) of each published document."""
    root = tmp_path_factory.mktemp("publish-lo")
    sources: dict[str, tuple[Path, bool, bool]] = {
        "demo": (write_demo_return(root / "in"), True, False)
    }
    for i, lid in enumerate(LAYOUTS):
        sources[lid] = (write_return(root / "in", lid, seed=21 + i), False, False)
    sources["summary"] = (write_summary(root, "gov-2019"), True, False)
    bad = write_return(root / "in", "gov-2021", code="A06", values={"s3.new.natural": "12件"})
    sources["forced"] = (bad, True, True)
    docs = root / "docs"
    outs = {}
    for name, (src, full, force) in sources.items():
        out = docs / f"{name}.docx"
        assert publish_file(PublishRequest(src, "docx", out=out, full=full, force=force)).written
        outs[name] = out
    pdf, txt = root / "pdf", root / "txt"
    _convert(list(outs.values()), "pdf", pdf)
    _convert(list(outs.values()), "txt:Text (encoded):UTF8", txt)
    return {n: (sources[n][0], pdf / f"{n}.pdf", txt / f"{n}.txt") for n in outs}


def _is_subsequence(want: list[str], got: list[str]) -> tuple[bool, str]:
    it = iter(got)
    for i, w in enumerate(want):
        if not any(g == w for g in it):
            return False, f"{w!r} (item {i}) not found after {want[i - 1] if i else '-'}"
    return True, ""


def _expected(src: Path) -> dict[str, list[str]]:
    data = trusted(src)
    values: dict[str, Decimal] = dict(data.totals)
    return {
        s.title: [t for t in reading_order(data.layout, s, values) if t]
        for s in layout_of(data.layout.id).sheets
    }


@pytest.mark.parametrize("name", ["demo", *LAYOUTS, "summary"])
def test_text_has_every_label_and_value_in_order(
    converted: dict[str, tuple[Path, Path, Path]], name: str
) -> None:
    src, _pdf, txt = converted[name]
    lines = [ln.strip() for ln in txt.read_text(encoding="utf-8-sig").splitlines()]
    for title, want in _expected(src).items():
        at = lines.index(title)
        got = [ln for ln in lines[at + 1 :] if ln][: len(want)]
        assert got == want, title


@pytest.mark.parametrize("name", ["demo", *LAYOUTS, "summary"])
def test_pdf_tables_have_every_label_and_value(
    converted: dict[str, tuple[Path, Path, Path]], name: str
) -> None:
    src, pdf, _txt = converted[name]
    cells: list[str] = []
    landscape_titles: set[str] = set()
    expected = _expected(src)
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            text = (page.extract_text() or "").replace(" ", "")
            for title in expected:
                if title in text and page.width > page.height:
                    landscape_titles.add(title)
            for table in page.extract_tables():
                for row in table:
                    cells += ["".join(c.split()) for c in row if c]
    want = [t.replace(" ", "") for titles in expected.values() for t in titles]
    ok, why = _is_subsequence(want, cells)
    assert ok, why
    wide = {s.title for s in layout_of(trusted(src).layout.id).sheets if s.width > 6}
    assert landscape_titles == wide


def test_forced_document_is_stamped_on_every_page(
    converted: dict[str, tuple[Path, Path, Path]],
) -> None:
    _src, pdf, _txt = converted["forced"]
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 3
        for page in doc.pages:
            top = page.crop((0, 0, page.width, page.height * 0.15)).extract_text() or ""
            assert "未通过校验" in top.replace(" ", ""), page.page_number
    _src, pdf, _txt = converted["demo"]
    with pdfplumber.open(pdf) as doc:
        assert all("未通过校验" not in (p.extract_text() or "") for p in doc.pages)


def _render(pdf: Path, page: int, out: Path) -> None:
    """One page as a PNG: pdftoppm when installed, else PDFium (pdfplumber's renderer)."""
    if shutil.which("pdftoppm"):
        stem = out.with_suffix("")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                str(page + 1),
                "-l",
                str(page + 1),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
            timeout=60,
        )
        return
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        document[page].render(scale=80 / 72).to_pil().save(out)
    finally:
        document.close()


def test_pages_render(converted: dict[str, tuple[Path, Path, Path]], tmp_path: Path) -> None:
    from PIL import Image

    _src, pdf, _txt = converted["demo"]
    with pdfplumber.open(pdf) as doc:
        page = next(
            p.page_number - 1
            for p in doc.pages
            if "三、收到和处理政府信息公开申请情况" in (p.extract_text() or "").replace(" ", "")
        )
    out = tmp_path / "page.png"
    _render(pdf, page, out)
    with Image.open(out) as im:
        assert im.width > im.height  # the landscape page of table 三
        grey = im.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > grey.width * grey.height * 0.01  # text and borders, not a blank page
    if updating():
        IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, IMAGE)
