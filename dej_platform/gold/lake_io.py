"""Reading gold's inputs from the lake and writing its tables back: the only gold code that touches storage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from dej_platform.gold.schema import GOLD_SCHEMAS, conform
from dej_platform.gold.star import ENRICHMENT_COLUMNS
from dej_platform.lake import Lake, LakeFile, WriteResult

GOLD_LAYER = "gold"
CURRENT = ("silver", "job_postings_current")
ENRICHMENT = ("silver_ai", "job_enrichment")
REPORT_TABLE = "market_report"
REPORT_FILE = "index.html"
SUMMARY_FILE = "summary.md"
_ENRICHMENT_READ = [*ENRICHMENT_COLUMNS, "dt", "hr", "enriched_at"]


class MissingInputError(RuntimeError):
    """An input partition gold cannot run without."""


def read_current(lake: Lake, day: str) -> pl.DataFrame:
    """The silver snapshot of `day`; gold of a day without one would silently publish nothing."""
    if not lake.exists(*CURRENT, {"dt": day}):
        raise MissingInputError(
            f"no silver/job_postings_current partition dt={day} in {lake.root_uri}: materialize it first"
        )
    return lake.read_table(*CURRENT, [{"dt": day}])


def _partition_of(file: LakeFile, table_prefix: str) -> dict[str, str]:
    segments = file.key[len(table_prefix) + 1 :].split("/")[:-1]
    return dict(segment.split("=", 1) for segment in segments if "=" in segment)


def read_enrichment(lake: Lake, day: str) -> pl.DataFrame | None:
    """Every enrichment row written up to the end of `day` (the latest per job is chosen later), or None.

    Enrichment hours can differ in columns (a field added to a pass), so each partition is read alone with
    the columns gold needs that it has, and the partitions are stacked by name.
    """
    files = lake.list_files(*ENRICHMENT, suffix=".parquet")
    prefix = f"{ENRICHMENT[0]}/{ENRICHMENT[1]}"
    partitions: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    for file in files:
        partition = _partition_of(file, prefix)
        if partition.get("dt", "") <= day:
            partitions[tuple(sorted(partition.items()))] = partition
    frames = []
    for partition in partitions.values():
        scan = lake.scan_table(*ENRICHMENT, [partition])
        present = [c for c in _ENRICHMENT_READ if c in scan.collect_schema().names()]
        if "job_posting_id" in present:
            frames.append(scan.select(present).collect())
    if not frames:
        return None
    return pl.concat(frames, how="diagonal_relaxed")


def write_gold_tables(lake: Lake, tables: Mapping[str, pl.DataFrame], day: str) -> dict[str, WriteResult]:
    return {name: lake.write_table(df, GOLD_LAYER, name, {"dt": day}) for name, df in tables.items()}


def read_gold_tables(lake: Lake, names: Sequence[str], day: str) -> dict[str, pl.DataFrame]:
    """Gold tables of one day in their contract's schema (a missing table is an error; a missing column, null)."""
    tables = {}
    for name in names:
        if not lake.exists(GOLD_LAYER, name, {"dt": day}):
            raise MissingInputError(
                f"gold/{name} has no partition dt={day}: materialize the star schema first"
            )
        df = lake.read_table(GOLD_LAYER, name, [{"dt": day}]).drop("dt", strict=False)
        tables[name] = conform(df, GOLD_SCHEMAS[name])
    return tables
