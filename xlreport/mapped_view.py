"""A sequence seen through a function, item by item: nothing is copied or kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")
U = TypeVar("U")


class MappedView(Sequence[U]):
    """``items`` seen through ``convert``, each item converted when it is asked for
    (nothing copied: the 100,000 rows of a table over a
    :class:`~xlreport.batch.spill.SpilledList` stay on disk, the paths of 100,000 file names
    are made one at a time)."""

    __slots__ = ("_convert", "_items")

    def __init__(self, items: Sequence[T], convert: Callable[[T], U]) -> None:
        self._items: Sequence[Any] = items
        self._convert: Callable[[Any], U] = convert

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> U: ...

    @overload
    def __getitem__(self, index: slice) -> list[U]: ...

    def __getitem__(self, index: int | slice) -> U | list[U]:
        if isinstance(index, slice):
            return [self._convert(x) for x in self._items[index]]
        return self._convert(self._items[index])

    def __iter__(self) -> Iterator[U]:
        return map(self._convert, self._items)


__all__ = ["MappedView"]
