"""Agency and report year from the document's title (``XX县XX局2024年度政府信息公开工作
年度报告``), looked for in the page title and the first paragraphs."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

_TITLE = re.compile(
    r"(?P<agency>[^，。；：:、《》<>\"“”]{2,60}?)[（(]?(?P<year>(?:19|20)\d{2})[）)]?年(?:度)?"
    r"(?:的)?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)"
)
_PREFIX = re.compile(r"^(?:关于|发布|现发布|公布|印发)+")
_CLEAN = re.compile(r"[\s\u3000]+")


def find_title(paragraphs: list[str], hint: str = "") -> tuple[str, int] | None:
    """(agency, year) from the first title-like text; None when there is none."""
    candidates: list[str] = []
    if hint:
        candidates.append(hint)
    head = [p for p in paragraphs[:40] if p.strip()]
    candidates += head
    candidates += [p + q for p, q in pairwise(head)]  # title over two lines
    for text in candidates:
        t = _CLEAN.sub("", unicodedata.normalize("NFKC", text))
        t = t.replace("(", "（").replace(")", "）")
        m = _TITLE.search(t)
        if m is None:
            continue
        agency = _PREFIX.sub("", m.group("agency")).strip("（）-_|")
        if len(agency) >= 2:
            return agency, int(m.group("year"))
    return None
