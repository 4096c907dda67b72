"""Bright Data Web Scraper API client (datasets v3): trigger, poll, stream a snapshot to storage, list snapshots.

No Dagster here: the bronze assets call it. Every call retries 429 (honouring `Retry-After`), 5xx, timeouts and
connection errors with exponential backoff and jitter; 401/403 fail at once. The API key only ever travels in the
`Authorization` header: it is never part of `repr`, a log line or an exception message.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, Literal

import requests

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.brightdata.com"
API_URL_ENV = "BRIGHTDATA_API_URL"
API_KEY_ENV = "BRIGHTDATA_API_KEY"
LINKEDIN_JOBS_DATASET_ID = "gd_lpfll7v5hcqtkxl6l"

DiscoverBy = Literal["keyword", "url"]
_MAX_LINE_BYTES = 64 * 1024 * 1024  # one NDJSON record larger than this is not a job posting


class BrightDataError(RuntimeError):
    """Any failure talking to Bright Data. Messages never contain the API key."""


class BrightDataAuthError(BrightDataError):
    """401/403: the key is missing, wrong or lacks permission. Not retried."""


class BrightDataHTTPError(BrightDataError):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class SnapshotError(BrightDataError):
    def __init__(self, message: str, snapshot_id: str) -> None:
        super().__init__(message)
        self.snapshot_id = snapshot_id


class SnapshotFailedError(SnapshotError):
    """Bright Data reported the collection as failed."""


class SnapshotTimeoutError(SnapshotError):
    """The snapshot was not ready before the polling deadline."""


class TruncatedDownloadError(SnapshotError):
    """The download ended early: fewer bytes than announced, or a last line that is not complete JSON."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits `base * 2**(n-1)` scaled by a random factor in
    [1 - jitter, 1 + jitter], capped at `max_delay`; `Retry-After` wins when the server sends it."""

    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    jitter: float = 0.5
    max_retry_after: float = 300.0

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return max(0.0, delay * (1 - self.jitter + 2 * self.jitter * rng()))


@dataclass(frozen=True)
class TriggerRequest:
    """One collection: the discovery mode and its inputs (search URLs, or keyword-search parameter dicts)."""

    discover_by: DiscoverBy
    inputs: tuple[Mapping[str, Any], ...]
    dataset_id: str = LINKEDIN_JOBS_DATASET_ID
    include_errors: bool = True
    limit_per_input: int | None = None
    notify: str | None = None

    def query_params(self) -> dict[str, str]:
        params = {
            "dataset_id": self.dataset_id,
            "include_errors": "true" if self.include_errors else "false",
            "type": "discover_new",
            "discover_by": self.discover_by,
        }
        if self.limit_per_input is not None:
            params["limit_per_input"] = str(self.limit_per_input)
        if self.notify:
            params["notify"] = self.notify
        return params


@dataclass(frozen=True)
class SnapshotProgress:
    snapshot_id: str
    status: str
    records: int | None = None
    errors: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SnapshotInfo:
    id: str
    created: datetime
    status: str
    dataset_id: str | None = None
    dataset_size: int | None = None


@dataclass(frozen=True)
class DownloadResult:
    snapshot_id: str
    bytes: int
    content_length: int | None
    duration_s: float


def parse_timestamp(value: str) -> datetime:
    """ISO-8601 (`2025-12-10T18:53:07.798Z`) -> aware UTC datetime."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


class _LastLine:
    """Tracks the final NDJSON line of a stream in bounded memory, to prove the stream ended on a whole record."""

    def __init__(self) -> None:
        self.partial = bytearray()
        self.last_complete = b""

    def feed(self, chunk: bytes) -> None:
        idx = chunk.rfind(b"\n")
        if idx == -1:
            self.partial += chunk
            if len(self.partial) > _MAX_LINE_BYTES:
                raise ValueError("an NDJSON line exceeds 64 MiB")
            return
        head = chunk[:idx]
        prev = head.rfind(b"\n")
        self.last_complete = bytes(self.partial) + head if prev == -1 else head[prev + 1 :]
        self.partial = bytearray(chunk[idx + 1 :])

    def final_line(self) -> bytes:
        return bytes(self.partial) if self.partial.strip() else self.last_complete


