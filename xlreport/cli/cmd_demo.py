"""``xlreport demo``: the whole round trip on the bundled sample county."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlreport.cli.app import app, console
from xlreport.cli.usage import ChineseCommand
from xlreport.demo import COUNTY, PASSWORD, YEAR, run_demo
from xlreport.demo.campaign import run_campaign_demo
from xlreport.merge.model import STATUS_TEXT


def _say(text: str, style: str = "") -> None:
    console.print(text, soft_wrap=True, markup=False, style=style or None)


@app.command("demo", cls=ChineseCommand)
def demo(
    out: Annotated[Path, typer.Option("--out", help="演示输出文件夹")] = Path("xlreport-演示"),
    serve: Annotated[
        bool,
        typer.Option("--serve", help="再把收到的报表建成收集活动，启动报送网页并用浏览器打开看板"),
    ] = False,
    port: Annotated[int, typer.Option("--port", help="报送网页的端口（与 --serve 一起用）")] = 8700,
) -> None:
    """用自带的示例数据（清河县）演示完整流程：生成模板 → 各单位填报 → 校验 → 汇总。"""
    result = run_demo(out)
    _say(f"演示：{COUNTY} {YEAR} 年度，输出在 {out}", "bold")
    _say(f"1. 已按花名册生成 {len(result.templates)} 个单位的模板：{out / '1-下发模板'}")
    _say(
        f"   模板保护密码：{PASSWORD}（已另存到模板文件夹旁：{result.password_file}，请勿发给填报单位）"
    )
    _say(
        f"2. 模拟各单位填报并发回 {len(result.returns)} 个文件（有改名、有初稿和终稿（汇总时用 --prefer 指定终稿）、"
        f"有一份填错、{len(result.missing)} 个单位未报送）：{out / '2-收到的报表'}"
    )
    run = result.check
    assert run is not None
    bad = [c for c in run.checked if c.report.errors]
    _say(
        f"3. 校验：{len(run.checked)} 个文件，{len(bad)} 个有错误；"
        f"退回修改文件 {len(run.annotated)} 个：{out / '3-校验结果'}"
    )
    for c in bad:
        _say(f"   {Path(c.report.path).name}（{c.report.agency_name}）：", "yellow")
        for finding in [f for f in c.report.findings if f.severity == "error"][:5]:
            _say(f"     {finding.cell} {finding.message}")
    assert result.merge is not None
    merge = result.merge.outcome
    _say(f"4. 汇总：{merge.merged_count} 份报表计入汇总表 {merge.out}")
    for outcome in merge.files:
        if outcome.status != "merged":
            _say(f"   {Path(outcome.path).name}：{STATUS_TEXT[outcome.status]}　{outcome.reason}")
    for code, name in merge.missing:
        _say(f"   未报送：{name}（{code}）", "yellow")
    if merge.export:
        _say(f"   长表数据：{merge.export}")
    _say("用 Excel 或 WPS 打开汇总表，查看“概览”“报送情况”“校验结果”等工作表。", "green")
    folder = _campaign(out)
    if serve:
        _serve(folder, port)


def _serve(folder: Path, port: int) -> None:
    """``--serve``: the demo campaign's upload links, then its board in the browser."""
    from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links
    from xlreport.cli.cmd_serve import serve

    links = campaign_links(CampaignLinksRequest(campaign=folder, url=f"http://127.0.0.1:{port}"))
    _say("6. 报送网页（xlreport serve）：各单位的上传链接", "bold")
    for link in links.issued:
        _say(f"   {link.code}  {link.name}  {link.url}")
    serve(folder, port=port, open_browser=True)


def _campaign(out: Path) -> Path:
    """Step 5: the same county as a collection campaign (xlreport campaign …)."""
    c = run_campaign_demo(out)
    _say(f"5. 收集活动（xlreport campaign）：{c.folder}", "bold")
    _say(f"   第 1 轮登记 {c.rounds[0]} 份报表，每份都有回执：{c.folder / 'receipts'}")
    if c.notices is not None:
        for n in c.notices.notices:
            _say(f"   退回：{n.message}")
    if c.history is not None and c.history.versions[-1].resubmission is not None:
        _say(f"   第 2 轮重新报送：{c.history.versions[-1].resubmission.summary()}")
    if c.merge is not None and c.merge.merge is not None:
        _say(f"   审核通过后汇总（只用已通过的版本）：{c.merge.merge.out}")
    if c.status is not None:
        t = c.status.board.total
        _say(
            f"   报送进度：应报 {t.expected}，已报 {t.received}，已通过 {t.approved}，"
            f"未报 {t.missing}；导出 {c.status.export}"
        )
    return c.folder
