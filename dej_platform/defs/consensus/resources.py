"""The consensus resource: which evaluation models run in this environment, and how to run them."""

from __future__ import annotations

from typing import Any

import dagster as dg
from pydantic import Field

from dej_platform.consensus.config import ConsensusConfig, ModelRef, load_consensus_config
from dej_platform.consensus.evaluation import EvaluationRunner
from dej_platform.lake import Lake


class ConsensusResource(dg.ConfigurableResource):
    """Evaluation set for `env` from `dej_platform/data/consensus.yaml` (or `config_path`)."""

    env: str = Field(default="local", description="Which `evaluation:` list of the config to use.")
    config_path: str | None = Field(default=None, description="Override of the consensus YAML path.")

    def load_config(self) -> ConsensusConfig:
        return load_consensus_config(self.config_path)

    def models(self) -> tuple[ModelRef, ...]:
        return self.load_config().models_for(self.env)

    def runner(self, lake: Lake | None = None) -> EvaluationRunner:
        """Runs evaluation models through the enrichment runner (lake cache, budget from the config)."""
        from dej_platform.consensus.enrichment_adapter import enrichment_runner

        return enrichment_runner(self.env, lake, self.load_config().sample.max_cost_usd)


def consensus_resource_for(env: str) -> ConsensusResource:
    return ConsensusResource(env=env)


def resource_defs_for(env: str) -> dict[str, Any]:
    return {"consensus": consensus_resource_for(env)}
