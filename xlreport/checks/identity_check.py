"""Whose return is this, for which layout and year: read both copies of the identity
(the hidden ``_xlreport`` sheet and the defined names), cross-check them, and check them
against what `xlreport check` was told (--format/--spec, --year, --roster)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from xlreport.checks.alignment import raw_text
from xlreport.checks.catalogue import finding
from xlreport.checks.formula_refs import sum_terms
from xlreport.checks.identity_verify import verify_identity
from xlreport.checks.model import CheckOptions
from xlreport.codes import FindingCode
from xlreport.findings import Finding, TemplatePos
from xlreport.identity import (
    CONTRIBUTOR_SEPARATOR,
    GUIDE_SHEET,
    META_FORMAT,
    META_SHEET,
    NAME_OF_KEY,
    SIGNOFF_FIELDS,
    SIGNOFF_ROW,
    SIGNOFF_VALUE_COL,
    WORKBOOK_KIND_SUMMARY,
    Identity,
    normal_name,
)
from xlreport.reader.model import RawWorkbook
from xlreport.spec import builtin_layouts
from xlreport.spec.model import Layout, a1

_KEY_OF_NAME = {v: k for k, v in NAME_OF_KEY.items()}


@dataclass
class Recognised:
    """The identity of a workbook (agency filled in for a generic template) and its layout;
    ``unreadable`` says why the file cannot be read as a return at all."""

    identity: Identity | None = None
    layout: Layout | None = None
    signoff: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unreadable: Finding | None = None


def read_meta(raw: RawWorkbook) -> dict[str, str] | None:
    """Rows of the ``_xlreport`` sheet: key in column A, value in column B."""
    sheet = raw.sheet(META_SHEET)
    if sheet is None:
        return None
    out: dict[str, str] = {}
    for (r, c), cell in sorted(sheet.cells.items()):
        if c == 0 and cell.text:
            out[cell.text.strip()] = raw_text(sheet.cells.get((r, 1)))
    return out


def _name_text(text: str, raw: RawWorkbook) -> str | None:
    """A defined name's value: a string constant, or a reference to the meta sheet."""
    t = text.strip().removeprefix("=").strip()
    if len(t) >= 2 and t[0] == '"' and t[-1] == '"':
        return t[1:-1].replace('""', '"')
    sheet, bang, ref = t.rpartition("!")
    if bang and sheet.strip("'") == META_SHEET:
        terms = sum_terms(ref, META_SHEET)
        meta = raw.sheet(META_SHEET)
        if terms and len(terms) == 1 and meta is not None:
            return raw_text(meta.cells.get(next(iter(terms))))
    return None


def read_names(raw: RawWorkbook) -> dict[str, str]:
    """The identity keys mirrored as defined names (``XLR_LAYOUT`` → layout_id …)."""
    out: dict[str, str] = {}
    for name, text in raw.defined_names.items():
        key = _KEY_OF_NAME.get(name.upper())
        value = _name_text(text, raw) if key else None
        if key and value is not None:
            out[key] = value
    return out


def read_signoff(raw: RawWorkbook) -> dict[str, str]:
    guide = raw.sheet(GUIDE_SHEET)
    return {
        key: raw_text(guide.cells.get((SIGNOFF_ROW[key], SIGNOFF_VALUE_COL))) if guide else ""
        for key, _label in SIGNOFF_FIELDS
    }


def _unreadable(code: FindingCode, message: str, expected: str = "", found: str = "") -> Recognised:
    return Recognised(unreadable=finding(code, message, expected=expected, found=found))


def _identity(fields: Mapping[str, str]) -> Identity | None:
    try:
        return Identity(
            layout_id=fields["layout_id"],
            layout_version=int(fields["layout_version"]),
            layout_fingerprint=fields.get("layout_fingerprint", ""),
            year=int(fields["year"]),
            agency_code=fields.get("agency_code", ""),
            agency_name=fields.get("agency_name", ""),
            agency_type=fields.get("agency_type", ""),
            kind="summary" if fields.get("kind") == WORKBOOK_KIND_SUMMARY else "return",
            template_id=fields.get("template_id", ""),
            county=fields.get("county", ""),
            contributors=tuple(
                c for c in fields.get("contributors", "").split(CONTRIBUTOR_SEPARATOR) if c
            ),
        )
    except (KeyError, ValueError):
        return None


def _guide_pos(key: str) -> tuple[str, TemplatePos]:
    r = SIGNOFF_ROW[key]
    return a1(r, SIGNOFF_VALUE_COL), (GUIDE_SHEET, r, SIGNOFF_VALUE_COL)


def identity_fields(raw: RawWorkbook) -> dict[str, str] | None:
    """The identity's fields as :func:`recognise` reads them (the hidden sheet's record
    over the workbook's names), or None when the workbook carries neither."""
    meta = read_meta(raw)
    names = read_names(raw)
    if (meta is None or meta.get("format") != META_FORMAT) and not names:
        return None
    fields = dict(names)
    if meta is not None and meta.get("format") == META_FORMAT:
        fields.update({k: v for k, v in meta.items() if v or k not in fields})
    return fields


