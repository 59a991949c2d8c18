"""Every event kind the ledger can write reads in Chinese (xlreport.ledger.events): the kinds
are found in the source, every call of ``append_event`` over the whole package, so a new
kind without a wording fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args, get_type_hints

from xlreport.ledger.events import ACTION_TEXT, EVENT_TEXT, event_text
from xlreport.ledger.model import RosterChange
from xlreport.ledger.schema import TRANSITIONS

PACKAGE = Path(__file__).resolve().parent.parent / "xlreport"
CJK = re.compile(r"[\u4e00-\u9fff]")

#: What the variable part of an f-string kind can be (``agency-{change}``, ``agency-{action}``).
_EXPANSIONS = {
    "change": tuple(get_args(get_type_hints(RosterChange)["change"])),
    "action": tuple(sorted({a for _, a, _ in TRANSITIONS if not a.startswith("submit-")})),
}


def _kinds_written() -> dict[str, list[str]]:
    """Every kind passed to append_event → where (file:line)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "append_event":
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            assert kind is not None, f"{where}: append_event without kind="
            for text in _expand(kind, where):
                found.setdefault(text, []).append(where)
    return found


def _expand(kind: ast.expr, where: str) -> list[str]:
    if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
        return [kind.value]
    assert isinstance(kind, ast.JoinedStr), f"{where}: a kind the test cannot read"
    out = [""]
    for part in kind.values:
        if isinstance(part, ast.Constant):
            out = [o + str(part.value) for o in out]
            continue
        assert isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name), where
        values = _EXPANSIONS.get(part.value.id)
        assert values, f"{where}: say in _EXPANSIONS what {{{part.value.id}}} can be"
        out = [o + v for o in out for v in values]
    return out


def test_every_event_kind_written_has_a_chinese_text() -> None:
    written = _kinds_written()
    # the kinds of all three writers are found: the ledger's and the campaign API's merge
    assert {"campaign-created", "file-version", "agency-added", "agency-return", "merge"} <= set(
        written
    )
    missing = {k: w for k, w in written.items() if k not in EVENT_TEXT}
    assert not missing, f"event kinds without a Chinese text in EVENT_TEXT: {missing}"
    unused = set(EVENT_TEXT) - set(written)
    assert not unused, f"texts for kinds nothing writes: {unused}"


def test_every_transition_action_has_a_chinese_text() -> None:
    assert {a for _, a, _ in TRANSITIONS} == set(ACTION_TEXT)


def test_the_texts_are_chinese_and_distinct_from_the_codes() -> None:
    for code, text in {**EVENT_TEXT, **ACTION_TEXT}.items():
        assert CJK.search(text), code
        assert code not in text


def test_event_text_prefers_the_action() -> None:
    assert event_text("file-version", "submit-errors") == "收到新版本（有错误）"
    assert event_text("agency-added") == "列入单位名单"
    assert event_text("agency-added", None) == event_text("agency-added", "")
    assert event_text("some-future-kind") == "some-future-kind"
