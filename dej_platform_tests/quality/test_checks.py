"""Each data-quality check passes on good data and fails on data built to break it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from dej_platform.quality.checks import (
    check_allowed_values,
    check_bronze_lines,
    check_enrichment_failure_rate,
    check_freshness,
    check_null_rates,
    check_record_conservation,
    check_schema,
    check_unique,
    count_bronze_records,
)
from dej_platform.quality.config import load_quality_config
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA, SENIORITY_VALUES


def good_silver(n: int = 4) -> pl.DataFrame:
    frame = pl.DataFrame(schema=JOB_POSTINGS_SCHEMA)
    rows = pl.DataFrame(
        {
            "job_posting_id": [str(i) for i in range(n)],
            "job_title": ["Data Engineer"] * n,
            "company_name": ["Acme"] * n,
            "scraped_at": [datetime(2026, 1, 1, 5, tzinfo=UTC)] * n,
            "job_description_text": ["Build pipelines"] * n,
            "seniority": ["mid_senior"] * n,
        }
    )
    return pl.concat([frame, rows], how="diagonal_relaxed").select(
        [pl.col(c).cast(t) for c, t in JOB_POSTINGS_SCHEMA.items()]
    )


def test_schema_passes_on_contract_and_ignores_hive_columns() -> None:
    df = good_silver().with_columns(dt=pl.lit("2026-01-01"), hr=pl.lit("05"))
    assert check_schema(df.schema, JOB_POSTINGS_SCHEMA).passed


def test_schema_fails_on_missing_retyped_and_extra_columns() -> None:
    df = (
        good_silver()
        .drop("content_hash")
        .with_columns(pl.col("job_num_applicants").cast(pl.String), surprise=pl.lit(1))
    )
    result = check_schema(df.schema, JOB_POSTINGS_SCHEMA)
    assert not result.passed
    assert result.details["missing"] == ["content_hash"]
    assert list(result.details["wrong_types"]) == ["job_num_applicants"]
    assert result.details["undeclared"] == ["surprise"]
    assert check_schema(df.schema, {"surprise": pl.Int32()}, allow_extra=True).passed is True


def test_unique_fails_on_duplicates_and_null_keys() -> None:
    good = good_silver()
    assert check_unique(good).passed
    dup = pl.concat([good, good.head(2)])
    result = check_unique(dup)
    assert (
        not result.passed
        and result.details["extra_rows"] == 2
        and set(result.details["examples"]) == {"0", "1"}
    )
    nulls = good.with_columns(
        job_posting_id=pl.when(pl.col("job_posting_id") == "3").then(None).otherwise(pl.col("job_posting_id"))
    )
    assert check_unique(nulls).details["null_keys"] == 1 and not check_unique(nulls).passed
    assert not check_unique(good.drop("job_posting_id")).passed


def test_null_rates_count_empty_strings_and_missing_columns() -> None:
    limits = {"job_title": 0.0, "company_name": 0.25}
    good = good_silver()
    assert check_null_rates(good, limits).passed
    blanked = good.with_columns(
        job_title=pl.when(pl.col("job_posting_id") == "0").then(pl.lit("  ")).otherwise(pl.col("job_title")),
        company_name=pl.when(pl.col("job_posting_id").is_in(["0", "1"]))
        .then(None)
        .otherwise(pl.col("company_name")),
    )
    result = check_null_rates(blanked, limits)
    assert not result.passed
    assert result.details["rates"] == {"job_title": 0.25, "company_name": 0.5}
    assert not check_null_rates(good.drop("company_name"), limits).passed


def test_allowed_values_catch_vocabulary_drift() -> None:
    good = good_silver()
    assert check_allowed_values(good, "seniority", SENIORITY_VALUES).passed
    drift = good.with_columns(seniority=pl.lit("Mid-Senior level"))
    result = check_allowed_values(drift, "seniority", SENIORITY_VALUES)
    assert not result.passed and result.details["bad_values"] == ["Mid-Senior level"]


def test_record_conservation() -> None:
    parts = {"silver_rows": 7, "quarantined": 2, "duplicates_removed": 1, "error_rows": 1}
    assert check_record_conservation(11, parts).passed
    lost = check_record_conservation(12, parts)
    assert not lost.passed and lost.details["difference"] == 1
    unknown = check_record_conservation(11, {**parts, "duplicates_removed": None})
    assert not unknown.passed and "cannot verify" in unknown.summary
    assert count_bronze_records([b'{"a":1}', b"  ", b"", b"not json", "\n"]) == 2


def test_enrichment_failure_rate() -> None:
    ok = pl.DataFrame(
        {
            "pass1_status": ["success"] * 19 + ["failed"],
            "pass2_status": ["success"] * 19 + ["skipped"],
            "pass3_status": ["cached"] * 19 + ["skipped"],
        }
    )
    assert check_enrichment_failure_rate(ok, 0.05).passed  # 1/20 failed = exactly the limit
    bad = ok.with_columns(pass2_status=pl.Series(["failed"] * 2 + ["success"] * 17 + ["skipped"]))
    result = check_enrichment_failure_rate(bad, 0.05)
    assert not result.passed and result.details["rates"]["pass2_status"] == pytest.approx(2 / 19)
    weird = ok.with_columns(pass3_status=pl.Series(["COMPLETED"] + ["cached"] * 19))
    assert not check_enrichment_failure_rate(weird, 0.05).passed  # unknown statuses are not successes
    assert not check_enrichment_failure_rate(ok.drop("pass3_status"), 0.05).passed


def test_freshness() -> None:
    now = datetime(2026, 1, 2, 12, tzinfo=UTC)
    assert check_freshness(now - timedelta(hours=2), now, timedelta(hours=3)).passed
    stale = check_freshness(now - timedelta(hours=5), now, timedelta(hours=3))
    assert not stale.passed and stale.details["age_hours"] == 5.0
    assert not check_freshness(None, now, timedelta(hours=3)).passed


def test_bronze_lines() -> None:
    good = [b'{"url": "x"}'] * 20 + [b"", b"   "]
    assert check_bronze_lines(good, 0.05).passed
    broken = [b'{"url": "x"}'] * 18 + [b"{trunc", b"[1, 2]"]
    result = check_bronze_lines(broken, 0.05)
    assert not result.passed and result.details["unparseable"] == 2
    assert not check_bronze_lines([b"", b"\n"], 0.05).passed  # an empty delivery is not a good delivery


def test_quality_config_loads_and_rejects_typos(tmp_path: Path) -> None:
    config = load_quality_config()
    assert config.null_limits("silver/job_postings")["job_posting_id"] == 0.0
    bad = tmp_path / "q.yaml"
    bad.write_text("max_enrichment_failur_rate: 0.1\n")
    with pytest.raises(ValueError, match=r"q\.yaml"):
        load_quality_config(bad)
