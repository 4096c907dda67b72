"""Consensus' view of the enrichment package: field registry, prices and (when it exists) a runner.

Kept in one module so a change in the enrichment API breaks one adapter, not the consensus math.
"""

from __future__ import annotations

import importlib
from typing import Any

import polars as pl

from dej_platform.consensus.config import ModelRef
from dej_platform.consensus.fields import FieldSpec, field_specs_from_registry

_PREFIX = {1: "ext_", 2: "inf_", 3: "anl_"}


def registry_field_specs() -> list[FieldSpec]:
    """Specs from `dej_platform.enrichment.flatten`'s registry, else derived from the pass models' annotations."""
    try:
        flatten = importlib.import_module("dej_platform.enrichment.flatten")
    except ImportError:
        flatten = None
    if flatten is not None:
        for name in ("field_registry", "FIELD_REGISTRY", "registry", "REGISTRY"):
            entries: Any = getattr(flatten, name, None)
            if entries is None:
                continue
            entries = entries() if callable(entries) else entries
            return field_specs_from_registry(entries.values() if isinstance(entries, dict) else entries)
    return _specs_from_models()


def _specs_from_models() -> list[FieldSpec]:
    from dej_platform.enrichment import models

    specs: list[FieldSpec] = []
    for n, model in ((1, models.Pass1Extraction), (2, models.Pass2Inference), (3, models.Pass3Analysis)):
        for name, info in model.model_fields.items():
            annotation = info.annotation
            inner = getattr(annotation, "model_fields", {}).get("value") if n > 1 else None
            if n > 1 and inner is None:
                continue  # not an inferred value (e.g. a nested object): not compared
            kind, allowed = models.annotation_kind(inner.annotation if inner is not None else annotation)
            specs.append(FieldSpec(f"{_PREFIX[n]}{name}", n, kind, allowed))
    return specs


def model_price(model: ModelRef) -> tuple[float, float] | None:
    """USD per 1M input/output tokens from the price table; None for unlisted models (no invented price)."""
    if model.provider == "rules":
        return (0.0, 0.0)
    from dej_platform.enrichment.pricing import default_price_table

    settings = default_price_table().settings_for(model.model_id)
    return (settings.input_per_mtok, settings.output_per_mtok) if settings.listed else None


class EnrichmentEvaluationRunner:
    """Runs one evaluation model on jobs through the enrichment runner (cache, budget, retries included).

    Provider endpoints and credentials come from the environment the providers read themselves
    (AWS_REGION / AWS_ENDPOINT_URL for Bedrock, DEJ_OPENAI_BASE_URL / DEJ_OPENAI_API_KEY for OpenAI-compatible).
    """

    def __init__(self, env: str, lake: Any | None = None, budget_usd: float | None = None) -> None:
        self.env = env
        self.lake = lake
        self.budget_usd = budget_usd

    def enrich(self, jobs: pl.DataFrame, model: ModelRef) -> pl.DataFrame:
        from dej_platform.enrichment.cache import LakeEnrichmentCache
        from dej_platform.enrichment.execution import EnrichmentRunner, target_for
        from dej_platform.enrichment.flatten import outcomes_to_frame
        from dej_platform.enrichment.job import jobs_from_frame
        from dej_platform.enrichment.providers import build_provider

        runner = EnrichmentRunner(
            [target_for(build_provider(model.provider), model.model_id)],
            cache=LakeEnrichmentCache(self.lake) if self.lake is not None else None,
            budget_usd=self.budget_usd,
        )
        report = runner.run(jobs_from_frame(jobs))
        return outcomes_to_frame(report.outcomes)

    def price(self, model: ModelRef) -> tuple[float, float] | None:
        return model_price(model)

    def field_specs(self) -> list[FieldSpec]:
        return registry_field_specs()


def enrichment_runner(
    env: str, lake: Any | None = None, budget_usd: float | None = None
) -> EnrichmentEvaluationRunner:
    return EnrichmentEvaluationRunner(env, lake, budget_usd)
