"""Placeholder tokens in a workbook built once, replaced by each copy's own text.

Both fast paths that make many workbooks of one shape — the templates of many agencies
(:mod:`xlreport.writer.personalise`) and the campaign's receipts
(:class:`xlreport.campaign.documents.FormWriter`) — build one workbook with xlsxwriter in
which unique tokens stand where the varying text goes, then replace the tokens in the few
package parts that hold them. Text qualifies only when xlsxwriter would write it with plain
XML escaping (:func:`plain`); anything else is built directly.
"""

from __future__ import annotations

import functools
import re

_UNSAFE = re.compile(r"[\x00-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
SHARED_STRING = re.compile(rb"<si>(.*?)</si>", re.S)


def xml_text(text: str) -> bytes:
    """``text`` escaped as xlsxwriter escapes element text (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode()


def plain(text: str) -> bool:
    """Text that xlsxwriter writes with plain XML escaping and no attributes: not empty,
    no control characters, no ``_xHHHH_`` lookalike, no whitespace at either end."""
    return bool(text) and not _UNSAFE.search(text) and not text.startswith("<r>")


def substitute(data: bytes, replacements: dict[bytes, bytes]) -> bytes:
    """``data`` with every token replaced, in one pass: a replacement text is never
    searched again (a value that happens to hold another token stays as it is)."""
    if not replacements:
        return data
    pattern = _alternation(tuple(sorted(replacements, key=len, reverse=True)))
    return pattern.sub(lambda m: replacements[m.group()], data)


@functools.lru_cache(maxsize=64)
def _alternation(tokens: tuple[bytes, ...]) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(t) for t in tokens))


__all__ = ["SHARED_STRING", "plain", "substitute", "xml_text"]
