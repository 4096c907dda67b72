"""Market aggregates over the star schema: what the report and `dej sql` users read first.

Rolled-up dimensions take the value `"all"` (e.g. `country_code = "all"` is the whole market), so one table
answers both "Python in the US for seniors" and "Python overall" without a second query.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta

import polars as pl

from dej_platform.gold.config import GoldSettings
from dej_platform.gold.schema import (
    AGG_COUNTRY_SUMMARY_SCHEMA,
    AGG_MARKET_SHARES_SCHEMA,
    AGG_SALARY_BENCHMARKS_SCHEMA,
    AGG_SKILL_COOCCURRENCE_SCHEMA,
    AGG_SKILL_DEMAND_WEEKLY_SCHEMA,
    AGG_TOP_COMPANIES_SCHEMA,
    ALL,
    conform,
)
from dej_platform.gold.star import StarSchema

GROWTH_WINDOW_WEEKS = 4
PERCENTILES: tuple[tuple[str, float], ...] = (
    ("salary_p10_usd", 0.10),
    ("salary_p25_usd", 0.25),
    ("salary_median_usd", 0.50),
    ("salary_p75_usd", 0.75),
    ("salary_p90_usd", 0.90),
)


def with_rollups(df: pl.DataFrame, dims: Sequence[str]) -> pl.DataFrame:
    """`df` repeated once per subset of `dims`, those columns set to "all" (SQL's GROUPING SETS CUBE)."""
    frames = []
    for size in range(len(dims) + 1):
        for rolled in itertools.combinations(dims, size):
            frames.append(
                df.with_columns([pl.col(c).cast(pl.String) for c in dims]).with_columns(
                    [pl.lit(ALL, dtype=pl.String).alias(c) for c in rolled]
                )
            )
    return pl.concat(frames)


def skill_demand_weekly(star: StarSchema) -> pl.DataFrame:
    """Postings per skill by posting week x seniority x country, their share, and growth vs the prior 4 weeks.

    growth_vs_prev_4w = postings / (mean weekly postings over the 4 previous weeks) - 1; weeks without the skill
    count as 0. It is null when those 4 weeks reach before the first week of data or the mean is 0.
    """
    dims = ["seniority_level", "country_code"]
    keys = ["week_start", *dims]
    fact = star.fact_job_postings.select(
        "job_key", pl.col("posted_week").alias("week_start"), *dims
    ).drop_nulls("week_start")
    if fact.is_empty():
        return pl.DataFrame(schema=AGG_SKILL_DEMAND_WEEKLY_SCHEMA)
    first_week = fact["week_start"].min()
    rolled = with_rollups(fact, dims)
    totals = rolled.group_by(keys).agg(total_postings=pl.len())
    counts = (
        rolled.join(
            star.bridge_job_skill.select("job_key", "skill", "skill_key", "requirement"), on="job_key"
        )
        .group_by([*keys, "skill", "skill_key"])
        .agg(postings=pl.len(), must_have_postings=(pl.col("requirement") == "must_have").sum())
    )

    def previous(frame: pl.DataFrame, value: str, by: list[str], name: str) -> pl.DataFrame:
        shifted = [
            frame.select(pl.col("week_start") + timedelta(weeks=k), *by, value)
            for k in range(1, GROWTH_WINDOW_WEEKS + 1)
        ]
        return pl.concat(shifted).group_by(["week_start", *by]).agg(pl.col(value).sum().alias(name))

    prev_counts = previous(counts, "postings", [*dims, "skill"], "prev_4w_postings")
    prev_totals = previous(totals, "total_postings", dims, "prev_4w_total_postings")
    full_history = (pl.col("week_start") - timedelta(weeks=GROWTH_WINDOW_WEEKS)) >= first_week
    prev_mean = pl.col("prev_4w_postings") / GROWTH_WINDOW_WEEKS
    out = (
        counts.join(totals, on=keys)
        .join(prev_counts, on=[*keys, "skill"], how="left")
        .join(prev_totals, on=keys, how="left")
        .with_columns(
            pl.col("prev_4w_postings", "prev_4w_total_postings").fill_null(0), has_full_history=full_history
        )
        .with_columns(
            share_of_postings=pl.col("postings") / pl.col("total_postings"),
            prev_4w_share=pl.when(pl.col("prev_4w_total_postings") > 0).then(
                pl.col("prev_4w_postings") / pl.col("prev_4w_total_postings")
            ),
            growth_vs_prev_4w=pl.when(pl.col("has_full_history") & (pl.col("prev_4w_postings") > 0)).then(
                pl.col("postings") / prev_mean - 1
            ),
            rank_in_group=pl.col("postings").rank("min", descending=True).over(keys),
        )
        .sort([*keys, "rank_in_group", "skill"])
    )
    return conform(out, AGG_SKILL_DEMAND_WEEKLY_SCHEMA)


def salary_benchmarks(star: StarSchema, settings: GoldSettings) -> pl.DataFrame:
    """Annual USD percentiles (linear interpolation) of the posting's mid salary by seniority x country x quarter.

    Only plausible salaries count, and a cell is published only with at least `min_salary_sample` of them.
    """
    dims = ["seniority_level", "country_code", "quarter"]
    salaries = star.fact_job_postings.filter(pl.col("salary_is_plausible")).select(
        "seniority_level", "country_code", pl.col("posted_quarter").alias("quarter"), "salary_annual_mid_usd"
    )
    if salaries.is_empty():
        return pl.DataFrame(schema=AGG_SALARY_BENCHMARKS_SCHEMA)
    value = pl.col("salary_annual_mid_usd")
    out = (
        with_rollups(salaries, dims)
        .group_by(dims)
        .agg(
            salary_count=pl.len(),
            salary_mean_usd=value.mean(),
            **{name: value.quantile(q, interpolation="linear") for name, q in PERCENTILES},
        )
        .filter(pl.col("salary_count") >= settings.min_salary_sample)
        .sort(dims)
    )
    return conform(out, AGG_SALARY_BENCHMARKS_SCHEMA)


def market_shares(star: StarSchema) -> pl.DataFrame:
    """Work model, visa sponsorship and H-1B friendliness shares per country (and "all").

    Work model shares are over all postings (unknown included); visa and H-1B shares are over postings whose
    enrichment answered the question, and `base_postings` says how many that is.
    """
    fact = star.fact_job_postings.select(
        "country_code",
        "work_model",
        pl.col("visa_sponsorship").str.to_lowercase(),
        pl.col("h1b_friendly").cast(pl.String),
    )
    rolled = with_rollups(fact, ["country_code"])
    parts = []
    for dimension in ("work_model", "visa_sponsorship", "h1b_friendly"):
        answered = rolled.filter(pl.col(dimension).is_not_null())
        parts.append(
            answered.group_by("country_code", pl.col(dimension).alias("category"))
            .agg(postings=pl.len())
            .with_columns(
                dimension=pl.lit(dimension),
                base_postings=pl.col("postings").sum().over("country_code"),
            )
        )
    out = pl.concat([conform(p, AGG_MARKET_SHARES_SCHEMA) for p in parts]).with_columns(
        share=pl.col("postings") / pl.col("base_postings")
    )
    return conform(out.sort("country_code", "dimension", "category"), AGG_MARKET_SHARES_SCHEMA)


def top_companies(star: StarSchema, settings: GoldSettings) -> pl.DataFrame:
    """The companies with the most postings, per country and overall (ties broken by name)."""
    fact = star.fact_job_postings.join(
        star.dim_company.select("company_key", "company_name"), on="company_key", how="left"
    ).select(
        "country_code",
        "company_key",
        "company_name",
        "work_model",
        "salary_is_plausible",
        "salary_annual_mid_usd",
    )
    if fact.is_empty():
        return pl.DataFrame(schema=AGG_TOP_COMPANIES_SCHEMA)
    rolled = with_rollups(fact, ["country_code"])
    plausible = pl.col("salary_is_plausible").fill_null(False)
    out = (
        rolled.group_by("country_code", "company_key", "company_name")
        .agg(
            postings=pl.len(),
            remote_share=(pl.col("work_model") == "remote").mean(),
            salary_count=plausible.sum(),
            salary_median_usd=pl.col("salary_annual_mid_usd").filter(plausible).median(),
        )
        .with_columns(share_of_postings=pl.col("postings") / pl.col("postings").sum().over("country_code"))
        .sort(["country_code", "postings", "company_name"], descending=[False, True, False], nulls_last=True)
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("country_code"))
        .filter(pl.col("rank") <= settings.top_companies)
    )
    return conform(out, AGG_TOP_COMPANIES_SCHEMA)


