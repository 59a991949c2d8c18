"""``xlreport formats``: the shipped layouts."""

from __future__ import annotations

from rich.markup import escape

from xlreport.cli.app import app, console
from xlreport.cli.usage import ChineseCommand
from xlreport.spec import builtin_layouts
from xlreport.spec.registry import DEFAULT_FORMAT


@app.command("formats", cls=ChineseCommand)
def formats() -> None:
    """列出内置的报表布局。"""
    # a few short lines a layout rather than a seven-column table: whole names and
    # fingerprints within 80 columns (a table that wide cut both short with "…")
    console.print("[bold]内置布局[/]（用 --format 编号 选用）：")
    for lid, layout in builtin_layouts().items():
        default = "（默认）" if lid == DEFAULT_FORMAT else ""
        console.print()
        console.print(f"[bold]{escape(lid)}[/]{default}")
        console.print(f"  {escape(layout.name)}")
        console.print(
            f"  版本 {layout.version} · 输入单元格 {sum(1 for _ in layout.inputs())}"
            f" · 合计公式 {len(layout.totals)} · 勾稽规则 {len(layout.checks)}"
            f" · 指纹 {layout.fingerprint}",
            style="dim",
        )
