"""Consensus against the real enrichment code: the registry, the table schema and the offline `rules` runner."""

from __future__ import annotations

import polars as pl

from dej_platform.consensus.agreement import evaluate_outputs
from dej_platform.consensus.config import ModelRef, load_consensus_config
from dej_platform.consensus.enrichment_adapter import enrichment_runner, model_price, registry_field_specs
from dej_platform.enrichment.flatten import FIELD_REGISTRY, enrichment_schema


def test_registry_adapter_covers_every_registry_column_with_its_kind() -> None:
    specs = {s.name: s for s in registry_field_specs()}
    assert set(specs) == {f.column for f in FIELD_REGISTRY}
    schema = enrichment_schema()
    for spec in specs.values():
        assert spec.name in schema
        if spec.kind == "list":
            assert isinstance(schema[spec.name], pl.List)
    assert specs["inf_seniority_level"].pass_number == 2 and specs["inf_seniority_level"].kind == "enum"


def test_rules_runner_output_is_comparable_and_free() -> None:
    jobs = pl.DataFrame(
        {
            "job_posting_id": ["1", "2"],
            "job_title": ["Senior Data Engineer", "Data Engineer Intern"],
            "company_name": ["Acme", "Beta"],
            "job_description_text": [
                "Remote. Full-time. $150,000 - $180,000 per year. Required: Python, Spark, AWS, Airflow.",
                "Internship, onsite in Berlin. Nice to have: SQL.",
            ],
        }
    )
    rules = ModelRef(provider="rules", model_id="rules-v1")
    runner = enrichment_runner("local")
    rows = runner.enrich(jobs, rules)
    assert rows.height == 2 and rows.schema == pl.Schema(enrichment_schema())
    # The same model twice agrees with itself on every answered field: the math sees no false disagreement
    # from the real table's types (lists, booleans, numbers, side columns).
    twin = rows.with_columns(model_id=pl.lit("rules-twin"))
    result = evaluate_outputs(pl.concat([rows, twin]), runner.field_specs(), load_consensus_config())
    evaluated = result.field_results.filter(pl.col("status") == "evaluated")
    assert evaluated.height > 0 and evaluated.get_column("score").min() == 1.0
    assert model_price(rules) == (0.0, 0.0)
