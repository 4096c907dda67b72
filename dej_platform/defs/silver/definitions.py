"""Silver layer definitions, merged by `dej_platform.definitions`."""

from __future__ import annotations

import dagster as dg

from dej_platform.defs.silver.assets import silver_job_postings, silver_job_postings_current
from dej_platform.defs.silver.checks import record_conservation

defs = dg.Definitions(
    assets=[silver_job_postings, silver_job_postings_current],
    asset_checks=[record_conservation],
)
