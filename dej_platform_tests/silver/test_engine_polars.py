"""The Polars engine: conservation, dedup in the hour, batching, gzip, empty and error-only input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dej_platform.silver.engine_polars import BronzeSource, run_polars
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA
from dej_platform_tests.silver.conftest import (
    ERROR_ROW,
    HOSTILE_EXPECTED,
    HOSTILE_ITEMS,
    bronze_record,
    write_bronze,
)

ROOT = Path(__file__).resolve().parents[2]

HOUR_DIR = "bronze/linkedin_jobs/dt=2026-01-01/hr=05"


def _run(tmp_path, files, **kwargs):
    silver, quarantine = tmp_path / "silver.parquet", tmp_path / "quarantine.parquet"
    counts = run_polars([BronzeSource.from_path(f) for f in files], silver, quarantine, **kwargs)
    return counts, pl.read_parquet(silver), pl.read_parquet(quarantine)


def test_hostile_snapshot_counts_add_up(tmp_path) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "feed=de_us" / "a.jsonl", HOSTILE_ITEMS)
    counts, silver, quarantine = _run(tmp_path, [path])
    assert {k: v for k, v in counts.as_dict().items() if k in HOSTILE_EXPECTED} == HOSTILE_EXPECTED
    assert counts.conserved and counts.utf8_repaired == 1
    assert silver.schema == pl.Schema(JOB_POSTINGS_SCHEMA)
    assert quarantine.schema == pl.Schema(QUARANTINE_SCHEMA)
    assert silver.height == counts.silver_rows and quarantine.height == counts.quarantined
    assert silver["job_posting_id"].is_unique().all()
    assert quarantine["line_number"].sort().to_list() == [6, 7, 9, 11, 12, 14]
    assert quarantine["source_file"].unique().to_list() == [str(path)]


def test_latest_scrape_in_the_hour_wins_across_feeds(tmp_path) -> None:
    a = write_bronze(
        tmp_path / HOUR_DIR / "feed=a" / "s.jsonl",
        [bronze_record("1", timestamp="2026-01-01T05:10:00Z", job_title="old")],
    )
    b = write_bronze(
        tmp_path / HOUR_DIR / "feed=b" / "s.jsonl",
        [
            bronze_record("1", timestamp="2026-01-01T05:50:00Z", job_title="new"),
            bronze_record("1", timestamp="2026-01-01T05:30:00Z", job_title="middle"),
        ],
    )
    counts, silver, _ = _run(tmp_path, [a, b])
    assert (counts.silver_rows, counts.duplicates_removed) == (1, 2)
    row = silver.row(0, named=True)
    assert (row["job_title"], row["feed_id"]) == ("new", "b")


def test_batch_size_does_not_change_the_output(tmp_path) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "feed=x" / "a.jsonl", HOSTILE_ITEMS * 3)
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()
    c1, s1, q1 = _run(tmp_path / "small", [path], batch_lines=4)
    c2, s2, q2 = _run(tmp_path / "big", [path], batch_lines=10_000)
    assert c1 == c2
    assert s1.sort("job_posting_id").equals(s2.sort("job_posting_id"))
    assert q1.equals(q2)


def test_gzip_is_read_by_content(tmp_path) -> None:
    gz = write_bronze(tmp_path / HOUR_DIR / "feed=x" / "a.jsonl.gz", HOSTILE_ITEMS, gz=True)
    counts, silver, _ = _run(tmp_path, [gz])
    assert counts.bronze_records == HOSTILE_EXPECTED["bronze_records"]
    assert silver.height == HOSTILE_EXPECTED["silver_rows"]


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], {"bronze_records": 0, "silver_rows": 0, "error_rows": 0}),
        ([ERROR_ROW, ERROR_ROW, b""], {"bronze_records": 2, "silver_rows": 0, "error_rows": 2}),
    ],
)
def test_empty_and_error_only_snapshots(tmp_path, items, expected) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "feed=x" / "a.jsonl", items)
    counts, silver, quarantine = _run(tmp_path, [path])
    assert {k: counts.as_dict()[k] for k in expected} == expected
    assert silver.height == 0 and quarantine.height == 0
    assert silver.schema == pl.Schema(JOB_POSTINGS_SCHEMA)


def test_crlf_lines_and_missing_final_newline(tmp_path) -> None:
    import json

    path = tmp_path / HOUR_DIR / "feed=x" / "a.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        json.dumps(bronze_record("1")).encode() + b"\r\n" + json.dumps(bronze_record("2")).encode()
    )
    counts, silver, _ = _run(tmp_path, [path])
    assert counts.quarantined == 0
    assert silver["job_posting_id"].sort().to_list() == ["1", "2"]


@pytest.mark.slow
def test_worker_processes_give_the_same_output(tmp_path) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "feed=x" / "a.jsonl", HOSTILE_ITEMS * 4)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    c1, s1, q1 = _run(tmp_path / "one", [path], batch_lines=8)
    c2, s2, q2 = _run(tmp_path / "two", [path], batch_lines=8, workers=2)
    assert c1 == c2 and s1.equals(s2) and q1.equals(q2)


def print_without_newline(text: str) -> int:
    """A task for a worker process: output that sits in its stdout buffer (a pipe is block-buffered)."""
    print(text, end="")
    return os.getpid()


@pytest.mark.slow
def test_workers_skip_teardown_but_their_output_still_arrives() -> None:
    """Workers end with os._exit (no interpreter teardown); what they printed is flushed first."""
    code = (
        "from dej_platform.silver.engine_polars import _executor\n"
        "from dej_platform_tests.silver.test_engine_polars import print_without_newline\n"
        "if __name__ == '__main__':\n"
        "    with _executor(2) as pool:\n"
        "        pids = {pool.submit(print_without_newline, f'said-{i};').result() for i in range(4)}\n"
        "    print(' workers', len(pids))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert all(f"said-{i};" in done.stdout for i in range(4)), done.stdout
    assert done.stdout.rstrip().endswith(("workers 1", "workers 2"))


@pytest.mark.slow
def test_workers_read_local_ranges_with_the_same_line_numbers(tmp_path) -> None:
    """Workers read byte ranges of plain local files themselves; gzip goes through the main process. Blank
    lines, CRLF, a missing final newline and a line longer than a whole range keep their line numbers."""
    import gzip
    import json

    def line(i: int) -> bytes:
        return json.dumps(bronze_record(str(i))).encode()

    folder = tmp_path / HOUR_DIR / "feed=x"
    folder.mkdir(parents=True)
    plain = folder / "a.jsonl"
    long_line = json.dumps(bronze_record("99") | {"job_summary": "x" * 200_000}).encode()
    plain.write_bytes(
        b"\n".join([line(1), b"", line(2) + b"\r", b"{broken", long_line, b"", line(3), line(4)])
    )
    zipped = folder / "b.jsonl.gz"
    zipped.write_bytes(gzip.compress(b"\n".join(line(i) for i in range(10, 20)) + b"\n"))
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    c1, s1, q1 = _run(tmp_path / "one", [plain, zipped], batch_lines=2)
    c2, s2, q2 = _run(tmp_path / "two", [plain, zipped], batch_lines=2, workers=2)
    assert c1 == c2 and s1.equals(s2) and q1.equals(q2)
    assert c1.bronze_records == 16 and c1.quarantined == 1  # blank lines are no records
    assert q1["line_number"].to_list() == [4]
    assert sorted(s1["job_posting_id"].cast(pl.Int64)) == [1, 2, 3, 4, *range(10, 20), 99]
