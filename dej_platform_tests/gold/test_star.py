from __future__ import annotations

import polars as pl
import pytest

from dej_platform.gold.keys import key_of
from dej_platform.gold.star import (
    CatalogSkill,
    build_star_schema,
    catalog_skills_from,
    load_catalog_skills,
    prepare_enrichment,
)
from dej_platform_tests.gold.market_fixture import enrichment, silver_current


@pytest.fixture(scope="module")
def star():
    return build_star_schema(silver_current(), enrichment())


def by_id(star, column):
    return dict(star.fact_job_postings.select("job_posting_id", column).iter_rows())


def test_fact_has_one_row_per_job_and_resolves_enrichment(star):
    fact = star.fact_job_postings
    assert fact.height == 12 and fact["job_key"].n_unique() == 12
    assert by_id(star, "seniority_level") == {
        "j01": "senior",
        "j02": "entry",
        "j03": "mid_senior",
        "j04": "entry",
        "j05": "mid_senior",
        "j06": "senior",
        "j07": "associate",
        "j08": "director",
        "j09": "mid",
        "j10": "entry",
        "j11": "mid_senior",
        "j12": "entry",
    }
    sources = by_id(star, "seniority_source")
    assert sources["j01"] == "llm" and sources["j03"] == "linkedin" and sources["j04"] == "linkedin"
    wm = by_id(star, "work_model")
    assert wm["j03"] == "onsite" and wm["j07"] == "hybrid" and wm["j11"] == "unknown"
    assert by_id(star, "work_model_source")["j03"] == "llm_stated"
    status = by_id(star, "enrichment_status")
    assert status["j01"] == "complete" and status["j03"] == "partial" and status["j11"] == "failed"
    assert status["j02"] == "missing"
    # The older j01 enrichment (visa will_not_sponsor, content h-old) lost to the newer one.
    assert by_id(star, "visa_sponsorship")["j01"] == "will_sponsor"
    assert by_id(star, "enrichment_is_current") == {
        **{j: None for j in by_id(star, "job_key")},
        "j01": True,
        "j03": True,
        "j04": True,
        "j06": True,
        "j09": False,
        "j11": True,
        "j12": True,
    }
    h1b = by_id(star, "h1b_friendly")
    assert h1b["j03"] is None  # pass 2 failed: its value is not trusted
    assert h1b["j11"] is None and by_id(star, "visa_sponsorship")["j11"] is None
    assert by_id(star, "years_experience_min")["j01"] == 5.0


def test_salary_measures(star):
    mid = by_id(star, "salary_annual_mid_usd")
    assert mid["j01"] == 120_000 and mid["j10"] == 114_400 and mid["j02"] is None
    assert mid["j09"] == 140_000  # silver wins over the LLM's implausible 1-2
    assert mid["j12"] == 100_000 and by_id(star, "salary_source")["j12"] == "llm"
    assert by_id(star, "salary_period")["j10"] == "hour"
    assert star.fact_job_postings.filter(pl.col("has_salary")).height == 8
    assert star.fact_job_postings["salary_is_plausible"].drop_nulls().all()


def test_dimensions(star):
    company = star.dim_company.sort("job_postings", "company_name", descending=[True, False])
    assert company.select("company_name", "job_postings").rows() == [
        ("Acme", 5), ("Beta", 3), ("Gamma", 3), ("Delta", 1)
    ]  # fmt: skip  # "Beta Ltd" and "Beta" are one company, named as in the latest posting
    assert star.dim_location.height == 7
    us = star.dim_location.filter(pl.col("country_code") == "US")
    assert set(us["country_name"]) == {"United States"} and set(us["continent"]) == {"North America"}
    assert star.dim_date.height == 32  # 2026-01-05 .. 2026-02-05
    assert star.dim_date.filter(pl.col("full_date") == pl.date(2026, 1, 10))["is_weekend"].item() is True
    assert star.dim_skill.select("skill", "family").sort("skill").rows() == [
        ("AWS", "cloud_platforms"),
        ("Python", "programming_languages"),
        ("SQL", "programming_languages"),
        ("Spark", "data_processing"),
    ]
    assert star.dim_seniority["seniority_level"].is_unique().all()
    assert set(star.dim_work_model["work_model"]) == {"remote", "hybrid", "onsite", "unknown"}


def test_bridge_requirements(star):
    bridge = star.bridge_job_skill.join(
        star.fact_job_postings.select("job_key", "job_posting_id"), on="job_key"
    )
    req = {
        (r["job_posting_id"], r["skill"]): (r["requirement"], r["source"])
        for r in bridge.iter_rows(named=True)
    }
    assert bridge.height == 2 + 1 + 2 + 2 + 1 + 3 + 2 + 1 + 2 + 1 + 2 + 1  # skills per job j01..j12
    assert req[("j01", "Python")] == ("must_have", "catalog+llm")
    assert req[("j01", "SQL")] == ("unspecified", "catalog")
    assert req[("j03", "AWS")] == ("nice_to_have", "catalog")
    assert req[("j04", "SQL")] == ("must_have", "catalog+llm")  # must beats the LLM's nice
    assert req[("j06", "SQL")] == ("nice_to_have", "catalog+llm")
    assert not bridge.filter(pl.col("skill").is_in(["Airflow", "Terraform"])).height
    counts = star.fact_job_postings.filter(pl.col("job_posting_id") == "j06")
    assert counts.select("skills_count", "must_have_skills_count", "nice_to_have_skills_count").row(0) == (
        3,
        1,
        1,
    )


