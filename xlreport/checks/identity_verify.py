"""Whether a workbook's identity agrees with itself and with what was asked: the template
id recomputed from the other identity fields, the county (--county), and the agency and
year shown on the 填报说明 sheet (agency B's figures typed into A's template show B there)."""

from __future__ import annotations

from collections.abc import Mapping

from xlreport.checks.catalogue import finding
from xlreport.checks.model import CheckOptions
from xlreport.findings import Finding, TemplatePos
from xlreport.identity import (
    GUIDE_SHEET,
    SIGNOFF_FIELDS,
    SIGNOFF_ROW,
    SIGNOFF_VALUE_COL,
    WORKBOOK_KIND_SUMMARY,
    Identity,
    normal_name,
    template_id_of,
)
from xlreport.reader.model import RawWorkbook
from xlreport.spec.model import a1


def _guide_pos(key: str) -> tuple[str, TemplatePos]:
    r = SIGNOFF_ROW[key]
    return a1(r, SIGNOFF_VALUE_COL), (GUIDE_SHEET, r, SIGNOFF_VALUE_COL)


def verify_identity(
    identity: Identity, raw: RawWorkbook, options: CheckOptions, signoff: Mapping[str, str]
) -> list[Finding]:
    """The identity agrees with itself: its template id is the one its other fields give,
    the county is the one asked for, and the 填报说明 sheet shows the same agency and year."""
    out: list[Finding] = []
    tid = template_id_of(
        identity.layout_fingerprint, identity.year, identity.county, identity.agency_code
    )
    if identity.template_id != tid:
        out.append(
            finding(
                "template-id-mismatch",
                f"报表标识中的模板编号“{identity.template_id or '无'}”与标识中的单位"
                f"（{identity.agency_code or '通用模板'}）、年度（{identity.year}）、"
                f"县（区）（{identity.county or '未指定'}）和布局不符：标识被改动过。",
                expected=tid,
                found=identity.template_id,
            )
        )
    county = options.county
    if (
        county is not None
        and identity.kind != WORKBOOK_KIND_SUMMARY
        and normal_name(identity.county) != normal_name(county)
    ):
        out.append(
            finding(
                "county-mismatch",
                f"这份报表的模板是发给“{identity.county or '未指定县（区）'}”的，"
                f"本次校验的是“{county}”。",
                expected=county,
                found=identity.county,
            )
        )
    if identity.generic or raw.sheet(GUIDE_SHEET) is None:
        return (
            out  # a generic template's agency is what is typed there; a missing sheet is reported
        )
    fixed = {
        "agency_name": identity.agency_name,
        "agency_code": identity.agency_code,
        "year": str(identity.year),
    }
    labels = dict(SIGNOFF_FIELDS)
    for key, want in fixed.items():
        shown = signoff.get(key, "").strip()
        if shown == want or (key == "agency_name" and normal_name(shown) == normal_name(want)):
            continue
        cell, at = _guide_pos(key)
        out.append(
            finding(
                "signoff-differs",
                f"“{GUIDE_SHEET}”中的{labels[key]}是“{shown}”，报表标识中是“{want}”。",
                sheet=GUIDE_SHEET,
                cell=cell,
                expected=want,
                found=shown,
                at=at,
            )
        )
    return out
