"""``annotate_returns``: for each checked return with findings, a copy to send back to the
agency (``xlreport check --annotate``), written into one folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlreport.annotate import annotate_files
from xlreport.checks.model import CheckedFile
from xlreport.errors import UsageError
from xlreport.outputs import check_folder_writable


@dataclass(frozen=True)
class AnnotateRequest:
    files: Sequence[CheckedFile]  # checked returns (``check_files(...).checked``)
    out_dir: str | Path  # the folder the copies go to (made when missing)
    password: str | None = None  # protection of the copies (default: derived from each return)
    round_no: int = 1  # the how-manieth time the returns are sent back (in the file names)


@dataclass(frozen=True)
class AnnotateResult:
    out_dir: Path
    written: tuple[Path, ...]  # the copies, in input order (returns without findings: none)

    def to_json(self) -> str:
        doc: dict[str, Any] = {
            "folder": str(self.out_dir),
            "annotated": [str(p) for p in self.written],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)


def annotate_folder(out_dir: Path) -> None:
    """Refuse (:class:`UsageError`) a folder the copies cannot be written to."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--annotate 应为文件夹，但 {out_dir} 是文件", "请指定一个文件夹")
    check_folder_writable(out_dir, "退回修改稿（--annotate）")


def annotate_returns(req: AnnotateRequest) -> AnnotateResult:
    """Write a copy for every return in ``req.files`` with warnings or errors; inputs are
    never touched, an earlier copy is replaced, anything else is never written over."""
    if not 1 <= req.round_no <= 99:
        raise UsageError(f"--round {req.round_no} 不是有效的轮次", "应为 1–99，如 --round 2")
    out = Path(req.out_dir)
    annotate_folder(out)
    written = annotate_files(req.files, out, password=req.password, round_no=req.round_no)
    return AnnotateResult(out, tuple(written))
