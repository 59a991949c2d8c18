"""Print docs/findings.md, generated from the catalogue of finding codes::

python -m xlreport.checks.findings_doc > docs/findings.md
"""

from __future__ import annotations

import sys

from xlreport.checks.catalogue import render_markdown


def main() -> None:
    sys.stdout.buffer.write(render_markdown().encode("utf-8"))


if __name__ == "__main__":
    main()