class BrightDataClient:
    """Bright Data datasets-v3 API. `sleep`, `clock` and `rng` are injectable so tests run without waiting."""

    def __init__(
        self,
        api_key: str,
        *,
        api_url: str | None = None,
        timeout: tuple[float, float] = (10.0, 120.0),
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
        session: requests.Session | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise BrightDataAuthError(f"no Bright Data API key: set {API_KEY_ENV}")
        self._api_key = api_key.strip()
        self.api_url = (api_url or os.environ.get(API_URL_ENV) or DEFAULT_API_URL).rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._session = session or requests.Session()

    @classmethod
    def from_env(cls, **kwargs: Any) -> BrightDataClient:
        return cls(os.environ.get(API_KEY_ENV, ""), **kwargs)

    def __repr__(self) -> str:
        return f"BrightDataClient(api_url={self.api_url!r}, api_key='***')"

    __str__ = __repr__

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> BrightDataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- API -------------------------------------------------------------------------------------------------

    def trigger(self, request: TriggerRequest) -> str:
        """Start a collection; returns its snapshot id."""
        if not request.inputs:
            raise ValueError("a trigger needs at least one input")
        resp = self._request(
            "POST", "/datasets/v3/trigger", params=request.query_params(), json_body=list(request.inputs)
        )
        body = self._json(resp, "trigger")
        snapshot_id = body.get("snapshot_id") if isinstance(body, dict) else None
        if not isinstance(snapshot_id, str) or not snapshot_id:
            raise BrightDataError(f"trigger response has no snapshot_id: {self._redact(str(body))[:300]}")
        log.info(
            "Bright Data collection triggered: snapshot %s (%d inputs)", snapshot_id, len(request.inputs)
        )
        return snapshot_id

    def progress(self, snapshot_id: str) -> SnapshotProgress:
        resp = self._request("GET", f"/datasets/v3/progress/{snapshot_id}")
        body = self._json(resp, f"progress of {snapshot_id}")
        if not isinstance(body, dict):
            raise BrightDataError(f"progress of snapshot {snapshot_id}: unexpected body")
        return SnapshotProgress(
            snapshot_id=snapshot_id,
            status=str(body.get("status", "")).lower(),
            records=_as_int(body.get("records")),
            errors=_as_int(body.get("errors")),
            raw=body,
        )

    def wait_until_ready(
        self, snapshot_id: str, *, poll_interval_s: float = 30.0, deadline_s: float = 1800.0
    ) -> SnapshotProgress:
        """Poll until `ready`. `failed` raises `SnapshotFailedError`; the deadline raises `SnapshotTimeoutError`."""
        started = self._clock()
        polls = 0
        while True:
            progress = self.progress(snapshot_id)
            polls += 1
            if progress.status == "ready":
                return progress
            if progress.status in {"failed", "canceled", "cancelled"}:
                reason = progress.raw.get("error") or progress.raw.get("error_message") or "no reason given"
                raise SnapshotFailedError(
                    f"Bright Data snapshot {snapshot_id} {progress.status}: {self._redact(str(reason))}",
                    snapshot_id,
                )
            elapsed = self._clock() - started
            if elapsed + poll_interval_s > deadline_s:
                raise SnapshotTimeoutError(
                    f"Bright Data snapshot {snapshot_id} not ready after {elapsed:.0f}s and {polls} polls "
                    f"(last status {progress.status!r}, deadline {deadline_s:.0f}s)",
                    snapshot_id,
                )
            self._sleep(poll_interval_s)

    def download_snapshot(
        self,
        snapshot_id: str,
        sink: IO[bytes],
        *,
        chunk_size: int = 1 << 20,
        on_chunk: Callable[[bytes], None] | None = None,
    ) -> DownloadResult:
        """Stream the snapshot as NDJSON into `sink` (bounded memory) and prove it arrived whole."""
        started = time.perf_counter()
        resp = self._request(
            "GET",
            f"/datasets/v3/snapshot/{snapshot_id}",
            params={"format": "ndjson"},
            stream=True,
            retry_statuses=(202,),
        )
        announced = _as_int(resp.headers.get("Content-Length"))
        tail = _LastLine()
        written = 0
        try:
            for chunk in resp.iter_content(chunk_size=chunk_size):
                if not chunk:
                    continue
                sink.write(chunk)
                tail.feed(chunk)
                if on_chunk is not None:
                    on_chunk(chunk)
                written += len(chunk)
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError, requests.Timeout) as exc:
            raise TruncatedDownloadError(
                f"download of snapshot {snapshot_id} is truncated: the stream broke off after {written} bytes "
                f"({type(exc).__name__})",
                snapshot_id,
            ) from None
        finally:
            resp.close()
        if announced is not None and written != announced:
            raise TruncatedDownloadError(
                f"download of snapshot {snapshot_id} is truncated: {written} of {announced} bytes",
                snapshot_id,
            )
        last = tail.final_line().strip()
        if last:
            try:
                json.loads(last)
            except ValueError:
                raise TruncatedDownloadError(
                    f"download of snapshot {snapshot_id} is truncated: its last line ({len(last)} bytes) "
                    "is not complete JSON",
                    snapshot_id,
                ) from None
        return DownloadResult(snapshot_id, written, announced, time.perf_counter() - started)

    def peek_first_record(self, snapshot_id: str) -> dict[str, Any] | None:
        """The first NDJSON record of a snapshot, reading only as far as its first newline (for recovery)."""
        resp = self._request(
            "GET",
            f"/datasets/v3/snapshot/{snapshot_id}",
            params={"format": "ndjson"},
            stream=True,
            retry_statuses=(202,),
        )
        buffer = bytearray()
        try:
            for chunk in resp.iter_content(chunk_size=64 * 1024):
                buffer += chunk
                if b"\n" in buffer or len(buffer) > _MAX_LINE_BYTES:
                    break
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError):
            pass
        finally:
            resp.close()
        line = bytes(buffer).split(b"\n", 1)[0].strip()
        if not line:
            return None
        try:
            record = json.loads(line)
        except ValueError:
            return None
        return record if isinstance(record, dict) else None

    def list_snapshots(
        self,
        dataset_id: str = LINKEDIN_JOBS_DATASET_ID,
        *,
        status: str | None = "ready",
        from_date: datetime | None = None,
        to_date: datetime | None = None,
        limit: int = 5000,
    ) -> list[SnapshotInfo]:
        """Past snapshots of a dataset, oldest first (recovery of hours that were not collected live)."""
        params: dict[str, str] = {"dataset_id": dataset_id, "limit": str(min(max(limit, 1), 5000))}
        if status:
            params["status"] = status
        if from_date:
            params["from_date"] = format_timestamp(from_date)
        if to_date:
            params["to_date"] = format_timestamp(to_date)
        body = self._json(self._request("GET", "/datasets/v3/snapshots", params=params), "snapshot list")
        if isinstance(body, dict):  # some deployments wrap the list
            body = body.get("snapshots") or body.get("data") or []
        snapshots = []
        for item in body if isinstance(body, list) else []:
            if not isinstance(item, dict) or not item.get("id") or not item.get("created"):
                continue
            try:
                created = parse_timestamp(str(item["created"]))
            except ValueError:
                continue
            snapshots.append(
                SnapshotInfo(
                    id=str(item["id"]),
                    created=created,
                    status=str(item.get("status", "")).lower(),
                    dataset_id=item.get("dataset_id"),
                    dataset_size=_as_int(item.get("dataset_size")),
                )
            )
        return sorted(snapshots, key=lambda s: (s.created, s.id))

    # -- plumbing --------------------------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "***") if self._api_key else text

    def _json(self, resp: requests.Response, what: str) -> Any:
        try:
            return resp.json()
        except ValueError:
            raise BrightDataError(
                f"{what}: response is not JSON (HTTP {resp.status_code}): {self._redact(resp.text[:200])!r}"
            ) from None

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Sequence[Any] | None = None,
        stream: bool = False,
        retry_statuses: tuple[int, ...] = (),
    ) -> requests.Response:
        url = f"{self.api_url}{path}"
        headers = {"Authorization": f"Bearer {self._api_key}", "User-Agent": "dej-platform/0.1"}
        what = f"{method} {path}"
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=headers,
                    timeout=self.timeout,
                    stream=stream,
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                if attempt >= self.retry.max_attempts:
                    raise BrightDataError(
                        f"{what} failed after {attempt} attempts: {type(exc).__name__}"
                    ) from None
                delay = self.retry.backoff(attempt, self._rng)
                log.warning("%s: %s, retry %d in %.1fs", what, type(exc).__name__, attempt, delay)
                self._sleep(delay)
                continue
            status = resp.status_code
            if status in (401, 403):
                resp.close()
                raise BrightDataAuthError(
                    f"Bright Data refused the API key (HTTP {status}) on {what}: check {API_KEY_ENV} "
                    "and the key's permissions"
                )
            if status == 429 or status >= 500 or status in retry_statuses:
                body = self._redact(resp.text[:200]) if not stream else ""
                retry_after = _retry_after_seconds(resp.headers.get("Retry-After"))
                resp.close()
                if attempt >= self.retry.max_attempts:
                    raise BrightDataHTTPError(
                        f"{what} still failing after {attempt} attempts: HTTP {status} {body!r}".rstrip(),
                        status,
                    )
                if retry_after is not None:
                    delay = min(retry_after, self.retry.max_retry_after)
                else:
                    delay = self.retry.backoff(attempt, self._rng)
                log.warning("%s: HTTP %d, retry %d in %.1fs", what, status, attempt, delay)
                self._sleep(delay)
                continue
            if status >= 400:
                body = self._redact(resp.text[:300])
                resp.close()
                raise BrightDataHTTPError(f"{what} failed: HTTP {status}: {body}", status)
            return resp


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds (`"7"`) or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
