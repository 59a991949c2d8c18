"""The statutory layouts as data: load, validate and look up."""

from xlreport.spec.context import LayoutError
from xlreport.spec.loader import load_layout
from xlreport.spec.model import Cell, Layout, RuleCheck, Sheet, Table, ValueType
from xlreport.spec.registry import builtin_layouts, resolve_layout, templates_dir

__all__ = [
    "Cell",
    "Layout",
    "LayoutError",
    "RuleCheck",
    "Sheet",
    "Table",
    "ValueType",
    "builtin_layouts",
    "load_layout",
    "resolve_layout",
    "templates_dir",
]
