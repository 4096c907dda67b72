"""Landing snapshots in the lake: exact paths, one copy per rerun, nothing left by a broken download, recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dej_platform.bronze.brightdata import (
    BrightDataClient,
    BrightDataError,
    SnapshotFailedError,
    TruncatedDownloadError,
)
from dej_platform.bronze.emulator import start_emulator
from dej_platform.bronze.feeds import load_feed_registry
from dej_platform.bronze.geo import load_geo_catalog
from dej_platform.bronze.landing import (
    NdjsonTally,
    bronze_partition,
    collect_feed_hour,
    land_snapshot,
    should_recover,
    snapshot_file_name,
)
from dej_platform.lake import Lake
from dej_platform_tests.bronze.conftest import SECRET_KEY

NOW = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
LAST_HOUR = datetime(2026, 3, 10, 13, tzinfo=UTC)


@pytest.fixture
def brazil():
    return load_feed_registry().get("engenheiro_dados_brazil").trigger_request(load_geo_catalog())


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _client(url: str) -> BrightDataClient:
    return BrightDataClient(SECRET_KEY, api_url=url, sleep=lambda s: None)


def test_live_hour_lands_one_file_at_the_documented_path(tmp_path, brazil):
    lake = Lake(str(tmp_path))
    with start_emulator(seed=4, clock=lambda: NOW) as emu:
        result = collect_feed_hour(
            _client(emu.url),
            lake,
            "engenheiro_dados_brazil",
            brazil,
            LAST_HOUR,
            now=NOW,
            poll_interval_s=0.01,
        )
    (snap,) = result.snapshots
    expected = f"bronze/linkedin_jobs/dt=2026-03-10/hr=13/feed=engenheiro_dados_brazil/snapshot-{snap.snapshot_id}.jsonl"
    assert _files(tmp_path) == [expected]
    lines = (tmp_path / expected).read_bytes().splitlines()
    assert result.mode == "trigger" and result.outcome == "data"
    assert snap.records + snap.error_rows == len(lines) and snap.bytes == (tmp_path / expected).stat().st_size


def test_rerun_leaves_one_copy(tmp_path, brazil):
    lake = Lake(str(tmp_path))
    with start_emulator(seed=4, clock=lambda: NOW) as emu:
        first = collect_feed_hour(
            _client(emu.url), lake, "engenheiro_dados_brazil", brazil, LAST_HOUR, now=NOW
        )
        second = collect_feed_hour(
            _client(emu.url), lake, "engenheiro_dados_brazil", brazil, LAST_HOUR, now=NOW
        )
    assert first.snapshots[0].snapshot_id != second.snapshots[0].snapshot_id
    files = _files(tmp_path)
    assert files == [
        f"bronze/linkedin_jobs/dt=2026-03-10/hr=13/feed=engenheiro_dados_brazil/"
        f"{snapshot_file_name(second.snapshots[0].snapshot_id)}"
    ]
    assert second.removed_files and first.snapshots[0].snapshot_id in second.removed_files[0]


def test_truncated_download_leaves_nothing_and_keeps_the_previous_copy(tmp_path, brazil):
    lake = Lake(str(tmp_path))
    with start_emulator(seed=4, clock=lambda: NOW) as emu:
        good = collect_feed_hour(
            _client(emu.url), lake, "engenheiro_dados_brazil", brazil, LAST_HOUR, now=NOW
        )
        before = _files(tmp_path)
        emu.set_faults("truncate")
        with pytest.raises(TruncatedDownloadError):
            collect_feed_hour(
                _client(emu.url),
                lake,
                "engenheiro_dados_brazil",
                brazil,
                LAST_HOUR,
                now=NOW,
                sleep=lambda s: None,
            )
        attempts = [r for r in emu.state.requests if r[1].startswith("/datasets/v3/snapshot/")]
    assert _files(tmp_path) == before  # no partial file, no temp file, old copy intact
    assert not list(tmp_path.rglob(".*tmp*"))
    assert len(attempts) == 1 + 3  # the good download, then three tries of the broken one
    assert good.outcome == "data"


def test_truncated_download_into_an_empty_partition_leaves_no_file(tmp_path):
    lake = Lake(str(tmp_path))
    partition = bronze_partition(LAST_HOUR, "x")
    with start_emulator(seed=4, faults="truncate") as emu:
        client = _client(emu.url)
        sid = client.trigger(
            load_feed_registry().get("data_engineer_worldwide").trigger_request(load_geo_catalog())
        )
        with pytest.raises(TruncatedDownloadError):
            land_snapshot(client, lake, sid, partition, attempts=1)
    assert _files(tmp_path) == []


def test_failed_snapshot_raises_and_lands_nothing(tmp_path, brazil):
    with start_emulator(seed=4, faults="failed") as emu, pytest.raises(SnapshotFailedError):
        collect_feed_hour(_client(emu.url), Lake(str(tmp_path)), "f", brazil, LAST_HOUR, now=NOW)
    assert _files(tmp_path) == []


@pytest.mark.parametrize(("fault", "outcome"), [("empty", "empty"), ("errors_only", "errors_only")])
def test_empty_and_error_only_snapshots_are_recorded_as_such(tmp_path, brazil, fault, outcome):
    with start_emulator(seed=4, faults=fault) as emu:
        result = collect_feed_hour(_client(emu.url), Lake(str(tmp_path)), "f", brazil, LAST_HOUR, now=NOW)
    assert result.outcome == outcome and result.records == 0
    assert result.error_rows == (1 if fault == "errors_only" else 0)
    assert len(_files(tmp_path)) == 1  # the snapshot file is kept as delivered


def test_past_hour_recovers_the_matching_snapshot_instead_of_triggering(tmp_path, brazil):
    worldwide = load_feed_registry().get("data_engineer_worldwide").trigger_request(load_geo_catalog())
    history = [("url", list(worldwide.inputs)), ("url", list(brazil.inputs))]
    past = NOW.replace(minute=0) - timedelta(hours=6)
    assert should_recover(past, NOW)
    with start_emulator(seed=4, history=history, history_hours=12, clock=lambda: NOW) as emu:
        result = collect_feed_hour(
            _client(emu.url), Lake(str(tmp_path)), "engenheiro_dados_brazil", brazil, past, now=NOW
        )
        triggered = [r for r in emu.state.requests if r[0] == "POST"]
        snap = emu.state.snapshots[result.snapshots[0].snapshot_id]
    assert result.mode == "recover" and not triggered
    assert result.candidates == 2  # both feeds collected in that window; only ours is landed
    assert snap.inputs == list(brazil.inputs)
    assert past + timedelta(hours=1) <= snap.created < past + timedelta(hours=2)
    text = next(tmp_path.rglob("*.jsonl")).read_text()
    assert "106057199" in text


def test_unrecoverable_past_hour_is_no_snapshot_not_an_error(tmp_path, brazil):
    past = NOW.replace(minute=0) - timedelta(days=3)
    with start_emulator(seed=4, clock=lambda: NOW) as emu:
        result = collect_feed_hour(_client(emu.url), Lake(str(tmp_path)), "f", brazil, past, now=NOW)
    assert result.outcome == "no_snapshot" and result.mode == "recover" and _files(tmp_path) == []


def test_hostile_snapshot_ids_never_become_paths():
    for bad in ("../../etc/passwd", "a/b", "sd:1", "", "x" * 500):
        with pytest.raises(BrightDataError, match="not a safe file name"):
            snapshot_file_name(bad)


def test_tally_counts_across_chunk_boundaries():
    data = b'{"job_posting_id": "1"}\n{"error_code": "crawl_failed", "error": "x"}\nnot json\n[1]\n{"job_posting_id": "2"}'
    tally = NdjsonTally()
    for i in range(0, len(data), 7):
        tally.feed(data[i : i + 7])
    tally.finish()
    assert (tally.records, tally.error_rows, tally.unparseable_lines, tally.bytes) == (2, 1, 2, len(data))
