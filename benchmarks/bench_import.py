"""Benchmark: importing one published report, per document kind (ms per document).

    python benchmarks/bench_import.py [--n 30] [--no-libreoffice]

Builds the real 平潭 2022 tables (tests/data/real_reports) as a CMS HTML page, a Word
document, Word's text export and — with LibreOffice — the Word document printed to PDF
(tests/import_docs.py, the shapes real sites publish), then imports each ``--n`` times
with ``import_document`` (sniff, read, detect the layout, match every cell, find the
title) and prints the median and p95 in ms; plus the bytes-to-workbook time (import and
build the return workbook). Targets (issue 14): HTML or Word < 200 ms, PDF < 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from import_docs import cms_html, word_docx, word_text  # noqa: E402
from realdata import load_real_report, real_report_inputs, real_report_totals  # noqa: E402

from xlreport.importer import import_document, workbook_bytes  # noqa: E402
from xlreport.spec import builtin_layouts  # noqa: E402


def _time(fn: object, n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--no-libreoffice", action="store_true")
    args = ap.parse_args()
    layouts = list(builtin_layouts().values())
    lay = builtin_layouts()["gov-2021"]
    rep = load_real_report("pingtan_2022")
    values = {**real_report_inputs(rep, lay), **real_report_totals(rep, lay)}
    docs: dict[str, bytes] = {
        "html": cms_html(lay, "平潭综合实验区管委会", 2022, values).encode("utf-8"),
        "docx": word_docx(lay, "平潭综合实验区管委会", 2022, values),
        "text": word_text(lay, "平潭综合实验区管委会", 2022, values).encode("utf-8"),
    }
    # a real CMS page: the same tables inside ~300 thousand characters of page chrome
    chrome = "<style>" + ".MsoNormal{margin:0cm;font-size:10.5pt}" * 4000 + "</style>"
    nav = "<div class=nav>" + "<a href='/x'>栏目</a>" * 6000 + "</div>"
    docs["html-300k"] = docs["html"].replace(b"<body>", ("<body>" + chrome + nav).encode(), 1)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_libreoffice:
            docx = Path(tmp) / "r.docx"
            docx.write_bytes(docs["docx"])
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{tmp}/p", "--headless",
                 "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            docs["pdf"] = (Path(tmp) / "r.pdf").read_bytes()
    import_document(docs["html"], "warm", layouts)  # imports and caches warmed up
    print(f"{'kind':9} {'size':>9} {'median ms':>10} {'p95 ms':>8} {'+workbook ms':>13}")
    for kind, data in docs.items():
        got = import_document(data, kind, layouts)
        assert got.refused is None and len(got.values) == len(lay.compiled.inputs), kind
        med, p95 = _time(lambda d=data: import_document(d, "x", layouts), args.n)
        both, _ = _time(lambda d=data: workbook_bytes(import_document(d, "x", layouts)), args.n)
        print(f"{kind:9} {len(data):>9,} {med:>10.1f} {p95:>8.1f} {both:>13.1f}")


if __name__ == "__main__":
    main()
