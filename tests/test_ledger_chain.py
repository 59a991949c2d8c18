"""An event's data written item by item is the very canonical JSON of the whole."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlreport.ledger.chain import canonical_json, canonical_json_with_list

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.floats(allow_nan=False)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    st.dictionaries(st.text(alphabet="abcdefu_", max_size=6), _VALUES, max_size=4),
    st.lists(_VALUES, max_size=6),
)
def test_data_written_item_by_item_is_its_canonical_json(
    head: dict[str, object], items: list[object]
) -> None:
    key = "v" * 7  # sorts after every key drawn for head
    text = canonical_json_with_list(head, key, iter(items))
    assert text == canonical_json({**head, key: items})
    assert json.loads(text) == json.loads(canonical_json({**head, key: items}))


def test_the_list_must_be_the_last_key() -> None:
    with pytest.raises(ValueError):
        canonical_json_with_list({"z": 1}, "versions", [])
