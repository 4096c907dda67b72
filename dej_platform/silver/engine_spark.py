"""Silver on Spark: dedup first on keys scanned in `mapInArrow`, then the same Arrow-batch rules on the winners.

Runs in a local session (tests, `dej silver --engine spark`, the `spark` silver engine resource) and on AWS Glue
(`infra/glue/silver_job.py`). Two passes over the bronze text, as in the Polars engine: the first runs
`pipeline.line_keys` (outcome and dedup keys of every line, no rule on the text) and writes those narrow rows to
scratch; the driver counts them and picks the winners with the Polars engine's `winners_polars`; the second pass
runs `pipeline.transform_lines` on the winning lines only and writes silver. Big files are split across tasks (gzip files cannot be). Line numbers need no extra pass over the
input: each task numbers the lines of its splits with a running count placed after the split's byte offset
(`_split_line_key`), which orders lines like the true line numbers do (enough for dedup ties, and the same in both
passes), and reports how many lines each split had; the few rows that show a line number (quarantine) get the
true number from those counts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from dej_platform.silver.arrow_buffers import arrow_int64
from dej_platform.silver.dedup import each_file_once, winners_polars
from dej_platform.silver.engine_polars import KEEP_FREED_MEMORY, output_folder, part_name
from dej_platform.silver.pipeline import (
    KEY_COLUMNS,
    LINES_ARROW_SCHEMA,
    STAGED_SCHEMA,
    SilverCounts,
    line_keys,
    normalize_source_file,
    normalized_files,
    transform_lines,
)
from dej_platform.silver.records import LineOutcome
from dej_platform.silver.schema import FREE_TEXT_COLUMNS, JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

# The Python workers run the rules one batch at a time: polars on one thread each (Spark runs a worker per core),
# allocators that keep freed pages (as the Polars engine's workers do).
PYTHON_WORKER_ENV = {"POLARS_MAX_THREADS": "1", **KEEP_FREED_MEMORY}

SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.parquet.compression.codec": "zstd",
    "spark.sql.shuffle.partitions": "4",
    # Rows are wide (HTML + text, ~12 KB): 4,096-row reader batches of every column overflow a 1 GB heap.
    "spark.sql.parquet.columnarReaderBatchSize": "512",
    # Lines per Arrow batch to and from the rules: the Polars engine's batch size (Spark's default of 10,000
    # wide rows is ~60 MB in and ~120 MB out per batch, held by the JVM and by the Python worker).
    "spark.sql.execution.arrow.maxRecordsPerBatch": "5000",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


def local_spark_config(app_name: str = "dej-silver", cores: int = 2, memory: str = "2g") -> dict[str, str]:
    """Spark settings of the local engine: loopback only, the tuned batch sizes and JVM flags, no UI."""
    return {
        "spark.master": f"local[{cores}]",
        "spark.app.name": app_name,
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.memory": memory,
        # G1's pauses over the wide Arrow buffers (humongous objects) cost more CPU than they save. C2 stays:
        # with two passes over the text it pays for itself (1M postings, JVM CPU with C1 only / with C2:
        # 40 / 31 s in the key pass, 145 / 80 s in the rules pass; even at 100k).
        "spark.driver.extraJavaOptions": "-XX:+UseParallelGC",
        **SESSION_CONF,
        **{f"spark.executorEnv.{name}": value for name, value in PYTHON_WORKER_ENV.items()},
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


# The first pass's rows: each line's outcome and dedup keys, quarantined lines with their text and reason.
KEYED_COLUMNS = (*dict.fromkeys([*KEY_COLUMNS, "_outcome", "_reason", "raw_line", "feed_id"]),)


def _spark_schema(schema: dict[str, Any]) -> StructType:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(pl.DataFrame(schema=schema).to_arrow().schema)


def spark_keyed_schema() -> StructType:
    """The first pass's Spark schema, from the same Polars types the batch functions produce."""
    return _spark_schema({name: STAGED_SCHEMA[name] for name in KEYED_COLUMNS})


def spark_silver_schema() -> StructType:
    return _spark_schema(dict(JOB_POSTINGS_SCHEMA))


