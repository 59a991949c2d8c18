"""Usage errors and help in Chinese: the argument parser's English never reaches the clerk.

typer (0.2x) parses arguments with its own copy of click, which has no message catalogue
(no gettext domain), so its exceptions are recognised by class and attributes and worded
here; the help screen's fixed strings are set on typer's ``rich_utils`` and on the help
option of every command (:func:`chinese_help`).
"""

from __future__ import annotations

import functools
import re
from typing import Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup

_TYPE_WORDS = (
    ("valid integer", "应为整数"),
    ("valid number", "应为数字"),
    ("valid boolean", "应为 是/否"),
    ("valid path", "应为文件或文件夹路径"),
    ("does not exist", "文件不存在"),
    ("is not readable", "文件无法读取（没有读取权限）"),
    ("is not writable", "无法写入（没有写入权限）"),
    ("is a directory", "这是一个文件夹，应为文件"),
    ("is a file", "这是一个文件，应为文件夹"),
)


def _classes(e: BaseException) -> set[str]:
    return {c.__name__ for c in type(e).__mro__}


def is_usage_error(e: BaseException) -> bool:
    """An argument parser's usage error (click's UsageError or a subclass)."""
    return "UsageError" in _classes(e) and hasattr(e, "format_message")


def is_help_instead(e: BaseException) -> bool:
    """The command run with nothing at all: the help screen is the answer."""
    return "NoArgsIsHelpError" in _classes(e)


def _param_name(e: Any) -> str:
    hint = getattr(e, "param_hint", None)
    if hint is not None:
        return " / ".join(hint) if not isinstance(hint, str) else hint.strip("'")
    param = getattr(e, "param", None)
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    if opts:
        return " / ".join(opts)
    return str(getattr(param, "name", "") or "")


def _what(e: Any) -> str:
    param = getattr(e, "param", None)
    kind = getattr(param, "param_type_name", "") if param is not None else ""
    name = _param_name(e)
    if kind == "argument" or (name and not name.startswith("-")):
        return f"参数 {name}（文件或文件夹）" if name == "paths" else f"参数 {name}"
    return f"选项 {name}"


def chinese_usage(e: BaseException) -> str:
    """One Chinese line for a usage error of the argument parser."""
    names = _classes(e)
    msg = str(getattr(e, "message", "") or "")
    if "MissingParameter" in names:
        return f"缺少{_what(e)}"
    if "NoSuchOption" in names:
        opt = str(getattr(e, "option_name", "") or "")
        possible = sorted(getattr(e, "possibilities", None) or [])
        more = f"（是否想用：{'、'.join(possible)}）" if possible else ""
        return f"没有选项 {opt}{more}"
    if "BadOptionUsage" in names:
        opt = str(getattr(e, "option_name", "") or "")
        if "does not take a value" in msg:
            return f"选项 {opt} 不接受取值"
        return f"选项 {opt} 后面缺少取值"
    if "BadParameter" in names:
        for english, chinese in _TYPE_WORDS:
            if english in msg:
                return f"{_what(e)} 的取值无效：{chinese}"
        return f"{_what(e)} 的取值无效"
    if m := re.match(r"No such command '(.*)'\.", msg):
        return f"没有命令 {m.group(1)}（可用的命令：template、check、merge、formats、demo）"
    if msg.startswith("Missing command"):
        return "请指定要运行的命令：template、check、merge、formats 或 demo"
    if m := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", msg):
        return f"多余的参数：{m.group(1)}"
    if "takes" in msg and "values" in msg:
        return "参数个数不对"
    return "命令行参数有误"


_RICH_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已取消。",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "DEPRECATED_STRING": "（已停用）",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看用法。",
}
HELP_TEXT = "显示此帮助并退出。"
#: click's words in the usage line ("Usage: xlreport [OPTIONS] COMMAND [ARGS]...").
_USAGE_WORDS = (
    ("Usage: ", "用法："),
    ("[OPTIONS]", "[选项]"),
    ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("{paths}...", "文件或文件夹..."),
)
#: The value an option takes, by its annotation's type, as the help screen shows it
#: (typer shows ``<str>``, ``<path>``, ``<list[Path]>``, ``<bool>``).
_TYPE_LABELS = {
    "str": "<文字>",
    "int": "<整数>",
    "float": "<数字>",
    "Path": "<路径>",
}


def chinese_help() -> None:
    """The help screen's fixed strings in Chinese (typer reads them at print time)."""
    from typer import rich_utils

    for key, text in _RICH_TEXTS.items():
        if hasattr(rich_utils, key):
            setattr(rich_utils, key, text)


def value_label(param: Any, ctx: Any = None) -> str | None:
    """What ``param`` takes, in Chinese (``<路径>``, ``<整数>``; several: ``<路径>…``);
    None for a flag (it takes nothing)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    desc = getattr(param, "type_descriptor", None)
    annotation = getattr(desc, "annotation", None)
    several = get_origin(annotation) is list
    if several:
        annotation = get_args(annotation)[0]
    choices = getattr(desc, "choices", None) if getattr(desc, "is_choice", False) else None
    if choices:
        label = "<" + "|".join(str(getattr(c, "value", c)) for c in choices) + ">"
    else:
        name = getattr(annotation, "__name__", "")
        label = _TYPE_LABELS.get(name, "<取值>")
    return label + "…" if several else label


class _ChineseHelp:
    """The help screen says 用法 and the --help line is Chinese (mixed into click's classes)."""

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if hasattr(param, "display_type_rich"):
                param.display_type_rich = functools.partial(value_label, param)
        return params

    def get_usage(self, ctx: Any) -> str:
        usage = str(super().get_usage(ctx))  # type: ignore[misc]
        for english, chinese in _USAGE_WORDS:
            usage = usage.replace(english, chinese, 1)
        return usage


class ChineseCommand(_ChineseHelp, TyperCommand):
    """A command worded as :class:`_ChineseHelp`."""


class ChineseGroup(_ChineseHelp, TyperGroup):
    """The top-level group, worded as :class:`_ChineseHelp`."""
