from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dej_platform.gold.aggregates import build_aggregates, with_rollups
from dej_platform.gold.config import GoldSettings
from dej_platform.gold.schema import AGGREGATE_SCHEMAS, ALL
from dej_platform.gold.star import build_star_schema
from dej_platform_tests.gold.market_fixture import enrichment, silver_current

W1, W4, W5 = date(2026, 1, 5), date(2026, 1, 26), date(2026, 2, 2)


@pytest.fixture(scope="module")
def star():
    return build_star_schema(silver_current(), enrichment())


@pytest.fixture(scope="module")
def aggs(star):
    return build_aggregates(star, GoldSettings(min_salary_sample=5))


def one(df: pl.DataFrame, **where) -> dict:
    rows = df.filter(**where)
    assert rows.height == 1, (where, rows)
    return rows.row(0, named=True)


def test_every_aggregate_follows_its_contract(aggs):
    for name, schema in AGGREGATE_SCHEMAS.items():
        assert dict(aggs[name].schema) == schema, name


def test_skill_demand_share_and_growth(aggs):
    demand = aggs["agg_skill_demand_weekly"]
    # Python postings per week overall: W1 1, W2 2, W3 1, W4 0, W5 3; all postings: 2, 3, 2, 1, 4.
    py5 = one(demand, week_start=W5, seniority_level=ALL, country_code=ALL, skill="Python")
    assert py5["postings"] == 3 and py5["total_postings"] == 4
    assert py5["share_of_postings"] == pytest.approx(3 / 4)
    assert py5["prev_4w_postings"] == 4 and py5["prev_4w_total_postings"] == 8
    assert py5["prev_4w_share"] == pytest.approx(4 / 8)
    assert py5["growth_vs_prev_4w"] == pytest.approx(3 / (4 / 4) - 1)
    assert py5["has_full_history"] is True and py5["rank_in_group"] == 1
    # W4 (AWS only): its 4 previous weeks reach before the data starts, so no growth is claimed.
    aws4 = one(demand, week_start=W4, seniority_level=ALL, country_code=ALL, skill="AWS")
    assert aws4["has_full_history"] is False and aws4["growth_vs_prev_4w"] is None
    # Weeks without the skill: no W4 Python row at all.
    assert demand.filter(week_start=W4, skill="Python").is_empty()
    # US entry-level, W5: j10 (Python) only.
    us_entry = demand.filter(week_start=W5, seniority_level="entry", country_code="US")
    assert us_entry.select("skill", "postings", "total_postings").rows() == [("Python", 1, 1)]
    # Must-have counts: W1 Python (j01, must) overall.
    assert (
        one(demand, week_start=W1, seniority_level=ALL, country_code=ALL, skill="Python")[
            "must_have_postings"
        ]
        == 1
    )
    # Every grouping level is present: 4 combinations of (seniority | all) x (country | all).
    w5_sql = demand.filter(week_start=W5, skill="SQL")
    assert set(zip(w5_sql["seniority_level"], w5_sql["country_code"], strict=True)) == {
        (ALL, ALL),
        ("mid", ALL),
        ("entry", ALL),
        (ALL, "US"),
        (ALL, "DE"),
        ("mid", "US"),
        ("entry", "DE"),
    }


def test_salary_benchmarks_percentiles_and_suppression(star, aggs):
    bench = aggs["agg_salary_benchmarks"]
    # Mid salaries (k USD), sorted: 90, 100, 114.4, 120, 140, 140, 170, 220; linear interpolation at q*(n-1).
    overall = one(bench, seniority_level=ALL, country_code=ALL, quarter=ALL)
    assert overall["salary_count"] == 8
    assert overall["salary_p10_usd"] == pytest.approx(90_000 + 0.7 * 10_000)
    assert overall["salary_p25_usd"] == pytest.approx(100_000 + 0.75 * 14_400)
    assert overall["salary_median_usd"] == pytest.approx(130_000)
    assert overall["salary_p75_usd"] == pytest.approx(140_000 + 0.25 * 30_000)
    assert overall["salary_p90_usd"] == pytest.approx(170_000 + 0.3 * 50_000)
    assert overall["salary_mean_usd"] == pytest.approx(1_094_400 / 8)
    assert (
        one(bench, seniority_level=ALL, country_code="US", quarter="2026-Q1")["salary_median_usd"] == 140_000
    )
    # Cells under 5 salaries are not published: DE has 1, seniors 2.
    assert bench.filter(country_code="DE").is_empty()
    assert bench.filter(seniority_level="senior").is_empty()
    assert set(bench["salary_count"]) >= {7, 8} and bench["salary_count"].min() >= 5
    loose = build_aggregates(star, GoldSettings(min_salary_sample=2))["agg_salary_benchmarks"]
    senior = one(loose, seniority_level="senior", country_code=ALL, quarter=ALL)
    assert senior["salary_count"] == 2 and senior["salary_median_usd"] == pytest.approx(145_000)


