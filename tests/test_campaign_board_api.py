"""The campaign board API (xlreport.api.campaign_board): merge equals `xlreport merge` over
the same files, documents are reproducible, the merge is recorded in the ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
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

from xlreport.api.campaign import (
    CampaignApproveRequest,
    CampaignIngestRequest,
    CampaignInitRequest,
    CampaignReturnRequest,
    campaign_approve,
    campaign_ingest,
    campaign_init,
    campaign_return,
    open_campaign,
)
from xlreport.api.campaign_board import (
    CampaignMergeRequest,
    CampaignNoticeRequest,
    CampaignReceiptsRequest,
    CampaignStatusRequest,
    ReceiptVerifyRequest,
    campaign_merge,
    campaign_notices,
    campaign_receipts,
    campaign_status,
    verify_receipt,
)
from xlreport.batch.spill import ValueSpill
from xlreport.campaign import summary
from xlreport.campaign.summary import checked_from_ledger
from xlreport.checks.model import CheckOptions
from xlreport.errors import UsageError
from xlreport.merge import merge_paths
from xlreport.spec import resolve_layout

AGENCIES = agencies(4)
LAYOUT = resolve_layout("gov-2021")


def _campaign(tmp_path: Path) -> Path:
    roster = write_roster(tmp_path / "名单.csv", AGENCIES)
    folder = tmp_path / "活动"
    campaign_init(
        CampaignInitRequest(
            folder, YEAR, roster, format_id="gov-2021", name=COUNTY, deadline="2025-01-20"
        )
    )
    return folder


def test_the_campaign_summary_equals_xlreport_merge_over_the_approved_files(
    tmp_path: Path,
) -> None:
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    for i, a in enumerate(AGENCIES[:3]):
        write_return(files / f"{a.code}.xlsx", a, valid_values(LAYOUT, i))
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    campaign_approve(CampaignApproveRequest(all_clean=True, campaign=folder))
    result = campaign_merge(CampaignMergeRequest(folder, allow_missing=True))
    assert result.exit_code == 0 and result.merge is not None
    # the same stored files merged by `xlreport merge` (the roster of the campaign)
    plain = tmp_path / "plain"
    plain.mkdir()
    with open_campaign(folder) as camp:
        stored = [
            folder / p
            for (p,) in camp.conn.execute(
                "SELECT f.stored_path FROM versions v JOIN files f ON f.sha256 = v.sha256"
            )
        ]
    for p in stored:
        shutil.copyfile(p, plain / p.name)
    out = tmp_path / "plain.xlsx"
    direct = merge_paths(
        [plain],
        out,
        CheckOptions(layout=LAYOUT, year=YEAR, county=COUNTY),
        roster=AGENCIES,
        name=COUNTY,
        workers=1,
        allow_missing=True,
    )
    assert direct.summary_written
    assert result.merge.values == direct.values
    assert out.read_bytes() == result.merge.out.read_bytes()
    # recorded: which version of each agency went in, under the summary's hash
    with open_campaign(folder) as camp:
        (data,) = camp.conn.execute("SELECT data FROM events WHERE kind = 'merge'").fetchone()
    recorded = json.loads(data)
    assert [v["agency"] for v in recorded["versions"]] == [a.code for a in AGENCIES[:3]]
    assert recorded["allow_missing"] is True


def test_receipts_and_notices_are_reproducible_and_verifiable(tmp_path: Path) -> None:
    folder = _campaign(tmp_path)
    a, b = AGENCIES[:2]
    write_return(tmp_path / "in" / "甲.xlsx", a, valid_values(LAYOUT, 1))
    write_return(tmp_path / "in" / "乙.xlsx", b, broken(valid_values(LAYOUT, 2)))
    ingested = campaign_ingest(CampaignIngestRequest([tmp_path / "in"], folder, workers=1))
    assert len(ingested.receipt_files) == 2
    first = {p: p.read_bytes() for p in ingested.receipt_files}
    again = campaign_receipts(CampaignReceiptsRequest(folder))
    assert again.written == []  # nothing changed: nothing written
    assert {p: p.read_bytes() for p in first} == first
    assert len(again.receipts) == 2 and all(r.line() for r in again.receipts)

    campaign_return(CampaignReturnRequest(a.code, "数字需与去年核对", folder))
    notices = campaign_notices(CampaignNoticeRequest(all=True, campaign=folder))
    assert [n.code for n in notices.notices] == [a.code, b.code]
    assert notices.exit_code == 0
    n_a = notices.notices[0]
    assert n_a.notice is not None and n_a.blocking == 0
    assert json.loads(notices.to_json())["notices"][1]["blocking"] == 1
    again_notices = campaign_notices(CampaignNoticeRequest(all=True, campaign=folder))
    assert all(n.paths == [] for n in again_notices.notices)  # same bytes: not rewritten

    # a stored file altered: its receipt no longer verifies
    with open_campaign(folder) as camp:
        (stored,) = camp.conn.execute(
            "SELECT f.stored_path FROM versions v JOIN files f ON f.sha256 = v.sha256"
            " WHERE v.agency_code = ?",
            (b.code,),
        ).fetchone()
    target = folder / stored
    target.chmod(0o644)
    target.write_bytes(target.read_bytes() + b"x")
    check = verify_receipt(ReceiptVerifyRequest(f"{YEAR}-{b.code}-001", folder))
    assert check.exit_code == 1 and check.check.code == "campaign-receipt-file-changed"
    ok = verify_receipt(ReceiptVerifyRequest(f"{YEAR}-{a.code}-001", folder))
    assert ok.exit_code == 0

    status = campaign_status(CampaignStatusRequest(folder, as_of="2025-01-22T04:00:00+00:00"))
    t = status.board.total
    assert (t.expected, t.received, t.to_fix, t.overdue) == (4, 2, 2, 2)
    assert "退回" in status.reminders()["to_fix"]


def test_an_unwritable_receipts_folder_does_not_lose_the_ingest(tmp_path: Path) -> None:
    folder = _campaign(tmp_path)
    (folder / "receipts").rmdir()
    (folder / "receipts").write_bytes(b"")  # a file where the folder was: nothing written
    write_return(tmp_path / "in" / "甲.xlsx", AGENCIES[0], valid_values(LAYOUT, 1))
    result = campaign_ingest(CampaignIngestRequest([tmp_path / "in"], folder, workers=1))
    assert result.report.count("version") == 1  # recorded all the same
    assert result.receipt_files == [] and "campaign receipts" in result.receipt_problem
    assert json.loads(result.to_json())["receipt_problem"] == result.receipt_problem
    (folder / "receipts").unlink()
    later = campaign_receipts(CampaignReceiptsRequest(folder))
    assert [p.name for p in later.written] == [
        f"回执_{YEAR}-{AGENCIES[0].code}-001_{AGENCIES[0].name}.xlsx"
    ]


class _FullSpill(ValueSpill):
    """A temporary file that fills up after ``room`` returns (the disk is full)."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room = room

    def put(self, obj: object) -> int:
        if self.room == 0:
            raise OSError(28, "No space left on device")
        self.room -= 1
        return super().put(obj)  # type: ignore[arg-type]


