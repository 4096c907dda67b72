"""The pass models: strict enums, ranges, cross-field rules, and forgiven drift."""

from __future__ import annotations

import pytest

from dej_platform.enrichment.models import Pass1Extraction, Pass3Result
from dej_platform.enrichment.schemas import AnswerInvalid, answer_schema, answer_to_model


def test_drift_that_does_not_change_the_answer_is_normalised() -> None:
    result = answer_to_model(
        1,
        {"extraction": {
            "compensation": {"salary_disclosed": "true", "salary_min": "$105,000", "salary_max": "140k"},
            "salary_currency": "$",
            "salary_period": "Yearly",
            "work_model_stated": "Hybrid",
            "employment_type_stated": "Full-Time",
            "education_level": "bachelors",
            "education_area": "computer science",
            "must_have_soft_skills": ["communication", "not_mentioned"],
            "allowed_countries": ["UK", "us"],
            "certifications_mentioned": None,
        }},
    )  # fmt: skip
    assert isinstance(result, Pass1Extraction)
    assert (result.salary_min, result.salary_max, result.salary_currency) == (105000.0, 140000.0, "USD")
    assert (result.work_model_stated, result.employment_type_stated) == ("hybrid", "full_time")
    assert (result.education_level, result.education_area) == ("BACHELORS", "Computer Science")
    assert result.must_have_soft_skills == ["Communication"]
    assert result.allowed_countries == ["GB", "US"]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"work_model_stated": "flexible"}, "work_model_stated"),
        ({"salary_disclosed": True, "salary_min": 200000, "salary_max": 100000}, "must not exceed"),
        ({"salary_min": 100000}, "salary_disclosed is false"),
        ({"years_experience_min": 8, "years_experience_max": 3}, "must not exceed"),
        ({"years_experience_min": 80}, "years_experience_min"),
        ({"allowed_countries": ["Narnia"]}, "ISO 3166"),
        ({"must_have_soft_skills": ["Vibes"]}, "must_have_soft_skills"),
        ({"salary_currency": "dollars"}, "salary_currency"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"must_have_hard_skills": "not a list", "salary_min": {"a": 1}}, "salary_min"),
    ],
)
def test_pass1_rejects(answer: dict, message: str) -> None:
    with pytest.raises(AnswerInvalid) as err:
        answer_to_model(1, answer)
    assert message in str(err.value)


def test_pass2_low_confidence_is_demoted_and_missing_confidence_rejected() -> None:
    result = answer_to_model(
        2,
        {
            "value": {"seniority_level": "senior", "h1b_friendly": True},
            "confidence": {"seniority_level": 0.3, "h1b_friendly": 0.9},
        },
    )
    assert result.seniority_level.value == "not_mentioned" and result.seniority_level.confidence == 0.3
    assert result.h1b_friendly.value is True
    with pytest.raises(AnswerInvalid, match=r"confidence\.primary_cloud: missing"):
        answer_to_model(2, {"value": {"primary_cloud": "aws"}})
    with pytest.raises(AnswerInvalid, match="unknown fields"):
        answer_to_model(
            2, {"value": {"primary_cloud": "aws", "vibes": 1}, "confidence": {"primary_cloud": 0.9}}
        )
    with pytest.raises(AnswerInvalid):
        answer_to_model(2, {"value": {"primary_cloud": "aws"}, "confidence": {"primary_cloud": 1.7}})


def test_pass2_accepts_the_seed_per_field_shape() -> None:
    nested = {
        "inference": {
            "stack_and_cloud": {
                "primary_cloud": {
                    "value": "gcp",
                    "confidence": 0.8,
                    "evidence": "BigQuery",
                    "source": "inferred",
                }
            }
        }
    }
    assert answer_to_model(2, nested).primary_cloud.value == "gcp"


def test_pass3_rules_and_sentinels() -> None:
    result = answer_to_model(
        3,
        {
            "value": {
                "data_maturity_score": "not_mentioned",
                "tech_culture_signals": ["not_mentioned", "hackathons"],
            },
            "confidence": {"tech_culture_signals": 0.7},
            "summary": {"strength_categories": ["Remote Friendly", "remote_friendly"]},
        },
    )
    assert isinstance(result, Pass3Result)
    assert result.analysis.data_maturity_score.value is None
    assert result.analysis.tech_culture_signals.value == ["hackathons"]
    assert result.summary.strength_categories == ["remote_friendly"]
    with pytest.raises(AnswerInvalid, match="contradicts"):
        answer_to_model(3, {"value": {"data_maturity_score": 2, "data_maturity_level": "optimizing"},
                            "confidence": {"data_maturity_score": 0.8, "data_maturity_level": 0.8}})  # fmt: skip
    with pytest.raises(AnswerInvalid, match="concern_categories"):
        answer_to_model(
            3, {"value": {}, "confidence": {}, "summary": {"concern_categories": ["limited_benefits"]}}
        )
    with pytest.raises(AnswerInvalid):
        answer_to_model(3, {"value": {"scope_creep_score": 3.5}, "confidence": {"scope_creep_score": 0.8}})
    with pytest.raises(AnswerInvalid):  # more strengths than the vocabulary allows per job
        answer_to_model(3, {"value": {}, "summary": {"strength_categories": [
            "competitive_compensation", "transparent_salary", "equity_offered", "modern_tech_stack", "cloud_native",
            "remote_friendly"]}})  # fmt: skip


def test_not_an_object() -> None:
    with pytest.raises(AnswerInvalid, match="JSON object"):
        answer_to_model(1, ["a"])


def test_answer_schemas_carry_the_enums() -> None:
    p1 = answer_schema(1)["properties"]
    assert p1["work_model_stated"]["enum"] == ["remote", "hybrid", "onsite", "not_mentioned"]
    p2 = answer_schema(2)["properties"]["value"]["properties"]
    assert "lakehouse" not in p2["sub_specialty"]["enum"] and "data_lakehouse" in p2["sub_specialty"]["enum"]
    p3 = answer_schema(3)["properties"]["summary"]["properties"]
    assert len(p3["strength_categories"]["items"]["enum"]) == 20