def test_keys_are_stable_across_runs_and_row_order():
    first = build_star_schema(silver_current(), enrichment())
    shuffled = silver_current().sample(fraction=1.0, shuffle=True, seed=7)
    subset = silver_current().filter(pl.col("job_posting_id").is_in(["j01", "j08"]))
    second = build_star_schema(shuffled, enrichment())
    third = build_star_schema(subset, None)
    for name, table in first.tables().items():
        assert table.equals(second.tables()[name]), name
    acme_first = first.dim_company.filter(pl.col("company_name") == "Acme")["company_key"].item()
    assert third.dim_company.filter(pl.col("company_name") == "Acme")["company_key"].item() == acme_first
    assert acme_first == key_of("company", "id:c1")
    j01 = first.fact_job_postings.filter(pl.col("job_posting_id") == "j01")["job_key"].item()
    assert j01 == key_of("job", "linkedin", "j01")


def test_gold_works_from_silver_alone_and_with_hostile_enrichment():
    alone = build_star_schema(silver_current(), None)
    assert alone.fact_job_postings.height == 12
    assert set(alone.fact_job_postings["enrichment_status"]) == {"missing"}
    hostile = pl.DataFrame(
        {
            "job_posting_id": ["j01", "j02", None],
            "ext_years_experience_min": ["five", "3", "1"],  # text where a number belongs
            "inf_h1b_friendly": ["yes", "maybe", "no"],
            "ext_must_have_hard_skills": [
                '["Python", "SQL"]',
                "SQL, Spark",
                '["broken',
            ],  # JSON, CSV, bad JSON
            "inf_seniority_level": ["<script>alert(1)</script>" * 100, "senior", "staff"],
        }
    )
    star = build_star_schema(silver_current(), hostile)
    fact = star.fact_job_postings
    assert fact.height == 12
    assert (
        by_id(star, "years_experience_min")["j02"] == 3.0
        and by_id(star, "years_experience_min")["j01"] is None
    )
    assert by_id(star, "h1b_friendly")["j01"] is True and by_id(star, "h1b_friendly")["j02"] is None
    assert by_id(star, "seniority_level")["j01"] == "mid_senior"  # garbage level falls back to LinkedIn
    assert by_id(star, "seniority_level")["j02"] == "senior"


def test_country_comes_from_parsed_location_when_bright_data_gives_none():
    silver = silver_current().with_columns(country_code=pl.lit(None, dtype=pl.String))
    star = build_star_schema(silver, None)
    countries = star.fact_job_postings.join(star.dim_location, on="location_key").select(
        "job_posting_id", "country_code"
    )
    expected = dict(silver.select("job_posting_id", "location_country").iter_rows())
    assert dict(countries.iter_rows()) == expected
    assert "unknown" not in set(countries["country_code"])


def test_silver_without_job_id_is_rejected():
    with pytest.raises(ValueError, match="job_posting_id"):
        build_star_schema(pl.DataFrame({"company_name": ["x"]}))


def test_empty_silver_gives_empty_tables_with_contract_columns():
    star = build_star_schema(silver_current().head(0), None)
    assert star.fact_job_postings.is_empty() and star.dim_date.is_empty()
    assert star.dim_seniority.height == 13  # static dimensions are always there


def test_catalog_supplies_family_parent_and_aliases():
    catalog = catalog_skills_from(
        [
            {
                "canonical": "AWS",
                "family": "cloud_platforms",
                "parent": None,
                "variations": ["amazon web services"],
            },
            {"canonical": "AWS Glue", "family": "cloud_platforms", "parent": "AWS", "variations": ["glue"]},
            {"family": "no canonical: skipped"},
        ]
    )
    assert catalog == [
        CatalogSkill("AWS", "cloud_platforms", None, ("amazon web services",)),
        CatalogSkill("AWS Glue", "cloud_platforms", "AWS", ("glue",)),
    ]
    enr = pl.DataFrame({"job_posting_id": ["j02"], "ext_must_have_hard_skills": [["Glue"]]})
    star = build_star_schema(silver_current(), enr, catalog)
    glue = star.dim_skill.filter(pl.col("skill") == "AWS Glue")
    assert glue.select("family", "parent").row(0) == ("cloud_platforms", "AWS")
    assert star.dim_skill.filter(pl.col("skill") == "Python")["family"].item() == "programming_languages"
    j02 = by_id(star, "job_key")["j02"]
    assert set(star.bridge_job_skill.filter(pl.col("job_key") == j02)["skill"]) == {"SQL", "AWS Glue"}


def test_prepare_enrichment_handles_missing_columns():
    out = prepare_enrichment(pl.DataFrame({"job_posting_id": ["a", "a"], "model_id": ["m1", "m2"]}))
    assert out.height == 1 and "inf_seniority_level" in out.columns
    assert prepare_enrichment(pl.DataFrame({"something": [1]})).is_empty()


def test_the_project_skills_catalog_feeds_dim_skill():
    catalog = load_catalog_skills()
    assert len(catalog) > 100 and len({s.canonical for s in catalog}) == len(catalog)
    child = next(s for s in catalog if s.parent)
    star = build_star_schema(silver_current(), None, catalog)
    row = star.dim_skill.filter(pl.col("skill") == child.canonical).row(0, named=True)
    assert (row["family"], row["parent"]) == (child.family, child.parent)
    assert star.dim_skill["skill_key"].is_unique().all()
    # Skills silver found that the catalog lacks still get a row (no orphan bridge keys).
    assert set(star.bridge_job_skill["skill_key"]) <= set(star.dim_skill["skill_key"])
