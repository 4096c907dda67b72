"""Dedup in the hour (winner ordering) and the current state across hours."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from dej_platform.silver.dedup import merge_current, winners_polars
from dej_platform.silver.schema import JOB_POSTINGS_CURRENT_SCHEMA, JOB_POSTINGS_SCHEMA


def _ts(h: int, m: int = 0) -> datetime:
    return datetime(2026, 1, 1, h, m, tzinfo=UTC)


def test_latest_scrape_wins_and_ties_go_to_the_later_line() -> None:
    keys = pl.DataFrame(
        {
            "ingestion_hour": [_ts(5)] * 5,
            "job_posting_id": ["1", "1", "2", "2", "3"],
            "scraped_at": [_ts(5, 10), _ts(5, 40), _ts(5, 30), _ts(5, 30), _ts(5, 1)],
            "source_file": ["a", "a", "a", "b", "a"],
            "line_number": [1, 2, 3, 1, 4],
        }
    )
    winners = winners_polars(keys).collect().sort("source_file", "line_number").rows()
    assert winners == [("a", 2), ("a", 4), ("b", 1)]


def test_same_posting_in_two_hours_is_kept_in_both_hours() -> None:
    keys = pl.DataFrame(
        {
            "ingestion_hour": [_ts(5), _ts(6)],
            "job_posting_id": ["1", "1"],
            "scraped_at": [_ts(5, 10), _ts(6, 10)],
            "source_file": ["a", "b"],
            "line_number": [1, 1],
        }
    )
    assert winners_polars(keys).collect().height == 2


def _silver_rows(rows: list[dict]) -> pl.LazyFrame:
    full = [{name: row.get(name) for name in JOB_POSTINGS_SCHEMA} for row in rows]
    return pl.DataFrame(full, schema=JOB_POSTINGS_SCHEMA).lazy()


def test_current_state_keeps_latest_version_and_history() -> None:
    day1 = _silver_rows(
        [
            {"job_posting_id": "1", "job_title": "v1", "scraped_at": _ts(5, 10), "ingestion_hour": _ts(5)},
            {"job_posting_id": "1", "job_title": "v2", "scraped_at": _ts(6, 10), "ingestion_hour": _ts(6)},
            {"job_posting_id": "2", "job_title": "only", "scraped_at": _ts(6, 20), "ingestion_hour": _ts(6)},
        ]
    )
    state1 = merge_current(None, day1).collect()
    assert state1.schema == pl.Schema(JOB_POSTINGS_CURRENT_SCHEMA)
    row1 = state1.filter(pl.col("job_posting_id") == "1").row(0, named=True)
    assert (row1["job_title"], row1["times_seen"]) == ("v2", 2)
    assert (row1["first_seen_at"], row1["last_seen_at"]) == (_ts(5, 10), _ts(6, 10))

    day2 = _silver_rows(
        [{"job_posting_id": "1", "job_title": "v3", "scraped_at": _ts(23, 0), "ingestion_hour": _ts(23)}]
    )
    state2 = merge_current(state1.lazy(), day2).collect()
    row = state2.filter(pl.col("job_posting_id") == "1").row(0, named=True)
    assert (row["job_title"], row["times_seen"], row["first_seen_at"]) == ("v3", 3, _ts(5, 10))
    assert state2.filter(pl.col("job_posting_id") == "2")["times_seen"].item() == 1
    assert state2.height == 2
