"""``merge_paths`` over real workbooks on disk: sums, check passes, upward merge, duplicates,
superseded returns, roster, determinism, inputs untouched."""

from __future__ import annotations

import hashlib
import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from merge_helpers import PASSWORD, YEAR, checked, ident, set_mtime, valid_values, xml_cells
from realdata import REAL_REPORTS, load_real_report, real_report_inputs

from xlreport.batch import check_file
from xlreport.checks.model import CheckOptions
from xlreport.merge import merge_checked, merge_paths
from xlreport.roster import Agency
from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

L = resolve_layout("gov-2021")
OPTIONS = CheckOptions(layout=L, year=YEAR)
N = 10


def agency_values() -> dict[str, dict[str, Decimal]]:
    """Two agencies carry the real published tables, the others valid random figures."""
    rng = random.Random(2024)
    out = {f"A{i:02d}": valid_values(L, rng) for i in range(N)}
    for code, name in zip(("A00", "A01"), REAL_REPORTS, strict=True):
        raw = real_report_inputs(load_real_report(name), L)
        out[code] = {k: v for k, v in raw.items() if v is not None}
    return out


def write_return(
    path: Path, code: str, values: dict[str, Decimal], name: str = "", mtime: float = 0
) -> Path:
    data = build_workbook(
        L, ident(L, code, name or f"单位{code}"), password=PASSWORD, values=dict(values)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    set_mtime(path, mtime or 1_736_000_000)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("returns")
    for code, values in agency_values().items():
        write_return(root / "in" / f"{code}的报表.xlsx", code, values)
    return root / "in"


def roster(extra: int = 0) -> list[Agency]:
    return [Agency(f"A{i:02d}", f"单位A{i:02d}") for i in range(N + extra)]


def digest_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_flat_merge_is_the_exact_sum_and_passes_check(folder: Path, tmp_path: Path) -> None:
    before = digest_tree(folder)
    out = tmp_path / "县汇总.xlsx"
    result = merge_paths([folder], out, OPTIONS, roster=roster(1), name="某某县", workers=2)
    assert not result.left_out, [(f.file_name, f.reason) for f in result.left_out]
    assert result.exit_code == 1  # one roster agency missing (issue 10)
    assert digest_tree(folder) == before  # inputs never modified
    assert result.missing == [(f"A{N:02d}", f"单位A{N:02d}")]
    values = agency_values()
    for cell in L.inputs():
        expected = sum((v.get(cell.id, Decimal(0)) for v in values.values()), Decimal(0))
        assert result.values[cell.id] == expected, cell.id
    checked = check_file(out, CheckOptions(layout=L, year=YEAR))
    assert checked.report.errors == 0, [f.message for f in checked.report.findings]
    assert checked.data is not None
    assert checked.data.identity.kind == "summary"
    assert checked.data.identity.contributors == tuple(sorted(values))
    for cell in L.cells.values():
        assert checked.data.totals[cell.id] == result.values[cell.id], cell.id
    cells = xml_cells(out.read_bytes(), "报送情况")
    assert any(v == "未报送" for _t, _f, v in cells.values())


def test_upward_merge_equals_the_flat_merge(folder: Path, tmp_path: Path) -> None:
    files = sorted(folder.glob("*.xlsx"))
    flat = merge_paths(files, tmp_path / "flat.xlsx", OPTIONS)
    a = merge_paths(files[:4], tmp_path / "county-a.xlsx", OPTIONS, name="甲县")
    b = merge_paths(files[4:], tmp_path / "county-b.xlsx", OPTIONS, name="乙县")
    assert a.identity and b.identity and a.identity.agency_code != b.identity.agency_code
    city = merge_paths(
        [tmp_path / "county-a.xlsx", tmp_path / "county-b.xlsx"],
        tmp_path / "city.xlsx",
        OPTIONS,
        name="某某市",
    )
    assert city.exit_code == 0
    assert city.values == flat.values
    assert city.identity and flat.identity
    assert city.identity.contributors == flat.identity.contributors
    # and once more upward: a province of one city equals the city
    province = merge_paths([tmp_path / "city.xlsx"], tmp_path / "prov.xlsx", OPTIONS, name="某某省")
    assert province.values == flat.values
    # the city's detail sheet lists the two counties (by name: issue 13's printable detail)
    names = {
        v for _t, _f, v in xml_cells((tmp_path / "city.xlsx").read_bytes(), "分单位明细").values()
    }
    assert {"甲县（汇总4个单位）", f"乙县（汇总{len(files) - 4}个单位）"} <= names


def test_return_also_counted_in_a_summary_is_left_out(folder: Path, tmp_path: Path) -> None:
    files = sorted(folder.glob("*.xlsx"))
    merge_paths(files[:4], tmp_path / "county.xlsx", OPTIONS, name="甲县")
    result = merge_paths([tmp_path / "county.xlsx", files[0]], tmp_path / "city.xlsx", OPTIONS)
    by_name = {f.file_name: f for f in result.files}
    # issue 10: a summary is never mixed with a return it contains: both are refused
    assert by_name["county.xlsx"].status == "overlap"
    assert by_name[files[0].name].status == "overlap"
    assert by_name["county.xlsx"].reason_code == "summary-overlap"
    assert files[0].name in by_name["county.xlsx"].reason
    assert result.exit_code == 2  # nothing left to merge


def test_duplicates_and_superseded_returns(folder: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(folder, inbox)
    shutil.copy2(inbox / "A03的报表.xlsx", inbox / "A03的报表 (1).xlsx")  # sent twice
    changed = dict(agency_values()["A04"])
    changed["a20_5.permit.decisions"] = changed.get("a20_5.permit.decisions", Decimal(0)) + 7
    write_return(inbox / "A04-更正.xlsx", "A04", changed, mtime=1_736_100_000)  # arrived later
    # issue 10: the later file time decides nothing: two differing versions are a conflict
    result = merge_paths([inbox], tmp_path / "s.xlsx", OPTIONS)
    by_name = {f.file_name: f for f in result.files}
    assert by_name["A03的报表 (1).xlsx"].status == "duplicate"
    for name in ("A04-更正.xlsx", "A04的报表.xlsx"):
        assert (
            by_name[name].status == "conflict" and by_name[name].reason_code == "version-conflict"
        )
    assert result.exit_code == 1
    assert "A04" not in (result.identity.contributors if result.identity else ())
    # --prefer names the version that counts
    result = merge_paths([inbox], tmp_path / "s.xlsx", OPTIONS, prefer=[inbox / "A04-更正.xlsx"])
    by_name = {f.file_name: f for f in result.files}
    assert by_name["A03的报表 (1).xlsx"].status == "duplicate"
    assert by_name["A04-更正.xlsx"].status == "merged"
    old = by_name["A04的报表.xlsx"]
    assert old.status == "superseded" and old.instead == "A04-更正.xlsx"
    assert [d.cell_id for d in old.differences] == ["a20_5.permit.decisions"]
    assert result.exit_code == 0  # a duplicate and a replaced draft are not problems
    flat = merge_paths([folder], tmp_path / "flat.xlsx", OPTIONS)
    assert result.values["a20_5.permit.decisions"] == flat.values["a20_5.permit.decisions"] + 7


def test_byte_identical_in_any_order_and_any_folder(folder: Path, tmp_path: Path) -> None:
    files = sorted(folder.glob("*.xlsx"))
    merge_paths(files, tmp_path / "a.xlsx", OPTIONS, roster=roster(2), name="某某县")
    rng = random.Random(1)
    shuffled = list(files)
    rng.shuffle(shuffled)
    merge_paths(shuffled, tmp_path / "b.xlsx", OPTIONS, roster=roster(2), name="某某县")
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(folder, moved)
    merge_paths([moved], tmp_path / "c.xlsx", OPTIONS, roster=roster(2), name="某某县", workers=1)
    first = (tmp_path / "a.xlsx").read_bytes()
    assert (tmp_path / "b.xlsx").read_bytes() == first
    assert (tmp_path / "c.xlsx").read_bytes() == first


def test_rerun_over_the_folder_holding_the_outputs(folder: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(folder, inbox)
    out, export = inbox / "汇总.xlsx", inbox / "汇总.csv"
    first = merge_paths([inbox], out, OPTIONS, name="某某县", export=export)
    again = merge_paths([inbox], out, OPTIONS, name="某某县", export=export)
    assert again.exit_code == 0 and again.values == first.values
    assert len(again.files) == N


def test_wrong_year_and_unreadable_files_are_listed(folder: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(folder, inbox)
    other = build_workbook(L, ident(L, "B01", year=YEAR - 1), password=PASSWORD, values={})
    (inbox / "去年的.xlsx").write_bytes(other)
    (inbox / "说明.docx.xlsx").write_bytes(b"PK\x03\x04 not really")
    (inbox / "~$A00的报表.xlsx").write_bytes(b"lock")
    result = merge_paths([inbox], tmp_path / "s.xlsx", OPTIONS)
    by_name = {f.file_name: f for f in result.files}
    assert by_name["去年的.xlsx"].status == "error" and "2023" in by_name["去年的.xlsx"].reason
    assert by_name["说明.docx.xlsx"].status == "unreadable"
    assert by_name["~$A00的报表.xlsx"].status == "skipped"
    assert len(result.merged) == N and result.exit_code == 1
    rows = xml_cells((tmp_path / "s.xlsx").read_bytes(), "报送情况")
    shown = {v for _t, _f, v in rows.values()}
    assert {"去年的.xlsx", "说明.docx.xlsx", "~$A00的报表.xlsx"} <= shown


def test_progress_reports_every_file(folder: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = merge_paths(
        [folder], tmp_path / "s.xlsx", OPTIONS, progress=lambda d, t: calls.append((d, t))
    )
    assert calls[0] == (0, N) and calls[-1] == (N, N)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)
    plain = merge_paths([folder], tmp_path / "t.xlsx", OPTIONS)
    assert [f.path for f in plain.files] == [f.path for f in result.files]


def test_a_summary_of_many_agencies_merges_upward(tmp_path: Path) -> None:
    """400 agencies × 166 columns in 分单位明细 is beyond the reader's cell bound for a
    return; the summary's own listing sheets are not read, so it still merges upward."""
    rng = random.Random(400)
    many = [checked(L, f"M{i:04d}", valid_values(L, rng), path=f"/in/{i}.xlsx") for i in range(400)]
    county = merge_checked(many, tmp_path / "大县.xlsx", OPTIONS, name="大县")
    city = merge_paths([tmp_path / "大县.xlsx"], tmp_path / "市.xlsx", OPTIONS, name="某某市")
    assert city.exit_code == 0, [f.reason for f in city.left_out]
    assert city.values == county.values
    assert city.identity is not None and len(city.identity.contributors) == 400


def test_an_earlier_summary_of_the_same_name_is_not_merged_into_itself(
    folder: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(folder, inbox)
    first = merge_paths([inbox], inbox / "汇总-第一版.xlsx", OPTIONS, name="某某县")
    again = merge_paths([inbox], inbox / "汇总-第二版.xlsx", OPTIONS, name="某某县")
    old = {f.file_name: f for f in again.files}["汇总-第一版.xlsx"]
    assert old.status == "skipped" and "此前生成的汇总表" in old.reason
    assert again.exit_code == 0 and again.values == first.values
    assert len(again.merged) == N
