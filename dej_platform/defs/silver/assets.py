"""Silver assets: hourly postings + quarantine from every feed of the hour, and the daily current state."""

from collections.abc import Iterator
from typing import Any

import dagster as dg

from dej_platform.defs.silver.resources import SilverEngineResource
from dej_platform.metadata import markdown_table
from dej_platform.partitions import (
    daily_partitions,
    day_partition_values,
    eager_with_lookback,
    hourly_partitions,
    hours_in_window,
)
from dej_platform.resources import LakeResource
from dej_platform.silver.partition_run import (
    BRONZE_TABLE,
    CURRENT_TABLE,
    QUARANTINE_TABLE,
    SILVER_LAYER,
    SILVER_TABLE,
    HourResult,
    build_current,
    null_rates,
    quarantine_reasons,
    silver_preview,
)
from dej_platform.silver.pipeline import SilverCounts

BRONZE_KEY = dg.AssetKey(["bronze", BRONZE_TABLE])
SILVER_KEY = dg.AssetKey([SILVER_LAYER, SILVER_TABLE])
QUARANTINE_KEY = dg.AssetKey([SILVER_LAYER, QUARANTINE_TABLE])
CURRENT_KEY = dg.AssetKey([SILVER_LAYER, CURRENT_TABLE])

_BRONZE_DEP = dg.AssetDep(
    BRONZE_KEY, partition_mapping=dg.MultiToSingleDimensionPartitionMapping(partition_dimension_name="hour")
)


@dg.multi_asset(
    name="silver_job_postings",
    specs=[
        dg.AssetSpec(
            SILVER_KEY,
            deps=[_BRONZE_DEP],
            description="Typed, cleaned, normalized postings with skills; latest scrape per posting in the hour.",
            automation_condition=dg.AutomationCondition.eager(),
            group_name="silver",
            kinds={"polars", "parquet"},
        ),
        dg.AssetSpec(
            QUARANTINE_KEY,
            deps=[_BRONZE_DEP],
            description="Bronze lines that could not be parsed or validated, with the raw line and the reason.",
            automation_condition=dg.AutomationCondition.eager(),
            group_name="silver",
            kinds={"parquet"},
        ),
    ],
    partitions_def=hourly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    can_subset=False,
)
def silver_job_postings(
    context: dg.AssetExecutionContext, lake: LakeResource, silver_engine: SilverEngineResource
) -> Iterator[dg.MaterializeResult]:
    """Every hour of the run's range (one hour, or a whole backfill range in a single run)."""
    the_lake = lake.get_lake()
    window = context.partition_time_window
    hours = hours_in_window(window.start, window.end)
    if silver_engine.engine == "glue":
        yield from silver_engine.run_on_glue(context, the_lake.root_uri, hours)
        return
    spark = silver_engine.spark_session() if silver_engine.engine == "spark" else None
    results: list[HourResult] = []
    for hour in hours:
        result = silver_engine.run_hour(the_lake, hour, spark=spark)
        context.log.info(
            f"silver {hour}: {result.counts.as_dict()} from {len(result.bronze_files)} bronze files"
        )
        if not result.counts.conserved:
            raise RuntimeError(f"silver {hour} lost records: {result.counts.as_dict()}")
        results.append(result)
    total = sum((r.counts for r in results), SilverCounts())
    per_hour = [{**r.partition, **r.counts.as_dict(), "bronze_files": len(r.bronze_files)} for r in results]
    import polars as pl

    per_hour_md = markdown_table(pl.DataFrame(per_hour), max_rows=48) if per_hour else "_no hours_"
    silver_meta: dict[str, Any] = {
        "dagster/row_count": total.silver_rows,
        **{f"count_{k}": v for k, v in total.as_dict().items()},
        "engine": silver_engine.engine,
        "hours": len(hours),
        "bytes": sum(r.silver_bytes for r in results),
        "null_rates": dg.MetadataValue.json(null_rates(the_lake, hours)),
        "counts_per_hour": dg.MetadataValue.md(per_hour_md),
        "preview": dg.MetadataValue.md(markdown_table(silver_preview(the_lake, hours))),
    }
    if len(results) == 1:
        silver_meta["path"] = dg.MetadataValue.path(results[0].silver_uri)
    yield dg.MaterializeResult(asset_key=SILVER_KEY, metadata=silver_meta)
    yield dg.MaterializeResult(
        asset_key=QUARANTINE_KEY,
        metadata={
            "dagster/row_count": total.quarantined,
            "error_rows": total.error_rows,
            "reasons": dg.MetadataValue.json(quarantine_reasons(the_lake, hours)),
        },
    )


@dg.asset(
    key=CURRENT_KEY,
    deps=[SILVER_KEY],
    partitions_def=daily_partitions,
    automation_condition=eager_with_lookback(),
    group_name="silver",
    kinds={"polars", "parquet"},
    description="The latest version of every job across all hours, with first_seen_at, last_seen_at, times_seen.",
)
def silver_job_postings_current(
    context: dg.AssetExecutionContext, lake: LakeResource
) -> dg.MaterializeResult:
    """State at the end of the day = the latest earlier day's state merged with this day's silver hours."""
    the_lake = lake.get_lake()
    day = context.partition_key
    window = context.partition_time_window
    current, previous_day = build_current(the_lake, day, hours_in_window(window.start, window.end))
    write = the_lake.write_table(current, SILVER_LAYER, CURRENT_TABLE, day_partition_values(day))
    seen_today = current.filter(current["last_seen_at"] >= window.start).height if current.height else 0
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": current.height,
            "previous_state_day": previous_day or "none",
            "jobs_seen_this_day": seen_today,
            "bytes": write.bytes,
            "path": dg.MetadataValue.path(write.uri),
            "preview": dg.MetadataValue.md(
                markdown_table(
                    current.sort("times_seen", descending=True),
                    columns=[
                        "job_posting_id",
                        "job_title",
                        "company_name",
                        "first_seen_at",
                        "last_seen_at",
                        "times_seen",
                    ],
                )
            ),
        }
    )
