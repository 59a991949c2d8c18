"""A rule-based state machine over a campaign: ingest (new, fixed, broken, unchanged,
duplicate, unknown agency), approve, approve all clean, return, withdraw an approval,
roster updates (withdraw, restore, rename). After every step the ledger must agree with
a model of the transition table, the chain must verify, an approved agency's current
version must be clean, and every file must be accounted for."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from campaign_helpers import COUNTY, PASSWORD, YEAR, agencies, broken, valid_values, write_roster
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from xlreport.ledger import (
    STATE_APPROVED,
    STATE_NONE,
    TRANSITIONS,
    Campaign,
    approve,
    create_campaign,
    ingest,
    return_agency,
    unapprove,
    update_roster,
    verify,
)
from xlreport.roster import Agency
from xlreport.spec import resolve_layout
from xlreport.template import agency_identity
from xlreport.writer import build_workbook

AGENCIES = agencies(3)
NEXT = {(f, a): t for f, a, t in TRANSITIONS}
#: The files an agency may send: (values key, clean?, sign-off filler).
VARIANTS = {
    "v1": ("v1", True, "张三"),
    "v1-resaved": ("v1", True, "李四"),  # the same figures, other bytes
    "v2": ("v2", True, "张三"),
    "bad": ("bad", False, "张三"),
}


@dataclass(frozen=True)
class Pool:
    folder: Path
    files: dict[tuple[str, str], Path]  # (agency code | "unknown", variant) → file


def _build_pool() -> Pool:
    layout = resolve_layout("gov-2021")
    folder = Path(tempfile.mkdtemp(prefix="xlr-campaign-pool-"))
    files: dict[tuple[str, str], Path] = {}
    stranger = Agency("ZZ001", "不在名单的单位", "其他")
    for i, a in enumerate([*AGENCIES, stranger]):
        good: dict[str, Decimal | str] = valid_values(layout, i)
        by_key = {"v1": good, "v2": valid_values(layout, 100 + i), "bad": broken(good)}
        ident = agency_identity(layout, YEAR, a, county=COUNTY)
        for variant, (key, _clean, filler) in VARIANTS.items():
            data = build_workbook(
                layout, ident, password=PASSWORD, values=by_key[key], signoff={"filler": filler}
            )
            path = folder / f"{a.code}-{variant}.xlsx"
            path.write_bytes(data)
            files[(a.code if a is not stranger else "unknown", variant)] = path
    return Pool(folder, files)


POOL = _build_pool()
CODES = st.sampled_from([a.code for a in AGENCIES])


class CampaignMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="xlr-campaign-sm-"))
        roster = write_roster(self.tmp / "名单.csv", AGENCIES)
        self.camp, _ = create_campaign(self.tmp / "活动", year=YEAR, roster=roster, county=COUNTY)
        self.state = {a.code: STATE_NONE for a in AGENCIES}
        self.current: dict[str, tuple[str, bool] | None] = {a.code: None for a in AGENCIES}
        self.withdrawn: set[str] = set()
        self.renamed: set[str] = set()
        self.seen: set[Path] = set()  # pool files whose bytes the ledger has
        self.sent = 0

    def teardown(self) -> None:
        self.camp.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _send(self, source: Path) -> str:
        self.sent += 1
        target = self.tmp / "sent" / f"{self.sent:04d}-{source.name}"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        (item,) = ingest(self.camp, [target], workers=1).items
        return item.outcome

    @rule(code=CODES, variant=st.sampled_from(sorted(VARIANTS)))
    def send(self, code: str, variant: str) -> None:
        source = POOL.files[(code, variant)]
        key, clean, _ = VARIANTS[variant]
        outcome = self._send(source)
        if source in self.seen:
            assert outcome == "duplicate"
        elif code in self.withdrawn:
            assert outcome == "refused"
        elif self.current[code] is not None and self.current[code] == (key, clean):
            assert outcome == "unchanged"
        else:
            assert outcome == "version"
            action = "submit-clean" if clean else "submit-errors"
            self.state[code] = NEXT[(self.state[code], action)]
            self.current[code] = (key, clean)
        self.seen.add(source)

    @rule(variant=st.sampled_from(["v1", "bad"]))
    def send_stranger(self, variant: str) -> None:
        source = POOL.files[("unknown", variant)]
        outcome = self._send(source)
        assert outcome == ("duplicate" if source in self.seen else "refused")
        self.seen.add(source)

    def _decided(self, code: str, action: str, done: bool) -> None:
        allowed = (
            code not in self.withdrawn
            and (self.state[code], action) in NEXT
            and self.current[code] is not None
            and (action != "approve" or bool(self.current[code] and self.current[code][1]))
        )
        assert done == allowed, (code, action, self.state[code])
        if done:
            self.state[code] = NEXT[(self.state[code], action)]

    @rule(code=CODES)
    def approve_one(self, code: str) -> None:
        (change,) = approve(self.camp, [code])
        self._decided(code, "approve", change.done)

    @rule()
    def approve_all_clean(self) -> None:
        expected = [
            c for c in self.state if c not in self.withdrawn and (self.state[c], "approve") in NEXT
        ]
        changes = approve(self.camp, all_clean=True)
        assert sorted(c.agency_code for c in changes) == sorted(expected)
        for c in changes:
            self._decided(c.agency_code, "approve", c.done)

    @rule(code=CODES)
    def send_back(self, code: str) -> None:
        self._decided(code, "return", return_agency(self.camp, code, "请改正").done)

    @rule(code=CODES)
    def withdraw_approval(self, code: str) -> None:
        self._decided(code, "unapprove", unapprove(self.camp, code, "重新核对").done)

    @rule(code=CODES, withdraw=st.booleans(), rename=st.booleans())
    def new_roster(self, code: str, withdraw: bool, rename: bool) -> None:
        gone = self.withdrawn ^ {code} if withdraw else set(self.withdrawn)
        renamed = self.renamed ^ {code} if rename else set(self.renamed)
        rows = [
            Agency(a.code, a.name + ("（新名）" if a.code in renamed else ""), a.type)
            for a in AGENCIES
            if a.code not in gone
        ]
        if not rows:
            return
        path = self.tmp / f"名单{self.sent}-{len(gone)}.csv"
        changes, _ = update_roster(self.camp, write_roster(path, rows))
        self.withdrawn, self.renamed = gone, renamed
        # a withdrawn agency keeps its name; renames apply to listed agencies only
        assert {c.code for c in changes if c.change == "withdrawn"} <= gone

    @invariant()
    def ledger_matches_the_model(self) -> None:
        rows = {r["code"]: r for r in self.camp.agencies()}
        assert {c: rows[c]["state"] for c in self.state} == self.state
        assert {c for c, r in rows.items() if r["withdrawn"]} == self.withdrawn

    @invariant()
    def approved_means_a_clean_current_version(self) -> None:
        bad = self.camp.conn.execute(
            "SELECT a.code FROM agencies a JOIN versions v ON v.id = a.current_version"
            " WHERE a.state = ? AND v.errors > 0",
            (STATE_APPROVED,),
        ).fetchall()
        assert bad == []
        wrong_owner = self.camp.conn.execute(
            "SELECT a.code FROM agencies a JOIN versions v ON v.id = a.current_version"
            " WHERE v.agency_code != a.code"
        ).fetchall()
        assert wrong_owner == []

    @invariant()
    def chain_and_files_verify(self) -> None:
        assert verify(self.camp) == []
        conn = self.camp.conn
        assert conn.execute("SELECT COUNT(*) FROM arrivals").fetchone()[0] == self.sent
        assert conn.execute("SELECT COUNT(DISTINCT sha256) FROM files").fetchone()[0] == len(
            self.seen
        )
        stored = {p.name.split(".")[0] for p in (self.camp.dir / "store").rglob("*.xlsx")}
        assert stored == {s for (s,) in conn.execute("SELECT sha256 FROM files")}


CampaignMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCampaignMachine = CampaignMachine.TestCase


def test_campaign_open_again_sees_the_same(tmp_path: Path) -> None:
    """The machine's ledger reopened from disk is the same ledger (not an in-memory view)."""
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    camp, _ = create_campaign(tmp_path / "c", year=YEAR, roster=roster, county=COUNTY)
    with camp:
        ingest(camp, [POOL.files[(AGENCIES[0].code, "v1")]], workers=1)
    with Campaign.open(tmp_path / "c") as again:
        assert again.agencies()[0]["state"] == "已报（待审核）"
        assert verify(again) == []
