"""The gold contract: every table's columns and types, used to shape outputs, the Glue catalog and the docs.

Each gold table is a daily snapshot stored at `gold/<table>/dt=YYYY-MM-DD/part-00000.parquet`.
"""

from __future__ import annotations

import polars as pl

ALL = "all"  # the value a rolled-up dimension takes in an aggregate (e.g. country_code="all")

FACT_JOB_POSTINGS_SCHEMA: dict[str, pl.DataType] = {
    "job_key": pl.Int64(),
    "job_posting_id": pl.String(),
    "source_system": pl.String(),
    "posted_date_key": pl.Int32(),
    "first_seen_date_key": pl.Int32(),
    "company_key": pl.Int64(),
    "location_key": pl.Int64(),
    "seniority_key": pl.Int64(),
    "work_model_key": pl.Int64(),
    "job_title": pl.String(),
    "job_url": pl.String(),
    "employment_type": pl.String(),
    "seniority_level": pl.String(),
    "seniority_source": pl.String(),
    "work_model": pl.String(),
    "work_model_source": pl.String(),
    "country_code": pl.String(),
    "posted_date": pl.Date(),
    "posted_week": pl.Date(),
    "posted_quarter": pl.String(),
    "first_seen_at": pl.Datetime("us", "UTC"),
    "last_seen_at": pl.Datetime("us", "UTC"),
    "times_seen": pl.Int32(),
    "applicants": pl.Int32(),
    "salary_currency": pl.String(),
    "salary_period": pl.String(),
    "salary_min_raw": pl.Float64(),
    "salary_max_raw": pl.Float64(),
    "salary_annual_min_usd": pl.Float64(),
    "salary_annual_max_usd": pl.Float64(),
    "salary_annual_mid_usd": pl.Float64(),
    "salary_source": pl.String(),
    "has_salary": pl.Boolean(),
    "salary_is_plausible": pl.Boolean(),
    "years_experience_min": pl.Float64(),
    "years_experience_max": pl.Float64(),
    "skills_count": pl.Int32(),
    "must_have_skills_count": pl.Int32(),
    "nice_to_have_skills_count": pl.Int32(),
    "visa_sponsorship": pl.String(),
    "h1b_friendly": pl.Boolean(),
    "job_family": pl.String(),
    "primary_cloud": pl.String(),
    "red_flag_score": pl.Float64(),
    "recommendation_score": pl.Float64(),
    "data_maturity_score": pl.Float64(),
    "enrichment_status": pl.String(),
    "enrichment_model_id": pl.String(),
    "enrichment_is_current": pl.Boolean(),
}

DIM_COMPANY_SCHEMA: dict[str, pl.DataType] = {
    "company_key": pl.Int64(),
    "company_natural_key": pl.String(),
    "company_id": pl.String(),
    "company_name": pl.String(),
    "company_name_normalized": pl.String(),
    "company_url": pl.String(),
    "industry": pl.String(),
    "job_postings": pl.Int32(),
    "first_seen_at": pl.Datetime("us", "UTC"),
    "last_seen_at": pl.Datetime("us", "UTC"),
}

DIM_LOCATION_SCHEMA: dict[str, pl.DataType] = {
    "location_key": pl.Int64(),
    "city": pl.String(),
    "region": pl.String(),
    "country_code": pl.String(),
    "country_name": pl.String(),
    "continent": pl.String(),
    "market_region": pl.String(),
    "is_remote": pl.Boolean(),
}

DIM_DATE_SCHEMA: dict[str, pl.DataType] = {
    "date_key": pl.Int32(),
    "full_date": pl.Date(),
    "year": pl.Int32(),
    "quarter": pl.Int8(),
    "quarter_label": pl.String(),
    "month": pl.Int8(),
    "month_name": pl.String(),
    "iso_week": pl.Int8(),
    "week_start": pl.Date(),
    "day_of_week": pl.Int8(),
    "day_name": pl.String(),
    "is_weekend": pl.Boolean(),
}

DIM_SKILL_SCHEMA: dict[str, pl.DataType] = {
    "skill_key": pl.Int64(),
    "skill": pl.String(),
    "family": pl.String(),
    "parent": pl.String(),
}

DIM_SENIORITY_SCHEMA: dict[str, pl.DataType] = {
    "seniority_key": pl.Int64(),
    "seniority_level": pl.String(),
    "label": pl.String(),
    "seniority_rank": pl.Int8(),
    "seniority_group": pl.String(),
}

DIM_WORK_MODEL_SCHEMA: dict[str, pl.DataType] = {
    "work_model_key": pl.Int64(),
    "work_model": pl.String(),
    "label": pl.String(),
    "is_remote": pl.Boolean(),
    "requires_office": pl.Boolean(),
}

BRIDGE_JOB_SKILL_SCHEMA: dict[str, pl.DataType] = {
    "job_key": pl.Int64(),
    "skill_key": pl.Int64(),
    "skill": pl.String(),
    "requirement": pl.String(),  # must_have | nice_to_have | unspecified
    "source": pl.String(),  # catalog | llm | catalog+llm
}

