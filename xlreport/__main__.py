"""``python -m xlreport`` and the ``xlreport`` command.

Ctrl-C is handled from the first moment: during the command's own imports (typer, rich,
every sub-command: a few tenths of a second) an interrupt is already one Chinese line.
"""

from __future__ import annotations

from xlreport.interrupt import handles_interrupts


@handles_interrupts
def main() -> None:
    from xlreport.cli import main as run_command

    run_command()


if __name__ == "__main__":
    main()
