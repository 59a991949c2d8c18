"""Text from files (names, cell contents) made safe to print on a terminal.

A file name or a cell may carry control characters — an ESC that recolours or clears the
terminal, a bidi override that reorders what the clerk reads. They are shown visibly as
``\\xNN`` / ``\\uNNNN`` instead; everything printable (Chinese included) is kept.
"""

from __future__ import annotations

_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F))


def printable(text: str) -> str:
    """``text`` with every non-printable character written as an escape."""
    out = []
    for ch in text:
        if ch == " " or (ch.isprintable() and ch not in _BIDI):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def undecodable(name: str) -> bool:
    """Whether a file or folder name holds bytes the system could not decode (Python keeps
    them as lone surrogates: a Windows zip's GBK names unpacked on Linux); such a text
    cannot be written into a workbook, a document or the ledger."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def likely_name(name: str) -> str:
    """An undecodable name shown as it was probably meant: its bytes as GB18030 (the
    Chinese Windows encoding), else with the bytes escaped — for messages only."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return printable(name)
    try:
        return printable(raw.decode("gb18030"))
    except UnicodeDecodeError:
        return printable(raw.decode("utf-8", "backslashreplace"))
