"""``xlreport campaign links``: each agency's upload link for ``xlreport serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xlreport.api.campaign_links import CampaignLinksRequest, campaign_links
from xlreport.cli.app import console
from xlreport.cli.cmd_campaign import CampaignOpt, JsonOpt, campaign_app
from xlreport.cli.usage import ChineseCommand
from xlreport.safetext import printable


def _say(text: str) -> None:
    console.print(printable(text), soft_wrap=True, markup=False)


@campaign_app.command("links", cls=ChineseCommand)
def links_cmd(
    codes: Annotated[
        list[str] | None, typer.Argument(help="只给这些单位发放新链接（旧链接作废）")
    ] = None,
    url: Annotated[
        str,
        typer.Option(
            "--url", help="网页地址（各单位能访问的本机地址），如 http://192.168.1.20:8700"
        ),
    ] = "",
    export: Annotated[
        Path | None, typer.Option("--export", help="把新链接导出到 Excel 文件，如 上传链接.xlsx")
    ] = None,
    revoke: Annotated[
        list[str] | None, typer.Option("--revoke", help="停用这个单位的链接（可重复）")
    ] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help="链接有效至（日期，默认：活动结束）")
    ] = None,
    campaign: CampaignOpt = Path("."),
    as_json: JsonOpt = False,
) -> None:
    """发放各单位的上传链接（xlreport serve 的报送网页）。

    每个单位一个随机链接，只在发放时显示一次（台账只保存其摘要）；没有有效链接的单位都会
    得到新链接。--revoke 停用链接；再运行一次即为其发放新链接。
    """
    result = campaign_links(
        CampaignLinksRequest(
            campaign=campaign,
            url=url,
            codes=tuple(codes or ()),
            revoke=tuple(revoke or ()),
            export=export,
            expires=expires,
        )
    )
    if as_json:
        console.print_json(result.to_json())
        return
    for code in result.revoked:
        _say(f"已停用：{code} 的链接")
    for row in result.issued:
        _say(f"{row.code}  {row.name}  {row.url}")
    if result.issued:
        _say(
            f"已发放 {len(result.issued)} 个链接，有效至 {result.issued[0].expires_on}。链接只显示这一次，请妥善保存、分别发给各单位。"
        )
    elif not result.revoked:
        _say("所有单位都已有有效链接，未发放新链接（需要重发请写单位编码，或先 --revoke）。")
    if result.export is not None:
        _say(f"已导出：{result.export}")
