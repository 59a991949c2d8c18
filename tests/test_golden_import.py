"""Golden files of `xlreport import`: the JSON report and the workbook made from a published
report (the seed text as Word exports it, and a CMS page of a real published table)."""

from __future__ import annotations

import shutil
from pathlib import Path

from golden_helpers import check_parts, check_text, portable, xlsx_parts
from import_docs import cms_html
from realdata import load_real_report, real_report_inputs, real_report_totals

from xlreport.api.import_reports import ImportRequest, import_reports
from xlreport.spec import resolve_layout

HERE = Path(__file__).resolve().parent
SEED = HERE / "data" / "published" / "qinghe_keji_2024.txt"


def test_import_outputs(tmp_path: Path) -> None:
    inbox = tmp_path / "已发布"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    layout = resolve_layout("gov-2021")
    report = load_real_report("pingtan_2022")
    values = {**real_report_inputs(report, layout), **real_report_totals(report, layout)}
    page = cms_html(layout, "平潭综合实验区测试局", 2022, values)
    (inbox / "pingtan.html").write_text(page, encoding="utf-8")
    result = import_reports(ImportRequest(paths=[inbox], out=tmp_path / "导入"))
    assert [f.status for f in result.files] == ["imported", "imported"]
    names = portable(tmp_path, inbox)

    def shown(text: str) -> str:
        for old, new in names.items():
            text = text.replace(old, new)
        return text

    check_text("import/result.json", shown(result.to_json() + "\n"))
    for n, f in enumerate(result.files):
        book = Path(f.workbook)
        check_text(f"import/file{n}.json", shown(book.with_suffix(".json").read_text("utf-8")))
        check_parts(f"import/file{n}-workbook", xlsx_parts(book.read_bytes(), names))
