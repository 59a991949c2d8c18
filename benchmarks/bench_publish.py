"""Benchmark: `xlreport publish` of one return, Word and HTML, tables only and --full.

    python benchmarks/bench_publish.py [--n 20]

Writes the demo's 清河县人民政府办公室 return (samples/, layout gov-2021) and publishes it
N times per target; prints the median and p95 seconds per publish (read + check + render +
atomic write), and the render alone (the document from an already checked file).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from publish_helpers import trusted, write_demo_return  # noqa: E402

from xlreport.api.publish import PublishRequest, publish_file  # noqa: E402
from xlreport.publish.content import content_of  # noqa: E402
from xlreport.publish.docx_writer import render_docx  # noqa: E402
from xlreport.publish.html_writer import render_html  # noqa: E402


def _stats(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"median {statistics.median(times) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = write_demo_return(Path(tmp) / "in")
        content = content_of(trusted(src), errors=0, stamped=False)
        for to in ("html", "docx"):
            for full in (False, True):
                runs = []
                for i in range(args.n):
                    t = time.perf_counter()
                    publish_file(PublishRequest(src, to, out=Path(tmp) / f"o{i}.{to}", full=full))
                    runs.append(time.perf_counter() - t)
                render = render_docx if to == "docx" else render_html
                only = []
                for _ in range(args.n):
                    t = time.perf_counter()
                    render(content, full=full)
                    only.append(time.perf_counter() - t)
                name = f"{to:4} {'--full' if full else 'tables'}"
                print(f"{name}  publish_file {_stats(runs)}   render only {_stats(only)}")


if __name__ == "__main__":
    main()
