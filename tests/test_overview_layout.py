"""概览 from the layout: the ``[overview]`` table names the cells the overview shows and
charts, so a local layout gets its charts whatever its row keys, or a load-time error."""

from __future__ import annotations

import io
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from cli_helpers import invoke
from merge_helpers import PASSWORD, ident, valid_values, xml_cells

from xlreport.checks.model import CheckOptions
from xlreport.merge import merge_paths
from xlreport.merge.sheets import OVERVIEW_SHEET
from xlreport.spec import LayoutError, load_layout, resolve_layout, templates_dir
from xlreport.spec.model import Layout
from xlreport.writer import build_workbook

SHIPPED = templates_dir() / "gov-2021.toml"
L = resolve_layout("gov-2021")
#: The local layout's own overview: no row keyed "new", other titles, other cells.
LOCAL_OVERVIEW = """
[overview]
figures = [
  { label = "本年收到的申请", cell = "s3.received.total" },
  { label = "复议总数", cell = "s4.cases.rev_total" },
]

[overview.breakdown]
title = "办理结果（本县口径）"
header = ["结果", "数量"]
slices = [
  { label = "公开（含部分公开）", sum = "s3.open..partial.total" },
  { label = "不公开或无法提供", sum = "s3.deny_secret..unable_unclear.total" },
  { label = "其他", sum = "s3.reject_petition..other_misc.total" },
]

[overview.ranking]
cell = "s3.received.natural"
title = "各单位自然人申请数"
header = ["单位", "编码", "自然人申请"]
chart_title = "自然人申请（全部单位）"
chart_title_top = "自然人申请最多的{n}个单位"
"""


def _without_overview(src: str) -> str:
    return src[: src.index("\n# 概览, the overview sheet")] + "\n"


def _local_source() -> str:
    """The shipped 2021 layout with its row "new" renamed "received", and its own overview."""
    src = _without_overview(SHIPPED.read_text(encoding="utf-8"))
    src = src.replace('{ key = "new",', '{ key = "received",').replace("s3.new.", "s3.received.")
    assert '"new"' not in src and "s3.new." not in src
    return src.replace('id = "gov-2021"', 'id = "local-2024"') + LOCAL_OVERVIEW


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, out, err = invoke(argv)
    return code, out + err


def _inbox(tmp_path: Path, layout: Layout, n: int) -> tuple[Path, dict[str, dict[str, Decimal]]]:
    """``n`` returns made by the writer for ``layout`` (figures valid under its rules), and
    the values of each (inputs and totals) by agency code."""
    rng = random.Random(5)
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    new = _new(layout)
    sent: dict[str, dict[str, Decimal]] = {}
    for i in range(n):
        values = {k.replace("s3.new.", f"s3.{new}."): v for k, v in valid_values(L, rng).items()}
        who = ident(layout, f"A{i}", f"单位{i}")
        data = build_workbook(layout, who, password=PASSWORD, values=dict(values))
        (folder / f"单位{i}.xlsx").write_bytes(data)
        sent[who.agency_code] = layout.compute_totals(values)
    return folder, sent


def _new(layout: Layout) -> str:
    """The key of the first row of section 三 (本年新收), whatever the layout calls it."""
    return layout.sheet("s3").tables[0].rows[0].key


def _charts(data: bytes) -> dict[str, bytes]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/charts/chart")}


def test_local_layout_without_the_new_row_gets_its_own_overview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "本县格式.toml"
    spec.write_text(_local_source(), encoding="utf-8")
    layout = load_layout(spec)
    assert _new(layout) == "received"
    inbox, sent = _inbox(tmp_path, layout, 3)
    out = tmp_path / "汇总.xlsx"
    code, text = _run(
        ["merge", str(inbox), "--spec", str(spec), "--out", str(out), "--name", "某县"], capsys
    )
    assert code == 0, text
    data = out.read_bytes()
    charts = _charts(data)
    assert len(charts) == 2
    pie = next(c for c in charts.values() if b"<c:pieChart" in c)
    bar = next(c for c in charts.values() if b"<c:barChart" in c)
    assert "办理结果（本县口径）".encode() in pie and pie.count(b"<c:pt ") == 2 * 3
    assert "自然人申请（全部单位）".encode() in bar and "自然人申请".encode() in bar
    cells = xml_cells(data, OVERVIEW_SHEET)
    texts = {v: ref for ref, (_t, _f, v) in cells.items()}
    for title in (
        "各单位自然人申请数",
        "办理结果（本县口径）",
        "本年收到的申请",
        "复议总数",
        "自然人申请",
    ):
        assert title in texts, title
    # the figures hold the sums, the ranking each agency's own value, most first
    row = int(texts["本年收到的申请"][1:])
    total = sum((v["s3.received.total"] for v in sent.values()), Decimal(0))
    assert Decimal(str(cells[f"B{row}"][2])) == total > 0
    row = int(texts["公开（含部分公开）"][1:])
    opened = sum((v["s3.open.total"] + v["s3.partial.total"] for v in sent.values()), Decimal(0))
    assert Decimal(str(cells[f"B{row}"][2])) == opened > 0
    head = int(texts["自然人申请"][1:])
    listed = [
        (cells[f"B{r}"][2], Decimal(str(cells[f"C{r}"][2]))) for r in range(head + 1, head + 4)
    ]
    assert dict(listed) == {
        code: v.get("s3.received.natural", Decimal(0)) for code, v in sent.items()
    }
    assert [v for _c, v in listed] == sorted((v for _c, v in listed), reverse=True)


