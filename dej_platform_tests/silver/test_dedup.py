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


def test_winners_equal_a_plain_python_reference_on_random_keys() -> None:
    """Random hours, ids, times (some null), files given in any order and lines: the winner of each
    (hour, id) is the row with the greatest (scraped_at, source_file, line_number), null times last."""
    import random

    rng = random.Random(11)
    rows = [
        {
            "ingestion_hour": _ts(rng.choice([5, 6])),
            "job_posting_id": str(rng.randint(1, 40)),
            "scraped_at": None if rng.random() < 0.1 else _ts(5, rng.randint(0, 5)),
            "source_file": rng.choice(["/b/z.jsonl", "/a/y.jsonl", "/c/a.jsonl"]),
            "line_number": rng.randint(1, 30),
        }
        for _ in range(400)
    ]
    best: dict[tuple, dict] = {}
    for row in rows:
        key = (row["ingestion_hour"], row["job_posting_id"])
        rank = (
            row["scraped_at"] is not None,
            row["scraped_at"] or _ts(0),
            row["source_file"],
            row["line_number"],
        )
        if key not in best or rank > best[key][0]:
            best[key] = (rank, row)
    expected = sorted((r["source_file"], r["line_number"]) for _, r in best.values())
    assert sorted(winners_polars(pl.DataFrame(rows)).collect().rows()) == expected
