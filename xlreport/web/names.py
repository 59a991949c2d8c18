"""The names of uploaded files as the agencies' computers called them."""

from __future__ import annotations


def client_filename(name: str) -> str:
    """The name of an uploaded file as the agency's computer called it. An old browser on
    Chinese Windows sends it in GBK, which Starlette, finding no UTF-8, reads as latin-1
    (``报表.xlsx`` arrives as ``±¨±í.xlsx``): such a name is read again as GBK when its
    non-ASCII bytes are all pairs of GBK bytes 0x81–0xFE (Chinese characters, full-width
    signs), else kept as it came (so ``Müller.xlsx`` stays; two accented letters in a
    row, as in ``réélu``, would be taken for one Chinese character: rare in a county)."""
    try:
        raw = name.encode("latin-1")
        raw.decode("utf-8")
    except UnicodeEncodeError:
        return name  # not latin-1: Starlette read it as UTF-8
    except UnicodeDecodeError:
        try:
            text = raw.decode("gbk")
        except UnicodeDecodeError:
            return name
        if all(ch.isascii() or _gbk_pair(ch) for ch in text):
            return text
    return name


def _gbk_pair(ch: str) -> bool:
    """``ch`` is two GBK bytes, both 0x81 or more."""
    try:
        encoded = ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and min(encoded) >= 0x81
