"""The flat table: fixed schema whatever happened, registry for consumers, generated docs current."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from dej_platform.enrichment.docs import DOC_PATH, render_columns_doc
from dej_platform.enrichment.execution import JobOutcome, PassOutcome
from dej_platform.enrichment.flatten import (
    FIELD_REGISTRY,
    FIELDS_BY_COLUMN,
    enrichment_schema,
    outcomes_to_frame,
)
from dej_platform.enrichment.job import JobInput
from dej_platform.enrichment.models import Pass1Extraction


def test_schema_has_every_seed_field_and_no_legacy_columns() -> None:
    schema = enrichment_schema()
    for column in ("ext_salary_min", "ext_visa_sponsorship_stated", "ext_must_have_hard_skills", "ext_llm_genai_mentioned",
                   "inf_h1b_friendly_confidence", "inf_primary_cloud_source", "anl_data_maturity_score_evidence",
                   "anl_strength_categories", "anl_recommendation_score", "pass3_latency_ms"):  # fmt: skip
        assert column in schema
    assert schema["ext_must_have_hard_skills"] == pl.List(pl.String())
    assert schema["inf_h1b_friendly"] == pl.Boolean()
    # 59 pass-1 fields, 25 + 29 judgements x 4 columns, 13 summary columns (v3.4 categories + details).
    assert sum(s.pass_number == 1 for s in FIELD_REGISTRY) == 59
    assert sum(s.pass_number == 2 for s in FIELD_REGISTRY) == 25
    assert sum(s.pass_number == 3 and s.has_confidence for s in FIELD_REGISTRY) == 29
    for legacy in ("ext_education_stated", "anl_strengths", "anl_best_fit_for", "anl_negotiation_leverage"):
        assert legacy not in schema
    assert FIELDS_BY_COLUMN["inf_seniority_level"].allowed_values[-1] == "not_mentioned"
    assert FIELDS_BY_COLUMN["anl_data_maturity_score"].kind == "number"


def test_failed_and_empty_runs_keep_the_schema() -> None:
    assert outcomes_to_frame([]).schema == pl.Schema(enrichment_schema())
    job = JobInput(job_posting_id="1", content_hash="h")
    outcome = JobOutcome(
        job, "bedrock", "m", "v1", datetime.now(UTC),
        {1: PassOutcome("success", result=Pass1Extraction(work_model_stated="remote")),
         2: PassOutcome("failed", error="invalid_answer: x"), 3: PassOutcome("skipped", error="pass2_failed")},
    )  # fmt: skip
    frame = outcomes_to_frame([outcome])
    assert frame.schema == pl.Schema(enrichment_schema())
    assert frame["ext_work_model_stated"][0] == "remote"
    assert frame["inf_seniority_level"][0] is None and frame["pass2_error"][0] == "invalid_answer: x"
    assert frame["pass3_status"][0] == "skipped"


def test_columns_doc_is_current() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render_columns_doc(), (
        "docs/enrichment_columns.md is stale: run python -m dej_platform.enrichment.docs"
    )
