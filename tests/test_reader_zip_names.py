"""Zip packages that two programs read differently are refused (issue 10).

A real return made by the writer is repacked byte by byte (``hostile.zipkit``) with a
second copy of a worksheet — same name, or a name differing only in case — holding other
numbers, or with a local header naming a part differently from the central directory.
Python's ``zipfile`` keeps one copy and trusts the central directory; a spreadsheet may
show the other copy. The reader refuses each with its code, and ``check`` / ``merge`` list
the file with that code while the other returns are merged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import YEAR, build, ident, layout_of, sheet_part
from cli_helpers import run_process as _run
from hostile.zipkit import deflated, raw_zip, read_members
from test_reader_numbers import REF, SHEET, with_cell

from xlreport.errors import UnreadableFileError
from xlreport.reader import read_xlsx

LAYOUT = layout_of()


def good(code: str = "A01", name: str = "县测试局") -> bytes:
    return build(LAYOUT, identity=ident(LAYOUT, code=code, name=name))


def with_second_copy(data: bytes, copy_name: str | None) -> bytes:
    """The package with a second copy of the sheet's part (other numbers) added at the
    end, named ``copy_name`` (None: the same name)."""
    part = sheet_part(data, SHEET)
    other = dict(read_members(with_cell(data, SHEET, REF, "", "<v>999</v>")))[part]
    members = [deflated(n, d) for n, d in read_members(data)]
    return raw_zip([*members, deflated(copy_name or part, other)])


def with_local_name(data: bytes, part: str, local: str) -> bytes:
    """The package with ``part``'s local header naming it ``local`` (same length)."""
    assert len(local.encode()) == len(part.encode())
    raw = raw_zip([deflated(n, d) for n, d in read_members(data)])
    at = raw.index(part.encode())  # the local header comes before the central directory
    assert raw[at - 30 : at - 26] == b"PK\3\4"
    return raw[:at] + local.encode() + raw[at + len(part) :]


def refused(tmp_path: Path, data: bytes) -> UnreadableFileError:
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError) as e:
        read_xlsx(path)
    return e.value


def test_repacked_original_is_read(tmp_path: Path) -> None:
    data = good()
    path = tmp_path / "r.xlsx"
    path.write_bytes(raw_zip([deflated(n, d) for n, d in read_members(data)]))
    assert read_xlsx(path).sheet(SHEET) is not None


def test_duplicate_part_name_is_refused(tmp_path: Path) -> None:
    e = refused(tmp_path, with_second_copy(good(), None))
    assert e.code == "zip-duplicate-part" and "同名" in e.message


def test_case_variant_part_name_is_refused(tmp_path: Path) -> None:
    data = good()
    variant = "/".join(p[:1].upper() + p[1:] for p in sheet_part(data, SHEET).split("/"))
    e = refused(tmp_path, with_second_copy(data, variant.replace("Xl/", "XL/")))
    assert e.code == "zip-duplicate-part" and "大小写" in e.message


def test_local_header_naming_another_part_is_refused(tmp_path: Path) -> None:
    data = good()
    part = sheet_part(data, SHEET)
    e = refused(tmp_path, with_local_name(data, part, part.replace("sheet", "shezt")))
    assert e.code == "zip-name-mismatch" and part in e.message


def test_check_and_merge_list_the_file_with_its_code_and_merge_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "收回"
    folder.mkdir()
    (folder / "甲.xlsx").write_bytes(good("A01", "县甲局"))
    (folder / "乙.xlsx").write_bytes(good("A02", "县乙局"))
    bad = {
        "丙.xlsx": with_second_copy(good("A03", "县丙局"), None),
        "丁.xlsx": with_cell(good("A04", "县丁局"), SHEET, REF, "", "<v>１２</v>"),
        "戊.xlsx": with_cell(good("A05", "县戊局"), SHEET, REF, "", "<v>1E+400</v>"),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    want = {
        "丙.xlsx": "zip-duplicate-part",
        "丁.xlsx": "file-number-invalid",
        "戊.xlsx": "file-number-out-of-range",
    }

    check = _run("check", str(folder), "--year", str(YEAR), "--json")
    assert check.returncode == 2, check.stderr
    doc = json.loads(check.stdout)
    found = {Path(f["path"]).name: [x["code"] for x in f["findings"]] for f in doc["files"]}
    assert {n: found[n] for n in want} == {n: [c] for n, c in want.items()}
    assert found["甲.xlsx"] == found["乙.xlsx"] == []

    out = tmp_path / "汇总.xlsx"
    merge = _run("merge", str(folder), "--out", str(out), "--format", LAYOUT.id,
                 "--year", str(YEAR), "--name", "测试县", "--json")  # fmt: skip
    assert merge.returncode != 0, merge.stderr
    doc = json.loads(merge.stdout)
    files = {f["file_name"]: f for f in doc["files"]}
    assert {n: (files[n]["status"], files[n]["reason_code"]) for n in want} == {
        n: ("unreadable", c) for n, c in want.items()
    }
    assert doc["summary"]["written"] and out.exists()
    assert sorted(doc["summary"]["contributors"]) == ["A01", "A02"]
