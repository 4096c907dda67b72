"""The silver schema as Markdown, generated from `schema.py` so the docs cannot drift from the contract.

`python -m dej_platform.silver.schema_docs` rewrites the generated section of docs/silver.md; a test fails when
the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from dej_platform.silver.schema import (
    JOB_POSTINGS_CURRENT_SCHEMA,
    JOB_POSTINGS_SCHEMA,
    QUARANTINE_SCHEMA,
)

BEGIN = "<!-- BEGIN GENERATED SCHEMA (python -m dej_platform.silver.schema_docs) -->"
END = "<!-- END GENERATED SCHEMA -->"
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "silver.md"

COLUMN_DOCS: dict[str, str] = {
    "job_posting_id": "LinkedIn posting id, digits only (floats like `4348380694.0` are repaired). Key.",
    "source_system": "Always `linkedin`.",
    "feed_id": "Bronze feed the row came from (`feed=` in the bronze path).",
    "url": "Posting URL as delivered.",
    "scraped_at": "Bright Data `timestamp`, UTC. Latest wins in the hour.",
    "ingestion_hour": "Start of the bronze ingestion hour (the partition), UTC.",
    "company_name": "Company display name.",
    "company_id": "LinkedIn company id (digits when numeric).",
    "company_url": "Company page URL.",
    "job_title": "Title as posted.",
    "seniority_label": "LinkedIn's seniority label, unchanged (`Mid-Senior level`).",
    "seniority": "Normalized: `internship`, `entry`, `associate`, `mid_senior`, `director`, `executive`, "
    "`not_applicable`, `unknown`.",
    "job_function": "LinkedIn job function text.",
    "employment_type_label": "LinkedIn's employment type label, unchanged (`Full-time`).",
    "employment_type": "Normalized: `full_time`, `part_time`, `contract`, `temporary`, `internship`, … `unknown`.",
    "job_industries": "Industries, split on `, ` without cutting names like `Technology, Information and Internet`.",
    "job_location": "Location string as delivered.",
    "country_code": "Country code as delivered by Bright Data (upper-cased; often null).",
    "location_city": "City parsed from the location.",
    "location_region": "State / region parsed from the location.",
    "location_country": "ISO 3166-1 alpha-2 country from the location (or the delivered code).",
    "work_model": "`remote` / `hybrid` / `onsite` / `unknown`, from the location, then title, then text.",
    "job_posted_at": "`job_posted_date`, UTC.",
    "job_posted_date": "UTC date of `job_posted_at`.",
    "application_availability": "Open for applications; null stays null (never guessed True).",
    "apply_link": "External apply URL; null for Easy Apply.",
    "is_easy_apply": "Newer shape's `is_easy_apply`; older shape: open and no external link. Null when unknown.",
    "job_num_applicants": "Applicants shown by LinkedIn (capped buckets).",
    "salary_min": "Lower amount in `salary_currency` per `salary_period`.",
    "salary_max": "Upper amount in `salary_currency` per `salary_period`.",
    "salary_currency": "ISO 4217 code (symbols like `$` resolved).",
    "salary_period": "`hour` / `day` / `week` / `month` / `year`.",
    "salary_source": "`base_salary`, `pay_range` (`job_base_pay_range`) or `text` (found in the description).",
    "salary_text": "The text the salary was read from.",
    "salary_annual_min": "Annualized lower amount, original currency.",
    "salary_annual_max": "Annualized upper amount, original currency.",
    "salary_annual_min_usd": "Annualized lower amount in USD (versioned FX table).",
    "salary_annual_max_usd": "Annualized upper amount in USD (versioned FX table).",
    "salary_fx_version": "Version of the FX table used for the USD amounts.",
    "salary_flag": "Why a salary was rejected or is doubtful (implausible values are nulled, not guessed).",
    "job_poster_name": "Poster name (`job_poster.name`; also read from Python-repr strings).",
    "job_poster_title": "Poster title.",
    "job_poster_url": "Poster profile URL.",
    "job_summary": "Summary text, cleaned (no `Show more Show less`).",
    "job_description_html": "Description HTML as delivered.",
    "job_description_text": "Description as text: paragraphs and `- item` lines, entities decoded, no scripts/buttons.",
    "skills": "Canonical skills detected in title + description.",
    "skills_families": "Families of the detected skills.",
    "skills_must_have": "Skills stated as required.",
    "skills_nice_to_have": "Skills stated as a plus.",
    "skills_hits": "Matched surface strings.",
    "skills_catalog_version": "Version of the skills catalog used.",
    "content_hash": "blake2b-128 of title, company, location, description text and salary: equal across re-scrapes.",
    "first_seen_at": "Earliest `scraped_at` of the posting across all hours.",
    "last_seen_at": "Latest `scraped_at` of the posting across all hours.",
    "times_seen": "Number of ingestion hours the posting appeared in.",
    "source_file": "Bronze file of the rejected line.",
    "line_number": "1-based line number in that file.",
    "reason": "Why the line was rejected: `invalid_json`, `not_an_object`, `missing_job_posting_id`, "
    "`invalid_job_posting_id`, `wrong_type`, `missing_scraped_at`, `invalid_scraped_at`.",
    "raw_line": "The line as read (invalid UTF-8 bytes replaced by U+FFFD).",
}


def _type_name(dtype: pl.DataType) -> str:
    return str(dtype).replace("|", "\\|")


def schema_table(schema: dict[str, pl.DataType]) -> str:
    lines = ["| # | Column | Type | Meaning |", "|---|---|---|---|"]
    for index, (name, dtype) in enumerate(schema.items(), start=1):
        lines.append(f"| {index} | `{name}` | `{_type_name(dtype)}` | {COLUMN_DOCS.get(name, '')} |")
    return "\n".join(lines)


def render() -> str:
    """The generated Markdown section for all silver tables."""
    current_extra = {k: v for k, v in JOB_POSTINGS_CURRENT_SCHEMA.items() if k not in JOB_POSTINGS_SCHEMA}
    return "\n\n".join(
        [
            BEGIN,
            f"### `silver/job_postings` ({len(JOB_POSTINGS_SCHEMA)} columns; lake partitions `dt`, `hr`)",
            schema_table(JOB_POSTINGS_SCHEMA),
            "### `silver/job_postings_current`: every column above, plus",
            schema_table(current_extra),
            "### `silver/job_postings_quarantine`",
            schema_table(QUARANTINE_SCHEMA),
            END,
        ]
    )


def updated_document(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render() + text[end:]


def main() -> int:
    text = DOC_PATH.read_text()
    DOC_PATH.write_text(updated_document(text))
    print(f"updated {DOC_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
