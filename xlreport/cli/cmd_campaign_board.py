"""``xlreport campaign status|history|receipt|receipts|notice|merge`` (parse, call, render)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xlreport.api.campaign_board import (
    CampaignHistoryRequest,
    CampaignMergeRequest,
    CampaignNoticeRequest,
    CampaignReceiptsRequest,
    CampaignStatusRequest,
    ReceiptVerifyRequest,
    campaign_history,
    campaign_merge,
    campaign_notices,
    campaign_receipts,
    campaign_status,
    verify_receipt,
)
from xlreport.campaign.board import COUNT_HEADINGS, count_cells
from xlreport.campaign.receipts import show_time
from xlreport.checks.resubmission import mark_line
from xlreport.cli.app import console
from xlreport.cli.cmd_campaign import (
    CampaignOpt,
    JsonOpt,
    _done,
    _json_out,
    _say,
    _warn,
    campaign_app,
)
from xlreport.cli.usage import ChineseCommand
from xlreport.safetext import printable


@campaign_app.command("status", cls=ChineseCommand)
def status_cmd(
    campaign: CampaignOpt = Path("."),
    export: Annotated[
        Path | None,
        typer.Option("--export", help="把报送进度另存为 .xlsx（带筛选），如 报送进度.xlsx"),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """报送进度：应报、已报、按时、已通过、需修改/退回、逾期，按单位类型统计；列出催报名单和联系方式。"""
    result = campaign_status(CampaignStatusRequest(campaign=campaign, export=export))
    if as_json:
        _json_out(result)
        _done(result)
    b = result.board
    kinds = list(b.by_type)
    table = Table(title=printable(f"{b.campaign} 报送进度"))
    table.add_column("项目")
    for kind in kinds:
        table.add_column(kind, justify="right")
    cells = [count_cells(k, b.by_type[k]) for k in kinds]
    for i, heading in enumerate(COUNT_HEADINGS[1:], start=1):
        table.add_row(heading, *(c[i] for c in cells))
    console.print(table)
    cutoff = b.cutoff
    if cutoff is not None:
        _say(
            f"截止 {b.deadline[:10]}，宽限 {b.grace_days} 天（{cutoff.isoformat()} 及以前报送为按时）"
        )
    for text in result.reminders().values():
        if text:
            _say("")
            for line in text.splitlines():
                _say(line)
    if result.export is not None:
        _say(f"已导出：{result.export}")
    _done(result)


@campaign_app.command("history", cls=ChineseCommand)
def history_cmd(
    code: Annotated[str, typer.Argument(help="单位编码")],
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """一个单位的全部版本（每版改正了什么、改动了哪些单元格）、事件记录和回执。"""
    result = campaign_history(CampaignHistoryRequest(code=code, campaign=campaign))
    if as_json:
        _json_out(result)
        _done(result)
    _say(f"{result.name}（{result.code}）当前状态：{result.state}")
    if not result.versions:
        _say("尚未报送任何版本。")
    for step in result.versions:
        v = step.version
        _say(
            f"第 {v.round} 轮：“{v.original_name}”，{show_time(v.received_at)} 收到，"
            f"错误 {v.errors}、警告 {v.warnings}"
            + (f"，回执 {step.receipt}" if step.receipt else "")
        )
        res = step.resubmission
        if res is not None:
            _say(f"  {res.summary()}")
            for m in res.marks:
                _say(f"  {mark_line(m)}")
            for c in res.changed:
                d = c.to_dict()
                _say(
                    f"  改动 {c.sheet} {c.cell}（{c.row_label} / {c.col_label}）：{d['old']} → {d['new']}"
                )
    _say("事件：")
    for e in result.events:
        change = f"{e['from_state']} → {e['to_state']}" if e["to_state"] else ""
        reason = f"，原因：{e['reason']}" if e["reason"] else ""
        _say(f"  #{e['id']} {show_time(e['at'])} {e['text']}（{e['kind']}） {change}{reason}")
    _say("回执：")
    for r in result.receipts:
        _say(f"  {r.line()}")
    _done(result)


@campaign_app.command("receipt", cls=ChineseCommand)
def receipt_cmd(
    number: Annotated[str, typer.Argument(help="回执号，如 2024-QH001-001")],
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """核验回执号：是否由本活动的台账发出、对应哪个文件、存档文件是否完好。退出码 1：核验未通过。"""
    result = verify_receipt(ReceiptVerifyRequest(number=number, campaign=campaign))
    if as_json:
        _json_out(result)
        _done(result)
    c = result.check
    if c.ok:
        _say(c.message)
    else:
        _warn(f"核验未通过（{c.code}）：{c.message}")
    _done(result)


@campaign_app.command("receipts", cls=ChineseCommand)
def receipts_cmd(
    code: Annotated[str | None, typer.Option("--code", help="只列出这个单位的回执")] = None,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """全部回执：写入 receipts/（可打印的 A4 文档），并列出可直接粘贴到消息中的回执文字。"""
    result = campaign_receipts(CampaignReceiptsRequest(campaign=campaign, code=code))
    if as_json:
        _json_out(result)
        _done(result)
    for r in result.receipts:
        _say(r.line())
    _say(
        f"共 {len(result.receipts)} 份回执，文档在 {result.folder}（本次写入 {len(result.written)} 份）。"
    )
    _done(result)


@campaign_app.command("notice", cls=ChineseCommand)
def notice_cmd(
    codes: Annotated[list[str] | None, typer.Argument(help="单位编码（可多个）")] = None,
    all_: Annotated[bool, typer.Option("--all", help="所有“需修改”或“退回”的单位")] = False,
    deadline: Annotated[
        str, typer.Option("--deadline", help="通知中写明的重新报送截止日期，如 2025-01-25")
    ] = "",
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """退回修改通知：为“需修改”或“退回”的单位生成通知（A4，列出每个错误）和标注稿，放在 notices/单位/ 中。"""
    result = campaign_notices(
        CampaignNoticeRequest(codes=codes or [], all=all_, campaign=campaign, deadline=deadline)
    )
    if as_json:
        _json_out(result)
        _done(result)
    if not result.notices:
        _say("没有需修改或退回的单位。")
    for n in result.notices:
        if n.refusal:
            _warn(f"未生成（{n.refusal}）：{n.message}")
        else:
            _say(n.message)
            if n.resubmission is not None:
                _say(f"  {n.resubmission.summary()}")
    _done(result)


@campaign_app.command("merge", cls=ChineseCommand)
def merge_cmd(
    allow_missing: Annotated[
        bool,
        typer.Option("--allow-missing", help="有单位尚无已通过的版本时也汇总（部分汇总）"),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="汇总表文件（默认：summary/县名年度汇总.xlsx）")
    ] = None,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """汇总：只用各单位已通过的版本（台账中登记的数值，不再读取文件），生成汇总表和所用版本清单，并记入台账。"""
    result = campaign_merge(
        CampaignMergeRequest(campaign=campaign, allow_missing=allow_missing, out=out)
    )
    if as_json:
        _json_out(result)
        _done(result)
    if result.refusal:
        _warn(f"未汇总（{result.refusal}）：{result.message}")
        _done(result)
    m = result.merge
    if m is not None and m.summary_written:
        _say(f"已汇总 {len(result.manifest)} 个单位的已通过版本：{m.out}")
        if result.manifest_path is not None:
            _say(f"所用版本清单：{result.manifest_path}")
        for r in result.left_out[:20]:
            _warn(f"已通过但未计入汇总：{r.agency_name}（{r.agency_code}）{r.state}")
        if len(result.left_out) > 20:
            _warn(f"……共 {len(result.left_out)} 个已通过的版本未计入汇总，见所用版本清单")
        if m.missing:
            _warn(
                "部分汇总，未计入："
                + "、".join(f"{n}（{c}）" for c, n in m.missing[:20])
                + (f" 等 {len(m.missing)} 个单位" if len(m.missing) > 20 else "")
            )
    elif m is not None:
        _warn(f"未生成汇总表：{m.problem}")
    _done(result)