# A split's lines are keyed `_SPLIT_STRIDE * block_start + n` (n = 1, 2, ... inside the split): every line starts at
# its own byte, so a split of `b` bytes has at most b + 1 <= _SPLIT_STRIDE * b lines and keys never overlap across
# splits (checked on the counts; a split of a compressed file could in theory hold more).
_SPLIT_STRIDE = 1024
# Staged rows of this outcome are not lines: one per split read, `line_number` = how many lines it had.
SPLIT_LINES = "_split_lines"
BLOCK_START = "_block_start"


def spark_mapped_schema() -> StructType:
    """What the first pass's `mapInArrow` returns: the keyed schema plus the byte offset of each row's split."""
    from pyspark.sql.types import LongType, StructField, StructType

    return StructType([*spark_keyed_schema().fields, StructField(BLOCK_START, LongType(), True)])


def _split_line_keys(files: pa.Array, starts: np.ndarray, counts: dict[tuple[str, int], int]) -> np.ndarray:
    """Keys of a batch of lines, in read order; `counts` (lines seen per (file, split start)) is updated.

    A batch holds runs of consecutive lines of one split (usually one run), so a key is a range per run."""
    n = len(starts)
    if n == 0:
        return np.empty(0, np.int64)
    codes = pc.dictionary_encode(files).indices.to_numpy()
    bounds = np.flatnonzero((np.diff(starts) != 0) | (np.diff(codes) != 0)) + 1
    keys = np.empty(n, np.int64)
    for first, last in zip([0, *bounds.tolist()], [*bounds.tolist(), n], strict=True):
        split = (files[first].as_py(), int(starts[first]))
        seen = counts.get(split, 0)
        keys[first:last] = (
            np.arange(seen + 1, seen + 1 + last - first, dtype=np.int64) + _SPLIT_STRIDE * split[1]
        )
        counts[split] = seen + last - first
    return keys


def _block_starts(files: pa.Array, keys: np.ndarray, starts_of: dict[str, np.ndarray]) -> pa.Array:
    """Split start of each staged row from its line key: the last split (of its file) that starts below it."""
    if len(starts_of) == 1 and len(only := next(iter(starts_of.values()))) == 1:
        return arrow_int64(np.full(len(keys), only[0], np.int64))
    out = np.empty(len(keys), np.int64)
    names = np.asarray(files.to_pylist(), dtype=object)
    for name, starts in starts_of.items():
        mask = names == name
        if mask.any():
            out[mask] = starts[np.searchsorted(_SPLIT_STRIDE * starts, keys[mask], side="left") - 1]
    return arrow_int64(out)


def _numbered_lines(batch: pa.RecordBatch, counts: dict[tuple[str, int], int]) -> pa.RecordBatch:
    """A batch of Spark's text rows as bronze lines (`LINES_ARROW_SCHEMA`) numbered by split line keys."""
    keys = _split_line_keys(batch.column("source_file"), batch.column("block_start").to_numpy(), counts)
    return pa.RecordBatch.from_arrays(
        [batch.column("source_file"), arrow_int64(keys), batch.column("line")], schema=LINES_ARROW_SCHEMA
    )


def _number_and_key(mapped_schema: pa.Schema):  # type: ignore[no-untyped-def]
    """The first pass's executor function: key lines by split, find their outcomes and dedup keys
    (`line_keys`), then report the lines per split.

    Spark's text reader gives every line to exactly one split, in order; a task may read several splits."""

    keyed_schema = mapped_schema.remove(mapped_schema.get_field_index(BLOCK_START))

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        counts: dict[tuple[str, int], int] = {}
        for batch in batches:
            if batch.num_rows == 0:
                continue
            found = line_keys(_numbered_lines(batch, counts))
            records = found.keys.with_columns(pl.lit(LineOutcome.RECORD.value).alias("_outcome"))
            rows = pl.concat([records, found.others], how="diagonal_relaxed")
            rows = rows.select(
                [
                    (pl.col(name) if name in rows.columns else pl.lit(None))
                    .cast(STAGED_SCHEMA[name])
                    .alias(name)
                    for name in KEYED_COLUMNS
                ]
            )
            if not rows.height:
                continue
            keyed = rows.to_arrow().cast(keyed_schema)
            starts_of: dict[str, list[int]] = {}
            for file, start in counts:
                starts_of.setdefault(normalize_source_file(file), []).append(start)
            sorted_starts = {f: np.array(sorted(s), np.int64) for f, s in starts_of.items()}
            blocks = _block_starts(
                keyed.column("source_file"), keyed.column("line_number").to_numpy(), sorted_starts
            )
            offset = 0
            for chunk in keyed.to_batches():
                yield pa.RecordBatch.from_arrays(
                    [*chunk.columns, blocks.slice(offset, chunk.num_rows)], schema=mapped_schema
                )
                offset += chunk.num_rows
        if counts:
            yield _split_rows(counts, mapped_schema)

    return run


