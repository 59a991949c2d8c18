"""Errors no handler answers: logged without the link's token, answered with a Chinese page."""

from __future__ import annotations

import re
import traceback
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xlreport.web.render import refusal
from xlreport.web.security import log, redacted_path

#: What an agency is told when its upload met an unforeseen error.
UPLOAD_FAILED_TEXT = (
    "服务器出错，这次上传没有得到确认：文件可能已经收到，也可能没有。"
    "请重新打开本单位的链接，查看页面上的“报送记录”和“回执”："
    "列表里有这次的文件就不用再传；没有就请重新上传。仍然出错请联系县里的报送负责人，并说明出错的时间。"
)
#: What anyone else is told.
SERVER_FAILED_TEXT = (
    "服务器出错，这次操作没有完成确认。请刷新页面查看是否已经完成，再重新操作；"
    "仍然出错请联系报送负责人（运行 xlreport serve 的窗口里记有出错原因）。"
)
_UPLOAD_PATH = re.compile(r"^/u/[^/]+/upload$")


class ServerErrorPage:
    """Any error no handler answers: logged (the link's token replaced by ``…``) and
    answered with a Chinese page that says what to do, inside the security headers
    (Starlette's own answer would be a bare English "Internal Server Error")."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            path = str(scope.get("path", ""))
            log.error(
                "%s %s 出错：%s",
                scope.get("method", "-"),
                redacted_path(path),
                _without_token(traceback.format_exc(), path),
            )
            if started:  # too late for a page of our own
                raise
            upload = scope.get("method") == "POST" and _UPLOAD_PATH.match(path)
            response = refusal(
                500, "服务器出错", UPLOAD_FAILED_TEXT if upload else SERVER_FAILED_TEXT
            )
            await response(scope, receive, send)


def _without_token(text: str, path: str) -> str:
    """``text`` with the agency token of ``path`` (if any) replaced by ``…``."""
    if not path.startswith("/u/"):
        return text
    token = path[3:].split("/", 1)[0]
    if not token:
        return text
    for form in {token, quote(token, safe=""), quote(token)}:
        text = text.replace(form, "…")
    return text
