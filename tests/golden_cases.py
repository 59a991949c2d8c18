"""The fixed inputs of the output goldens (tests/test_golden_outputs.py), and a runner.

A county of seven agencies (roster 名单.csv, county 测试县, year 2023) and a folder of
returns written by the project's writer with the real published tables of
tests/data/real_reports: two clean returns, one with a rule broken (an error), one with a
value that is a date's serial number (a warning), one with a blank input cell, two
different versions from one agency (a conflict), an unreadable file, and one agency that
never sent anything. Everything is deterministic: the same bytes on every run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cli_helpers import invoke
from golden_helpers import portable
from realdata import load_real_report, real_report_inputs

from xlreport.roster import Agency
from xlreport.spec import builtin_layouts
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

YEAR = 2023
COUNTY = "测试县"
PASSWORD = "golden"
INBOX = "收到的报表"
ROSTER = "名单.csv"
MTIME = 1_700_000_000.0  # 2023-11-14: every input gets this modification time

AGENCIES = (
    Agency("A01", "平潭局", "部门"),
    Agency("A02", "宿迁局", "部门"),
    Agency("A03", "有错局", "部门"),
    Agency("A04", "有警告局", "部门"),
    Agency("A05", "有空白局", "部门"),
    Agency("A06", "两版局", "部门"),
    Agency("A07", "未报局", "部门"),
)


def _inputs(report: str) -> dict[str, Decimal]:
    layout = builtin_layouts()["gov-2021"]
    values = real_report_inputs(load_real_report(report), layout)
    return {k: v for k, v in values.items() if v is not None}


def returns() -> dict[str, tuple[str, dict[str, Decimal]]]:
    """File name → (agency code, input values) of every return in the inbox."""
    pingtan, suqian = _inputs("pingtan_2022"), _inputs("suqian_city_2023")
    broken = dict(pingtan)
    broken["s3.new.natural"] += 1  # H2 no longer holds in two columns: rule-broken
    date_like = dict(suqian)
    date_like["a20_5.permit.decisions"] = Decimal(45078)  # 2023-06-01: value-date-like
    blank = dict(suqian)
    del blank["a20_8.fees.amount"]  # value-blank; merge leaves the return out
    return {
        "A01.xlsx": ("A01", pingtan),
        "A02.xlsx": ("A02", suqian),
        "A03.xlsx": ("A03", broken),
        "A04.xlsx": ("A04", date_like),
        "A05.xlsx": ("A05", blank),
        "A06-第一版.xlsx": ("A06", pingtan),  # two versions of one agency: a conflict
        "A06-第二版.xlsx": ("A06", suqian),
    }


def make_inputs(root: Path) -> None:
    """Write the roster and the inbox (returns and one unreadable file) under ``root``."""
    layout = builtin_layouts()["gov-2021"]
    by_code = {a.code: a for a in AGENCIES}
    rows = "".join(f"{a.code},{a.name},{a.type}\n" for a in AGENCIES)
    (root / ROSTER).write_text("单位编码,单位名称,单位类型\n" + rows, encoding="utf-8")
    inbox = root / INBOX
    inbox.mkdir()
    for name, (code, values) in returns().items():
        identity = agency_identity(layout, YEAR, by_code[code], county=COUNTY)
        data = build_workbook(layout, identity, password=PASSWORD, values=values)
        (inbox / name).write_bytes(data)
    (inbox / "坏文件.xlsx").write_bytes("单位编码,数值\nA08,1\n".encode())
    for path in inbox.iterdir():
        os.utime(path, (MTIME, MTIME))


@dataclass
class Outputs:
    """What the commands printed, by name, and the placeholders that make them portable."""

    root: Path
    printed: dict[str, str] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)

    def replacements(self) -> dict[str, str]:
        return portable(self.root, self.root / INBOX)

    def text(self, name: str) -> str:
        return _replace(self.printed[name], self.replacements())

    def file_text(self, relative: str) -> str:
        return _replace((self.root / relative).read_text(encoding="utf-8"), self.replacements())


def _replace(text: str, replacements: Mapping[str, str]) -> str:
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``xlreport ARGV`` in this process: (exit status, what it wrote on stdout)."""
    code, out, _err = invoke(argv)
    return code, out


def run_all(root: Path) -> Outputs:
    """Make the inputs, then run every command whose output has a golden."""
    make_inputs(root)
    result = Outputs(root)
    inbox, roster = str(root / INBOX), str(root / ROSTER)
    common = ["--county", COUNTY, "--roster", roster]
    commands: dict[str, list[str]] = {
        "template": ["template", "--year", str(YEAR), "--out", str(root / "模板"), "--password", PASSWORD, *common],
        "check": ["check", inbox, "--year", str(YEAR), "--json", *common],
        "annotate": ["check", inbox, "--year", str(YEAR), "--annotate", str(root / "退回")],
        "merge-conflict": [
            "merge", inbox, "--out", str(root / "汇总-冲突.xlsx"), "--name", COUNTY, "--json",
            "--export", str(root / "长表-冲突.json"), *common,
        ],
        "merge": [
            "merge", inbox, "--out", str(root / "汇总.xlsx"), "--name", COUNTY, "--json",
            "--prefer", str(root / INBOX / "A06-第二版.xlsx"), "--allow-missing",
            "--confirm", str(root / INBOX / "A04.xlsx"),
            "--export", str(root / "长表.csv"), *common,
        ],
    }  # fmt: skip
    for name, argv in commands.items():
        result.codes[name], result.printed[name] = run_cli(argv)
    return result
