"""Land one feed's Bright Data snapshot(s) for one UTC hour into the bronze layer, exactly as delivered.

Live hours trigger a collection, wait for it and stream it to the lake. Hours that ended more than
`recover_after` ago cannot be re-scraped (LinkedIn's time filter is relative to now), so they are recovered from
the snapshots Bright Data made in that window instead. Files are published atomically and a rerun replaces the
partition's previous snapshot files, so each (hour, feed) holds one copy.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import requests

from dej_platform.bronze.brightdata import (
    BrightDataClient,
    BrightDataError,
    SnapshotInfo,
    TriggerRequest,
    TruncatedDownloadError,
)
from dej_platform.bronze.feeds import request_owns_record
from dej_platform.lake import Lake

log = logging.getLogger(__name__)

BRONZE_LAYER = "bronze"
BRONZE_TABLE = "linkedin_jobs"
SNAPSHOT_FILE_PREFIX = "snapshot-"
SNAPSHOT_FILE_SUFFIX = ".jsonl"
# A live trigger collects "the past hour" relative to now, which is the partition's hour only while we are in the
# hour right after it; later than that, triggering would land another hour's postings under this partition.
RECOVER_AFTER = timedelta(hours=1)
_SNAPSHOT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,99}$")

Outcome = Literal["data", "errors_only", "empty", "no_snapshot"]
Mode = Literal["trigger", "recover"]


class NdjsonTally:
    """Counts postings, error rows and unreadable lines of an NDJSON stream fed in arbitrary chunks."""

    def __init__(self) -> None:
        self.records = 0
        self.error_rows = 0
        self.unparseable_lines = 0
        self.bytes = 0
        self._partial = b""

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        for line in lines:
            self._count(line)

    def finish(self) -> NdjsonTally:
        if self._partial.strip():
            self._count(self._partial)
        self._partial = b""
        return self

    def _count(self, line: bytes) -> None:
        if not line.strip():
            return
        try:
            row = json.loads(line)
        except ValueError:
            self.unparseable_lines += 1
            return
        if not isinstance(row, dict):
            self.unparseable_lines += 1
        elif row.get("job_posting_id") not in (None, "", "None"):
            self.records += 1
        elif row.get("error") or row.get("error_code"):
            self.error_rows += 1
        else:
            self.unparseable_lines += 1


@dataclass(frozen=True)
class LandedSnapshot:
    snapshot_id: str
    uri: str
    key: str
    bytes: int
    records: int
    error_rows: int
    unparseable_lines: int
    duration_s: float


@dataclass(frozen=True)
class FeedHourResult:
    feed_id: str
    hour_start: datetime
    mode: Mode
    inputs: int
    snapshots: list[LandedSnapshot] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    candidates: int = 0  # snapshots listed in the recovery window

    @property
    def records(self) -> int:
        return sum(s.records for s in self.snapshots)

    @property
    def error_rows(self) -> int:
        return sum(s.error_rows for s in self.snapshots)

    @property
    def bytes(self) -> int:
        return sum(s.bytes for s in self.snapshots)

    @property
    def outcome(self) -> Outcome:
        if not self.snapshots:
            return "no_snapshot"
        if self.records:
            return "data"
        return "errors_only" if self.error_rows else "empty"


def bronze_partition(hour_start: datetime, feed_id: str) -> dict[str, str]:
    start = hour_start.astimezone(UTC)
    return {"dt": start.strftime("%Y-%m-%d"), "hr": start.strftime("%H"), "feed": feed_id}


def snapshot_file_name(snapshot_id: str) -> str:
    if not _SNAPSHOT_ID.match(snapshot_id):
        raise BrightDataError(f"refusing snapshot id {snapshot_id[:100]!r}: not a safe file name")
    return f"{SNAPSHOT_FILE_PREFIX}{snapshot_id}{SNAPSHOT_FILE_SUFFIX}"


def recovery_window(hour_start: datetime) -> tuple[datetime, datetime]:
    """Snapshots for hour H are collected just after it ends: created in [H+1h, H+2h)."""
    return hour_start + timedelta(hours=1), hour_start + timedelta(hours=2)


def should_recover(hour_start: datetime, now: datetime, recover_after: timedelta = RECOVER_AFTER) -> bool:
    return now - (hour_start + timedelta(hours=1)) > recover_after


def land_snapshot(
    client: BrightDataClient,
    lake: Lake,
    snapshot_id: str,
    partition: Mapping[str, str],
    *,
    attempts: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> LandedSnapshot:
    """Stream one snapshot into `bronze/linkedin_jobs/<partition>/snapshot-<id>.jsonl`; a broken download leaves
    no file (the lake publishes only on success) and is retried from scratch up to `attempts` times."""
    name = snapshot_file_name(snapshot_id)
    for attempt in range(1, attempts + 1):
        tally = NdjsonTally()
        started = time.perf_counter()
        try:
            with lake.open_output(BRONZE_LAYER, BRONZE_TABLE, partition, name) as sink:
                client.download_snapshot(snapshot_id, sink, on_chunk=tally.feed)
        except (TruncatedDownloadError, requests.RequestException) as exc:
            if attempt >= attempts:
                raise
            log.warning("snapshot %s: %s; downloading again (%d/%d)", snapshot_id, exc, attempt + 1, attempts)
            sleep(min(30.0, 2.0**attempt))
            continue
        tally.finish()
        files = [
            f for f in lake.list_files(BRONZE_LAYER, BRONZE_TABLE, partition) if f.key.endswith("/" + name)
        ]
        uri = files[0].uri if files else lake.uri(BRONZE_LAYER, BRONZE_TABLE, partition) + "/" + name
        key = files[0].key if files else ""
        return LandedSnapshot(
            snapshot_id=snapshot_id,
            uri=uri,
            key=key,
            bytes=tally.bytes,
            records=tally.records,
            error_rows=tally.error_rows,
            unparseable_lines=tally.unparseable_lines,
            duration_s=time.perf_counter() - started,
        )
    raise AssertionError("unreachable")


def remove_other_snapshots(lake: Lake, partition: Mapping[str, str], keep: set[str]) -> list[str]:
    """Delete snapshot files of the partition that are not in `keep` (file names): one copy per rerun."""
    stale = [
        f.key
        for f in lake.list_files(BRONZE_LAYER, BRONZE_TABLE, partition)
        if f.key.rsplit("/", 1)[-1] not in keep
    ]
    if stale:
        lake.delete_files(stale)
    return stale


def find_recoverable_snapshots(
    client: BrightDataClient, request: TriggerRequest, hour_start: datetime
) -> tuple[list[SnapshotInfo], int]:
    """Ready snapshots created in the hour's recovery window whose rows answer this request's inputs
    (attributed by peeking at the first row's discovery input). Returns (matches newest first, candidates)."""
    start, end = recovery_window(hour_start)
    listed = [
        s
        for s in client.list_snapshots(request.dataset_id, status="ready", from_date=start, to_date=end)
        if start <= s.created < end
    ]
    matches = []
    for snap in listed:
        first = client.peek_first_record(snap.id)
        if first is not None and request_owns_record(request, first):
            matches.append(snap)
    return sorted(matches, key=lambda s: s.created, reverse=True), len(listed)


def collect_feed_hour(
    client: BrightDataClient,
    lake: Lake,
    feed_id: str,
    request: TriggerRequest,
    hour_start: datetime,
    *,
    now: datetime | None = None,
    mode: Mode | Literal["auto"] = "auto",
    poll_interval_s: float = 30.0,
    deadline_s: float = 1800.0,
    recover_after: timedelta = RECOVER_AFTER,
    sleep: Callable[[float], None] = time.sleep,
    download_attempts: int = 3,
) -> FeedHourResult:
    """Collect (live) or recover (past hour) one feed's snapshot for one hour and make it the partition's only
    copy. Empty and error-only snapshots are landed and reported as such, not raised."""
    now = now or datetime.now(UTC)
    chosen: Mode = (
        mode
        if mode != "auto"
        else ("recover" if should_recover(hour_start, now, recover_after) else "trigger")
    )
    partition = bronze_partition(hour_start, feed_id)
    candidates = 0
    if chosen == "trigger":
        snapshot_id = client.trigger(request)
        client.wait_until_ready(snapshot_id, poll_interval_s=poll_interval_s, deadline_s=deadline_s)
        snapshot_ids = [snapshot_id]
    else:
        matches, candidates = find_recoverable_snapshots(client, request, hour_start)
        # A window can hold a live run and its retries: the newest complete collection is the one copy we keep.
        snapshot_ids = [matches[0].id] if matches else []
        if not matches:
            log.warning(
                "feed %s hour %s: no Bright Data snapshot among %d in the recovery window matches its inputs",
                feed_id,
                hour_start.isoformat(),
                candidates,
            )
    landed = [
        land_snapshot(client, lake, sid, partition, attempts=download_attempts, sleep=sleep)
        for sid in snapshot_ids
    ]
    removed = (
        remove_other_snapshots(lake, partition, {snapshot_file_name(s) for s in snapshot_ids})
        if landed
        else []
    )
    return FeedHourResult(
        feed_id=feed_id,
        hour_start=hour_start,
        mode=chosen,
        inputs=len(request.inputs),
        snapshots=landed,
        removed_files=removed,
        candidates=candidates,
    )


def describe_inputs(request: TriggerRequest, limit: int = 5) -> list[Any]:
    """A short, secret-free view of the inputs for metadata."""
    shown = [
        i.get("url") if "url" in i else {k: v for k, v in i.items() if v not in ("", None)}
        for i in request.inputs
    ]
    return shown[:limit] + ([f"... and {len(shown) - limit} more"] if len(shown) > limit else [])
