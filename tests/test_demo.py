"""`xlreport demo`: the README's first command works and tells the whole story."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from xlreport.demo import load_sample_values, run_demo, samples_dir
from xlreport.reader import read_xlsx
from xlreport.spec import resolve_layout


def test_demo_round_trip(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "out")
    assert len(result.templates) == 12
    assert result.check is not None and result.merge is not None
    bad = [c for c in result.check.checked if c.report.errors]
    assert len(bad) == 1
    assert any(f.found == "12件" and f.cell == "D6" for f in bad[0].report.findings)
    assert len(result.check.annotated) == 1 and result.check.annotated[0].exists()

    merge = result.merge.outcome
    assert merge.summary_written and merge.out.exists()
    assert [name for _code, name in merge.missing] == ["清河县桃源乡人民政府"]
    statuses = sorted(f.status for f in merge.files)
    assert statuses.count("merged") == 10
    assert "superseded" in statuses and "error" in statuses

    # the summary holds the exact sums of the sample figures of the agencies merged
    figures = load_sample_values(samples_dir() / "sample_values_2024.csv")
    merged_codes = {d.identity.agency_code for d in merge.counted}
    assert len(merged_codes) == 10
    layout = resolve_layout("gov-2021")
    expected = {
        cell.id: sum((figures[code].get(cell.id, Decimal(0)) for code in merged_codes), Decimal(0))
        for cell in layout.inputs()
    }
    wb = read_xlsx(merge.out)
    for cell in layout.inputs():
        sheet = wb.sheet(layout.sheet(cell.sheet).name)
        assert sheet is not None
        raw = sheet.cells.get((cell.r, cell.c))
        found = raw.number if raw is not None else None
        assert (found or Decimal(0)) == expected[cell.id], cell.id
    assert merge.export is not None and merge.export.exists()
    # the password file the demo announces exists, beside the templates' folder
    assert result.password_file is not None and result.password_file.is_file()
    assert "qinghe-demo" in result.password_file.read_text(encoding="utf-8-sig")
    assert result.password_file.parent == tmp_path / "out"
    assert all(p.suffix == ".xlsx" for p in (tmp_path / "out" / "1-下发模板").iterdir())


def test_demo_command(tmp_path: Path) -> None:
    out = tmp_path / "演示输出"
    proc = subprocess.run(
        [sys.executable, "-m", "xlreport", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "未报送：清河县桃源乡人民政府" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert str(out / "1-下发模板_模板保护密码") in proc.stdout
    # run again into the same folder: the earlier demo is replaced
    again = subprocess.run(
        [sys.executable, "-m", "xlreport", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    # a folder holding someone else's files is refused, nothing written
    other = tmp_path / "别人的文件夹"
    other.mkdir()
    (other / "工作.xlsx").write_bytes(b"mine")
    refused = subprocess.run(
        [sys.executable, "-m", "xlreport", "demo", "--out", str(other)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 2 and "已有其他文件" in refused.stderr
    assert [p.name for p in other.iterdir()] == ["工作.xlsx"]
    assert (out / "4-汇总").is_dir()
