"""How fast ``xlreport serve`` answers uploads: agencies uploading through their links at once.

    python benchmarks/bench_serve.py [AGENCIES [VERSIONS [CLIENTS]]]   (default: 20 10 20)

Makes a campaign of AGENCIES agencies and VERSIONS different returns each, starts a real
``xlreport serve`` on 127.0.0.1, and has CLIENTS HTTP clients upload them all (each agency's
versions in turn, as one client), every upload checked, ingested, recorded and answered with
its findings and receipt. Prints the response times (p50, p95, max) and the throughput.
Asserts nothing but that every upload was answered 200.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from serve_helpers import Served  # noqa: E402
from serve_load import make_load_campaign, percentile, run_load  # noqa: E402


def main(argv: list[str]) -> None:
    agencies = int(argv[0]) if argv else 20
    versions = int(argv[1]) if len(argv) > 1 else 10
    clients = int(argv[2]) if len(argv) > 2 else 20
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        camp, files = make_load_campaign(Path(tmp), agencies, versions)
        with Served(camp.folder) as served:
            started = time.perf_counter()
            uploads = run_load(served.url, camp.tokens, files, clients=clients)
            took = time.perf_counter() - started
    bad = [u for u in uploads if u.status != 200]
    assert not bad, bad[:3]
    times = [u.seconds * 1000 for u in uploads]
    print(
        f"xlreport serve: {len(uploads)} uploads ({agencies} agencies × {versions} versions), {clients} clients"
    )
    print(
        f"  response time  p50 {percentile(times, 0.5):.0f} ms  p95 {percentile(times, 0.95):.0f} ms"
        f"  max {max(times):.0f} ms"
    )
    print(f"  throughput     {len(uploads) / took:.1f} uploads/s ({took:.1f} s in all)")


if __name__ == "__main__":
    main(sys.argv[1:])
