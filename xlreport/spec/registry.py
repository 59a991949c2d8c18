"""The layouts shipped in ``templates/`` and the choice between --format and --spec."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from xlreport.spec.context import LayoutError
from xlreport.spec.loader import load_layout
from xlreport.spec.model import Layout

DEFAULT_FORMAT = "gov-2021"


def templates_dir() -> Path:
    """``xlreport/templates`` in an installed wheel, ``templates/`` beside the package in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise LayoutError("找不到内置布局目录 templates/，安装可能不完整，请重新安装 xlreport")


@cache
def builtin_layouts() -> dict[str, Layout]:
    """Every shipped layout by id, each loaded and validated once."""
    out: dict[str, Layout] = {}
    for path in sorted(templates_dir().glob("*.toml")):
        layout = load_layout(path)
        out[layout.id] = layout
    return out


@cache
def _load_spec(path: str) -> Layout:
    return load_layout(path)


def resolve_layout(format_id: str | None = None, spec: str | Path | None = None) -> Layout:
    """The layout named by --format, or loaded from --spec; the default format when neither."""
    if format_id and spec:
        raise LayoutError("--format 与 --spec 只能二选一")
    if spec:
        return _load_spec(str(Path(spec).resolve()))
    layouts = builtin_layouts()
    fid = format_id or DEFAULT_FORMAT
    if fid not in layouts:
        raise LayoutError(
            f"没有名为“{fid}”的布局；可用：{'、'.join(layouts)}（用 xlreport formats 查看）"
        )
    return layouts[fid]
