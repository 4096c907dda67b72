"""The Bright Data client against the emulator: happy path, every fault, and the key never leaking."""

from __future__ import annotations

import io
import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest

from dej_platform.bronze.brightdata import (
    BrightDataAuthError,
    BrightDataClient,
    BrightDataError,
    BrightDataHTTPError,
    RetryPolicy,
    SnapshotFailedError,
    SnapshotTimeoutError,
    TriggerRequest,
    TruncatedDownloadError,
    _retry_after_seconds,
)
from dej_platform.bronze.emulator import start_emulator
from dej_platform_tests.bronze.conftest import FIXED_NOW, SECRET_KEY, FakeTime

SEARCH = {
    "url": "https://www.linkedin.com/jobs/search/?f_TPR=r3600&geoId=92000000&keywords=%22data%20engineer%22"
}
REQUEST = TriggerRequest(discover_by="url", inputs=(SEARCH,))


def _collect(client: BrightDataClient) -> tuple[str, bytes]:
    sid = client.trigger(REQUEST)
    client.wait_until_ready(sid, poll_interval_s=1, deadline_s=10)
    sink = io.BytesIO()
    client.download_snapshot(sid, sink)
    return sid, sink.getvalue()


def test_trigger_poll_download_round_trip(client, emulator):
    sid, data = _collect(client)
    progress = client.progress(sid)
    lines = [ln for ln in data.split(b"\n") if ln]
    assert progress.status == "ready"
    assert len(lines) == progress.records + progress.errors
    assert sid.startswith("sd_") and len(sid) == 20
    # trigger sent the documented query parameters and the inputs as the JSON body
    assert ("POST", "/datasets/v3/trigger") in emulator.state.requests
    snap = emulator.state.snapshots[sid]
    assert snap.discover_by == "url" and snap.include_errors and snap.inputs == [SEARCH]


def test_same_seed_and_hour_give_the_same_bytes(client):
    with (
        start_emulator(seed=11, clock=lambda: FIXED_NOW + timedelta(minutes=20)) as other,
        BrightDataClient("another-key", api_url=other.url) as second,
    ):
        _, again = _collect(second)
    _, data = _collect(client)
    assert data == again and len(data) > 1000


def test_rate_limit_honours_retry_after(client, emulator, fake_time):
    emulator.set_faults("rate_limit=2,retry_after=7")
    _collect(client)
    assert fake_time.sleeps[:2] == [7.0, 7.0]


def test_server_errors_back_off_exponentially(client, emulator, fake_time):
    emulator.set_faults("server_error=3")
    sid = client.trigger(REQUEST)
    assert sid in emulator.state.snapshots
    assert fake_time.sleeps == [1.0, 2.0, 4.0]  # base * 2**(n-1), jitter factor 1.0 with rng=0.5


def test_backoff_jitter_stays_in_band():
    policy = RetryPolicy(base_delay=2.0, max_delay=100.0, jitter=0.5)
    assert policy.backoff(3, lambda: 0.0) == pytest.approx(4.0)
    assert policy.backoff(3, lambda: 0.999999) == pytest.approx(12.0, rel=1e-4)
    assert policy.backoff(30, lambda: 0.5) == 100.0  # capped


def test_persistent_server_error_gives_up_after_max_attempts(client, emulator, fake_time):
    emulator.set_faults("server_error=50")
    before = len(emulator.state.requests)
    with pytest.raises(BrightDataHTTPError) as info:
        client.trigger(REQUEST)
    assert info.value.status == 500
    assert len(emulator.state.requests) - before == 4
    assert len(fake_time.sleeps) == 3


def test_wrong_key_fails_at_once_without_the_key(fake_time, caplog):
    caplog.set_level(logging.DEBUG)
    with start_emulator(seed=1, api_key="the-right-key") as emu:
        client = BrightDataClient(SECRET_KEY, api_url=emu.url, sleep=fake_time.sleep)
        with pytest.raises(BrightDataAuthError) as info:
            client.trigger(REQUEST)
        assert len(emu.state.requests) == 1  # not retried
    assert fake_time.sleeps == []
    assert "401" in str(info.value) and "BRIGHTDATA_API_KEY" in str(info.value)
    for text in (str(info.value), repr(info.value), repr(client), str(client), caplog.text):
        assert SECRET_KEY not in text


def test_missing_key_is_refused_before_any_request():
    with pytest.raises(BrightDataAuthError, match="BRIGHTDATA_API_KEY"):
        BrightDataClient("  ", api_url="http://127.0.0.1:9")


def test_connection_errors_are_retried_then_reported(fake_time):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = BrightDataClient(
        SECRET_KEY,
        api_url=f"http://127.0.0.1:{port}",
        retry=RetryPolicy(max_attempts=3),
        sleep=fake_time.sleep,
        rng=lambda: 0.5,
        timeout=(0.5, 0.5),
    )
    with pytest.raises(BrightDataError, match="after 3 attempts: ConnectionError") as info:
        client.trigger(REQUEST)
    assert fake_time.sleeps == [1.0, 2.0]
    assert SECRET_KEY not in repr(info.value)


def test_slow_readiness_is_polled_until_ready(emulator):
    emulator.set_faults("slow=0.3")
    client = BrightDataClient(SECRET_KEY, api_url=emulator.url)
    sid = client.trigger(REQUEST)
    assert client.progress(sid).status == "running"
    progress = client.wait_until_ready(sid, poll_interval_s=0.1, deadline_s=5)
    assert progress.status == "ready"
    polls = [r for r in emulator.state.requests if r[1] == f"/datasets/v3/progress/{sid}"]
    assert len(polls) >= 3


