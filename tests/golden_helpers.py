"""Golden files: compare an output with its stored copy, or rewrite the stored copy.

Every golden test goes through :func:`check_parts` (a workbook, part by part) or
:func:`check_text` (a JSON or CSV output). The comparison is byte for byte after
:func:`normalise`; a mismatch fails with a unified diff of the pretty-printed XML or JSON,
naming the part, limited in length. After an intended change, rewrite the goldens and
review them with ``git diff`` (see tests/golden/README.md)::

    XLREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_outputs.py tests/test_golden_demo.py tests/test_writer_golden.py
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.dom import minidom
from xml.parsers.expat import ExpatError

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_VAR = "XLREPORT_UPDATE_GOLDEN"
UPDATE_COMMAND = f"{UPDATE_VAR}=1 python -m pytest <this test file>"
MAX_DIFF_LINES = 60  # per part
MAX_PARTS_SHOWN = 5

# a release (0.1.0), a pre-release or a local build (0.2.0rc1, 0.1.1.dev3+g1a2b3c)
_VERSION = re.compile(rb"xlreport \d+\.\d+\.\d+(?:[.+-]?[a-z][0-9A-Za-z.+-]*)?")


def updating() -> bool:
    """Whether this run rewrites the goldens instead of comparing with them."""
    return os.environ.get(UPDATE_VAR) == "1"


def normalise(data: bytes, replacements: Mapping[str, str] | None = None) -> bytes:
    """The generator's version (``xlreport 0.1.0`` → ``xlreport VERSION``), so a release
    does not break the comparison, then each ``replacements`` key by its value (a
    temporary folder by a placeholder, say); nothing else is touched."""
    data = _VERSION.sub(b"xlreport VERSION", data)
    for old, new in (replacements or {}).items():
        data = data.replace(old.encode("utf-8"), new.encode("utf-8"))
    return data


def portable(root: Path, inputs: Path) -> dict[str, str]:
    """The replacements that make outputs made under ``root`` comparable: the SHA-256 of
    each file in ``inputs`` → ``<sha256 NAME>`` (the inputs carry the generator's version,
    so their digests change with a release; a digest reported wrongly is left as it is and
    fails), then ``root`` → ``<tmp>``."""
    out = {
        hashlib.sha256(p.read_bytes()).hexdigest(): f"<sha256 {p.name}>"
        for p in sorted(inputs.iterdir())
        if p.is_file()
    }
    out[str(root)] = "<tmp>"
    return out


def xlsx_parts(data: bytes, replacements: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Every member of a workbook's zip package, normalised."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: normalise(zf.read(i), replacements) for i in zf.infolist()}


def _pretty(name: str, data: bytes) -> list[str]:
    """Lines to diff: XML and JSON indented, other text as is, binary as its repr."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [repr(data[i : i + 100]) for i in range(0, len(data), 100)]
    if name.endswith((".xml", ".rels", ".vml")) or text.lstrip().startswith("<?xml"):
        with contextlib.suppress(ExpatError):
            text = minidom.parseString(data).toprettyxml(indent=" ")
    elif name.endswith(".json"):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    return text.splitlines()


def diff_text(name: str, got: bytes, want: bytes) -> str:
    """A unified diff (golden → output) of one part, at most MAX_DIFF_LINES lines."""
    lines = list(
        difflib.unified_diff(
            _pretty(name, want),
            _pretty(name, got),
            f"golden/{name}",
            f"output/{name}",
            lineterm="",
            n=2,
        )
    )
    if not lines:  # the same once pretty-printed: whitespace or attribute order
        i = next((k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), 0)
        return f"{name}: differs at byte {i} (same once pretty-printed)"
    more = len(lines) - MAX_DIFF_LINES
    shown = lines[:MAX_DIFF_LINES] + ([f"... ({more} more diff lines)"] if more > 0 else [])
    return "\n".join(shown)


def _write(folder: Path, parts: Mapping[str, bytes]) -> None:
    for old in sorted(folder.rglob("*"), reverse=True):
        if old.is_file():
            old.unlink()
        elif old.is_dir():
            old.rmdir()
    for name, data in parts.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _stored(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def compare(case: str, got: Mapping[str, bytes], want: Mapping[str, bytes]) -> str:
    """What differs between an output's parts and the golden ones ("" when nothing)."""
    problems: list[str] = []
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if missing:
        problems.append(f"parts in the golden set but not in the output: {missing}")
    if extra:
        problems.append(f"parts in the output but not in the golden set: {extra}")
    changed = [n for n in sorted(set(got) & set(want)) if got[n] != want[n]]
    for name in changed[:MAX_PARTS_SHOWN]:
        problems.append(diff_text(name, got[name], want[name]))
    if len(changed) > MAX_PARTS_SHOWN:
        problems.append(f"... and {len(changed) - MAX_PARTS_SHOWN} more parts differ")
    if not problems:
        return ""
    return (
        f"{case}: the output differs from tests/golden/{case}/ "
        f"({len(changed)} parts changed)\n" + "\n".join(problems)
    )


def check_parts(case: str, parts: Mapping[str, bytes]) -> None:
    """Compare a package's parts with tests/golden/<case>/, or rewrite them when updating."""
    folder = GOLDEN / case
    if updating():
        _write(folder, parts)
        return
    if not folder.is_dir():
        pytest.fail(f"no golden files in {folder}: create them with {UPDATE_COMMAND}")
    problem = compare(case, parts, _stored(folder))
    if problem:
        pytest.fail(f"{problem}\nIf the change is intended: {UPDATE_COMMAND}", pytrace=False)


def check_text(case: str, text: str) -> None:
    """Compare a text output (JSON, CSV) with tests/golden/<case>, or rewrite it."""
    path = GOLDEN / case
    data = text.encode("utf-8")
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.is_file():
        pytest.fail(f"no golden file {path}: create it with {UPDATE_COMMAND}")
    want = path.read_bytes()
    if data != want:
        pytest.fail(
            f"{case}: the output differs from tests/golden/{case}\n"
            f"{diff_text(path.name, data, want)}\nIf the change is intended: {UPDATE_COMMAND}",
            pytrace=False,
        )
