"""The report years xlreport accepts, written once: the 条例 took effect in 2008."""

from __future__ import annotations

YEAR_MIN, YEAR_MAX = 2008, 2100


def is_report_year(year: int) -> bool:
    """Whether ``year`` can be the year of a report (``YEAR_MIN``–``YEAR_MAX``)."""
    return YEAR_MIN <= year <= YEAR_MAX


def year_hint_text(asked: int, likely: int, files: int, saying: int, doing: str = "校验") -> str:
    """The line saying that --year ``asked`` is most likely mistyped: ``saying`` of
    ``files`` files are of year ``likely``; ``doing``: 校验 or 汇总."""
    return (
        f"本次{doing}要求 {asked} 年度（--year {asked}），但 {files} 个文件中有 {saying} 个是 "
        f"{likely} 年度的报表：很可能是 --year 写错了，请改用 --year {likely} 重新{doing}"
        "（不要因为年度把报表退回单位）。"
    )
