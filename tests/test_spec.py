"""The layouts as data: every shipped layout loads; broken layouts fail at load time."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xlreport.identity import GUIDE_SHEET, META_SHEET
from xlreport.spec import LayoutError, builtin_layouts, load_layout, resolve_layout, templates_dir
from xlreport.spec.formulas import expr_formula, normalise_formula, same_formula, total_formulas

GOV2021 = templates_dir() / "gov-2021.toml"


def test_three_layouts_ship() -> None:
    assert set(builtin_layouts()) == {"gov-2021", "gov-2019", "qinghe-2024"}
    assert resolve_layout().id == "gov-2021"


@pytest.mark.parametrize("layout_id", ["gov-2021", "gov-2019", "qinghe-2024"])
def test_shape_of_each_layout(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    s3 = layout.sheet("s3")
    assert (s3.width, s3.tables[0].label_cols, s3.tables[0].header_rows) == (10, 3, 3)
    # section 三: 25 rows in 2021 (21 outcome leaves), 23 in 2019 (（六） is one row)
    n_rows = len(s3.tables[0].rows)
    assert n_rows == (25 if layout_id == "gov-2021" else 23)
    s4 = layout.sheet("s4")
    assert (s4.width, s4.tables[0].header_rows, len(s4.tables[0].rows)) == (15, 3, 1)
    # every total of section 三 and 四 is a total, everything else an input
    kinds = {c.id: c.kind for c in layout.cells.values()}
    assert all(kinds[f"s3.{r.key}.total"] == "total" for r in s3.tables[0].rows)
    assert all(kinds[f"s3.outcome_total.{c.key}"] == "total" for c in s3.tables[0].columns)
    assert [c.col for c in layout.total_cells() if c.table == "s4"] == [
        "rev_total",
        "dir_total",
        "after_total",
    ]
    assert kinds["s3.carryover.natural"] == "input"
    assert all(c.kind == "input" for c in layout.cells.values() if c.sheet == "s2")


@pytest.mark.parametrize("layout_id", ["gov-2021", "gov-2019", "qinghe-2024"])
def test_every_total_cell_knows_its_total(layout_id: str) -> None:
    layout = builtin_layouts()[layout_id]
    assert [layout.total_of(c.id) for c in layout.total_cells()] == sorted(
        layout.totals, key=lambda t: list(layout.cells).index(t.cell)
    )
    assert all(layout.total_of(c.id) is None for c in layout.inputs())
    assert layout.total_of("no-such-cell") is None


def test_2021_section3_header_merges_follow_the_reference() -> None:
    s3 = resolve_layout("gov-2021").sheet("s3")
    merges = {lb.text: (lb.r1, lb.c1, lb.r2, lb.c2) for lb in s3.labels}
    top = s3.tables[0].top
    # A1:C3 note, D1:J1 申请人情况, D2:D3 自然人, E2:I2 法人或其他组织, J2:J3 总计
    assert merges["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (
        top,
        0,
        top + 2,
        2,
    )
    assert merges["申请人情况"] == (top, 3, top, 9)
    assert merges["自然人"] == (top + 1, 3, top + 2, 3)
    assert merges["法人或其他组织"] == (top + 1, 4, top + 1, 8)
    row_labels = [lb for lb in s3.labels if lb.role == "row"]
    group = next(lb for lb in row_labels if lb.text == "三、本年度办理结果")
    assert group.vertical and group.c1 == group.c2 == 0 and group.r2 - group.r1 + 1 == 22
    deny = next(lb for lb in row_labels if lb.text == "（三）不予公开")
    assert (deny.c1, deny.c2, deny.r2 - deny.r1 + 1) == (1, 1, 8)
    leaf = next(lb for lb in row_labels if lb.text == "（一）予以公开")
    assert (leaf.c1, leaf.c2) == (1, 2)


# Verbatim from ../shared/reference/statutory-tables.md (2021 format): an independent oracle.
REFERENCE_2021 = """
第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 行政规范性文件
第二十条第（五）项 本年处理决定数量 行政许可 第二十条第（六）项 行政处罚 行政强制
第二十条第（八）项 本年收费金额（单位：万元） 行政事业性收费
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况 自然人 法人或其他组织
商业企业 科研机构 社会公益组织 法律服务机构 其他 总计
一、本年新收政府信息公开申请数量 二、上年结转政府信息公开申请数量 三、本年度办理结果 （一）予以公开
（二）部分公开（区分处理的，只计这一情形，不计其他情形） （三）不予公开 1.属于国家秘密
2.其他法律行政法规禁止公开 3.危及“三安全一稳定” 4.保护第三方合法权益 5.属于三类内部事务信息
6.属于四类过程性信息 7.属于行政执法案卷 8.属于行政查询事项 （四）无法提供 1.本机关不掌握相关政府信息
2.没有现成信息需要另行制作 3.补正后申请内容仍不明确 （五）不予处理 1.信访举报投诉类申请 2.重复申请
3.要求提供公开出版物 4.无正当理由大量反复申请 5.要求行政机关确认或重新出具已获取信息 （六）其他处理
1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 3.其他 （七）总计
四、结转下年度继续办理 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 未经复议直接起诉 复议后起诉
二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 四、政府信息公开行政复议、行政诉讼情况
""".split()


def test_every_reference_label_stands_verbatim() -> None:
    layout = resolve_layout("gov-2021")
    labels = {lb.text for s in layout.sheets for lb in s.labels}
    assert [w for w in REFERENCE_2021 if w not in labels] == []
    s2019 = {lb.text for s in resolve_layout("gov-2019").sheets for lb in s.labels}
    for w in (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "规范性文件",
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
        "采购项目数量",
        "采购总金额",
        "（六）其他处理",
    ):
        assert w in s2019
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" not in s2019


def test_value_types() -> None:
    layout = resolve_layout("gov-2019")
    assert layout.cells["a20_5.permit.delta"].type.min is None
    assert layout.cells["a20_9.procurement.amount"].type.decimals == 2
    assert resolve_layout("gov-2021").cells["a20_8.fees.amount"].type.decimals == 6
    assert "a20_9.procurement.amount" not in resolve_layout("qinghe-2024").cells


def test_totals_and_formulas() -> None:
    layout = resolve_layout("gov-2021")
    f = total_formulas(layout)
    assert f["s3.new.total"] == "SUM(D6:I6)"
    assert f["s3.outcome_total.natural"] == "SUM(D8:D28)"
    assert f["s4.cases.dir_total"] == "SUM(F6:I6)"
    values = {c.id: Decimal(1) for c in layout.inputs()}
    got = layout.compute_totals(values)
    assert got["s3.outcome_total.natural"] == 21
    assert got["s3.outcome_total.total"] == 126  # 21 rows × 6 columns
    assert got["s3.new.total"] == 6
    assert same_formula("=sum( $D$8:D28 )", "SUM(D8:D28)")
    assert normalise_formula("_xlfn.SUM(A1)") == "SUM(A1)"
    h2 = next(c for c in layout.checks if c.rule == "H2" and c.key == "natural")
    assert expr_formula(h2.rhs, layout, "s3") == "SUM(D29:D30)"
    assert expr_formula(h2.rhs, layout, "s2", absolute=True) == "SUM('三、依申请公开'!$D$29:$D$30)"
    s2 = next(c for c in layout.checks if c.rule == "S2")
    with pytest.raises(ValueError):
        expr_formula(s2.rhs, layout, "s2")


def test_fingerprint_ignores_comments_but_not_labels(tmp_path: Path) -> None:
    src = GOV2021.read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text("# another comment\n" + src, encoding="utf-8")
    (tmp_path / "b.toml").write_text(
        src.replace("“三安全一稳定”", "三安全一稳定"), encoding="utf-8"
    )
    base = resolve_layout("gov-2021").fingerprint
    assert load_layout(tmp_path / "a.toml").fingerprint == base
    assert load_layout(tmp_path / "b.toml").fingerprint != base


BROKEN = [
    ('name = "2021年版', 'nmae = "2021年版', "未知的键“nmae”"),
    (
        'key = "repealed", path = ["本年废止件数"]',
        'key = "repealed", path = ["本年制发件数"]',
        "标签路径“本年制发件数”重复",
    ),
    (
        'rhs = "s3.open..other_misc.{col}"',
        'rhs = "s3.open..other_miss.{col}"',
        "没有这样的行“other_miss”",
    ),
    (
        'sum = "s4.cases.rev_uphold..rev_pending"',
        'sum = "s4.cases.rev_uphold..rev_total"',
        "引用了自身",
    ),
    ('type = "money_wan"', 'type = "money_wann"', "未定义的数值类型“money_wann”"),
    ('rhs = "s3.{row}.natural..other"', 'rhs = "s3.{row}.other..natural"', "起点在终点之后"),
    ('lhs = "s4.cases.rev_total"', 'lhs = "s4.cases.rev_totl"', "没有这样的列“rev_totl”"),
    ('lhs = "s3.{row}.total"', 'lhs = "s3.{col}.total"', "占位符"),
    ('name = "三、依申请公开"', 'name = "二、主动公开"', "重复"),
    ('key = "deny_law"', 'key = "deny_secret"', "键“deny_secret”重复"),
    (
        'sum = "s3.{row}.natural..other"',
        'sum = "s3.{row}.natural..other + prior:s3.{row}.natural"',
        "不能引用上年数据",
    ),
    ('severity = "warning"', 'severity = "fatal"', "只能是 error、warning 或 info"),
    ("version = 1", 'version = "1"', "类型应为 int"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_broken_layout_is_refused_with_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    src = GOV2021.read_text(encoding="utf-8")
    assert old in src
    bad = tmp_path / "县本地格式.toml"
    bad.write_text(src.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layout(bad)
    assert "县本地格式.toml" in str(err.value)
    assert message in str(err.value)


def test_total_cycle_is_refused(tmp_path: Path) -> None:
    src = GOV2021.read_text(encoding="utf-8")
    src += '\n[[totals]]\ncell = "s4.cases.rev_uphold"\nsum = "s4.cases.rev_total + s4.cases.dir_uphold"\n'
    bad = tmp_path / "cycle.toml"
    bad.write_text(src, encoding="utf-8")
    with pytest.raises(LayoutError, match="循环引用"):
        load_layout(bad)


def test_unreadable_spec_files(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="无法读取"):
        load_layout(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text("id = [", encoding="utf-8")
    with pytest.raises(LayoutError, match="不是有效的 TOML"):
        load_layout(tmp_path / "bad.toml")
    with pytest.raises(LayoutError, match="没有名为“gov-2099”的布局"):
        resolve_layout("gov-2099")


@pytest.mark.parametrize("name", [GUIDE_SHEET, META_SHEET])
def test_sheet_named_as_a_reserved_sheet_is_refused(tmp_path: Path, name: str) -> None:
    src = GOV2021.read_text(encoding="utf-8").replace(
        'name = "三、依申请公开"', f'name = "{name}"', 1
    )
    bad = tmp_path / "保留名.toml"
    bad.write_text(src, encoding="utf-8")
    with pytest.raises(LayoutError, match="保留名"):
        load_layout(bad)