def test_market_shares(aggs):
    shares = aggs["agg_market_shares"]
    remote_all = one(shares, country_code=ALL, dimension="work_model", category="remote")
    assert (remote_all["postings"], remote_all["base_postings"]) == (6, 12) and remote_all["share"] == 0.5
    assert one(shares, country_code="US", dimension="work_model", category="remote")[
        "share"
    ] == pytest.approx(5 / 7)
    assert one(shares, country_code=ALL, dimension="work_model", category="unknown")["postings"] == 1
    sponsor = one(shares, country_code=ALL, dimension="visa_sponsorship", category="will_sponsor")
    assert (sponsor["postings"], sponsor["base_postings"]) == (2, 6)  # j11's failed pass 1 does not count
    h1b = one(shares, country_code=ALL, dimension="h1b_friendly", category="true")
    assert (h1b["postings"], h1b["base_postings"], h1b["share"]) == (2, 4, 0.5)
    per_group = shares.group_by("country_code", "dimension").agg(pl.col("share").sum())
    assert per_group["share"].to_list() == pytest.approx([1.0] * per_group.height)


def test_top_companies(aggs):
    top = aggs["agg_top_companies"].filter(country_code=ALL)
    assert top.select("rank", "company_name", "postings").rows() == [
        (1, "Acme", 5),
        (2, "Beta", 3),
        (3, "Gamma", 3),
        (4, "Delta", 1),
    ]
    acme = top.row(0, named=True)
    assert acme["share_of_postings"] == pytest.approx(5 / 12) and acme["remote_share"] == pytest.approx(3 / 5)
    assert acme["salary_count"] == 5 and acme["salary_median_usd"] == 140_000
    assert build_aggregates(build_star_schema(silver_current(), enrichment()), GoldSettings(top_companies=1))[
        "agg_top_companies"
    ].filter(country_code=ALL)["company_name"].to_list() == ["Acme"]


def test_country_summary(aggs):
    us = one(aggs["agg_country_summary"], country_code="US")
    assert us["postings"] == 7 and us["share_of_postings"] == pytest.approx(7 / 12)
    assert us["companies"] == 2 and us["remote_share"] == pytest.approx(5 / 7)
    assert us["salary_count"] == 7 and us["salary_median_usd"] == 140_000
    assert us["top_skills"] == "Python, SQL, AWS" and us["country_name"] == "United States"
    assert aggs["agg_country_summary"]["country_code"].to_list() == ["US", "GB", "DE"]


def test_skill_cooccurrence(aggs):
    co = aggs["agg_skill_cooccurrence"]
    assert co.select("skill_a", "skill_b", "postings_together").rows() == [
        ("Python", "SQL", 4),
        ("AWS", "Python", 2),
    ]
    py_sql = co.row(0, named=True)
    assert (py_sql["postings_a"], py_sql["postings_b"]) == (7, 7)
    assert py_sql["lift"] == pytest.approx(4 * 12 / (7 * 7)) and py_sql["jaccard"] == pytest.approx(4 / 10)
    aws_py = co.row(1, named=True)
    assert aws_py["support"] == pytest.approx(2 / 12) and aws_py["confidence_a_to_b"] == pytest.approx(2 / 3)


def test_with_rollups_is_a_cube():
    df = pl.DataFrame({"a": ["x", "y"], "b": ["p", "q"], "v": [1, 2]})
    out = with_rollups(df, ["a", "b"])
    assert out.height == 8
    assert out.filter(a=ALL, b=ALL)["v"].sum() == 3


def test_empty_star_gives_empty_aggregates():
    star = build_star_schema(silver_current().head(0))
    aggs = build_aggregates(star)
    assert all(df.is_empty() for df in aggs.values())
    assert {name: dict(df.schema) for name, df in aggs.items()} == AGGREGATE_SCHEMAS
