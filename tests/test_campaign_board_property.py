"""The board and the campaign merge under the campaign state machine (tests/
test_campaign_property.py): after every step the board's counts are what the events say
and the merge of the approved versions is the sum of their recorded values."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import test_campaign_property as base
from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant

from xlreport.campaign.board import TOTAL
from xlreport.campaign.records import campaign_board
from xlreport.campaign.summary import merge_from_ledger
from xlreport.ledger.queries import current_versions, values_of
from xlreport.ledger.schema import (
    STATE_APPROVED,
    STATE_FIX,
    STATE_NONE,
    STATE_PENDING,
    STATE_RETURNED,
)


class BoardMachine(base.CampaignMachine):
    @invariant()
    def board_counts_are_the_events(self) -> None:
        conn = self.camp.conn
        replayed = {a.code: STATE_NONE for a in base.AGENCIES}
        for code, after in conn.execute(
            "SELECT agency_code, to_state FROM events WHERE to_state IS NOT NULL ORDER BY id"
        ):
            replayed[code] = after
        live = {c: s for c, s in replayed.items() if c not in self.withdrawn}
        board = campaign_board(self.camp, "2025-01-10T00:00:00+00:00")
        t = board.by_type[TOTAL]
        states = Counter(live.values())
        assert t.expected == len(live)
        assert t.missing == states[STATE_NONE] and t.received == len(live) - t.missing
        assert t.approved == states[STATE_APPROVED] and t.pending == states[STATE_PENDING]
        assert t.to_fix == states[STATE_FIX] + states[STATE_RETURNED]
        assert {a.code for a in board.to_fix} == {
            c for c, s in live.items() if s in (STATE_FIX, STATE_RETURNED)
        }

    @invariant()
    def merge_is_the_sum_of_the_approved_versions(self) -> None:
        current = current_versions(self.camp.conn)
        rows = {r["code"]: r for r in self.camp.agencies()}
        approved = [
            v
            for code, v in current.items()
            if rows[code]["state"] == STATE_APPROVED and not rows[code]["withdrawn"]
        ]
        if not approved:
            return
        out = self.tmp / "summary" / "汇总.xlsx"
        with self.camp.snapshot() as conn:
            shas = [v.sha256 for v in approved]
            result = merge_from_ledger(self.camp, conn, shas, out, allow_missing=True)
        assert result.summary_written, result.problem
        recorded = [values_of(self.camp, v.sha256) for v in approved]
        for cell in self.camp.layout.inputs():
            expected = Decimal(0)
            for values in recorded:
                assert values is not None
                expected += values.get(cell.id, Decimal(0)) or Decimal(0)
            assert result.values[cell.id] == expected


BoardMachine.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBoardMachine = BoardMachine.TestCase
