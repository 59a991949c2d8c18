"""One published report in, one :class:`ImportOutcome` out: sniff, read, detect the
layout, match the cells, find the agency and year."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlreport.codes import FindingCode
from xlreport.identity import normal_name
from xlreport.importer.grid import Document
from xlreport.importer.issues import ImportIssue, ImportRefused
from xlreport.importer.limits import DEFAULT_IMPORT_LIMITS, ImportLimits
from xlreport.importer.match import detect, extract, statutory_texts
from xlreport.importer.sniff import decode_text, sniff
from xlreport.importer.title import find_title
from xlreport.spec.compiled import add_up
from xlreport.spec.model import Layout


@dataclass
class ImportOutcome:
    """What importing one document gave: the layout and variant found, the agency and
    year, the values (blank cells absent), every issue; ``refused`` when nothing could be
    imported."""

    path: str
    kind: str = ""
    layout: Layout | None = None
    variant: str = ""
    agency: str = ""
    year: int | None = None
    values: dict[str, Decimal] = field(default_factory=dict)
    published_totals: dict[str, Decimal] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)
    refused: ImportRefused | None = None

    @property
    def agency_code(self) -> str:
        """A stable code for the agency name (normalised): the same agency gets the same
        code every year, so that this year's import is checked against last year's."""
        return "N" + hashlib.sha256(normal_name(self.agency).encode("utf-8")).hexdigest()[:10]

    @property
    def blank_cells(self) -> list[str]:
        return [i.cell for i in self.issues if i.code == "import-blank"]


def read_document(data: bytes, limits: ImportLimits = DEFAULT_IMPORT_LIMITS) -> Document:
    """The paragraphs and tables of a document of any supported kind."""
    if len(data) > limits.max_file_bytes:
        raise ImportRefused(
            "import-too-large",
            f"文件有 {len(data) // 1024} KB，超过上限 {limits.max_file_bytes // 1024} KB",
            "一份年度报告远小于此；请确认文件无误",
        )
    if not data.strip():
        raise ImportRefused("import-unknown-kind", "文件是空的", "请重新下载原文件")
    kind = sniff(data)
    if kind == "pdf":
        from xlreport.importer.read_pdf import read_pdf

        return read_pdf(data, limits)
    if kind == "docx":
        from xlreport.importer.read_docx import read_docx

        return read_docx(data, limits)
    text = decode_text(data)
    if text is None:
        raise ImportRefused(
            "import-unknown-kind", "文件的文字编码无法识别（不是 UTF-8 或 GB18030）"
        )
    if kind == "html":
        from xlreport.importer.read_html import read_html

        return read_html(text, limits)
    from xlreport.importer.read_text import read_text

    return read_text(text, limits)


def _choose(doc: Document, layouts: Sequence[Layout], format_id: str | None) -> tuple[Layout, str]:
    ranked = detect(doc, layouts)
    if not ranked or ranked[0].matched < 10:
        if not any(t.rows for t in doc.tables) or not ranked or ranked[0].matched == 0:
            raise ImportRefused("import-no-tables", "文档中没有表格", "确认这是年度报告全文")
        raise ImportRefused(
            "import-layout-unknown",
            "文档中的表格与已知的年报统计表格式都对不上（找到的法定标签太少）",
        )
    best = ranked[0]
    if format_id is not None:
        asked = next((d for d in ranked if d.layout.id == format_id), None)
        if asked is None:
            raise ImportRefused("import-format-mismatch", f"没有名为 {format_id} 的格式")
        if asked.foreign or asked.matched < best.matched // 2:
            extra = "、".join(asked.foreign[:4])
            raise ImportRefused(
                "import-format-mismatch",
                f"表头与 --format {format_id} 不符（有该格式没有的标签：{extra or '无'}），"
                f"看起来是 {best.layout.id}（{best.layout.name}）",
            )
        best = asked
    lay = best.layout
    notes = [f"{lay.id}（{lay.name}）"]
    if best.missing:
        shown = statutory_texts(lay)
        missing = [shown.get(x, x) for x in best.missing[:8]]
        notes.append("发布的表格缺少这些法定标签：" + "、".join(missing))
    return lay, "；".join(notes)


def import_document(
    data: bytes,
    path: str,
    layouts: Sequence[Layout],
    *,
    format_id: str | None = None,
    limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
) -> ImportOutcome:
    """Import one document's bytes (``path`` only names it in messages); refusals are
    returned in ``refused``, never raised."""
    out = ImportOutcome(path=path)
    try:
        doc = read_document(data, limits)
        out.kind = doc.kind
        layout, variant = _choose(doc, layouts, format_id)
        out.layout = layout
        ex = extract(doc, layout)
        if ex.notes:
            variant += "；" + "；".join(ex.notes)
        out.variant = variant
        found = find_title(doc.paragraphs, doc.title_hint)
        if found is None:
            raise ImportRefused(
                "import-title-missing",
                "在标题中找不到单位名称和报告年度（如“××局2024年度政府信息公开工作年度报告”）",
            )
        out.agency, out.year = found
    except ImportRefused as e:
        out.refused = e
        return out
    except RecursionError:
        out.refused = ImportRefused("import-unsafe", "文档嵌套过深")
        return out
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, AssertionError) as e:
        # a document shaped as nothing foreseen: refused with its kind, never a traceback
        out.refused = ImportRefused(
            "import-damaged", f"文档的结构无法解析（{type(e).__name__}）", "请确认文件无误"
        )
        return out
    inputs = {c.id for c in layout.compiled.inputs}
    out.values = {k: v for k, v in ex.values.items() if k in inputs}
    out.published_totals = {k: v for k, v in ex.values.items() if k not in inputs}
    out.issues = [ImportIssue("import-variant", f"识别为 {variant}"), *ex.issues]
    out.issues += _totals(layout, out)
    return out


def _totals(layout: Layout, out: ImportOutcome) -> list[ImportIssue]:
    """Published totals that are not the sum of their published parts."""
    found: list[ImportIssue] = []
    for tp in layout.compiled.totals:
        cid = tp.total.cell
        got = out.published_totals.get(cid)
        if got is None or any(
            d not in out.values and d in {c.id for c in layout.compiled.inputs} for d in tp.deps
        ):
            continue
        want = add_up(tp.terms, {**out.values, **out.published_totals})
        if want != got:
            cell = layout.cells[cid]
            found.append(
                ImportIssue(
                    "import-total-differs",
                    f"发布的合计为 {got}，各项之和为 {want}；导入的报表中合计按各项计算",
                    sheet=layout.sheet(cell.sheet).name,
                    cell=cid,
                    row_label=cell.row_label,
                    col_label=cell.col_label,
                    expected=str(want),
                    found=str(got),
                )
            )
    return found


def import_path(
    path: Path,
    layouts: Sequence[Layout],
    *,
    format_id: str | None = None,
    limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
) -> ImportOutcome:
    """:func:`import_document` of a file on disk (size checked before reading)."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ImportRefused(
                "import-too-large",
                f"文件有 {size // 1024} KB，超过上限 {limits.max_file_bytes // 1024} KB",
            )
        data = path.read_bytes()
    except ImportRefused as e:
        return ImportOutcome(path=str(path), refused=e)
    except OSError as e:
        code: FindingCode = "import-damaged"
        return ImportOutcome(
            path=str(path), refused=ImportRefused(code, f"无法读取文件：{e.strerror or e}")
        )
    return import_document(data, str(path), layouts, format_id=format_id, limits=limits)
