"""Silver for lake partitions: every feed's bronze files of an hour in, silver + quarantine + counts out.

No Dagster here: the assets, the CLI-free scripts and the tests call these functions with a `Lake`.
The counts of each hour are written beside its silver file (`counts.json`) so the conservation check can compare
them with what is actually in the lake, later and independently of the run that wrote them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl

from dej_platform.lake import PARQUET_FILE, Lake, LakeFile, table_key
from dej_platform.silver.dedup import merge_current
from dej_platform.silver.engine_polars import DEFAULT_BATCH_LINES, BronzeSource, run_polars
from dej_platform.silver.pipeline import SilverCounts
from dej_platform.silver.schema import (
    JOB_POSTINGS_CURRENT_SCHEMA,
    JOB_POSTINGS_SCHEMA,
    KEY_FIELDS,
    QUARANTINE_SCHEMA,
)

BRONZE_LAYER = "bronze"
BRONZE_TABLE = "linkedin_jobs"
SILVER_LAYER = "silver"
SILVER_TABLE = "job_postings"
QUARANTINE_TABLE = "job_postings_quarantine"
CURRENT_TABLE = "job_postings_current"
COUNTS_FILE = "counts.json"
# Snapshots only: a sidecar .json file beside them is never read as bronze lines.
BRONZE_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

Engine = Literal["polars", "spark"]


@dataclass(frozen=True)
class HourResult:
    partition: dict[str, str]
    counts: SilverCounts
    bronze_files: list[str]
    silver_uri: str
    quarantine_uri: str
    silver_bytes: int


def bronze_files_of_hour(lake: Lake, hour: Mapping[str, str]) -> list[LakeFile]:
    """Every feed's bronze files of one hour (`dt=/hr=/feed=*/...`)."""
    return [f for f in lake.list_files(BRONZE_LAYER, BRONZE_TABLE, hour) if f.key.endswith(BRONZE_SUFFIXES)]


def run_hour(
    lake: Lake,
    hour: Mapping[str, str],
    *,
    engine: Engine = "polars",
    spark: Any = None,
    batch_lines: int = DEFAULT_BATCH_LINES,
    workers: int = 1,
) -> HourResult:
    """Build one hour of silver and quarantine in the lake, replacing what was there."""
    hour = dict(hour)
    files = bronze_files_of_hour(lake, hour)
    with tempfile.TemporaryDirectory(prefix="dej-silver-hour-") as scratch:
        silver_parts, quarantine_dir = os.path.join(scratch, "silver"), os.path.join(scratch, "quarantine")
        os.mkdir(silver_parts)
        os.mkdir(quarantine_dir)
        quarantine_tmp = os.path.join(quarantine_dir, PARQUET_FILE)
        if engine == "spark":
            if lake.is_s3:
                raise ValueError("the local Spark engine reads local lakes; run S3 lakes on Glue")
            from dej_platform.silver.engine_spark import local_spark_session, run_spark

            session = spark or local_spark_session()
            if files:
                counts = run_spark(
                    session, [f.uri for f in files], silver_parts, quarantine_tmp, scratch_dir=scratch
                )
            else:
                counts = run_polars([], silver_parts, quarantine_tmp)
        else:
            sources = [_bronze_source(lake, f) for f in files]
            counts = run_polars(
                sources, silver_parts, quarantine_tmp, batch_lines=batch_lines, workers=workers
            )
        silver_files = _publish(lake, SILVER_TABLE, hour, sorted(Path(silver_parts).iterdir()))
        (quarantine_file,) = _publish(lake, QUARANTINE_TABLE, hour, [Path(quarantine_tmp)])
    lake.write_bytes(
        SILVER_LAYER,
        SILVER_TABLE,
        hour,
        COUNTS_FILE,
        json.dumps({**counts.as_dict(), "bronze_files": [f.uri for f in files]}, indent=2).encode(),
    )
    return HourResult(
        partition=hour,
        counts=counts,
        bronze_files=[f.uri for f in files],
        silver_uri=lake.uri(SILVER_LAYER, SILVER_TABLE, hour),
        quarantine_uri=quarantine_file.uri,
        silver_bytes=sum(f.size for f in silver_files),
    )


