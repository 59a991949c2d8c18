"""Rendering a check run: the Chinese terminal report, and the JSON document.

The terminal groups runs of the same finding on one sheet ("38 处单元格为空：D6、E6…");
the JSON keeps every cell as its own finding, in a stable key order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xlreport.checks.catalogue import CATALOGUE
from xlreport.checks.model import CheckedFile
from xlreport.checks.overview import RosterView
from xlreport.checks.run import CheckRun, exit_code, year_hint_text
from xlreport.findings import SEVERITY_ZH, FileReport, Finding
from xlreport.safetext import printable

STATUS_ZH = {"ok": "通过", "warning": "有警告", "error": "有错误", "unreadable": "无法读取"}
STATUS_STYLE = {"ok": "green", "warning": "yellow", "error": "red", "unreadable": "bold red"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}
#: From this many findings of one code on one sheet, the terminal shows them as one line.
GROUP_FROM = 4
_CELLS_SHOWN = 12


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# --- JSON ------------------------------------------------------------------------------


def _file_json(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "agency": {"code": report.agency_code, "name": report.agency_name},
        "layout": report.layout,
        "year": report.year,
        "status": report.status,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [f.to_dict() for f in report.findings],
    }


def summary(files: Sequence[CheckedFile], prior: Sequence[CheckedFile] = ()) -> dict[str, Any]:
    checked = [f for f in files if not f.skipped]
    counts = {s: sum(1 for f in checked if f.report.status == s) for s in STATUS_ZH}
    return {
        "files": len(checked),
        **counts,
        "skipped": len(files) - len(checked),
        "errors": sum(f.report.errors for f in checked),
        "warnings": sum(f.report.warnings for f in checked),
        "exit_code": exit_code(files, prior),
    }


def json_document(
    files: Sequence[CheckedFile],
    *,
    prior: Sequence[CheckedFile] = (),
    annotated: Sequence[Path] = (),
) -> dict[str, Any]:
    """The --json document of checked files (skipped ones listed apart, with the reason)."""
    return {
        "files": [_file_json(f.report) for f in files if not f.skipped],
        "skipped": [{"path": f.report.path, "reason": f.skipped} for f in files if f.skipped],
        "prior": [_file_json(f.report) for f in prior],
        "annotated": [str(p) for p in annotated],
        "summary": summary(files, prior),
    }


def _roster_json(view: RosterView) -> dict[str, Any]:
    return {
        "size": view.size,
        "missing": [{"code": c, "name": n} for c, n in view.missing],
        "several_files": [
            {"code": c, "name": n, "versions": v, "files": ps} for c, n, v, ps in view.several
        ],
    }


def render_json(run: CheckRun) -> str:
    doc = json_document(run.files, prior=run.prior_files, annotated=run.annotated)
    doc["summary"]["exit_code"] = run.exit_code
    if run.roster is not None:
        doc["roster"] = _roster_json(run.roster)
    if run.year_hint is not None and run.asked_year is not None:
        doc["year_hint"] = {
            "asked": run.asked_year,
            "likely": run.year_hint,
            "message": _year_line(run),
        }
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --- terminal --------------------------------------------------------------------------


def t(text: object) -> str:
    """Text from a file or the user, safe inside rich markup on a terminal."""
    return escape(printable(str(text)))


def _groups(findings: list[Finding]) -> Iterator[list[Finding]]:
    """Consecutive findings of one code on one sheet (rule findings split by rule)."""
    run: list[Finding] = []
    for f in findings:
        if run and (f.code, f.sheet, f.rule) != (run[0].code, run[0].sheet, run[0].rule):
            yield run
            run = []
        run.append(f)
    if run:
        yield run


def _where(f: Finding) -> str:
    place = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else f.sheet or f.cell
    labels = " × ".join(x for x in (f.row_label, f.col_label) if x)
    return " ".join(x for x in (t(f"[{place}]") if place else "", t(labels)) if x)


def _print_one(console: Console, f: Finding) -> None:
    style = SEVERITY_STYLE[f.severity]
    where = _where(f)
    head = f"  [{style}]{SEVERITY_ZH[f.severity]}[/] "
    if where:
        console.print(head + where)
        console.print(f"      {t(f.message)}", style="dim" if f.severity == "info" else None)
    else:
        console.print(head + t(f.message))
    if f.hint and f.severity != "info":
        console.print(f"      → {t(f.hint)}", style="cyan")


def _print_group(console: Console, group: list[Finding]) -> None:
    first = group[0]
    style = SEVERITY_STYLE[first.severity]
    cells = [f.cell for f in group if f.cell]
    shown = "、".join(t(c) for c in cells[:_CELLS_SHOWN]) + (
        "…" if len(cells) > _CELLS_SHOWN else ""
    )
    title = (
        f"{first.rule} {CATALOGUE[first.code].title}" if first.rule else CATALOGUE[first.code].title
    )
    console.print(
        f"  [{style}]{SEVERITY_ZH[first.severity]}[/] {len(group)} 处{title}"
        f"（{t(first.sheet)}）：{shown}"
    )
    console.print(f"      例：{_where(first)} {t(first.message)}")
    if first.hint:
        console.print(f"      → {CATALOGUE[first.code].action}", style="cyan")


#: From this many checked files on, files without findings are not listed one by one.
CONDENSE_FROM = 50


def _heading(console: Console, text: str) -> None:
    """A section's title: a rule across a terminal, one whole line elsewhere (a rule
    is as wide as the console and would cut a long path short)."""
    if console.is_terminal:
        console.rule(text, align="left")
    else:
        console.print(f"── {text}")


def print_file(console: Console, checked: CheckedFile) -> None:
    r = checked.report
    who = r.agency_name or r.agency_code
    head = f"[bold]{t(r.path)}[/]" + (f"  {t(who)}" if who else "")
    if r.layout:
        head += f"  [dim]{t(r.layout)} · {r.year}年度[/]"
    status = f"[{STATUS_STYLE[r.status]}]{STATUS_ZH[r.status]}[/]"
    _heading(console, f"{head}  {status}")
    leads: dict[str, Finding] = {}  # cause → its first finding
    for group in _groups(r.findings):
        if len(group) >= GROUP_FROM:
            _print_group(console, group)
        for f in group:
            lead = leads.setdefault(f.cause, f) if f.cause else f
            if len(group) >= GROUP_FROM:
                continue
            _print_one(console, f)
            if lead is not f and lead.cell and lead.cell != f.cell:
                console.print(
                    f"      （与 {t(lead.cell)} 同一原因：改正那一处后这里一并消除）", style="dim"
                )
    if not r.findings:
        console.print("  [green]未发现问题。[/]")


def render_terminal(console: Console, run: CheckRun, err: Console | None = None) -> None:
    """The report of a check run on ``console``; a file that could not be read at all
    is an error, and its section goes to ``err`` (stderr) when one is given."""
    # from CONDENSE_FROM files on (a city's or province's folder), files without any
    # finding are counted, not listed one by one
    condensed = len(run.checked) >= CONDENSE_FROM
    listed = [c for c in run.checked if c.report.findings] if condensed else run.checked
    for checked in listed:
        print_file(err if err is not None and checked.report.unreadable else console, checked)
    if run.prior_files:
        _heading(console, "[bold]上年报表（--prior）[/]")
        for p in run.prior_files:
            r = p.report
            note = f"：{t(r.findings[0].message)}" if r.unreadable and r.findings else ""
            console.print(
                f"  {t(r.path)}  {t(r.agency_name or r.agency_code)}  {r.year or ''}  "
                f"[{STATUS_STYLE[r.status]}]{STATUS_ZH[r.status]}[/]{note}"
            )
    table = Table(title="校验汇总", title_justify="left")
    for col in ("文件", "单位", "状态", "错误数", "警告数"):
        table.add_column(col, justify="right" if col.endswith("数") else "left")
    for checked in listed:
        r = checked.report
        table.add_row(
            t(Path(r.path).name),  # the folder is in the per-file sections above
            t(r.agency_name or r.agency_code or "—"),
            f"[{STATUS_STYLE[r.status]}]{STATUS_ZH[r.status]}[/]",
            str(r.errors),
            str(r.warnings),
        )
    console.print(table)
    if len(listed) < len(run.checked):
        clean = len(run.checked) - len(listed)
        console.print(f"另有 {clean} 个文件未发现问题（文件较多，未逐个列出）。", style="green")
    skipped = [f for f in run.files if f.skipped]
    if skipped:
        console.print(f"已跳过 {len(skipped)} 个文件：")
        for f in skipped:
            console.print(f"  {t(f.report.path)}（{t(f.skipped)}）", style="dim")
    for copy in run.annotated:
        console.print(f"已生成退回修改稿：{t(copy)}")
    _next_step(console, run)


def _year_line(run: CheckRun) -> str:
    assert run.year_hint is not None and run.asked_year is not None
    known = [f for f in run.checked if f.report.year is not None and not f.report.unreadable]
    saying = sum(1 for f in known if f.report.year == run.year_hint)
    return year_hint_text(run.asked_year, run.year_hint, len(known), saying)


#: Agencies named in one line at most.
NAMES_MAX = 40


def _roster_lines(console: Console, view: RosterView) -> None:
    if view.missing:
        shown = "、".join(f"{n}（{c}）" for c, n in view.missing[:NAMES_MAX])
        more = f" 等 {len(view.missing)} 个" if len(view.missing) > NAMES_MAX else ""
        console.print(
            f"名单中未报送（{len(view.missing)}/{view.size}）：{t(shown)}{more}",
            style="yellow",
            soft_wrap=True,
        )
    else:
        console.print(f"名单中的 {view.size} 个单位都已有报表。")
    for code, name, versions, paths in view.several:
        files = "、".join(Path(p).name for p in paths)
        copies = f"（共 {len(paths)} 个文件）" if len(paths) > versions else ""
        console.print(
            f"{t(name)}（{t(code)}）有 {versions} 份不同的文件{copies}：{t(files)}"
            "（请确认以哪一份为准，把其他的移出收件文件夹）",
            style="yellow",
            soft_wrap=True,
        )


def _next_step(console: Console, run: CheckRun) -> None:
    s = summary(run.files, run.prior_files)
    line = (
        f"共校验 {s['files']} 个文件：通过 {s['ok']}，有警告 {s['warning']}，"
        f"有错误 {s['error']}，无法读取 {s['unreadable']}。"
    )
    console.print(line)
    if run.roster is not None:
        _roster_lines(console, run.roster)
    if run.year_hint is not None:
        console.print(t(_year_line(run)), style="bold red", soft_wrap=True)
        return
    if s["unreadable"]:
        console.print("请按提示联系报送单位，重新发送无法读取的文件。", style="bold red")
    if s["error"]:
        hint = "请把问题告知报送单位改正后重新报送"
        if not run.annotated:
            hint += "（可加 --annotate 文件夹 生成标注了问题的退回修改稿）"
        console.print(hint + "。", style="red")
    dated = [f for f in run.files if any(x.code == "value-date-like" for x in f.report.findings)]
    if dated:  # merge asks for a confirmation of these (xlreport.merge.confirm)
        names = "、".join(Path(f.report.path).name for f in dated[:NAMES_MAX])
        more = f" 等 {len(dated)} 个" if len(dated) > NAMES_MAX else ""
        console.print(
            f"有数值恰似日期的文件：{t(names)}{more}。请向单位逐格核实：输入的是日期的，请单位"
            "重新输入数字；确为该数的，汇总时用 xlreport merge … --confirm 文件 确认，"
            "否则这些文件不计入汇总。",
            style="yellow",
            soft_wrap=True,
        )
    if not s["error"] and not s["unreadable"] and len(dated) < len(run.checked):
        ready = "其余文件可以汇总" if dated else "全部文件可以汇总"
        console.print(f"{ready}：运行 xlreport merge。", style="green")
