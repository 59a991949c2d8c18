"""xlsxwriter's private API: used in one module only, and still what that module expects.

An xlsxwriter upgrade that renames, removes or re-signs an internal the writer relies on
fails here, naming it, before it changes a workbook silently. The list checked is
:data:`~xlreport.writer.xlsxwriter_private.PRIVATE_API`; a test below keeps the list
complete (every ``_name`` the module takes from xlsxwriter is in it) and another keeps the
rest of xlreport away from xlsxwriter's internals.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import re
import tomllib
import types
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
import xlsxwriter.workbook
from hypothesis import given, settings
from hypothesis import strategies as st

import xlreport
from xlreport.writer import xlsxwriter_private
from xlreport.writer.cells import ShortestFloat
from xlreport.writer.xlsxwriter_private import PRIVATE_API, LockedWorkbook, PrivateUse

PRIVATE_MODULE = Path(xlsxwriter_private.__file__).resolve()
PACKAGE = Path(xlreport.__file__).resolve().parent
VERSION = xlsxwriter.__version__


def _resolve(dotted: str) -> Any:
    """A module, or a class or function inside one, from its dotted path."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def _instance(owner: type) -> Any:
    return owner(io.BytesIO()) if issubclass(owner, xlsxwriter.Workbook) else owner()


def _bare(sig: inspect.Signature) -> str:
    """The parameters and defaults of ``sig`` without annotations."""
    empty = inspect.Parameter.empty
    params = [p.replace(annotation=empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=empty))


def _names(code: types.CodeType) -> Iterator[str]:
    """Every global, attribute and method name ``code`` (and code nested in it) uses."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def _fail(use: PrivateUse, what: str) -> str:
    return (
        f"xlsxwriter {VERSION}: {use.owner}.{use.name} {what}. "
        f"xlreport/writer/xlsxwriter_private.py relies on it ({use.why}); adapt that module "
        "to the new xlsxwriter, or keep xlsxwriter within the bound in pyproject.toml."
    )


@pytest.mark.parametrize("use", PRIVATE_API, ids=lambda u: f"{u.owner.rsplit('.', 1)[-1]}.{u.name}")
def test_private_api_is_still_there_as_used(use: PrivateUse) -> None:
    owner = _resolve(use.owner)
    if use.kind == "attribute":
        assert hasattr(_instance(owner), use.name), _fail(use, "is no longer set on a new instance")
    else:
        assert hasattr(owner, use.name), _fail(use, "no longer exists")
    if use.kind in ("method", "function"):
        static = inspect.getattr_static(owner, use.name)
        if use.kind == "function" and not inspect.ismodule(owner):
            assert isinstance(static, staticmethod), _fail(use, "is no longer a static method")
        assert callable(getattr(owner, use.name)), _fail(use, "is no longer callable")
        got = _bare(inspect.signature(getattr(owner, use.name)))
        assert got == use.signature, _fail(use, f"now takes {got}, not {use.signature}")
    for caller in use.used_by:
        fn = _resolve(caller)
        assert use.name in set(_names(fn.__code__)), _fail(
            use, f"is no longer called or read by {caller}"
        )


def _xlsxwriter_private_names() -> set[str]:
    """``_names`` the private module takes from xlsxwriter: attributes it reads or
    overrides that it does not define itself, and names it imports."""
    tree = ast.parse(PRIVATE_MODULE.read_text(encoding="utf-8"))
    own: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            own.add(node.name)
        elif isinstance(node, ast.Attribute):
            if isinstance(node.ctx, ast.Store):
                own.add(node.attr)
            used.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xlsxwriter"):
            used.update(a.name for a in node.names)
    overridden = {
        n.name
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for n in cls.body
        if isinstance(n, ast.FunctionDef)
    }
    names = (used | overridden) - (own - overridden)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def test_every_private_name_the_module_uses_is_listed() -> None:
    listed = {u.name for u in PRIVATE_API}
    missing = _xlsxwriter_private_names() - listed
    assert not missing, (
        f"xlsxwriter_private.py uses {sorted(missing)} of xlsxwriter without listing them in "
        "PRIVATE_API (add each with its signature and why it is needed)"
    )


def _xlsxwriter_aliases(tree: ast.Module) -> set[str]:
    """Local names bound to xlsxwriter modules, classes or functions by imports."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if a.name.startswith("xlsxwriter")
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xlsxwriter"):
            out.update(a.asname or a.name for a in node.names)
    return out


