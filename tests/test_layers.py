"""The layers import only downward: checks/ (pure: what a file holds → findings) knows
nothing of batch/ (files on disk, the pool, worker results), and batch/ nothing of merge/
or the command line."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xlreport"

#: The `xlreport check` command still lives in checks/ (it is to move to the library API).
_COMMAND = frozenset({"run.py"})


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _offending(
    folder: str, above: tuple[str, ...], exempt: frozenset[str] = frozenset()
) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / folder).glob("*.py")):
        if path.name in exempt:
            continue
        for module in _imports(path):
            if any(module == a or module.startswith(a + ".") for a in above):
                bad.append(f"{folder}/{path.name} imports {module}")
    return bad


def test_checks_do_not_import_batch_merge_or_cli() -> None:
    above = ("xlreport.batch", "xlreport.merge", "xlreport.cli")
    assert _offending("checks", above, _COMMAND) == []


def test_batch_does_not_import_merge_or_cli() -> None:
    assert _offending("batch", ("xlreport.merge", "xlreport.cli", "xlreport.checks.run")) == []


def test_the_moved_modules_are_gone_from_checks_and_merge() -> None:
    gone = ["checks/files.py", "checks/pool.py", "checks/wire.py", "checks/compact.py"]
    assert [p for p in [*gone, "merge/spill.py"] if (PACKAGE / p).exists()] == []


def test_ledger_does_not_import_api_cli_or_web() -> None:
    """The campaign ledger sits above merge/batch and below the library API."""
    assert _offending("ledger", ("xlreport.api", "xlreport.cli", "xlreport.web")) == []


def test_web_is_beside_cli_above_api() -> None:
    """The web pages (xlreport serve) sit beside the command line: they import the library
    API, never the command line, and nothing below the API imports them."""
    assert _offending("web", ("xlreport.cli",)) == []
    for folder in ("api", "ledger", "merge", "batch", "checks"):
        assert _offending(folder, ("xlreport.web",)) == [], folder


def test_web_holds_no_logic_of_its_own() -> None:
    """The web layer parses requests and renders results: it reaches the campaign only
    through the library API (no ledger, checks, merge or batch import)."""
    below = ("xlreport.ledger", "xlreport.checks", "xlreport.merge", "xlreport.batch")
    assert _offending("web", below) == []


def test_campaign_sits_above_the_ledger_and_below_the_api() -> None:
    """xlreport/campaign (receipts, notices, board) reads the ledger; the API and the
    front ends call it, never the other way round; the ledger does not import it."""
    assert _offending("campaign", ("xlreport.api", "xlreport.cli", "xlreport.web")) == []
    assert _offending("ledger", ("xlreport.campaign",)) == []
    pure = ("xlreport.batch", "xlreport.merge", "xlreport.cli", "xlreport.ledger")
    assert [m for m in _imports(PACKAGE / "checks" / "resubmission.py") if m.startswith(pure)] == []
