"""The ``xlreport`` command: parses arguments, calls one library function, renders its result.

Each sub-command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.markup import escape

from xlreport.cli.app import app, err_console
from xlreport.cli.usage import chinese_usage, is_help_instead, is_usage_error
from xlreport.errors import XlreportError
from xlreport.interrupt import handles_interrupts
from xlreport.safetext import printable

# sub-commands register themselves on import
from xlreport.cli import cmd_formats  # noqa: F401  isort: skip
from xlreport.cli import cmd_template  # noqa: F401  isort: skip
from xlreport.cli import cmd_merge  # noqa: F401  isort: skip
from xlreport.cli import cmd_check  # noqa: F401  isort: skip
from xlreport.cli import cmd_demo  # noqa: F401  isort: skip
from xlreport.cli import cmd_import  # noqa: F401  isort: skip
from xlreport.cli import cmd_publish  # noqa: F401  isort: skip

from xlreport.cli import cmd_campaign  # noqa: F401  isort: skip
from xlreport.cli import cmd_campaign_links  # noqa: F401  isort: skip
from xlreport.cli import cmd_serve  # noqa: F401  isort: skip
from xlreport.cli import cmd_campaign_board  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def _fail(prefix: str, text: str, code: int, hint: str = "") -> NoReturn:
    """One Chinese line on stderr (and a hint), then exit ``code``."""
    err_console.print(f"[bold red]{prefix}[/]{escape(printable(text))}", soft_wrap=True)
    if hint:
        err_console.print(hint, soft_wrap=True, markup=False)
    sys.exit(code)


def _help_hint(e: Exception) -> str:
    ctx = getattr(e, "ctx", None)
    sub = ctx.command.name if ctx is not None and ctx.parent is not None else ""
    return f"运行 xlreport {sub + ' ' if sub else ''}--help 查看用法。"


@handles_interrupts  # Ctrl-C: one Chinese line on stderr, exit status 130
def main() -> None:
    """Entry point: every expected failure is one Chinese line and exit status 2."""
    try:
        # without standalone mode, click returns the code of typer.Exit(code) instead of exiting
        code = app(standalone_mode=False)
    except XlreportError as e:  # a LayoutError too
        _fail("错误：", str(e), 2)
    except typer.Abort:
        _fail("", "已取消。", 2)
    except (typer.Exit, SystemExit) as e:
        code = e.exit_code if isinstance(e, typer.Exit) else e.code
        sys.exit(code if isinstance(code, int) else 0)
    except Exception as e:
        # typer's (vendored) click exceptions, worded in Chinese (xlreport.cli.usage)
        if is_help_instead(e):
            _fail("用法错误：", "请指定要运行的命令", 2)
        if not is_usage_error(e):
            raise
        _fail("用法错误：", chinese_usage(e), 2, _help_hint(e))
    sys.exit(code if isinstance(code, int) else 0)
