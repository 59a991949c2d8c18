"""A merge result on the terminal, in Chinese, and the next steps (its JSON document:
``xlreport.api.merge.MergeResult.to_json``)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xlreport.merge.model import STATUS_TEXT, MergeResult
from xlreport.merge.report import blank_as_zero_files, confirmed_files
from xlreport.merge.status import blank_note
from xlreport.safetext import printable

#: More merged files than this are summed up in one line instead of a table.
TABLE_MAX = 60
#: Agencies named in one line at most (the summary's 报送情况 lists them all).
NAMES_MAX = 40


def _names(agencies: list[tuple[str, str]]) -> str:
    shown = "、".join(f"{n}（{c}）" for c, n in agencies[:NAMES_MAX])
    more = f" 等 {len(agencies)} 个（全部见汇总表“报送情况”）" if len(agencies) > NAMES_MAX else ""
    return shown + more


def render(console: Console, result: MergeResult) -> None:
    """The merge ``result`` for people, in Chinese, on ``console``."""

    def _say(text: str, style: str = "") -> None:
        safe = "\n".join(printable(line) for line in text.split("\n"))  # names come from files
        console.print(safe, soft_wrap=True, markup=False, style=style or None)

    ident = result.identity
    if not result.summary_written:
        _say(f"没有可以汇总的报表：{result.problem}。未生成汇总表。", "bold red")
    elif ident is not None:
        _say(
            f"汇总完成：{ident.agency_name} {result.year} 年度（{ident.layout_id}），"
            f"计入 {result.merged_count} 份，覆盖 {len(ident.contributors)} 个单位。",
            "bold green",
        )
    if result.merged_count > TABLE_MAX:  # (their outcomes are not made: 100,000 of them)
        _say(f"已计入汇总 {result.merged_count} 份（逐份明细见汇总表“报送情况”“分单位明细”）。")
    elif merged := sorted(result.merged, key=lambda f: (f.code, f.file_name)):
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
        for group, agencies in (result.by_type or {}).items():
            _say(f"  分类统计表：{group}（{agencies} 个单位）")
    if result.export is not None:
        _say(f"长表数据：{result.export}")
    for step in next_steps(result):
        _say(f"下一步：{step}")


def next_steps(result: MergeResult) -> list[str]:
    """What the clerk does next, in order of urgency."""
    steps: list[str] = []
    if result.year_hint is not None:  # the files are not what is wrong: nothing to send back
        return [f"改用 --year {result.year_hint} 重新运行 xlreport merge。"]
    if result.with_status("conflict"):
        steps.append(
            "同一单位有内容不同的多份报表（版本冲突）：核实以哪份为准，移走其余文件，或用 "
            "--prefer 文件 指定后重新运行 xlreport merge。"
        )
    if any(f.status not in ("conflict", "unconfirmed") for f in result.left_out):
        steps.append(
            "把“未计入”的报表退回单位修改（可运行 xlreport check 文件 --annotate 文件夹 "
            "生成标注了问题单元格的退回件），收回后重新运行 xlreport merge。"
        )
    if result.with_status("blank"):
        steps.append(
            "有空白的报表未计入：请单位补填（没有的填 0）；如确认空白即为 0，"
            "可加 --blank-as-zero 重新汇总（报送情况中会注明按 0 计的空白格数）。"
        )
    if result.with_status("unconfirmed"):
        steps.append(
            "有数值恰似日期的报表未计入（待核实）：逐格向单位核实，输入的是“1-2”之类日期的，"
            "退回单位重新输入数字；确为该数的，用 --confirm 文件 重新汇总（报送情况中注明已核实）。"
        )
    if result.missing:
        steps.append(
            f"催报未报送的 {len(result.missing)} 个单位，收到后重新运行 xlreport merge"
            + (
                "。"
                if result.allow_missing
                else "（确需先报送部分汇总时加 --allow-missing，汇总表会注明为部分汇总）。"
            )
        )
    if result.not_in_roster:
        steps.append("核对不在名单中的单位：如确应汇总，请把它们加入名单后重新汇总。")
    if result.summary_written:
        steps.append(
            "打开汇总表核对“概览”和“报送情况”；汇总表可报送上级，上级可用 xlreport merge "
            "把各地汇总表再次汇总。"
        )
    return steps
