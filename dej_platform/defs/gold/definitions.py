"""Gold layer definitions, merged by `dej_platform.definitions`. Checks ride on the multi-assets' check_specs."""

from __future__ import annotations

import dagster as dg

from dej_platform.defs.gold.assets import gold_aggregates, gold_market_report, gold_star_schema

defs = dg.Definitions(assets=[gold_star_schema, gold_aggregates, gold_market_report])
