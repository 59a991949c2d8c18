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
