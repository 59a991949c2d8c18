"""What an annotated return (退回修改) tells the agency: its name, what is left to fix
(one item per cause), and what the copy already repaired.

Pure: findings in, texts out. :mod:`xlreport.checks.annotate` builds the copy with them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from xlreport.checks.catalogue import CATALOGUE
from xlreport.checks.causes import cause_key
from xlreport.findings import SEVERITY_ZH, Finding
from xlreport.fsutil import safe_filename
from xlreport.identity import Identity
from xlreport.spec.model import a1

PREFIX = "退回修改_"
#: Codes a fresh copy of the template sets right by being fresh: its totals are the
#: template's formulas (recomputed), its tables and protection the template's.
_REPAIRABLE_GROUPS = frozenset({"表格结构", "合计公式"})
_RULE_CODES = frozenset({"rule-broken"})


def return_stem(identity: Identity, signoff: Mapping[str, str], path: str, round_no: int) -> str:
    """``退回修改_<单位名称>_第N轮`` (file-name safe): the agency from the identity (a generic
    template: the name the agency typed), else its code, else the file's own name."""
    who = (
        identity.agency_name.strip()
        or signoff.get("agency_name", "").strip()
        or identity.agency_code.strip()
        or Path(path).stem
    )
    return safe_filename(f"{PREFIX}{who}_第{round_no}轮", max_len=150)


@dataclass(frozen=True)
class Item:
    """One thing for the agency to fix: the findings of one cause."""

    findings: tuple[Finding, ...]

    @property
    def lead(self) -> Finding:
        return self.findings[0]

    @property
    def severity(self) -> str:
        return SEVERITY_ZH[self.lead.severity]

    @property
    def cells(self) -> str:
        seen: list[str] = []
        for f in self.findings:
            if f.cell and f.cell not in seen:
                seen.append(f.cell)
        return "、".join(seen)

    @property
    def message(self) -> str:
        if len(self.findings) == 1:
            return self.lead.message
        others = "、".join(f.cell for f in self.findings[1:] if f.cell)
        tail = f"（{others} 的问题与此同源，改正此处后一并消除。）" if others else ""
        return self.lead.message + tail


def items(findings: Sequence[Finding]) -> list[Item]:
    """Findings grouped by cause, in the order of each cause's first finding."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.cause or cause_key(f), []).append(f)
    return [Item(tuple(g)) for g in groups.values()]


def _key(f: Finding) -> tuple[str, str, object]:
    return (f.code, f.rule, f.at)


def repaired_findings(original: Sequence[Finding], copy: Sequence[Finding]) -> set[int]:
    """Indices of ``original`` findings the copy no longer has and that a fresh copy sets
    right (formulas, structure, rules broken by them; a note about the received file
    itself); the others stay for the agency."""
    left = {_key(f) for f in copy}
    out: set[int] = set()
    for i, f in enumerate(original):
        if _key(f) in left:
            continue
        group = CATALOGUE[f.code].group if f.code in CATALOGUE else ""
        if f.severity == "info" or group in _REPAIRABLE_GROUPS or f.code in _RULE_CODES:
            out.add(i)
    return out


@dataclass(frozen=True)
class Repaired:
    """What the copy set right, one line per cause."""

    sheet: str
    cells: str
    text: str


def repaired(findings: Sequence[Finding]) -> list[Repaired]:
    """The repaired findings (notes about the received file left out) by cause: the
    lead's repair, and the rules that hold again because of it."""
    out: list[Repaired] = []
    for item in items([f for f in findings if f.severity != "info"]):
        lead, rest = item.lead, item.findings[1:]
        text = repaired_text(lead)
        rules = [f for f in rest if f.code in _RULE_CODES]
        if rules:
            cells = "、".join(dict.fromkeys(_cell(f) for f in rules))
            ids = "、".join(dict.fromkeys(f.rule for f in rules))
            text += f"由此 {cells} 的勾稽关系 {ids} 也已满足。"
        out.append(Repaired(lead.sheet, _cell(lead), text))
    return out


def _cell(f: Finding) -> str:
    return a1(f.at[1], f.at[2]) if f.at is not None else f.cell


def repaired_text(f: Finding) -> str:
    """What the copy did about ``f``, in the agency's words (cells where the copy has them)."""
    cell = _cell(f)
    if f.code in ("formula-overwritten", "formula-changed"):
        was = f"（原为{f.found}）" if f.found else ""
        return f"已恢复 {cell} 的合计公式 {f.expected}{was}，合计按填报数字自动计算。"
    if f.code in ("cache-stale", "cache-forged"):
        return f"已重新计算 {cell} 的合计，现为 {f.expected}（原保存的是 {f.found}）。"
    if f.code in _RULE_CODES:
        return f"{cell} 的勾稽关系 {f.rule} 在恢复合计公式后已经满足（原：{f.message}）"
    title = CATALOGUE[f.code].title if f.code in CATALOGUE else f.code
    return f"已按下发的模板改正：{title}。{f.message}"


__all__ = [
    "PREFIX",
    "Item",
    "Repaired",
    "items",
    "repaired",
    "repaired_findings",
    "repaired_text",
    "return_stem",
]
