"""Hostile and wrong files: each refused with UnreadableFileError and a Chinese reason.

Times are not asserted here (benchmarks/bench_reader.py prints them); what is asserted is
the refusal, its reason, that nothing is inflated beyond what a header declared, and that
the input file is left untouched.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from reader_corpus import (
    Hostile,
    bomb_xlsx,
    hostile_corpus,
    lying_sheet_xlsx,
    missing_path_and_directory,
    ole_file,
)

from xlreport.errors import UnreadableFileError
from xlreport.reader import ReadLimits, read_xlsx
from xlreport.reader.archive import OUT_CHUNK, Archive
from xlreport.reader.limits import DEFAULT_LIMITS, MB
from xlreport.reader.sniff import ole_stream_names

CORPUS = hostile_corpus()
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_hostile_file_is_refused_with_its_reason(tmp_path: Path, case: Hostile) -> None:
    path = tmp_path / f"{case.name}{case.suffix}"
    case.build(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(UnreadableFileError) as info:
        read_xlsx(path)
    err = info.value
    assert case.expect in err.message, err.message
    assert HAN.search(err.message) and HAN.search(err.hint), str(err)
    assert "\n" not in str(err)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_corpus_is_large_and_names_are_unique() -> None:
    assert len(CORPUS) >= 40
    assert len({c.name for c in CORPUS}) == len(CORPUS)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    for path, expect in missing_path_and_directory(tmp_path):
        with pytest.raises(UnreadableFileError, match=expect) as info:
            read_xlsx(path)
        assert str(path) in info.value.message


def test_other_save_as_hint_for_every_format_refusal(tmp_path: Path) -> None:
    """The refusals that are a format question tell the user to save as .xlsx."""
    for case in CORPUS:
        if case.name in (
            "xls-renamed",
            "wps-et",
            "xls-by-wps",
            "xlsb",
            "ods",
            "html-as-xls",
            "encrypted",
        ):
            path = tmp_path / f"{case.name}{case.suffix}"
            case.build(path)
            with pytest.raises(UnreadableFileError) as info:
                read_xlsx(path)
            assert "另存为" in info.value.hint and "xlsx" in info.value.hint, case.name


def _inflate_until_refused(
    data: bytes, part: str, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[int, str]:
    archive = Archive(data, limits)
    produced = 0
    with pytest.raises(UnreadableFileError) as info:
        for chunk in archive.chunks(part):
            produced += len(chunk)
    return produced, info.value.message


def test_lying_size_header_is_capped_at_what_it_declared() -> None:
    declared = 1 * MB
    produced, message = _inflate_until_refused(
        lying_sheet_xlsx(real=8 * MB, declared=declared), "xl/worksheets/sheet1.xml"
    )
    assert "损坏" in message
    assert produced <= declared  # the chunk that went past the declared size is not handed on


def test_lying_header_bomb_stops_after_about_a_megabyte() -> None:
    produced, message = _inflate_until_refused(
        bomb_xlsx(total=256 * MB, declared=30 * MB), "xl/worksheets/sheet1.xml"
    )
    assert "压缩炸弹" in message
    assert produced <= DEFAULT_LIMITS.ratio_floor_bytes + OUT_CHUNK


def test_honest_bomb_is_refused_before_inflating() -> None:
    produced, message = _inflate_until_refused(
        bomb_xlsx(total=256 * MB), "xl/worksheets/sheet1.xml"
    )
    assert f"超过 {DEFAULT_LIMITS.max_part_bytes // MB} MB" in message
    assert produced == 0


def test_part_cap_holds_even_when_the_header_allows_more() -> None:
    limits = ReadLimits(max_part_bytes=2 * MB, max_ratio=10_000)
    produced, message = _inflate_until_refused(
        bomb_xlsx(total=64 * MB, declared=2 * MB - 1), "xl/worksheets/sheet1.xml", limits
    )
    assert produced <= 2 * MB
    assert "损坏" in message  # more came out than the header declared


def test_total_cap_over_all_parts(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(bomb_xlsx(total=8 * MB))
    with pytest.raises(UnreadableFileError, match="内容超过"):
        read_xlsx(path, limits=ReadLimits(max_total_bytes=4 * MB, max_ratio=100_000))


def test_ole_directory_is_walked() -> None:
    data = ole_file({"Workbook": b"x", "\x05SummaryInformation": b"y", "WpsCustomData": b"z"})
    assert ole_stream_names(data) == {
        "Root Entry",
        "Workbook",
        "\x05SummaryInformation",
        "WpsCustomData",
    }
    assert ole_stream_names(data[:600]) is None or "Workbook" not in (
        ole_stream_names(data[:600]) or set()
    )


def test_broken_ole_directory_falls_back_to_searching_names(tmp_path: Path) -> None:
    data = bytearray(ole_file({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}))
    data[0x30:0x34] = b"\xff\xff\xff\x7f"  # first directory sector far beyond the file
    path = tmp_path / "enc.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match="密码"):
        read_xlsx(path)