def test_a_failure_while_reading_the_ledger_is_reported_as_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real cause (here a full disk) reaches the caller, and the campaign's own
    connection is untouched (the reading is done on a snapshot of its own); outside a
    snapshot the reading is refused."""
    monkeypatch.setattr(summary, "_MERGE_CHUNK", 2)  # the failure comes mid-read
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    for i, a in enumerate(AGENCIES):
        write_return(files / f"{a.code}.xlsx", a, valid_values(LAYOUT, i))
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    with open_campaign(folder) as camp:
        shas = [r[0] for r in camp.conn.execute("SELECT sha256 FROM files")]
        busy = camp.conn.execute("SELECT code FROM agencies")  # a read the caller has open
        busy.fetchone()
        with camp.snapshot() as conn, pytest.raises(OSError, match="No space"):
            checked_from_ledger(conn, camp, shas, _FullSpill(1))
        with camp.snapshot() as conn:
            assert len(checked_from_ledger(conn, camp, shas, ValueSpill())) == len(AGENCIES)
            assert len(checked_from_ledger(conn, camp, shas, ValueSpill())) == len(AGENCIES)
        assert not camp.conn.in_transaction
        assert camp.conn.execute("SELECT COUNT(*) FROM temp.sqlite_master").fetchone() == (0,)
        busy.close()
        with pytest.raises(RuntimeError):
            checked_from_ledger(camp.conn, camp, shas, ValueSpill())


def test_the_summary_reads_the_ledger_of_one_moment(tmp_path: Path) -> None:
    """What is written while the summary is being made (a renamed agency, a new file) is
    not half in it: the snapshot reads the ledger as it was when it began."""
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    write_return(files / "a.xlsx", AGENCIES[0], valid_values(LAYOUT, 0))
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    with open_campaign(folder) as camp, camp.snapshot() as conn:
        before = conn.execute("SELECT name FROM agencies WHERE code = ?", (AGENCIES[0].code,))
        assert before.fetchone() == (AGENCIES[0].name,)
        with camp.writing() as w:
            w.execute("UPDATE agencies SET name = '改名' WHERE code = ?", (AGENCIES[0].code,))
        row = conn.execute("SELECT name FROM agencies WHERE code = ?", (AGENCIES[0].code,))
        assert row.fetchone() == (AGENCIES[0].name,)
    with open_campaign(folder) as camp, camp.snapshot() as conn:
        row = conn.execute("SELECT name FROM agencies WHERE code = ?", (AGENCIES[0].code,))
        assert row.fetchone() == ("改名",)


def test_an_approved_version_the_summary_leaves_out_is_not_recorded_as_counted(
    tmp_path: Path,
) -> None:
    """A blank input cell is a warning, so such a return can be approved; the summary
    leaves it out (not counted without --blank-as-zero), and so do the manifest's list of
    versions that went in and the ledger's merge event — they say why instead."""
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    blank_one = AGENCIES[1]
    for i, a in enumerate(AGENCIES[:3]):
        values = valid_values(LAYOUT, i)
        if a is blank_one:
            del values[next(iter(LAYOUT.inputs())).id]
        write_return(files / f"{a.code}.xlsx", a, values)
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    codes = [a.code for a in AGENCIES[:3]]
    campaign_approve(CampaignApproveRequest(codes=codes, campaign=folder))
    result = campaign_merge(CampaignMergeRequest(folder, allow_missing=True))
    assert result.merge is not None and result.merge.summary_written
    assert result.exit_code == 1  # a return left out
    counted = [c for c in codes if c != blank_one.code]
    assert [r.agency_code for r in result.manifest] == counted
    assert [r.agency_code for r in result.left_out] == [blank_one.code]
    assert result.left_out[0].state.startswith("有空白未汇总")
    with open_campaign(folder) as camp:
        (data,) = camp.conn.execute("SELECT data FROM events WHERE kind = 'merge'").fetchone()
    recorded = json.loads(data)
    assert [v["agency"] for v in recorded["versions"]] == counted
    assert [v["agency"] for v in recorded["left_out"]] == [blank_one.code]
    assert result.manifest_path is not None
    sheet = openpyxl.load_workbook(result.manifest_path).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(t.startswith("已通过但未计入汇总") for t in texts)
    assert blank_one.code in texts
    assert result.json_document()["left_out"][0]["agency_code"] == blank_one.code


