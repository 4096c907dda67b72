"""Bronze layer definitions: the Bright Data landing asset and the feeds sensor.

Resources (`lake`, `brightdata`) come from `dej_platform.settings`; `bright_data_resource_for(env)` builds ours.
The asset runs in the `brightdata` concurrency pool (set its limit, default 10, in dagster.yaml / the instance).
"""

from __future__ import annotations

import dagster as dg

from dej_platform.defs.bronze.assets import linkedin_jobs
from dej_platform.defs.bronze.sensors import bronze_feeds_sensor

defs = dg.Definitions(assets=[linkedin_jobs], sensors=[bronze_feeds_sensor])