def test_no_other_module_touches_xlsxwriter_internals() -> None:
    """Elsewhere: no ``_name`` imported from xlsxwriter, no subclass of its classes, no
    module global of it, and none of the listed internals read on any object."""
    listed = {u.name for u in PRIVATE_API if u.kind != "global"}  # globals: by module
    offences: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.resolve() == PRIVATE_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _xlsxwriter_aliases(tree)
        where = path.relative_to(PACKAGE.parent).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xlsxwriter"):
                offences += [
                    f"{where}:{node.lineno} imports {a.name}"
                    for a in node.names
                    if a.name.startswith("_")
                ]
            elif isinstance(node, ast.ClassDef):
                for base in node.bases:
                    root = base
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    if isinstance(root, ast.Name) and root.id in aliases:
                        offences.append(f"{where}:{node.lineno} subclasses {ast.unparse(base)}")
            elif isinstance(node, ast.Attribute):
                chain = ast.unparse(node)
                if node.attr in listed or (
                    chain.split(".")[0] in aliases
                    and (node.attr.startswith("_") or node.attr.isupper())
                ):
                    offences.append(f"{where}:{node.lineno} uses {chain}")
    assert not offences, "xlsxwriter internals outside xlsxwriter_private.py:\n" + "\n".join(
        offences
    )


def test_installed_xlsxwriter_is_within_the_tested_bound() -> None:
    """pyproject.toml bounds xlsxwriter above and below, and the installed version (the
    one PRIVATE_API was checked against) is within the bound."""
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    spec = next(d for d in project["project"]["dependencies"] if d.startswith("xlsxwriter"))
    bound = re.fullmatch(r"xlsxwriter>=(\d+)\.(\d+),<(\d+)\.(\d+)", spec)
    assert bound, f"pyproject.toml: “{spec}” should read xlsxwriter>=X.Y,<X.Z (tested minor)"
    low, high = tuple(map(int, bound.groups()[:2])), tuple(map(int, bound.groups()[2:]))
    installed = tuple(int(x) for x in VERSION.split(".")[:2])
    assert low <= installed < high, f"xlsxwriter {VERSION} is outside {spec} (pyproject.toml)"


# What the internals are used for, checked on the output (the writer's golden and merge
# tests check the same bytes in full; these name the cause when one of them changes).


def _package(stored: bool) -> zipfile.ZipFile:
    buf = io.BytesIO()
    wb = LockedWorkbook(buf, {"in_memory": True}, "CAFE", stored=stored)
    wb.add_worksheet("表").write_number(0, 0, ShortestFloat(9116.36))
    wb.close()
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_workbook_protection_follows_workbook_pr() -> None:
    xml = _package(stored=False).read("xl/workbook.xml").decode("utf-8")
    pr = xml.index("<workbookPr")
    protection = xml.index('<workbookProtection workbookPassword="CAFE" lockStructure="1"/>')
    assert protection == xml.index("/>", pr) + 2


@pytest.mark.parametrize("stored", [True, False])
def test_parts_are_stored_only_when_asked_and_the_global_is_restored(stored: bool) -> None:
    before = xlsxwriter.workbook.ZIP_DEFLATED
    kinds = {i.compress_type for i in _package(stored).infolist()}
    assert kinds == {zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED}
    assert xlsxwriter.workbook.ZIP_DEFLATED is before == zipfile.ZIP_DEFLATED


def test_number_cells_are_written_through_format() -> None:
    """ShortestFloat relies on xlsxwriter formatting a number cell with ``format()``."""
    sheet = _package(stored=False).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>9116.36</v>" in sheet


_PIECES = [
    *"ab_xX0F9 \t\n\r\x00\x01\x0b\x1f&<>\"'中\ufffe\uffff\u3000\xa0",
    "_x0000_",
    "_x005F_",
    "_xABCD_",
]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join) | st.text(max_size=12))
def test_a_plain_text_is_written_as_xlsxwriter_escapes_it(text: str) -> None:
    """The shortcut for text with nothing to escape gives what xlsxwriter's escaping gives."""
    sheet = xlsxwriter_private.RowsWorksheet()
    assert sheet.inline_string(text) == sheet.escaped_inline_string(text)
