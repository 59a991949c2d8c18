"""``xlreport campaign links``: one upload link per agency for ``xlreport serve``.

Issues a link to every agency on the roster that has none in force (or to the agencies
named), prints them once (only the tokens' hashes are kept) and exports them to a workbook;
revokes links. See :mod:`xlreport.ledger.links`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from xlreport.api.campaign import open_campaign
from xlreport.errors import UsageError
from xlreport.fsutil import atomic_write_bytes
from xlreport.ledger.links import IssuedLink, issue_links, list_links, revoke_links

DEFAULT_PORT = 8700


@dataclass(frozen=True)
class CampaignLinksRequest:
    campaign: str | Path = "."
    url: str = ""  # e.g. http://192.168.1.20:8700 (default: http://127.0.0.1:8700)
    codes: tuple[str, ...] = ()  # issue new links for these (default: all without one)
    revoke: tuple[str, ...] = ()
    export: str | Path | None = None  # an .xlsx listing the links issued
    expires: str | None = None  # ISO date, default: the campaign's end


@dataclass(frozen=True)
class LinkRow:
    code: str
    name: str
    url: str  # '' for links issued earlier (the token is not kept)
    issued_at: str
    expires_on: str
    revoked_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "url": self.url,
            "issued_at": self.issued_at,
            "expires_on": self.expires_on,
            "revoked_at": self.revoked_at,
        }


@dataclass
class CampaignLinksResult:
    issued: list[LinkRow]
    revoked: list[str]
    existing: list[LinkRow] = field(default_factory=list)  # every link, newest first
    export: Path | None = None

    exit_code = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "issued": [r.to_dict() for r in self.issued],
                "revoked": self.revoked,
                "links": [r.to_dict() for r in self.existing],
                "export": str(self.export) if self.export else None,
            },
            ensure_ascii=False,
            indent=2,
        )


def _base_url(url: str) -> str:
    base = (url or f"http://127.0.0.1:{DEFAULT_PORT}").strip().rstrip("/")
    if not base.startswith(("http://", "https://")) or " " in base:
        raise UsageError(
            f"--url {url} 无效", "请写成 http://本机地址:端口，如 http://192.168.1.20:8700"
        )
    return base


def _export_bytes(rows: list[LinkRow]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    sheet = book.add_worksheet("上传链接")
    bold = book.add_format({"bold": True, "font_name": "宋体"})
    text = book.add_format({"font_name": "宋体"})
    heads = ["单位代码", "单位名称", "上传链接", "有效至", "发放时间"]
    for c, h in enumerate(heads):
        sheet.write_string(0, c, h, bold)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate([row.code, row.name, row.url, row.expires_on, row.issued_at]):
            sheet.write_string(r, c, v, text)  # text, never a formula or a hyperlink
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 80)
    sheet.set_column(3, 4, 20)
    sheet.autofilter(0, 0, max(1, len(rows)), len(heads) - 1)
    book.close()
    return buf.getvalue()


def campaign_links(req: CampaignLinksRequest) -> CampaignLinksResult:
    """Revoke the links named in ``revoke``, then issue new ones (see the module)."""
    base = _base_url(req.url)
    if req.expires is not None:
        try:
            dt.date.fromisoformat(req.expires)
        except ValueError:
            raise UsageError(f"--expires {req.expires} 不是日期", "请写成 2025-12-31") from None
    export = Path(req.export) if req.export else None
    if export is not None and export.suffix.lower() != ".xlsx":
        raise UsageError(f"--export {export} 应为 .xlsx 文件", "如 --export 上传链接.xlsx")
    with open_campaign(req.campaign) as camp:
        known = {c for (c,) in camp.conn.execute("SELECT code FROM agencies")}
        unknown = [c for c in (*req.codes, *req.revoke) if c not in known]
        if unknown:
            raise UsageError(
                f"花名册中没有单位 {'、'.join(unknown)}", "请用 campaign status 查看单位代码"
            )
        revoked = revoke_links(camp, list(req.revoke), "报送负责人停用") if req.revoke else []
        issued: list[IssuedLink] = []
        if req.codes or not req.revoke:
            issued = issue_links(camp, list(req.codes) or None, req.expires)
        rows = [
            LinkRow(
                i.agency_code, i.agency_name, f"{base}/u/{i.token}", i.issued_at, i.expires_on, ""
            )
            for i in issued
        ]
        existing = [
            LinkRow(i.agency_code, i.agency_name, "", i.issued_at, i.expires_on, i.revoked_at)
            for i in list_links(camp)
        ]
    if export is not None and rows:
        atomic_write_bytes(export, _export_bytes(rows), private=True)
    return CampaignLinksResult(rows, revoked, existing, export if rows else None)
