"""An imported report as a return workbook of its layout (our own template, filled), and
last year's published report as a ``--prior`` workbook for ``check``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from xlreport.errors import UsageError
from xlreport.fsutil import atomic_write_bytes, safe_filename
from xlreport.identity import Identity, template_id_of
from xlreport.importer.document import ImportOutcome, import_path
from xlreport.importer.sniff import sniff
from xlreport.reader.sniff import SPREADSHEET_SUFFIXES
from xlreport.spec import builtin_layouts
from xlreport.writer import build_workbook

#: The protection password of imported workbooks (they are audit copies, not sent out).
IMPORT_PASSWORD = "xlreport-import"


def identity_of(out: ImportOutcome) -> Identity:
    layout = out.layout
    assert layout is not None and out.year is not None
    return Identity(
        layout_id=layout.id,
        layout_version=layout.version,
        layout_fingerprint=layout.fingerprint,
        year=out.year,
        agency_code=out.agency_code,
        agency_name=out.agency,
        template_id=template_id_of(layout.fingerprint, out.year, "", out.agency_code),
    )


def workbook_bytes(out: ImportOutcome, password: str = IMPORT_PASSWORD) -> bytes:
    """The return workbook of an imported report: its values, blank cells left blank."""
    if out.layout is None or out.refused is not None:
        raise ValueError("未导入的文档没有工作簿")
    return build_workbook(out.layout, identity_of(out), password=password, values=dict(out.values))


def workbook_name(out: ImportOutcome) -> str:
    return safe_filename(f"{out.agency}{out.year}年度年报（导入）") + ".xlsx"


def is_document(path: Path) -> bool:
    """A published report rather than a workbook (sniffed from its first bytes; a file
    named as a spreadsheet is a workbook, for the reader to read or refuse)."""
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return False
    try:
        with path.open("rb") as f:
            head = f.read(65536)
    except OSError:
        return False
    if head.startswith(b"PK\x03\x04") and b"xl/" in head:
        return False
    try:
        sniff(head)
    except Exception:
        return False
    return not head.startswith(b"PK\x03\x04") or b"word/" in head


@contextmanager
def prior_workbooks(paths: Sequence[str | Path]) -> Iterator[list[str | Path]]:
    """``check --prior`` paths with every published report (HTML, Word, PDF, text)
    replaced by its imported workbook, in a temporary folder removed afterwards;
    workbooks and folders pass unchanged. A report that cannot be imported is a usage
    error naming it and the reason."""
    documents = [p for p in paths if Path(p).is_file() and is_document(Path(p))]
    if not documents:
        yield list(paths)
        return
    layouts = list(builtin_layouts().values())
    with tempfile.TemporaryDirectory(prefix="xlreport-prior-") as tmp:
        out: list[str | Path] = []
        for i, p in enumerate(paths):
            if p not in documents:
                out.append(p)
                continue
            got = import_path(Path(p), layouts)
            if got.refused is not None:
                raise UsageError(
                    f"--prior 给出的 {p} 无法作为上年的年报导入：{got.refused.message}",
                    "请给出上年报告的网页、Word、PDF 或上年的报表",
                )
            target = Path(tmp) / f"{i:03d}-{workbook_name(got)}"
            atomic_write_bytes(target, workbook_bytes(got))
            out.append(target)
        yield out