def recognise(raw: RawWorkbook, options: CheckOptions) -> Recognised:
    meta = read_meta(raw)
    names = read_names(raw)
    fields = identity_fields(raw)
    if fields is None:
        return _unreadable(
            "not-xlreport-workbook",
            "这不是用本工具生成的报表模板（找不到模板的标识信息），无法按报表校验。",
            expected="用 xlreport template 生成的模板",
            found="其他 Excel 文件",
        )
    rec = Recognised()
    if meta is not None and meta.get("format") == META_FORMAT:
        differ = [k for k, v in names.items() if meta.get(k, "") != v]
        if differ:
            both = "；".join(f"{k}：“{meta.get(k, '')}”与“{names[k]}”" for k in differ)
            rec.findings.append(
                finding(
                    "identity-copies-differ",
                    f"报表标识的两份记录不一致（{both}），已按隐藏工作表中的记录校验。",
                    expected=", ".join(f"{k}={meta.get(k, '')}" for k in differ),
                    found=", ".join(f"{k}={names[k]}" for k in differ),
                )
            )
    if meta is None or not names:
        missing = f"隐藏工作表 {META_SHEET}" if meta is None else "工作簿中的名称（XLR_…）"
        # no spreadsheet application drops a hidden sheet by itself: a missing identity sheet
        # was deleted on purpose (an error); missing names alone are only a warning
        rec.findings.append(
            finding(
                "identity-copy-missing",
                f"报表标识缺少一份记录：{missing}。",
                severity="error" if meta is None else "warning",
            )
        )
    identity = _identity(fields)
    if identity is None:
        return _unreadable(
            "identity-damaged",
            "报表的标识信息不完整或已损坏（布局、版本或年度无法识别），无法按报表校验。",
        )
    layout = _layout_for(identity, options, rec)
    if layout is None:
        known = "、".join(builtin_layouts())
        return _unreadable(
            "unknown-layout",
            f"报表使用的布局“{identity.layout_id}”不认识（内置布局：{known}）。",
            expected=options.layout.id if options.layout else known,
            found=identity.layout_id,
        )
    rec.layout = layout
    rec.signoff = read_signoff(raw)
    rec.findings += verify_identity(identity, raw, options, rec.signoff)
    if options.year is not None and identity.year != options.year:
        cell, at = _guide_pos("year")
        rec.findings.append(
            finding(
                "year-mismatch",
                f"这是 {identity.year} 年度的报表，本次校验的是 {options.year} 年度。",
                sheet=GUIDE_SHEET,
                cell=cell,
                expected=str(options.year),
                found=str(identity.year),
                at=at,
            )
        )
    rec.identity = _agency(identity, rec, options.roster_codes)
    return rec


def _layout_for(identity: Identity, options: CheckOptions, rec: Recognised) -> Layout | None:
    wanted = options.layout
    builtin = builtin_layouts()
    if wanted is not None and identity.layout_id == wanted.id:
        layout = wanted
    elif identity.layout_id in builtin:
        layout = builtin[identity.layout_id]
        if wanted is not None:
            rec.findings.append(
                finding(
                    "layout-mismatch",
                    f"报表使用的布局是“{layout.name}”（{layout.id}），本次要求的是"
                    f"“{wanted.name}”（{wanted.id}）；已按报表自己的布局校验其余内容。",
                    expected=wanted.id,
                    found=layout.id,
                )
            )
    else:
        return None
    if (identity.layout_version, identity.layout_fingerprint) != (
        layout.version,
        layout.fingerprint,
    ):
        rec.findings.append(
            finding(
                "layout-version-mismatch",
                f"报表模板按布局 {layout.id} 的第 {identity.layout_version} 版"
                f"（指纹 {identity.layout_fingerprint or '无'}）生成，当前布局是第 "
                f"{layout.version} 版（指纹 {layout.fingerprint}）。",
                expected=f"{layout.version}/{layout.fingerprint}",
                found=f"{identity.layout_version}/{identity.layout_fingerprint}",
            )
        )
    return layout


def _agency(identity: Identity, rec: Recognised, roster: Mapping[str, str] | None) -> Identity:
    """The agency: fixed by the template, or typed on the guide sheet of a generic one."""
    code, name = identity.agency_code, identity.agency_name
    if identity.generic:
        code, name = rec.signoff.get("agency_code", ""), rec.signoff.get("agency_name", "")
        if not name:
            cell, at = _guide_pos("agency_name")
            rec.findings.append(
                finding(
                    "agency-name-missing",
                    "这是通用模板，但“填报说明”中没有填写填报单位名称，无法确定是哪个单位的报表。",
                    sheet=GUIDE_SHEET,
                    cell=cell,
                    expected="单位全称",
                    found="",
                    at=at,
                )
            )
        if roster is not None and name and not code:
            matches = [c for c, n in roster.items() if normal_name(n) == normal_name(name)]
            code = matches[0] if len(matches) == 1 else ""
            if not code:
                _not_in_roster(rec, name, "agency_name", identity.generic)
                return replace(identity, agency_name=name)
    if roster is not None and identity.kind != WORKBOOK_KIND_SUMMARY and code:
        if code not in roster:
            _not_in_roster(rec, code, "agency_code", identity.generic)
        elif name and normal_name(roster[code]) != normal_name(name):
            cell, at = _guide_pos("agency_name")
            rec.findings.append(
                finding(
                    "agency-name-differs",
                    f"单位编码 {code} 在名单中的名称是“{roster[code]}”，报表中是“{name}”。",
                    sheet=GUIDE_SHEET,
                    cell=cell,
                    expected=roster[code],
                    found=name,
                    at=at,
                )
            )
    return replace(identity, agency_code=code, agency_name=name)


def _not_in_roster(rec: Recognised, value: str, key: str, generic: bool) -> None:
    cell, at = _guide_pos(key)
    what = "单位编码" if key == "agency_code" else "单位名称"
    rec.findings.append(
        finding(
            "agency-not-in-roster",
            f"{what}“{value}”不在单位名单中" + ("（通用模板中填写的）。" if generic else "。"),
            sheet=GUIDE_SHEET,
            cell=cell,
            expected="名单中的单位",
            found=value,
            at=at,
        )
    )
