"""``xlreport import``: published annual reports (web page, Word, PDF, text) → returns."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from xlreport.api.import_reports import ImportRequest, import_reports
from xlreport.cli.app import SPEC_HELP, app, console, err_console
from xlreport.cli.usage import ChineseCommand
from xlreport.findings import SEVERITY_ZH
from xlreport.safetext import printable

_STATUS = {"imported": "已导入", "imported-with-blanks": "已导入（有空白格）", "refused": "未导入"}
_STYLE = {"imported": "green", "imported-with-blanks": "yellow", "refused": "red"}


@app.command("import", cls=ChineseCommand)
def import_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="已发布的年报：网页（.html）、Word（.docx）、PDF 或文本文件，或文件夹",
            readable=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="导入结果（报表工作簿和 JSON）保存到此文件夹")],
    format_id: Annotated[
        str, typer.Option("--format", help="表格格式：auto（按表头自动识别，默认）或布局编号")
    ] = "auto",
    spec: Annotated[Path | None, typer.Option("--spec", help=SPEC_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出全部导入结果")] = False,
) -> None:
    """导入已发布的政府信息公开工作年度报告，按表头识别格式，逐格生成报表工作簿。

    之后可用 xlreport check 检查这些报表（年报质量检查）。
    退出码：0 全部导入且无错误；1 有未能导入的单元格或行；2 参数有误或有文件未能导入。
    """
    result = import_reports(ImportRequest(paths=paths, out=out, format_id=format_id, spec=spec))
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
        sys.stdout.flush()
    else:
        for f in result.files:
            style = _STYLE[f.status]
            who = f"{f.agency} {f.year}年度 " if f.agency else ""
            console.print(
                f"[{style}]{_STATUS[f.status]}[/] {escape(printable(f.path))}  {escape(who)}"
                f"{escape(f.layout)}",
                soft_wrap=True,
            )
            if f.workbook:
                console.print(
                    f"  → {escape(printable(f.workbook))}（{f.values} 个数值，{f.blank} 个空白格）",
                    soft_wrap=True,
                )
            if f.variant:
                console.print(f"  格式：{escape(printable(f.variant))}", soft_wrap=True)
            for x in f.findings:
                if x.code == "import-variant" or (
                    x.severity == "info" and x.code != "import-value-unit"
                ):
                    continue
                where = " ".join(v for v in (x.sheet, x.cell, x.row_label, x.col_label) if v)
                target = err_console if x.severity == "error" else console
                code = f"[{x.code}]"
                target.print(
                    f"  {SEVERITY_ZH[x.severity]} {escape(code)} {escape(printable(where))} "
                    f"{escape(printable(x.message))}",
                    soft_wrap=True,
                )
        n = {k: sum(1 for f in result.files if f.status == k) for k in _STATUS}
        console.print(
            f"共 {len(result.files)} 个文件：已导入 {n['imported']}，有空白格 "
            f"{n['imported-with-blanks']}，未导入 {n['refused']}。"
        )
    raise SystemExit(result.exit_code)
