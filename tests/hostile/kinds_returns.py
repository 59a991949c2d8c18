"""Cases that are workbooks: the good return edited, or returns of other agencies.

Edits of the good return are saved earlier than it, so a valid one is superseded by it in
a merge; returns of other agencies are built by the real writer and saved like Excel.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from hostile import corpus_returns as cr
from hostile.cases import FORMULA_TEXTS, Ctx, Expect, Spec
from hostile.tamper import Parts
from hostile.values import Agency
from xlreport.merge.naming import summary_identity
from xlreport.spec import resolve_layout
from xlreport.writer import build_workbook

F: Expect = "findings"
OK: Expect = "ok"
Edit = Callable[[Parts, cr.Anatomy], Parts]


def _edit(fn: Edit, hours: int = 2) -> Callable[[Ctx], bytes]:
    return lambda c: c.derived(fn(c.parts, c.anatomy), hours)


def _draft(c: Ctx) -> bytes:
    parts, _cell = cr.draft(c.parts, c.layout, c.anatomy)
    return c.derived(parts, 30)


def _summary(c: Ctx) -> bytes:
    ident = summary_identity(c.layout, 2024, [c.base_code], name="清河县")
    return build_workbook(c.layout, ident, password="hostile-pw", values=dict(c.base_values))


TAMPERED = [
    Spec("sheet-renamed.xlsx", F, "a table sheet renamed", _edit(cr.renamed),
         codes=("sheet-renamed",)),
    Spec("sheet-deleted.xlsx", F, "a table sheet deleted", _edit(cr.deleted),
         codes=("sheet-missing",)),
    Spec("sheet-added.xlsx", F, "structure protection removed and a sheet added: an error "
         "(the statutory tables are intact)", _edit(cr.added), codes=("sheet-added",)),
    Spec("rows-inserted.xlsx", F, "protection removed, a row inserted inside the main table",
         _edit(cr.rows_inserted), codes=("rows-inserted",)),
    Spec("label-edited.xlsx", F, "a row label edited", _edit(cr.label_edited),
         codes=("label-changed",)),
    Spec("formula-overwritten.xlsx", F, "a total replaced by its value",
         _edit(cr.formula_overwritten), codes=("formula-overwritten",)),
    Spec("cache-forged.xlsx", F, "the cached value of a total edited in the XML",
         _edit(cr.cache_forged), codes=("cache-forged",)),
    Spec("identity-copies-differ.xlsx", F, "the agency-code defined name names another agency",
         _edit(cr.identity_differs), codes=("identity-copies-differ",)),
    Spec("meta-sheet-deleted.xlsx", F, "the hidden identity sheet deleted (the defined names "
         "remain)", _edit(cr.meta_deleted), codes=("identity-copy-missing",)),
    Spec("far-value-in-return.xlsx", F, "the main sheet unprotected and a number typed at "
         "XFD1048576", _edit(cr.far_value), codes=("sheet-unprotected", "content-outside-table")),
    Spec("same-agency-copy.xlsx", OK, "a byte-identical copy of the good return",
         lambda c: c.good, merge="duplicate"),
    Spec("same-agency-draft.xlsx", OK, "an earlier version of the good return (one free input "
         "differs), saved 30 h before: no clock decides (issue 10), both versions are a "
         "conflict until --prefer names one", _draft, merge="conflict"),
    Spec("summary-as-return.xlsx", OK, "a summary (writer, summary identity) of the good "
         "return alone: check accepts a summary as valid input; merge counts either it or the "
         "return (the other is an overlap), never both", _summary, merge="overlap"),
]  # fmt: skip


def _bad_return(i: int, bad: Decimal | str) -> Callable[[Ctx], bytes]:
    def make(c: Ctx) -> bytes:
        agency = Agency(f"ODD{i:02d}", f"清河县测试单位{i}", "部门")
        values = cr.values_for(c.layout, agency.code)
        cell = cr.first_count(c.layout, c.anatomy.main, 2)
        filled = cr.broken_rule(c.layout, values) if bad == "rule" else {**values, cell.id: bad}
        return cr.writer_return(c.layout, agency, filled, cr.sign_for(agency.code))

    return make


def _formula_name(i: int) -> Callable[[Ctx], bytes]:
    def make(c: Ctx) -> bytes:
        values = cr.values_for(c.layout, f"formula-{i}")
        sign = {**cr.sign_for(f"formula-{i}"), "agency_name": FORMULA_TEXTS[i],
                "agency_code": f"FX{i:03d}"}  # fmt: skip
        return cr.writer_return(c.layout, None, dict(values), sign)

    return make


def _seeded(seed: str) -> Callable[[Ctx], dict[str, Decimal]]:
    return lambda c: cr.values_for(c.layout, seed)


def _formula_signoff(c: Ctx) -> bytes:
    agency = Agency("FS001", "清河县公式签字测试局", "部门")
    sign = dict(zip(("filler", "phone", "head", "date", "seal"), FORMULA_TEXTS, strict=True))
    return cr.writer_return(c.layout, agency, dict(cr.values_for(c.layout, agency.code)), sign)


def _other_layout(c: Ctx) -> bytes:
    other = resolve_layout("gov-2019")
    agency = Agency("LY001", "清河县旧格式单位", "部门")
    return cr.writer_return(other, agency, dict(cr.values_for(other, "ly")), cr.sign_for("ly"))


def _wrong_year(c: Ctx) -> bytes:
    agency = Agency("YR001", "清河县上年度单位", "部门")
    return cr.writer_return(
        c.layout, agency, cr.values_for(c.layout, "yr"), cr.sign_for("yr"), year=2023
    )


ODD_NAMES: list[tuple[str, Decimal | str, str]] = [
    ("报表 2024 (1).xlsx", "12件", "value-text-number"),
    ("～清河县统计局【终稿】.xlsx", "１２", "value-text-number"),
    ("📊年报✅.xlsx", Decimal(-3), "value-negative"),
    ("-rf --help.xlsx", "rule", "rule-broken"),
    ("a;b; rm -rf ~.xlsx", "—", "value-zero-as-text"),
    ("\"quoted\" 'single'.xlsx", Decimal("1.5"), "value-not-integer"),
    ("tab\tand\x1b[31mescape.xlsx", "无", "value-zero-as-text"),
]
DEEP = tuple(f"第{i}层_各乡镇街道及县直部门报送的政府信息公开年报统计表" for i in range(1, 11))

OTHERS = [
    *(Spec(name, F, f"an odd file name; {code} in the return", _bad_return(i, bad),
           codes=(code,), agency=f"ODD{i:02d}") for i, (name, bad, code) in enumerate(ODD_NAMES)),
    Spec("报表.xlsx", F, "a path of more than 300 characters (10 nested folders)",
         _bad_return(99, "12件"), codes=("value-text-number",), folders=DEEP, agency="ODD99"),
    *(Spec(f"formula-name-{i}.xlsx", OK, f"generic template, agency name typed as {t!r}",
           _formula_name(i), values=_seeded(f"formula-{i}"),
           agency=t) for i, t in enumerate(FORMULA_TEXTS)),
    Spec("formula-signoff.xlsx", OK, "every sign-off field formula-like", _formula_signoff,
         values=_seeded("FS001"), agency="FS001"),
    Spec("another-layout.xlsx", F, "a gov-2019 return where gov-2021 is expected (with "
         "--format given, an error finding)", _other_layout, codes=("layout-mismatch",),
         agency="LY001"),
    Spec("wrong-year.xlsx", F, "a 2023 return where 2024 is expected", _wrong_year,
         codes=("year-mismatch",), agency="YR001"),
]  # fmt: skip
