"""Limits on what a request may send: its size and how slowly it may send it.

An ASGI wrapper around ``receive``: a request announcing more than the cap in its
``Content-Length`` is refused before a byte of its body is read (413); a body that grows past
the cap while streaming (no or a false ``Content-Length``) is refused at that moment; a client
that stops sending in the middle of its body (slowloris) is refused after ``read_timeout``
seconds of silence, or once the whole body has taken longer than ``body_deadline``. Other
connections are served meanwhile (one event loop, no thread per connection).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """The body grew past the cap while streaming."""


class BodyTooSlow(Exception):
    """The client stopped sending its body (or took too long altogether)."""


@dataclass(frozen=True)
class RequestLimits:
    max_body: int = 20 * 1024 * 1024 + 64 * 1024  # the file cap plus the form's own fields
    read_timeout: float = 15.0
    body_deadline: float = 300.0


async def _send_plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


TOO_LARGE_TEXT = "上传的内容超过大小上限，已拒收。请检查是否选错了文件（报表文件通常只有几十 KB）。"
TOO_SLOW_TEXT = "上传中断或过慢，已拒收。请检查网络后重新上传。"


class BodyLimitsMiddleware:
    def __init__(self, app: ASGIApp, limits: RequestLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    await _send_plain(send, 400, "请求格式错误（Content-Length）。")
                    return
                if announced < 0 or announced > limits.max_body:
                    await _send_plain(send, 413, TOO_LARGE_TEXT)
                    return
        received = 0
        complete = False
        started = time.monotonic()

        async def limited_receive() -> Message:
            nonlocal received, complete
            if complete:
                return await receive()
            remaining = limits.body_deadline - (time.monotonic() - started)
            if remaining <= 0:
                raise BodyTooSlow
            try:
                message = await asyncio.wait_for(receive(), min(limits.read_timeout, remaining))
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limits.max_body:
                    raise BodyTooLarge
                if not message.get("more_body", False):
                    complete = True
            return message

        await self.app(scope, limited_receive, send)
