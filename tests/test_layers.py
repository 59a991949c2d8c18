"""The layers import only downward, over the whole tree:

    base → spec → reader / writer → importer → checks (pure) → annotate → batch
    → merge / template → ledger / publish → campaign → api → demo → web → cli → __main__

Every package and top-level module of ``xlreport`` has its place in :data:`LAYERS`; a new one
nobody placed fails :func:`test_every_package_and_module_has_a_layer`. A module may import
its own unit and any unit of a lower layer, never a sibling of its own layer (reader and
writer know nothing of each other). rich and typer are the command
line's: imported only in cli/. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "xlreport"

#: Lowest first. A unit is a package (``spec``) or a top-level module (``template``).
LAYERS: tuple[tuple[str, ...], ...] = (
    # the base every layer may use: errors, codes, findings, identity, files on disk …
    (
        "__init__",
        "codes",
        "errors",
        "findings",
        "fsutil",
        "identity",
        "interrupt",
        "jsonout",
        "mapped_view",
        "outputs",
        "roster",
        "safetext",
        "years",
    ),
    ("spec",),  # the layouts, compiled once
    ("reader", "writer"),  # the trust boundary for files; the workbooks xlreport writes
    ("importer",),  # other formats into workbooks: writes with writer, reads with reader
    ("checks",),  # pure: what a file holds + the layout → findings
    ("annotate",),  # the copies sent back, made from check results
    ("batch",),  # files on disk, discovery, the process pool, packed values
    #: choosing what counts, sums, the summary workbook; the templates (pre-filled from
    #: last year's returns, which batch reads)
    ("merge", "template"),
    ("ledger", "publish"),  # a campaign's record of returns; publishing summaries
    ("campaign",),  # a collection campaign (on the ledger)
    ("api",),  # the library API: one request → one result per use case
    ("demo",),  # the round trip on the sample county, through the api
    ("web",),  # the browser face (starlette app; started by ``xlreport serve``)
    ("cli",),  # the command line (``serve`` starts the web app)
    ("__main__",),  # ``python -m xlreport``
)

#: Only the front end for people on a terminal renders with these.
CLI_ONLY = ("rich", "typer", "click")

_RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}
#: The base modules are one unit: they may use each other.
_BASE = frozenset(LAYERS[0])


def _unit_of_path(path: Path, root: Path = PACKAGE) -> str:
    rel = path.relative_to(root)
    unit = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    return "base" if unit in _BASE else unit


def _unit_of_module(module: str) -> str | None:
    """The unit an imported module belongs to (None: not xlreport's)."""
    parts = module.split(".")
    if parts[0] != "xlreport":
        return None
    unit = parts[1] if len(parts) > 1 else "__init__"
    return "base" if unit in _BASE else unit


def _rank(unit: str) -> int:
    return _RANK[next(iter(_BASE))] if unit == "base" else _RANK[unit]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            # ``from xlreport import cli``: the names may be modules
            found.update(f"{node.module}.{a.name}" for a in node.names if node.module == "xlreport")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _sources(root: Path = PACKAGE) -> list[Path]:
    return sorted(root.rglob("*.py"))


def unplaced_units(root: Path = PACKAGE) -> list[str]:
    units = {_unit_of_path(p, root) for p in _sources(root)}
    units |= {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    return sorted(u for u in units if u != "base" and u not in _RANK)


def upward_imports(root: Path = PACKAGE) -> list[str]:
    bad = []
    for path in _sources(root):
        unit = _unit_of_path(path, root)
        if unit not in _RANK and unit != "base":
            continue  # reported by test_every_package_and_module_has_a_layer
        for module in sorted(_imports(path)):
            target = _unit_of_module(module)
            if target is None or target == unit or (target not in _RANK and target != "base"):
                continue
            if _rank(target) >= _rank(unit):
                bad.append(f"{path.relative_to(root)} imports {module}")
    return bad


def test_every_package_and_module_has_a_layer() -> None:
    unplaced = unplaced_units()
    assert unplaced == [], f"place these in LAYERS (tests/test_layers.py): {unplaced}"


def test_every_import_goes_downward() -> None:
    assert upward_imports() == []


def test_rich_and_typer_only_in_the_command_line() -> None:
    bad = [
        f"{p.relative_to(PACKAGE)} imports {m}"
        for p in _sources()
        if _unit_of_path(p) != "cli"
        for m in _imports(p)
        if m.split(".")[0] in CLI_ONLY
    ]
    assert bad == []


def test_checks_are_pure() -> None:
    """checks/ reads no file and starts no process: no reader entry on a path, no pool,
    no file system."""
    io = ("xlreport.batch", "xlreport.reader.read", "os", "shutil", "tempfile", "subprocess")
    io += ("multiprocessing", "concurrent.futures", "xlreport.fsutil", "xlreport.outputs")
    bad = []
    for path in sorted((PACKAGE / "checks").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for module in _imports(path):
            if any(module == m or module.startswith(m + ".") for m in io):
                bad.append(f"checks/{path.name} imports {module}")
        for call in ("open(", "read_xlsx(", ".read_bytes(", ".write_bytes("):
            if call in text:
                bad.append(f"checks/{path.name} calls {call}")
    assert bad == []


def test_the_layer_test_catches_an_upward_import(tmp_path: Path) -> None:
    """The checker itself, on a made-up tree: an upward import (also inside a function), a
    sibling import, an unplaced package; and the order the layers must keep."""
    root = tmp_path / "xlreport"
    files = {
        "errors.py": "",
        "checks/__init__.py": "from xlreport.errors import UsageError\n",
        "checks/bad.py": "def f():\n    from xlreport.batch import check_paths\n",
        "reader/x.py": "import xlreport.writer.cells\n",
        "batch/ok.py": "from xlreport.checks import bad\nfrom xlreport import errors\n",
        "gadgets/__init__.py": "",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert upward_imports(root) == [
        "checks/bad.py imports xlreport.batch",
        "reader/x.py imports xlreport.writer.cells",
    ]
    assert unplaced_units(root) == ["gadgets"]
    assert _rank("spec") < _rank("reader") == _rank("writer") < _rank("importer") < _rank("checks")
    assert _rank("checks") < _rank("batch") < _rank("merge") < _rank("publish") < _rank("api")
    assert _rank("merge") < _rank("ledger") < _rank("campaign") < _rank("api") < _rank("web")
    assert _rank("api") < _rank("web") < _rank("cli")


def test_the_moved_modules_are_gone_from_checks_and_merge() -> None:
    gone = ["checks/files.py", "checks/pool.py", "checks/wire.py", "checks/compact.py"]
    gone += ["checks/run.py", "checks/annotate.py", "report_render.py", "merge/spill.py"]
    assert [p for p in gone if (PACKAGE / p).exists()] == []


def test_web_holds_no_logic_of_its_own() -> None:
    """The web layer parses requests and renders results: it reaches the campaign only
    through the library API (no ledger, campaign, checks, merge or batch import)."""
    below = ("ledger", "campaign", "checks", "merge", "batch")
    bad = [
        f"web/{path.relative_to(PACKAGE / 'web')} imports {module}"
        for path in sorted((PACKAGE / "web").rglob("*.py"))
        for module in _imports(path)
        if any(module == f"xlreport.{b}" or module.startswith(f"xlreport.{b}.") for b in below)
    ]
    assert bad == []
