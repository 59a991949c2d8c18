"""The narrative paragraph of a summary, for the county's own annual report.

Its wording is data of the layout file (``[overview.narrative]``,
:class:`~xlreport.spec.model.Narrative`): each phrase names the cells it sums; nothing
here names a row, a label or a unit. With last year's summary (``merge --prior``) the
phrases marked ``compare`` say how the figure changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlreport.batch import check_paths
from xlreport.checks.model import CheckOptions
from xlreport.errors import UsageError
from xlreport.merge.figures import sum_value
from xlreport.merge.sums import decimal_text
from xlreport.safetext import printable
from xlreport.spec.model import Layout, Narrative, NarrativePart
from xlreport.spec.overview import CHANGE, DIFF, PRIOR, VALUE


@dataclass(frozen=True)
class NarrativeFigure:
    """One number of the paragraph: the cells it sums, its value, last year's (or None)."""

    text: str  # the phrase as written in the paragraph
    cells: tuple[str, ...]
    value: Decimal
    prior: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "cells": list(self.cells),
            "value": decimal_text(self.value),
            "prior": decimal_text(self.prior) if self.prior is not None else None,
        }


@dataclass(frozen=True)
class NarrativeText:
    title: str
    text: str
    figures: tuple[NarrativeFigure, ...]
    compared: bool  # last year's summary was given and compared with

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "text": self.text,
            "compared": self.compared,
            "figures": [f.to_json() for f in self.figures],
        }


def _change(n: Narrative, value: Decimal, prior: Decimal) -> str:
    diff = value - prior
    if diff > 0:
        return n.up.replace(DIFF, decimal_text(diff))
    if diff < 0:
        return n.down.replace(DIFF, decimal_text(-diff))
    return n.same


def _prior_of(part: NarrativePart, prior: Mapping[str, Decimal] | None) -> Decimal | None:
    """Last year's value of the phrase: None without last year's summary, or when one of
    its cells is not in last year's layout (another format)."""
    if prior is None or part.expr is None or not part.compare:
        return None
    if any(c not in prior for c in part.expr.cells()):
        return None
    return sum_value(prior, part.expr)


def narrative(
    layout: Layout, values: Mapping[str, Decimal], prior: Mapping[str, Decimal] | None = None
) -> NarrativeText | None:
    """The paragraph the layout's narrative makes of the summary's ``values`` (every cell,
    totals included); ``prior``: last year's summary's cells. None when the layout has no
    narrative."""
    n = layout.overview.narrative
    if n is None:
        return None
    out: list[str] = []
    figures: list[NarrativeFigure] = []
    for part in n.parts:
        if part.expr is None:
            out.append(part.text)
            continue
        value = sum_value(values, part.expr)
        last = _prior_of(part, prior)
        phrase = part.text.replace(VALUE, decimal_text(value))
        if last is not None:
            phrase += n.compare.replace(PRIOR, decimal_text(last)).replace(
                CHANGE, _change(n, value, last)
            )
        out.append(phrase)
        figures.append(NarrativeFigure(phrase, tuple(part.expr.cells()), value, last))
    return NarrativeText(n.title, "".join(out), tuple(figures), prior is not None)


@dataclass(frozen=True)
class PriorSummary:
    """Last year's summary (``merge --prior``): its year and every cell of its layout
    (blank = 0)."""

    path: str
    year: int
    values: dict[str, Decimal]


def load_prior(path: str | Path) -> PriorSummary:
    """Last year's summary (or return) read and checked as ``xlreport check`` does; a usage
    error when it is not an xlreport workbook that can be read."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(
            f"--prior 给出的上年汇总表不存在：{printable(str(p))}", "请给出上年的汇总表（.xlsx）"
        )
    found = [c for c in check_paths([p], CheckOptions(), workers=1) if not c.skipped]
    data = found[0].data if found else None
    if data is None:
        why = found[0].report.findings[0].message if found and found[0].report.findings else ""
        raise UsageError(
            f"--prior 给出的文件无法作为上年汇总表读取：{printable(p.name)}"
            + (f"（{why}）" if why else ""),
            "请给出用 xlreport merge 生成的上年汇总表",
        )
    cells = data.layout.cells
    totals = data.totals
    return PriorSummary(str(p), data.identity.year, {c: totals.get(c, Decimal(0)) for c in cells})
