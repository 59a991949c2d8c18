"""``xlreport publish``: a return or summary as a Word document or a web page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from xlreport.api.publish import PublishRequest, publish_file
from xlreport.cli.app import app, console, err_console
from xlreport.cli.usage import ChineseCommand
from xlreport.safetext import printable

_KIND = {"return": "报表", "summary": "汇总表"}


def _say(text: str, *, err: bool = False) -> None:
    (err_console if err else console).print(printable(text), soft_wrap=True, markup=False)


@app.command("publish", cls=ChineseCommand)
def publish(
    path: Annotated[Path, typer.Argument(help="要发布的报表或汇总表（.xlsx）", readable=False)],
    to: Annotated[str, typer.Option("--to", help="发布格式：docx（Word 文档）或 html（网页）")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出文件；默认与报表同一文件夹、同名、扩展名换成 .docx/.html"),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="生成整份年度报告的框架（标题、导语、一至六部分、落款），而不只是统计表"
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="报表有错误时仍然发布，每页标注“未通过校验”（仅供核对）"),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
) -> None:
    """把报表或汇总表的第二、三、四部分统计表发布为 Word 文档或网页（版式与国家统一格式一致）。

    有错误的报表不发布（退出码 1）；加 --force 时照样发布，但每页标注“未通过校验”。
    退出码：0 已发布；1 报表有错误，未发布；2 参数有误或文件无法作为报表读取。
    """
    result = publish_file(PublishRequest(path=path, to=to, out=out, full=full, force=force))
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
        sys.stdout.flush()
        raise SystemExit(result.exit_code)
    what = f"{result.agency} {result.year} 年度{_KIND.get(result.kind, '报表')}"
    if result.refused:
        _say(
            f"未发布（publish-refused）：{what}（{Path(result.path).name}）有 {result.errors} 处必须改正的错误。",
            err=True,
        )
        for f in result.findings[1:6]:
            where = "·".join(x for x in (f.sheet, f.cell) if x)
            _say(f"  {where + '：' if where else ''}{f.message}", err=True)
        if result.errors > 5:
            _say(f"  …… 共 {result.errors} 处，运行 xlreport check 查看全部。", err=True)
        _say(
            "请先改正错误后再发布；确需一份供核对的稿子时加 --force（每页标注“未通过校验”）。",
            err=True,
        )
        raise SystemExit(result.exit_code)
    if result.stamped:
        _say(
            f"警告：{what}有 {result.errors} 处错误，已按 --force 发布，每页标注“未通过校验”，"
            "不得作为正式报告发布。",
            err=True,
        )
    if result.warnings:
        _say(
            f"提示：报表有 {result.warnings} 条警告（不影响发布），可运行 xlreport check 查看。",
            err=True,
        )
    if result.blank_cells:
        _say(f"提示：有 {result.blank_cells} 个单元格未填写，按 0 发布。", err=True)
    _say(f"已发布{what}：{result.out}")
    raise SystemExit(result.exit_code)
