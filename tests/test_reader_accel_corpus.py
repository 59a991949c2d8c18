"""reader/accel/ against the parser over the files that matter: every case of the hostile
corpora (tests/hostile/, tests/reader_corpus.py) and good returns saved by the writer, in
Excel's style, in LibreOffice's style and by real LibreOffice. Each file is read whole both
ways (the same workbook or the same coded refusal) and part by part (accel_helpers.py:
cells, merges, protection, validations, every count of the budget, or a clean decline).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from accel_helpers import same_both_ways
from hostile.make_corpus import CorpusCase, make_corpus
from hostile.returns import write_good_returns
from hostile.values import agencies
from reader_corpus import hostile_corpus

from xlreport.spec import resolve_layout

LAYOUT = resolve_layout("gov-2021")
SHEETS = 5  # worksheet parts of a gov-2021 return


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusCase]:
    return make_corpus(tmp_path_factory.mktemp("hostile"))


def test_every_case_of_the_hostile_corpus_reads_the_same_both_ways(
    corpus: list[CorpusCase],
) -> None:
    taken = 0
    for case in corpus:
        if case.path.is_file():
            _outcome, n = same_both_ways(case.path)
            taken += n
    assert taken >= 30 * SHEETS  # accel really read the sheets of most tampered returns


def test_every_file_the_reader_must_refuse_is_refused_the_same_both_ways(tmp_path: Path) -> None:
    for h in hostile_corpus():
        path = tmp_path / f"{h.name}{h.suffix}"
        h.build(path)
        outcome, _n = same_both_ways(path)
        assert isinstance(outcome, tuple) and outcome[0] == "refused", h.name
        assert h.expect in outcome[2], (h.name, outcome)


@pytest.mark.parametrize("style", ["xlsxwriter", "excel", "lo-like"])
def test_returns_saved_by_applications_are_read_by_accel(tmp_path: Path, style: str) -> None:
    for good in write_good_returns(tmp_path, LAYOUT, agencies(3), styles=(style,)):
        outcome, taken = same_both_ways(good.path)
        assert not isinstance(outcome, tuple), outcome
        assert taken == SHEETS, (style, taken)


@pytest.mark.libreoffice
def test_returns_saved_by_libreoffice_are_read_by_accel(tmp_path: Path) -> None:
    for good in write_good_returns(tmp_path, LAYOUT, agencies(2), styles=("libreoffice",)):
        outcome, taken = same_both_ways(good.path)
        assert not isinstance(outcome, tuple), outcome
        assert taken == SHEETS, taken
