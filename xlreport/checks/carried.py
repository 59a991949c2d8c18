"""Last year's values a pre-filled template keeps (``template --prior``): the defined
names ``XLR_PRIOR.<cell id>``. Without ``--prior``, `check` compares with them: the layout's
prior rules whose last-year cells are all kept are checked (a changed carryover is a
warning with both numbers)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from xlreport.reader.model import RawWorkbook
from xlreport.spec.carry import PRIOR_NAME
from xlreport.spec.model import Layout

_MAX_DIGITS = 30


def kept_prior(raw: RawWorkbook, layout: Layout) -> dict[str, Decimal]:
    """Cell id → last year's value, for every well-formed ``XLR_PRIOR.`` name of a cell
    the layout has (anything else is ignored: these only ever give warnings)."""
    out: dict[str, Decimal] = {}
    prefix = PRIOR_NAME.upper()
    for name, text in raw.defined_names.items():
        if not name.upper().startswith(prefix):
            continue
        cid = name[len(PRIOR_NAME) :]
        if cid not in layout.cells:
            continue
        t = text.strip().removeprefix("=").strip()
        if not t or len(t) > _MAX_DIGITS or not all(ch in "0123456789.-" for ch in t):
            continue
        try:
            value = Decimal(t)
        except InvalidOperation:
            continue
        if value.is_finite():
            out[cid] = value
    return out


__all__ = ["kept_prior"]
