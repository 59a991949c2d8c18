"""Every reason the reader refuses a file has its own stable finding code (issues 10, 11).

The hostile corpus (tests/reader_corpus.py) is refused case by case with the code of its
reason; every code is catalogued as an error of the file group; ``check`` and ``merge``
report it for the file (``--json`` carries it) while the good returns are merged.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from check_helpers import YEAR, build, ident, layout_of
from cli_helpers import run_process as _run
from reader_corpus import Hostile, hostile_corpus

from xlreport.checks.catalogue import CATALOGUE
from xlreport.errors import UnreadableFileError
from xlreport.reader import ReadLimits, read_xlsx, reasons

CORPUS = {c.name: c for c in hostile_corpus()}
EXPECTED = {
    "empty": "file-empty",
    "random-bytes": "file-unknown-format",
    "random-bytes-zip-magic": "zip-truncated",
    "truncated-zip": "zip-truncated",
    "zip-without-workbook": "zip-no-workbook",
    "zip-bomb-1gb": "zip-part-too-large",
    "zip-bomb-lying-header": "zip-bomb",
    "zip-bomb-tiny-header": "zip-part-corrupt",
    "lying-size-header": "zip-part-corrupt",
    "deep-xml": "xml-too-deep",
    "laughs-shared-strings": "xml-dtd",
    "laughs-sheet": "xml-dtd",
    "laughs-workbook": "xml-dtd",
    "external-entity": "xml-dtd",
    "undeclared-entity": "xml-invalid",
    "encrypted": "file-encrypted",
    "xls-renamed": "file-xls",
    "xls-by-wps": "file-xls-or-et",
    "wps-et": "file-et",
    "doc-renamed": "file-word",
    "xlsm": "file-xlsm",
    "xlsm-content-type": "file-xlsm",
    "xlsb": "file-xlsb",
    "ods": "file-ods",
    "docx": "file-word",
    "csv": "file-text",
    "txt-gbk": "file-text",
    "txt-utf16": "file-text",
    "html-as-xls": "file-html",
    "pdf": "file-pdf",
    "png": "file-image",
    "rar": "file-archive",
    "million-shared-strings": "file-too-many-strings",
    "million-empty-rows": "file-too-many-rows",
    "million-cells": "file-too-many-cells",
    "million-elements": "xml-too-many-elements",
    "cell-beyond-xfd": "cell-ref-invalid",
    "row-beyond-max": "cell-ref-invalid",
    "bad-shared-string-index": "cell-value-invalid",
    "negative-shared-string-index": "cell-value-invalid",
    "missing-sheet-part": "file-part-missing",
    "malformed-sheet-xml": "xml-invalid",
    "shared-formula-amplification": "file-formula-text-too-long",
    "zip-member-encrypted": "zip-part-unsupported",
    "zip-member-bzip2": "zip-part-unsupported",
    "too-many-members": "zip-too-many-parts",
}


def code_of(tmp_path: Path, case: Hostile) -> str:
    path = tmp_path / f"{case.name}{case.suffix}"
    case.build(path)
    with pytest.raises(UnreadableFileError) as e:
        read_xlsx(path)
    return e.value.code


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_is_refused_with_the_code_of_its_reason(
    tmp_path: Path, name: str
) -> None:
    assert code_of(tmp_path, CORPUS[name]) == EXPECTED.get(name, "(a new case: give its code)")


def test_every_reason_has_a_catalogued_error_code_of_its_own() -> None:
    made = {}
    for name, fn in inspect.getmembers(reasons, inspect.isfunction):
        if fn.__module__ != reasons.__name__ or name in ("unreadable", "shown", "coded"):
            continue
        if name.startswith("_"):
            continue
        args = [
            "x" if p.annotation in ("str", str) else 1
            for p in inspect.signature(fn).parameters.values()
        ]
        if name == "bad_number":
            args[-1] = False
        e = fn(*args)
        assert isinstance(e, UnreadableFileError), name
        made[name] = e.code
    assert "file-unreadable" not in made.values()
    for name, code in made.items():
        kind = CATALOGUE[code]
        assert (kind.severity, kind.group) == ("error", "文件"), name
    # one code per reason, but for the two kinds of Word document
    assert len(set(made.values())) == len(made) - 1
    assert made["word_doc"] == made["docx"] == "file-word"


def test_path_reasons(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as e:
        read_xlsx(tmp_path / "none.xlsx")
    assert e.value.code == "file-not-found"
    with pytest.raises(UnreadableFileError) as e:
        read_xlsx(tmp_path)
    assert e.value.code == "file-is-folder"
    (tmp_path / "r.xlsx").write_bytes(build(layout_of()))
    with pytest.raises(UnreadableFileError) as e:
        read_xlsx(tmp_path / "r.xlsx", limits=ReadLimits(max_file_bytes=1000))
    assert e.value.code == "file-too-large"


def test_check_and_merge_report_the_code_and_merge_the_good_returns(tmp_path: Path) -> None:
    layout = layout_of()
    folder = tmp_path / "收回"
    folder.mkdir()
    (folder / "甲.xlsx").write_bytes(build(layout, identity=ident(layout, code="A01", name="甲局")))
    (folder / "乙.xlsx").write_bytes(build(layout, identity=ident(layout, code="A02", name="乙局")))
    want = {}
    for name in ("encrypted", "xls-renamed", "xlsm", "zip-bomb-lying-header", "laughs-sheet"):
        case = CORPUS[name]
        case.build(folder / f"{name}{case.suffix}")
        want[f"{name}{case.suffix}"] = EXPECTED[name]

    check = _run("check", str(folder), "--year", str(YEAR), "--json")
    assert check.returncode == 2, check.stderr
    files = {Path(f["path"]).name: f for f in json.loads(check.stdout)["files"]}
    assert {n: [x["code"] for x in files[n]["findings"]] for n in want} == {
        n: [c] for n, c in want.items()
    }
    assert all(files[n]["status"] == "unreadable" for n in want)

    out = tmp_path / "汇总.xlsx"
    merge = _run("merge", str(folder), "--out", str(out), "--format", layout.id,
                 "--year", str(YEAR), "--name", "测试县", "--json")  # fmt: skip
    assert merge.returncode != 0, merge.stderr
    doc = json.loads(merge.stdout)
    listed = {f["file_name"]: (f["status"], f["reason_code"]) for f in doc["files"]}
    assert {n: listed[n] for n in want} == {n: ("unreadable", c) for n, c in want.items()}
    assert listed["甲.xlsx"] == listed["乙.xlsx"] == ("merged", "")
    assert doc["summary"]["written"] and sorted(doc["summary"]["contributors"]) == ["A01", "A02"]
