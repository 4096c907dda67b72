"""Enrichment providers: `rules` (offline), `bedrock` (Converse API) and `openai` (OpenAI-compatible)."""

from __future__ import annotations

from typing import Any

from dej_platform.enrichment.providers.base import EnrichmentProvider

PROVIDER_NAMES = ("rules", "bedrock", "openai")


def build_provider(name: str, **options: Any) -> EnrichmentProvider:
    """A provider by name; options go to its constructor (base_url, api_key, region, endpoint_url, ...)."""
    if name == "rules":
        from dej_platform.enrichment.providers.rules import RulesProvider

        return RulesProvider()
    if name == "bedrock":
        from dej_platform.enrichment.providers.bedrock import BedrockProvider

        return BedrockProvider(**options)
    if name == "openai":
        from dej_platform.enrichment.providers.openai_compat import OpenAICompatibleProvider

        return OpenAICompatibleProvider(**options)
    raise ValueError(f"unknown provider {name!r}; choose one of {', '.join(PROVIDER_NAMES)}")


def default_model_for(name: str) -> str:
    from dej_platform.enrichment.providers.bedrock import DEFAULT_MODEL_ID
    from dej_platform.enrichment.providers.rules import RULES_MODEL_ID

    return {"rules": RULES_MODEL_ID, "bedrock": DEFAULT_MODEL_ID, "openai": "gpt-4o-mini"}[name]
