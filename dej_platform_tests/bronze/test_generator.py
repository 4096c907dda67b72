"""The posting generator: deterministic, the real record shape, realistic variety, re-posts and quirks."""

from __future__ import annotations

import ast
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from dej_platform.bronze.emulator import error_row, iter_records, snapshot_records, write_jsonl
from dej_platform.bronze.emulator.generator import snapshot_plan

HOUR = datetime(2026, 2, 3, 10, tzinfo=UTC)
LEGACY_KEYS = {
    "url",
    "job_posting_id",
    "job_title",
    "company_name",
    "company_id",
    "job_location",
    "job_summary",
    "job_seniority_level",
    "job_employment_type",
    "job_industries",
    "company_url",
    "job_posted_time",
    "job_num_applicants",
    "discovery_input",
    "apply_link",
    "country_code",
    "title_id",
    "job_posted_date",
    "job_poster",
    "application_availability",
    "job_description_formatted",
    "base_salary",
    "timestamp",
    "input",
}
OPTIONAL_KEYS = {"company_logo", "job_function"}
NEW_KEYS = {"job_base_pay_range", "is_easy_apply"}


def test_deterministic_for_equal_arguments_and_different_for_other_seeds():
    a = list(iter_records(30, 5, window_end=HOUR))
    b = list(iter_records(30, 5, window_end=HOUR + timedelta(minutes=40)))  # same hour
    c = list(iter_records(30, 6, window_end=HOUR))
    assert a == b
    assert [r["job_posting_id"] for r in a] != [r["job_posting_id"] for r in c]


def test_record_shapes_legacy_and_current():
    legacy = list(iter_records(40, 1, window_end=HOUR, shape="legacy"))
    current = list(iter_records(40, 1, window_end=HOUR, shape="current"))
    for r in legacy:
        assert LEGACY_KEYS <= set(r) <= LEGACY_KEYS | OPTIONAL_KEYS
    for r in current:
        assert set(r) >= LEGACY_KEYS | NEW_KEYS
        assert r["is_easy_apply"] is (r["apply_link"] is None)
        assert r["job_posting_id"].isdigit() and isinstance(r["job_num_applicants"], int)
        assert set(r["base_salary"]) == {"min_amount", "max_amount", "currency", "payment_period"}
        assert r["job_posted_date"].endswith("Z") and r["timestamp"] > r["job_posted_date"]


def test_descriptions_look_like_linkedin_html():
    rows = list(iter_records(300, 2, window_end=HOUR))
    html = [r["job_description_formatted"] for r in rows]
    assert all(h.startswith('<section class="show-more-less-html"') for h in html)
    assert all("Show more" in h and "Show less" in h for h in html)
    assert all(r["job_summary"].endswith("Show more Show less") for r in rows)
    joined = "\n".join(html)
    for needle in (
        "<ul><li>",
        "&amp;",
        "&#x",
        "Responsibilities",
        "Requirements",
        "Nice to have",
        "visa",
        "remote",
        "&#x2022;",
    ):
        assert needle.lower() in joined.lower(), needle
    currencies = ("$", "€", "£", "R$", "₹", "CHF", "PLN")
    texts = " ".join(r["job_summary"] for r in rows)
    assert sum(c in texts for c in currencies) >= 5


def test_variety_of_places_titles_seniority_and_salaries():
    rows = list(iter_records(800, 3, window_end=HOUR))
    countries = Counter(r["job_location"].rsplit(", ", 1)[-1] for r in rows)
    assert len(countries) >= 15
    assert len({r["job_title"] for r in rows}) >= 25 and len({r["company_name"] for r in rows}) >= 40
    assert {"Entry level", "Mid-Senior level", "Internship", "Director"} <= {
        r["job_seniority_level"] for r in rows
    }
    with_salary = [r for r in rows if r["base_salary"]["min_amount"] is not None]
    assert 0.03 < len(with_salary) / len(rows) < 0.5
    assert {r["base_salary"]["payment_period"] for r in with_salary} >= {"yr", "hr"}
    assert all(r["base_salary"]["max_amount"] >= r["base_salary"]["min_amount"] for r in with_salary)


def test_reposts_reuse_job_ids_across_hours():
    first = {r["job_posting_id"]: r for r in iter_records(40, 4, window_end=HOUR)}
    later = list(iter_records(40, 4, window_end=HOUR + timedelta(hours=1), repost_rate=0.5))
    repeated = [r for r in later if r["job_posting_id"] in first]
    assert repeated
    for r in repeated:  # same job, observed again
        assert r["job_title"] == first[r["job_posting_id"]]["job_title"]
        assert r["job_description_formatted"] == first[r["job_posting_id"]]["job_description_formatted"]
        assert r["timestamp"] != first[r["job_posting_id"]]["timestamp"]


def test_error_rows_and_quirks():
    rows = list(iter_records(400, 5, window_end=HOUR, error_rate=0.1, quirk_rate=1.0))
    errors = [r for r in rows if "error_code" in r]
    assert 15 < len(errors) < 80
    assert all("job_posting_id" not in r and r["error_code"] in {"crawl_failed", "dead_page"} for r in errors)
    postings = [r for r in rows if "error_code" not in r]
    as_str = [r for r in postings if isinstance(r["job_num_applicants"], str)]
    reprs = [r for r in postings if isinstance(r["base_salary"], str)]
    nones = [r for r in postings if r["country_code"] == "None" or r["title_id"] == "None"]
    assert as_str and reprs and nones
    assert isinstance(ast.literal_eval(reprs[0]["base_salary"]), dict)
    assert error_row({"url": "u"}, HOUR)["input"] == {"url": "u"}


def test_brazil_searches_return_brazilian_postings():
    url = "https://www.linkedin.com/jobs/search/?f_TPR=r3600&geoId=106057199&keywords=%22engenheiro%20de%20dados%22"
    rows = list(iter_records(60, 6, window_end=HOUR, discovery_input={"url": url}))
    assert all(r["job_location"].endswith("Brazil") for r in rows)
    assert sum("Dados" in r["job_title"] or "Engenh" in r["job_title"] for r in rows) > 10
    assert all(r["discovery_input"] == {"url": url} for r in rows)


def test_snapshot_records_follow_the_plan_and_limits():
    inputs = [
        {"url": f"https://www.linkedin.com/jobs/search/?geoId={g}&f_TPR=r3600"} for g in (92000000, 106057199)
    ]
    plan = snapshot_plan(9, inputs, HOUR, records_per_input=(0, 5), empty_rate=0.0)
    rows = list(snapshot_records(9, inputs, "url", HOUR, records_per_input=(0, 5), empty_rate=0.0))
    postings = [r for r in rows if "job_posting_id" in r]
    assert len(postings) == sum(plan)
    assert sum("error_code" in r for r in rows) == plan.count(0)
    limited = list(snapshot_records(9, inputs, "url", HOUR, records_per_input=(10, 10), limit_per_input=3))
    assert sum("job_posting_id" in r for r in limited) <= 6


def test_write_jsonl_streams_valid_ndjson():
    sink = io.BytesIO()
    written = write_jsonl(sink, 300, 7, error_rate=0.05)
    data = sink.getvalue()
    assert written == len(data)
    lines = data.decode().splitlines()
    assert len(lines) == 300 and all(isinstance(json.loads(ln), dict) for ln in lines)
