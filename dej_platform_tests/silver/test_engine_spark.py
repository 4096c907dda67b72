"""Spark runs the same batch function through mapInArrow: its output must equal the Polars engine's."""

from __future__ import annotations

import os

import polars as pl
import pytest

from dej_platform.silver.engine_polars import BronzeSource, run_polars
from dej_platform.silver.engine_spark import run_spark
from dej_platform.silver.schema import FREE_TEXT_COLUMNS, JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA
from dej_platform_tests.silver.conftest import (
    HOSTILE_EXPECTED,
    HOSTILE_ITEMS,
    bronze_record,
    new_shape_record,
    write_bronze,
)

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _assert_frames_equal(a: pl.DataFrame, b: pl.DataFrame, key: list[str]) -> None:
    a, b = a.sort(key), b.sort(key)
    assert a.columns == b.columns and a.height == b.height
    for name in a.columns:
        assert a[name].to_list() == b[name].to_list(), f"column {name} differs between engines"


def test_spark_and_polars_agree_on_every_column(tmp_path, spark) -> None:
    hour = tmp_path / "bronze/linkedin_jobs/dt=2026-01-01/hr=05"
    files = [
        write_bronze(hour / "feed=a" / "s.jsonl", HOSTILE_ITEMS),
        write_bronze(
            hour / "feed=b" / "s.jsonl.gz",
            [
                bronze_record("1000000001", timestamp="2026-01-01T05:59:00Z", job_title="latest"),
                new_shape_record("2000000001", job_base_pay_range="€60,000 - €70,000 per year"),
                bronze_record("2000000002", job_location="Remote", country_code=None),
            ],
            gz=True,
        ),
    ]
    # The first file is given twice (the second time by a relative path): both engines read it once.
    twice = [*files, os.path.relpath(files[0])]
    counts_p = run_polars(
        [BronzeSource.from_path(f) for f in twice], tmp_path / "p.parquet", tmp_path / "pq.parquet"
    )
    counts_s = run_spark(spark, [str(f) for f in twice], tmp_path / "s.parquet", tmp_path / "sq.parquet")
    assert counts_p == counts_s and counts_s.conserved
    assert counts_p.bronze_records == HOSTILE_EXPECTED["bronze_records"] + 3
    silver_p = pl.read_parquet(tmp_path / "p.parquet")
    silver_s = pl.read_parquet(tmp_path / "s.parquet").cast(JOB_POSTINGS_SCHEMA)  # type: ignore[arg-type]
    assert silver_p.height == 9
    _assert_frames_equal(silver_p, silver_s, ["job_posting_id"])
    assert silver_p.filter(pl.col("job_posting_id") == "1000000001")["job_title"].item() == "latest"
    q_p = pl.read_parquet(tmp_path / "pq.parquet")
    q_s = pl.read_parquet(tmp_path / "sq.parquet").cast(QUARANTINE_SCHEMA)  # type: ignore[arg-type]
    _assert_frames_equal(q_p, q_s, ["source_file", "line_number"])


def test_glue_job_writes_the_lake_layout_the_check_accepts(tmp_path, spark) -> None:
    import importlib.util
    from pathlib import Path

    from dej_platform.lake import Lake
    from dej_platform.silver.partition_run import check_conservation

    script = Path(__file__).resolve().parents[2] / "infra" / "glue" / "silver_job.py"
    spec = importlib.util.spec_from_file_location("silver_job", script)
    assert spec is not None and spec.loader is not None
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)

    lake_dir = tmp_path / "lake"
    hour_dir = lake_dir / "bronze/linkedin_jobs/dt=2026-01-01/hr=05"
    write_bronze(hour_dir / "feed=a" / "s.jsonl", HOSTILE_ITEMS)
    empty_hour = {"dt": "2026-01-01", "hr": "06"}
    results = job.run_hours(spark, str(lake_dir), [{"dt": "2026-01-01", "hr": "05"}, empty_hour])
    assert [r["silver_rows"] for r in results] == [7, 0]
    lake = Lake(str(lake_dir))
    report = check_conservation(lake, {"dt": "2026-01-01", "hr": "05"})
    assert report.passed, report.problems
    assert lake.read_table("silver", "job_postings")["job_posting_id"].n_unique() == 7
    assert not (lake_dir / ".scratch/silver/dt=2026-01-01/hr=05").exists()
    # As the Polars engine's parts: the long free text has no dictionary and no statistics, the rest has both.
    import pyarrow.parquet as pq

    parts = sorted((lake_dir / "silver/job_postings/dt=2026-01-01/hr=05").glob("*.parquet"))
    meta = max((pq.ParquetFile(p).metadata for p in parts), key=lambda m: m.num_rows)
    columns = {
        meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i)
        for i in range(meta.num_columns)
    }
    for name in FREE_TEXT_COLUMNS:
        assert not columns[name].is_stats_set and "PLAIN_DICTIONARY" not in columns[name].encodings, name
    assert columns["job_posting_id"].is_stats_set and "PLAIN_DICTIONARY" in columns["job_title"].encodings


