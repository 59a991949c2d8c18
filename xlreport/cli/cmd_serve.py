"""``xlreport serve``: the office's board and the agencies' upload pages in a browser."""

from __future__ import annotations

import logging
import os
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from xlreport.cli.app import app, console
from xlreport.cli.usage import ChineseCommand
from xlreport.errors import UsageError
from xlreport.safetext import printable

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _say(text: str) -> None:
    console.print(printable(text), soft_wrap=True, markup=False)


@app.command("serve", cls=ChineseCommand)
def serve(
    campaign: Annotated[Path, typer.Argument(help="活动文件夹（campaign init 创建的）")],
    host: Annotated[
        str, typer.Option("--host", help="监听地址；0.0.0.0 让局域网内各单位访问")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8700,
    office_password: Annotated[
        str | None,
        typer.Option(
            "--office-password",
            help="办公室页面密码：设置后其他电脑输入密码也能打开看板（也可用环境变量 XLREPORT_OFFICE_PASSWORD）",
        ),
    ] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="启动后用浏览器打开看板")] = False,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="单个上传文件的大小上限（MB）")
    ] = 20,
    body_timeout: Annotated[
        float,
        typer.Option("--body-timeout", help="上传中途停顿超过这么多秒即拒收（防止慢速占用连接）"),
    ] = 15.0,
    write_launcher: Annotated[
        bool,
        typer.Option(
            "--write-launcher",
            help="把 Windows 双击启动文件 启动.cmd 放进活动文件夹，然后退出（不启动网页）",
        ),
    ] = False,
) -> None:
    """启动报送网页：办公室看板（本机）和各单位的上传页面（campaign links 发放的链接）。

    按 Ctrl-C 停止。
    """
    import uvicorn

    from xlreport.api.campaign_web import CampaignRequest
    from xlreport.api.campaign_web import write_launcher as put_launcher
    from xlreport.web.app import WebSettings, build_app

    if write_launcher:
        written = put_launcher(CampaignRequest(campaign))
        _say(f"已写入 {written}：在 Windows 上双击它即可启动报送网页并打开看板。")
        return

    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} 无效", "请用 1 到 65535 之间的端口，如 8700")
    if not 1 <= max_upload_mb <= 1024:
        raise UsageError(f"--max-upload-mb {max_upload_mb} 无效", "请用 1 到 1024 之间的数")
    if not 0.1 <= body_timeout <= 600:
        raise UsageError(f"--body-timeout {body_timeout} 无效", "请用 0.1 到 600 之间的秒数")
    password = office_password or os.environ.get("XLREPORT_OFFICE_PASSWORD") or None
    settings = WebSettings(
        campaign=campaign,
        office_password=password,
        max_upload=max_upload_mb * 1024 * 1024,
        read_timeout=body_timeout,
    )
    web = build_app(settings)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    board = f"http://{shown}:{port}/"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    _say(f"报送网页：{board}（办公室看板{'，仅本机可开' if password is None else ''}）")
    if host not in _LOOPBACK:
        _say(
            f"各单位用 xlreport campaign links --url http://本机局域网地址:{port} 发放的链接上传。"
        )
    _say("按 Ctrl-C 停止。")
    config = uvicorn.Config(
        web,
        host=host,
        port=port,
        access_log=False,  # our own log, without the agencies' tokens
        proxy_headers=False,  # the client's address is the connection's, never a header's
        log_level="warning",
        limit_concurrency=200,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=64 * 1024,
    )
    server = uvicorn.Server(config)
    if open_browser:

        def _open_when_ready() -> None:
            for _ in range(200):
                if server.started:
                    webbrowser.open(board)
                    return
                threading.Event().wait(0.05)

        threading.Thread(target=_open_when_ready, daemon=True).start()
    server.run()
