"""A return's values held compactly: one tuple in the layout's input order.

A province merges ~10,000 returns; as dicts of ~170 ``Decimal`` each they cost ~20 KB a
return in the parent process. :class:`CompactValues` keeps the same numbers as one tuple
(an ``int`` where the value is integral, the exact ``Decimal`` otherwise, ``None`` for a
blank cell) plus an index shared by every return of the layout, and reads as the
``Mapping[str, Decimal]`` the rest of xlreport expects. Nothing is rounded: the mapping
gives back exactly the numbers it was made from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from xlreport.spec.model import Layout

Packed = tuple[int | Decimal | None, ...]


def input_index(layout: Layout) -> tuple[tuple[str, ...], Mapping[str, int]]:
    """The layout's input cell ids in order, and id → position (worked out at load)."""
    compiled = layout.compiled
    return compiled.input_ids, compiled.input_index


#: The whole numbers most inputs hold, as Decimal → int (made once: entries added as
#: returns come would pin memory, see :mod:`xlreport.checks.plan`).
_INTS: dict[Decimal, int] = {Decimal(n): n for n in range(1000)}


def _small(v: Decimal | None) -> int | Decimal | None:
    """An integral value as an int (28 bytes, small ones shared), any other as it is."""
    if v is None:
        return None
    try:
        return _INTS[v]  # an equal Decimal is integral too and gives the same int
    except KeyError:
        pass
    except TypeError:  # a signalling NaN cannot be hashed (nor is it integral)
        return v
    if v.is_finite() and v == v.to_integral_value():
        return int(v)
    return v


def pack_values(layout: Layout, values: Mapping[str, Decimal]) -> Packed:
    """``values`` (input cell id → number) as a tuple in layout input order; other keys
    (totals) are left out."""
    ids, _ = input_index(layout)
    return tuple(map(_small, map(values.get, ids)))


def packed_of(layout: Layout, values: Mapping[str, Decimal]) -> Packed:
    """The packed form of any return's values in ``layout``'s input order: the tuple a
    :class:`CompactValues` of that layout already holds, any other mapping packed."""
    if isinstance(values, CompactValues) and values.packed_for(layout):
        return values.packed
    return pack_values(layout, values)


class CompactValues(Mapping[str, Decimal]):
    """Input cell id → Decimal, for the non-blank input cells, backed by a packed tuple."""

    __slots__ = ("_ids", "_index", "packed")

    def __init__(self, layout: Layout, packed: Packed) -> None:
        self._ids, self._index = input_index(layout)
        if len(packed) != len(self._ids):
            raise ValueError("packed values do not match the layout's input cells")
        self.packed = packed

    @classmethod
    def of(cls, layout: Layout, values: Mapping[str, Decimal]) -> CompactValues:
        return cls(layout, pack_values(layout, values))

    def packed_for(self, layout: Layout) -> bool:
        """Whether :attr:`packed` is in ``layout``'s input order."""
        return self._ids is input_index(layout)[0] or self._ids == input_index(layout)[0]

    def __getitem__(self, key: str) -> Decimal:
        i = self._index.get(key)
        v = None if i is None else self.packed[i]
        if v is None:
            raise KeyError(key)
        return v if type(v) is Decimal else Decimal(v)

    def get(self, key: str, default: Decimal | None = None) -> Decimal | None:  # type: ignore[override]
        i = self._index.get(key)
        v = None if i is None else self.packed[i]
        if v is None:
            return default
        return v if type(v) is Decimal else Decimal(v)

    def __contains__(self, key: object) -> bool:
        i = self._index.get(key) if isinstance(key, str) else None
        return i is not None and self.packed[i] is not None

    def __iter__(self) -> Iterator[str]:
        return (cid for cid, v in zip(self._ids, self.packed, strict=True) if v is not None)

    def __len__(self) -> int:
        return sum(v is not None for v in self.packed)

    def __repr__(self) -> str:
        return f"CompactValues({dict(self)!r})"
