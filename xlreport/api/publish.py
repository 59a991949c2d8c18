"""``xlreport publish``: a return or summary as a Word document or a web page.

The file is read and checked as ``xlreport check`` does (the trusted reader): a file with
blocking errors is refused (finding ``publish-refused``, nothing written) unless ``force``,
which publishes it stamped 未通过校验 on every page. The output never replaces an input nor
a file that is not an earlier output of this command, and is written atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from xlreport.batch import check_file
from xlreport.checks.catalogue import finding
from xlreport.checks.model import CheckOptions
from xlreport.errors import UsageError
from xlreport.findings import Finding
from xlreport.fsutil import atomic_write_bytes
from xlreport.outputs import check_output
from xlreport.publish.content import content_of
from xlreport.publish.docx_writer import is_published_docx, render_docx
from xlreport.publish.html_writer import is_published_html, render_html
from xlreport.safetext import printable

Target = Literal["docx", "html"]
TARGETS: tuple[Target, ...] = ("docx", "html")


@dataclass(frozen=True)
class PublishRequest:
    path: str | Path
    to: str  # "docx" or "html"
    out: str | Path | None = None  # default: beside the input, same name, the new suffix
    full: bool = False  # the whole report skeleton, not only the tables
    force: bool = False  # publish a file with blocking errors, stamped 未通过校验


@dataclass
class PublishResult:
    path: str
    to: str
    out: str  # the file written ("" when refused)
    written: bool
    refused: bool
    stamped: bool
    full: bool
    layout: str = ""
    kind: str = ""  # return | summary
    agency: str = ""
    year: int = 0
    errors: int = 0  # blocking check errors of the file
    warnings: int = 0
    blank_cells: int = 0  # input cells left blank, printed as 0
    size: int = 0  # bytes written
    findings: list[Finding] = field(default_factory=list)  # the refusal, then the errors

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0

    def to_json(self) -> str:
        doc: dict[str, Any] = {
            "path": self.path,
            "to": self.to,
            "out": self.out,
            "written": self.written,
            "refused": self.refused,
            "stamped": self.stamped,
            "full": self.full,
            "layout": self.layout,
            "kind": self.kind,
            "agency": self.agency,
            "year": self.year,
            "errors": self.errors,
            "warnings": self.warnings,
            "blank_cells": self.blank_cells,
            "size": self.size,
            "exit_code": self.exit_code,
            "findings": [f.to_dict() for f in self.findings],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)


def _is_ours(to: Target) -> Any:
    if to == "docx":
        return is_published_docx

    def html(path: Path) -> bool:
        try:
            with open(path, "rb") as f:
                return is_published_html(f.read(1024))
        except OSError:
            return False

    return html


def default_out(path: Path, to: Target) -> Path:
    return path.with_name(f"{path.stem}.{to}")


def publish_file(req: PublishRequest) -> PublishResult:
    """Publish one file (see the module docstring); UsageError for a wrong argument or a
    file that cannot be read as a return or summary."""
    to = req.to.strip().lower()
    if to not in TARGETS:
        raise UsageError(f"--to {printable(req.to)} 不是可用的发布格式", "可用：docx、html")
    target: Target = "docx" if to == "docx" else "html"
    path = Path(req.path)
    if path.is_dir():
        raise UsageError(
            f"{printable(str(path))} 是文件夹；一次发布一份报表或汇总表",
            "请给出文件，例如 xlreport publish 报表.xlsx --to docx",
        )
    if not path.is_file():
        raise UsageError(
            f"找不到要发布的文件 {printable(str(path))}", "请给出一份报表或汇总表（.xlsx）"
        )
    out = Path(req.out) if req.out is not None else default_out(path, target)
    if out.suffix.lower() != f".{target}":
        raise UsageError(
            f"输出文件 {printable(str(out))} 的扩展名应为 .{target}", f"例如 --out 报告.{target}"
        )
    check_output(
        out,
        "发布的文件（--out）",
        inputs=[path],
        is_ours=_is_ours(target),
        kind="发布文件",
    )
    checked = check_file(path, CheckOptions())
    if checked.data is None or checked.report.unreadable:
        why = next((f.message for f in checked.report.findings), "")
        raise UsageError(
            f"{printable(str(path))} 无法作为报表读取：{why}",
            "请给出 xlreport 模板填写的报表或 xlreport merge 生成的汇总表",
        )
    data = checked.data
    errors = [f for f in checked.report.findings if f.severity == "error"]
    warnings = sum(1 for f in checked.report.findings if f.severity == "warning")
    result = PublishResult(
        path=str(path),
        to=target,
        out="",
        written=False,
        refused=False,
        stamped=bool(errors),
        full=req.full,
        layout=data.layout.id,
        kind=data.identity.kind,
        year=data.identity.year,
        errors=len(errors),
        warnings=warnings,
        blank_cells=data.blank_cells,
    )
    content = content_of(data, errors=len(errors), stamped=bool(errors))
    result.agency = content.agency
    if errors and not req.force:
        result.refused = True
        result.stamped = False
        result.findings = [
            finding(
                "publish-refused",
                f"{path.name} 有 {len(errors)} 处必须改正的错误，未发布（未写入任何文件）。",
                file=str(path),
                found=str(len(errors)),
                expected="0",
            ),
            *errors,
        ]
        return result
    render = render_docx if target == "docx" else render_html
    data_out = render(content, full=req.full)
    atomic_write_bytes(out, data_out)
    result.out = str(out)
    result.written = True
    result.size = len(data_out)
    result.findings = errors
    return result


__all__ = ["TARGETS", "PublishRequest", "PublishResult", "default_out", "publish_file"]
