"""Finding codes are a type kept equal to the catalogue (a typo fails mypy), and the
severity words and their Chinese names are defined once."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import get_args

from check_helpers import build, check_bytes, layout_of

from xlreport.checks.catalogue import CATALOGUE
from xlreport.checks.findings_doc import render_codes_module
from xlreport.codes import FindingCode
from xlreport.findings import SEVERITY_ZH, Severity

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xlreport"


def test_code_type_lists_the_catalogue() -> None:
    assert get_args(FindingCode) == tuple(CATALOGUE)
    assert (PACKAGE / "codes.py").read_text(encoding="utf-8") == render_codes_module(), (
        "xlreport/codes.py is out of date: "
        "python -m xlreport.checks.findings_doc --codes > xlreport/codes.py"
    )


def _mypy(tmp_path: Path, name: str, body: str) -> subprocess.CompletedProcess[str]:
    snippet = tmp_path / f"{name}.py"
    snippet.write_text(body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(tmp_path / "cache"), str(snippet)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )  # fmt: skip


def test_mypy_refuses_a_code_or_severity_not_in_the_catalogue(tmp_path: Path) -> None:
    head = "from xlreport.checks.catalogue import finding\nfrom xlreport.findings import Finding\n"
    good = _mypy(
        tmp_path,
        "good",
        head + 'finding("formula-overwritten", "x")\n'
        'Finding(code="rule-broken", severity="warning", message="x")\n',
    )
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _mypy(
        tmp_path,
        "bad",
        head + 'finding("formula-overwriten", "x")\n'
        'Finding(code="rule-broken", severity="fatal", message="x")\n',
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert 'bad.py:3: error: Argument 1 to "finding" has incompatible type' in bad.stdout
    assert "Literal['formula-overwriten']" in bad.stdout
    assert 'bad.py:4: error: Argument "severity" to "Finding" has incompatible type' in bad.stdout


def test_one_severity_table() -> None:
    """Every severity word has its Chinese name in ``SEVERITY_ZH``, and no other module
    writes its own table of them."""
    assert tuple(SEVERITY_ZH) == get_args(Severity) == ("error", "warning", "info")
    tables = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value == "error"
                and isinstance(v, ast.Constant) and v.value == SEVERITY_ZH["error"]
                for k, v in zip(node.keys, node.values, strict=True)
            ):  # fmt: skip
                tables.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert tables == ["findings.py:14"]


def test_a_finding_carries_its_template_position(tmp_path: Path) -> None:
    """The cell to mark in the annotated copy travels on the finding itself (through the
    worker's pickle), and is not part of the finding's JSON."""
    layout = layout_of()
    cell = next(iter(layout.inputs()))
    checked = check_bytes(tmp_path, build(layout, {cell.id: "12件"}))
    f = next(f for f in checked.report.findings if f.code == "value-text-number")
    assert f.at == (layout.sheet(cell.sheet).name, cell.r, cell.c)
    assert pickle.loads(pickle.dumps(f)).at == f.at
    assert "at" not in f.to_dict() and f.to_dict()["cell"] == cell.a1
