"""Layout integrity: every sheet and every fixed label where the layout puts it.

Rows and columns are first aligned with the layout by the labels they carry
(:mod:`xlreport.checks.alignment`); labels are then compared where the alignment puts them.
"""

from __future__ import annotations

from collections.abc import Collection

from xlreport.checks.alignment import SheetView, align_sheet, raw_text
from xlreport.checks.catalogue import finding
from xlreport.checks.located import ANNOTATION_SHEET
from xlreport.checks.outside import check_outside
from xlreport.findings import Finding
from xlreport.identity import GUIDE_SHEET, META_SHEET
from xlreport.reader.model import RawSheet, RawWorkbook
from xlreport.spec.model import Label, Layout, Sheet, a1

#: Share of a layout sheet's label texts an unknown sheet must hold to count as it, renamed.
RENAMED_SHARE = 0.6


def check_labels(layout: Layout, view: SheetView) -> list[Finding]:
    """Every fixed label verbatim at its (aligned) cell."""
    out: list[Finding] = []
    if view.plain and view.raw is not None:
        cells = view.raw.cells
        for r, c, text in layout.compiled.labels[view.sheet.key].labels:
            found = raw_text(cells.get((r, c)))
            if found != text:
                break
        else:
            return out  # every label verbatim where the layout puts it
    for lb in view.sheet.labels:
        if not lb.text:
            continue
        pos = view.where(lb.r1, lb.c1)
        if pos is None or view.raw is None:
            continue  # in a deleted row or column: already reported
        found = raw_text(view.raw.cells.get(pos))
        if found != lb.text:
            out.append(_label_changed(view, lb, pos, found))
    return out


def _label_changed(view: SheetView, lb: Label, pos: tuple[int, int], found: str) -> Finding:
    shown = f"“{found}”" if found else "空白"
    return finding(
        "label-changed",
        f"{a1(*pos)} 应为“{lb.text}”，现为{shown}。",
        sheet=view.name,
        cell=a1(*pos),
        expected=lb.text,
        found=found,
        at=(view.sheet.name, lb.r1, lb.c1),
    )


def _label_share(sheet: Sheet, raw: RawSheet) -> float:
    texts = {lb.text for lb in sheet.labels if lb.text}
    present = {raw_text(c) for c in raw.cells.values()} & texts
    return len(present) / len(texts) if texts else 0.0


def match_sheets(
    raw: RawWorkbook, layout: Layout, also_known: Collection[str] = (), *, guide: bool = True
) -> tuple[dict[str, SheetView], list[Finding]]:
    """Find each layout sheet in the file (by name, else renamed by content), check its
    labels and protection; report missing and added sheets (``also_known``: sheets that
    belong there besides the layout's, e.g. a summary's own; ``guide``: the 填报说明 sheet
    is expected — not in a summary)."""
    known = {s.name for s in layout.sheets} | {GUIDE_SHEET, META_SHEET, ANNOTATION_SHEET}
    known |= set(also_known)
    unknown = [s for s in raw.sheets if s.name not in known]
    views: dict[str, SheetView] = {}
    out: list[Finding] = []
    for sheet in layout.sheets:
        rs = raw.sheet(sheet.name)
        if rs is None:
            scored = sorted(
                ((_label_share(sheet, u), i) for i, u in enumerate(unknown)), reverse=True
            )
            if scored and scored[0][0] >= RENAMED_SHARE:
                rs = unknown.pop(scored[0][1])
                out.append(
                    finding(
                        "sheet-renamed",
                        f"工作表“{sheet.name}”被改名为“{rs.name}”（已按内容识别并照常校验）。",
                        sheet=rs.name,
                        expected=sheet.name,
                        found=rs.name,
                        at=(sheet.name, 0, 0),
                    )
                )
        if rs is None:
            views[sheet.key] = SheetView(sheet, None)
            out.append(
                finding(
                    "sheet-missing",
                    f"缺少工作表“{sheet.name}”（{sheet.title}），其中的数值无法校验。",
                    sheet=sheet.name,
                    expected=sheet.name,
                    found="（缺少）",
                    at=(sheet.name, 0, 0),
                )
            )
            continue
        view, changes = align_sheet(layout, sheet, rs)
        views[sheet.key] = view
        out += changes
        out += check_labels(layout, view)
        out += check_outside(layout, view)
        if not rs.protected:
            out.append(
                finding(
                    "sheet-unprotected",
                    f"工作表“{rs.name}”的保护已被撤销。保护只是防止误改的提醒，数值已照常校验。",
                    sheet=rs.name,
                    expected="受保护",
                    found="未保护",
                )
            )
    out += _other_sheets(raw, unknown, guide)
    return views, out


def saved_by_libreoffice(raw: RawWorkbook) -> bool:
    """LibreOffice (7.4) writes no workbook-structure protection at all, so its absence in a
    file LibreOffice saved says nothing about what the agency did."""
    return raw.application.startswith("LibreOffice")


def _other_sheets(raw: RawWorkbook, unknown: list[RawSheet], guide: bool = True) -> list[Finding]:
    out = [
        finding(
            "sheet-added",
            f"多出了工作表“{u.name}”，其中的内容不会被校验或汇总。",
            sheet=u.name,
            expected="（无）",
            found=u.name,
        )
        for u in unknown
    ]
    if guide and raw.sheet(GUIDE_SHEET) is None:
        out.append(
            finding(
                "sheet-missing",
                f"缺少工作表“{GUIDE_SHEET}”（含填报单位信息和签字栏）。",
                severity="warning",
                hint="请单位改用下发的模板，填写签字栏后重新报送。",
                sheet=GUIDE_SHEET,
                expected=GUIDE_SHEET,
                found="（缺少）",
            )
        )
    if not raw.structure_protected and not saved_by_libreoffice(raw):
        out.append(_unprotected(raw))
    return out


def once_saved_by_libreoffice(raw: RawWorkbook) -> bool:
    """Whether LibreOffice saved the file at some point, though another program saved it
    last: the identity sheet, written very hidden, is only hidden (LibreOffice 7.4 turns a
    very hidden sheet into a hidden one; Excel and WPS keep the state they find)."""
    meta = raw.sheet(META_SHEET)
    return meta is not None and meta.state == "hidden"


def _unprotected(raw: RawWorkbook) -> Finding:
    if once_saved_by_libreoffice(raw):
        last = raw.application or "其他软件"
        return finding(
            "workbook-unprotected",
            "工作簿没有结构保护：此文件曾用 LibreOffice 保存过（隐藏的标识工作表由“深度隐藏”"
            f"变为“隐藏”，是 LibreOffice 保存时的特征），LibreOffice 保存时会去掉结构保护，"
            f"之后再用 {last} 保存也不会恢复。这通常不是填报单位有意撤销，数值已照常校验。",
            hint="无需处理；工作表的增删、改名（如有）已逐项列出。",
            expected="受保护",
            found="未保护（LibreOffice 保存过）",
        )
    return finding(
        "workbook-unprotected",
        "工作簿的结构保护已被撤销（可以增删、改名工作表）。保护只是防止误改的提醒，"
        "数值已照常校验。",
        expected="受保护",
        found="未保护",
    )