def _transform_winners(winners: dict[str, np.ndarray], silver_schema: pa.Schema):  # type: ignore[no-untyped-def]
    """The second pass's executor function: the rules on the lines that won dedup (`winners`: sorted line keys
    per file), numbered exactly as in the first pass. Every one must come out a record: a line keyed as a
    record that the rules reject means dedup chose on wrong keys, and the task stops."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        counts: dict[tuple[str, int], int] = {}
        none = np.empty(0, np.int64)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            lines = _numbered_lines(batch, counts)
            files = normalized_files(lines.column("source_file"))
            keys = lines.column("line_number").to_numpy()
            keep = np.zeros(len(keys), np.bool_)
            for file in files.unique().to_list():
                rows = (files == file).to_numpy()
                keep[rows] = np.isin(keys[rows], winners.get(file, none))
            if not keep.any():
                continue
            staged = transform_lines(lines.take(arrow_int64(np.flatnonzero(keep))))
            records = staged.filter(pl.col("_outcome") == LineOutcome.RECORD.value)
            if records.height != staged.height or records.height != int(keep.sum()):
                raise RuntimeError(
                    f"silver: {int(keep.sum())} lines of {files[0]} were keyed as dedup winners, "
                    f"the rules made {records.height} records of them"
                )
            yield from records.select(list(JOB_POSTINGS_SCHEMA)).to_arrow().cast(silver_schema).to_batches()

    return run


def _split_rows(counts: dict[tuple[str, int], int], mapped_schema: pa.Schema) -> pa.RecordBatch:
    """One staged row per split read: outcome `SPLIT_LINES`, its file and start, its number of lines."""
    n = len(counts)
    given = {
        "_outcome": pa.array([SPLIT_LINES] * n, pa.string()),
        "source_file": pa.array([normalize_source_file(f) for f, _ in counts], pa.string()),
        "line_number": pa.array(list(counts.values()), pa.int64()),
        BLOCK_START: pa.array([s for _, s in counts], pa.int64()),
    }
    return pa.RecordBatch.from_arrays(
        [given[f.name].cast(f.type) if f.name in given else pa.nulls(n, f.type) for f in mapped_schema],
        schema=mapped_schema,
    )


def line_number_shifts(split_lines: Sequence[tuple[str, int, int]]) -> dict[tuple[str, int], int]:
    """(file, split start, lines in split) -> what to add to a line key of that split to get its line number.

    Only splits after the first of a file need one (a file read whole keeps its keys: 1, 2, 3...)."""
    shifts: dict[tuple[str, int], int] = {}
    by_file: dict[str, list[tuple[int, int]]] = {}
    for file, start, lines in split_lines:
        by_file.setdefault(file, []).append((start, lines))
    for file, splits in by_file.items():
        splits.sort()
        before = 0
        for index, (start, lines) in enumerate(splits):
            if index + 1 < len(splits) and lines > _SPLIT_STRIDE * (splits[index + 1][0] - start):
                raise RuntimeError(f"{file}: {lines} lines in the split at byte {start}: too many to number")
            shift = before - _SPLIT_STRIDE * start
            if shift:
                shifts[(file, start)] = shift
            before += lines
    return shifts


def _text_lines(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    from pyspark.sql import functions as F

    lines = spark.read.option("lineSep", "\n").text(list(paths))
    return lines.select(
        F.col("_metadata.file_path").alias("source_file"),
        F.col("_metadata.file_block_start").alias("block_start"),
        F.col("value").cast("binary").alias("line"),
    )


def keyed_frame(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    """Bronze files -> keyed rows (outcome and dedup keys of every line, quarantined lines' text, plus
    `SPLIT_LINES` rows and the split of each row), lazily. Line numbers are split line keys: see
    `line_number_shifts`."""
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = spark_mapped_schema()
    return _text_lines(spark, paths).mapInArrow(
        _number_and_key(to_arrow_schema(schema, timezone="UTC")), schema
    )


def winners_by_file(winners: pl.DataFrame) -> dict[str, np.ndarray]:
    """Winning line keys, sorted, per file (what the second pass's tasks get)."""
    return {
        str(file): group["line_number"].sort().to_numpy()
        for (file,), group in winners.group_by("source_file")
    }


def silver_frame(spark: SparkSession, paths: Sequence[str], winners: dict[str, np.ndarray]) -> DataFrame:
    """The winning lines of the bronze files through the rules, as silver rows, lazily."""
    from pyspark.sql.pandas.types import to_arrow_schema

    schema = spark_silver_schema()
    run = _transform_winners(winners, to_arrow_schema(schema, timezone="UTC"))
    return _text_lines(spark, paths).mapInArrow(run, schema)


def quarantine_rows(staged: DataFrame, shifts: dict[tuple[str, int], int] | None = None) -> DataFrame:
    """Quarantined lines in the quarantine table's shape, their line keys turned into line numbers."""
    from pyspark.sql import functions as F

    rows = staged.where(F.col("_outcome") == LineOutcome.QUARANTINED.value)
    if shifts:
        spark = staged.sparkSession
        # From Arrow: a Python list would go through Python workers started for this alone.
        table = spark.createDataFrame(
            pa.table(
                {
                    "source_file": pa.array([f for f, _ in shifts], pa.string()),
                    BLOCK_START: pa.array([s for _, s in shifts], pa.int64()),
                    "_shift": pa.array(list(shifts.values()), pa.int64()),
                }
            )
        )
        rows = rows.join(F.broadcast(table), on=["source_file", BLOCK_START], how="left").withColumn(
            "line_number", F.col("line_number") + F.coalesce(F.col("_shift"), F.lit(0))
        )
    return rows.select(
        *[F.col("_reason").alias("reason") if c == "reason" else F.col(c) for c in QUARANTINE_SCHEMA]
    )


def outcome_counts(keyed: pl.DataFrame) -> tuple[SilverCounts, dict[tuple[str, int], int]]:
    """The counts of every outcome, and the line number shifts from the `SPLIT_LINES` rows."""
    splits = keyed.filter(pl.col("_outcome") == SPLIT_LINES)
    lines = keyed.filter(pl.col("_outcome") != SPLIT_LINES)
    by_outcome = dict(lines.group_by("_outcome").len().iter_rows())
    counts = SilverCounts(
        bronze_records=lines.height,
        silver_rows=by_outcome.get(LineOutcome.RECORD.value, 0),
        quarantined=by_outcome.get(LineOutcome.QUARANTINED.value, 0),
        error_rows=by_outcome.get(LineOutcome.ERROR_ROW.value, 0),
        utf8_repaired=int(lines["_utf8_repaired"].sum() or 0),
    )
    return counts, line_number_shifts(
        list(splits.select("source_file", BLOCK_START, "line_number").iter_rows())
    )


# Splits per core of the staged pass when the session sets no `minPartitionNum`: one 566 MB file on 2 cores is
# 5 splits of 128 MB by default (3 rounds of tasks, the last on one core); 8 even splits keep both cores busy.
_SPLITS_PER_CORE = 4


@contextlib.contextmanager
def _even_splits(spark: SparkSession) -> Iterator[None]:
    """Input cut into `_SPLITS_PER_CORE` splits per core (never below Spark's 4 MB open cost, never above
    `maxPartitionBytes`), unless the session chose `spark.sql.files.minPartitionNum` itself."""
    key = "spark.sql.files.minPartitionNum"
    if spark.conf.get(key, None) is not None:
        yield
        return
    spark.conf.set(key, str(_SPLITS_PER_CORE * spark.sparkContext.defaultParallelism))
    try:
        yield
    finally:
        spark.conf.unset(key)


# As the Polars engine's parts: zstd level 1 (pyarrow's; parquet-mr's default is 3), no dictionary or statistics
# for the long free text. Parquet's dictionary writer hashed every HTML and text value before giving up on them
# (100k postings: the JVM's CPU in the rules pass 19.8 -> 15.5 s without it).
SILVER_WRITE_OPTIONS = {
    "parquet.compression.codec.zstd.level": "1",
    **{
        f"{option}#{column}": "false"
        for column in FREE_TEXT_COLUMNS
        for option in (
            "parquet.enable.dictionary",
            "parquet.column.statistics.enabled",
            "parquet.size.statistics.enabled",
        )
    },
}


def run_spark_to_dirs(
    spark: SparkSession, paths: Sequence[str], silver_dir: str, quarantine_dir: str | None, scratch_dir: str
) -> SilverCounts:
    """Bronze files -> silver and quarantine Parquet folders (Spark's layout, e.g. on S3 from Glue).

    The lines' keys go through the driver (~60 bytes a line), and the winners' line keys to the second pass's
    tasks (~10 bytes a winner). A file given twice is read once."""
    paths = [paths[i] for i in each_file_once(paths)]
    keyed_path = f"{scratch_dir.rstrip('/')}/keyed"
    with _even_splits(spark):
        # Narrow scratch, written once and read twice (keys to the driver, quarantine): lz4.
        keyed_frame(spark, paths).write.mode("overwrite").option("compression", "lz4").parquet(keyed_path)
        keyed = spark.read.parquet(keyed_path)
        # The narrow columns of every line go to the driver (~60 bytes a line): counts, line number shifts and
        # dedup there, with the same polars function as the Polars engine (no shuffle, one job).
        narrow = pl.from_arrow(keyed.drop("raw_line", "_reason", "feed_id").toArrow())
        assert isinstance(narrow, pl.DataFrame)
        counts, shifts = outcome_counts(narrow)
        records = narrow.filter(pl.col("_outcome") == LineOutcome.RECORD.value)
        winners = winners_polars(records).collect()
        silver = silver_frame(spark, paths, winners_by_file(winners))
        silver.write.mode("overwrite").options(**SILVER_WRITE_OPTIONS).parquet(silver_dir)
        kept = spark.read.parquet(silver_dir).count()
        if kept != winners.height:
            raise RuntimeError(f"silver: {winners.height} dedup winners, {kept} silver rows written")
        counts.duplicates_removed = counts.silver_rows - kept
        counts.silver_rows = kept
        if quarantine_dir is not None:
            quarantine_rows(keyed, shifts).coalesce(1).write.mode("overwrite").parquet(quarantine_dir)
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
    """Bronze files -> silver Parquet and one quarantine Parquet file (like `run_polars`): `silver_out` is a file,
    or an existing directory, which gets Spark's parts as they are (`part-00000.parquet`, ...)."""
    folder = output_folder(silver_out)
    with tempfile.TemporaryDirectory(prefix="dej-silver-spark-", dir=scratch_dir) as scratch:
        silver_dir = os.path.join(scratch, "silver")
        quarantine_dir = os.path.join(scratch, "quarantine") if quarantine_out is not None else None
        counts = run_spark_to_dirs(
            spark, [str(Path(p).resolve()) for p in paths], silver_dir, quarantine_dir, scratch
        )
        if folder is not None:
            _move_parts(silver_dir, folder)
        else:
            _single_file(silver_dir, silver_out)
        if quarantine_dir is not None and quarantine_out is not None:
            _single_file(quarantine_dir, quarantine_out)
    return counts


def _move_parts(spark_dir: str, target: Path) -> None:
    """Spark's part files into `target` as `part-00000.parquet`, ... in Spark's order (no rewrite)."""
    parts = sorted(Path(spark_dir).glob("part-*.parquet"))
    if not parts:
        raise RuntimeError(f"no Parquet part in {spark_dir}")
    for index, part in enumerate(parts):
        shutil.move(str(part), str(target / part_name(index)))


def _single_file(spark_dir: str, target: str | os.PathLike[str]) -> None:
    """Spark's part files as one Parquet file, through one streaming polars plan (bounded memory, every core)."""

    parts = sorted(str(p) for p in Path(spark_dir).glob("part-*.parquet"))
    if len(parts) == 1:
        shutil.move(parts[0], str(target))
        return
    if not parts:
        raise RuntimeError(f"no Parquet part in {spark_dir}")
    pl.scan_parquet(parts).sink_parquet(str(target), compression="zstd")
