"""A local Bright Data datasets-v3 emulator: the same endpoints, generated LinkedIn postings, switchable faults.

Endpoints: `POST /datasets/v3/trigger`, `GET /datasets/v3/progress/{id}`, `GET /datasets/v3/snapshot/{id}`
(NDJSON; `Content-Length` for small snapshots, chunked for large ones), `GET /datasets/v3/snapshots`.
Stdlib only (`ThreadingHTTPServer` on 127.0.0.1), so tests and `make run` need no account and no network.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dej_platform.bronze.emulator.generator import seed_int, snapshot_plan, snapshot_records

log = logging.getLogger(__name__)

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
CONTENT_LENGTH_MAX_RECORDS = 2000  # above this a snapshot is streamed chunked, generated on the fly


@dataclass
class Faults:
    """Switchable failure modes. Counters (`rate_limit`, `server_error`) apply to the next N API requests."""

    rate_limit: int = 0
    retry_after_s: float = 1.0
    server_error: int = 0
    ready_after_s: float = 0.0
    never_ready: bool = False
    fail_snapshots: bool = False
    truncate: bool = False
    empty: bool = False
    errors_only: bool = False

    @classmethod
    def parse(cls, spec: str | Sequence[str] | None) -> Faults:
        """`"rate_limit=2,server_error=1,slow=5,failed,truncate,empty,errors_only,never_ready,retry_after=3"`."""
        faults = cls()
        items = spec.split(",") if isinstance(spec, str) else list(spec or [])
        for raw in (i.strip() for i in items):
            if not raw:
                continue
            name, _, value = raw.partition("=")
            name = name.strip().replace("-", "_")
            if name in ("rate_limit", "429"):
                faults.rate_limit = int(value or 1)
            elif name in ("server_error", "500"):
                faults.server_error = int(value or 1)
            elif name == "retry_after":
                faults.retry_after_s = float(value)
            elif name in ("slow", "ready_after"):
                faults.ready_after_s = float(value or 60)
            elif name in ("never_ready", "failed", "truncate", "empty", "errors_only"):
                attr = "fail_snapshots" if name == "failed" else name
                setattr(faults, attr, True)
            else:
                raise ValueError(
                    f"unknown fault {raw!r}; use rate_limit=N, server_error=N, retry_after=S, slow=S, never_ready, "
                    "failed, truncate, empty, errors_only"
                )
        return faults


@dataclass
class EmulatedSnapshot:
    id: str
    dataset_id: str
    created: datetime
    discover_by: str
    inputs: list[dict[str, Any]]
    include_errors: bool
    limit_per_input: int | None
    ready_at: float  # monotonic seconds
    never_ready: bool = False
    failed: bool = False
    empty: bool = False
    errors_only: bool = False

    def status(self, now: float) -> str:
        if self.failed:
            return "failed"
        if self.never_ready or now < self.ready_at:
            return "running"
        return "ready"


@dataclass
class EmulatorConfig:
    seed: int = 0
    api_key: str | None = None  # None: any non-empty bearer token is accepted
    faults: Faults = field(default_factory=Faults)
    records_per_input: tuple[int, int] | None = None
    empty_rate: float = 0.06
    quirk_rate: float = 0.01
    shape: str = "mixed"
    history: Sequence[tuple[str, Sequence[Mapping[str, Any]]]] = ()  # (discover_by, inputs) collected hourly
    history_hours: int = 0
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    content_length_max_records: int = CONTENT_LENGTH_MAX_RECORDS


class EmulatorState:
    """Snapshots and faults, shared by the handler threads."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.snapshots: dict[str, EmulatedSnapshot] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) log for tests
        self._lock = threading.Lock()
        self._counter = 0
        self._seed_history()

    def _new_id(self, *parts: object) -> str:
        value = seed_int(self.config.seed, *parts, "hi") << 64 | seed_int(self.config.seed, *parts, "lo")
        chars = []
        for _ in range(17):
            value, rem = divmod(value, 36)
            chars.append(_BASE36[rem])
        return "sd_" + "".join(chars)

    def _seed_history(self) -> None:
        """Snapshots that 'Bright Data made' in past hours, so recovery backfills find something locally."""
        now_hour = self.config.clock().replace(minute=0, second=0, microsecond=0)
        for back in range(self.config.history_hours, 0, -1):
            hour = now_hour - timedelta(hours=back)
            for discover_by, inputs in self.config.history:
                key = json.dumps(list(inputs), sort_keys=True)
                sid = self._new_id("history", key, hour.isoformat())
                created = hour + timedelta(seconds=30 + seed_int(sid) % 1200)
                self.snapshots[sid] = EmulatedSnapshot(
                    id=sid,
                    dataset_id="gd_lpfll7v5hcqtkxl6l",
                    created=created,
                    discover_by=discover_by,
                    inputs=[dict(i) for i in inputs],
                    include_errors=True,
                    limit_per_input=None,
                    ready_at=0.0,
                )

    def take_fault(self) -> tuple[int, dict[str, str]] | None:
        """Consume one queued 429/500, if any."""
        with self._lock:
            if self.faults.rate_limit > 0:
                self.faults.rate_limit -= 1
                return 429, {"Retry-After": f"{self.faults.retry_after_s:g}"}
            if self.faults.server_error > 0:
                self.faults.server_error -= 1
                return 500, {}
        return None

    def create(
        self,
        dataset_id: str,
        discover_by: str,
        inputs: list[dict[str, Any]],
        include_errors: bool,
        limit_per_input: int | None,
    ) -> EmulatedSnapshot:
        with self._lock:
            self._counter += 1
            created = self.config.clock()
            sid = self._new_id(
                "trigger", self._counter, created.isoformat(), json.dumps(inputs, sort_keys=True)
            )
            f = self.faults
            snap = EmulatedSnapshot(
                id=sid,
                dataset_id=dataset_id,
                created=created,
                discover_by=discover_by,
                inputs=inputs,
                include_errors=include_errors,
                limit_per_input=limit_per_input,
                ready_at=time.monotonic() + f.ready_after_s,
                never_ready=f.never_ready,
                failed=f.fail_snapshots,
                empty=f.empty,
                errors_only=f.errors_only,
            )
            self.snapshots[sid] = snap
            return snap

    def records(self, snap: EmulatedSnapshot) -> Iterator[dict[str, Any]]:
        if snap.empty:
            return iter(())
        records_per_input = (0, 0) if snap.errors_only else self.config.records_per_input
        return snapshot_records(
            self.config.seed,
            snap.inputs,
            snap.discover_by,  # type: ignore[arg-type]
            snap.created,
            include_errors=snap.include_errors or snap.errors_only,
            records_per_input=records_per_input,
            limit_per_input=snap.limit_per_input,
            empty_rate=0.0 if snap.errors_only else self.config.empty_rate,
            shape=self.config.shape,  # type: ignore[arg-type]
            quirk_rate=self.config.quirk_rate,
        )

    def counts(self, snap: EmulatedSnapshot) -> tuple[int, int]:
        """(postings, error rows) without generating the rows."""
        if snap.empty:
            return 0, 0
        if snap.errors_only:
            return 0, len(snap.inputs)
        plan = snapshot_plan(
            self.config.seed,
            snap.inputs,
            snap.created,
            records_per_input=self.config.records_per_input,
            empty_rate=self.config.empty_rate,
        )
        if snap.limit_per_input is not None:
            plan = [min(c, snap.limit_per_input) for c in plan]
        errors = sum(1 for c in plan if c == 0) if snap.include_errors else 0
        return sum(plan), errors


