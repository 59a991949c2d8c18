"""`xlreport demo` step 5: the sample county as a campaign, the same bytes on every run."""

from __future__ import annotations

from pathlib import Path

from xlreport.api.demo_campaign import run_campaign_demo


def _outputs(folder: Path) -> dict[str, bytes]:
    parts = ("receipts", "notices", "summary")
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for part in parts
        for p in sorted((folder / part).rglob("*.xlsx"))
    }


def test_the_demo_campaign_returns_a_return_verifies_the_fix_and_merges(tmp_path: Path) -> None:
    first = run_campaign_demo(tmp_path)
    assert first.rounds == [11, 1]
    assert first.notices is not None and first.notices.exit_code == 0
    (notice,) = first.notices.notices
    assert notice.state == "退回" and notice.notice is not None and notice.annotated is not None
    assert first.history is not None
    res = first.history.versions[-1].resubmission
    assert res is not None and res.counts()["已改正"] == 1 and res.counts()["仍存在"] == 0
    assert first.merge is not None and first.merge.exit_code == 0
    assert len(first.merge.manifest) == 11
    assert first.status is not None and first.status.board.total.approved == 11
    outputs = _outputs(first.folder)
    assert len([k for k in outputs if k.startswith("receipts")]) == 12  # 11 + the fix
    again = run_campaign_demo(tmp_path)  # an earlier demo campaign is replaced
    assert _outputs(again.folder) == outputs
