"""The offline rules provider on our own sentences, one table per field it claims."""

from __future__ import annotations

import pytest

from dej_platform.enrichment.execution import EnrichmentRunner, target_for
from dej_platform.enrichment.job import JobInput
from dej_platform.enrichment.models import Pass1Extraction, Pass2Inference
from dej_platform.enrichment.providers.rules import (
    RulesProvider,
    analyse,
    competition_from_applicants,
    extract_facts,
    infer_classification,
)


def facts(text: str, title: str = "Data Engineer", salary_text: str | None = None) -> Pass1Extraction:
    return Pass1Extraction.model_validate(extract_facts(title, text, salary_text))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We are unable to sponsor visas now or in the future.", "will_not_sponsor"),
        ("Candidates must be authorized to work in the US without sponsorship.", "will_not_sponsor"),
        ("This role does not offer H-1B sponsorship.", "will_not_sponsor"),
        ("Visa sponsorship is available for the right candidate.", "will_sponsor"),
        ("We will sponsor H-1B transfers.", "will_sponsor"),
        ("You must be legally authorized to work in Canada.", "must_be_authorized"),
        ("We love data and coffee.", "not_mentioned"),
    ],
)
def test_visa(sentence: str, expected: str) -> None:
    assert facts(sentence).visa_sponsorship_stated == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Active Secret clearance required.", "required"),
        ("TS/SCI clearance is a plus.", "preferred"),
        ("Build secure systems.", "not_mentioned"),
    ],
)
def test_clearance(sentence: str, expected: str) -> None:
    assert facts(sentence).security_clearance_stated == expected


def test_citizenship_text_and_pass2_judgement() -> None:
    extracted = facts("U.S. citizenship is required for this role.")
    assert extracted.citizenship_text is not None
    judged = Pass2Inference.model_validate(_inferred(infer_classification("Data Engineer", "", extracted)))
    assert judged.citizenship_required.value == "us_citizen_only"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("This is a hybrid role with two days in our Denver office.", "hybrid"),
        ("This position is fully remote.", "remote"),
        ("Work from home anywhere in Spain.", "remote"),
        ("This is not a remote position; you will work on-site in Ohio.", "onsite"),
        ("The role is on-site in Munich.", "onsite"),
        ("Our team uses remote sensing data.", "not_mentioned"),
    ],
)
def test_work_model(sentence: str, expected: str) -> None:
    assert facts(sentence).work_model_stated == expected


@pytest.mark.parametrize(
    ("title", "sentence", "employment", "contract"),
    [
        ("Data Engineer", "This is a full-time position.", "full_time", "permanent"),
        (
            "Data Engineer (Contract)",
            "12 month contract, possibility of extension.",
            "contract",
            "fixed_term",
        ),
        ("Data Engineer", "This is a contract-to-hire role on W2.", "not_mentioned", "contract_to_hire"),
        ("Data Engineering Intern", "Summer internship program.", "internship", "not_mentioned"),
        ("Data Engineer", "Part-time, 20 hours a week.", "part_time", "not_mentioned"),
    ],
)
def test_employment_and_contract(title: str, sentence: str, employment: str, contract: str) -> None:
    extracted = facts(sentence, title=title)
    assert extracted.employment_type_stated == employment
    assert extracted.contract_type == contract


def test_contract_duration_in_months() -> None:
    assert facts("Initial 6 month contract.", title="Contract Data Engineer").contract_duration_months == 6
    assert facts("Contract duration: 2 years.", title="Contract Data Engineer").contract_duration_months == 24


@pytest.mark.parametrize(
    ("sentence", "low", "high"),
    [
        ("5+ years of experience with Spark.", 5, None),
        ("3-5 years of experience in data engineering.", 3, 5),
        ("At least 7 years of professional experience.", 7, None),
        ("Four years of experience building pipelines.", 4, 4),
        ("We have been in business for 30 years.", None, None),
    ],
)
def test_years_of_experience(sentence: str, low: float | None, high: float | None) -> None:
    extracted = facts(sentence)
    assert (extracted.years_experience_min, extracted.years_experience_max) == (low, high)


@pytest.mark.parametrize(
    ("sentence", "level", "area", "requirement"),
    [
        ("Bachelor's degree in Computer Science required.", "BACHELORS", "Computer Science", "required"),
        ("Master's or PhD in Statistics preferred.", "MASTERS", "Mathematics/Statistics", "preferred"),
        ("BS in Engineering or equivalent experience.", "BACHELORS", "Engineering", "or_equivalent"),
        ("High school diploma or GED.", "HIGH_SCHOOL", None, "required"),
    ],
)
def test_education(sentence: str, level: str, area: str | None, requirement: str) -> None:
    extracted = facts(sentence)
    assert (extracted.education_level, extracted.education_area, extracted.education_requirement) == (
        level,
        area,
        requirement,
    )


