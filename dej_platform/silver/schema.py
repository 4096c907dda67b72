"""The silver contract: column names and types every later layer reads.

One place for the schema so both engines, the quarantine, the docs and the tests agree.
"""

from __future__ import annotations

import polars as pl

UTC_TS = pl.Datetime("us", "UTC")

# Vocabularies we normalize LinkedIn's labels into (the original label is kept beside each).
SENIORITY_VALUES = (
    "internship",
    "entry",
    "associate",
    "mid_senior",
    "director",
    "executive",
    "not_applicable",
    "unknown",
)
EMPLOYMENT_TYPE_VALUES = (
    "full_time",
    "part_time",
    "contract",
    "temporary",
    "internship",
    "volunteer",
    "other",
    "unknown",
)
WORK_MODEL_VALUES = ("remote", "hybrid", "onsite", "unknown")
SALARY_PERIOD_VALUES = ("hour", "day", "week", "month", "year")
SALARY_SOURCE_VALUES = ("base_salary", "pay_range", "text")

# What the skills detector adds to a frame (`skills.detector.SkillDetector.detect_frame`).
SKILLS_COLUMNS: dict[str, pl.DataType] = {
    "skills": pl.List(pl.String()),
    "skills_families": pl.List(pl.String()),
    "skills_must_have": pl.List(pl.String()),
    "skills_nice_to_have": pl.List(pl.String()),
    "skills_hits": pl.List(pl.String()),
    "skills_catalog_version": pl.String(),
}

# silver/job_postings: one row per job_posting_id per ingestion hour (latest scraped_at wins).
JOB_POSTINGS_SCHEMA: dict[str, pl.DataType] = {
    "job_posting_id": pl.String(),
    "source_system": pl.String(),
    "feed_id": pl.String(),
    "url": pl.String(),
    "scraped_at": UTC_TS,
    "ingestion_hour": UTC_TS,
    "company_name": pl.String(),
    "company_id": pl.String(),
    "company_url": pl.String(),
    "job_title": pl.String(),
    "seniority_label": pl.String(),
    "seniority": pl.String(),
    "job_function": pl.String(),
    "employment_type_label": pl.String(),
    "employment_type": pl.String(),
    "job_industries": pl.List(pl.String()),
    "job_location": pl.String(),
    "country_code": pl.String(),
    "location_city": pl.String(),
    "location_region": pl.String(),
    "location_country": pl.String(),
    "work_model": pl.String(),
    "job_posted_at": UTC_TS,
    "job_posted_date": pl.Date(),
    "application_availability": pl.Boolean(),
    "apply_link": pl.String(),
    "is_easy_apply": pl.Boolean(),
    "job_num_applicants": pl.Int32(),
    "salary_min": pl.Float64(),
    "salary_max": pl.Float64(),
    "salary_currency": pl.String(),
    "salary_period": pl.String(),
    "salary_source": pl.String(),
    "salary_text": pl.String(),
    "salary_annual_min": pl.Float64(),
    "salary_annual_max": pl.Float64(),
    "salary_annual_min_usd": pl.Float64(),
    "salary_annual_max_usd": pl.Float64(),
    "salary_fx_version": pl.String(),
    "salary_flag": pl.String(),
    "job_poster_name": pl.String(),
    "job_poster_title": pl.String(),
    "job_poster_url": pl.String(),
    "job_summary": pl.String(),
    "job_description_html": pl.String(),
    "job_description_text": pl.String(),
    **SKILLS_COLUMNS,
    "content_hash": pl.String(),
}

# silver/job_postings_current adds the history of each job across hours.
JOB_POSTINGS_CURRENT_SCHEMA: dict[str, pl.DataType] = {
    **JOB_POSTINGS_SCHEMA,
    "first_seen_at": UTC_TS,
    "last_seen_at": UTC_TS,
    "times_seen": pl.Int32(),
}

# silver/job_postings_quarantine: nothing is dropped silently.
QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String(),
    "line_number": pl.Int64(),
    "feed_id": pl.String(),
    "ingestion_hour": UTC_TS,
    "reason": pl.String(),
    "raw_line": pl.String(),
}

KEY_FIELDS = ("job_posting_id", "job_title", "company_name", "scraped_at", "job_description_text")

# Long free text: nearly every value distinct and thousands of bytes long. Silver parts store them without a
# dictionary (one is built, then dropped) or min/max statistics (they prune nothing); both engines write them so.
FREE_TEXT_COLUMNS = ("job_description_html", "job_description_text", "job_summary")
