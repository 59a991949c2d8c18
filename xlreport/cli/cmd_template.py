"""``xlreport template``: write the locked workbooks for the agencies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlreport.api.template import TemplateRequest, make_templates
from xlreport.cli.app import FORMAT_HELP, SPEC_HELP, app, console, err_console
from xlreport.cli.usage import ChineseCommand
from xlreport.safetext import printable


def _say(text: str) -> None:
    """One line as is: no wrapping inside paths, no rich markup in file names."""
    console.print(text, soft_wrap=True, markup=False)


@app.command("template", cls=ChineseCommand)
def template(
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2024")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹")],
    format_id: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help=SPEC_HELP)] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster", help="单位名单（.csv 或 .xlsx，列：单位编码、单位名称、单位类型）"
        ),
    ] = None,
    county: Annotated[str, typer.Option("--county", help="县（区）名称，如 清河县")] = "",
    password: Annotated[
        str | None,
        typer.Option("--password", help="工作表保护密码；不指定则自动生成并保存到模板文件夹旁"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="允许替换输出文件夹中已有的同名文件")
    ] = False,
    prior: Annotated[
        list[Path] | None,
        typer.Option(
            "--prior",
            help="上年的报表、汇总表或已发布的年报（网页、Word、PDF、文字；文件或文件夹，可多次给出）：按上年数预填“上年结转”等单元格",
        ),
    ] = None,
) -> None:
    """生成锁定的填报模板：有名单时每个单位一个文件，否则一个通用模板。"""
    result = make_templates(
        TemplateRequest(
            year,
            out,
            format_id=format_id,
            spec=spec,
            roster=roster,
            county=county,
            password=password,
            force=force,
            prior=tuple(prior or ()),
        )
    )
    for note in result.roster_notes:
        err_console.print(f"提示：{printable(note)}", soft_wrap=True, markup=False)
    if result.agencies:
        _say(f"已为 {result.agencies} 个单位生成 {year} 年度填报模板（{result.layout_id}）。")
        _say(f"保存位置：{result.out_dir}")
    else:
        _say(f"已生成 {year} 年度通用填报模板（{result.layout_id}）：")
        _say(f"  {result.paths[0]}")
        _say("各单位需在“填报说明”表中自行填写单位名称和单位编码。")
    if prior:
        _say(f"已按上年报表预填 {len(result.prefilled)} 个模板（预填的单元格附有批注，可以修改）。")
        if result.prior_missing:
            missing = "、".join(result.prior_missing[:10])
            more = (
                f"等 {len(result.prior_missing)} 个单位" if len(result.prior_missing) > 10 else ""
            )
            err_console.print(
                f"提示：{printable(missing)}{more}在 --prior 中没有上年报表，模板未预填。",
                soft_wrap=True,
                markup=False,
            )
    if result.password_file is not None:
        _say(f"保护密码已保存到：{result.password_file}")
        _say("（密码文件在模板文件夹之外：打包发送模板文件夹时不会带上它；请妥善保管。）")
    else:
        _say("保护密码为 --password 指定的密码。")
    _say("下一步：把模板发给各单位填写；收回后运行 xlreport check 校验。")
