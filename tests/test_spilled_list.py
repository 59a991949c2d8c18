"""SpilledList: a result's long list kept in a temporary file reads back as appended."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from xlreport.batch.spill import PickleFile, SpilledList
from xlreport.ledger.model import IngestItem, IngestReport
from xlreport.mapped_view import MappedView


@given(st.lists(st.one_of(st.integers(), st.text(), st.none()), max_size=40), st.data())
def test_reads_back_what_was_appended(items: list[object], data: st.DataObject) -> None:
    spilled: SpilledList[object] = SpilledList()
    for item in items:
        spilled.append(item)
        assert spilled[-1] == item  # reading between appends does not disturb them
    assert len(spilled) == len(items) and list(spilled) == items and spilled == items
    if items:
        i = data.draw(st.integers(-len(items), len(items) - 1))
        assert spilled[i] == items[i]
    assert spilled[1:-1] == items[1:-1]


@given(st.lists(st.one_of(st.integers(), st.text(), st.binary(max_size=300)), max_size=30))
def test_a_pickle_file_reads_each_object_by_its_offset_in_any_order(items: list[object]) -> None:
    spill: PickleFile[object] = PickleFile()
    offsets = [spill.put(item) for item in items]
    for offset, item in reversed(list(zip(offsets, items, strict=True))):
        assert spill.get(offset) == item
    assert [spill.item(i) for i in range(len(spill))] == items
    if items:  # an offset that starts no object is refused, not read half-way
        for wrong in (offsets[-1] + 1, -1):
            try:
                spill.get(wrong)
            except KeyError:
                continue
            raise AssertionError(f"offset {wrong} was read")


@given(st.lists(st.integers(), max_size=30), st.data())
def test_a_mapped_view_converts_each_item_when_asked(items: list[int], data: st.DataObject) -> None:
    asked: list[int] = []

    def double(x: int) -> int:
        asked.append(x)
        return 2 * x

    view = MappedView(SpilledList(items), double)
    assert len(view) == len(items) and not asked  # nothing converted until asked
    assert list(view) == [2 * x for x in items] and asked == items
    if items:
        i = data.draw(st.integers(-len(items), len(items) - 1))
        assert view[i] == 2 * items[i]
    assert view[::2] == [2 * x for x in items[::2]]


def test_ingest_report_counts_as_items_are_added() -> None:
    report = IngestReport()
    report.add(IngestItem("a.xlsx", "version", None, "ok", errors=2))
    report.extend([IngestItem(str(Path("b.xlsx")), "duplicate", None, "dup")] * 2)
    assert report.count("version") == 1 and report.count("duplicate") == 2
    assert report.count("refused") == 0 and report.with_errors == 1
    assert [i.source for i in report.items] == ["a.xlsx", "b.xlsx", "b.xlsx"]
    assert report.to_dict()["counts"]["duplicate"] == 2


@given(
    st.lists(st.integers(), max_size=30),
    st.integers(0, 12),
    st.data(),
)
def test_kept_items_stay_in_memory_until_one_too_many_then_all_go_to_the_file(
    items: list[int], keep: int, data: st.DataObject
) -> None:
    encoded: list[int] = []

    def encode(x: int) -> tuple[int]:
        encoded.append(x)
        return (x,)

    def decode(t: tuple[int]) -> int:
        return t[0]

    spooled: SpilledList[int] = SpilledList(keep=keep, encode=encode, decode=decode)
    for n, item in enumerate(items, 1):
        spooled.append(item)
        assert spooled.spilled == (n > keep)  # in memory up to keep items
        assert spooled[-1] == item
    assert encoded == (items if len(items) > keep else [])  # each encoded once, in order
    assert list(spooled) == items and len(spooled) == len(items) and spooled == items
    if items:
        i = data.draw(st.integers(-len(items), len(items) - 1))
        assert spooled[i] == items[i]
    assert spooled[1:-1] == items[1:-1]


def test_a_kept_item_is_the_object_appended_a_spilled_one_a_copy() -> None:
    item = {"a": [1]}
    kept: SpilledList[dict[str, list[int]]] = SpilledList([item], keep=1)
    assert kept[0] is item
    spilled: SpilledList[dict[str, list[int]]] = SpilledList([item, item], keep=1)
    assert spilled.spilled and spilled[0] == item and spilled[0] is not item