def test_never_ready_snapshot_hits_the_deadline_with_its_id(client, emulator, fake_time):
    emulator.set_faults("never_ready")
    sid = client.trigger(REQUEST)
    with pytest.raises(SnapshotTimeoutError) as info:
        client.wait_until_ready(sid, poll_interval_s=30, deadline_s=300)
    assert info.value.snapshot_id == sid and sid in str(info.value)
    assert sum(fake_time.sleeps) <= 300
    assert len(fake_time.sleeps) == 10  # polls at 0, 30, ..., 300 s, then gives up


def test_failed_snapshot_is_an_error_naming_it(client, emulator):
    emulator.set_faults("failed")
    sid = client.trigger(REQUEST)
    with pytest.raises(SnapshotFailedError) as info:
        client.wait_until_ready(sid, poll_interval_s=1, deadline_s=60)
    assert info.value.snapshot_id == sid and sid in str(info.value)


def test_download_before_ready_waits_for_the_snapshot(client, emulator, fake_time):
    emulator.set_faults("slow=0.2")
    sid = client.trigger(REQUEST)
    import time as _time

    real_sleep = FakeTime()

    def sleep(seconds: float) -> None:
        real_sleep.sleep(seconds)
        _time.sleep(0.1)

    client._sleep = sleep
    sink = io.BytesIO()
    client.download_snapshot(sid, sink)
    assert real_sleep.sleeps  # got 202 "building" at least once
    assert sink.getvalue().endswith(b"\n")


def test_truncated_download_with_content_length_raises(client, emulator):
    sid = client.trigger(REQUEST)
    emulator.set_faults("truncate")
    with pytest.raises(TruncatedDownloadError) as info:
        client.download_snapshot(sid, io.BytesIO())
    assert info.value.snapshot_id == sid


def test_truncated_chunked_download_is_caught_by_the_last_line(fake_time):
    with start_emulator(
        seed=3, faults="truncate", records_per_input=(40, 40), content_length_max_records=10
    ) as emu:
        client = BrightDataClient(SECRET_KEY, api_url=emu.url, sleep=fake_time.sleep)
        sid = client.trigger(REQUEST)
        with pytest.raises(TruncatedDownloadError, match="last line"):
            client.download_snapshot(sid, io.BytesIO())
        emu.set_faults("")
        sink = io.BytesIO()
        result = client.download_snapshot(sid, sink)  # chunked and whole: accepted
    assert result.content_length is None and sink.getvalue().count(b"\n") == 40


def test_list_snapshots_filters_by_created_window(fake_time):
    history = [("url", [SEARCH])]
    with start_emulator(seed=2, history=history, history_hours=5, clock=lambda: FIXED_NOW) as emu:
        client = BrightDataClient(SECRET_KEY, api_url=emu.url, sleep=fake_time.sleep)
        everything = client.list_snapshots()
        start = FIXED_NOW.replace(minute=0) - timedelta(hours=3)
        window = client.list_snapshots(from_date=start, to_date=start + timedelta(hours=1))
    assert len(everything) == 5
    assert len(window) == 1 and start <= window[0].created < start + timedelta(hours=1)
    assert [s.created for s in everything] == sorted(s.created for s in everything)


def test_peek_first_record_reads_one_row(client):
    sid = client.trigger(REQUEST)
    first = client.peek_first_record(sid)
    assert first is not None and first.get("discovery_input", first.get("input")) == SEARCH


def test_bad_trigger_input_is_a_clear_400(client):
    with pytest.raises(BrightDataHTTPError) as info:
        client.trigger(TriggerRequest(discover_by="keyword", inputs=({"keyword": "data engineer"},)))
    assert info.value.status == 400 and "location" in str(info.value)


def test_key_never_in_logs_or_errors_across_faults(client, emulator, caplog):
    caplog.set_level(logging.DEBUG)
    emulator.set_faults("rate_limit=1,server_error=1")
    sid, _ = _collect(client)
    emulator.set_faults("failed")
    with pytest.raises(SnapshotFailedError) as info:
        client.wait_until_ready(client.trigger(REQUEST), poll_interval_s=1, deadline_s=5)
    assert "HTTP 429" in caplog.text and "HTTP 500" in caplog.text
    assert SECRET_KEY not in caplog.text and SECRET_KEY not in str(info.value) and sid


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), ("soon", None), (None, None), ("-3", 0.0)],
)
def test_retry_after_header_parsing(header, expected):
    assert _retry_after_seconds(header) == expected


def test_retry_after_http_date_is_seconds_from_now():
    when = datetime.now(UTC) + timedelta(seconds=30)
    seconds = _retry_after_seconds(when.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert seconds is not None and 25 <= seconds <= 31


def test_unknown_fault_names_are_rejected():
    from dej_platform.bronze.emulator import Faults

    with pytest.raises(ValueError, match="unknown fault 'explode'"):
        Faults.parse("rate_limit=1,explode")
    parsed = Faults.parse("429=2,retry_after=3,slow=4,failed,truncate")
    assert (parsed.rate_limit, parsed.retry_after_s, parsed.ready_after_s) == (2, 3.0, 4.0)
    assert parsed.fail_snapshots and parsed.truncate
