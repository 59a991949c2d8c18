"""What every response carries and what every request is checked for.

- Headers: a content security policy allowing only this server's own scripts and styles
  (no inline script, no eval), ``X-Content-Type-Options: nosniff``, no framing, no referrer
  to other sites (an agency's link holds its token; same-origin requests keep their
  Origin, which the CSRF check reads).
- The request log: one line per request, the agency token and any query string replaced by
  ``…`` so the log never holds a secret.
- Sessions and CSRF: a random session id in an HttpOnly, SameSite=Strict cookie; every POST
  carries ``hmac(server secret, session id)`` as a form field or an ``X-CSRF-Token`` header,
  compared in constant time, and its ``Origin`` (when the browser sends one) must be this
  server.
- Office pages: from this machine only (loopback, asked for by a loopback name), unless ``--office-password`` is given;
  then a session that has typed the password may see them from elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("xlreport.web")

SESSION_COOKIE = "xlreport_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]

_TOKEN_IN_PATH = re.compile(r"^/u/[^/]+")


def redacted_path(path: str) -> str:
    """The path as logged: an agency link's token replaced by ``…``."""
    return _TOKEN_IN_PATH.sub("/u/…", path)


class SecurityHeadersMiddleware:
    """Adds the security headers to every response and logs every request (no token)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in _HEADERS if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            client = scope.get("client") or ("-", 0)
            query = "?…" if scope.get("query_string") else ""
            log.info(
                "%s %s %s%s %s %.0fms",
                client[0],
                scope.get("method", "-"),
                redacted_path(str(scope.get("path", ""))),
                query,
                status or "-",
                (time.monotonic() - started) * 1000,
            )


def is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    if host in ("testclient", "localhost"):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def host_is_loopback(request: Request) -> bool:
    """Whether the page was asked for by a loopback name (``Host``): a page of another site
    whose name was made to point at 127.0.0.1 (DNS rebinding) does not see the office."""
    host = request.headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]", 1)[0]
    return name.lower() in _LOOPBACK_NAMES


#: An office session not used for this long must type the password again.
OFFICE_IDLE_S = 8 * 3600
#: Wrong office passwords from one machine within LOGIN_WINDOW_S before it must wait.
LOGIN_TRIES = 5
LOGIN_WINDOW_S = 15 * 60
#: Office sessions (and machines with wrong passwords) remembered at most.
_REMEMBERED = 1000


class Sessions:
    """Session ids, CSRF tokens and which sessions have typed the office password (each
    for OFFICE_IDLE_S after its last use; a new id once admitted), and the wrong passwords
    each machine typed (LOGIN_TRIES within LOGIN_WINDOW_S, then it waits)."""

    def __init__(
        self, office_password: str | None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._secret = secrets.token_bytes(32)
        self._office_password = office_password
        self._office_sessions: dict[str, float] = {}  # session → last used
        self._wrong: dict[str, list[float]] = {}  # machine → when it typed a wrong password
        self._clock = clock

    @staticmethod
    def session_of(request: Request) -> str | None:
        value = request.cookies.get(SESSION_COOKIE, "")
        return value if 20 <= len(value) <= 100 else None

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(32)

    def csrf_for(self, session: str) -> str:
        return hmac.new(self._secret, session.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, request: Request, submitted: str | None) -> bool:
        session = self.session_of(request)
        if session is None or not submitted:
            return False
        return hmac.compare_digest(self.csrf_for(session).encode(), submitted.encode())

    @staticmethod
    def origin_ok(request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is None:  # not sent by every browser for same-origin form posts
            return True
        host = request.headers.get("host", "")
        return origin in (f"http://{host}", f"https://{host}")

    @property
    def password_required(self) -> bool:
        return self._office_password is not None

    def password_ok(self, typed: str) -> bool:
        if self._office_password is None:
            return False
        return hmac.compare_digest(
            hashlib.sha256(typed.encode()).digest(),
            hashlib.sha256(self._office_password.encode()).digest(),
        )

    def admit(self, session: str, machine: str) -> str:
        """The password was right: a new session id for the office (the one the login page
        was shown under is dropped: an id someone else saw or set admits nothing)."""
        self._office_sessions.pop(session, None)
        self._wrong.pop(machine, None)
        fresh = self.new_session()
        self._office_sessions[fresh] = self._clock()
        _forget_oldest(self._office_sessions)
        return fresh

    def wrong_password(self, machine: str) -> None:
        tries = self._recent(machine)
        tries.append(self._clock())
        self._wrong[machine] = tries
        _forget_oldest(self._wrong)

    def login_wait(self, machine: str) -> int:
        """Seconds ``machine`` must wait before it may try a password again (0: now)."""
        tries = self._recent(machine)
        if len(tries) < LOGIN_TRIES:
            return 0
        return max(1, int(tries[-LOGIN_TRIES] + LOGIN_WINDOW_S - self._clock()) + 1)

    def _recent(self, machine: str) -> list[float]:
        since = self._clock() - LOGIN_WINDOW_S
        return [t for t in self._wrong.get(machine, ()) if t > since]

    def office_allowed(self, request: Request) -> bool:
        if is_loopback(request) and host_is_loopback(request):
            return True
        if self._office_password is None:
            return False
        session = self.session_of(request)
        used = self._office_sessions.get(session) if session is not None else None
        if session is None or used is None:
            return False
        now = self._clock()
        if now - used > OFFICE_IDLE_S:
            del self._office_sessions[session]
            return False
        self._office_sessions[session] = now
        return True


def login_machine(request: Request) -> str:
    """Whose wrong passwords are counted together: the client's IPv4 address, or its IPv6
    /64 network (a machine may take any address of its network)."""
    host = request.client.host if request.client else ""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _forget_oldest(remembered: dict[str, Any]) -> None:
    """Keep at most _REMEMBERED entries (the oldest added go first)."""
    while len(remembered) > _REMEMBERED:
        del remembered[next(iter(remembered))]
