"""The one code location: every layer's definitions merged, with the resources of the current `DEJ_ENV`."""

from __future__ import annotations

import dagster as dg

from dej_platform.defs.bronze.definitions import defs as bronze_defs
from dej_platform.defs.consensus.definitions import defs as consensus_defs
from dej_platform.defs.gold.definitions import defs as gold_defs
from dej_platform.defs.jobs import jobs
from dej_platform.defs.quality.definitions import defs as quality_defs
from dej_platform.defs.silver.definitions import defs as silver_defs
from dej_platform.defs.silver_ai.definitions import defs as silver_ai_defs
from dej_platform.settings import build_resources

defs = dg.Definitions.merge(
    bronze_defs,
    silver_defs,
    silver_ai_defs,
    consensus_defs,
    quality_defs,
    gold_defs,
    dg.Definitions(jobs=jobs, resources=build_resources()),
)
