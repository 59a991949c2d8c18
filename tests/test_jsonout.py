"""The streamed JSON of a result is the very text json.dumps(indent=2) gives."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from xlreport.jsonout import JsonArray, iter_json, to_json_text, write_json

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8"))
)
_plain = st.recursive(
    _scalars,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4)
    ),
    max_leaves=30,
)


def _lazy_version(doc: Any, draw: st.DrawFn) -> Any:
    """``doc`` with some of its lists (at any depth) turned into JsonArrays."""
    if isinstance(doc, dict):
        return {k: _lazy_version(v, draw) for k, v in doc.items()}
    if isinstance(doc, list):
        items = [_lazy_version(v, draw) for v in doc]
        if draw(st.booleans()):
            return JsonArray(iter(items)) if draw(st.booleans()) else JsonArray(items, lambda x: x)
        return items
    return doc


@st.composite
def _docs(draw: st.DrawFn) -> tuple[Any, Any]:
    plain = draw(_plain)
    return plain, _lazy_version(plain, draw)


@given(_docs())
def test_streamed_text_is_json_dumps(docs: tuple[Any, Any]) -> None:
    plain, lazy = docs
    assert to_json_text(lazy) == json.dumps(plain, ensure_ascii=False, indent=2)


def test_a_lazy_array_is_converted_item_by_item_as_written() -> None:
    made: list[int] = []

    def convert(n: int) -> dict[str, int]:
        made.append(n)
        return {"n": n}

    chunks = iter_json({"count": 3, "items": JsonArray(range(3), convert), "tail": []})
    first = [next(chunks) for _ in range(4)]
    assert made == [] and "".join(first).startswith('{\n  "count": 3')
    rest = "".join(chunks)
    assert made == [0, 1, 2]
    assert json.loads("".join(first) + rest) == {
        "count": 3,
        "items": [{"n": 0}, {"n": 1}, {"n": 2}],
        "tail": [],
    }


def test_empty_lazy_arrays_and_chinese_text() -> None:
    doc = {"单位": "清河县", "items": JsonArray([]), "nested": [JsonArray(iter([]))]}
    out = io.StringIO()
    write_json(doc, out)
    plain = {"单位": "清河县", "items": [], "nested": [[]]}
    assert out.getvalue() == json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
