"""``xlreport merge``: check the returns, merge those that count, write the summary."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from xlreport.checks.model import CheckOptions
from xlreport.cli.app import SPEC_HELP, app, console, err_console
from xlreport.cli.usage import ChineseCommand
from xlreport.errors import UsageError
from xlreport.interrupt import removed_if_interrupted
from xlreport.merge import MergeResult, merge_paths
from xlreport.merge.model import STATUS_TEXT
from xlreport.merge.report import (
    blank_as_zero_files,
    confirmed_files,
    next_steps,
    write_result_json,
)
from xlreport.merge.run import Progress as ProgressFn
from xlreport.merge.status import blank_note
from xlreport.roster import load_roster
from xlreport.safetext import printable
from xlreport.spec import resolve_layout

#: More merged files than this are summed up in one line instead of a table.
TABLE_MAX = 60
#: Agencies named in one line at most (the summary's 报送情况 lists them all).
NAMES_MAX = 40
FORMAT_HELP = "布局编号（见 xlreport formats）；不指定则取多数报表所用的布局"
#: From this many files on, a progress bar is shown on stderr (never in --json mode).
PROGRESS_FROM = 20


def _say(text: str, style: str = "") -> None:
    safe = "\n".join(printable(line) for line in text.split("\n"))  # names come from files
    console.print(safe, soft_wrap=True, markup=False, style=style or None)


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
) -> None:
    """汇总回收的报表：有错误的不计入，同一单位有多份不同报表时须用 --prefer 指定，生成可再次汇总的汇总表。"""
    if year is not None and not 2008 <= year <= 2100:
        raise UsageError(f"--year {year} 不是有效的报告年度", "例如 --year 2024")
    layout = resolve_layout(format_id, spec) if (format_id or spec) else None
    notes: list[str] = []
    agencies = load_roster(roster, notes=notes) if roster is not None else None
    for note in notes:
        err_console.print(f"提示：{printable(note)}", soft_wrap=True, markup=False)
    options = CheckOptions(
        layout=layout, year=year, county=_county(county), blank_as_zero=blank_as_zero
    )
    with removed_if_interrupted(out, export), _progress(not as_json) as progress:
        result = merge_paths(
            paths,
            out,
            options,
            roster=agencies,
            name=name,
            export=export,
            code=code,
            progress=progress,
            roster_file=roster,
            force=force,
            prefer=prefer or [],
            allow_missing=allow_missing,
            confirm=confirm or [],
            prior=prior,
        )
    if as_json:
        write_result_json(result, sys.stdout)
    else:
        render(result)
    # SystemExit, not typer.Exit: the entry point runs typer with standalone_mode=False,
    # where an Exit's code would be returned rather than raised.
    raise SystemExit(result.exit_code)


def _county(county: str | None) -> str | None:
    if county is not None and not county.strip():
        raise UsageError(
            "--county 不能为空", "例如 --county 清河县（与制作模板时的 --county 相同）"
        )
    return county.strip() if county is not None else None


def _names(agencies: list[tuple[str, str]]) -> str:
    shown = "、".join(f"{n}（{c}）" for c, n in agencies[:NAMES_MAX])
    more = f" 等 {len(agencies)} 个（全部见汇总表“报送情况”）" if len(agencies) > NAMES_MAX else ""
    return shown + more


def render(result: MergeResult) -> None:
    ident = result.identity
    if not result.summary_written:
        _say(f"没有可以汇总的报表：{result.problem}。未生成汇总表。", "bold red")
    elif ident is not None:
        _say(
            f"汇总完成：{ident.agency_name} {result.year} 年度（{ident.layout_id}），"
            f"计入 {len(result.merged)} 份，覆盖 {len(ident.contributors)} 个单位。",
            "bold green",
        )
    merged = sorted(result.merged, key=lambda f: (f.code, f.file_name))
    if len(merged) > TABLE_MAX:
        _say(f"已计入汇总 {len(merged)} 份（逐份明细见汇总表“报送情况”“分单位明细”）。")
    elif merged:
        table = Table(title=f"已计入汇总（{len(merged)}）", title_justify="left")
        for col in ("单位编码", "单位名称", "文件", "警告"):
            table.add_column(col)
        for f in merged:
            table.add_row(
                *(
                    escape(printable(x))
                    for x in (
                        f.code,
                        f.agency_name,
                        f.file_name,
                        str(f.checked.report.warnings or ""),
                    )
                )
            )
        console.print(table)
    left = result.left_out
    if left:
        _say(f"未计入汇总（{len(left)}）：", "bold red")
        for f in left:
            who = f"（{f.code} {f.agency_name}）" if f.code or f.agency_name else ""
            _say(f"  ✗ {f.file_name}{who} {STATUS_TEXT[f.status]}：{f.reason}")
    pairs_shown: set[frozenset[str]] = set()
    for f in result.with_status("superseded", "conflict"):
        if f.status == "superseded":
            _say(f"已被替换：{f.code} {f.agency_name}：{f.file_name} → 以“{f.instead}”为准。")
        else:
            pair = frozenset((f.file_name, f.instead))
            if pair in pairs_shown:
                continue  # the other side of a pair already shown
            pairs_shown.add(pair)
            _say(f"版本冲突：{f.code} {f.agency_name}：{f.file_name} 与 {f.instead} 不同：")
        for d in f.differences[:10]:
            _say(
                f"    {d.sheet}!{d.cell}（{d.row_label} × {d.col_label}）："
                + (
                    f"旧 {d.replaced or '空'}，新 {d.kept or '空'}"
                    if f.status == "superseded"
                    else f"本文件 {d.replaced or '空'}，{f.instead} {d.kept or '空'}"
                )
            )
        if len(f.differences) > 10:
            _say(f"    ……共 {len(f.differences)} 个单元格不同，详见汇总表“报送情况”。")
    for f in blank_as_zero_files(result):
        assert f.data is not None
        who = f"（{f.code} {f.agency_name}）" if f.code or f.agency_name else ""
        _say(f"空白按0计：{f.file_name}{who} {blank_note(f.data.blank_cells)}。", "yellow")
    for f in confirmed_files(result):
        who = f"（{f.code} {f.agency_name}）" if f.code or f.agency_name else ""
        _say(f"{f.file_name}{who} {f.reason}。", "yellow")
    for f in result.with_status("duplicate"):
        _say(f"重复文件（只计一次）：{f.file_name} 与 {f.instead} 完全相同。")
    for f in result.with_status("skipped"):
        _say(f"已跳过：{f.file_name}（{f.reason}）")
    if result.roster_size is not None:
        if result.missing:
            names = _names(result.missing)
            _say(f"未报送（{len(result.missing)}/{result.roster_size}）：{names}", "yellow")
            if result.summary_written:
                shown = "已按 --allow-missing 生成" if result.allow_missing else "生成的是"
                _say(
                    f"汇总不完整：{shown}部分汇总（名单中 {len(result.missing)} 个单位未计入），"
                    "汇总表中已注明。",
                    "bold yellow" if result.allow_missing else "bold red",
                )
        else:
            _say(f"名单中的 {result.roster_size} 个单位都已报送。")
    if result.not_in_roster:
        names = _names(result.not_in_roster)
        _say(f"不在名单中：{names}", "yellow")
    if result.year_hint_text:
        _say(result.year_hint_text, "bold red")
    if result.summary_written:
        _say(f"汇总表：{result.out}")
    if result.export is not None:
        _say(f"长表数据：{result.export}")
    for step in next_steps(result):
        _say(f"下一步：{step}")
