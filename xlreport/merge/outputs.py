"""The outputs of ``merge`` (summary, long-form export) checked before any input is read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from xlreport.batch.discover import FoundFile
from xlreport.checks.identity_check import read_meta
from xlreport.errors import UnreadableFileError
from xlreport.identity import META_FORMAT, META_SHEET, WORKBOOK_KIND_SUMMARY
from xlreport.merge.export import EXPORT_FIELDS, EXPORT_HEADER
from xlreport.outputs import check_output, same_file_key
from xlreport.reader import read_xlsx


def guard_outputs(
    paths: Sequence[str | Path],
    found: Sequence[FoundFile],
    out: Path,
    export: Path | None,
    *,
    roster_file: str | Path | None = None,
    force: bool = False,
) -> None:
    """Refuse (UsageError) an output that would overwrite an input, the roster or a file
    that is not an earlier output of ours (unless ``force``). An earlier summary found in
    an input folder is ours to replace (merge leaves it out); one named on the command line
    is an input."""
    named = [Path(p) for p in paths if not Path(p).is_dir()]
    outputs: list[tuple[Path, str, Callable[[Path], bool], str]] = [
        (out, "汇总表（--out）", is_summary_workbook, "汇总表")
    ]
    if export is not None:
        outputs.append((export, "长表数据（--export）", is_export_file, "长表数据"))
    for target, what, ours, kind in outputs:
        key = same_file_key(target)
        inputs: list[Path] = list(named)
        in_folder = key is not None and any(same_file_key(f.path) == key for f in found)
        if in_folder and not (any(same_file_key(p) == key for p in named) or ours(target)):
            inputs.append(target)  # a return (or anything not ours) in an input folder
        check_output(
            target, what, inputs=inputs, roster=roster_file, is_ours=ours, kind=kind, force=force
        )


def is_summary_workbook(path: Path) -> bool:
    """Whether ``path`` is a summary workbook written by ``xlreport merge``."""
    try:
        meta = read_meta(read_xlsx(path, sheets=lambda name: name == META_SHEET))
    except (UnreadableFileError, OSError):
        return False
    return (
        meta is not None
        and meta.get("format") == META_FORMAT
        and meta.get("kind") == WORKBOOK_KIND_SUMMARY
    )


def is_export_file(path: Path) -> bool:
    """Whether ``path`` is long-form data written by ``merge --export`` (.csv or .json)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    if path.suffix.lower() == ".json":
        text = head.decode("utf-8", errors="replace")
        return text.startswith(f'[\n {{\n  "{EXPORT_FIELDS[0]}": ') or text.strip() == "[]"
    return head.startswith(("\ufeff" + ",".join(EXPORT_HEADER) + "\r\n").encode("utf-8"))