def test_merge_never_replaces_a_file_outside_the_campaigns_summary_folder(
    tmp_path: Path,
) -> None:
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    write_return(files / "a.xlsx", AGENCIES[0], valid_values(LAYOUT, 0))
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    campaign_approve(CampaignApproveRequest(all_clean=True, campaign=folder))
    # a folder that is only named like the campaign's summary/
    theirs = tmp_path / "别处" / "summary" / "重要.xlsx"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"keep me")
    with pytest.raises(UsageError):
        campaign_merge(CampaignMergeRequest(folder, allow_missing=True, out=theirs))
    assert theirs.read_bytes() == b"keep me"
    # a new summary whose manifest's name is taken
    out = tmp_path / "我的" / "年报.xlsx"
    out.parent.mkdir()
    manifest = out.with_name("年报_汇总清单.xlsx")
    manifest.write_bytes(b"mine")
    with pytest.raises(UsageError):
        campaign_merge(CampaignMergeRequest(folder, allow_missing=True, out=out))
    assert manifest.read_bytes() == b"mine" and not out.exists()
    # in the campaign's own summary/, a merge again replaces its earlier outputs
    for _ in range(2):
        assert campaign_merge(CampaignMergeRequest(folder, allow_missing=True)).exit_code == 0


def test_a_file_sent_through_one_agencys_link_is_never_another_agencys_version(
    tmp_path: Path,
) -> None:
    """The ingest decides whose return a file is as it records it (the identity the check
    recognised): from QH001's link, QH002's return — or one naming no agency — is refused
    with QH001's receipt; QH002 gets no version, no receipt."""
    folder = _campaign(tmp_path)
    a, b = AGENCIES[0], AGENCIES[1]
    theirs = write_return(tmp_path / "收到" / "b.xlsx", b, valid_values(LAYOUT, 1))
    result = campaign_ingest(CampaignIngestRequest([theirs], folder, workers=1, sender=a.code))
    (item,) = result.report.items
    assert (item.outcome, item.code) == ("refused", "serve-other-agency")
    assert item.receipt.startswith(f"{YEAR}-{a.code}-")
    with open_campaign(folder) as camp:
        assert camp.conn.execute("SELECT COUNT(*) FROM versions").fetchone() == (0,)
        states = dict(camp.conn.execute("SELECT code, state FROM agencies"))
        assert states[b.code] == states[a.code]  # neither has reported
    with open_campaign(folder) as camp:  # accounted for: an arrival of QH001's, refused
        arrivals = list(camp.conn.execute("SELECT agency_code, outcome FROM arrivals"))
    assert arrivals == [(a.code, "refused")]


