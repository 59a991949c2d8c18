"""The golden helper itself: a change fails with a diff naming the part, the update switch
rewrites, and the version normalisation takes the version and nothing after it."""

from __future__ import annotations

from pathlib import Path

import golden_helpers
import pytest
from golden_helpers import (
    MAX_DIFF_LINES,
    UPDATE_VAR,
    check_parts,
    check_text,
    compare,
    normalise,
    xlsx_parts,
)

from xlreport.spec import builtin_layouts
from xlreport.template import agency_identity
from xlreport.writer import build_workbook


def _template() -> dict[str, bytes]:
    layout = builtin_layouts()["gov-2021"]
    data = build_workbook(layout, agency_identity(layout, 2024, None), password="pw")
    return xlsx_parts(data)


def test_a_changed_part_is_named_and_shown_pretty_printed() -> None:
    want = _template()
    got = dict(want)
    got["xl/sharedStrings.xml"] = want["xl/sharedStrings.xml"].replace(
        "填报人".encode(), "填表人".encode()
    )
    problem = compare("case", got, want)
    assert "1 parts changed" in problem
    assert "--- golden/xl/sharedStrings.xml" in problem
    assert "+++ output/xl/sharedStrings.xml" in problem
    # one line per element, so the diff shows the string changed, not the whole part
    assert "-  <t>填报人</t>" in problem and "+  <t>填表人</t>" in problem
    assert len(problem.splitlines()) < 20


def test_a_long_diff_is_cut_and_missing_parts_are_listed() -> None:
    want = _template()
    got = {n: d for n, d in want.items() if n != "docProps/app.xml"}
    got["xl/sharedStrings.xml"] = want["xl/sharedStrings.xml"].replace(b"<t>", b"<t>x")
    problem = compare("case", got, want)
    assert "parts in the golden set but not in the output: ['docProps/app.xml']" in problem
    assert "more diff lines)" in problem
    assert len(problem.splitlines()) <= MAX_DIFF_LINES + 5


def test_the_version_and_nothing_else_is_normalised() -> None:
    text = "<t>xlreport 0.1.0</t><t>由xlreport 1.12.3rc1+g1a2b生成</t><t>xlreport 2.0.0.dev3</t>"
    assert normalise(text.encode()).decode() == (
        "<t>xlreport VERSION</t><t>由xlreport VERSION生成</t><t>xlreport VERSION</t>"
    )
    assert normalise(b"<t>A01</t>", {"A01": "<a>"}) == b"<t><a></t>"


def test_update_switch_rewrites_and_a_mismatch_then_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(golden_helpers, "GOLDEN", tmp_path)
    parts = {"a.xml": b"<a><b>1</b></a>", "sub/c.json": b'{"x": 1}'}
    monkeypatch.setenv(UPDATE_VAR, "1")
    check_parts("case", parts)
    check_text("t/out.json", '{"y": 2}\n')
    assert (tmp_path / "case" / "sub" / "c.json").read_bytes() == b'{"x": 1}'
    monkeypatch.delenv(UPDATE_VAR)
    check_parts("case", parts)
    check_text("t/out.json", '{"y": 2}\n')
    with pytest.raises(pytest.fail.Exception, match=r"(?s)sub/c.json.*-  \"x\": 1.*\+  \"x\": 2"):
        check_parts("case", {**parts, "sub/c.json": b'{"x": 2}'})
    with pytest.raises(pytest.fail.Exception, match=r"(?s)t/out.json.*\+  \"y\": 3"):
        check_text("t/out.json", '{"y": 3}\n')
    with pytest.raises(pytest.fail.Exception, match="no golden files"):
        check_parts("other", parts)