def country_summary(star: StarSchema, top_skills: int = 3) -> pl.DataFrame:
    """One row per country: volume, companies, remote share, median salary and its most demanded skills."""
    fact = star.fact_job_postings
    if fact.is_empty():
        return pl.DataFrame(schema=AGG_COUNTRY_SUMMARY_SCHEMA)
    geo = star.dim_location.select("country_code", "country_name", "continent", "market_region").unique(
        "country_code", keep="first"
    )
    plausible = pl.col("salary_is_plausible").fill_null(False)
    skills = (
        fact.select("job_key", "country_code")
        .join(star.bridge_job_skill.select("job_key", "skill"), on="job_key")
        .group_by("country_code", "skill")
        .agg(n=pl.len())
        .sort(["country_code", "n", "skill"], descending=[False, True, False])
        .group_by("country_code", maintain_order=True)
        .agg(top_skills=pl.col("skill").head(top_skills).str.join(", "))
    )
    out = (
        fact.group_by("country_code")
        .agg(
            postings=pl.len(),
            companies=pl.col("company_key").n_unique(),
            remote_share=(pl.col("work_model") == "remote").mean(),
            salary_count=plausible.sum(),
            salary_median_usd=pl.col("salary_annual_mid_usd").filter(plausible).median(),
        )
        .with_columns(share_of_postings=pl.col("postings") / pl.col("postings").sum())
        .join(geo, on="country_code", how="left")
        .join(skills, on="country_code", how="left")
        .sort(["postings", "country_code"], descending=[True, False])
    )
    return conform(out, AGG_COUNTRY_SUMMARY_SCHEMA)


