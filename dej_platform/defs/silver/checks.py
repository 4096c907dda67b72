"""Record conservation: for every hour, bronze records = silver + quarantined + duplicates + error rows."""

import dagster as dg

from dej_platform.defs.silver.assets import SILVER_KEY
from dej_platform.partitions import hourly_partitions, hours_in_window
from dej_platform.resources import LakeResource
from dej_platform.silver.partition_run import check_conservation


@dg.asset_check(
    asset=SILVER_KEY,
    name="record_conservation",
    partitions_def=hourly_partitions,
    description="Recounts bronze lines, silver and quarantine rows in the lake against the run's counts.json.",
)
def record_conservation(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    the_lake = lake.get_lake()
    window = context.partition_time_window
    reports = [check_conservation(the_lake, hour) for hour in hours_in_window(window.start, window.end)]
    failed = [r for r in reports if not r.passed]
    return dg.AssetCheckResult(
        passed=not failed,
        metadata={
            "hours_checked": len(reports),
            "bronze_records": sum(r.bronze_records for r in reports),
            "silver_rows": sum(r.silver_rows for r in reports),
            "quarantined": sum(r.quarantined for r in reports),
            "duplicates_removed": sum(r.duplicates_removed for r in reports),
            "error_rows": sum(r.error_rows for r in reports),
            "problems": dg.MetadataValue.json({f"{r.partition}": r.problems for r in failed}),
        },
    )
