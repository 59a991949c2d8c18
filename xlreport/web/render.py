"""Rendering: Jinja2 templates from this package, every value escaped (autoescape on for
every template, whatever its name), and the responses the pages share."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.responses import HTMLResponse, PlainTextResponse

from xlreport.api.campaign_web import VERDICT_ZH
from xlreport.findings import SEVERITY_ZH

_ENV = Environment(
    loader=PackageLoader("xlreport.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

_ENV.globals["VERDICT_TEXT"] = VERDICT_ZH
_ENV.globals["SEVERITY_TEXT"] = SEVERITY_ZH


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` rendered with ``context`` (escaped)."""
    return HTMLResponse(_ENV.get_template(name).render(**context), status_code=status)


def refusal(status: int, title: str, text: str, *, back: str = "") -> HTMLResponse:
    """A Chinese error page: what happened and what to do."""
    return page("error.html", status, title=title, text=text, back=back, csrf="")


def plain(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status)
