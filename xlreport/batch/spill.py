"""The values of many returns kept in a temporary file instead of in memory.

A province merges ~10,000 returns. Each one's packed values (see
:mod:`xlreport.batch.packed`) cost a few KB in the parent process; merging reads them
only a few times (to add them up, for 分单位明细, for the 概览 chart, to compare a
replaced return), one return at a time. :class:`ValueSpill` writes each return's values to
a temporary file as it arrives and :class:`SpilledValues` reads them back when asked, so
what the parent holds per return stays a small record. Nothing is rounded: the numbers are
pickled exactly as they were packed.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from xlreport.batch.packed import CompactValues, Packed, input_index
from xlreport.spec.model import Layout

T = TypeVar("T")

#: Lists of one item per file or agency stay in memory up to this many items (a county's,
#: a city's), and wait in a temporary file beyond (a province's 100,000): see
#: :class:`SpilledList` ``keep``.
IN_MEMORY = 20_000


class PickleFile(Generic[T]):
    """An append-only temporary file of pickled objects, read back by offset.

    The file is deleted when it is closed or no longer referenced.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the spill)
        self._end = 0
        # where each object starts, in the order stored (offsets only grow): an object is
        # read back as exactly its own bytes, in one read
        self._starts = array("q")
        self._last: tuple[int, Any] = (-1, None)
        self._reading = False  # read since the last write (the position is not the end)
        self._closer = weakref.finalize(self, self._file.close)

    def put(self, obj: T) -> int:
        """Store ``obj``; its offset, for :meth:`get`."""
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._end
        if self._reading:  # a read moved the file's position: back to its end
            self._file.seek(offset)
            self._reading = False
        self._file.write(data)
        self._end += len(data)
        self._starts.append(offset)
        return offset

    def get(self, offset: int) -> T:
        """The object stored at ``offset`` (the last one read is kept: a return's cells
        are usually looked up one after another)."""
        if self._last[0] != offset:
            i = bisect_left(self._starts, offset)
            if i == len(self._starts) or self._starts[i] != offset:
                raise KeyError(offset)
            self._last = (offset, self._load(i))
        obj: T = self._last[1]
        return obj

    def item(self, i: int) -> T:
        """The ``i``-th object stored (0 ≤ ``i`` < ``len(self)``)."""
        offset = self._starts[i]
        if self._last[0] != offset:
            self._last = (offset, self._load(i))
        obj: T = self._last[1]
        return obj

    def __len__(self) -> int:
        return len(self._starts)

    def _load(self, i: int) -> T:
        offset = self._starts[i]
        end = self._starts[i + 1] if i + 1 < len(self._starts) else self._end
        self._file.seek(offset)
        self._reading = True
        obj: T = pickle.loads(self._file.read(end - offset))
        return obj

    def close(self) -> None:
        self._closer()


class ValueSpill(PickleFile[Packed]):
    """Packed values of many returns, in a temporary file."""

    def values(self, layout: Layout, packed: Packed) -> SpilledValues:
        """``packed`` (in ``layout``'s input order) stored, as a mapping that reads it back."""
        return SpilledValues(layout, self, self.put(packed))

    def at(self, layout: Layout, offset: int) -> SpilledValues:
        """The values stored at ``offset`` (:attr:`SpilledValues.offset`), as a mapping."""
        return SpilledValues(layout, self, offset)


class SpilledList(Sequence[T]):
    """A list kept in a temporary file: items are appended and read back, one at a time.

    For results that list one item per file or agency of a campaign (100,000 of them):
    what stays in memory is an offset per item (the file's). Items are pickled, so what is read back
    equals what was appended, but is a copy (the same copy when one item is read twice in a row:
    change it and the next read shows the change).

    ``keep``: up to that many items stay in memory as they are (no pickling, no copy: a
    county's few thousand files are read many times while merging, and reading each back
    from the file every time would cost more than they weigh); with one more, all go to the
    file (as :class:`tempfile.SpooledTemporaryFile` does with bytes). ``encode``/``decode``:
    how an item is written to the file and made again from what was written (for items
    that hold what cannot be pickled, or that pickle large: a layout, a temporary file).
    """

    def __init__(
        self,
        items: Iterable[T] = (),
        *,
        keep: int = 0,
        encode: Callable[[T], Any] | None = None,
        decode: Callable[[Any], T] | None = None,
    ) -> None:
        self._keep = keep
        self._kept: list[T] | None = [] if keep > 0 else None
        self._file: PickleFile[Any] = PickleFile()
        self._encode = encode
        self._decode = decode
        self.extend(items)

    @property
    def spilled(self) -> bool:
        """Whether the items are in the file (else all in memory)."""
        return self._kept is None

    def append(self, item: T) -> None:
        kept = self._kept
        if kept is not None:
            if len(kept) < self._keep:
                kept.append(item)
                return
            self._kept = None  # one too many: all of them to the file, in order
            for earlier in kept:
                self._put(earlier)
        self._put(item)

    def _put(self, item: T) -> None:
        self._file.put(item if self._encode is None else self._encode(item))

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._kept) if self._kept is not None else len(self._file)

    def _item(self, i: int) -> T:
        if self._kept is not None:
            return self._kept[i]
        stored = self._file.item(i)
        return stored if self._decode is None else self._decode(stored)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(len(self))[index]]
        return self._item(range(len(self))[index])

    def __iter__(self) -> Iterator[T]:
        if self._kept is not None:
            yield from list(self._kept)
            return
        for i in range(len(self)):
            yield self._item(i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SpilledList({list(self)!r})"


class SpilledValues(CompactValues):
    """:class:`CompactValues` whose packed tuple lives in a :class:`ValueSpill`."""

    __slots__ = ("_offset", "_spill")

    def __init__(self, layout: Layout, spill: ValueSpill, offset: int) -> None:
        self._ids, self._index = input_index(layout)
        self._spill, self._offset = spill, offset

    @property
    def packed(self) -> Packed:  # type: ignore[override]
        return self._spill.get(self._offset)

    @property
    def offset(self) -> int:
        """Where the values are in their spill (:meth:`ValueSpill.at` reads them again)."""
        return self._offset
