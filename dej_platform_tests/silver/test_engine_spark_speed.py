"""The Spark engine numbers lines without a counting pass: split line keys, lines per split, shifts.

The pure parts run without Spark; the Spark tests check line numbers against the Polars engine where splits end
on blank lines, files share a task, and the session's own split settings are kept.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from dej_platform.silver.engine_polars import BronzeSource, run_polars
from dej_platform.silver.engine_spark import (
    _SPLIT_STRIDE,
    BLOCK_START,
    SPLIT_LINES,
    _block_starts,
    _number_and_key,
    _split_line_keys,
    line_number_shifts,
    run_spark,
    spark_mapped_schema,
)
from dej_platform.silver.pipeline import LINES_ARROW_SCHEMA, transform_lines
from dej_platform.silver.schema import QUARANTINE_SCHEMA
from dej_platform_tests.silver.conftest import (
    ERROR_ROW,
    HOSTILE_ITEMS,
    bronze_record,
    jsonl_lines,
    write_bronze,
)


def test_a_file_read_whole_needs_no_shift() -> None:
    assert line_number_shifts([("/a.jsonl", 0, 10), ("/b.jsonl", 0, 3)]) == {}
    assert line_number_shifts([]) == {}


def test_shifts_turn_split_keys_into_line_numbers_in_any_order() -> None:
    splits = [("/a.jsonl", 200, 4), ("/a.jsonl", 0, 3), ("/a.jsonl", 100, 5), ("/b.jsonl", 0, 2)]
    shifts = line_number_shifts(splits)
    assert ("/a.jsonl", 0) not in shifts and ("/b.jsonl", 0) not in shifts
    # Split at 100 holds lines 4..8, the one at 200 lines 9..12.
    assert _SPLIT_STRIDE * 100 + 1 + shifts[("/a.jsonl", 100)] == 4
    assert _SPLIT_STRIDE * 200 + 4 + shifts[("/a.jsonl", 200)] == 12


def test_a_split_with_more_lines_than_its_keys_can_hold_is_refused() -> None:
    with pytest.raises(RuntimeError, match="too many"):
        line_number_shifts([("/a.jsonl", 0, _SPLIT_STRIDE * 10 + 1), ("/a.jsonl", 10, 1)])
    # As many lines as keys: the keys of the next split start right after (and are its line numbers already).
    assert line_number_shifts([("/a.jsonl", 0, _SPLIT_STRIDE * 10), ("/a.jsonl", 10, 1)]) == {}


def test_keys_run_on_across_batches_and_restart_per_split() -> None:
    counts: dict[tuple[str, int], int] = {}
    files = pa.array(["f", "f", "f", "g", "g"])
    keys = _split_line_keys(files, np.array([0, 0, 50, 0, 0], np.int64), counts)
    assert keys.tolist() == [1, 2, _SPLIT_STRIDE * 50 + 1, 1, 2]
    keys = _split_line_keys(pa.array(["g", "f"]), np.array([0, 50], np.int64), counts)
    assert keys.tolist() == [3, _SPLIT_STRIDE * 50 + 2]
    assert counts == {("f", 0): 2, ("f", 50): 2, ("g", 0): 3}
    assert _split_line_keys(pa.array([], pa.string()), np.array([], np.int64), counts).tolist() == []


def test_block_starts_from_keys() -> None:
    starts = {"/f": np.array([0, 50, 90], np.int64), "/g": np.array([7], np.int64)}
    keys = np.array([1, _SPLIT_STRIDE * 50 + 1, _SPLIT_STRIDE * 90 + 3, 2, _SPLIT_STRIDE * 50], np.int64)
    files = pa.array(["/f", "/f", "/f", "/g", "/f"])
    assert _block_starts(files, keys, starts).to_pylist() == [0, 50, 90, 7, 0]
    only = {"/f": np.array([0], np.int64)}
    assert _block_starts(pa.array(["/f", "/f"]), np.array([1, 2]), only).to_pylist() == [0, 0]


def _mapped_arrow_schema() -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(spark_mapped_schema(), timezone="UTC")


def test_the_executor_function_gives_true_line_numbers_after_shifts() -> None:
    """One task reading two splits of a file in several batches (a blank line ends the first split): after the
    shifts every keyed row has the number the one-pass numbering gives, and its keys, outcome and reason are the
    rules' own."""
    items = [*HOSTILE_ITEMS, b"", *(bronze_record(str(5_000_000_000 + i)) for i in range(5)), *HOSTILE_ITEMS]
    lines = list(jsonl_lines(items))
    cut = len(HOSTILE_ITEMS) + 1  # the second split starts after the blank line
    file_uri, path = (
        "file:///data/dt=2026-01-01/hr=05/feed=a/x.jsonl",
        "/data/dt=2026-01-01/hr=05/feed=a/x.jsonl",
    )
    second_start = sum(len(line) + 1 for line in lines[:cut])
    starts = [0] * cut + [second_start] * (len(lines) - cut)

    def batch(lo: int, hi: int) -> pa.RecordBatch:
        return pa.RecordBatch.from_arrays(
            [pa.array([file_uri] * (hi - lo)), pa.array(starts[lo:hi], pa.int64()), pa.array(lines[lo:hi])],
            names=["source_file", "block_start", "line"],
        )

    schema = _mapped_arrow_schema()
    out = pa.Table.from_batches(
        list(_number_and_key(schema)(iter([batch(0, 5), batch(5, cut + 2), batch(cut + 2, len(lines))]))),
        schema=schema,
    )
    frame = pl.from_arrow(out)
    assert isinstance(frame, pl.DataFrame)
    splits = frame.filter(pl.col("_outcome") == SPLIT_LINES)
    assert sorted(zip(splits[BLOCK_START], splits["line_number"], strict=True)) == [
        (0, cut),
        (second_start, len(lines) - cut),
    ]
    assert set(splits["source_file"]) == {path}
    shifts = line_number_shifts(
        list(zip(splits["source_file"], splits[BLOCK_START], splits["line_number"], strict=True))
    )
    staged = frame.filter(pl.col("_outcome") != SPLIT_LINES).with_columns(
        pl.col("line_number")
        + pl.struct("source_file", BLOCK_START).map_elements(
            lambda s: shifts.get((s["source_file"], s[BLOCK_START]), 0), return_dtype=pl.Int64
        )
    )
    expected = transform_lines(
        pa.RecordBatch.from_arrays(
            [
                pa.array([file_uri] * len(lines)),
                pa.array(range(1, len(lines) + 1), pa.int64()),
                pa.array(lines),
            ],
            schema=LINES_ARROW_SCHEMA,
        )
    )
    got = staged.drop(BLOCK_START).sort("line_number")
    # Record rows carry their keys only (the feed matters to the quarantine's rows).
    expected = (
        expected.sort("line_number")
        .select(got.columns)
        .with_columns(pl.when(pl.col("_outcome") != "record").then(pl.col("feed_id")).alias("feed_id"))
    )
    assert got.columns == expected.columns and got.height == expected.height
    for name in got.columns:
        assert got[name].to_list() == expected[name].to_list(), name


