"""Generate N distinct returns the way Excel and LibreOffice save them (province scale).

    python benchmarks/make_returns.py 10000 /tmp/province [--lo-sample 20] [--workers 2]

Half the returns are personalised from one return re-saved like Excel (no fullCalcOnLoad,
calcChain, x14ac rows, "Microsoft Excel"), half from one return re-saved by real
LibreOffice (``soffice --convert-to xlsx``; when soffice is missing, from LibreOffice's XML
mimicked, and the output says so). ``--lo-sample`` more returns are each built by the
writer and re-saved by real LibreOffice one by one (batches ≤ 200 per soffice call) —
the most realistic, and slowest, kind. Every agency is distinct, with realistic figures
that hold every hard rule. The returns go to ``OUT/returns/``, the expected sums to
``OUT/expected.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hostile.returns import YEAR, file_name, saved_time, style_parts
from hostile.saved_as import libreoffice_available, libreoffice_convert
from hostile.stamp import PASSWORD, Parts, Stamper, identity
from hostile.values import Agency, agencies, realistic_values, signoff

from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

LAYOUT_ID = "gov-2021"
PER_FOLDER = 250  # returns per sub-folder (a county's worth)


@dataclass
class Generated:
    out: Path
    count: int = 0
    seconds: float = 0.0
    styles: dict[str, int] = field(default_factory=dict)
    sums: dict[str, Decimal] = field(default_factory=dict)
    lo_base: str = ""  # "real LibreOffice" or "LibreOffice XML mimicked"


_STAMPERS: dict[str, Stamper] = {}


def _init(parts: dict[str, Parts]) -> None:
    layout = resolve_layout(LAYOUT_ID)
    _STAMPERS.update({style: Stamper(layout, p) for style, p in parts.items()})


def _values(agency: Agency, seed: int) -> tuple[dict[str, Decimal], dict[str, str], str]:
    rng = random.Random(f"{seed}-{agency.code}")
    values = realistic_values(resolve_layout(LAYOUT_ID), rng)
    when = saved_time(rng)
    return values, signoff(rng, int(when[8:10])), when


def _target(out: Path, i: int, agency: Agency) -> Path:
    folder = out / "returns" / f"批次{i // PER_FOLDER + 1:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / file_name(agency, i)


def _add(sums: dict[str, str], values: dict[str, Decimal]) -> None:
    for k, v in values.items():
        sums[k] = str(Decimal(sums.get(k, "0")) + v)


def _chunk(
    out: Path, jobs: list[tuple[int, Agency]], seed: int
) -> tuple[dict[str, str], dict[str, int]]:
    styles = sorted(_STAMPERS)
    sums: dict[str, str] = {}
    counts: dict[str, int] = {}
    for i, agency in jobs:
        style = styles[i % len(styles)]
        values, sign, when = _values(agency, seed)
        _target(out, i, agency).write_bytes(_STAMPERS[style].make(agency, values, sign, when))
        _add(sums, values)
        counts[style] = counts.get(style, 0) + 1
    return sums, counts


def _lo_sample(out: Path, jobs: Sequence[tuple[int, Agency]], seed: int, result: Generated) -> None:
    """Returns built by the writer, each re-saved by real LibreOffice (batches of ≤ 200)."""
    layout = resolve_layout(LAYOUT_ID)
    with tempfile.TemporaryDirectory() as tmp:
        src_dir = Path(tmp) / "src"
        src_dir.mkdir()
        sources, targets = [], []
        for i, agency in jobs:
            values, sign, _when = _values(agency, seed)
            data = build_workbook(layout, identity(layout, YEAR, agency), password=PASSWORD,
                                  values=dict(values), signoff=sign)  # fmt: skip
            src = src_dir / f"{agency.code}.xlsx"
            src.write_bytes(data)
            sources.append(src)
            targets.append(_target(out, i, agency))
            for k, v in values.items():
                result.sums[k] = result.sums.get(k, Decimal(0)) + v
        converted = libreoffice_convert(sources, Path(tmp) / "lo", Path(tmp) / "profile")
        for done, target in zip(converted, targets, strict=True):
            shutil.move(done, target)
    result.styles["libreoffice (each re-saved)"] = len(jobs)


def make_returns(
    n: int, out: Path, *, lo_sample: int = 20, workers: int = 2, seed: int = 1
) -> Generated:
    start = time.perf_counter()
    layout = resolve_layout(LAYOUT_ID)
    result = Generated(out)
    real_lo = libreoffice_available()
    result.lo_base = "real LibreOffice" if real_lo else "LibreOffice XML mimicked (no soffice)"
    parts = {"excel": style_parts(layout, "excel"),
             "libreoffice": style_parts(layout, "libreoffice" if real_lo else "lo-like")}  # fmt: skip
    all_jobs = list(enumerate(agencies(n)))
    lo_jobs = all_jobs[:: max(1, n // lo_sample)][:lo_sample] if real_lo and lo_sample else []
    lo_codes = {a.code for _i, a in lo_jobs}
    jobs = [(i, a) for i, a in all_jobs if a.code not in lo_codes]
    size = max(1, len(jobs) // (workers * 8))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(workers, initializer=_init, initargs=(parts,)) as pool:
        futures = [pool.submit(_chunk, out, c, seed) for c in chunks]
        if lo_jobs:
            _lo_sample(out, lo_jobs, seed, result)
        for f in futures:
            sums, counts = f.result()
            for k, v in sums.items():
                result.sums[k] = result.sums.get(k, Decimal(0)) + Decimal(v)
            for k, c in counts.items():
                result.styles[k] = result.styles.get(k, 0) + c
    result.count = n
    result.seconds = time.perf_counter() - start
    (out / "expected.json").write_text(
        json.dumps({"count": n, "sums": {k: str(v) for k, v in sorted(result.sums.items())}},
                   ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--lo-sample", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    g = make_returns(args.n, args.out, lo_sample=args.lo_sample, workers=args.workers,
                     seed=args.seed)  # fmt: skip
    print(
        f"{g.count} returns in {g.seconds:.1f} s ({g.count / g.seconds:.0f}/s) under {g.out / 'returns'}"
    )
    print(f"styles: {g.styles}; LibreOffice base: {g.lo_base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
