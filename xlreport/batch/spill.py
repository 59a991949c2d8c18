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

from xlreport.batch.packed import CompactValues, Packed, input_index
from xlreport.spec.model import Layout


class ValueSpill:
    """An append-only temporary file of packed values, read back by offset.

    The file is deleted when the spill is closed or no longer referenced.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the spill)
        self._end = 0
        self._last: tuple[int, Packed] = (-1, ())
        self._closer = weakref.finalize(self, self._file.close)

    def put(self, packed: Packed) -> int:
        """Store ``packed``; its offset, for :meth:`get`."""
        data = pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)
        offset = self._end
        self._file.seek(offset)
        self._file.write(data)
        self._end += len(data)
        return offset

    def get(self, offset: int) -> Packed:
        """The values stored at ``offset`` (the last ones read are kept: a return's cells
        are usually looked up one after another)."""
        if self._last[0] != offset:
            self._file.seek(offset)
            packed: Packed = pickle.load(self._file)
            self._last = (offset, packed)
        return self._last[1]

    def values(self, layout: Layout, packed: Packed) -> SpilledValues:
        """``packed`` (in ``layout``'s input order) stored, as a mapping that reads it back."""
        return SpilledValues(layout, self, self.put(packed))

    def close(self) -> None:
        self._closer()


class SpilledValues(CompactValues):
    """:class:`CompactValues` whose packed tuple lives in a :class:`ValueSpill`."""

    __slots__ = ("_offset", "_spill")

    def __init__(self, layout: Layout, spill: ValueSpill, offset: int) -> None:
        self._ids, self._index = input_index(layout)
        self._spill, self._offset = spill, offset

    @property
    def packed(self) -> Packed:  # type: ignore[override]
        return self._spill.get(self._offset)
