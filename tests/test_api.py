"""The library API: one request → one result per use case, validation inside, results
that render themselves as the commands' JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from check_helpers import YEAR, build, ident, layout_of

from xlreport.api import (
    AnnotateRequest,
    CheckRequest,
    MergeRequest,
    TemplateRequest,
    annotate_returns,
    check_files,
    make_templates,
    merge_returns,
)
from xlreport.errors import UsageError, XlreportError
from xlreport.years import YEAR_MAX, YEAR_MIN

LAYOUT = layout_of()


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "收到"
    inbox.mkdir()
    (inbox / "甲.xlsx").write_bytes(build(LAYOUT, identity=ident(LAYOUT, code="A01", name="甲局")))
    (inbox / "乙.xlsx").write_bytes(build(LAYOUT, identity=ident(LAYOUT, code="A02", name="乙局")))
    (inbox / "丙.xlsx").write_bytes(
        build(LAYOUT, {"s3.new.natural": "12件"}, ident(LAYOUT, code="A03", name="丙局"))
    )
    return inbox


@pytest.mark.parametrize("year", [YEAR_MIN - 1, YEAR_MAX + 1])
def test_every_use_case_refuses_the_same_years(tmp_path: Path, year: int) -> None:
    inbox = _inbox(tmp_path)
    for call in (
        lambda: make_templates(TemplateRequest(year, tmp_path / "模板")),
        lambda: check_files(CheckRequest([inbox], year=year)),
        lambda: merge_returns(MergeRequest([inbox], tmp_path / "s.xlsx", year=year)),
    ):
        with pytest.raises(UsageError) as e:
            call()
        assert isinstance(e.value, XlreportError) and str(year) in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["收到"]  # nothing written


def test_layout_is_resolved_in_the_api(tmp_path: Path) -> None:
    with pytest.raises(XlreportError):
        make_templates(TemplateRequest(2024, tmp_path / "模板", format_id="no-such-layout"))
    with pytest.raises(XlreportError):
        merge_returns(MergeRequest([tmp_path], tmp_path / "s.xlsx", format_id="no-such-layout"))
    made = make_templates(TemplateRequest(2024, tmp_path / "模板", format_id="gov-2019"))
    assert made.layout_id == "gov-2019" and made.agencies == 0 and len(made.paths) == 1
    doc = json.loads(made.to_json())
    assert doc["templates"] == [str(made.paths[0])] and doc["password_file"]


def test_merge_json_is_exactly_the_document_json_dumps_writes(tmp_path: Path) -> None:
    """The streamed document (made piece by piece) is byte for byte what json.dumps gives."""
    inbox = _inbox(tmp_path)
    roster = tmp_path / "名单.csv"
    roster.write_text(
        "单位编码,单位名称\nA01,甲局\nA02,乙局\nA03,丙局\nA09,丁局\n", encoding="utf-8"
    )
    result = merge_returns(
        MergeRequest([inbox], tmp_path / "汇总.xlsx", roster=roster, name="某县", year=YEAR)
    )
    text = result.to_json()
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2)
    assert doc["counts"]["merged"] == 2 and doc["counts"]["left_out"] == 1
    assert [a["code"] for a in doc["agencies"]] == ["A01", "A02", "A03", "A09"]
    out = io.StringIO()
    result.write_json(out)
    assert out.getvalue() == text + "\n"
    assert result.exit_code == doc["exit_code"] == 1


def test_an_empty_merge_still_writes_valid_json(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = merge_returns(MergeRequest([tmp_path / "in"], tmp_path / "s.xlsx"))
    text = result.to_json()
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    assert json.loads(text)["files"] == [] and result.exit_code == 2


def test_check_then_annotate(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    checked = check_files(CheckRequest([inbox], year=YEAR))
    assert checked.exit_code == 1 and len(checked.checked) == 3
    doc = json.loads(checked.to_json())
    assert doc["summary"]["exit_code"] == 1 and doc["summary"]["error"] == 1
    copies = annotate_returns(AnnotateRequest(checked.checked, tmp_path / "退回"))
    assert [p.name for p in copies.written] == ["退回修改_丙局_第1轮.xlsx"]
    assert json.loads(copies.to_json())["annotated"] == [str(copies.written[0])]
    with pytest.raises(UsageError, match="应为文件夹"):
        annotate_returns(AnnotateRequest(checked.checked, inbox / "甲.xlsx"))