def test_layout_without_overview_lists_every_total_and_draws_no_chart(tmp_path: Path) -> None:
    spec = tmp_path / "无概览.toml"
    spec.write_text(_without_overview(SHIPPED.read_text(encoding="utf-8")), encoding="utf-8")
    layout = load_layout(spec)
    assert layout.overview.breakdown is None and layout.overview.ranking is None
    assert [f.cell for f in layout.overview.figures] == [c.id for c in layout.total_cells()]
    inbox, _sent = _inbox(tmp_path, layout, 2)
    out = tmp_path / "汇总.xlsx"
    result = merge_paths([inbox], out, CheckOptions(layout=layout), name="某县")
    assert result.summary_written
    assert _charts(out.read_bytes()) == {}


BAD_OVERVIEW = [
    (
        'cell = "s3.received.total"',
        'cell = "s3.new.total"',
        "overview.figures[0].cell",
        "没有这样的行“new”",
    ),
    (
        '"复议总数", cell = "s4.cases.rev_total"',
        '"复议总数", cell = "s5.cases.rev_total"',
        "overview.figures[1].cell",
        "没有这样的表格“s5”",
    ),
    (
        'cell = "s3.received.natural"',
        'cell = "s3.received.nature"',
        "overview.ranking.cell",
        "没有这样的列“nature”",
    ),
    (
        'cell = "s3.received.natural"',
        'cell = "s3.received.natural..other"',
        "overview.ranking.cell",
        "应为单个单元格",
    ),
    (
        'sum = "s3.open..partial.total"',
        'sum = "s3.open..unable_none.total"',
        "overview.breakdown.slices[1].sum",
        "已计入“公开（含部分公开）”",
    ),
    (
        'sum = "s3.open..partial.total"',
        'sum = "prior:s3.open..partial.total"',
        "overview.breakdown.slices[0].sum",
        "不能引用上年数据",
    ),
    (
        '"自然人申请最多的{n}个单位"',
        '"自然人申请最多的单位"',
        "overview.ranking.chart_title_top",
        "{n}",
    ),
    ('header = ["结果", "数量"]', 'header = ["结果"]', "overview.breakdown.header", "应为 2 个"),
    (
        'title = "各单位自然人申请数"',
        'titel = "各单位自然人申请数"',
        "overview.ranking",
        "未知的键“titel”",
    ),
    ("[overview.breakdown]", "[overview.pie]", "overview", "未知的键“pie”"),
]


@pytest.mark.parametrize(("old", "new", "key", "message"), BAD_OVERVIEW)
def test_bad_overview_reference_fails_at_load_naming_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    src = _local_source()
    assert old in src
    bad = tmp_path / "本县格式.toml"
    bad.write_text(src.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layout(bad)
    assert f"布局文件 本县格式.toml 有误：{key}：" in str(err.value)
    assert message in str(err.value)


def test_bad_overview_stops_merge_before_any_file_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On the command line: exit 2, the file and key named, no summary written."""
    spec = tmp_path / "本县格式.toml"
    spec.write_text(
        _local_source().replace("s3.received.total", "s3.new.total", 1), encoding="utf-8"
    )
    inbox = tmp_path / "in"
    inbox.mkdir()
    out = tmp_path / "汇总.xlsx"
    code, text = _run(["merge", str(inbox), "--spec", str(spec), "--out", str(out)], capsys)
    assert code == 2
    assert (
        "本县格式.toml" in text
        and "overview.figures[0].cell" in text
        and "没有这样的行“new”" in text
    )
    assert not out.exists()
