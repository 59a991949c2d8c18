"""``xlreport merge``: check the returns, merge those that count, write the summary."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xlreport.api.merge import MergeRequest, merge_returns
from xlreport.cli.app import SPEC_HELP, app, console, err_console
from xlreport.cli.render_merge import render
from xlreport.cli.usage import ChineseCommand
from xlreport.interrupt import removed_if_interrupted
from xlreport.merge.run import Progress as ProgressFn
from xlreport.safetext import printable

FORMAT_HELP = "布局编号（见 xlreport formats）；不指定则取多数报表所用的布局"
#: From this many files on, a progress bar is shown on stderr (never in --json mode).
PROGRESS_FROM = 20


@contextmanager
def _progress(show: bool) -> Iterator[ProgressFn | None]:
    """A progress bar on stderr, shown only once there turn out to be many files, and only
    on a terminal (elsewhere rich prints nothing but a stray empty line)."""
    if not show or not err_console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("正在校验报表"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    task = bar.add_task("check", total=None)

    def update(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar.live.is_started:  # stopping a bar never shown would print an empty line
            bar.stop()


@app.command("merge", cls=ChineseCommand)
def merge(
    paths: Annotated[
        list[Path], typer.Argument(help="回收的报表文件或文件夹（可多个）", readable=False)
    ],
    out: Annotated[Path, typer.Option("--out", help="汇总表保存位置（.xlsx）")],
    roster: Annotated[
        Path | None, typer.Option("--roster", help="单位名单（.csv 或 .xlsx），用于列出未报送单位")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="汇总单位名称，如 某某县")] = "",
    code: Annotated[
        str, typer.Option("--code", help="汇总表的单位编码；不指定则由名称生成固定编码")
    ] = "",
    format_id: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help=SPEC_HELP)] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="报告年度；不指定则取多数报表的年度")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
    export: Annotated[
        Path | None, typer.Option("--export", help="另存长表数据（.csv 或 .json）")
    ] = None,
    county: Annotated[
        str | None,
        typer.Option(
            "--county",
            help="县（区）名称，报表模板须是发给本县（区）的；不指定则各报表须属于同一县（区）",
        ),
    ] = None,
    prefer: Annotated[
        list[Path] | None,
        typer.Option(
            "--prefer", help="同一单位有多份不同报表时以此文件为准（可多次给出），其余列为已被替换"
        ),
    ] = None,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing", help="名单中有单位未报送时仍按成功退出（汇总表注明为部分汇总）"
        ),
    ] = False,
    blank_as_zero: Annotated[
        bool,
        typer.Option(
            "--blank-as-zero", help="有空白单元格的报表也计入，空白按 0 计（默认不计入并列出）"
        ),
    ] = False,
    confirm: Annotated[
        list[Path] | None,
        typer.Option(
            "--confirm",
            help="已向单位核实：此文件中恰似日期的数值确为数字，按数字计入汇总（可多次给出）",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="允许替换已存在、但不是 xlreport 之前生成的 --out/--export 文件"
        ),
    ] = False,
    prior: Annotated[
        Path | None,
        typer.Option("--prior", help="上年的汇总表：综述段落与上年比较（增加/减少多少）"),
    ] = None,
    by_type: Annotated[
        bool,
        typer.Option(
            "--by-type",
            help="按单位类型（县直部门/乡镇/街道/其他）另附各类的统计表（有报表的类型各一套）",
        ),
    ] = False,
) -> None:
    """汇总回收的报表：有错误的不计入，同一单位有多份不同报表时须用 --prefer 指定，生成可再次汇总的汇总表。"""
    with removed_if_interrupted(out, export):
        with _progress(not as_json) as progress:
            result = merge_returns(
                MergeRequest(
                    paths,
                    out,
                    roster=roster,
                    name=name,
                    code=code,
                    format_id=format_id,
                    spec=spec,
                    year=year,
                    export=export,
                    county=county,
                    prefer=prefer or [],
                    allow_missing=allow_missing,
                    blank_as_zero=blank_as_zero,
                    confirm=confirm or [],
                    force=force,
                    progress=progress,
                    prior=prior,
                    by_type=by_type,
                )
            )
        # still inside: a Ctrl-C while the result is shown removes the new outputs too
        # (interrupted means nothing left behind, whenever it comes)
        for note in result.roster_notes:
            err_console.print(f"提示：{printable(note)}", soft_wrap=True, markup=False)
        if as_json:
            result.write_json(sys.stdout)
        else:
            render(console, result.outcome)
    # SystemExit, not typer.Exit: the entry point runs typer with standalone_mode=False,
    # where an Exit's code would be returned rather than raised.
    raise SystemExit(result.exit_code)
