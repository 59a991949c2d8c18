"""The hostile corpus through `xlreport check`, one file at a time, as a child process.

Every case ends with the exit status its kind calls for, says what is wrong in Chinese
(for an unreadable file: what it really is), never shows a traceback, and stays under
250 MB. Wall times are recorded and printed (``pytest -s``); a generous bound only
catches a file that is not refused at all (an unguarded bomb runs for a minute) — the
1-second figures are measured by benchmarks/bench_hostile.py.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile.make_corpus import CorpusCase, make_corpus
from hostile.measure import Measured, printable, run_measured, xlreport_cmd

from xlreport.batch import check_paths
from xlreport.checks.model import CheckOptions
from xlreport.errors import XlreportError
from xlreport.spec import resolve_layout

pytestmark = pytest.mark.slow

LAYOUT_ID, YEAR = "gov-2021", 2024
EXIT = {"unreadable": {2}, "findings": {1}, "warnings": {0}, "ok": {0}}
STATUS = {"unreadable": {"unreadable"}, "findings": {"error"}, "warnings": {"warning"},
          "ok": {"ok"}}  # fmt: skip
MAX_MB = 250
SAFETY_SECONDS = 20  # a refused file takes < 1 s; an unrefused bomb takes minutes
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusCase]:
    return make_corpus(tmp_path_factory.mktemp("hostile"))


def test_corpus_has_at_least_40_kinds(corpus: list[CorpusCase]) -> None:
    names = [c.name for c in corpus]
    assert len(set(names)) == len(names)
    assert len(corpus) >= 40
    kinds = {c.expect for c in corpus}
    assert kinds == {"unreadable", "findings", "warnings", "ok"}
    for c in corpus:
        if c.name not in ("missing-path", "directory.xlsx"):
            assert c.path.is_file(), c.name
    long_path = next(c for c in corpus if c.name == "very-long-path")
    assert len(str(long_path.path)) > 260


def _check(case: CorpusCase) -> Measured:
    return run_measured(
        xlreport_cmd("check", "--format", LAYOUT_ID, "--year", str(YEAR), str(case.path)),
        timeout=120,
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _problems_of(case: CorpusCase, m: Measured) -> list[str]:
    out: list[str] = []
    if m.returncode not in EXIT[case.expect]:
        out.append(f"exit {m.returncode}, expected {sorted(EXIT[case.expect])}")
    if "Traceback" in m.output:
        out.append("a traceback: " + m.output[-300:])
    if "\x1b" in m.output:  # NO_COLOR and not a terminal: any escape came from the input
        out.append("a raw escape character (from a file name) reaches the terminal")
    if not CJK.search(m.output):  # results on stdout, a refusal on stderr
        out.append("no Chinese line: " + m.output[:200])
    if case.says and not any(_flat(s) in _flat(m.output) for s in case.says):
        out.append(f"the message names none of {case.says}: {m.output[:240]!r}")
    if not m.peak_rss_mb < MAX_MB:
        out.append(f"peak memory {m.peak_rss_mb:.0f} MB")
    if m.seconds > SAFETY_SECONDS:
        out.append(f"took {m.seconds:.1f} s")
    return out


def test_check_every_case_from_the_command_line(corpus: list[CorpusCase]) -> None:
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(_check, corpus))
    problems = []
    print(f"\n{'case':34} exit  wall s  peak MB")
    for case, m in zip(corpus, runs, strict=True):
        print(
            f"{printable(case.name)[:34]:34} {m.returncode:>4} {m.seconds:7.2f} {m.peak_rss_mb:8.0f}"
        )
        problems += [printable(f"{case.name}: {p}") for p in _problems_of(case, m)]
    assert not problems, "\n".join(problems)


def test_check_every_case_in_process(corpus: list[CorpusCase]) -> None:
    """The library call behind `check`: status, finding codes, one Chinese line each."""
    options = CheckOptions(layout=resolve_layout(LAYOUT_ID), year=YEAR)
    problems = []
    slowest = (0.0, "")
    for case in corpus:
        start = time.perf_counter()
        try:
            checked = check_paths([case.path], options)
        except XlreportError as e:  # a path that is not there, a folder with no workbook
            if case.expect != "unreadable":
                problems.append(f"{case.name}: refused as a usage error: {e}")
            continue
        except Exception as e:  # a crash is this case's problem; the others are still run
            problems.append(f"{case.name}: {type(e).__name__} raised: {str(e)[:200]}")
            continue
        seconds = time.perf_counter() - start
        if not checked:  # an empty folder named .xlsx: nothing to check
            if case.expect != "unreadable":
                problems.append(f"{case.name}: nothing checked")
            continue
        slowest = max(slowest, (seconds, case.name))
        if seconds > SAFETY_SECONDS / 4:
            problems.append(f"{case.name}: {seconds:.1f} s in process")
        report = checked[0].report
        statuses = STATUS[case.expect] | ({"skipped"} if case.merge == "skipped" else set())
        status = "skipped" if checked[0].skipped else report.status
        if status not in statuses:
            problems.append(f"{case.name}: status {status}, expected {sorted(statuses)}")
        codes = {f.code for f in report.findings}
        missing = [c for c in case.codes if c not in codes]
        if missing:
            problems.append(f"{case.name}: no {missing} among {sorted(codes)}")
        for f in report.findings:
            if "\n" in f.message or not CJK.search(f.message):
                problems.append(f"{case.name}: finding {f.code} message {f.message!r}")
    print(f"\nslowest in process: {slowest[1]} {slowest[0] * 1000:.0f} ms")
    assert not problems, "\n".join(problems)


def test_no_case_file_is_written_to(corpus: list[CorpusCase], tmp_path: Path) -> None:
    """`check --annotate` over the whole corpus folder leaves every input as it was."""
    import hashlib

    folder = corpus[0].path.parent
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
              for p in folder.rglob("*") if p.is_file()}  # fmt: skip
    m = run_measured(
        xlreport_cmd("check", "--format", LAYOUT_ID, "--year", str(YEAR), "--annotate",
                     str(tmp_path / "退回"), str(folder)),
        timeout=300,
    )  # fmt: skip
    assert m.returncode == 2, m.output[-500:]
    assert "Traceback" not in m.output
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in folder.rglob("*") if p.is_file()}  # fmt: skip
    assert after == before
