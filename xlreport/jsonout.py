"""JSON results written piece by piece, the same text as ``json.dumps(indent=2)``.

A campaign of 100,000 agencies gives results that list 100,000 things (the files of an
ingest, the approvals of ``approve --all-clean``). ``json.dumps`` of such a document builds
every item's dict and the whole text in memory (35 MB of text, ~350 MB at its peak).
:func:`iter_json` yields the text in chunks instead, and a :class:`JsonArray` in the
document stands for a list whose items are made only as they are written. The text is
exactly ``json.dumps(doc, ensure_ascii=False, indent=2)`` of the document with each
:class:`JsonArray` replaced by the list of its items (tested with hypothesis).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO

_INDENT = "  "


class JsonArray:
    """A JSON array made lazily: ``items`` is iterated once per writing, each item passed
    through ``convert`` (e.g. ``to_dict``) just before it is written."""

    __slots__ = ("_convert", "_items")

    def __init__(self, items: Iterable[Any], convert: Callable[[Any], Any] | None = None) -> None:
        self._items, self._convert = items, convert

    def __iter__(self) -> Iterator[Any]:
        convert = self._convert
        for item in self._items:
            yield item if convert is None else convert(item)


def _dumps(value: Any, level: int) -> str:
    """``value`` (holding no :class:`JsonArray`) as json.dumps writes it ``level`` deep."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    # A JSON text has no raw newline inside a string: every newline is between items.
    return text.replace("\n", "\n" + _INDENT * level) if level else text


def _lazy(value: Any) -> bool:
    """Whether ``value`` holds a :class:`JsonArray` anywhere."""
    if isinstance(value, JsonArray):
        return True
    if isinstance(value, Mapping):
        return any(_lazy(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_lazy(v) for v in value)
    return False


def _chunks(value: Any, level: int) -> Iterator[str]:
    if not _lazy(value):
        yield _dumps(value, level)
        return
    is_object = isinstance(value, Mapping)
    pairs: Iterable[tuple[str | None, Any]] = (
        value.items() if is_object else ((None, v) for v in value)
    )
    opening, closing = ("{", "}") if is_object else ("[", "]")
    inner = "\n" + _INDENT * (level + 1)
    empty = True
    for key, item in pairs:
        if key is not None and not isinstance(key, str):
            raise TypeError(f"JSON object keys are text here, not {key!r}")
        yield (opening + inner) if empty else ("," + inner)
        empty = False
        if is_object:
            yield json.dumps(key, ensure_ascii=False) + ": "
        yield from _chunks(item, level + 1)
    yield (opening + closing) if empty else ("\n" + _INDENT * level + closing)


def iter_json(doc: Any) -> Iterator[str]:
    """``doc`` as JSON text (indent 2, not ASCII-escaped), in chunks."""
    yield from _chunks(doc, 0)


def to_json_text(doc: Any) -> str:
    """``doc`` as one JSON text (what :func:`iter_json` yields, joined)."""
    return "".join(iter_json(doc))


class JsonResult:
    """A result whose JSON is its :meth:`json_document` (the command's ``--json``)."""

    def json_document(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> str:
        return to_json_text(self.json_document())


def write_json(doc: Any, stream: TextIO) -> None:
    """``doc`` as JSON text on ``stream``, chunk by chunk, with a final newline."""
    for chunk in iter_json(doc):
        stream.write(chunk)
    stream.write("\n")
