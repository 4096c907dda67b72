"""Consensus layer definitions: the daily asset and its three blocking pass checks (declared as check specs)."""

from __future__ import annotations

import dagster as dg

from dej_platform.defs.consensus.assets import consensus

defs = dg.Definitions(assets=[consensus])
