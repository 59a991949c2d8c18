"""Who a summary is: its name, a stable code, and its workbook identity."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from xlreport.identity import Identity, template_id_of
from xlreport.spec.model import Layout

#: Prefix of codes made up by xlreport (a summary, or a return from a generic template).
DERIVED_PREFIX = "X"
SUMMARY_AGENCY_TYPE = "汇总"


def derived_code(name: str) -> str:
    """A stable code for a name that came without one: "X" + 10 hex digits of its SHA-256.

    The same name always gives the same code, on every machine, so a county's summary
    keeps its code from one run to the next and the city can put it on its roster.
    """
    digest = hashlib.sha256(name.strip().encode("utf-8")).hexdigest()
    return f"{DERIVED_PREFIX}{digest[:10].upper()}"


def default_summary_name(contributors: Iterable[str]) -> str:
    codes = sorted(set(contributors))
    return f"汇总（{len(codes)}个单位）"


def summary_code(name: str, contributors: Iterable[str]) -> str:
    """The summary's code: derived from --name, else from the contributing agencies."""
    if name.strip():
        return derived_code(name)
    return derived_code("\n".join(sorted(set(contributors))))


def summary_identity(
    layout: Layout,
    year: int,
    contributors: Iterable[str],
    *,
    name: str = "",
    code: str = "",
) -> Identity:
    """The identity the summary workbook carries: kind "summary", contributors sorted."""
    leaves = tuple(sorted(set(contributors)))
    shown = name.strip() or default_summary_name(leaves)
    own = code.strip() or summary_code(name, leaves)
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=year,
        agency_code=own,
        agency_name=shown,
        agency_type=SUMMARY_AGENCY_TYPE,
        kind="summary",
        template_id=template_id_of(layout.fingerprint, year, shown, own),
        county=shown,
        contributors=leaves,
    )
