"""Agencies' upload links (``xlreport campaign links``, ``xlreport serve``).

A link is ``<base url>/u/<token>``: the token is a random ``secrets.token_urlsafe(32)``
shown once, when issued; the ledger keeps only its sha256 (a copied ledger gives nobody a
working link). A link belongs to one agency, can be revoked, and expires with the campaign
(see :func:`default_expiry`, or ``expires`` when issued). An agency has
at most one link in force: issuing a new one revokes the old.

The table ``links`` is the ledger's (schema version 2, :mod:`xlreport.ledger.schema`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from xlreport.codes import FindingCode
from xlreport.ledger.campaign import Campaign


@dataclass(frozen=True)
class IssuedLink:
    agency_code: str
    agency_name: str
    token: str  # shown once; '' for a link issued earlier (only its hash is kept)
    issued_at: str
    expires_on: str
    revoked_at: str


@dataclass(frozen=True)
class LinkOwner:
    """Whose link a token is, or why it does not work (``refusal`` set)."""

    agency_code: str
    agency_name: str
    expires_on: str
    refusal: FindingCode | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_expiry(camp: Campaign) -> str:
    """The campaign's end: 31 December of the year after the report year (the year the
    reports are collected and published); never sooner than 90 days after the deadline
    (with its grace days) nor than 90 days after the link is issued."""
    end = dt.date(camp.info.year + 1, 12, 31)
    if camp.info.deadline:
        due = dt.date.fromisoformat(camp.info.deadline) + dt.timedelta(days=camp.info.grace_days)
        end = max(end, due + dt.timedelta(days=90))
    today = dt.datetime.fromisoformat(camp.clock()).date()
    return max(end, today + dt.timedelta(days=90)).isoformat()


def issue_links(
    camp: Campaign, codes: list[str] | None, expires_on: str | None
) -> list[IssuedLink]:
    """A new link for each agency named (default: every agency on the roster without a
    link in force); an agency's earlier link is revoked."""
    expiry = expires_on or default_expiry(camp)
    now = camp.clock()
    out: list[IssuedLink] = []
    with camp.writing() as conn:
        agencies = conn.execute(
            "SELECT code, name FROM agencies WHERE withdrawn = 0 ORDER BY seq, code"
        ).fetchall()
        active = {
            c
            for (c,) in conn.execute(
                "SELECT agency_code FROM links WHERE revoked_at IS NULL AND expires_on >= ?",
                (now[:10],),
            )
        }
        wanted = set(codes) if codes else None
        for code, name in agencies:
            if wanted is None and code in active:
                continue
            if wanted is not None and code not in wanted:
                continue
            conn.execute(
                "UPDATE links SET revoked_at = ?, revoked_reason = ? "
                "WHERE agency_code = ? AND revoked_at IS NULL",
                (now, "已发放新链接", code),
            )
            token = secrets.token_urlsafe(32)
            conn.execute(
                "INSERT INTO links (agency_code, token_sha256, issued_at, expires_on)"
                " VALUES (?, ?, ?, ?)",
                (code, token_hash(token), now, expiry),
            )
            out.append(IssuedLink(code, name, token, now, expiry, ""))
    return out


def revoke_links(camp: Campaign, codes: list[str], reason: str) -> list[str]:
    """Revoke the links in force of ``codes``; the codes that had one."""
    now = camp.clock()
    done: list[str] = []
    with camp.writing() as conn:
        for code in codes:
            cur = conn.execute(
                "UPDATE links SET revoked_at = ?, revoked_reason = ? "
                "WHERE agency_code = ? AND revoked_at IS NULL",
                (now, reason, code),
            )
            if cur.rowcount:
                done.append(code)
    return done


def list_links(camp: Campaign) -> list[IssuedLink]:
    """Every link ever issued (newest first per agency), without tokens."""
    rows = camp.conn.execute(
        "SELECT l.agency_code, a.name, l.issued_at, l.expires_on, COALESCE(l.revoked_at, '')"
        " FROM links l JOIN agencies a ON a.code = l.agency_code"
        " ORDER BY a.seq, a.code, l.id DESC"
    ).fetchall()
    return [IssuedLink(c, n, "", i, e, r) for c, n, i, e, r in rows]


def owner_of(camp: Campaign, token: str) -> LinkOwner:
    """Whose link ``token`` is (compared by hash, in constant time), or why it does not work."""
    if not token or len(token) > 200:
        return LinkOwner("", "", "", "serve-link-unknown")
    wanted = token_hash(token)
    row = camp.conn.execute(
        "SELECT l.token_sha256, l.agency_code, a.name, l.expires_on, l.revoked_at, a.withdrawn"
        " FROM links l JOIN agencies a ON a.code = l.agency_code WHERE l.token_sha256 = ?",
        (wanted,),
    ).fetchone()
    if row is None or not hmac.compare_digest(str(row[0]), wanted):
        return LinkOwner("", "", "", "serve-link-unknown")
    _, code, name, expires_on, revoked_at, withdrawn = row
    if revoked_at:
        return LinkOwner(code, name, expires_on, "serve-link-revoked")
    today = dt.datetime.fromisoformat(camp.clock()).date().isoformat()
    if today > expires_on:
        return LinkOwner(code, name, expires_on, "serve-link-expired")
    if withdrawn:
        return LinkOwner(code, name, expires_on, "serve-agency-withdrawn")
    return LinkOwner(code, name, expires_on)
