"""Issue 10, "which return counts", built for real: the county's templates made by
``write_templates``, filled by LibreOffice typing where a clerk types (including the unlocked
name and code of the generic template, and another agency's name on 填报说明), a forged
identity where a file would be crafted; then ``xlreport check`` and ``xlreport merge`` as a
clerk runs them. Every case ends in the exact sum of what is listed as merged, or in a
refusal naming the file and its coded reason — never in wrong numbers with exit 0."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import invoke
from lo import Entry, Job, run_jobs
from merge_helpers import valid_values

from xlreport.batch import check_file
from xlreport.checks import CheckOptions
from xlreport.checks.values import fmt
from xlreport.identity import GUIDE_SHEET, SIGNOFF_ROW, SIGNOFF_VALUE_COL
from xlreport.reader import read_xlsx
from xlreport.roster import Agency
from xlreport.spec import resolve_layout
from xlreport.spec.model import a1
from xlreport.template import agency_identity, write_templates
from xlreport.writer import build_workbook

pytestmark = pytest.mark.libreoffice
L = resolve_layout("gov-2021")
YEAR = 2024
COUNTY = "清河县"
PW = "identity-test"
ROSTER = [Agency("A001", "清河县甲局"), Agency("A002", "清河县乙局"), Agency("A003", "清河县丙局")]


def guide(key: str) -> tuple[str, str]:
    return GUIDE_SHEET, a1(SIGNOFF_ROW[key], SIGNOFF_VALUE_COL)


def typed(values: dict[str, Decimal]) -> list[Entry]:
    return [(L.sheet(L.cells[c].sheet).name, L.cells[c].a1, fmt(v)) for c, v in values.items()]


def signed(values: dict[str, Decimal], **fields: str) -> tuple[Entry, ...]:
    entries = typed(values)
    for key, text in {"filler": "张三", "phone": "0310-1234567", **fields}.items():
        entries.append((*guide(key), text))
    return tuple(entries)


@dataclass
class Box:
    root: Path
    files: dict[str, Path]  # case → the file LibreOffice saved
    values: dict[str, dict[str, Decimal]]  # case → what was typed in its cells
    roster: Path


def total(*tables: dict[str, Decimal]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for c in L.inputs():
        out[c.id] = sum((t.get(c.id, Decimal(0)) for t in tables), Decimal(0))
    return out


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Box:
    root = tmp_path_factory.mktemp("identity")
    ours = write_templates(L, YEAR, root / "模板", roster=ROSTER, county=COUNTY, password=PW)
    theirs = write_templates(
        L, YEAR, root / "邻县模板", roster=ROSTER[:1], county="邻县", password=PW
    )
    generic = write_templates(L, YEAR, root / "通用模板", county=COUNTY, password=PW)
    tpl = dict(zip(("A001", "A002", "A003"), ours.paths, strict=True))
    rng = random.Random(10)
    v = {k: dict(valid_values(L, rng)) for k in ("A", "B", "N", "G1", "G2", "C")}
    a2 = dict(v["A"])
    a2["s3.carryover.natural"] += 1  # a corrected figure: carried over from last year and
    a2["s3.carried.natural"] += 1  # on to next year one more (二 and 四: the rules still hold)
    v["A2"] = a2
    cases: dict[str, tuple[Path, tuple[Entry, ...]]] = {
        "a": (tpl["A001"], signed(v["A"])),
        "a2": (tpl["A001"], signed(v["A2"])),
        "b": (tpl["A002"], signed(v["B"])),
        # 乙局's figures typed into 丙局's template, 乙局's name typed on 填报说明
        "c_as_b": (tpl["A003"], signed(v["B"], agency_name="清河县乙局")),
        "neighbour": (theirs.paths[0], signed(v["N"])),
        # the generic template: 丙局 typed 乙局's code by mistake
        "generic_code": (
            generic.paths[0],
            signed(v["C"], agency_name="清河县丙局", agency_code="A002"),
        ),
        "g1": (generic.paths[0], signed(v["G1"], agency_name="某某乡人民政府")),
        "g2": (generic.paths[0], signed(v["G2"], agency_name="某某乡 人民政府 ")),
        "g_typo": (generic.paths[0], signed(v["G2"], agency_name="某某乡人民政")),
        "g_other": (generic.paths[0], signed(v["C"], agency_name="某某镇人民政府")),
    }
    jobs = [
        Job(src, root / "lo" / f"{name}.xlsx", entries) for name, (src, entries) in cases.items()
    ]
    run_jobs(jobs)
    files = {name: root / "lo" / f"{name}.xlsx" for name in cases}
    # crafted: the neighbour's A001 identity with our county written in, its template id kept
    forged = replace(
        agency_identity(L, YEAR, ROSTER[0], county=COUNTY),
        template_id=agency_identity(L, YEAR, ROSTER[0], county="邻县").template_id,
    )
    files["forged"] = root / "forged.xlsx"
    files["forged"].write_bytes(build_workbook(L, forged, password=PW, values=dict(v["N"])))
    values = {
        "a": v["A"], "a2": v["A2"], "b": v["B"], "c_as_b": v["B"], "neighbour": v["N"],
        "generic_code": v["C"], "g1": v["G1"], "g2": v["G2"], "g_typo": v["G2"],
        "g_other": v["C"], "forged": v["N"],
    }  # fmt: skip
    roster = root / "名单.csv"
    roster.write_text(
        "单位编码,单位名称\n" + "".join(f"{a.code},{a.name}\n" for a in ROSTER), encoding="utf-8"
    )
    return Box(root, files, values, roster)


def folder(box: Box, name: str, *cases: str) -> Path:
    out = box.root / name
    out.mkdir()
    for c in cases:
        shutil.copy2(box.files[c], out / f"{c}.xlsx")
    return out


def merge(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code, out, err = invoke(["merge", *argv, "--json"])
    return code, json.loads(out) if out.strip() else {}, err


def merge_text(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, out, _err = invoke(["merge", *argv])
    return code, out


def statuses(doc: dict) -> dict[str, tuple[str, str]]:  # type: ignore[type-arg]
    return {Path(f["path"]).stem: (f["status"], f["reason_code"]) for f in doc["files"]}


def assert_sum_of_merged(box: Box, doc: dict) -> None:  # type: ignore[type-arg]
    """The summary holds exactly the sum of the files it lists as merged (what was typed)."""
    merged = [Path(f["path"]).stem for f in doc["files"] if f["status"] == "merged"]
    want = total(*(box.values[c] for c in merged))
    summary = read_xlsx(doc["summary"]["path"])
    for cell in L.inputs():
        sheet = summary.sheet(L.sheet(cell.sheet).name)
        assert sheet is not None
        raw = sheet.cells.get((cell.r, cell.c))
        assert (raw.number if raw is not None else None) == want[cell.id], cell.id
        assert Decimal(doc["summary"]["values"][cell.id]) == want[cell.id]


def check_codes(path: Path, **kw: object) -> list[str]:
    checked = check_file(path, CheckOptions(year=YEAR, **kw))  # type: ignore[arg-type]
    return sorted({f.code for f in checked.report.findings if f.severity == "error"})


def test_check_verifies_the_whole_identity(box: Box) -> None:
    roster = {a.code: a.name for a in ROSTER}
    kw = {"roster_codes": roster, "county": COUNTY}
    for case in ("a", "a2", "b"):
        assert check_codes(box.files[case], **kw) == [], case
    assert check_codes(box.files["g1"], county=COUNTY) == []
    assert check_codes(box.files["c_as_b"], **kw) == ["signoff-differs"]
    assert check_codes(box.files["neighbour"], **kw) == ["county-mismatch"]
    assert check_codes(box.files["neighbour"], roster_codes=roster) == []  # no --county
    assert check_codes(box.files["generic_code"], **kw) == ["agency-name-differs"]
    assert check_codes(box.files["forged"], **kw) == ["template-id-mismatch"]
    assert check_codes(box.files["forged"]) == ["template-id-mismatch"]
    checked = check_file(box.files["c_as_b"], CheckOptions(year=YEAR))
    bad = [f for f in checked.report.findings if f.code == "signoff-differs"]
    assert [(f.sheet, f.cell, f.expected, f.found) for f in bad] == [
        (*guide("agency_name"), "清河县丙局", "清河县乙局")
    ]


def test_merge_with_roster_and_county_refuses_every_identity_fault(
    box: Box, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = folder(box, "收到1", "a", "a2", "b", "c_as_b", "neighbour", "generic_code", "forged")
    out = box.root / "汇总1.xlsx"
    argv = [str(inbox), "--out", str(out), "--roster", str(box.roster), "--county", COUNTY]
    argv += ["--name", COUNTY]
    code, doc, _ = merge(argv, capsys)
    assert code == 1
    assert statuses(doc) == {
        "a": ("conflict", "version-conflict"),
        "a2": ("conflict", "version-conflict"),
        "b": ("merged", ""),
        "c_as_b": ("error", ""),
        "neighbour": ("error", ""),
        "generic_code": ("error", ""),
        "forged": ("error", ""),
    }
    a = next(f for f in doc["files"] if Path(f["path"]).stem == "a")
    assert "a2.xlsx" in a["reason"] and a["differences"]  # names both files and the cells
    assert_sum_of_merged(box, doc)
    # the clerk says which version of 甲局 counts: the other is superseded, not an error
    code, doc, _ = merge([*argv, "--prefer", str(inbox / "a2.xlsx")], capsys)
    st = statuses(doc)
    assert st["a2"] == ("merged", "") and st["a"] == ("superseded", "")
    assert code == 1  # the four faulty files are still left out
    assert_sum_of_merged(box, doc)
    assert {f["agency"]["code"] for f in doc["files"] if f["status"] == "merged"} == {
        "A001",
        "A002",
    }


def test_neighbouring_county_without_county_option(
    box: Box, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = folder(box, "收到2", "a", "b", "neighbour")
    code, doc, _ = merge([str(inbox), "--out", str(box.root / "汇总2.xlsx")], capsys)
    assert code == 1
    st = statuses(doc)
    assert st["neighbour"] == ("mismatch", "county-conflict")
    assert st["a"] == st["b"] == ("merged", "")
    assert_sum_of_merged(box, doc)


def test_generic_returns_without_roster(box: Box, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = folder(box, "收到3", "b", "generic_code", "g1", "g2", "g_other")
    code, doc, _ = merge([str(inbox), "--out", str(box.root / "汇总3.xlsx")], capsys)
    assert code == 1
    st = statuses(doc)
    # the code typed by mistake makes 丙局's return a version of 乙局's: never summed
    assert st["b"] == st["generic_code"] == ("conflict", "version-conflict")
    # a stray space is the same agency: a conflict, not a second agency summed
    assert st["g1"] == st["g2"] == ("conflict", "version-conflict")
    assert st["g_other"] == ("merged", "")
    assert_sum_of_merged(box, doc)
    inbox = folder(box, "收到4", "g1", "g_typo", "g_other")
    code, doc, _ = merge([str(inbox), "--out", str(box.root / "汇总4.xlsx")], capsys)
    st = statuses(doc)
    assert code == 1 and st["g1"] == st["g_typo"] == ("conflict", "name-near-duplicate")
    assert_sum_of_merged(box, doc)


def test_summaries_and_missing_agencies(box: Box, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = folder(box, "收到5", "a", "b")
    roster2 = box.root / "名单2.csv"
    roster2.write_text("单位编码,单位名称\nA001,清河县甲局\nA002,清河县乙局\n", encoding="utf-8")
    out = inbox / "清河县汇总.xlsx"
    argv = [str(inbox), "--out", str(out), "--roster", str(roster2), "--name", COUNTY]
    code, doc, _ = merge(argv, capsys)
    assert code == 0 and doc["counts"]["merged"] == 2
    assert_sum_of_merged(box, doc)
    # run again over the folder that now holds our summary: it is skipped, no advice about it
    code, text = merge_text(argv, capsys)
    assert code == 0, text
    assert "不在名单中" not in text and "加入名单" not in text
    # an old summary (another name) beside a corrected return: the mix is refused
    fixed = folder(box, "收到6", "a2", "b")
    shutil.copy2(out, fixed / "旧汇总.xlsx")
    code, doc, _ = merge([str(fixed), "--out", str(box.root / "汇总6.xlsx")], capsys)
    st = statuses(doc)
    assert st["旧汇总"] == st["a2"] == st["b"] == ("overlap", "summary-overlap")
    assert code == 2 and not doc["summary"]["written"]
    # our own summary named on the command line is never silently skipped
    named = box.root / "上次的汇总.xlsx"
    shutil.copy2(out, named)
    argv = [str(named), str(inbox / "a.xlsx"), "--out", str(box.root / "x.xlsx"), "--name", COUNTY]
    code, doc, _ = merge(argv, capsys)
    assert statuses(doc)["上次的汇总"] == ("overlap", "summary-overlap") and code != 0
    # … also when the folder that holds it is given too (the folder reaches it first)
    again = [str(inbox), str(out), "--out", str(box.root / "y.xlsx"), "--name", COUNTY]
    code, doc, _ = merge(again, capsys)
    assert statuses(doc)["清河县汇总"] == ("overlap", "summary-overlap") and code != 0
    # a roster agency missing: no complete merge unless the clerk allows a partial one
    out7 = box.root / "汇总7.xlsx"
    argv = [str(box.files["a"]), str(box.files["b"]), "--out", str(out7)]
    argv += ["--roster", str(box.roster)]
    code, doc, _ = merge(argv, capsys)
    assert code == 1 and doc["counts"]["missing"] == 1 and doc["summary"]["partial"]
    code, doc, _ = merge([*argv, "--allow-missing"], capsys)
    assert code == 0 and doc["summary"]["partial"]
    assert_sum_of_merged(box, doc)
    overview = read_xlsx(out7).sheet("概览")
    assert overview is not None
    assert any("部分汇总" in (c.text or "") for c in overview.cells.values())
