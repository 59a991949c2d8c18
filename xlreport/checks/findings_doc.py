"""Print docs/findings.md, or xlreport/codes.py, generated from the catalogue of codes::

python -m xlreport.checks.findings_doc > docs/findings.md
python -m xlreport.checks.findings_doc --codes > xlreport/codes.py
"""

from __future__ import annotations

import sys

from xlreport.checks.catalogue import render_codes_module, render_markdown


def main() -> None:
    text = render_codes_module() if sys.argv[1:] == ["--codes"] else render_markdown()
    sys.stdout.buffer.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
