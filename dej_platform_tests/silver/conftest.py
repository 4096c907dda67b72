"""Hand-written bronze fixtures (realistic and hostile) and one Spark session shared by the spark tests."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

DESCRIPTION_HTML = (
    '<section class="show-more-less-html"><div class="show-more-less-html__markup">'
    "<p><strong>About the role</strong></p><p>We&#x2019;re hiring a Data Engineer to build pipelines.</p>"
    "<ul><li>5+ years of Python and SQL</li><li>Experience with Apache Spark &amp; Airflow</li></ul>"
    "<p>Nice to have: dbt, Snowflake.</p><p>Pay: $120,000 - $150,000 per year.</p>"
    '<script>alert("x")</script></div>'
    '<button class="show-more-less-html__button">Show more</button>'
    '<button class="show-more-less-html__button">Show less</button></section>'
)


def bronze_record(posting_id: str = "4309283977", **overrides: Any) -> dict[str, Any]:
    """A record in Bright Data's older shape (base_salary object, no is_easy_apply), written by us."""
    record: dict[str, Any] = {
        "url": f"https://www.linkedin.com/jobs/view/data-engineer-at-acme-{posting_id}?_l=en",
        "job_posting_id": posting_id,
        "job_title": "Senior Data Engineer",
        "company_name": "Acme Analytics",
        "company_id": "1073",
        "company_url": "https://www.linkedin.com/company/acme?trk=public_jobs_topcard-org-name",
        "job_location": "Austin, TX",
        "country_code": "US",
        "job_summary": "We are hiring a data engineer. Show more Show less",
        "job_description_formatted": DESCRIPTION_HTML,
        "job_seniority_level": "Mid-Senior level",
        "job_function": "Information Technology",
        "job_employment_type": "Full-time",
        "job_industries": "Software Development, IT Services and IT Consulting",
        "job_posted_time": "2 hours ago",
        "job_posted_date": "2026-01-01T03:10:00.000Z",
        "job_num_applicants": 25,
        "application_availability": True,
        "apply_link": None,
        "base_salary": {"min_amount": None, "max_amount": None, "currency": None, "payment_period": None},
        "job_poster": {"name": None, "title": None, "url": None},
        "title_id": "7092",
        "discovery_input": {"keyword": "data engineer", "location": "United States"},
        "input": {"url": f"https://www.linkedin.com/jobs/view/{posting_id}"},
        "timestamp": "2026-01-01T05:20:00.000Z",
    }
    record.update(overrides)
    return record


def new_shape_record(posting_id: str = "4400000001", **overrides: Any) -> dict[str, Any]:
    """The newer shape: pay range text and an explicit easy-apply flag, no base_salary."""
    record = bronze_record(posting_id)
    del record["base_salary"]
    record["job_base_pay_range"] = "$50.00/hr - $65.00/hr"
    record["is_easy_apply"] = True
    record["apply_link"] = "https://example.com/apply"
    record.update(overrides)
    return record


ERROR_ROW = {
    "timestamp": "2026-01-01T05:00:00.000Z",
    "input": {"url": "https://www.linkedin.com/jobs/search?keywords=data"},
    "error": "Crawl failed after multiple attempts, please try again later",
    "error_code": "crawl_failed",
}


def jsonl_lines(items: Iterable[dict[str, Any] | bytes | str]) -> Iterator[bytes]:
    for item in items:
        if isinstance(item, bytes):
            yield item
        elif isinstance(item, str):
            yield item.encode()
        else:
            yield json.dumps(item).encode()


def write_bronze(path: Path, items: Iterable[dict[str, Any] | bytes | str], gz: bool = False) -> Path:
    """Write items as JSONL (dicts as JSON, bytes/str verbatim), one per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(line + b"\n" for line in jsonl_lines(items))
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


HOSTILE_ITEMS: list[dict[str, Any] | bytes | str] = [
    bronze_record("1000000001"),
    bronze_record("1000000002", job_posting_id=1000000002.0, company_id=1073.0, job_num_applicants="57"),
    bronze_record(
        "1000000003", job_posting_id="1000000003.0", job_poster="{'name': 'Ana', 'title': None, 'url': None}"
    ),
    bronze_record("1000000004", country_code="None", job_function="nan", application_availability=None),
    new_shape_record("1000000005"),
    b'{"job_posting_id": "1000000006", "job_title": "broken',
    b"[1, 2, 3]",
    b"",
    b'"just a string"',
    ERROR_ROW,
    bronze_record("1000000007", job_posting_id=None),
    bronze_record("1000000008", job_title={"nested": "object"}),
    b'{"job_posting_id": "1000000009", "timestamp": "2026-01-01T05:00:00Z", "job_title": "Caf\xe9 \xff Engineer"}',
    bronze_record("1000000010", timestamp="not a date"),
    bronze_record("1000000001", timestamp="2026-01-01T05:40:00.000Z", job_title="Senior Data Engineer II"),
    bronze_record(
        "1000000011", extra_field_we_never_saw={"a": 1}, job_industries=["Banking", "Financial Services"]
    ),
]
# Of these 16 lines: 1 blank, 1 error row, quarantined = broken json, array, string, missing id, object title,
# bad timestamp (6); records = 8, of which 1 duplicate -> 7 silver rows. Bronze records (non-blank) = 15.
HOSTILE_EXPECTED = {
    "bronze_records": 15,
    "silver_rows": 7,
    "quarantined": 6,
    "duplicates_removed": 1,
    "error_rows": 1,
}


@pytest.fixture(scope="session")
def spark():
    from dej_platform.silver.engine_spark import local_spark_session

    session = local_spark_session(app_name="dej-silver-tests")
    yield session
    session.stop()
