from __future__ import annotations

import polars as pl
import pytest

from dej_platform.gold.aggregates import build_aggregates
from dej_platform.gold.checks import non_empty, referential_integrity, salary_sanity
from dej_platform.gold.star import build_star_schema
from dej_platform_tests.gold.market_fixture import enrichment, silver_current


@pytest.fixture(scope="module")
def tables():
    star = build_star_schema(silver_current(), enrichment())
    return {**star.tables(), **build_aggregates(star)}


def test_clean_gold_passes_every_check(tables):
    assert referential_integrity(tables).passed
    outcome = salary_sanity(tables["fact_job_postings"], tables["agg_salary_benchmarks"])
    assert outcome.passed, outcome.summary
    assert outcome.metadata["postings_with_salary"] == 8
    assert non_empty(tables).passed


def test_missing_dimension_row_breaks_referential_integrity(tables):
    broken = {**tables, "dim_company": tables["dim_company"].filter(pl.col("company_name") != "Acme")}
    outcome = referential_integrity(broken)
    assert not outcome.passed
    assert outcome.metadata["violations"] == {"fact_job_postings.company_key -> dim_company.company_key": 5}


def test_null_key_duplicate_key_and_orphan_bridge_fail(tables):
    fact = tables["fact_job_postings"].with_columns(
        posted_date_key=pl.when(pl.col("job_posting_id") == "j01")
        .then(None)
        .otherwise(pl.col("posted_date_key"))
    )
    dup = pl.concat([tables["dim_skill"], tables["dim_skill"].head(1)])
    bridge = tables["bridge_job_skill"].with_columns(job_key=pl.lit(42, dtype=pl.Int64))
    outcome = referential_integrity(
        {**tables, "fact_job_postings": fact, "dim_skill": dup, "bridge_job_skill": bridge}
    )
    violations = outcome.metadata["violations"]
    assert violations["fact_job_postings.posted_date_key -> dim_date.date_key"] == 1
    assert violations["duplicate dim_skill.skill_key"] == 1
    assert (
        violations["bridge_job_skill.job_key -> fact_job_postings.job_key"]
        == tables["bridge_job_skill"].height
    )


@pytest.mark.parametrize(
    ("change", "violation"),
    [
        ({"salary_annual_min_usd": 300_000.0}, "annual_min_above_max"),
        ({"salary_min_raw": 500_000.0}, "raw_min_above_max"),
        ({"salary_max_raw": -1.0}, "negative_amounts"),
        ({"salary_max_raw": float("inf")}, "non_finite_amounts"),
        ({"salary_period": "hour"}, "usd_amount_outside_period_range"),  # $100k "per hour": a unit bug
    ],
)
def test_broken_salaries_fail(tables, change, violation):
    fact = tables["fact_job_postings"].with_columns(
        [
            pl.when(pl.col("job_posting_id") == "j01").then(pl.lit(v)).otherwise(pl.col(k)).alias(k)
            for k, v in change.items()
        ]
    )
    outcome = salary_sanity(fact)
    assert not outcome.passed and violation in outcome.metadata["violations"], outcome.summary


def test_many_implausible_salaries_fail_but_one_in_many_is_tolerated(tables):
    fact = tables["fact_job_postings"]
    bad = fact.with_columns(
        salary_is_plausible=pl.when(pl.col("job_posting_id") == "j01")
        .then(False)
        .otherwise(pl.col("salary_is_plausible"))
    )
    outcome = salary_sanity(bad)
    assert not outcome.passed and outcome.metadata["implausible_salaries"] == 1  # 1 of 8 = 12.5% > 5%
    many = pl.concat([fact.filter(pl.col("has_salary"))] * 3)
    tolerated = pl.concat([many, bad.filter(pl.col("job_posting_id") == "j01")])  # 1 of 25 = 4%
    assert salary_sanity(tolerated).passed


def test_unordered_or_implausible_benchmarks_fail(tables):
    bench = tables["agg_salary_benchmarks"]
    swapped = bench.with_columns(salary_p10_usd=pl.col("salary_p90_usd") + 1)
    assert (
        "benchmark_percentiles_out_of_order"
        in salary_sanity(tables["fact_job_postings"], swapped).metadata["violations"]
    )
    tiny = bench.with_columns(salary_p10_usd=pl.lit(5.0))
    assert (
        "benchmark_outside_plausible_range"
        in salary_sanity(tables["fact_job_postings"], tiny).metadata["violations"]
    )


def test_empty_fact_fails_non_empty(tables):
    outcome = non_empty({**tables, "fact_job_postings": tables["fact_job_postings"].head(0)})
    assert not outcome.passed and outcome.metadata["empty"] == ["fact_job_postings"]
    # Optional outputs may be empty without failing.
    assert non_empty({**tables, "agg_skill_cooccurrence": tables["agg_skill_cooccurrence"].head(0)}).passed