def skill_cooccurrence(star: StarSchema, settings: GoldSettings) -> pl.DataFrame:
    """Pairs of skills asked for in the same posting: counts, support, confidence, lift and Jaccard."""
    pairs_in = star.bridge_job_skill.select("job_key", "skill").unique()
    total = star.fact_job_postings.height
    if pairs_in.is_empty() or total == 0:
        return pl.DataFrame(schema=AGG_SKILL_COOCCURRENCE_SCHEMA)
    per_skill = pairs_in.group_by("skill").agg(n=pl.len())
    together = (
        pairs_in.join(pairs_in, on="job_key", suffix="_b")
        .filter(pl.col("skill") < pl.col("skill_b"))
        .group_by(pl.col("skill").alias("skill_a"), "skill_b")
        .agg(postings_together=pl.len())
        .filter(pl.col("postings_together") >= settings.min_cooccurrence)
        .join(per_skill.rename({"skill": "skill_a", "n": "postings_a"}), on="skill_a")
        .join(per_skill.rename({"skill": "skill_b", "n": "postings_b"}), on="skill_b")
    )
    both, a, b = pl.col("postings_together"), pl.col("postings_a"), pl.col("postings_b")
    out = together.with_columns(
        support=both / total,
        confidence_a_to_b=both / a,
        confidence_b_to_a=both / b,
        lift=both * total / (a * b),
        jaccard=both / (a + b - both),
    ).sort(["postings_together", "skill_a", "skill_b"], descending=[True, False, False])
    return conform(out, AGG_SKILL_COOCCURRENCE_SCHEMA)


def build_aggregates(star: StarSchema, settings: GoldSettings | None = None) -> dict[str, pl.DataFrame]:
    settings = settings or GoldSettings()
    return {
        "agg_skill_demand_weekly": skill_demand_weekly(star),
        "agg_salary_benchmarks": salary_benchmarks(star, settings),
        "agg_market_shares": market_shares(star),
        "agg_top_companies": top_companies(star, settings),
        "agg_country_summary": country_summary(star),
        "agg_skill_cooccurrence": skill_cooccurrence(star, settings),
    }
