"""Golden files for every output of the command line, on fixed inputs (tests/golden_cases.py).

Compared byte for byte with tests/golden/ (see tests/golden/README.md): a personalised
template, ``check --json``, the annotated copies of ``check --annotate``, ``merge --json``
with and without a version conflict resolved, the summary workbook and the ``--export``
long tables (CSV and JSON). The only normalisations are the generator's version, the
temporary folder (``<tmp>``) and the inputs' SHA-256 digests (``<sha256 NAME>``), which
change with the version they carry. Rewrite after an intended change::

    XLREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_outputs.py
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import INBOX, Outputs, run_all
from golden_helpers import check_parts, check_text, xlsx_parts


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return run_all(tmp_path_factory.mktemp("golden"))


def _listing(folder: Path) -> str:
    return "".join(f"{p.relative_to(folder).as_posix()}\n" for p in sorted(folder.rglob("*")))


def _workbook(outputs: Outputs, relative: str, case: str) -> None:
    data = (outputs.root / relative).read_bytes()
    check_parts(case, xlsx_parts(data, outputs.replacements()))


def test_the_inputs_are_what_the_goldens_say(outputs: Outputs) -> None:
    check_text("cli/inputs.txt", _listing(outputs.root / INBOX))


def test_personalised_templates(outputs: Outputs) -> None:
    assert outputs.codes["template"] == 0
    check_text("cli/template-files.txt", _listing(outputs.root / "模板"))
    _workbook(outputs, "模板/2023年度政府信息公开工作年度报告_平潭局.xlsx", "template-personalised")


def test_check_json(outputs: Outputs) -> None:
    # an unreadable file among them: exit 2 (issue 10: a file that cannot be read is no return)
    assert outputs.codes["check"] == 2
    check_text("cli/check.json", outputs.text("check"))


def test_annotated_copies(outputs: Outputs) -> None:
    assert outputs.codes["annotate"] == 2
    check_text("cli/annotate-files.txt", _listing(outputs.root / "退回"))
    _workbook(outputs, "退回/退回修改_有错局_第1轮.xlsx", "annotated-error")
    _workbook(outputs, "退回/退回修改_有空白局_第1轮.xlsx", "annotated-blank")


def test_merge_json_with_a_conflict(outputs: Outputs) -> None:
    assert outputs.codes["merge-conflict"] == 1
    check_text("cli/merge-conflict.json", outputs.text("merge-conflict"))
    check_text("cli/merge-conflict-export.json", outputs.file_text("长表-冲突.json"))


def test_merge_json_and_csv_export(outputs: Outputs) -> None:
    assert outputs.codes["merge"] == 1
    check_text("cli/merge.json", outputs.text("merge"))
    check_text("cli/merge-export.csv", outputs.file_text("长表.csv"))


def test_summary_workbook(outputs: Outputs) -> None:
    _workbook(outputs, "汇总.xlsx", "summary")
