"""The shared Arrow-batch rules: silver columns, outcomes, hashes, hostile text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pyarrow as pa

from dej_platform.silver.pipeline import (
    LINES_ARROW_SCHEMA,
    STAGED_SCHEMA,
    LineKeys,
    SilverCounts,
    bronze_file_context,
    line_keys,
    normalize_source_file,
    split_industries,
    transform_lines,
)
from dej_platform.silver.records import LineOutcome, record_keys
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA
from dej_platform_tests.silver.conftest import (
    ERROR_ROW,
    HOSTILE_ITEMS,
    bronze_record,
    jsonl_lines,
    new_shape_record,
)

SOURCE = "/lake/bronze/linkedin_jobs/dt=2026-01-01/hr=05/feed=de_us/snap.jsonl"


def _batch(items: list, source: str = SOURCE) -> pa.RecordBatch:
    lines = list(jsonl_lines(items))
    return pa.RecordBatch.from_arrays(
        [
            pa.array([source] * len(lines)),
            pa.array(range(1, len(lines) + 1), pa.int64()),
            pa.array(lines, pa.binary()),
        ],
        schema=LINES_ARROW_SCHEMA,
    )


def _records(staged: pl.DataFrame) -> pl.DataFrame:
    return staged.filter(pl.col("_outcome") == "record")


def test_staged_frame_has_the_contract_schema_and_every_outcome() -> None:
    staged = transform_lines(_batch(HOSTILE_ITEMS))
    assert staged.schema == pl.Schema(STAGED_SCHEMA)
    outcomes = dict(staged.group_by("_outcome").len().iter_rows())
    assert outcomes == {"record": 8, "quarantined": 6, "error_row": 1}
    quarantined = staged.filter(pl.col("_outcome") == "quarantined")
    assert quarantined["raw_line"].null_count() == 0
    assert quarantined["_reason"].null_count() == 0
    assert staged.filter(pl.col("_outcome") == "record")["raw_line"].null_count() == 8


def test_path_gives_feed_and_ingestion_hour() -> None:
    records = _records(transform_lines(_batch([bronze_record()])))
    assert records["feed_id"].to_list() == ["de_us"]
    assert records["ingestion_hour"].to_list() == [datetime(2026, 1, 1, 5, tzinfo=UTC)]
    assert bronze_file_context("/tmp/plain.jsonl").ingestion_hour is None
    assert normalize_source_file("file:///tmp/a%3Db/x.jsonl") == "/tmp/a=b/x.jsonl"


def test_description_text_keeps_structure_and_drops_linkedin_noise() -> None:
    row = _records(transform_lines(_batch([bronze_record()]))).row(0, named=True)
    text = row["job_description_text"]
    assert "Show more" not in text and "Show less" not in text
    assert "alert(" not in text and "<" not in text
    assert "We\u2019re hiring" in text and "&#x2019;" not in text
    assert "\n" in text  # lines, not one flattened string
    assert row["job_description_html"].startswith("<section")
    assert "Show more" not in (row["job_summary"] or "")


def test_no_literal_nan_or_none_strings_anywhere() -> None:
    records = _records(transform_lines(_batch(HOSTILE_ITEMS)))
    text_cols = [c for c, t in JOB_POSTINGS_SCHEMA.items() if t == pl.String()]
    bad = records.select(
        pl.any_horizontal(
            pl.col(c).str.to_lowercase().is_in(["nan", "none", "null"]) for c in text_cols
        ).sum()
    ).item()
    assert bad == 0


def test_ids_are_digit_strings() -> None:
    records = _records(transform_lines(_batch(HOSTILE_ITEMS)))
    assert records["job_posting_id"].str.contains(r"^\d+$").all()
    assert "1000000002" in records["job_posting_id"].to_list()
    assert "1000000003" in records["job_posting_id"].to_list()


def test_null_booleans_stay_null() -> None:
    records = _records(transform_lines(_batch(HOSTILE_ITEMS)))
    row = records.filter(pl.col("job_posting_id") == "1000000004").row(0, named=True)
    assert row["application_availability"] is None
    assert row["country_code"] is None


def test_content_hash_ignores_scrape_time_and_follows_substance() -> None:
    a = bronze_record("5", timestamp="2026-01-01T05:00:00Z")
    b = bronze_record("5", timestamp="2026-01-01T09:00:00Z", job_posted_time="6 hours ago")
    c = bronze_record("5", job_description_formatted="<p>Now requires Kafka.</p>")
    d = bronze_record("5", job_title="Staff Data Engineer")
    hashes = _records(transform_lines(_batch([a, b, c, d])))["content_hash"].to_list()
    assert hashes[0] == hashes[1]
    assert len({hashes[0], hashes[2], hashes[3]}) == 3
    assert all(len(h) == 32 for h in hashes)


def test_megabyte_description_and_script_tags() -> None:
    html = "<div>" + "<p>Build Spark pipelines in Python.</p>" * 28_000 + "<script>var x = 1;</script></div>"
    assert len(html) > 1_000_000
    row = _records(transform_lines(_batch([bronze_record(job_description_formatted=html)]))).row(
        0, named=True
    )
    assert len(row["job_description_text"]) > 500_000
    assert "var x" not in row["job_description_text"]


def test_industries_split_without_cutting_comma_names() -> None:
    assert split_industries("Software Development, IT Services and IT Consulting") == (
        "Software Development",
        "IT Services and IT Consulting",
    )
    assert split_industries("Technology, Information and Internet") == (
        "Technology, Information and Internet",
    )
    assert split_industries("Banking, Technology, Information and Internet, and Financial Services") == (
        "Banking",
        "Technology, Information and Internet",
        "Financial Services",
    )
    assert split_industries(None) == ()


def test_seniority_and_employment_type_keep_original_label() -> None:
    row = _records(transform_lines(_batch([bronze_record()]))).row(0, named=True)
    assert row["seniority_label"] == "Mid-Senior level"
    assert row["employment_type_label"] == "Full-time"
    assert row["seniority"] == "mid_senior"
    assert row["employment_type"] == "full_time"


def test_empty_and_blank_input_gives_empty_staged_frame() -> None:
    staged = transform_lines(_batch([b"", b"  "]))
    assert staged.height == 0 and staged.schema == pl.Schema(STAGED_SCHEMA)


def test_raw_line_of_quarantined_json_round_trips() -> None:
    staged = transform_lines(_batch([b"[1, 2]", json.dumps(bronze_record(job_posting_id="x")).encode()]))
    assert staged["raw_line"].to_list()[0] == "[1, 2]"


def test_skills_are_detected_on_the_cleaned_text_and_stamped() -> None:
    from dej_platform.skills.detector import default_detector

    row = _records(transform_lines(_batch([bronze_record()]))).row(0, named=True)
    assert {"Python", "SQL", "Apache Spark", "dbt"} <= set(row["skills"])
    assert "dbt" in row["skills_nice_to_have"] and "Python" not in row["skills_nice_to_have"]
    assert row["skills_catalog_version"] == default_detector().version


# --- line_keys: dedup's view of a batch, before the rules ---------------------------------------------------


def _keys_batch(lines: list[bytes]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [
            pa.array(["b/dt=2026-01-01/hr=05/feed=f/a.jsonl"] * len(lines), pa.string()),
            pa.array(range(1, len(lines) + 1), pa.int64()),
            pa.array(lines, pa.binary()),
        ],
        schema=LINES_ARROW_SCHEMA,
    )


def _assert_keys_as_the_rules_give_them(lines: list[bytes]) -> LineKeys:
    batch = _keys_batch(lines)
    found = line_keys(batch)
    staged = transform_lines(batch)
    records = staged.filter(pl.col("_outcome") == LineOutcome.RECORD.value)
    assert found.keys.equals(records.select(found.keys.columns))
    assert found.others.equals(staged.filter(pl.col("_outcome") != "record").select(found.others.columns))
    outcomes = dict(staged.group_by("_outcome").len().iter_rows())
    assert found.counts == SilverCounts(
        bronze_records=staged.height,
        silver_rows=records.height,
        quarantined=outcomes.get("quarantined", 0),
        error_rows=outcomes.get("error_row", 0),
        utf8_repaired=int(staged["_utf8_repaired"].sum()),
    )
    return found


def test_line_keys_equal_the_rules_on_hostile_lines() -> None:
    """Every hostile line of the batch parser's tests: same records, keys, quarantine reasons and counts."""
    from dej_platform_tests.silver.test_records_batch import HOSTILE_LINES

    found = _assert_keys_as_the_rules_give_them(HOSTILE_LINES)
    assert found.counts.quarantined > 10 and found.counts.error_rows >= 2


