"""The web application of ``xlreport serve``: routes only.

Each handler parses its request, calls one function of the library API
(``xlreport.api.campaign_web``, ``xlreport.api.campaign_links`` and the campaign API) and
renders the result; it decides nothing itself. Two kinds of pages:

- office pages (``/``, ``/agency/…``, ``/action/…``, ``/download/…``): from this machine only,
  or from elsewhere after typing ``--office-password``;
- an agency's pages under ``/u/<token>``: the token from ``xlreport campaign links`` is the
  only key; it is resolved by the API (compared by its hash, in constant time).

Downloads are named by an id from the ledger, never by a path from the request.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from xlreport.api import campaign_web as web_api
from xlreport.api.campaign_web_views import Download, LinkView
from xlreport.errors import XlreportError
from xlreport.web.errors import ServerErrorPage
from xlreport.web.limits import (
    TOO_LARGE_TEXT,
    TOO_SLOW_TEXT,
    BodyLimitsMiddleware,
    BodyTooLarge,
    BodyTooSlow,
    RequestLimits,
)
from xlreport.web.names import client_filename
from xlreport.web.render import page, refusal
from xlreport.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    SecurityHeadersMiddleware,
    Sessions,
    log,
    login_machine,
    redacted_path,
)

STATIC = Path(__file__).resolve().parent / "static"

#: The default cap on one uploaded file.
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
_FORM_LIMITS: dict[str, Any] = {"max_files": 1, "max_fields": 8, "max_part_size": 64 * 1024}


@dataclass(frozen=True)
class WebSettings:
    campaign: Path
    office_password: str | None = None
    max_upload: int = DEFAULT_MAX_UPLOAD
    read_timeout: float = 15.0
    body_deadline: float = 300.0


Handler = Callable[[Request], Awaitable[Response]]


def build_app(settings: WebSettings) -> Starlette:
    """The application for one campaign folder (checked to be a campaign first)."""
    web_api.describe_campaign(web_api.CampaignRequest(settings.campaign))
    sessions = Sessions(settings.office_password)
    campaign = settings.campaign
    upload_dir = Path(tempfile.mkdtemp(prefix="xlreport-uploads-"))

    # --- plumbing: sessions, CSRF, the office guard ----------------------------------------
    def _session(request: Request) -> tuple[str, bool]:
        current = sessions.session_of(request)
        return (current, False) if current else (sessions.new_session(), True)

    def _with_session(response: Response, session: str, new: bool) -> Response:
        if new:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")
        return response

    def office(handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            if not sessions.office_allowed(request):
                if sessions.password_required:
                    return RedirectResponse("/login", status_code=303)
                return refusal(
                    403,
                    "只能在本机打开",
                    "办公室页面只能在运行 xlreport serve 的电脑上打开。"
                    "如需从其他电脑查看，请用 --office-password 设置密码后重新启动。",
                )
            return await handler(request)

        return guarded

    async def _checked_form(request: Request) -> FormData | Response:
        """The POSTed form once its CSRF token and origin are right (else the refusal)."""
        if not sessions.origin_ok(request):
            return refusal(403, "请求被拒绝", "请求来自其他网站，已拒绝。请从本系统的页面操作。")
        form = await request.form(**_FORM_LIMITS)
        submitted = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
        if not isinstance(submitted, str) or not sessions.csrf_ok(request, submitted):
            await form.close()
            return refusal(
                403, "页面已过期", "页面已过期或不是从本系统打开的。请刷新页面后重新操作。"
            )
        return form

    def _text(form: FormData, name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def _download(found: Download) -> Response:
        headers = {"content-disposition": "attachment; filename*=UTF-8''" + quote(found.filename)}
        if found.data is not None:
            return Response(found.data, media_type=found.media_type, headers=headers)
        return FileResponse(found.path, media_type=found.media_type, headers=headers)

    # --- office pages ------------------------------------------------------------------------
    async def login_page(request: Request) -> Response:
        session, new = _session(request)
        if not sessions.password_required:
            return RedirectResponse("/", status_code=303)
        return _with_session(
            page("login.html", csrf=sessions.csrf_for(session), wrong=False), session, new
        )

    async def login(request: Request) -> Response:
        form = await _checked_form(request)
        if isinstance(form, Response):
            return form
        session = sessions.session_of(request)
        assert session is not None  # csrf_ok needs one
        machine = login_machine(request)
        wait = sessions.login_wait(machine)
        if wait:
            return refusal(
                429,
                "请稍后再试",
                f"密码输错次数过多，请 {-(-wait // 60)} 分钟后再试；"
                "忘记密码请到运行 xlreport serve 的电脑上查看或重新设置。",
            )
        if not sessions.password_ok(_text(form, "password")):
            sessions.wrong_password(machine)
            return page("login.html", 403, csrf=sessions.csrf_for(session), wrong=True)
        fresh = sessions.admit(session, machine)
        return _with_session(RedirectResponse("/", status_code=303), fresh, True)

    @office
    async def board(request: Request) -> Response:
        session, new = _session(request)
        view = await run_in_threadpool(web_api.board_view, web_api.CampaignRequest(campaign))
        flash = request.query_params.get("done", "")
        return _with_session(
            page("board.html", view=view, csrf=sessions.csrf_for(session), flash=flash),
            session,
            new,
        )

    @office
    async def board_body(request: Request) -> Response:
        view = await run_in_threadpool(web_api.board_view, web_api.CampaignRequest(campaign))
        return page("_board_body.html", view=view)

    @office
    async def agency(request: Request) -> Response:
        session, new = _session(request)
        code = request.path_params["code"]
        try:
            view = await run_in_threadpool(
                web_api.agency_view, web_api.AgencyRequest(campaign, code)
            )
        except XlreportError as e:
            return refusal(404, "没有这个单位", str(e), back="/")
        flash = request.query_params.get("done", "")
        return _with_session(
            page("agency.html", view=view, csrf=sessions.csrf_for(session), flash=flash),
            session,
            new,
        )

    @office
    async def action(request: Request) -> Response:
        form = await _checked_form(request)
        if isinstance(form, Response):
            return form
        name = request.path_params["name"]
        code = _text(form, "code")
        try:
            done = await run_in_threadpool(
                web_api.office_action,
                web_api.ActionRequest(campaign, name, code, reason=_text(form, "reason")),
            )
        except XlreportError as e:
            back = f"/agency/{quote(code)}" if code else "/"
            return refusal(400, "未能完成", str(e), back=back)
        target = f"/agency/{quote(code)}" if code and name != "ingest" else "/"
        return RedirectResponse(f"{target}?done={quote(done.message)}", status_code=303)

    @office
    async def office_download(request: Request) -> Response:
        try:
            found = await run_in_threadpool(
                web_api.office_download,
                web_api.DownloadRequest(
                    campaign, request.path_params["kind"], request.path_params.get("ref", "")
                ),
            )
        except XlreportError as e:
            return refusal(404, "没有这个文件", str(e), back="/")
        return _download(found)

    # --- an agency's pages -------------------------------------------------------------------
    async def _link(request: Request) -> LinkView | Response:
        try:
            return await run_in_threadpool(
                web_api.link_view,
                web_api.LinkRequest(campaign, request.path_params["token"], settings.max_upload),
            )
        except XlreportError as e:
            return refusal(403, "链接无效", str(e))

    async def link_page(request: Request) -> Response:
        session, new = _session(request)
        view = await _link(request)
        if isinstance(view, Response):
            return view
        return _with_session(
            page(
                "link.html",
                view=view,
                csrf=sessions.csrf_for(session),
                outcome=None,
                token_path=quote(request.path_params["token"], safe=""),
            ),
            session,
            new,
        )

    def _hold(upload: UploadFile) -> Path:
        """The upload's bytes in a fresh folder of ours (its name is the agency's: kept for
        the ledger by the API, never used as a path here)."""
        held = upload_dir / secrets.token_hex(16)
        held.mkdir()
        target = held / "upload.xlsx"
        upload.file.seek(0)
        with target.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1024 * 1024)
        return target

    async def link_upload(request: Request) -> Response:
        view = await _link(request)
        if isinstance(view, Response):
            return view
        form = await _checked_form(request)
        if isinstance(form, Response):
            return form
        held: Path | None = None
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return refusal(400, "没有选择文件", "请先选择要上传的报表文件（.xlsx）。")
            if upload.size is not None and upload.size > settings.max_upload:
                return refusal(413, "文件太大", TOO_LARGE_TEXT)
            held = await run_in_threadpool(_hold, upload)
            outcome = await run_in_threadpool(
                web_api.upload_return,
                web_api.UploadRequest(
                    campaign, request.path_params["token"], held, client_filename(upload.filename)
                ),
            )
        finally:
            await form.close()
            if held is not None:
                shutil.rmtree(held.parent, ignore_errors=True)
        session = sessions.session_of(request) or ""
        view = await _link(request)
        if isinstance(view, Response):
            return view
        return page(
            "link.html",
            200 if outcome.accepted else 422,
            view=view,
            csrf=sessions.csrf_for(session),
            outcome=outcome,
            token_path=quote(request.path_params["token"], safe=""),
        )

    async def link_download(request: Request) -> Response:
        try:
            found = await run_in_threadpool(
                web_api.agency_download,
                web_api.AgencyDownloadRequest(
                    campaign,
                    request.path_params["token"],
                    request.path_params["kind"],
                    request.path_params.get("ref", ""),
                ),
            )
        except XlreportError as e:
            return refusal(404, "没有这个文件", str(e))
        return _download(found)

    async def too_large(request: Request, exc: Exception) -> Response:
        return refusal(413, "文件太大", TOO_LARGE_TEXT)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            return refusal(404, "没有这个页面", "地址不对。请从看板或本单位的链接进入。")
        if status == 405:
            return refusal(405, "不支持的操作", "请从页面上的按钮操作。")
        return refusal(
            status, "请求无效", "请求的格式不对（如一次上传了多个文件）。请刷新页面后重新操作。"
        )

    async def api_refusal(request: Request, exc: Exception) -> Response:
        """An error the API explains (``XlreportError``: a Chinese sentence with what to do)
        that no route answered itself: on an agency's pages, the link's refusal when the
        link no longer works (revoked or expired meanwhile), else the reason."""
        token = request.path_params.get("token")
        if isinstance(token, str):
            view = await _link(request)
            if isinstance(view, Response):
                return view
            # the reason as the agency may read it: the office's folders not named
            log.error("%s 未能完成：%s", redacted_path(request.url.path), exc)
            shown = str(exc)
            for folder in sorted({str(campaign.resolve()), str(campaign), str(upload_dir)}):
                shown = shown.replace(folder, "…")
            return refusal(400, "未能完成", shown, back=f"/u/{quote(token, safe='')}")
        return refusal(400, "未能完成", str(exc), back="/")

    async def too_slow(request: Request, exc: Exception) -> Response:
        return refusal(408, "上传超时", TOO_SLOW_TEXT)

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:  # uploads are moved into the campaign at once; nothing of value is left here
            shutil.rmtree(upload_dir, ignore_errors=True)

    routes = [
        Route("/", board),
        Route("/favicon.ico", no_icon),
        Route("/board/body", board_body),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/agency/{code}", agency),
        Route("/action/{name}", action, methods=["POST"]),
        Route("/download/{kind}", office_download),
        Route("/download/{kind}/{ref}", office_download),
        Route("/u/{token}", link_page, methods=["GET"]),
        Route("/u/{token}/upload", link_upload, methods=["POST"]),
        Route("/u/{token}/download/{kind}", link_download),
        Route("/u/{token}/download/{kind}/{ref}", link_download),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    limits = RequestLimits(
        max_body=settings.max_upload + 64 * 1024,
        read_timeout=settings.read_timeout,
        body_deadline=settings.body_deadline,
    )
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(ServerErrorPage),
            Middleware(BodyLimitsMiddleware, limits=limits),
        ],
        exception_handlers={
            BodyTooLarge: too_large,
            BodyTooSlow: too_slow,
            HTTPException: http_error,
            XlreportError: api_refusal,
        },
        lifespan=lifespan,
    )
