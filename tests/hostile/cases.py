"""What a corpus case is, and what building one may use."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from hostile.corpus_returns import Anatomy, earlier, set_saved
from hostile.tamper import Parts
from hostile.zipkit import write_members
from xlreport.spec.model import Layout

Expect = Literal["unreadable", "findings", "warnings", "ok"]
#: Formula-like texts agencies may type as their name or in the sign-off fields.
FORMULA_TEXTS = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)")
#: The merge status a case gets by default, from what check concludes.
DEFAULT_MERGE: dict[str, str] = {
    "unreadable": "unreadable",
    "findings": "error",
    # derived from the good return, other bytes: a second version of that agency, a
    # conflict (issue 10: no clock decides which counts)
    "warnings": "conflict",
    "ok": "merged",
}


@dataclass(frozen=True)
class CorpusCase:
    name: str
    path: Path
    expect: Expect
    note: str
    codes: tuple[str, ...] = ()  # finding codes check must report
    says: tuple[str, ...] = ()  # words the printed reason must contain (one of them)
    merge: str = ""  # status expected from merge ("" = not an input file of the folder)
    values: dict[str, Decimal] | None = field(default=None, repr=False)  # when merged
    agency: str = ""  # agency code (or the typed name of a generic return)


@dataclass
class Ctx:
    """The good return the tamper cases start from, and what they need to know about it."""

    dir: Path
    layout: Layout
    good: bytes
    parts: Parts
    saved: str  # the good return's own saved time
    anatomy: Anatomy
    base_code: str
    base_values: dict[str, Decimal]
    rng: random.Random = field(default_factory=lambda: random.Random(20240131))

    def derived(self, parts: Parts, hours: int = 2) -> bytes:
        """An edited copy of the good return, saved ``hours`` before it."""
        return write_members(set_saved(parts, earlier(self.saved, hours)))


@dataclass(frozen=True)
class Spec:
    """How to make one case: its bytes from the context, and what check must say."""

    name: str
    expect: Expect
    note: str
    make: Callable[[Ctx], bytes]
    codes: tuple[str, ...] = ()
    says: tuple[str, ...] = ()
    merge: str | None = None
    folders: tuple[str, ...] = ()  # sub-folders of the corpus folder it is written into
    values: Callable[[Ctx], dict[str, Decimal]] | None = None  # figures, when merged
    agency: str = ""
