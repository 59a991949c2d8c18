"""``xlreport check``: check returned workbooks and say exactly what is wrong and where."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from xlreport.checks.run import CheckRequest, run_check
from xlreport.cli.app import FORMAT_HELP, SPEC_HELP, app, console, err_console
from xlreport.cli.usage import ChineseCommand
from xlreport.report_render import render_json, render_terminal
from xlreport.safetext import printable


@app.command("check", cls=ChineseCommand)
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="要校验的 .xlsx 文件或文件夹（文件夹会递归查找）", readable=False),
    ],
    format_id: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help=SPEC_HELP)] = None,
    year: Annotated[int | None, typer.Option("--year", help="要求的报告年度，如 2024")] = None,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="单位名单（.csv 或 .xlsx），核对填报单位")
    ] = None,
    county: Annotated[
        str | None,
        typer.Option("--county", help="县（区）名称，核对报表模板是否发给本县（区），如 清河县"),
    ] = None,
    prior: Annotated[
        list[Path] | None,
        typer.Option(
            "--prior", help="上年的报表或汇总表（文件或文件夹，可多次给出），核对与上年的衔接"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出全部检查结果")] = False,
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", help="为有问题的报表生成标注了问题的退回修改稿，保存到此文件夹"),
    ] = None,
    round_no: Annotated[
        int,
        typer.Option("--round", help="第几轮退回（用于退回修改稿的文件名：…_第N轮.xlsx），默认 1"),
    ] = 1,
) -> None:
    """校验回收的报表：身份、表格结构、合计公式、填报数值和勾稽关系。

    退出码：0 全部通过（可有警告）；1 有错误；2 参数有误或有文件无法作为报表读取。
    """
    run = run_check(
        CheckRequest(
            paths=paths,
            format_id=format_id,
            spec=spec,
            year=year,
            roster=roster,
            county=county,
            prior=prior or [],
            annotate=annotate,
            round_no=round_no,
        )
    )
    for note in run.roster_notes:
        err_console.print(f"提示：{printable(note)}", soft_wrap=True, markup=False)
    if as_json:
        sys.stdout.write(render_json(run) + "\n")
        sys.stdout.flush()
    else:
        render_terminal(console, run, err_console)
    # SystemExit, not typer.Exit: the entry point runs typer with standalone_mode=False,
    # where an Exit's code is returned rather than raised.
    raise SystemExit(run.exit_code)
