"""Jobs that cut the graph along its partitioning, which is how `dej run` and schedules drive it."""

from __future__ import annotations

import dagster as dg

from dej_platform.partitions import bronze_partitions, daily_partitions, hourly_partitions

bronze_job = dg.define_asset_job(
    "bronze_job",
    selection=dg.AssetSelection.assets(["bronze", "linkedin_jobs"]),
    partitions_def=bronze_partitions,
    tags={"dej/source": "brightdata"},
    description="Land one feed's Bright Data snapshot for one hour.",
)
hourly_job = dg.define_asset_job(
    "hourly_job",
    selection=dg.AssetSelection.assets(
        ["silver", "job_postings"], ["silver", "job_postings_quarantine"], ["silver_ai", "job_enrichment"]
    ),
    partitions_def=hourly_partitions,
    description="Silver and enrichment for one UTC hour, across every feed of that hour.",
)
daily_job = dg.define_asset_job(
    "daily_job",
    selection=dg.AssetSelection.assets(["silver", "job_postings_current"], ["silver_ai", "consensus"])
    | dg.AssetSelection.key_prefixes("gold"),
    partitions_def=daily_partitions,
    description="Current postings, consensus and gold for one UTC day.",
)

jobs = [bronze_job, hourly_job, daily_job]
