"""The pure parts of the checks: judging one value, reading a formula, finding files."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from check_helpers import build, layout_of

from xlreport.api.check import CheckRequest, check_files
from xlreport.batch import discover
from xlreport.checks import CheckOptions
from xlreport.checks.formula_refs import sum_terms
from xlreport.checks.values import excel_decimal, judge
from xlreport.errors import UsageError
from xlreport.reader import RawCell

LAYOUT = layout_of()
COUNT = LAYOUT.types["count"]
MONEY = LAYOUT.types["money_wan"]
SIGNED = layout_of("gov-2019").types["signed"]


@pytest.mark.parametrize(
    ("cell", "state", "code", "value", "expected"),
    [
        (RawCell("n", "12"), "ok", "", Decimal(12), ""),
        (RawCell("n", "0"), "ok", "", Decimal(0), ""),
        (RawCell("n", "3985758"), "ok", "", Decimal(3985758), ""),
        (RawCell("n", "12.000000000000002"), "ok", "", Decimal(12), ""),  # float noise
        (RawCell("n", "1.2E+3"), "ok", "", Decimal(1200), ""),
        (None, "blank", "value-blank", None, "0 或其他非负整数"),
        (RawCell("n", None), "blank", "value-blank", None, "0 或其他非负整数"),
        (RawCell("s", "   "), "blank", "value-blank", None, "0 或其他非负整数"),
        (RawCell("s", "12"), "invalid", "value-text-number", None, "12"),
        (RawCell("inlineStr", " 12 "), "invalid", "value-text-number", None, "12"),
        (RawCell("s", "1,234"), "invalid", "value-text-number", None, "1234"),
        (RawCell("s", "１２３"), "invalid", "value-text-number", None, "123"),
        (RawCell("s", "12件"), "invalid", "value-text-number", None, "12"),
        (RawCell("s", "约12件"), "invalid", "value-text-number", None, "12"),
        (RawCell("s", "—"), "invalid", "value-zero-as-text", None, "0"),
        (RawCell("s", "——"), "invalid", "value-zero-as-text", None, "0"),
        (RawCell("s", "－"), "invalid", "value-zero-as-text", None, "0"),
        (RawCell("s", "无"), "invalid", "value-zero-as-text", None, "0"),
        (RawCell("s", "/"), "invalid", "value-zero-as-text", None, "0"),
        (RawCell("s", "不详"), "invalid", "value-not-number", None, "非负整数"),
        (RawCell("b", "1"), "invalid", "value-not-number", None, "非负整数"),
        (RawCell("e", "#REF!"), "invalid", "value-not-number", None, "非负整数"),
        (RawCell("n", "2.5"), "invalid", "value-not-integer", None, "非负整数"),
        (RawCell("n", "-3"), "invalid", "value-negative", None, "不小于 0"),
        (RawCell("n", "7", "3+4"), "invalid", "input-formula", None, "非负整数"),
        (RawCell("n", "100", "3+4"), "invalid", "input-formula", None, "非负整数"),
        (RawCell("n", None, "3+4"), "invalid", "input-formula", None, "非负整数"),
        (RawCell("str", "x", 'A1&"x"'), "invalid", "input-formula", None, "非负整数"),
    ],
)
def test_judging_a_count_cell(
    cell: RawCell | None, state: str, code: str, value: Decimal | None, expected: str
) -> None:
    j = judge(cell, COUNT)
    assert (j.state, j.code, j.value, j.expected) == (state, code, value, expected)
    if code:
        assert j.message and j.hint
    if code in ("value-text-number", "value-zero-as-text"):
        assert expected in j.hint  # the number it probably meant


def test_judging_money_and_signed_cells() -> None:
    assert judge(RawCell("n", "5949.088667"), MONEY).value == Decimal("5949.088667")
    assert judge(RawCell("n", "96171.600000000006"), MONEY).value == Decimal("96171.6")
    too_fine = judge(RawCell("n", "1.1234567"), MONEY)
    assert too_fine.code == "value-too-many-decimals" and "1.123457" in too_fine.hint
    yuan = judge(RawCell("s", "251000元"), MONEY)
    assert yuan.code == "value-text-number" and yuan.expected == "25.1" and "万元" in yuan.hint
    assert judge(RawCell("n", "-15"), SIGNED).value == Decimal(-15)
    assert judge(RawCell("n", "-1.5"), SIGNED).code == "value-not-integer"


def test_excel_numbers_keep_fifteen_digits() -> None:
    assert excel_decimal("0.30000000000000004") == Decimal("0.3")
    assert excel_decimal("123456789012345") == Decimal(123456789012345)
    assert excel_decimal("abc") is None and excel_decimal("NaN") is None


@pytest.mark.parametrize(
    ("formula", "terms"),
    [
        ("SUM(D8:D10)-D12", {(7, 3): 1, (8, 3): 1, (9, 3): 1, (11, 3): -1}),
        ("=$D$6+D7-D9", {(5, 3): 1, (6, 3): 1, (8, 3): -1}),
        ("'三、依申请公开'!D6+D7", {(5, 3): 1, (6, 3): 1}),
        ("sum(D6,D7:D8)", {(5, 3): 1, (6, 3): 1, (7, 3): 1}),
        ("-D6+D7", {(5, 3): -1, (6, 3): 1}),
        ("SUM(A1:A2)-SUM(A1:A2)", {}),
        ("SUM(D8:D10)+1", None),
        ("D6*2", None),
        ("D6+", None),
        ("LOG10(D6)", None),
        ("SUM(D6+D7)", None),
        ("'其他表'!D6", None),
        ("SUM(A1:XFD1048576)", None),
    ],
)
def test_reading_a_total_formula(formula: str, terms: dict[tuple[int, int], int] | None) -> None:
    got = sum_terms(formula, "三、依申请公开")
    assert (dict(got) if got is not None else None) == terms


def test_discover_accounts_for_every_file(tmp_path: Path) -> None:
    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "a" / "r1.xlsx").write_bytes(b"x")
    (tmp_path / "a" / ".git" / "r2.xlsx").write_bytes(b"x")
    (tmp_path / "a" / "~$r1.xlsx").write_bytes(b"x")
    (tmp_path / "a" / "r3.XLS").write_bytes(b"x")
    (tmp_path / "a" / "通知.pdf").write_bytes(b"x")
    lock = tmp_path / "~$explicit.xlsx"
    lock.write_bytes(b"x")
    hidden = tmp_path / ".explicit.xlsx"
    hidden.write_bytes(b"x")
    found = discover([tmp_path / "a", lock, hidden, tmp_path / "a" / "r1.xlsx"])
    by_name = {f.path.name: f.skip for f in found}
    assert len(found) == 7  # r1 named twice, counted once
    assert by_name["r1.xlsx"] == "" and by_name["r3.XLS"] == ""  # .xls: the reader says why
    assert by_name[".explicit.xlsx"] == ""  # named explicitly: checked
    assert "锁定文件" in by_name["~$r1.xlsx"] and "锁定文件" in by_name["~$explicit.xlsx"]
    assert by_name["r2.xlsx"] == "隐藏文件"
    assert by_name["通知.pdf"] == "不是 Excel 工作簿"
    assert [f.shown for f in found] == sorted(f.shown for f in found)
    # a path that does not exist is listed with its reason, not an abort
    [gone] = discover([tmp_path / "nothing-here"])
    assert gone.code == "file-not-found" and not gone.to_check and "nothing-here" in gone.problem


def test_discover_counts_a_file_once_however_it_is_reached(tmp_path: Path) -> None:
    """Links to files are followed, links to folders are not (as ``Path.rglob``); a file
    reached twice (a link, a hard link, named again) is listed once, under the first path
    in sorted order."""
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    real = inbox / "sub" / "b.xlsx"
    real.write_bytes(b"x")
    (inbox / "a-link.xlsx").symlink_to(real)
    os.link(real, inbox / "c-hard.xlsx")
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)
    (inbox / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    found = discover([inbox, real])
    assert [f.shown for f in found if f.to_check] == [str(inbox / "a-link.xlsx")]
    # the link to a folder is listed as skipped, the dangling link as a problem
    by_name = {f.path.name: f for f in found}
    assert "链接" in by_name["loop"].skip
    assert by_name["dangling.xlsx"].code == "link-broken"
    other = tmp_path / "other"
    other.mkdir()
    (other / "d.xlsx").write_bytes(b"y")
    listed = [f.path.name for f in discover([other, inbox]) if f.to_check]
    assert listed == ["a-link.xlsx", "d.xlsx"]


def test_a_folder_that_cannot_be_listed_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    [locked] = discover([tmp_path])
    assert locked.code == "folder-unreadable"
    assert "无法读取文件夹" in locked.problem and "locked" in locked.problem


def test_an_unreadable_prior_is_exit_status_2(tmp_path: Path) -> None:
    (tmp_path / "r.xlsx").write_bytes(build(LAYOUT))
    (tmp_path / "上年.xlsx").write_bytes(b"garbage")
    run = check_files(CheckRequest([tmp_path / "r.xlsx"], prior=[tmp_path / "上年.xlsx"]))
    assert run.exit_code == 2 and run.prior_files[0].report.unreadable


def test_a_folder_with_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "~$r.xlsx").write_bytes(b"x")
    with pytest.raises(UsageError):
        check_files(CheckRequest([tmp_path]))
    with pytest.raises(UsageError):
        check_files(CheckRequest([tmp_path], year=1999))


def test_options_default_to_recognising_any_shipped_layout() -> None:
    assert CheckOptions().layout is None