AGG_SKILL_DEMAND_WEEKLY_SCHEMA: dict[str, pl.DataType] = {
    "week_start": pl.Date(),
    "seniority_level": pl.String(),
    "country_code": pl.String(),
    "skill": pl.String(),
    "skill_key": pl.Int64(),
    "postings": pl.Int32(),
    "must_have_postings": pl.Int32(),
    "total_postings": pl.Int32(),
    "share_of_postings": pl.Float64(),
    "prev_4w_postings": pl.Int32(),
    "prev_4w_total_postings": pl.Int32(),
    "prev_4w_share": pl.Float64(),
    "growth_vs_prev_4w": pl.Float64(),
    "has_full_history": pl.Boolean(),
    "rank_in_group": pl.Int32(),
}

AGG_SALARY_BENCHMARKS_SCHEMA: dict[str, pl.DataType] = {
    "seniority_level": pl.String(),
    "country_code": pl.String(),
    "quarter": pl.String(),
    "salary_count": pl.Int32(),
    "salary_p10_usd": pl.Float64(),
    "salary_p25_usd": pl.Float64(),
    "salary_median_usd": pl.Float64(),
    "salary_p75_usd": pl.Float64(),
    "salary_p90_usd": pl.Float64(),
    "salary_mean_usd": pl.Float64(),
}

AGG_MARKET_SHARES_SCHEMA: dict[str, pl.DataType] = {
    "country_code": pl.String(),
    "dimension": pl.String(),  # work_model | visa_sponsorship | h1b_friendly
    "category": pl.String(),
    "postings": pl.Int32(),
    "base_postings": pl.Int32(),
    "share": pl.Float64(),
}

AGG_TOP_COMPANIES_SCHEMA: dict[str, pl.DataType] = {
    "country_code": pl.String(),
    "rank": pl.Int32(),
    "company_key": pl.Int64(),
    "company_name": pl.String(),
    "postings": pl.Int32(),
    "share_of_postings": pl.Float64(),
    "remote_share": pl.Float64(),
    "salary_count": pl.Int32(),
    "salary_median_usd": pl.Float64(),
}

AGG_COUNTRY_SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "country_code": pl.String(),
    "country_name": pl.String(),
    "continent": pl.String(),
    "market_region": pl.String(),
    "postings": pl.Int32(),
    "share_of_postings": pl.Float64(),
    "companies": pl.Int32(),
    "remote_share": pl.Float64(),
    "salary_count": pl.Int32(),
    "salary_median_usd": pl.Float64(),
    "top_skills": pl.String(),
}

AGG_SKILL_COOCCURRENCE_SCHEMA: dict[str, pl.DataType] = {
    "skill_a": pl.String(),
    "skill_b": pl.String(),
    "postings_together": pl.Int32(),
    "postings_a": pl.Int32(),
    "postings_b": pl.Int32(),
    "support": pl.Float64(),
    "confidence_a_to_b": pl.Float64(),
    "confidence_b_to_a": pl.Float64(),
    "lift": pl.Float64(),
    "jaccard": pl.Float64(),
}

STAR_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "fact_job_postings": FACT_JOB_POSTINGS_SCHEMA,
    "dim_company": DIM_COMPANY_SCHEMA,
    "dim_location": DIM_LOCATION_SCHEMA,
    "dim_date": DIM_DATE_SCHEMA,
    "dim_skill": DIM_SKILL_SCHEMA,
    "dim_seniority": DIM_SENIORITY_SCHEMA,
    "dim_work_model": DIM_WORK_MODEL_SCHEMA,
    "bridge_job_skill": BRIDGE_JOB_SKILL_SCHEMA,
}

AGGREGATE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "agg_skill_demand_weekly": AGG_SKILL_DEMAND_WEEKLY_SCHEMA,
    "agg_salary_benchmarks": AGG_SALARY_BENCHMARKS_SCHEMA,
    "agg_market_shares": AGG_MARKET_SHARES_SCHEMA,
    "agg_top_companies": AGG_TOP_COMPANIES_SCHEMA,
    "agg_country_summary": AGG_COUNTRY_SUMMARY_SCHEMA,
    "agg_skill_cooccurrence": AGG_SKILL_COOCCURRENCE_SCHEMA,
}

GOLD_SCHEMAS: dict[str, dict[str, pl.DataType]] = {**STAR_SCHEMAS, **AGGREGATE_SCHEMAS}

# (fact column, dimension table, dimension key): what the referential-integrity check walks.
FACT_FOREIGN_KEYS: tuple[tuple[str, str, str], ...] = (
    ("company_key", "dim_company", "company_key"),
    ("location_key", "dim_location", "location_key"),
    ("seniority_key", "dim_seniority", "seniority_key"),
    ("work_model_key", "dim_work_model", "work_model_key"),
    ("posted_date_key", "dim_date", "date_key"),
    ("first_seen_date_key", "dim_date", "date_key"),
)
BRIDGE_FOREIGN_KEYS: tuple[tuple[str, str, str], ...] = (
    ("job_key", "fact_job_postings", "job_key"),
    ("skill_key", "dim_skill", "skill_key"),
)


def conform(df: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Exactly the contract's columns, in order and type; a missing column becomes nulls."""
    return df.select(
        [
            (pl.col(name) if name in df.columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