def test_the_summary_is_the_same_with_the_files_waiting_on_disk(tmp_path: Path) -> None:
    """A province's 100,000 files wait in a temporary file while merging (``keep``), a
    county's stay in memory: the same summary byte for byte, the same outcome of every
    file (one left out for a blank cell) and the same 报送情况 lines either way."""
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    for i, a in enumerate(AGENCIES[:3]):
        values = valid_values(LAYOUT, i)
        if i == 1:
            del values[next(iter(LAYOUT.inputs())).id]
        write_return(files / f"{a.code}.xlsx", a, values)
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    campaign_approve(CampaignApproveRequest([a.code for a in AGENCIES[:3]], campaign=folder))
    results = []
    for keep in (0, 2, 10_000):
        out = tmp_path / f"keep{keep}.xlsx"
        with open_campaign(folder) as camp, camp.snapshot() as conn:
            (shas,) = zip(*conn.execute("SELECT sha256 FROM versions"), strict=True)
            result = summary.merge_from_ledger(camp, conn, shas, out, allow_missing=True, keep=keep)
        assert result.summary_written
        results.append((out.read_bytes(), result))
    (first, a), *rest = results
    assert [f.status for f in a.files].count("blank") == 1 and len(a.files) == 3
    for data, b in rest:
        assert data == first
        assert list(b.files) == list(a.files) and list(b.agencies) == list(a.agencies)
        assert b.values == a.values and [d.sha256 for d in b.counted] == [
            d.sha256 for d in a.counted
        ]


def test_files_rebuilt_from_the_ledger_read_back_the_same_from_disk(tmp_path: Path) -> None:
    folder = _campaign(tmp_path)
    files = tmp_path / "收到"
    for i, a in enumerate(AGENCIES[:3]):
        write_return(files / f"{a.code}.xlsx", a, valid_values(LAYOUT, i))
    write_return(files / "broken.xlsx", AGENCIES[3], broken(valid_values(LAYOUT, 3)))
    campaign_ingest(CampaignIngestRequest([files], folder, workers=1))
    with open_campaign(folder) as camp, camp.snapshot() as conn:
        (shas,) = zip(*conn.execute("SELECT sha256 FROM files"), strict=True)
        spill = ValueSpill()
        kept = checked_from_ledger(conn, camp, shas, spill)
        on_disk = checked_from_ledger(conn, camp, shas, spill, keep=0)
    assert not kept.spilled and on_disk.spilled and len(kept) == len(on_disk) == 4
    for a, b in zip(kept, on_disk, strict=True):
        assert a.report == b.report and a.skipped == b.skipped
        assert (a.data is None) == (b.data is None)
        if a.data is not None and b.data is not None:
            assert a.data.identity == b.data.identity and a.data.sha256 == b.data.sha256
            assert dict(a.data.values) == dict(b.data.values)
            assert (a.data.saved_at, a.data.blank_cells, dict(a.data.signoff)) == (
                b.data.saved_at,
                b.data.blank_cells,
                dict(b.data.signoff),
            )
