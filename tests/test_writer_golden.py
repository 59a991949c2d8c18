"""Golden comparison: the gov-2021 generic template, part by part.

The expected package parts live in tests/golden/gov-2021-generic/. After an intended
change to the writer or the layout, regenerate them and review the diff::

    XLREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_writer_golden.py

Volatile parts are left out (docProps/core.xml: creation time) and the generator version
is normalised, so a version bump does not break the comparison.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from writer_helpers import members

from xlreport.spec import builtin_layouts
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

GOLDEN = Path(__file__).resolve().parent / "golden" / "gov-2021-generic"
VOLATILE = {"docProps/core.xml"}
PASSWORD = "golden"


def _normalise(data: bytes) -> bytes:
    return re.sub(rb"xlreport \d+\.\d+\.\d+\S*", b"xlreport VERSION", data)


def _parts() -> dict[str, bytes]:
    layout = builtin_layouts()["gov-2021"]
    data = build_workbook(
        layout, agency_identity(layout, 2024, None, county="清河县"), password=PASSWORD
    )
    return {n: _normalise(d) for n, d in members(data).items() if n not in VOLATILE}


def test_generic_template_matches_golden() -> None:
    parts = _parts()
    if os.environ.get("XLREPORT_UPDATE_GOLDEN") == "1":
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, data in parts.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        pytest.skip(f"golden files rewritten in {GOLDEN}; review them with git diff")
    stored = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(stored) == sorted(parts), "package parts differ from the golden set"
    for name, data in parts.items():
        want = stored[name]
        if data != want:
            i = next(
                (k for k, (a, b) in enumerate(zip(data, want, strict=False)) if a != b),
                min(len(data), len(want)),
            )
            pytest.fail(
                f"{name} differs from golden at byte {i}:\n"
                f"  got:      {data[max(0, i - 80) : i + 80]!r}\n"
                f"  expected: {want[max(0, i - 80) : i + 80]!r}\n"
                "If the change is intended: XLREPORT_UPDATE_GOLDEN=1 python -m pytest "
                "tests/test_writer_golden.py"
            )
