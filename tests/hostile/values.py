"""Realistic figures and agencies for generated returns (tests and benchmarks).

Everything comes from the Layout: each input cell gets a number of its value type, most
of them 0 as in real county returns, scaled by how busy the agency is; then every hard
rule (H1–H4, the ones without ``prior:`` terms) is made to hold by raising an input on the
smaller side — so a generated return is valid whatever the layout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from xlreport.spec.model import Cell, Layout

_PLACES = (
    "清河 临河 安平 永宁 长乐 怀远 崇仁 宁远 德化 丰城 新昌 武宁 同安 南丰 建宁 泰和 "
    "玉山 金溪 宜黄 乐安 资溪 南城 黎川 广昌 石城 瑞金 会昌 寻乌 安远 信丰 大余 崇义"
).split()
_SUFFIX = ("县", "区", "市")
_DEPARTMENTS = (
    "人民政府办公室 发展和改革局 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水利局 农业农村局 "
    "商务局 文化广电旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 市场监督管理局 "
    "统计局 医疗保障局 林业局 城市管理局 行政审批局 信访局 乡村振兴局 粮食和物资储备局 "
    "国有资产监督管理办公室 数据资源局 体育中心 档案馆 地方志办公室 机关事务服务中心"
).split()
_TOWNS = "城关 新城 东关 西关 南关 北关 河口 石桥 李庄 王庄 张店 马集 高桥 杨柳 柳林 双河".split()


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    type: str


def agencies(n: int, *, prefix: str = "P", start: int = 0) -> list[Agency]:
    """``n`` distinct agencies with realistic names and codes ``{prefix}00001``…"""
    counties = [p + s for s in _SUFFIX for p in _PLACES]
    units = [(d, "部门") for d in _DEPARTMENTS]
    units += [
        (t + kind, "乡镇" if kind.endswith("镇人民政府") else "街道")
        for t in _TOWNS
        for kind in ("镇人民政府", "街道办事处")
    ]
    out = []
    for i in range(start, start + n):
        county = counties[(i // len(units)) % len(counties)]
        unit, kind = units[i % len(units)]
        wrap = i // (len(units) * len(counties))
        name = county + unit + (f"（{wrap + 1}）" if wrap else "")
        out.append(Agency(f"{prefix}{i + 1:05d}", name, kind))
    return out


def _draw(cell: Cell, rng: random.Random, scale: float) -> Decimal:
    vt = cell.type
    if rng.random() < 0.55:
        return Decimal(0)
    size = rng.paretovariate(1.3) * scale
    if vt.kind == "integer":
        value = Decimal(int(size))
        if vt.min is None or vt.min < 0:  # a signed change (本年增/减)
            value = value if rng.random() < 0.6 else -value
        return value
    places = rng.choice((1, 2, 2, 4, min(6, vt.decimals)))
    return Decimal(round(size * 37.3, places)).quantize(Decimal(1).scaleb(-places))


def realistic_values(layout: Layout, rng: random.Random) -> dict[str, Decimal]:
    """A value for every input cell, satisfying every hard rule of the layout."""
    scale = rng.lognormvariate(1.2, 1.0)
    values = {c.id: _draw(c, rng, scale) for c in layout.inputs()}
    hard = [r for r in layout.checks if r.severity == "error" and not r.uses_prior]
    for _ in range(20):
        changed = False
        computed = layout.compute_totals(values)
        for rule in hard:
            diff = rule.lhs.evaluate(computed) - rule.rhs.evaluate(computed)
            if diff == 0:
                continue
            side = rule.lhs if diff < 0 else rule.rhs
            target = next(
                (
                    t.cell
                    for t in side.terms
                    if t.sign > 0 and not t.prior and layout.cells[t.cell].kind == "input"
                ),
                None,
            )
            if target is not None:
                values[target] += abs(diff)
                computed = layout.compute_totals(values)
                changed = True
        if not changed:
            break
    computed = layout.compute_totals(values)
    broken = [r.name for r in hard if r.lhs.evaluate(computed) != r.rhs.evaluate(computed)]
    if broken:
        raise ValueError(f"could not make the rules of {layout.id} hold: {broken[:3]}")
    return values


def signoff(rng: random.Random, day: int) -> dict[str, str]:
    surname = rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林")
    given = rng.choice(("伟", "芳", "敏", "静", "磊", "洋", "婷", "军", "杰", "丽"))
    head = rng.choice("王李张刘陈杨黄赵") + rng.choice(("建国", "明", "海涛", "志强", "红梅"))
    return {
        "filler": surname + given,
        "phone": f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}",
        "head": head,
        "date": f"2025年1月{day}日",
        "seal": "",
    }


def free_input(layout: Layout) -> Cell:
    """An input cell that no total and no hard rule uses: changing it keeps a return valid."""
    used: set[str] = set()
    for t in layout.totals:
        used.update(t.expr.cells())
    for r in layout.checks:
        if not r.uses_prior:
            used.update(r.cells())
    return next(c for c in layout.inputs() if c.id not in used and c.type.kind == "integer")
