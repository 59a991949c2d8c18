"""The error type of layout files and the context that words their messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from xlreport.errors import XlreportError

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class LayoutError(XlreportError):
    """A layout file that cannot be used; the message is Chinese and names file and key
    (like every :class:`XlreportError`, the CLI shows it as one line and exits with 2)."""


@dataclass
class FileContext:
    file: str

    def fail(self, where: str, msg: str) -> LayoutError:
        return LayoutError(f"布局文件 {self.file} 有误：{where}：{msg}")

    def table(
        self, raw: Any, where: str, required: dict[str, type], optional: dict[str, type]
    ) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(where, "应为表（键值对）")
        for k in raw:
            if k not in required and k not in optional:
                known = "、".join(sorted([*required, *optional]))
                raise self.fail(where, f"未知的键“{k}”（可用的键：{known}）")
        for k in required:
            if k not in raw:
                raise self.fail(where, f"缺少必填的键“{k}”")
        for k, v in raw.items():
            t = required.get(k) or optional[k]
            if (t is int and isinstance(v, bool)) or not isinstance(v, t):
                raise self.fail(f"{where}.{k}", f"类型应为 {t.__name__}")
        return cast(dict[str, Any], raw)

    def key(self, value: str, where: str) -> str:
        if not _KEY.match(value):
            raise self.fail(where, f"键名“{value}”只能由字母、数字和下划线组成且不以数字开头")
        return value