def test_dagster_asset_on_the_spark_engine_matches_polars(tmp_path, spark) -> None:
    import dagster as dg

    from dej_platform.defs.silver.assets import silver_job_postings
    from dej_platform.defs.silver.checks import record_conservation
    from dej_platform.defs.silver.resources import SilverEngineResource
    from dej_platform.lake import Lake
    from dej_platform.resources import LakeResource

    frames = {}
    for engine in ("polars", "spark"):
        lake_dir = tmp_path / engine
        write_bronze(lake_dir / "bronze/linkedin_jobs/dt=2026-01-01/hr=05/feed=a/s.jsonl", HOSTILE_ITEMS)
        result = dg.materialize(
            [silver_job_postings, record_conservation],
            partition_key="2026-01-01-05:00",
            resources={
                "lake": LakeResource(url=str(lake_dir)),
                "silver_engine": SilverEngineResource(engine=engine),
            },
        )
        assert result.success
        assert all(c.passed for c in result.get_asset_check_evaluations())
        frames[engine] = Lake(str(lake_dir)).read_table("silver", "job_postings").drop("dt", "hr")
    polars_rows = frames["polars"].sort("job_posting_id")
    spark_rows = frames["spark"].cast(JOB_POSTINGS_SCHEMA).sort("job_posting_id")  # type: ignore[arg-type]
    assert polars_rows.height == 7
    for name in polars_rows.columns:
        assert polars_rows[name].to_list() == spark_rows[name].to_list(), name


def test_a_file_split_across_tasks_keeps_its_line_numbers(tmp_path, spark) -> None:
    """With tiny splits a file is read by many tasks; quarantined lines and dedup ties (later line wins) must
    come out exactly as in the Polars engine, which numbers lines in one pass."""
    hour = tmp_path / "bronze/linkedin_jobs/dt=2026-01-01/hr=05"
    items = [
        *HOSTILE_ITEMS,
        *(bronze_record(str(3_000_000_000 + i % 40), job_title=f"v{i}") for i in range(120)),
        *HOSTILE_ITEMS,
    ]
    files = [write_bronze(hour / "feed=a" / "big.jsonl", items)]
    assert files[0].stat().st_size > 25 * 8192  # 25+ splits
    spark.conf.set("spark.sql.files.maxPartitionBytes", "8192")
    try:
        splits = spark.read.text(str(files[0])).select("_metadata.file_block_start").distinct().count()
        assert splits > 20
        counts_s = run_spark(spark, [str(f) for f in files], tmp_path / "s.parquet", tmp_path / "sq.parquet")
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    counts_p = run_polars(
        [BronzeSource.from_path(f) for f in files], tmp_path / "p.parquet", tmp_path / "pq.parquet"
    )
    assert counts_p == counts_s and counts_s.duplicates_removed >= 80
    silver_p = pl.read_parquet(tmp_path / "p.parquet")
    silver_s = pl.read_parquet(tmp_path / "s.parquet").cast(JOB_POSTINGS_SCHEMA)  # type: ignore[arg-type]
    _assert_frames_equal(silver_p, silver_s, ["job_posting_id"])
    q_p = pl.read_parquet(tmp_path / "pq.parquet")
    q_s = pl.read_parquet(tmp_path / "sq.parquet").cast(QUARANTINE_SCHEMA)  # type: ignore[arg-type]
    _assert_frames_equal(q_p, q_s, ["source_file", "line_number"])
    assert q_p.height > 0