def test_salary_through_the_silver_parser() -> None:
    yearly = facts("The base salary range is $150,000 - $180,000 per year.")
    assert (yearly.salary_min, yearly.salary_max, yearly.salary_currency, yearly.salary_period) == (
        150000,
        180000,
        "USD",
        "yearly",
    )
    assert yearly.salary_disclosed and yearly.pay_type == "salary"
    hourly = facts("Pay: $65-$80/hr on W2.")
    assert (hourly.hourly_rate_min, hourly.hourly_rate_max, hourly.pay_type) == (65, 80, "hourly")
    assert not hourly.salary_disclosed
    assert facts("Great team, great snacks.").salary_min is None
    listed = facts("No pay in the text.", salary_text="€70k-€85k per year")
    assert (listed.salary_min, listed.salary_currency) == (70000, "EUR")


def test_benefits_and_flags() -> None:
    extracted = facts(
        "Benefits: medical, dental and vision insurance, 401(k) match, unlimited PTO, stock options, "
        "an annual learning budget and choice of laptop."
    )
    assert {"health insurance", "dental", "vision", "401(k)", "equity", "learning budget"} <= set(
        extracted.benefits_mentioned
    )
    assert (
        extracted.equity_mentioned
        and extracted.learning_budget_mentioned
        and extracted.hardware_choice_mentioned
    )
    assert extracted.pto_policy == "unlimited"
    assert facts("We offer generous vacation.").pto_policy == "generous"


@pytest.mark.parametrize(
    ("sentence", "genai", "feature_store"),
    [
        ("Build RAG pipelines for our LLM assistant.", True, False),
        ("Experience with generative AI is a plus.", True, False),
        ("Maintain our Feast feature store.", False, True),
        ("Drag and drop dashboards in Tableau.", False, False),
    ],
)
def test_genai_and_feature_store(sentence: str, genai: bool, feature_store: bool) -> None:
    extracted = facts(sentence)
    assert (extracted.llm_genai_mentioned, extracted.feature_store_mentioned) == (genai, feature_store)


def _inferred(answer: dict) -> dict:
    return {
        name: {"value": value, "confidence": answer["confidence"][name], "evidence": answer["evidence"][name],
               "source": answer["source"][name]}
        for name, value in answer["value"].items()
    }  # fmt: skip


def test_pass2_and_pass3_judgements() -> None:
    extracted = facts("Visa sponsorship is available. W2 only. Benefits: medical, dental, stock options, "
                      "unlimited PTO, learning budget.")  # fmt: skip
    judged = Pass2Inference.model_validate(
        _inferred(infer_classification("Senior Data Engineer", "W2 only.", extracted))
    )
    assert judged.h1b_friendly.value is True and judged.h1b_friendly.source == "pass1_derived"
    assert judged.w2_vs_1099.value == "w2"
    assert judged.seniority_level.value == "senior" and judged.job_family.value == "data_engineer"
    assert judged.benefits_level.value == "comprehensive"
    assert judged.primary_cloud.value == "not_mentioned" and judged.primary_cloud.confidence == 0.0
    analysis = analyse("", 250, extracted, judged)
    assert analysis["value"]["competition_level"] == "very_high"
    assert "visa_sponsorship" in analysis["summary"]["strength_categories"]
    assert "salary_not_disclosed" in analysis["summary"]["concern_categories"]
    assert [competition_from_applicants(n) for n in (None, 3, 30, 100, 500)] == [
        None,
        "low",
        "medium",
        "high",
        "very_high",
    ]


def test_rules_run_end_to_end_and_deterministically(job: JobInput) -> None:
    runner = EnrichmentRunner([target_for(RulesProvider(), "rules-v1")])
    first = runner.run([job]).outcomes[0]
    again = EnrichmentRunner([target_for(RulesProvider(), "rules-v1")]).run([job]).outcomes[0]
    assert [first.passes[p].status for p in (1, 2, 3)] == ["success"] * 3
    assert first.passes[1].result == again.passes[1].result
    assert first.passes[1].cost_usd == 0 and first.passes[1].tokens_in == 0
    extracted = first.passes[1].result
    assert extracted.visa_sponsorship_stated == "will_not_sponsor" and extracted.work_model_stated == "hybrid"


def test_hostile_and_empty_text() -> None:
    huge = ("no sponsorship " + "x" * 5000 + " ") * 50
    assert facts(huge).visa_sponsorship_stated == "will_not_sponsor"
    empty = JobInput(job_posting_id="1", content_hash="e", job_description_text="   ")
    outcome = EnrichmentRunner([target_for(RulesProvider(), "rules-v1")]).run([empty]).outcomes[0]
    assert outcome.passes[1].status == "failed" and outcome.passes[1].error.startswith("empty_description")
    assert outcome.passes[2].status == "skipped"
