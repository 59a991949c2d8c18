"""The roster the ingest's checks look up in the ledger reads as the roster's dict does."""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

from campaign_helpers import YEAR, agencies, write_roster

from xlreport.ledger.campaign import create_campaign, update_roster
from xlreport.ledger.roster_lookup import LedgerRoster
from xlreport.ledger.schema import LEDGER_FILE


def _lookup(roster: LedgerRoster) -> tuple[str, bool, int]:
    return roster["QH002"], "QH999" in roster, len(roster)


def test_ledger_roster_is_the_roster_as_a_mapping(tmp_path: Path) -> None:
    rows = agencies(5)
    camp, _ = create_campaign(
        tmp_path / "c", year=YEAR, roster=write_roster(tmp_path / "r.csv", rows)
    )
    with camp:
        expected = dict(camp.conn.execute("SELECT code, name FROM agencies"))
        roster = LedgerRoster(camp.dir / LEDGER_FILE)
        assert dict(roster) == expected == {a.code: a.name for a in rows}
        assert dict(roster.items()) == expected and len(roster) == 5
        assert "QH003" in roster and "QH999" not in roster and 3 not in roster
        assert roster.get("QH999") is None and roster["QH001"] == rows[0].name
        # a worker process gets the path and opens its own connection
        copy = pickle.loads(pickle.dumps(roster))
        assert copy == roster and dict(copy) == expected
        with multiprocessing.get_context().Pool(1) as pool:
            assert pool.apply(_lookup, (roster,)) == (rows[1].name, False, 5)
        # asked later, a name is the roster's of that moment
        renamed = [rows[0], rows[1].__class__(rows[1].code, "清河县改名单位", rows[1].type)]
        update_roster(camp, write_roster(tmp_path / "r2.csv", [*renamed, *rows[2:]]))
        assert roster["QH002"] == "清河县改名单位"
