"""What accel/ shares: recognising a part written plainly, and its character data.

A part is *plain* when it is UTF-8 (declared so, or undeclared) and holds no comment, CDATA
section, document type declaration or processing instruction after its XML declaration:
then every "<" in it starts a tag, which is what lets regular expressions find the tags of
the pieces accel/ reads (every piece is still checked well-formed by expat).
"""

from __future__ import annotations

import re

_DECL = re.compile(
    rb"<\?xml\s+version\s*=\s*[\"']1\.[0-9][\"']"
    rb"(?:\s+encoding\s*=\s*[\"'](?:UTF|utf)-8[\"'])?"
    rb"(?:\s+standalone\s*=\s*[\"'](?:yes|no)[\"'])?\s*\?>"
)
_REFERENCE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def utf8_body(data: bytes) -> int | None:
    """Where the content after the XML declaration starts, or None when the part may not
    be UTF-8 (another encoding declared, or a declaration not recognised)."""
    if not data.startswith(b"<?"):
        return 0
    m = _DECL.match(data)
    return None if m is None else m.end()


def plain_body(data: bytes) -> int | None:
    """Where the content after the XML declaration starts, or None when not plain."""
    body = utf8_body(data)
    if body is None or data.find(b"<!") >= 0 or data.find(b"<?", body) >= 0:
        return None
    return body


def char_data(raw: str) -> str:
    """Text between tags as an XML parser reports it: line ends normalised and references
    resolved (in a well-formed part without a DTD these are the only references)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in raw:
        return raw
    return _REFERENCE.sub(_resolve, raw)


def _resolve(m: re.Match[str]) -> str:
    ref = m[1]
    if ref[0] == "#":
        return chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:]))
    return _NAMED[ref]
