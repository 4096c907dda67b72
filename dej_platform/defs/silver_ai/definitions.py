"""silver_ai definitions: the hourly enrichment asset, in the concurrency pool of the configured provider."""

from __future__ import annotations

import dagster as dg

from dej_platform.settings import current_env

from .assets import build_job_enrichment_asset
from .resources import configured_provider, pool_for_provider

job_enrichment = build_job_enrichment_asset(pool_for_provider(configured_provider(current_env())))

defs = dg.Definitions(assets=[job_enrichment])
