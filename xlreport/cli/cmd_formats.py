"""``xlreport formats``: the shipped layouts."""

from __future__ import annotations

from rich.table import Table

from xlreport.cli.app import app, console
from xlreport.cli.usage import ChineseCommand
from xlreport.spec import builtin_layouts
from xlreport.spec.registry import DEFAULT_FORMAT


@app.command("formats", cls=ChineseCommand)
def formats() -> None:
    """列出内置的报表布局。"""
    table = Table(title="内置布局")
    for col in ("编号", "名称", "版本", "输入单元格", "合计公式", "勾稽规则", "指纹"):
        table.add_column(col)
    for lid, layout in builtin_layouts().items():
        table.add_row(
            lid + ("（默认）" if lid == DEFAULT_FORMAT else ""),
            layout.name,
            str(layout.version),
            str(sum(1 for _ in layout.inputs())),
            str(len(layout.totals)),
            str(len(layout.checks)),
            layout.fingerprint,
        )
    console.print(table)
