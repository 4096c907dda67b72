"""A small hand-built market: 12 jobs over 5 weeks in 3 countries, with enrichment for some of them.

Every expected number in the gold tests is derived by hand from the rows below (see the comments there).
Weeks (Mondays): W1 2026-01-05, W2 01-12, W3 01-19, W4 01-26, W5 02-02.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl

from dej_platform.gold.schema import conform
from dej_platform.silver.schema import JOB_POSTINGS_CURRENT_SCHEMA

FAMILY = {
    "Python": "programming_languages",
    "SQL": "programming_languages",
    "AWS": "cloud_platforms",
    "Spark": "data_processing",
}

# id, company, company_id, linkedin seniority, country, city, region, work model, posted, skills, must, nice,
# (annual USD min, max) or None
# fmt: off
JOBS = [
    ("j01", "Acme", "c1", "mid_senior", "US", "Austin", "TX", "remote", date(2026, 1, 5), ["Python", "SQL"], ["Python"], [], (100_000, 140_000)),
    ("j02", "Beta Ltd", None, "entry", "GB", "London", "England", "onsite", date(2026, 1, 6), ["SQL"], [], [], None),
    ("j03", "Acme", "c1", "mid_senior", "US", "Austin", "TX", "hybrid", date(2026, 1, 12), ["Python", "AWS"], [], ["AWS"], (120_000, 160_000)),
    ("j04", "Gamma", "c3", "entry", "US", "New York", "NY", "remote", date(2026, 1, 13), ["Python", "SQL"], ["SQL"], [], (80_000, 100_000)),
    ("j05", "Beta Ltd", None, "mid_senior", "DE", "Berlin", "Berlin", "onsite", date(2026, 1, 14), ["Spark"], [], [], None),
    ("j06", "Acme", "c1", "mid_senior", "US", "Austin", "TX", "remote", date(2026, 1, 19), ["Python", "SQL", "AWS"], ["Python"], [], (150_000, 190_000)),
    ("j07", "Gamma", "c3", "associate", "GB", "London", "England", "hybrid", date(2026, 1, 20), ["SQL", "Spark"], [], [], None),
    ("j08", "Acme", "c1", "director", "US", "Seattle", "WA", "onsite", date(2026, 1, 26), ["AWS"], [], [], (200_000, 240_000)),
    ("j09", "Gamma", "c3", "mid_senior", "US", "New York", "NY", "remote", date(2026, 2, 2), ["Python", "SQL"], [], [], (130_000, 150_000)),
    ("j10", "Acme", "c1", "entry", "US", "Austin", "TX", "remote", date(2026, 2, 3), ["Python"], [], [], (104_000, 124_800)),
    ("j11", "Beta", None, "mid_senior", "GB", "London", "England", "unknown", date(2026, 2, 4), ["Python", "Spark"], [], [], None),
    ("j12", "Delta", "c4", "entry", "DE", "Munich", "Bavaria", "remote", date(2026, 2, 5), ["SQL"], [], [], None),
]
# fmt: on


def silver_current() -> pl.DataFrame:
    rows = []
    for jid, company, cid, sen, cc, city, region, wm, posted, skills, must, nice, salary in JOBS:
        seen = datetime(posted.year, posted.month, posted.day, 8, tzinfo=UTC)
        row = {
            "job_posting_id": jid,
            "source_system": "linkedin",
            "url": f"https://www.linkedin.com/jobs/view/{jid}",
            "scraped_at": seen + timedelta(days=1, hours=4),
            "company_name": company,
            "company_id": cid,
            "job_title": "Data Engineer",
            "seniority": sen,
            "employment_type": "full_time",
            "job_industries": ["Software"],
            "location_city": city,
            "location_region": region,
            # As in real silver: Bright Data's country_code is often null, the parsed location_country is not.
            "country_code": cc if int(jid[1:]) % 2 else None,
            "location_country": cc,
            "work_model": wm,
            "job_posted_at": seen,
            "job_posted_date": posted,
            "job_num_applicants": 10 + int(jid[1:]),
            "skills": skills,
            "skills_families": [FAMILY[s] for s in skills],
            "skills_must_have": must,
            "skills_nice_to_have": nice,
            "content_hash": f"h-{jid}",
            "first_seen_at": seen,
            "last_seen_at": seen + timedelta(days=1, hours=4),
            "times_seen": 2,
        }
        if salary:
            row.update(
                salary_min=float(salary[0]),
                salary_max=float(salary[1]),
                salary_currency="USD",
                salary_period="year",
                salary_annual_min_usd=float(salary[0]),
                salary_annual_max_usd=float(salary[1]),
                salary_source="base_salary",
            )
        if jid == "j10":  # paid hourly: $50-60/h, silver already annualized (x2080)
            row.update(salary_min=50.0, salary_max=60.0, salary_period="hour")
        rows.append(row)
    return conform(pl.DataFrame(rows, infer_schema_length=None), JOB_POSTINGS_CURRENT_SCHEMA)


def enrichment() -> pl.DataFrame:
    ok = {"pass1_status": "success", "pass2_status": "success", "pass3_status": "success"}
    rows = [
        # j01: a newer and an older enrichment; the newer (dt 2026-01-07) wins.
        {
            **ok,
            "dt": "2026-01-07",
            "hr": "09",
            "job_posting_id": "j01",
            "content_hash": "h-j01",
            "inf_seniority_level": "senior",
            "inf_seniority_level_confidence": 0.9,
            "ext_visa_sponsorship_stated": "will_sponsor",
            "inf_h1b_friendly": True,
            "ext_work_model_stated": "remote",
            "ext_years_experience_min": 5.0,
            "ext_years_experience_max": 8.0,
            "ext_must_have_hard_skills": ["python", "Airflow"],
            "anl_overall_red_flag_score": 0.2,
            "anl_recommendation_score": 0.8,
        },
        {
            **ok,
            "dt": "2026-01-06",
            "hr": "09",
            "job_posting_id": "j01",
            "content_hash": "h-old",
            "inf_seniority_level": "principal",
            "inf_seniority_level_confidence": 0.9,
            "ext_visa_sponsorship_stated": "will_not_sponsor",
        },
        # j03: pass 2 failed, so its inferred seniority and H-1B flag must be ignored; stated onsite wins over hybrid.
        {
            **ok,
            "pass2_status": "failed",
            "dt": "2026-01-13",
            "hr": "01",
            "job_posting_id": "j03",
            "content_hash": "h-j03",
            "inf_seniority_level": "staff",
            "inf_seniority_level_confidence": 0.95,
            "inf_h1b_friendly": True,
            "ext_visa_sponsorship_stated": "will_not_sponsor",
            "ext_work_model_stated": "onsite",
        },
        # j04: seniority confidence below 0.5 falls back to LinkedIn's "entry"; LLM nice SQL loses to silver must.
        {
            **ok,
            "dt": "2026-01-14",
            "hr": "01",
            "job_posting_id": "j04",
            "content_hash": "h-j04",
            "inf_seniority_level": "junior",
            "inf_seniority_level_confidence": 0.3,
            "ext_visa_sponsorship_stated": "not_mentioned",
            "inf_h1b_friendly": False,
            "ext_nice_to_have_hard_skills": ["SQL"],
        },
        # j06: LLM says SQL is nice-to-have (Terraform is unknown to the catalog and ignored).
        {
            **ok,
            "dt": "2026-01-20",
            "hr": "01",
            "job_posting_id": "j06",
            "content_hash": "h-j06",
            "inf_seniority_level": "senior",
            "inf_seniority_level_confidence": 0.8,
            "ext_visa_sponsorship_stated": "will_sponsor",
            "inf_h1b_friendly": True,
            "ext_nice_to_have_hard_skills": ["sql", "Terraform"],
        },
        {
            **ok,
            "dt": "2026-02-03",
            "hr": "01",
            "job_posting_id": "j09",
            "content_hash": "h-j09-previous",
            "inf_seniority_level": "mid",
            "inf_seniority_level_confidence": 0.95,
            "ext_visa_sponsorship_stated": "must_be_authorized",
            "inf_h1b_friendly": False,
            "ext_salary_min": 1.0,
            "ext_salary_max": 2.0,
            "ext_salary_currency": "USD",
            "ext_salary_period": "yearly",
        },
        # j11: every pass failed.
        {
            "pass1_status": "failed",
            "pass2_status": "failed",
            "pass3_status": "failed",
            "dt": "2026-02-05",
            "hr": "01",
            "job_posting_id": "j11",
            "content_hash": "h-j11",
            "ext_visa_sponsorship_stated": "will_sponsor",
            "inf_h1b_friendly": True,
        },
        # j12: no salary in silver; the LLM's stated USD 90k-110k/year is used (mid 100k).
        {
            **ok,
            "dt": "2026-02-06",
            "hr": "01",
            "job_posting_id": "j12",
            "content_hash": "h-j12",
            "inf_seniority_level": "not_mentioned",
            "ext_visa_sponsorship_stated": "not_mentioned",
            "ext_salary_min": 90_000.0,
            "ext_salary_max": 110_000.0,
            "ext_salary_currency": "USD",
            "ext_salary_period": "yearly",
        },
        # A job that is not in silver: ignored.
        {
            **ok,
            "dt": "2026-02-06",
            "hr": "02",
            "job_posting_id": "j99",
            "ext_visa_sponsorship_stated": "will_sponsor",
        },
    ]
    for row in rows:
        row.setdefault("provider", "rules")
        row.setdefault("model_id", "rules-v1")
    return pl.DataFrame(rows, infer_schema_length=None)