def _param(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _EmulatorHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("emulator: " + format, *args)

    # -- helpers ---------------------------------------------------------------------------------------------

    def _send_json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else ""
        expected = self.server.state.config.api_key
        if not token or (expected is not None and token != expected):
            self._send_json(401, {"error": "Unauthorized", "message": "invalid or missing API token"})
            return False
        return True

    def _preamble(self) -> tuple[str, dict[str, list[str]]] | None:
        parts = urlsplit(self.path)
        self.server.state.requests.append((self.command, parts.path))
        if not self._authorized():
            return None
        fault = self.server.state.take_fault()
        if fault:
            status, headers = fault
            message = "Too many requests" if status == 429 else "Internal server error"
            self._send_json(status, {"error": message}, headers)
            return None
        return parts.path, parse_qs(parts.query)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- routes ----------------------------------------------------------------------------------------------

    def do_POST(self) -> None:
        body = self._read_body()
        pre = self._preamble()
        if pre is None:
            return
        path, query = pre
        if path != "/datasets/v3/trigger":
            self._send_json(404, {"error": f"no route for POST {path}"})
            return
        dataset_id = (query.get("dataset_id") or [""])[0]
        discover_by = (query.get("discover_by") or [""])[0]
        if not dataset_id:
            self._send_json(400, {"error": "dataset_id is required"})
            return
        if discover_by not in ("keyword", "url"):
            self._send_json(400, {"error": "discover_by must be 'keyword' or 'url'"})
            return
        try:
            inputs = json.loads(body or b"null")
        except ValueError:
            self._send_json(400, {"error": "body is not JSON"})
            return
        if isinstance(inputs, dict) and "input" in inputs:
            inputs = inputs["input"]
        if not isinstance(inputs, list) or not inputs or not all(isinstance(i, dict) for i in inputs):
            self._send_json(400, {"error": "body must be a non-empty JSON list of inputs"})
            return
        required = ("url",) if discover_by == "url" else ("keyword", "location")
        bad = [i for i, item in enumerate(inputs) if any(not item.get(k) for k in required)]
        if bad:
            self._send_json(
                400, {"validation_errors": [f"input {i}: needs {', '.join(required)}" for i in bad]}
            )
            return
        include_errors = (query.get("include_errors") or ["false"])[0].lower() == "true"
        limit_raw = _param(query, "limit_per_input")
        snap = self.server.state.create(
            dataset_id, discover_by, inputs, include_errors, int(limit_raw) if limit_raw else None
        )
        self._send_json(200, {"snapshot_id": snap.id})

    def do_GET(self) -> None:
        pre = self._preamble()
        if pre is None:
            return
        path, query = pre
        state = self.server.state
        if path == "/datasets/v3/snapshots":
            self._list(query)
            return
        for prefix, action in (
            ("/datasets/v3/progress/", self._progress),
            ("/datasets/v3/snapshot/", self._download),
        ):
            if path.startswith(prefix):
                snap = state.snapshots.get(path[len(prefix) :])
                if snap is None:
                    self._send_json(404, {"error": "Snapshot not found"})
                    return
                try:
                    action(snap)
                except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (e.g. a peek)
                    self.close_connection = True
                return
        self._send_json(404, {"error": f"no route for GET {path}"})

    def _progress(self, snap: EmulatedSnapshot) -> None:
        status = snap.status(time.monotonic())
        body: dict[str, Any] = {"snapshot_id": snap.id, "dataset_id": snap.dataset_id, "status": status}
        if status == "ready":
            body["records"], body["errors"] = self.server.state.counts(snap)
        if status == "failed":
            body["error"] = "Collection failed: the target site could not be reached"
        self._send_json(200, body)

    def _list(self, query: dict[str, list[str]]) -> None:
        state = self.server.state
        dataset_id = _param(query, "dataset_id")
        status = _param(query, "status")
        limit = int((query.get("limit") or ["5000"])[0])
        bounds = []
        for name in ("from_date", "to_date"):
            raw = _param(query, name)
            bounds.append(datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None)
        now = time.monotonic()
        items = []
        for snap in sorted(state.snapshots.values(), key=lambda s: s.created):
            snap_status = snap.status(now)
            if dataset_id and snap.dataset_id != dataset_id:
                continue
            if status and snap_status != status:
                continue
            if bounds[0] and snap.created < bounds[0]:
                continue
            if bounds[1] and snap.created >= bounds[1]:
                continue
            records, errors = state.counts(snap)
            items.append(
                {
                    "id": snap.id,
                    "created": snap.created.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                    "status": snap_status,
                    "dataset_id": snap.dataset_id,
                    "dataset_size": records + errors,
                }
            )
        self._send_json(200, items[:limit])

    def _download(self, snap: EmulatedSnapshot) -> None:
        state = self.server.state
        status = snap.status(time.monotonic())
        if status == "running":
            self._send_json(
                202, {"status": "building", "message": "Snapshot is not ready yet, try again in 30s"}
            )
            return
        if status == "failed":
            self._send_json(400, {"error": "Snapshot failed", "snapshot_id": snap.id})
            return
        records, errors = state.counts(snap)
        truncate = state.faults.truncate
        if records + errors <= state.config.content_length_max_records:
            data = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in state.records(snap))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Content-Length", str(len(data)))
            if truncate:
                self.send_header("Connection", "close")
            self.end_headers()
            if truncate:  # announce everything, send part of it, hang up
                self.wfile.write(data[: max(1, len(data) * 2 // 3)])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        limit = (records + errors) * 2 // 3 if truncate else None
        buffer: list[bytes] = []
        size = 0
        for index, record in enumerate(state.records(snap)):
            line = json.dumps(record, ensure_ascii=False).encode() + b"\n"
            if limit is not None and index >= limit:
                buffer.append(line[: len(line) // 2])  # a record cut in half, then a clean end of stream
                break
            buffer.append(line)
            size += len(line)
            if size >= 256 * 1024:
                self._chunk(b"".join(buffer))
                buffer, size = [], 0
        if buffer:
            self._chunk(b"".join(buffer))
        self.wfile.write(b"0\r\n\r\n")

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")


class _EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: EmulatorState) -> None:
        super().__init__(address, _Handler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (a timed-out poll, a test closing its session) is normal; anything else is not.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class RunningEmulator:
    """A started emulator: `.url` for `BRIGHTDATA_API_URL`, `.state` for faults and inspection, `.stop()`."""

    def __init__(self, server: _EmulatorHTTPServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = str(server.server_address[0]), int(server.server_address[1])
        self.url = f"http://{host}:{port}"
        self.port = int(port)

    @property
    def state(self) -> EmulatorState:
        return self._server.state

    def set_faults(self, faults: Faults | str) -> None:
        self._server.state.faults = Faults.parse(faults) if isinstance(faults, str) else replace(faults)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RunningEmulator(url={self.url!r})"


def start_emulator(
    *,
    seed: int = 0,
    faults: Faults | str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    api_key: str | None = None,
    records_per_input: tuple[int, int] | None = None,
    empty_rate: float = 0.06,
    quirk_rate: float = 0.01,
    history: Sequence[tuple[str, Sequence[Mapping[str, Any]]]] = (),
    history_hours: int = 0,
    clock: Callable[[], datetime] | None = None,
    content_length_max_records: int = CONTENT_LENGTH_MAX_RECORDS,
) -> RunningEmulator:
    """Start the emulator in a daemon thread (port 0 = a free port). Use as a context manager or call `.stop()`."""
    config = EmulatorConfig(
        seed=seed,
        api_key=api_key,
        faults=Faults.parse(faults) if isinstance(faults, str) or faults is None else replace(faults),
        records_per_input=records_per_input,
        empty_rate=empty_rate,
        quirk_rate=quirk_rate,
        history=history,
        history_hours=history_hours,
        clock=clock or (lambda: datetime.now(UTC)),
        content_length_max_records=content_length_max_records,
    )
    server = _EmulatorHTTPServer((host, port), EmulatorState(config))
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"brightdata-emulator-{server.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return RunningEmulator(server, thread)
