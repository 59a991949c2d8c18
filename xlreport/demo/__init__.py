"""``xlreport demo``: the whole round trip on the bundled sample county (清河县).

1. templates for every agency of ``samples/roster.csv``;
2. the agencies "fill them in" with the figures of ``samples/sample_values_2024.csv`` — one
   sends a return with mistakes, one sends a draft and a final version (the merge is told
   which counts with ``--prefer``), one never reports, files are renamed;
3. every return is checked, the faulty one gets an annotated copy to send back;
4. the valid returns are merged into the county summary, with a long-form CSV export.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from xlreport.api.check import CheckRequest, CheckResult, check_files
from xlreport.api.merge import MergeRequest, MergeResult, merge_returns
from xlreport.api.template import TemplateRequest, make_templates
from xlreport.errors import UsageError
from xlreport.fsutil import atomic_write_bytes
from xlreport.roster import Agency, load_roster
from xlreport.spec import Layout, resolve_layout, templates_dir
from xlreport.template import agency_identity, password_file_for, write_password_file
from xlreport.writer import build_workbook

YEAR = 2024
COUNTY = "清河县"
PASSWORD = "qinghe-demo"


def samples_dir() -> Path:
    """``xlreport/samples`` in an installed wheel, ``samples/`` in a checkout."""
    return templates_dir().parent / "samples"


@dataclass
class DemoResult:
    out: Path
    templates: list[Path] = field(default_factory=list)
    returns: list[Path] = field(default_factory=list)
    check: CheckResult | None = None
    merge: MergeResult | None = None
    missing: list[Agency] = field(default_factory=list)
    password_file: Path | None = None  # beside the templates' folder, never inside it


def load_sample_values(path: Path) -> dict[str, dict[str, Decimal]]:
    """Agency code → cell id → value, from the bundled long-form CSV."""
    out: dict[str, dict[str, Decimal]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["单位编码"], {})[row["单元格"]] = Decimal(row["数值"])
    return out


def _signoff(agency: Agency, day: int) -> dict[str, str]:
    return {
        "filler": "张" + agency.name[-2:],
        "phone": f"0310-66{day:02d}123",
        "head": "李" + agency.name[-1],
        "date": f"{YEAR + 1}年1月{day}日",
        "seal": "已盖章",
    }


def _fill(
    layout: Layout,
    agency: Agency,
    values: dict[str, Decimal | str],
    target: Path,
    day: int,
) -> Path:
    """What an agency sends back: the template with its figures, saved on day ``day``."""
    ident = agency_identity(layout, YEAR, agency, county=COUNTY)
    data = build_workbook(
        layout, ident, password=PASSWORD, values=values, signoff=_signoff(agency, day)
    )
    atomic_write_bytes(target, data)
    stamp = 1736000000 + day * 86400  # January 2025: the order in which they arrived
    os.utime(target, (stamp, stamp))
    return target


DEMO_PARTS = ("1-下发模板", "2-收到的报表")


def _earlier_demo(out: Path) -> bool:
    """Whether ``out`` holds an earlier demo (replaced); any other non-empty folder is
    refused, so that the demo never writes over someone's files."""
    if not out.exists():
        return False
    if not out.is_dir():
        raise UsageError(f"演示输出位置 {out} 是一个文件", "请用 --out 指定一个文件夹")
    if not any(out.iterdir()):
        return False
    if all((out / part).is_dir() for part in DEMO_PARTS):
        return True
    raise UsageError(
        f"演示输出文件夹 {out} 已有其他文件；为免覆盖，未写入任何文件",
        "请用 --out 指定一个新的（或空的）文件夹",
    )


def run_demo(out: Path) -> DemoResult:
    layout = resolve_layout("gov-2021")
    roster_path = samples_dir() / "roster.csv"
    roster = load_roster(roster_path)
    figures = load_sample_values(samples_dir() / "sample_values_2024.csv")
    result = DemoResult(out=out)

    again = _earlier_demo(out)
    templates = out / "1-下发模板"
    made = make_templates(
        TemplateRequest(
            YEAR,
            templates,
            format_id=layout.id,
            roster=roster_path,
            county=COUNTY,
            password=PASSWORD,
            force=again,
        )
    )
    result.templates = list(made.paths)
    result.password_file = write_password_file(password_file_for(templates), layout, YEAR, PASSWORD)

    inbox = out / "2-收到的报表"
    reporting, result.missing = roster[:-1], roster[-1:]  # the last agency never reports
    final: list[Path] = []  # the version the clerk confirmed with the agency (--prefer)
    for day, agency in enumerate(reporting, start=2):
        values: dict[str, Decimal | str] = dict(figures[agency.code])
        name = f"{agency.name}{YEAR}年报数据（终稿）.xlsx" if day % 2 else f"{agency.code}.xlsx"
        if day == 3:  # typed units and left a cell blank: to be sent back
            values["s3.new.natural"] = "12件"
            del values["s4.cases.rev_uphold"]
            name = f"{agency.name}-报表.xlsx"
        if day == 4:  # first sent a draft, then the final version two days later
            draft = dict(values)
            draft["a20_6.penalty.decisions"] = figures[agency.code]["a20_6.penalty.decisions"] + 7
            _fill(layout, agency, draft, inbox / f"{agency.name}（初稿）.xlsx", day)
            day += 2
            final.append(inbox / name)
        result.returns.append(_fill(layout, agency, values, inbox / name, day))
    result.returns = sorted(inbox.iterdir())

    checks_dir = out / "3-校验结果"
    roster_csv = out / "花名册.csv"
    atomic_write_bytes(roster_csv, roster_path.read_bytes())
    result.check = check_files(
        CheckRequest(
            paths=[inbox],
            format_id=layout.id,
            year=YEAR,
            roster=roster_csv,
            annotate=checks_dir / "退回修改",
            password=PASSWORD,
        )
    )
    atomic_write_bytes(
        checks_dir / "校验结果.json", (result.check.to_json() + "\n").encode("utf-8")
    )
    summary_dir = out / "4-汇总"
    result.merge = merge_returns(
        MergeRequest(
            [inbox],
            summary_dir / f"{COUNTY}{YEAR}年度政府信息公开工作年度报告汇总表.xlsx",
            roster=roster_csv,
            name=COUNTY,
            format_id=layout.id,
            year=YEAR,
            county=COUNTY,
            export=summary_dir / f"{COUNTY}{YEAR}年度汇总数据（长表）.csv",
            prefer=final,
        )
    )
    return result
