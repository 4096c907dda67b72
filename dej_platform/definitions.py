"""The one code location: every layer's definitions merged, with the resources of the current `DEJ_ENV`."""

from __future__ import annotations

import dagster as dg

from dej_platform.defs.bronze import definitions as bronze
from dej_platform.defs.consensus import definitions as consensus
from dej_platform.defs.gold import definitions as gold
from dej_platform.defs.jobs import jobs
from dej_platform.defs.quality import definitions as quality
from dej_platform.defs.silver import definitions as silver
from dej_platform.defs.silver_ai import definitions as silver_ai
from dej_platform.settings import build_resources

# Module-scope layer `Definitions` would count as separate code locations, so layers are imported as modules.
defs = dg.Definitions.merge(
    bronze.defs,
    silver.defs,
    silver_ai.defs,
    consensus.defs,
    quality.defs,
    gold.defs,
    dg.Definitions(jobs=jobs, resources=build_resources()),
)
