"""Quality checks for every layer, plus an hourly job + schedule that runs the (unpartitioned) freshness check."""

import dagster as dg

from dej_platform.defs.quality.checks import PARTITIONED_CHECKS, silver_freshness

freshness_job = dg.define_asset_job(
    "quality_freshness_job",
    selection=dg.AssetSelection.checks(silver_freshness),
    description="Warn when the newest silver hour on disk is older than the configured limit.",
)
freshness_schedule = dg.ScheduleDefinition(
    name="quality_freshness_hourly", job=freshness_job, cron_schedule="20 * * * *", execution_timezone="UTC"
)

defs = dg.Definitions(
    asset_checks=[*PARTITIONED_CHECKS, silver_freshness],
    jobs=[freshness_job],
    schedules=[freshness_schedule],
)
