"""``xlreport campaign …``: a collection campaign with its ledger (parse, call, render)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Protocol

import typer

from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignDecisionResult,
    CampaignIngestRequest,
    CampaignInitRequest,
    CampaignReturnRequest,
    CampaignRosterRequest,
    CampaignUnapproveRequest,
    CampaignVerifyRequest,
    campaign_approve,
    campaign_ingest,
    campaign_init,
    campaign_return,
    campaign_roster,
    campaign_unapprove,
    campaign_verify,
)
from xlreport.cli.app import FORMAT_HELP, SPEC_HELP, app, console, err_console
from xlreport.cli.usage import ChineseCommand, ChineseGroup
from xlreport.jsonout import write_json
from xlreport.safetext import printable

campaign_app = typer.Typer(
    name="campaign",
    help="收集活动：建立活动文件夹和台账，导入收到的报表，审核通过或退回，核验台账。",
    no_args_is_help=True,
    cls=ChineseGroup,
)
app.add_typer(campaign_app, name="campaign")

CampaignOpt = Annotated[
    Path,
    typer.Option("--campaign", help="活动文件夹（默认：当前文件夹）"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")]
_ROSTER_HELP = (
    "单位名单（.csv 或 .xlsx；列：单位编码、单位名称，可选 单位类型、联系人、电话、邮箱）"
)


class _Result(Protocol):
    @property
    def exit_code(self) -> int: ...

    def json_document(self) -> dict[str, Any]: ...


def _say(text: str) -> None:
    console.print(printable(text), soft_wrap=True, markup=False)


def _warn(text: str) -> None:
    err_console.print(printable(text), soft_wrap=True, markup=False)


def _json_out(result: _Result) -> None:
    write_json(result.json_document(), sys.stdout)  # chunk by chunk: 100,000 items
    sys.stdout.flush()


def _done(result: _Result) -> None:
    # SystemExit, not typer.Exit: the entry point runs typer with standalone_mode=False
    raise SystemExit(result.exit_code)


@campaign_app.command("init", cls=ChineseCommand)
def init(
    folder: Annotated[Path, typer.Argument(help="要创建的活动文件夹（须不存在或为空）")],
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2024")],
    roster: Annotated[Path, typer.Option("--roster", help=_ROSTER_HELP)],
    format_id: Annotated[str | None, typer.Option("--format", help=FORMAT_HELP)] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help=SPEC_HELP)] = None,
    name: Annotated[str, typer.Option("--name", help="县（区）名称，如 清河县")] = "",
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="报送截止日期，如 2025-01-20")
    ] = None,
    grace_days: Annotated[int, typer.Option("--grace-days", help="截止后的宽限天数")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """创建收集活动：台账、按名单生成的模板（templates/）、收件箱（inbox/）等文件夹。"""
    result = campaign_init(
        CampaignInitRequest(
            folder=folder,
            year=year,
            roster=roster,
            format_id=format_id,
            spec=spec,
            name=name,
            deadline=deadline,
            grace_days=grace_days,
        )
    )
    for note in result.roster_notes:
        _warn(f"提示：{note}")
    if as_json:
        _json_out(result)
        _done(result)
    info = result.info
    _say(f"已创建 {info.year} 年度收集活动（{info.layout_id}）：{result.folder}")
    _say(f"单位 {result.agencies} 个，模板已生成到 {result.folder / 'templates'}")
    if info.deadline:
        _say(f"截止日期 {info.deadline}，宽限 {info.grace_days} 天")
    _say("下一步：把模板发给各单位；收到的报表放进 inbox/ 后运行 xlreport campaign ingest。")
    _done(result)


@campaign_app.command("roster", cls=ChineseCommand)
def roster(
    roster_file: Annotated[Path, typer.Argument(help=_ROSTER_HELP)],
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """更新单位名单：新增、改名、撤销（名单中没有了）、恢复的单位都记入台账，不删除任何记录。"""
    result = campaign_roster(CampaignRosterRequest(roster=roster_file, campaign=campaign))
    for note in result.roster_notes:
        _warn(f"提示：{note}")
    if as_json:
        _json_out(result)
        _done(result)
    zh = {
        "added": "新增",
        "renamed": "改名",
        "withdrawn": "撤销",
        "restored": "恢复",
        "details": "信息变更",
    }
    if not result.changes:
        _say("名单没有变化。")
    for c in result.changes:
        old, new = c.old.get("name", ""), c.new.get("name", "")
        shown = f"{old} → {new}" if c.change == "renamed" else (new or old)
        _say(f"{zh[c.change]}：{c.code} {shown}")
    _say(f"名单现有单位 {result.agencies} 个。")
    _done(result)


@campaign_app.command("ingest", cls=ChineseCommand)
def ingest_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="收到的报表文件或文件夹（默认：活动的 inbox/）", readable=False),
    ] = None,
    campaign: CampaignOpt = Path("."),
    workers: Annotated[
        int | None, typer.Option("--workers", help="校验用的进程数（默认：全部 CPU）")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """导入收到的报表：存档（按 sha256）、校验一次、登记版本和状态；重复导入不会重复登记。

    退出码：0 全部登记且无错误；1 有被拒收或有错误的报表；2 有文件无法读取。
    """
    result = campaign_ingest(
        CampaignIngestRequest(paths=paths or [], campaign=campaign, workers=workers)
    )
    if as_json:
        _json_out(result)
        _done(result)
    zh = {
        "version": "登记",
        "duplicate": "重复",
        "unchanged": "未变",
        "refused": "拒收",
        "already": "已导入",
        "skipped": "跳过",
        "unreadable": "无法读取",
    }
    if result.receipt_problem:
        _warn(result.receipt_problem)
    for item in result.report.items:  # read back one by one (100,000 of them)
        if item.outcome == "already":
            continue
        line = f"[{zh[item.outcome]}] {item.source}：{item.message}"
        if item.receipt:
            line += f"（回执 {item.receipt}）"
        (_warn if item.outcome in ("refused", "unreadable") else _say)(line)
    r = result.report
    _say(
        f"共 {len(r.items)} 个文件：新版本 {r.count('version')}，重复 {r.count('duplicate')}，"
        f"数据未变 {r.count('unchanged')}，拒收 {r.count('refused')}，此前已导入 {r.count('already')}，"
        f"跳过 {r.count('skipped')}，无法读取 {r.count('unreadable')}。"
    )
    _done(result)


def _decisions(result: CampaignDecisionResult, as_json: bool) -> None:
    if as_json:
        _json_out(result)
        _done(result)
    for c in result.changes:
        if c.done:
            _say(c.message)
        else:
            _warn(f"未执行：{c.message}")
    _done(result)


@campaign_app.command("approve", cls=ChineseCommand)
def approve_cmd(
    codes: Annotated[list[str] | None, typer.Argument(help="要审核通过的单位编码")] = None,
    all_clean: Annotated[
        bool, typer.Option("--all-clean", help="通过全部“已报（待审核）”（没有错误）的单位")
    ] = False,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """审核通过：只有当前版本没有错误（已报（待审核））的单位可以通过。退出码 1：有单位未能通过。"""
    _decisions(
        campaign_approve(
            CampaignApproveRequest(codes=codes or [], all_clean=all_clean, campaign=campaign)
        ),
        as_json,
    )


@campaign_app.command("return", cls=ChineseCommand)
def return_cmd(
    code: Annotated[str, typer.Argument(help="要退回的单位编码")],
    reason: Annotated[str, typer.Option("--reason", help="退回原因（记入台账）")],
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """退回修改：把单位当前的版本退回，须说明原因。"""
    _decisions(
        campaign_return(CampaignReturnRequest(code=code, reason=reason, campaign=campaign)),
        as_json,
    )


@campaign_app.command("unapprove", cls=ChineseCommand)
def unapprove_cmd(
    code: Annotated[str, typer.Argument(help="要撤销通过的单位编码")],
    reason: Annotated[str, typer.Option("--reason", help="撤销原因（记入台账）")],
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """撤销通过：已通过的单位回到“已报（待审核）”，须说明原因。"""
    _decisions(
        campaign_unapprove(CampaignUnapproveRequest(code=code, reason=reason, campaign=campaign)),
        as_json,
    )


@campaign_app.command("verify", cls=ChineseCommand)
def verify_cmd(campaign: CampaignOpt = Path("."), as_json: JsonOpt = False) -> None:
    """核验台账：事件链是否完整、存档文件的 sha256 是否一致、单位状态是否与事件相符。

    退出码：0 完好；1 发现问题（逐条指出哪个事件、哪个文件）。
    """
    result = campaign_verify(CampaignVerifyRequest(campaign=campaign))
    if as_json:
        _json_out(result)
        _done(result)
    for p in result.problems:  # what verify found is its result: on stdout
        _say(f"{'问题' if p.blocking else '提示'}：{p.message}")
    if result.ok:
        _say(
            f"台账完好：{result.events} 个事件的记录链完整，{result.files} 个存档文件均与登记的 sha256 一致。"
        )
    else:
        bad = sum(1 for p in result.problems if p.blocking)
        _warn(f"台账有 {bad} 处问题（见上）。")
    _done(result)
