"""The enrichment resource: which provider and model enrich silver, with what budget.

`enrichment_resource_for(env)`: local -> the offline `rules` provider (no account, no cost); dev and prod ->
Bedrock with the seed's production model, overridable with `DEJ_ENRICHMENT_PROVIDER` / `DEJ_ENRICHMENT_MODEL`.
The OpenAI-compatible key is read through `dg.EnvVar`, never from config text.
"""

from __future__ import annotations

import os

import dagster as dg
from pydantic import Field

from dej_platform.enrichment.cache import LakeEnrichmentCache
from dej_platform.enrichment.execution import EnrichmentRunner, target_for
from dej_platform.enrichment.prompts import DEFAULT_PROMPT_VERSION
from dej_platform.enrichment.providers import PROVIDER_NAMES, build_provider, default_model_for
from dej_platform.lake import Lake


class EnrichmentResource(dg.ConfigurableResource):
    """Provider settings for `silver_ai/job_enrichment`."""

    provider: str = Field(default="rules", description="rules | bedrock | openai")
    model_id: str | None = Field(default=None, description="Model id; the provider's default when empty.")
    budget_usd: float | None = Field(default=None, description="Stop launching calls once a run spent this.")
    prompt_version: str = Field(default=DEFAULT_PROMPT_VERSION)
    aws_region: str | None = Field(default=None, description="Bedrock region (AWS_REGION otherwise).")
    bedrock_endpoint_url: str | None = Field(
        default=None, description="Override; boto3 reads AWS_ENDPOINT_URL."
    )
    openai_base_url: str | None = Field(default=None, description="DEJ_OPENAI_BASE_URL otherwise.")
    openai_api_key: str | None = Field(default=None, description="Set with dg.EnvVar('DEJ_OPENAI_API_KEY').")

    @property
    def pool(self) -> str:
        return pool_for_provider(self.provider)

    def resolved_model_id(self) -> str:
        return self.model_id or default_model_for(self.provider)

    def build_runner(self, lake: Lake | None) -> EnrichmentRunner:
        if self.provider not in PROVIDER_NAMES:
            raise ValueError(f"unknown provider {self.provider!r}; choose one of {', '.join(PROVIDER_NAMES)}")
        options: dict[str, object] = {}
        if self.provider == "bedrock":
            options = {"region": self.aws_region, "endpoint_url": self.bedrock_endpoint_url}
        elif self.provider == "openai":
            options = {"base_url": self.openai_base_url, "api_key": self.openai_api_key}
        provider = build_provider(self.provider, **options)
        return EnrichmentRunner(
            [target_for(provider, self.resolved_model_id())],
            cache=LakeEnrichmentCache(lake) if lake is not None else None,
            budget_usd=self.budget_usd,
            prompt_version=self.prompt_version,
        )


def pool_for_provider(provider: str) -> str:
    """One Dagster concurrency pool per provider (`llm_rules`, `llm_bedrock`, `llm_openai`)."""
    return f"llm_{provider}"


def configured_provider(env: str) -> str:
    default = "rules" if env == "local" else "bedrock"
    return os.environ.get("DEJ_ENRICHMENT_PROVIDER", default).strip().lower() or default


def enrichment_resource_for(env: str) -> EnrichmentResource:
    provider = configured_provider(env)
    model = os.environ.get("DEJ_ENRICHMENT_MODEL") or None
    budget = {"local": None, "dev": 2.0, "prod": 25.0}.get(env)
    if os.environ.get("DEJ_ENRICHMENT_BUDGET_USD"):
        budget = float(os.environ["DEJ_ENRICHMENT_BUDGET_USD"])
    if provider == "openai":
        key = dg.EnvVar("DEJ_OPENAI_API_KEY") if os.environ.get("DEJ_OPENAI_API_KEY") else None
        return EnrichmentResource(provider=provider, model_id=model, budget_usd=budget, openai_api_key=key)
    return EnrichmentResource(provider=provider, model_id=model, budget_usd=budget)