def _opener(lake: Lake, file: LakeFile) -> Any:
    return lambda: lake.open_input(file)


def _bronze_source(lake: Lake, file: LakeFile) -> BronzeSource:
    """A bronze file as the engine reads it: a local lake's files by path (workers read their own ranges)."""
    return BronzeSource(name=file.uri, open=_opener(lake, file), path=None if lake.is_s3 else file.uri)


def _publish(
    lake: Lake, table: str, partition: Mapping[str, str], local_paths: Sequence[Path]
) -> list[LakeFile]:
    """Copy finished Parquet parts into the partition, each atomically under its own name, then remove the parts
    an earlier run left beyond them (a reader between the two steps may see old and new parts together)."""
    published = []
    for path in local_paths:
        with lake.open_output(SILVER_LAYER, table, partition, path.name) as out, open(path, "rb") as src:
            while chunk := src.read(1 << 22):
                out.write(chunk)
        key = f"{table_key(SILVER_LAYER, table, partition)}/{path.name}"
        published.append(
            LakeFile(
                uri=lake.uri(SILVER_LAYER, table, partition) + f"/{path.name}",
                key=key,
                size=path.stat().st_size,
            )
        )
    names = {path.name for path in local_paths}
    stale = [
        f
        for f in lake.list_files(SILVER_LAYER, table, partition, suffix=".parquet")
        if f.key.rsplit("/", 1)[-1] not in names
    ]
    lake.delete_files(stale)
    return published


def read_counts(lake: Lake, hour: Mapping[str, str]) -> SilverCounts | None:
    files = [
        f for f in lake.list_files(SILVER_LAYER, SILVER_TABLE, hour) if f.key.endswith("/" + COUNTS_FILE)
    ]
    if not files:
        return None
    return SilverCounts.from_dict(json.loads(lake.read_bytes(files[0])))


def count_bronze_records(lake: Lake, hour: Mapping[str, str]) -> int:
    """Non-blank lines of the hour's bronze files, counted from the files themselves (streamed)."""
    from dej_platform.silver.engine_polars import line_stream

    total = 0
    for file in bronze_files_of_hour(lake, hour):
        with line_stream(BronzeSource(name=file.uri, open=_opener(lake, file))) as stream:
            total += sum(1 for line in stream if line.strip())
    return total


def table_rows(lake: Lake, table: str, partition: Mapping[str, str]) -> int:
    lf = lake.scan_table(SILVER_LAYER, table, [partition])
    return int(lf.select(pl.len()).collect().item()) if lake.exists(SILVER_LAYER, table, partition) else 0


@dataclass(frozen=True)
class ConservationReport:
    partition: dict[str, str]
    bronze_records: int
    silver_rows: int
    quarantined: int
    duplicates_removed: int
    error_rows: int
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def check_conservation(lake: Lake, hour: Mapping[str, str]) -> ConservationReport:
    """Recount bronze lines, silver rows and quarantined rows in the lake and compare with the stored counts."""
    hour = dict(hour)
    stored = read_counts(lake, hour)
    bronze = count_bronze_records(lake, hour)
    silver = table_rows(lake, SILVER_TABLE, hour)
    quarantined = table_rows(lake, QUARANTINE_TABLE, hour)
    problems = []
    if stored is None:
        problems.append("no counts.json beside the silver partition")
        stored = SilverCounts()
    if stored.bronze_records != bronze:
        problems.append(f"bronze lines now {bronze}, at build time {stored.bronze_records}")
    if stored.silver_rows != silver:
        problems.append(f"silver has {silver} rows, the run reported {stored.silver_rows}")
    if stored.quarantined != quarantined:
        problems.append(f"quarantine has {quarantined} rows, the run reported {stored.quarantined}")
    if bronze != silver + quarantined + stored.duplicates_removed + stored.error_rows:
        problems.append(
            f"{bronze} bronze != {silver} silver + {quarantined} quarantined + "
            f"{stored.duplicates_removed} duplicates + {stored.error_rows} error rows"
        )
    return ConservationReport(
        hour, bronze, silver, quarantined, stored.duplicates_removed, stored.error_rows, problems
    )