@pytest.mark.spark
@pytest.mark.slow
def test_splits_ending_on_blank_lines_and_files_sharing_tasks_keep_their_line_numbers(
    tmp_path, spark
) -> None:
    """Tiny splits where runs of blank lines sit at split ends, beside small files packed into the same tasks:
    quarantine line numbers and dedup (later line wins) as in the Polars engine."""
    hour = tmp_path / "bronze/linkedin_jobs/dt=2026-01-01/hr=05"
    block = [
        *HOSTILE_ITEMS,
        *([b""] * 30),
        *(bronze_record(str(6_000_000_000 + i % 7), job_title=f"v{i}") for i in range(30)),
    ]
    files = [
        write_bronze(hour / "feed=a" / "big.jsonl", block * 4),
        write_bronze(hour / "feed=b" / "small.jsonl", HOSTILE_ITEMS),
        write_bronze(hour / "feed=c" / "small.jsonl", [b"", *HOSTILE_ITEMS]),
    ]
    spark.conf.set("spark.sql.files.maxPartitionBytes", "4096")
    spark.conf.set("spark.sql.files.openCostInBytes", "0")
    try:
        splits = spark.read.text(str(files[0])).select("_metadata.file_block_start").distinct().count()
        assert splits > 20
        counts_s = run_spark(spark, [str(f) for f in files], tmp_path / "s.parquet", tmp_path / "sq.parquet")
        assert spark.conf.get("spark.sql.files.minPartitionNum", None) is None  # left as it was
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
        spark.conf.unset("spark.sql.files.openCostInBytes")
    counts_p = run_polars(
        [BronzeSource.from_path(f) for f in files], tmp_path / "p.parquet", tmp_path / "pq.parquet"
    )
    assert counts_p == counts_s and counts_s.conserved
    q_p = pl.read_parquet(tmp_path / "pq.parquet").sort("source_file", "line_number")
    q_s = pl.read_parquet(tmp_path / "sq.parquet").cast(QUARANTINE_SCHEMA).sort("source_file", "line_number")  # type: ignore[arg-type]
    assert q_p.height > 20
    assert q_p.to_dicts() == q_s.to_dicts()
    silver_p = pl.read_parquet(tmp_path / "p.parquet").sort("job_posting_id")
    silver_s = pl.read_parquet(tmp_path / "s.parquet").sort("job_posting_id")
    assert silver_p["job_title"].to_list() == silver_s["job_title"].to_list()
    assert silver_p["content_hash"].to_list() == silver_s["content_hash"].to_list()


