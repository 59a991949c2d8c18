"""Print docs/findings.md, or xlreport/codes.py, generated from the catalogue of codes::

python -m xlreport.checks.findings_doc > docs/findings.md
python -m xlreport.checks.findings_doc --codes > xlreport/codes.py
"""

from __future__ import annotations

import sys

from xlreport.checks.catalogue import CATALOGUE, render_markdown


def render_codes_module() -> str:
    """xlreport/codes.py: the codes of the catalogue as a ``Literal`` type, in its order."""
    lines = [
        '"""Every finding code, as a type: a code not in the catalogue fails mypy.',
        "",
        "Generated from xlreport/checks/catalogue.py, do not edit::",
        "",
        "    python -m xlreport.checks.findings_doc --codes > xlreport/codes.py",
        '"""',
        "",
        "from typing import Literal",
        "",
        "FindingCode = Literal[",
        *(f'    "{k.code}",' for k in CATALOGUE.values()),
        "]",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    text = render_codes_module() if sys.argv[1:] == ["--codes"] else render_markdown()
    sys.stdout.buffer.write(text.encode("utf-8"))


if __name__ == "__main__":
    main()