def null_rates(lake: Lake, hours: Sequence[Mapping[str, str]]) -> dict[str, float]:
    """Share of nulls (or empty text) in the key fields over the given silver hours."""
    lf = lake.scan_table(SILVER_LAYER, SILVER_TABLE, list(hours), schema=JOB_POSTINGS_SCHEMA)
    exprs = [pl.len().alias("_n")]
    for name in (*KEY_FIELDS, "salary_min", "location_country", "seniority", "work_model"):
        col = pl.col(name)
        missing = (
            col.is_null() | (col.cast(pl.String) == "")
            if JOB_POSTINGS_SCHEMA[name] == pl.String()
            else col.is_null()
        )
        exprs.append(missing.sum().alias(name))
    row = lf.select(exprs).collect().row(0, named=True)
    total = row.pop("_n") or 0
    return {name: round(value / total, 4) if total else 0.0 for name, value in row.items()}


def silver_preview(lake: Lake, hours: Sequence[Mapping[str, str]], rows: int = 5) -> pl.DataFrame:
    columns = [
        "job_posting_id",
        "job_title",
        "company_name",
        "seniority",
        "work_model",
        "location_country",
        "salary_annual_min_usd",
        "skills",
    ]
    lf = lake.scan_table(SILVER_LAYER, SILVER_TABLE, list(hours), schema=JOB_POSTINGS_SCHEMA)
    return lf.select(columns).head(rows).collect()


def quarantine_reasons(lake: Lake, hours: Sequence[Mapping[str, str]]) -> dict[str, int]:
    lf = lake.scan_table(SILVER_LAYER, QUARANTINE_TABLE, list(hours), schema=QUARANTINE_SCHEMA)
    reasons = (
        lf.select(pl.col("reason").str.extract(r"^([a-z_]+)").alias("kind")).group_by("kind").len().collect()
    )
    return {str(k): int(n) for k, n in reasons.iter_rows()}


def build_current(
    lake: Lake, day: str, hours: Sequence[Mapping[str, str]]
) -> tuple[pl.DataFrame, str | None]:
    """The latest version of every job as of the end of `day`: the latest earlier state + the day's hours.

    Reading the state of an *earlier* day (never this day's own output) keeps re-runs idempotent.
    """
    previous_day = _latest_state_before(lake, day)
    previous = (
        lake.scan_table(SILVER_LAYER, CURRENT_TABLE, [{"dt": previous_day}])
        if previous_day is not None
        else None
    )
    existing = [h for h in hours if lake.exists(SILVER_LAYER, SILVER_TABLE, h)]
    new = (
        lake.scan_table(SILVER_LAYER, SILVER_TABLE, existing)
        if existing
        else pl.LazyFrame(schema=JOB_POSTINGS_SCHEMA)
    )
    merged = merge_current(previous, new.select(list(JOB_POSTINGS_SCHEMA))).collect()
    return merged.select(list(JOB_POSTINGS_CURRENT_SCHEMA)), previous_day


def _latest_state_before(lake: Lake, day: str) -> str | None:
    days = set()
    for f in lake.list_files(SILVER_LAYER, CURRENT_TABLE, suffix=".parquet"):
        for segment in f.key.split("/"):
            if segment.startswith("dt="):
                days.add(segment[3:])
    earlier = sorted(d for d in days if d < day)
    return earlier[-1] if earlier else None
