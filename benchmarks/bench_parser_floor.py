"""Benchmark: could one parser that visits every element read a return as fast as accel?

    python benchmarks/bench_parser_floor.py [--n 200]

Writes N returns with the writer (as bench_reader.py does) and times, per return, the
worksheet parts (five) and the shared strings read in memory:

* ``expat, no handlers``: expat checking the parts well-formed, nothing else;
* ``expat, empty handlers``: the same with a Python start/end/text handler that does
  nothing — the floor of any parser that hands every element to Python;
* ``parser``: reader/sheet.py and reader/strings.py, the one parser;
* ``accel``: reader/accel/ (regular expressions over parts checked well-formed by expat).

Each figure is the best of three medians (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_reader import write_returns  # noqa: E402

from xlreport.reader.accel.sheet import read_plain_sheet  # noqa: E402
from xlreport.reader.accel.strings import read_plain_strings  # noqa: E402
from xlreport.reader.limits import DEFAULT_LIMITS  # noqa: E402
from xlreport.reader.model import RawSheet  # noqa: E402
from xlreport.reader.sheet import parse_sheet  # noqa: E402
from xlreport.reader.strings import parse_shared_strings  # noqa: E402
from xlreport.reader.xmlsafe import Budget, new_parser  # noqa: E402

Parts = tuple[list[bytes], bytes]  # the worksheet parts, the shared strings


def _ignore(*_args: object) -> None:
    return None


def expat_bare(parts: Parts) -> None:
    for data in (*parts[0], parts[1]):
        new_parser().Parse(data, True)


def expat_empty_handlers(parts: Parts) -> None:
    for data in (*parts[0], parts[1]):
        p = new_parser()
        p.StartElementHandler = p.EndElementHandler = p.CharacterDataHandler = _ignore
        p.Parse(data, True)


def parser(parts: Parts) -> None:
    budget = Budget(DEFAULT_LIMITS)
    sst = parse_shared_strings([parts[1]], "xl/sharedStrings.xml", budget)
    for data in parts[0]:
        parse_sheet([data], "sheet", RawSheet(name="s"), sst, budget)


def accel(parts: Parts) -> None:
    budget = Budget(DEFAULT_LIMITS)
    sst = read_plain_strings(parts[1], "xl/sharedStrings.xml", budget)
    assert sst is not None
    for data in parts[0]:
        assert read_plain_sheet(data, "sheet", RawSheet(name="s"), sst, budget)


def best_median(fn: Callable[[Parts], None], files: list[Parts]) -> float:
    medians = []
    for _ in range(3):
        times = []
        for parts in files:
            t = time.perf_counter()
            fn(parts)
            times.append((time.perf_counter() - t) * 1000)
        medians.append(statistics.median(times))
    return min(medians)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench_floor_") as tmp:
        files: list[Parts] = []
        for path in write_returns(args.n, Path(tmp)):
            with zipfile.ZipFile(path) as z:
                sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
                files.append((sheets, z.read("xl/sharedStrings.xml")))
    for fn in (expat_bare, expat_empty_handlers, parser, accel):
        fn(files[0])  # warm caches
        name = fn.__name__.replace("_", " ")
        print(f"  {name:24s} {best_median(fn, files):6.2f} ms per return")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