@pytest.mark.spark
@pytest.mark.slow
def test_a_session_choice_of_min_partitions_is_kept(tmp_path, spark) -> None:
    hour = tmp_path / "bronze/linkedin_jobs/dt=2026-01-01/hr=05"
    files = [write_bronze(hour / "feed=a" / "s.jsonl", HOSTILE_ITEMS)]
    spark.conf.set("spark.sql.files.minPartitionNum", "3")
    try:
        counts = run_spark(spark, [str(f) for f in files], tmp_path / "s.parquet", tmp_path / "sq.parquet")
        assert spark.conf.get("spark.sql.files.minPartitionNum") == "3"
    finally:
        spark.conf.unset("spark.sql.files.minPartitionNum")
    assert counts.silver_rows == 7 and counts.conserved


def test_the_second_pass_runs_the_rules_on_winners_only_and_refuses_a_non_record() -> None:
    """`_transform_winners` keys lines as the first pass did and keeps the winners' rows only; a winner the rules
    do not make a record (here an error row) stops the task."""
    from pyspark.sql.pandas.types import to_arrow_schema

    from dej_platform.silver.engine_spark import _transform_winners, spark_silver_schema

    file_uri, path = "file:///d/dt=2026-01-01/hr=05/feed=a/x.jsonl", "/d/dt=2026-01-01/hr=05/feed=a/x.jsonl"
    lines = list(jsonl_lines([bronze_record("1"), bronze_record("2"), ERROR_ROW, bronze_record("3")]))
    batch = pa.RecordBatch.from_arrays(
        [pa.array([file_uri] * 4), pa.array([0] * 4, pa.int64()), pa.array(lines)],
        names=["source_file", "block_start", "line"],
    )
    schema = to_arrow_schema(spark_silver_schema(), timezone="UTC")
    out = pa.Table.from_batches(
        list(_transform_winners({path: np.array([2, 4])}, schema)(iter([batch]))), schema=schema
    )
    assert out.column("job_posting_id").to_pylist() == ["2", "3"]
    with pytest.raises(RuntimeError, match="keyed as dedup winners"):
        list(_transform_winners({path: np.array([3])}, schema)(iter([batch])))
