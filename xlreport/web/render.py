"""Rendering: Jinja2 templates from this package, every value escaped (autoescape on for
every template, whatever its name), and the responses the pages share."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.responses import HTMLResponse, PlainTextResponse

_ENV = Environment(
    loader=PackageLoader("xlreport.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

VERDICT_TEXT = {"ok": "通过", "warning": "通过（有提示）", "error": "有错误，需修改"}
SEVERITY_TEXT = {"error": "错误", "warning": "提示", "info": "说明"}
_ENV.globals["VERDICT_TEXT"] = VERDICT_TEXT
_ENV.globals["SEVERITY_TEXT"] = SEVERITY_TEXT


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` rendered with ``context`` (escaped)."""
    return HTMLResponse(_ENV.get_template(name).render(**context), status_code=status)


def refusal(status: int, title: str, text: str, *, back: str = "") -> HTMLResponse:
    """A Chinese error page: what happened and what to do."""
    return page("error.html", status, title=title, text=text, back=back, csrf="")


def plain(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status)
