"""The typer application and the console every command prints to."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from xlreport import __version__
from xlreport.cli.usage import ChineseGroup, chinese_help

app = typer.Typer(
    name="xlreport",
    help="政府信息公开工作年度报告统计表：生成模板（template）、校验回收表（check）、汇总（merge）、发布（publish）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=ChineseGroup,
)
chinese_help()


def _console(*, stderr: bool) -> Console:
    """A console that wraps lines only on a terminal: piped into a file or another
    program, every message stays one line however long (rich would otherwise wrap
    at 80 columns, or at COLUMNS)."""
    made = Console(stderr=stderr, highlight=False)
    made.soft_wrap = not made.is_terminal
    return made


console = _console(stderr=False)
err_console = _console(stderr=True)

FORMAT_HELP = "布局编号（见 xlreport formats），默认 gov-2021"
SPEC_HELP = "自定义布局文件（.toml），与 --format 二选一"


def _show_version(value: bool) -> None:
    if value:
        console.print(f"xlreport {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _root(
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="显示版本号并退出。",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """政府信息公开工作年度报告统计表工具。"""
