"""The library API: one typed request → one typed result per use case.

Every front end (the command line in ``xlreport/cli``, the web pages in ``xlreport/web``)
parses its input, calls one function here and renders the result; validation (years,
layout, roster, paths) happens here, not in the front ends. A result knows how to render
itself as JSON (``to_json()``); rendering for people (rich, HTML) lives in the front ends.

One module per use case (``xlreport/api/<use case>.py``). The function names say what they
do and differ from their module's name (``check_files`` in ``check.py``).
"""

from xlreport.api.annotate import AnnotateRequest, AnnotateResult, annotate_returns
from xlreport.api.check import CheckRequest, CheckResult, check_files
from xlreport.api.merge import MergeRequest, MergeResult, merge_returns
from xlreport.api.template import TemplateRequest, TemplateResult, make_templates

__all__ = [
    "AnnotateRequest",
    "AnnotateResult",
    "CheckRequest",
    "CheckResult",
    "MergeRequest",
    "MergeResult",
    "TemplateRequest",
    "TemplateResult",
    "annotate_returns",
    "check_files",
    "make_templates",
    "merge_returns",
]
