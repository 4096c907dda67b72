"""Scalar coercions: the seed's type bugs (float ids, "nan" strings, null booleans as True, mixed zones)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dej_platform.silver.schema import EMPLOYMENT_TYPE_VALUES, SENIORITY_VALUES
from dej_platform.silver.vocabularies import (
    clean_str,
    normalize_employment_type,
    normalize_posting_id,
    normalize_seniority,
    parse_bool,
    parse_int,
    parse_utc_timestamp,
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Mid-Senior level", "mid_senior"),
        ("mid-senior level", "mid_senior"),
        ("Entry level", "entry"),
        ("Associate", "associate"),
        ("Internship", "internship"),
        ("Director", "director"),
        ("Executive", "executive"),
        ("Not Applicable", "not_applicable"),
        ("  NOT   APPLICABLE ", "not_applicable"),
        ("Wizard", "unknown"),
        ("None", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
        (3, "unknown"),
    ],
)
def test_normalize_seniority(label, expected):
    assert normalize_seniority(label) == expected
    assert expected in SENIORITY_VALUES


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Full-time", "full_time"),
        ("Full time", "full_time"),
        ("Part-time", "part_time"),
        ("Contract", "contract"),
        ("Temporary", "temporary"),
        ("Internship", "internship"),
        ("Volunteer", "volunteer"),
        ("Other", "other"),
        ("Apprenticeship", "other"),
        ("nan", "unknown"),
        (None, "unknown"),
    ],
)
def test_normalize_employment_type(label, expected):
    assert normalize_employment_type(label) == expected
    assert expected in EMPLOYMENT_TYPE_VALUES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4348380694", "4348380694"),
        ("4348380694.0", "4348380694"),
        (" 4348380694.00 ", "4348380694"),
        (4348380694, "4348380694"),
        (4348380694.0, "4348380694"),
        ("4.348380694E9", "4348380694"),
        (4348380694.5, None),
        ("4348380694.5", None),
        ("abc", None),
        ("12ab", None),
        ("-5", None),
        (-5, None),
        (0, None),
        ("0", None),
        (float("nan"), None),
        (True, None),
        ("None", None),
        ("", None),
        (None, None),
        ([1], None),
    ],
)
def test_normalize_posting_id(value, expected):
    assert normalize_posting_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("True", True),
        ("false", False),
        ("FALSE", False),
        ("yes", True),
        ("0", False),
        (1, True),
        (0, False),
        (1.0, True),
        (2, None),
        (None, None),
        ("None", None),
        ("nan", None),
        ("", None),
        (float("nan"), None),
        ("maybe", None),
    ],
)
def test_parse_bool_keeps_null_as_null(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Acme", "Acme"),
        ("  Acme  ", "Acme"),
        ("None", None),
        ("nan", None),
        ("NaN", None),
        ("null", None),
        ("", None),
        ("   ", None),
        (None, None),
        (float("nan"), None),
        (1073, "1073"),
        (1073.0, "1073"),
        (1.5, "1.5"),
        (True, "true"),
        ({"a": 1}, None),
    ],
)
def test_clean_str(value, expected):
    assert clean_str(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (85, 85),
        ("85", 85),
        (85.0, 85),
        ("85.0", 85),
        ("1,234", 1234),
        ("over 200", 200),
        ("200+", 200),
        ("Over 200 applicants", 200),
        ("Be among the first 25 applicants", 25),
        (85.5, None),
        ("85.5", None),
        ("25 to 50", None),
        ("-3", None),
        ("many", None),
        (True, None),
        (None, None),
        (float("inf"), None),
        (2**40, None),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-10T18:53:07.798Z", datetime(2025, 12, 10, 18, 53, 7, 798000, tzinfo=UTC)),
        ("2025-12-10T18:53:07.798123456Z", datetime(2025, 12, 10, 18, 53, 7, 798123, tzinfo=UTC)),
        ("2025-12-10T15:53:07-03:00", datetime(2025, 12, 10, 18, 53, 7, tzinfo=UTC)),
        ("2025-12-10T18:53:07+00:00", datetime(2025, 12, 10, 18, 53, 7, tzinfo=UTC)),
        ("2025-12-10 18:53:07", datetime(2025, 12, 10, 18, 53, 7, tzinfo=UTC)),
        ("2025-12-10", datetime(2025, 12, 10, tzinfo=UTC)),
        (datetime(2025, 12, 10, 18, 0), datetime(2025, 12, 10, 18, 0, tzinfo=UTC)),
        (
            datetime(2025, 12, 10, 15, 0, tzinfo=timezone(timedelta(hours=-3))),
            datetime(2025, 12, 10, 18, 0, tzinfo=UTC),
        ),
        (date(2025, 12, 10), datetime(2025, 12, 10, tzinfo=UTC)),
        (1765392787, datetime(2025, 12, 10, 18, 53, 7, tzinfo=UTC)),
        (1765392787000, datetime(2025, 12, 10, 18, 53, 7, tzinfo=UTC)),
        ("1 hour ago", None),
        ("not a date", None),
        ("None", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_parse_utc_timestamp(value, expected):
    result = parse_utc_timestamp(value)
    assert result == expected
    if result is not None:
        assert result.utcoffset() == timedelta(0)
