"""Silver on Spark: the same Arrow-batch rules through `mapInArrow`, dedup with a window.

Runs in a local session (tests, `dej silver --engine spark`, the `spark` silver engine resource) and on AWS Glue
(`infra/glue/silver_job.py`). Big files are split across tasks (gzip files cannot be); line numbers come from a
first pass that counts the lines of every split, then a running count inside each split.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dej_platform.silver.dedup import DEDUP_KEYS, DEDUP_ORDER
from dej_platform.silver.pipeline import (
    LINES_ARROW_SCHEMA,
    STAGED_SCHEMA,
    SilverCounts,
    transform_arrow_batches,
)
from dej_platform.silver.records import LineOutcome
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.parquet.compression.codec": "zstd",
    "spark.sql.shuffle.partitions": "4",
    # Rows are wide (HTML + text, ~12 KB): 4,096-row reader batches of every column overflow a 1 GB heap.
    "spark.sql.parquet.columnarReaderBatchSize": "512",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


def local_spark_config(app_name: str = "dej-silver", cores: int = 2, memory: str = "2g") -> dict[str, str]:
    """Spark settings of the local engine: loopback only, the tuned reader batch size, no UI."""
    return {
        "spark.master": f"local[{cores}]",
        "spark.app.name": app_name,
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.memory": memory,
        **SESSION_CONF,
    }


def prepare_local_spark_env() -> None:
    """Python workers must run this interpreter (the venv), and Spark must bind to loopback."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable


def local_spark_session(app_name: str = "dej-silver", cores: int = 2, memory: str = "2g") -> SparkSession:
    """A local Spark session bound to loopback, running Python workers on this interpreter."""
    prepare_local_spark_env()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for key, value in local_spark_config(app_name, cores, memory).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_staged_schema() -> StructType:
    """The staged table's Spark schema, from the same Polars schema the batch function produces."""
    import polars as pl
    from pyspark.sql.pandas.types import from_arrow_schema

    arrow = pl.DataFrame(schema=STAGED_SCHEMA).to_arrow().schema
    return from_arrow_schema(arrow)


def _number_and_transform(arrow_schema: pa.Schema, first_lines: dict[tuple[str, int], int]):  # type: ignore[no-untyped-def]
    """The executor-side function: number lines, then the shared rules.

    A file may be split across tasks (Spark's text reader gives every line to exactly one split, in order);
    `first_lines[(file, split start)]` is the number of the split's first line, so a running count inside the
    split gives each line the number the Polars engine gives it."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        counters: dict[tuple[str, int], int] = {}

        def numbered() -> Iterator[pa.RecordBatch]:
            for batch in batches:
                numbers = []
                files = batch.column("source_file").to_pylist()
                starts = batch.column("block_start").to_pylist()
                for split in zip(files, starts, strict=True):
                    seen = counters.get(split)
                    if seen is None:
                        seen = first_lines[split] - 1
                    counters[split] = seen + 1
                    numbers.append(seen + 1)
                yield pa.RecordBatch.from_arrays(
                    [batch.column("source_file"), pa.array(numbers, pa.int64()), batch.column("line")],
                    schema=LINES_ARROW_SCHEMA,
                )

        yield from transform_arrow_batches(numbered(), arrow_schema)

    return run


def _first_lines(lines: DataFrame) -> dict[tuple[str, int], int]:
    """Number of the first line of every (file, split start): lines per split, summed over earlier splits."""
    counts = lines.groupBy("source_file", "block_start").count().collect()
    first: dict[tuple[str, int], int] = {}
    running: dict[str, int] = {}
    for row in sorted(counts, key=lambda r: (r["source_file"], r["block_start"])):
        number = running.get(row["source_file"], 0)
        first[(row["source_file"], row["block_start"])] = number + 1
        running[row["source_file"]] = number + row["count"]
    return first


def staged_frame(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    """Bronze files -> staged rows (every silver column + outcome of each line), lazily."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = spark_staged_schema()
    lines = spark.read.option("lineSep", "\n").text(list(paths))
    lines = lines.select(
        F.col("_metadata.file_path").alias("source_file"),
        F.col("_metadata.file_block_start").alias("block_start"),
        F.col("value").cast("binary").alias("line"),
    )
    # A cheap first pass counts the lines of each split, so big files are transformed by every core.
    first_lines = _first_lines(lines.select("source_file", "block_start"))
    return lines.mapInArrow(
        _number_and_transform(to_arrow_schema(schema, timezone="UTC"), first_lines), schema
    )


