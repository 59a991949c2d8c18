"""docs/api.md stays true: its Python example runs as written, in an empty folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _example() -> str:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    assert len(blocks) == 1, "docs/api.md should hold exactly one Python example"
    return str(blocks[0])


def test_the_documented_example_runs(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(_example(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    r = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert "12 个模板" in r.stdout and "计入 12 份，退出码 0" in r.stdout
    assert (tmp_path / "清河县汇总表.xlsx").is_file()
    assert len(list((tmp_path / "模板").glob("*.xlsx"))) == 12


def test_every_use_case_of_the_api_is_in_the_table() -> None:
    """Every function ``xlreport.api`` exports is named in docs/api.md."""
    import xlreport.api as api

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    functions = [name for name in api.__all__ if name[0].islower()]
    assert [f for f in functions if f"`{f}`" not in text] == []
