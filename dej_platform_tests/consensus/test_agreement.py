"""Consensus math on hand-built outputs whose agreement is known in advance."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from dej_platform.consensus.agreement import evaluate_outputs, text_similarity
from dej_platform.consensus.config import ConsensusConfig, load_consensus_config
from dej_platform.consensus.fields import FieldSpec


@pytest.fixture(scope="module")
def config() -> ConsensusConfig:
    return load_consensus_config()


def outputs(rows: list[dict[str, Any]], schema: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
    return pl.DataFrame(rows, schema_overrides=schema, infer_schema_length=None)


def field_row(result: Any, job: str, field: str) -> dict[str, Any]:
    found = result.field_results.filter(
        (pl.col("job_posting_id") == job) & (pl.col("field") == field)
    ).to_dicts()
    assert len(found) == 1, found
    return found[0]


def model_row(result: Any, job: str, field: str, model: str) -> dict[str, Any]:
    found = result.model_results.filter(
        (pl.col("job_posting_id") == job) & (pl.col("field") == field) & (pl.col("model") == model)
    ).to_dicts()
    assert len(found) == 1, found
    return found[0]


WORK = FieldSpec("ext_work_model_stated", 1, "enum")


def test_enum_majority_share_with_spelling_variants(config: ConsensusConfig) -> None:
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_work_model_stated": "Remote"},
            {"job_posting_id": "1", "model": "b", "ext_work_model_stated": " remote "},
            {"job_posting_id": "1", "model": "c", "ext_work_model_stated": "hybrid"},
            {"job_posting_id": "2", "model": "a", "ext_work_model_stated": "On-Site"},
            {"job_posting_id": "2", "model": "b", "ext_work_model_stated": "onsite"},
            {"job_posting_id": "2", "model": "c", "ext_work_model_stated": "in office"},
        ]
    )
    result = evaluate_outputs(frame, [WORK], config)
    one = field_row(result, "1", "ext_work_model_stated")
    assert one["score"] == pytest.approx(2 / 3)
    assert one["consensus_value"] == "remote" and one["has_consensus"]
    assert model_row(result, "1", "ext_work_model_stated", "c")["outlier"]
    assert not model_row(result, "1", "ext_work_model_stated", "a")["outlier"]
    two = field_row(result, "2", "ext_work_model_stated")
    assert two["score"] == 1.0 and two["consensus_value"] == "onsite"
    assert result.pass_row(1)["agreement"] == pytest.approx((2 / 3 + 1) / 2)


def test_all_abstained_is_reported_apart_and_not_counted_as_agreement(config: ConsensusConfig) -> None:
    specs = [
        WORK,
        FieldSpec("ext_salary_min", 1, "number"),
        FieldSpec("ext_certifications_mentioned", 1, "list"),
    ]
    frame = outputs(
        [
            {
                "job_posting_id": "1",
                "model": "a",
                "ext_work_model_stated": "remote",
                "ext_salary_min": None,
                "ext_certifications_mentioned": [],
            },
            {
                "job_posting_id": "1",
                "model": "b",
                "ext_work_model_stated": "hybrid",
                "ext_salary_min": None,
                "ext_certifications_mentioned": ["not_mentioned"],
            },
        ],
        schema={"ext_salary_min": pl.Float64, "ext_certifications_mentioned": pl.List(pl.String)},
    )
    result = evaluate_outputs(frame, specs, config)
    assert field_row(result, "1", "ext_salary_min")["status"] == "abstained"
    assert field_row(result, "1", "ext_salary_min")["score"] is None
    assert field_row(result, "1", "ext_certifications_mentioned")["status"] == "abstained"
    p1 = result.pass_row(1)
    # Only the real disagreement counts: the seed would have reported (0.5 + 1 + 1) / 3.
    assert p1["agreement"] == pytest.approx(0.5)
    assert p1["evaluated"] == 1 and p1["abstained"] == 2
    assert p1["abstained_share"] == pytest.approx(2 / 3)


def test_partial_abstention_is_a_vote_and_the_lone_answer_is_the_outlier(config: ConsensusConfig) -> None:
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_work_model_stated": "not_mentioned"},
            {"job_posting_id": "1", "model": "b", "ext_work_model_stated": None},
            {"job_posting_id": "1", "model": "c", "ext_work_model_stated": "remote"},
        ]
    )
    result = evaluate_outputs(frame, [WORK], config)
    row = field_row(result, "1", "ext_work_model_stated")
    assert row["status"] == "evaluated" and row["score"] == pytest.approx(2 / 3)
    assert row["consensus_value"] == "(abstained)"
    assert model_row(result, "1", "ext_work_model_stated", "c")["outlier"]


@pytest.mark.parametrize(
    ("field", "a", "b", "agree"),
    [
        ("ext_salary_min", 100_000.0, 105_000.0, True),  # exactly 5 % of the reference: inside
        ("ext_salary_min", 100_000.0, 105_001.0, False),  # just outside from both sides
        ("ext_salary_min", 0.0, 0.0, True),
        ("ext_salary_min", 0.0, 1.0, False),  # no relative slack around zero
        ("ext_years_experience_min", 5.0, 6.0, False),  # override: exact
        ("anl_work_life_balance_score", 0.5, 0.6, True),  # override: absolute 0.1
        ("anl_work_life_balance_score", 0.5, 0.61, False),
    ],
)
def test_numeric_tolerance_edges(
    config: ConsensusConfig, field: str, a: float, b: float, agree: bool
) -> None:
    pass_number = 3 if field.startswith("anl_") else 1
    frame = outputs(
        [{"job_posting_id": "1", "model": "a", field: a}, {"job_posting_id": "1", "model": "b", field: b}]
    )
    result = evaluate_outputs(frame, [FieldSpec(field, pass_number, "number")], config)
    row = field_row(result, "1", field)
    assert row["score"] == (1.0 if agree else 0.5)
    assert row["has_consensus"] is agree
    assert model_row(result, "1", field, "b")["agrees"] is agree


def test_numeric_largest_group_within_tolerance_and_text_numbers(config: ConsensusConfig) -> None:
    spec = FieldSpec("ext_salary_max", 1, "number")
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_salary_max": "$150,000"},
            {"job_posting_id": "1", "model": "b", "ext_salary_max": "152000"},
            {"job_posting_id": "1", "model": "c", "ext_salary_max": "15000"},  # a dropped zero
            {"job_posting_id": "1", "model": "d", "ext_salary_max": "not a number"},
        ]
    )
    result = evaluate_outputs(frame, [spec], config)
    row = field_row(result, "1", "ext_salary_max")
    assert row["score"] == pytest.approx(2 / 4)
    assert not row["has_consensus"]  # 2 of 4 is not a strict majority
    assert row["n_abstained"] == 1
    assert row["spread"] == pytest.approx((152_000 - 15_000) / 150_000)  # (max - min) / median
    assert model_row(result, "1", "ext_salary_max", "a")["in_majority"]
    assert not model_row(result, "1", "ext_salary_max", "c")["in_majority"]


def test_lists_in_different_orders_and_spellings_agree(config: ConsensusConfig) -> None:
    spec = FieldSpec("ext_must_have_hard_skills", 1, "list")
    frame = outputs(
        [
            {
                "job_posting_id": "1",
                "model": "a",
                "ext_must_have_hard_skills": ["Apache Spark", "SQL", "python"],
            },
            {
                "job_posting_id": "1",
                "model": "b",
                "ext_must_have_hard_skills": ["sql", "Python.", "spark", "SQL"],
            },
        ]
    )
    result = evaluate_outputs(frame, [spec], config)
    row = field_row(result, "1", "ext_must_have_hard_skills")
    assert row["score"] == 1.0 and row["consensus_value"] == "python, spark, sql"


def test_list_majority_items_and_model_coverage(config: ConsensusConfig) -> None:
    spec = FieldSpec("ext_must_have_hard_skills", 1, "list")
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_must_have_hard_skills": ["spark", "sql", "airflow"]},
            {"job_posting_id": "1", "model": "b", "ext_must_have_hard_skills": ["spark", "sql"]},
            {"job_posting_id": "1", "model": "c", "ext_must_have_hard_skills": ["pyspark", "dbt"]},
        ]
    )
    result = evaluate_outputs(frame, [spec], config)
    row = field_row(result, "1", "ext_must_have_hard_skills")
    assert row["consensus_value"] == "spark, sql"  # airflow and dbt are named by 1 of 3 only
    assert row["score"] == pytest.approx((1 + 1 + 0.5) / 3)
    c = model_row(result, "1", "ext_must_have_hard_skills", "c")
    assert c["coverage"] == pytest.approx(0.5) and c["outlier"]
    assert model_row(result, "1", "ext_must_have_hard_skills", "a")["coverage"] == 1.0


def test_list_answer_against_empty_majority_is_not_coverage(config: ConsensusConfig) -> None:
    spec = FieldSpec("ext_allowed_countries", 1, "list")
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_allowed_countries": []},
            {"job_posting_id": "1", "model": "b", "ext_allowed_countries": None},
            {"job_posting_id": "1", "model": "c", "ext_allowed_countries": ["US"]},
        ],
        schema={"ext_allowed_countries": pl.List(pl.String)},
    )
    result = evaluate_outputs(frame, [spec], config)
    row = field_row(result, "1", "ext_allowed_countries")
    assert row["status"] == "evaluated" and row["score"] == pytest.approx(2 / 3)
    assert model_row(result, "1", "ext_allowed_countries", "c")["outlier"]


def test_one_model_always_off(config: ConsensusConfig) -> None:
    specs = [WORK, FieldSpec("inf_primary_cloud", 2, "enum"), FieldSpec("inf_h1b_friendly", 2, "bool")]
    rows = []
    for job in ("1", "2", "3", "4"):
        for model in ("good-1", "good-2", "bad"):
            off = model == "bad"
            rows.append(
                {
                    "job_posting_id": job,
                    "model": model,
                    "ext_work_model_stated": "hybrid" if off else "remote",
                    "inf_primary_cloud": "azure" if off else "aws",
                    "inf_h1b_friendly": "yes" if off else False,
                }
            )
    frame = outputs(rows, schema={"inf_h1b_friendly": pl.String})
    result = evaluate_outputs(frame, specs, config)
    overall = {r["model"]: r for r in result.model_summary.filter(pl.col("pass_number") == 0).to_dicts()}
    assert overall["bad"]["agreement"] == 0.0 and overall["bad"]["outlier_rate"] == 1.0
    assert overall["good-1"]["agreement"] == 1.0 and overall["good-2"]["outlier_rate"] == 0.0
    assert result.pass_row(2)["agreement"] == pytest.approx(2 / 3)
    assert result.pass_row(2)["status"] == "failed"


def test_failed_pass_outputs_are_excluded_and_counted(config: ConsensusConfig) -> None:
    spec = FieldSpec("inf_primary_cloud", 2, "enum")
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "pass2_status": "success", "inf_primary_cloud": "aws"},
            {"job_posting_id": "1", "model": "b", "pass2_status": "failed", "inf_primary_cloud": "gcp"},
            {"job_posting_id": "1", "model": "c", "pass2_status": "cached", "inf_primary_cloud": "AWS"},
            {"job_posting_id": "2", "model": "a", "pass2_status": "success", "inf_primary_cloud": "aws"},
            {"job_posting_id": "2", "model": "b", "pass2_status": "skipped", "inf_primary_cloud": None},
        ]
    )
    result = evaluate_outputs(frame, [spec], config)
    assert field_row(result, "1", "inf_primary_cloud")["score"] == 1.0  # b's failed answer is not a vote
    assert field_row(result, "2", "inf_primary_cloud")["status"] == "insufficient_models"
    missing = {
        r["model"]: r["jobs_missing"]
        for r in result.missing_outputs.filter(pl.col("pass_number") == 2).to_dicts()
    }
    assert missing == {"a": 0, "b": 2, "c": 1}  # c has no row for job 2


def test_single_model_is_not_evaluated_with_a_reason(config: ConsensusConfig) -> None:
    frame = outputs(
        [
            {
                "job_posting_id": "1",
                "provider": "rules",
                "model_id": "rules-v1",
                "ext_work_model_stated": "remote",
            }
        ]
    )
    result = evaluate_outputs(frame, [WORK], config)
    row = result.pass_row(1)
    assert row["status"] == "not_evaluated" and row["agreement"] is None
    assert "rules/rules-v1" in row["reason"] and "at least 2" in row["reason"]
    assert any("not evaluated" in note for note in result.notes)


def test_strings_similarity_and_hostile_length(config: ConsensusConfig) -> None:
    spec = FieldSpec("ext_salary_text_raw", 1, "string")
    huge = "<script>alert(1)</script> " * 50_000
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_salary_text_raw": "Pay: $100k - $120k per year"},
            {"job_posting_id": "1", "model": "b", "ext_salary_text_raw": "pay:  $100k - $120k per year"},
            {"job_posting_id": "1", "model": "c", "ext_salary_text_raw": None},
            {"job_posting_id": "2", "model": "a", "ext_salary_text_raw": huge},
            {"job_posting_id": "2", "model": "b", "ext_salary_text_raw": huge + "x"},
        ]
    )
    result = evaluate_outputs(frame, [spec], config)
    one = field_row(result, "1", "ext_salary_text_raw")
    assert one["score"] == pytest.approx(1 / 3)  # a==b after normalization, both 0 against the abstention
    assert one["has_consensus"] and model_row(result, "1", "ext_salary_text_raw", "c")["outlier"]
    assert (
        field_row(result, "2", "ext_salary_text_raw")["score"] == 1.0
    )  # compared on the first max_chars only
    assert text_similarity(None, None) == 1.0 and text_similarity("a", None) == 0.0


def test_booleans_from_strings_and_duplicate_rows_note(config: ConsensusConfig) -> None:
    spec = FieldSpec("ext_equity_mentioned", 1, "bool")
    frame = outputs(
        [
            {"job_posting_id": "1", "model": "a", "ext_equity_mentioned": "Yes"},
            {"job_posting_id": "1", "model": "b", "ext_equity_mentioned": "true"},
            {"job_posting_id": "1", "model": "b", "ext_equity_mentioned": "TRUE"},
        ]
    )
    result = evaluate_outputs(frame, [spec], config)
    assert field_row(result, "1", "ext_equity_mentioned")["consensus_value"] == "true"
    assert field_row(result, "1", "ext_equity_mentioned")["score"] == 1.0
    assert any("duplicate" in note for note in result.notes)


def test_outputs_without_model_identity_are_rejected(config: ConsensusConfig) -> None:
    with pytest.raises(ValueError, match="model"):
        evaluate_outputs(outputs([{"job_posting_id": "1", "ext_work_model_stated": "x"}]), [WORK], config)