def test_line_keys_equal_the_rules_on_random_field_types() -> None:
    """Each field of a record set to values of every JSON type (the ones that quarantine a line among them)."""
    from dej_platform_tests.silver.test_records_batch import _FIELDS, _VALUES

    lines = [
        json.dumps(bronze_record(str(1000 + i), **{field: value})).encode()
        for i, (field, value) in enumerate((f, v) for f in _FIELDS for v in _VALUES)
    ]
    found = _assert_keys_as_the_rules_give_them(lines)
    assert 0 < found.counts.quarantined < len(lines)


def test_plain_records_are_keyed_by_the_scan_alone() -> None:
    """The fast path is the one taken: ordinary records of both shapes are sure, without `parse_lines_batch`;
    each kind that may quarantine a line is not."""
    plain = [bronze_record("1"), new_shape_record("2"), bronze_record("3", job_num_applicants="57")]
    risky = [
        bronze_record("4", job_title={"a": 1}),
        bronze_record("5", company_name=True),
        bronze_record("6", job_poster="Ana"),
        bronze_record("7", job_poster={"name": {"x": 1}}),
        bronze_record("8", base_salary="{'min_amount': 1}"),
        bronze_record("9", application_availability=[True]),
        bronze_record("10", job_posting_id=10.0),
        bronze_record("11", timestamp="2026-01-01 05:00"),
        ERROR_ROW,
    ]
    sure = record_keys(pa.array(list(jsonl_lines([*plain, *risky])), pa.binary())).sure
    assert sure.tolist() == [True] * len(plain) + [False] * len(risky)
