"""The campaign ledger: init, ingest (versions, duplicates, refusals, unchanged), states,
roster history, the event chain and verify."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from campaign_helpers import (
    COUNTY,
    YEAR,
    agencies,
    broken,
    valid_values,
    write_return,
    write_roster,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from xlreport.errors import UsageError
from xlreport.ledger import (
    STATE_APPROVED,
    STATE_FIX,
    STATE_NONE,
    STATE_PENDING,
    STATE_RETURNED,
    Campaign,
    approve,
    create_campaign,
    ingest,
    return_agency,
    schema,
    unapprove,
    update_roster,
    verify,
)
from xlreport.ledger.schema import LEDGER_FILE, SCHEMA_VERSION, connect, migrate
from xlreport.roster import Agency, load_roster

AGENCIES = agencies(4)


@pytest.fixture
def camp(tmp_path: Path) -> Iterator[Campaign]:
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    made, _notes = create_campaign(
        tmp_path / "活动", year=YEAR, roster=roster, county=COUNTY, deadline="2025-01-20"
    )
    with made:
        yield made


def _state(camp: Campaign, code: str) -> str:
    return str(
        camp.conn.execute("SELECT state FROM agencies WHERE code = ?", (code,)).fetchone()[0]
    )


def _count(camp: Campaign, table: str) -> int:
    return int(camp.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def test_init_makes_the_folder_ledger_and_templates(camp: Campaign) -> None:
    for sub in ("templates", "inbox", "receipts", "notices", "summary", "store"):
        assert (camp.dir / sub).is_dir()
    assert len(list((camp.dir / "templates").glob("*.xlsx"))) == len(AGENCIES)
    assert camp.info.year == YEAR and camp.info.county == COUNTY
    assert camp.info.deadline == "2025-01-20"
    rows = camp.agencies()
    assert [r["code"] for r in rows] == [a.code for a in AGENCIES]
    assert rows[0]["contact"] == AGENCIES[0].contact and rows[0]["email"] == AGENCIES[0].email
    assert {r["state"] for r in rows} == {STATE_NONE}
    assert verify(camp) == []
    assert camp.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert camp.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_init_refuses_a_folder_with_files(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="已存在"):
        create_campaign(tmp_path / "x", year=YEAR, roster=roster)
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"
    with pytest.raises(UsageError, match="截止日期"):
        create_campaign(tmp_path / "y", year=YEAR, roster=roster, deadline="2025-13-01")
    assert not (tmp_path / "y").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_ingest_records_versions_states_and_receipts(camp: Campaign) -> None:
    layout = camp.layout
    inbox = camp.dir / "inbox"
    a1 = write_return(inbox / "一.xlsx", AGENCIES[0], valid_values(layout, 1))
    write_return(inbox / "二.xlsx", AGENCIES[1], broken(valid_values(layout, 2)))
    before = a1.read_bytes()
    report = ingest(camp, workers=1)
    by_code = {i.agency_code: i for i in report.items}
    assert by_code["QH001"].outcome == "version" and by_code["QH001"].round == 1
    assert by_code["QH001"].state_after == STATE_PENDING
    assert by_code["QH002"].state_after == STATE_FIX and by_code["QH002"].errors >= 1
    assert by_code["QH001"].receipt == f"{YEAR}-QH001-001"
    assert a1.read_bytes() == before  # the original is never changed, moved or deleted
    stored = (
        camp.dir
        / camp.conn.execute(
            "SELECT stored_path FROM files WHERE sha256 = ?", (by_code["QH001"].sha256,)
        ).fetchone()[0]
    )
    assert stored.read_bytes() == before
    assert _count(camp, "values") == 2 and _count(camp, "findings") >= 1

    again = ingest(camp, workers=1)  # idempotent: nothing changes
    assert {i.outcome for i in again.items} == {"already"}
    assert _count(camp, "arrivals") == 2


def test_duplicate_unchanged_and_resubmission(camp: Campaign, tmp_path: Path) -> None:
    layout = camp.layout
    inbox = camp.dir / "inbox"
    first = write_return(inbox / "r1.xlsx", AGENCIES[1], broken(valid_values(layout, 2)))
    ingest(camp, workers=1)
    events = _count(camp, "events")
    shutil.copy(first, tmp_path / "copy.xlsx")
    dup = ingest(camp, [tmp_path / "copy.xlsx"], workers=1).items[0]
    assert dup.outcome == "duplicate" and dup.code == "campaign-duplicate"
    assert _count(camp, "versions") == 1 and _count(camp, "events") == events + 1

    # the same figures in a new file (other bytes: another file name inside nothing else)
    same = write_return(tmp_path / "same.xlsx", AGENCIES[1], broken(valid_values(layout, 2)))
    with same.open("ab") as f:
        f.write(b"")
    resaved = tmp_path / "resaved.xlsx"
    data = bytearray(first.read_bytes())
    resaved.write_bytes(bytes(data))
    assert ingest(camp, [resaved], workers=1).items[0].outcome == "duplicate"

    fixed = write_return(tmp_path / "fixed.xlsx", AGENCIES[1], valid_values(layout, 2))
    item = ingest(camp, [fixed], workers=1).items[0]
    assert item.outcome == "version" and item.round == 2
    assert (item.state_before, item.state_after) == (STATE_FIX, STATE_PENDING)
    assert item.receipt == f"{YEAR}-QH002-002"


def test_unchanged_values_are_refused(camp: Campaign, tmp_path: Path) -> None:
    layout = camp.layout
    values = valid_values(layout, 5)
    write_return(tmp_path / "a.xlsx", AGENCIES[2], values)
    ingest(camp, [tmp_path / "a.xlsx"], workers=1)
    # same figures, different bytes: another year's identity would differ, so change the
    # sign-off only (what an agency does when it "re-sends" without fixing anything)
    from xlreport.template import agency_identity
    from xlreport.writer import build_workbook

    ident = agency_identity(layout, YEAR, AGENCIES[2], county=COUNTY)
    data = build_workbook(layout, ident, password="x", values=values, signoff={"filler": "王五"})
    (tmp_path / "b.xlsx").write_bytes(data)
    item = ingest(camp, [tmp_path / "b.xlsx"], workers=1).items[0]
    assert item.outcome == "unchanged" and item.code == "campaign-unchanged"
    assert "第 1 轮" in item.message
    assert _count(camp, "versions") == 1
    assert verify(camp) == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"year": YEAR - 1}, "campaign-wrong-year"),
        ({"county": "别的县"}, "campaign-wrong-county"),
        ({"layout": "gov-2019"}, "campaign-wrong-layout"),
        ({"agency": Agency("ZZ999", "不在名单的单位")}, "campaign-unknown-agency"),
    ],
)
def test_refusals_are_recorded_with_their_code(
    camp: Campaign, tmp_path: Path, kwargs: dict[str, object], code: str
) -> None:
    from xlreport.spec import resolve_layout

    agency = kwargs.pop("agency", AGENCIES[0])
    assert isinstance(agency, Agency)
    layout_id = kwargs.pop("layout", None)
    layout = resolve_layout(str(layout_id)) if layout_id else camp.layout
    path = write_return(
        tmp_path / "f.xlsx",
        agency,
        valid_values(layout, 7),
        layout=layout,
        **kwargs,  # type: ignore[arg-type]
    )
    item = ingest(camp, [path], workers=1).items[0]
    assert (item.outcome, item.code) == ("refused", code)
    row = camp.conn.execute("SELECT outcome, code FROM arrivals").fetchone()
    assert tuple(row) == ("refused", code)
    assert _count(camp, "versions") == 0 and _state(camp, "QH001") == STATE_NONE
    assert ingest(camp, [path], workers=1).items[0].outcome == "already"


def test_unreadable_file_is_refused_and_stored(camp: Campaign, tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook at all")
    item = ingest(camp, [bad], workers=1).items[0]
    assert (item.outcome, item.code) == ("refused", "campaign-refused-unreadable")
    assert verify(camp) == []


def test_transitions_approve_return_unapprove(camp: Campaign, tmp_path: Path) -> None:
    layout = camp.layout
    write_return(tmp_path / "a.xlsx", AGENCIES[0], valid_values(layout, 1))
    write_return(tmp_path / "b.xlsx", AGENCIES[1], broken(valid_values(layout, 2)))
    report = ingest(camp, [tmp_path], workers=1)  # the campaign folder inside is left alone
    assert report.count("version") == 2 and report.count("skipped") >= len(AGENCIES)
    refused = approve(camp, ["QH002", "QH003", "NOPE"])
    assert [c.done for c in refused] == [False, False, False]
    assert [c.code for c in refused] == [
        "campaign-not-allowed",
        "campaign-not-allowed",
        "campaign-agency-missing",
    ]
    done = approve(camp, all_clean=True)
    assert [(c.agency_code, c.state_after) for c in done] == [("QH001", STATE_APPROVED)]
    with pytest.raises(UsageError, match="原因"):
        unapprove(camp, "QH001", "  ")
    back = unapprove(camp, "QH001", "数字待核实")
    assert back.done and back.state_after == STATE_PENDING
    ret = return_agency(camp, "QH002", "第三部分第1行单位写了汉字")
    assert ret.done and ret.state_after == STATE_RETURNED
    ev = camp.conn.execute(
        "SELECT reason, sha256, check_run_id FROM events WHERE kind = 'agency-return'"
    ).fetchone()
    assert ev[0] == "第三部分第1行单位写了汉字" and ev[1] and ev[2]
    write_return(tmp_path / "b2.xlsx", AGENCIES[1], valid_values(layout, 2))
    item = ingest(camp, [tmp_path / "b2.xlsx"], workers=1).items[0]
    assert (item.state_before, item.state_after) == (STATE_RETURNED, STATE_PENDING)
    assert verify(camp) == []


def test_sql_refuses_approval_of_a_version_with_errors(camp: Campaign, tmp_path: Path) -> None:
    write_return(tmp_path / "b.xlsx", AGENCIES[1], broken(valid_values(camp.layout, 2)))
    ingest(camp, [tmp_path], workers=1)
    from xlreport.ledger.chain import append_event

    with pytest.raises(sqlite3.DatabaseError), camp.writing() as conn:  # neither code nor SQL
        append_event(
            conn,
            at="t",
            kind="agency-approve",
            agency_code="QH002",
            from_state=STATE_PENDING,
            action="approve",
            to_state=STATE_APPROVED,
            version_id=1,
        )
    with pytest.raises(sqlite3.DatabaseError), camp.writing() as conn:  # not in the table
        append_event(
            conn, at="t", kind="x", agency_code="QH002", from_state=STATE_NONE,
            action="approve", to_state=STATE_APPROVED,
        )  # fmt: skip
    assert verify(camp) == []


def test_roster_update_keeps_history(camp: Campaign, tmp_path: Path) -> None:
    renamed = Agency("QH002", "清河县改名后的单位", "部门")
    new = Agency("QH009", "清河县新设单位", "街道", "赵六", "123", "z@example.cn")
    roster = write_roster(tmp_path / "新名单.csv", [AGENCIES[0], renamed, AGENCIES[3], new])
    changes, _ = update_roster(camp, roster)
    kinds = sorted((c.change, c.code) for c in changes)
    assert kinds == [("added", "QH009"), ("renamed", "QH002"), ("withdrawn", "QH003")]
    rows = {r["code"]: r for r in camp.agencies()}
    assert rows["QH003"]["withdrawn"] == 1 and rows["QH002"]["name"] == renamed.name
    assert _count(camp, "agencies") == 5  # nothing deleted
    templates = [p.name for p in (camp.dir / "templates").glob("*.xlsx")]
    assert any(new.name in t for t in templates) and any(renamed.name in t for t in templates)

    # a return from the old template (old name) still counts: the name is in the history
    old = write_return(tmp_path / "old.xlsx", AGENCIES[1], valid_values(camp.layout, 3))
    item = ingest(camp, [old], workers=1).items[0]
    assert item.outcome == "version" and item.errors == 0, item.message
    gone = write_return(tmp_path / "gone.xlsx", AGENCIES[2], valid_values(camp.layout, 4))
    assert ingest(camp, [gone], workers=1).items[0].code == "campaign-agency-withdrawn"

    back, _ = update_roster(camp, write_roster(tmp_path / "三.csv", AGENCIES))
    assert ("restored", "QH003") in {(c.change, c.code) for c in back}
    hist = camp.conn.execute("SELECT COUNT(*) FROM agency_history WHERE code = 'QH003'")
    assert hist.fetchone()[0] == 3  # added, withdrawn, restored
    assert verify(camp) == []
    assert load_roster(roster)[3] == new  # the optional columns are read


def test_events_are_append_only_and_verify_names_what_is_wrong(
    camp: Campaign, tmp_path: Path
) -> None:
    write_return(tmp_path / "a.xlsx", AGENCIES[0], valid_values(camp.layout, 1))
    ingest(camp, [tmp_path], workers=1)
    with pytest.raises(sqlite3.DatabaseError):
        camp.conn.execute("UPDATE events SET reason = 'x' WHERE id = 2")
    with pytest.raises(sqlite3.DatabaseError):
        camp.conn.execute("DELETE FROM events WHERE id = 2")
    # a determined edit (triggers dropped) is caught by the chain
    camp.conn.execute("DROP TRIGGER events_no_update")
    camp.conn.execute("UPDATE events SET reason = '改过' WHERE id = 3")
    problems = verify(camp)
    assert [(p.code, p.event_id) for p in problems] == [("campaign-chain-broken", 3)]
    assert "事件 #3" in problems[0].message and "改动" in problems[0].message

    stored = camp.conn.execute("SELECT stored_path, sha256 FROM files").fetchone()
    path = camp.dir / stored[0]
    path.chmod(0o644)
    path.write_bytes(b"changed")
    found = [p for p in verify(camp) if p.code == "campaign-file-damaged"]
    assert len(found) == 1 and found[0].sha256 == stored[1] and stored[0] in found[0].message
    path.unlink()
    assert "不存在" in next(p for p in verify(camp) if p.code == "campaign-file-damaged").message


def test_state_tampering_is_found(camp: Campaign, tmp_path: Path) -> None:
    write_return(tmp_path / "a.xlsx", AGENCIES[0], valid_values(camp.layout, 1))
    ingest(camp, [tmp_path], workers=1)
    camp.conn.execute("UPDATE agencies SET state = ? WHERE code = 'QH001'", (STATE_APPROVED,))
    problems = verify(camp)
    assert [p.code for p in problems] == ["campaign-state-mismatch"]
    assert "QH001" in problems[0].message


def test_values_tampering_is_found(camp: Campaign, tmp_path: Path) -> None:
    """The recorded values are what the campaign's merge adds up: a change to them is
    found (against the digest kept with the version, and that against its event)."""
    write_return(tmp_path / "a.xlsx", AGENCIES[0], valid_values(camp.layout, 1))
    ingest(camp, [tmp_path], workers=1)
    (packed,) = camp.conn.execute('SELECT packed FROM "values"').fetchone()
    changed = re.sub(r"\d", lambda m: "7" if m.group(0) != "7" else "8", packed, count=1)
    camp.conn.execute('UPDATE "values" SET packed = ?', (changed,))
    problems = verify(camp)
    assert [p.code for p in problems] == ["campaign-ledger-damaged"]
    assert "QH001" in problems[0].message and "数值" in problems[0].message
    # the digest changed along with them: the event still has the one recorded
    camp.conn.execute(
        "UPDATE versions SET values_sha256 = ?",
        (hashlib.sha256(changed.encode()).hexdigest(),),
    )
    problems = verify(camp)
    assert [(p.code, p.event_id is not None) for p in problems] == [
        ("campaign-ledger-damaged", True)
    ]


def test_verify_reports_damage_it_cannot_read_past(camp: Campaign, tmp_path: Path) -> None:
    write_return(tmp_path / "a.xlsx", AGENCIES[0], valid_values(camp.layout, 1))
    ingest(camp, [tmp_path], workers=1)
    camp.conn.execute("DROP TRIGGER events_no_update")
    camp.conn.execute("UPDATE events SET action = NULL WHERE action IS NOT NULL")
    problems = verify(camp)  # no crash on a missing action
    assert problems and {p.code for p in problems} <= {
        "campaign-chain-broken",
        "campaign-state-mismatch",
    }


def test_an_emptied_ledger_is_refused_not_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "活动"
    roster = write_roster(tmp_path / "r.csv", AGENCIES)
    create_campaign(folder, year=YEAR, roster=roster)[0].close()
    (folder / LEDGER_FILE).write_bytes(b"")
    with pytest.raises(UsageError, match="文件是空的或已损坏"):
        Campaign.open(folder)
    assert (folder / LEDGER_FILE).read_bytes() == b""


def test_newer_ledger_is_refused_older_is_migrated_after_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / LEDGER_FILE
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(UsageError, match="更新版本"):
        migrate(conn, path, "now")
    conn.close()

    old = tmp_path / "old" / LEDGER_FILE
    old.parent.mkdir()
    c2 = connect(old)
    assert migrate(c2, old, "t0") == 0
    c2.execute("INSERT INTO check_runs VALUES (1, 't', 'g', 'f', '{}')")

    def step(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE check_runs ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setitem(schema.MIGRATIONS, SCHEMA_VERSION + 1, ("测试用的下一版", step))
    assert migrate(c2, old, "t1", target=SCHEMA_VERSION + 1) == SCHEMA_VERSION
    assert c2.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert c2.execute("SELECT note FROM check_runs").fetchall() == [("",)]
    versions = c2.execute("SELECT version, applied_at FROM schema_migrations ORDER BY version")
    made = [(v, "t0") for v in range(1, SCHEMA_VERSION + 1)]
    assert versions.fetchall() == [*made, (SCHEMA_VERSION + 1, "t1")]
    c2.close()
    backup = old.with_name(f"{LEDGER_FILE}.v{SCHEMA_VERSION}.bak")
    b = sqlite3.connect(backup)
    assert b.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert b.execute("SELECT COUNT(*) FROM check_runs").fetchone()[0] == 1
    b.close()


def test_a_version_1_ledger_gets_the_links_table_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILE
    conn = connect(path)
    assert migrate(conn, path, "t0", target=1) == 0
    conn.execute("INSERT INTO check_runs VALUES (1, 't', 'g', 'f', '{}')")
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'links'").fetchall() == []
    assert migrate(conn, path, "t1") == 1
    tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'links'")
    assert tables.fetchall() == [("links",)]
    assert conn.execute("SELECT COUNT(*) FROM check_runs").fetchone()[0] == 1
    conn.close()
    backup = sqlite3.connect(path.with_name(f"{LEDGER_FILE}.v1.bak"))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    backup.close()


def test_a_missing_ledger_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="不是收集活动文件夹"):
        Campaign.open(tmp_path)


def test_ledger_json_columns_are_canonical(camp: Campaign, tmp_path: Path) -> None:
    write_return(tmp_path / "a.xlsx", AGENCIES[0], valid_values(camp.layout, 1))
    ingest(camp, [tmp_path], workers=1)
    ident, packed = camp.conn.execute(
        'SELECT f.identity, v.packed FROM files f JOIN "values" v USING (sha256)'
    ).fetchone()
    assert json.loads(ident)["agency_code"] == "QH001"
    from xlreport.ledger import unpack_json

    assert len(unpack_json(packed)) == len(camp.layout.compiled.input_ids)


def test_queries_give_back_what_was_recorded(camp: Campaign, tmp_path: Path) -> None:
    from xlreport.batch import check_file
    from xlreport.checks.model import CheckOptions
    from xlreport.ledger.queries import (
        current_versions,
        events_of,
        findings_of,
        identity_of,
        receipt,
        return_data_of,
        values_of,
        versions_of,
    )

    layout = camp.layout
    path = write_return(tmp_path / "b.xlsx", AGENCIES[1], broken(valid_values(layout, 2)))
    write_return(tmp_path / "b2.xlsx", AGENCIES[1], valid_values(layout, 2))
    ingest(camp, [path], workers=1)
    ingest(camp, [tmp_path / "b2.xlsx"], workers=1)
    first, second = versions_of(camp.conn, "QH002")
    assert (first.round, first.verdict, second.round, second.verdict) == (1, "error", 2, "ok")
    assert current_versions(camp.conn) == {"QH002": second}
    direct = check_file(path, CheckOptions(layout=layout, year=YEAR, county=COUNTY))
    assert direct.data is not None
    from dataclasses import replace

    expected = [replace(f, file="b.xlsx") for f in direct.report.findings]
    assert findings_of(camp.conn, first.sha256) == expected
    assert [f.at for f in findings_of(camp.conn, first.sha256)] == [
        f.at for f in direct.report.findings
    ]
    assert dict(values_of(camp, first.sha256) or {}) == dict(direct.data.values)
    assert identity_of(camp.conn, first.sha256) == direct.data.identity
    kinds = [e["kind"] for e in events_of(camp.conn, "QH002")]
    assert kinds == ["agency-added", "file-version", "file-version"]
    got = receipt(camp.conn, f"{YEAR}-QH002-002")
    assert got is not None and got["sha256"] == second.sha256 and got["round"] == 2
    assert receipt(camp.conn, "2024-QH002-999") is None
    data = return_data_of(camp, first.sha256)
    assert data is not None
    for name in ("sha256", "identity", "signoff", "saved_at", "file_mtime", "blank_cells"):
        assert getattr(data, name) == getattr(direct.data, name), name
    assert dict(data.values) == dict(direct.data.values)
    assert data.path == str(path.absolute())


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(),
            st.decimals(allow_nan=False, allow_infinity=False, places=None),
        ),
        max_size=20,
    )
)
@settings(max_examples=60)
def test_packed_values_round_trip_exactly(values: list[object]) -> None:
    from xlreport.ledger.ingest import _pack_json
    from xlreport.ledger.ingest import unpack_json as back

    packed = tuple(values)
    text = _pack_json(packed)  # type: ignore[arg-type]
    again = back(text)
    assert again == packed
    assert [type(v) for v in again] == [type(v) for v in packed]
    assert [str(v) for v in again] == [str(v) for v in packed]  # 1.50 stays 1.50


def test_a_damaged_ledger_is_one_chinese_line(camp: Campaign) -> None:
    folder = camp.dir
    camp.close()
    for extra in ("-wal", "-shm"):
        (folder / f"{LEDGER_FILE}{extra}").unlink(missing_ok=True)
    (folder / LEDGER_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(UsageError, match="无法打开"):
        Campaign.open(folder)


def test_a_campaign_with_its_own_layout_file(tmp_path: Path) -> None:
    from xlreport.spec import templates_dir

    spec = tmp_path / "本县格式.toml"
    spec.write_bytes((templates_dir() / "qinghe-2024.toml").read_bytes())
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    made, _ = create_campaign(tmp_path / "c", year=YEAR, roster=roster, county=COUNTY, spec=spec)
    with made as camp:
        assert camp.info.spec_file == "layout.toml" and camp.layout.id == "qinghe-2024"
        spec.unlink()  # the campaign keeps its own copy
    with Campaign.open(tmp_path / "c") as camp:
        path = write_return(
            tmp_path / "r.xlsx", AGENCIES[0], valid_values(camp.layout, 1), layout=camp.layout
        )
        item = ingest(camp, [path], workers=1).items[0]
        assert (item.outcome, item.errors) == ("version", 0), item.message
        (camp.dir / "layout.toml").chmod(0o644)
        text = (camp.dir / "layout.toml").read_text(encoding="utf-8")
        (camp.dir / "layout.toml").write_text(
            text.replace("version = 1", "version = 2", 1), encoding="utf-8"
        )
    with Campaign.open(tmp_path / "c") as camp, pytest.raises(UsageError, match="布局"):
        _ = camp.layout