def dedup_within_hour(staged: DataFrame) -> DataFrame:
    """Latest `scraped_at` per (hour, posting); the later file and line win ties, as in the Polars engine.

    The window runs on the narrow keys only; the wide rows (HTML and text) are then kept by a broadcast semi-join
    on (file, line), so they are never shuffled or sorted.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    window = Window.partitionBy(*DEDUP_KEYS).orderBy(*[F.col(c).desc_nulls_last() for c in DEDUP_ORDER])
    records = staged.where(F.col("_outcome") == LineOutcome.RECORD.value)
    winners = (
        records.select(*DEDUP_KEYS, *DEDUP_ORDER)
        .withColumn("_rank", F.row_number().over(window))
        .where(F.col("_rank") == 1)
        .select("source_file", "line_number")
    )
    return records.join(F.broadcast(winners), on=["source_file", "line_number"], how="left_semi").select(
        *JOB_POSTINGS_SCHEMA
    )


def quarantine_rows(staged: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    return staged.where(F.col("_outcome") == LineOutcome.QUARANTINED.value).select(
        *[F.col("_reason").alias("reason") if c == "reason" else F.col(c) for c in QUARANTINE_SCHEMA]
    )


def outcome_counts(staged: DataFrame) -> SilverCounts:
    from pyspark.sql import functions as F

    rows = staged.groupBy("_outcome").agg(
        F.count(F.lit(1)).alias("n"), F.sum(F.col("_utf8_repaired").cast("int")).alias("repaired")
    )
    by_outcome = {r["_outcome"]: (int(r["n"]), int(r["repaired"] or 0)) for r in rows.collect()}
    return SilverCounts(
        bronze_records=sum(n for n, _ in by_outcome.values()),
        silver_rows=by_outcome.get(LineOutcome.RECORD.value, (0, 0))[0],
        quarantined=by_outcome.get(LineOutcome.QUARANTINED.value, (0, 0))[0],
        error_rows=by_outcome.get(LineOutcome.ERROR_ROW.value, (0, 0))[0],
        utf8_repaired=sum(r for _, r in by_outcome.values()),
    )


def run_spark_to_dirs(
    spark: SparkSession, paths: Sequence[str], silver_dir: str, quarantine_dir: str | None, scratch_dir: str
) -> SilverCounts:
    """Bronze files -> silver and quarantine Parquet folders (Spark's layout, e.g. on S3 from Glue)."""
    staged_path = f"{scratch_dir.rstrip('/')}/staged"
    # The rules run once: the staged rows are materialized, then counted, deduped and split.
    # Scratch written once and read twice: lz4 costs less CPU than zstd both ways.
    staged_frame(spark, paths).write.mode("overwrite").option("compression", "lz4").parquet(staged_path)
    staged = spark.read.parquet(staged_path)
    counts = outcome_counts(staged)
    # No coalesce(1) here: one task would then sort every wide row of the hour after the window's shuffle.
    dedup_within_hour(staged).write.mode("overwrite").parquet(silver_dir)
    kept = spark.read.parquet(silver_dir).count()
    counts.duplicates_removed = counts.silver_rows - kept
    counts.silver_rows = kept
    if quarantine_dir is not None:
        quarantine_rows(staged).coalesce(1).write.mode("overwrite").parquet(quarantine_dir)
    return counts


def delete_path(spark: SparkSession, uri: str) -> None:
    """Remove a scratch folder through Hadoop's file system (local, s3://, s3a:// alike)."""
    jvm: Any = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(path, True)  # type: ignore[attr-defined]


def run_spark(
    spark: SparkSession,
    paths: Sequence[str],
    silver_out: str | os.PathLike[str],
    quarantine_out: str | os.PathLike[str] | None = None,
    *,
    scratch_dir: str | os.PathLike[str] | None = None,
) -> SilverCounts:
    """Bronze files -> one silver Parquet file and one quarantine Parquet file (like `run_polars`)."""
    with tempfile.TemporaryDirectory(prefix="dej-silver-spark-", dir=scratch_dir) as scratch:
        silver_dir = os.path.join(scratch, "silver")
        quarantine_dir = os.path.join(scratch, "quarantine") if quarantine_out is not None else None
        counts = run_spark_to_dirs(
            spark, [str(Path(p).resolve()) for p in paths], silver_dir, quarantine_dir, scratch
        )
        _single_file(silver_dir, silver_out)
        if quarantine_dir is not None and quarantine_out is not None:
            _single_file(quarantine_dir, quarantine_out)
    return counts


def _single_file(spark_dir: str, target: str | os.PathLike[str]) -> None:
    """Spark's part files as one Parquet file, through one streaming polars plan (bounded memory, every core)."""
    import polars as pl

    parts = sorted(str(p) for p in Path(spark_dir).glob("part-*.parquet"))
    if len(parts) == 1:
        shutil.move(parts[0], str(target))
        return
    if not parts:
        raise RuntimeError(f"no Parquet part in {spark_dir}")
    pl.scan_parquet(parts).sink_parquet(str(target), compression="zstd")
