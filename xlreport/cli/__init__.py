"""The ``xlreport`` command: parses arguments, calls one library function, renders its result.

Each sub-command lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import sys

import typer

from xlreport.cli.app import app, console
from xlreport.errors import XlreportError
from xlreport.spec import LayoutError

# sub-commands register themselves on import
from xlreport.cli import cmd_formats  # noqa: F401  isort: skip
from xlreport.cli import cmd_template  # noqa: F401  isort: skip
from xlreport.cli import cmd_merge  # noqa: F401  isort: skip
from xlreport.cli import cmd_check  # noqa: F401  isort: skip
from xlreport.cli import cmd_demo  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: every expected failure is one Chinese line and exit status 2."""
    try:
        app(standalone_mode=False)
    except (XlreportError, LayoutError) as e:
        console.print(f"[bold red]错误：[/]{e}", highlight=False)
        sys.exit(2)
    except typer.Abort:
        console.print("已取消。")
        sys.exit(2)
    except KeyboardInterrupt:
        console.print("已中断。")
        sys.exit(130)
    except (typer.Exit, SystemExit) as e:
        code = e.exit_code if isinstance(e, typer.Exit) else e.code
        sys.exit(code if isinstance(code, int) else 0)
    except Exception as e:
        # typer's (vendored) click exceptions: usage errors carry format_message and exit_code
        fmt = getattr(e, "format_message", None)
        if fmt is None:
            raise
        console.print(f"[bold red]用法错误：[/]{fmt()}", highlight=False)
        console.print("运行 xlreport --help 查看用法。")
        sys.exit(2)
