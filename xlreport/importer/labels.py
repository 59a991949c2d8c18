"""Labels as compared: normalised, with the known typos of published reports mapped to the
statutory label (a data file, :file:`label_variants.toml`, not code)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile("[\"'“”‘’「」]")
_NUMBERED = re.compile(r"^(\d{1,2})[、．,，]")
VARIANTS_FILE = Path(__file__).with_name("label_variants.toml")


def norm(text: str) -> str:
    """NFKC, spaces (and &nbsp;) removed, quotes dropped, ``1、`` read as ``1.``."""
    t = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    t = _QUOTES.sub("", t)
    return _NUMBERED.sub(r"\1.", t)


@cache
def variants() -> dict[str, str]:
    """Normalised published label → normalised statutory label."""
    with VARIANTS_FILE.open("rb") as f:
        data = tomllib.load(f)
    labels = data.get("labels", {})
    if not isinstance(labels, dict):
        raise ValueError(f"{VARIANTS_FILE}: [labels] 应为表")
    pairs = ((norm(str(k)), norm(str(v))) for k, v in labels.items())
    return {k: v for k, v in pairs if k != v}


def canonical(text: str) -> tuple[str, bool]:
    """The normalised statutory label a published label stands for, and whether a variant
    (typo) was mapped."""
    n = norm(text)
    v = variants().get(n)
    return (v, True) if v is not None else (n, False)
