"""One bronze line -> record / error row / quarantine: the seed's type bugs must not come back."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from dej_platform.silver.records import RECORD_FIELDS, LineOutcome, coerce_mapping, parse_line
from dej_platform_tests.silver.conftest import ERROR_ROW, bronze_record, new_shape_record


def _record(obj: dict) -> dict:
    result = parse_line(json.dumps(obj).encode())
    assert result.outcome is LineOutcome.RECORD, result.reason
    assert result.record is not None
    return dict(zip(RECORD_FIELDS, result.record, strict=True))


def test_old_shape_record_is_typed() -> None:
    rec = _record(bronze_record("4309283977"))
    assert rec["job_posting_id"] == "4309283977"
    assert rec["scraped_at"] == datetime(2026, 1, 1, 5, 20, tzinfo=UTC)
    assert rec["job_posted_at"] == datetime(2026, 1, 1, 3, 10, tzinfo=UTC)
    assert rec["application_availability"] is True
    assert rec["is_easy_apply"] is True  # open, and no external apply link
    assert rec["job_num_applicants"] == 25
    assert rec["base_salary"] == {
        "min_amount": None,
        "max_amount": None,
        "currency": None,
        "payment_period": None,
    }


def test_new_shape_keeps_pay_range_and_easy_apply_flag() -> None:
    rec = _record(new_shape_record("4400000001"))
    assert rec["job_base_pay_range"] == "$50.00/hr - $65.00/hr"
    assert rec["base_salary"] is None
    assert rec["is_easy_apply"] is True  # stated, even though an apply link is present


@pytest.mark.parametrize("raw_id", [4348380694.0, "4348380694.0", 4348380694, " 4348380694 "])
def test_ids_as_floats_and_text_become_digits(raw_id: object) -> None:
    assert _record(bronze_record(job_posting_id=raw_id))["job_posting_id"] == "4348380694"


def test_numbers_as_strings_and_ids_as_numbers_are_coerced() -> None:
    rec = _record(bronze_record(job_num_applicants="57", company_id=1073.0))
    assert rec["job_num_applicants"] == 57
    assert rec["company_id"] == "1073"


def test_none_and_nan_strings_are_nulls_and_null_booleans_stay_null() -> None:
    rec = _record(bronze_record(country_code="None", job_function="nan", application_availability=None))
    assert rec["country_code"] is None
    assert rec["job_function"] is None
    assert rec["application_availability"] is None
    assert rec["is_easy_apply"] is None  # unknown availability: not guessed


def test_nested_objects_as_python_repr_strings_are_read() -> None:
    rec = _record(
        bronze_record(
            job_poster="{'name': 'Ana Lima', 'title': 'Recruiter', 'url': None}",
            base_salary="{'min_amount': 100000.0, 'max_amount': 120000.0, 'currency': '$', 'payment_period': 'yr'}",
        )
    )
    assert rec["job_poster_name"] == "Ana Lima"
    assert rec["job_poster_title"] == "Recruiter"
    assert rec["base_salary"]["max_amount"] == 120000.0


def test_repr_parsing_refuses_code() -> None:
    with pytest.raises(ValueError):
        coerce_mapping("{'a': __import__('os').system('true')}")


@pytest.mark.parametrize(
    ("line", "reason_prefix"),
    [
        (b'{"job_posting_id": "1", "job_title": "cut', "invalid_json"),
        (b"[1, 2]", "not_an_object"),
        (b"42", "not_an_object"),
        (json.dumps(bronze_record(job_posting_id=None)).encode(), "missing_job_posting_id"),
        (
            json.dumps({k: v for k, v in bronze_record().items() if k != "job_posting_id"}).encode(),
            "missing_job_posting_id",
        ),
        (json.dumps(bronze_record(job_posting_id="None")).encode(), "missing_job_posting_id"),
        (json.dumps(bronze_record(job_posting_id="abc-12")).encode(), "invalid_job_posting_id"),
        (json.dumps(bronze_record(job_posting_id={"id": 1})).encode(), "wrong_type"),
        (json.dumps(bronze_record(job_title=["a", "b"])).encode(), "wrong_type"),
        (json.dumps(bronze_record(job_poster=[1])).encode(), "wrong_type"),
        (json.dumps(bronze_record(timestamp=None)).encode(), "missing_scraped_at"),
        (json.dumps(bronze_record(timestamp="yesterday")).encode(), "invalid_scraped_at"),
    ],
)
def test_untrustworthy_lines_are_quarantined_with_a_reason(line: bytes, reason_prefix: str) -> None:
    result = parse_line(line)
    assert result.outcome is LineOutcome.QUARANTINED
    assert result.reason is not None and result.reason.startswith(reason_prefix)


def test_error_rows_are_counted_not_quarantined() -> None:
    assert parse_line(json.dumps(ERROR_ROW).encode()).outcome is LineOutcome.ERROR_ROW
    only_code = {"timestamp": "2026-01-01T00:00:00Z", "error_code": "dead_page"}
    assert parse_line(json.dumps(only_code).encode()).outcome is LineOutcome.ERROR_ROW


@pytest.mark.parametrize("line", [b"", b"   ", b"\t"])
def test_blank_lines_are_not_records(line: bytes) -> None:
    assert parse_line(line).outcome is LineOutcome.BLANK


def test_non_utf8_bytes_are_replaced_and_flagged() -> None:
    line = b'{"job_posting_id": "77", "timestamp": "2026-01-01T05:00:00Z", "job_title": "Caf\xe9 \xff Eng"}'
    result = parse_line(line)
    assert result.outcome is LineOutcome.RECORD
    assert result.utf8_repaired
    rec = dict(zip(RECORD_FIELDS, result.record or (), strict=True))
    assert rec["job_title"] == "Caf\ufffd \ufffd Eng"


def test_offset_timestamps_become_utc() -> None:
    rec = _record(bronze_record(timestamp="2026-01-01T02:20:00-03:00"))
    assert rec["scraped_at"] == datetime(2026, 1, 1, 5, 20, tzinfo=UTC)


def test_megabyte_description_is_kept_whole() -> None:
    html = "<p>" + ("Python and SQL pipelines. " * 40_000) + "</p>"
    assert len(html) > 1_000_000
    rec = _record(bronze_record(job_description_formatted=html))
    assert rec["job_description_html"] == html


def test_extra_fields_are_ignored_and_industry_lists_accepted() -> None:
    rec = _record(bronze_record(unexpected={"x": 1}, job_industries=["Banking", "Financial Services"]))
    assert rec["job_industries_label"] == "Banking, Financial Services"


def test_lone_surrogate_escapes_become_replacement_characters() -> None:
    line = json.dumps(bronze_record(job_title="Data \ud800 Engineer")).encode("utf-8", "surrogatepass")
    assert b"\\ud800" in line
    result = parse_line(line)
    assert result.outcome is LineOutcome.RECORD and result.utf8_repaired
    rec = dict(zip(RECORD_FIELDS, result.record or (), strict=True))
    assert rec["job_title"] == "Data \ufffd Engineer"
    rec["job_title"].encode("utf-8")  # encodable: Parquet and Arrow accept it


def test_out_of_range_applicant_counts_are_null_not_a_crash() -> None:
    assert _record(bronze_record(job_num_applicants=10**12))["job_num_applicants"] is None
    assert _record(bronze_record(job_num_applicants="over 200"))["job_num_applicants"] in (None, 200)
