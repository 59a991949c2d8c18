"""Which cell styles show a number as a date or time: from ``xl/styles.xml``.

A spreadsheet stores a date as its serial number (2026-01-02 is 46024) and shows it as a
date because of the cell's number format. When a clerk types "1-2" or "2024/12/31" into a
count cell, Excel and LibreOffice (in a Chinese locale) store the serial and give the cell
a date format: the style is the only trace that the number was not typed as one. Only the
number formats (``<numFmts>``) and the cell formats (``<cellXfs>``) are read, bounded like
every part (``xmlsafe.scan``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from xlreport.reader.xmlsafe import MAIN_NS, Budget, names, scan

#: Built-in number formats that are dates or times: 14–22 and 45–47 everywhere; 27–36 and
#: 50–58 are the East Asian date formats (zh-CN: 27 yyyy"年"m"月", 31 yyyy"年"m"月"d"日",
#: 32 h"时"mm"分" …) that Excel and LibreOffice use in a Chinese locale.
BUILTIN_DATE_FORMATS = frozenset((*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)))

#: What is not a format token: quoted text, an escaped or padding/fill character, and a
#: bracketed part other than the elapsed-time tokens [h] [m] [s] (colours, conditions,
#: locales such as [$-804], [DBNum1]).
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hH]+\]|[mM]+\]|[sS]+\])[^\]]*\]')
#: Date and time tokens: year, month/minute, day, hour, second (elapsed [h] included).
_DATE_TOKEN = re.compile(r"[yYmMdDhHsS]")

_WANTED = names(MAIN_NS, "numFmts", "numFmt", "cellStyleXfs", "cellXfs", "xf", "dxfs")


def is_date_format(code: str) -> bool:
    """Whether a custom format code shows a number as a date or time. The first section
    decides (it is the one a positive number, such as a date serial, is shown with)."""
    section = _first_section(code)
    return _DATE_TOKEN.search(_LITERALS.sub("", section)) is not None


def _first_section(code: str) -> str:
    """The format code up to its first ";" outside quotes and escapes."""
    quoted = escaped = False
    for i, ch in enumerate(code):
        if escaped:
            escaped = False
        elif ch == "\\" and not quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return code[:i]
    return code


def date_styles(chunks: Iterable[bytes], part: str, budget: Budget) -> frozenset[int]:
    """The indexes of the cell formats (``<cellXfs>``, in order; a cell's ``s``) whose
    number format is a date or time."""
    custom: dict[str, bool] = {}
    found: set[int] = set()
    container = ""
    n_xf = 0
    for e in scan(chunks, part, _WANTED, frozenset(), budget):
        if e.name != "numFmt" and e.name != "xf":
            container = e.name
        elif e.name == "numFmt" and container == "numFmts":
            code = e.attrs.get("formatCode", "")
            custom.setdefault(e.attrs.get("numFmtId", "").strip(), is_date_format(code))
        elif e.name == "xf" and container == "cellXfs":
            if _is_date(e.attrs.get("numFmtId", "0"), custom):
                found.add(n_xf)
            n_xf += 1
    return frozenset(found)


def _is_date(num_fmt_id: str, custom: dict[str, bool]) -> bool:
    num_fmt_id = num_fmt_id.strip()
    if num_fmt_id in custom:
        return custom[num_fmt_id]
    if not (num_fmt_id.isascii() and num_fmt_id.isdigit() and len(num_fmt_id) < 10):
        return False
    return int(num_fmt_id) in BUILTIN_DATE_FORMATS
