"""Dagster: hourly silver from every feed of the hour, single-run backfills, conservation check, current state."""

from __future__ import annotations

import json

import dagster as dg
import polars as pl
import pytest

from dej_platform.defs.silver.assets import (
    CURRENT_KEY,
    QUARANTINE_KEY,
    SILVER_KEY,
    silver_job_postings,
    silver_job_postings_current,
)
from dej_platform.defs.silver.checks import record_conservation
from dej_platform.defs.silver.resources import SilverEngineResource, silver_engine_resource_for
from dej_platform.lake import Lake
from dej_platform.resources import LakeResource
from dej_platform.silver.partition_run import check_conservation
from dej_platform_tests.silver.conftest import (
    ERROR_ROW,
    HOSTILE_EXPECTED,
    HOSTILE_ITEMS,
    bronze_record,
    write_bronze,
)

pytestmark = pytest.mark.slow


def _resources(tmp_path) -> dict:
    return {"lake": LakeResource(url=str(tmp_path / "lake")), "silver_engine": SilverEngineResource()}


def _bronze(tmp_path, dt: str, hr: str, feed: str, items, name: str = "snap.jsonl") -> None:
    write_bronze(
        tmp_path / "lake" / "bronze" / "linkedin_jobs" / f"dt={dt}" / f"hr={hr}" / f"feed={feed}" / name,
        items,
    )


def test_one_hour_from_every_feed(tmp_path) -> None:
    _bronze(tmp_path, "2026-01-01", "05", "de_us", HOSTILE_ITEMS)
    _bronze(
        tmp_path, "2026-01-01", "05", "de_br", [bronze_record("3000000001"), ERROR_ROW], name="s.jsonl.gz"
    )
    _bronze(tmp_path, "2026-01-01", "06", "de_us", [bronze_record("9999999999")])  # another hour: not read
    result = dg.materialize(
        [silver_job_postings, record_conservation],
        partition_key="2026-01-01-05:00",
        resources=_resources(tmp_path),
    )
    assert result.success
    lake = Lake(str(tmp_path / "lake"))
    silver = lake.read_table("silver", "job_postings", [{"dt": "2026-01-01", "hr": "05"}])
    assert silver.height == HOSTILE_EXPECTED["silver_rows"] + 1
    assert set(silver["feed_id"]) == {"de_us", "de_br"}
    assert "9999999999" not in silver["job_posting_id"].to_list()
    assert (tmp_path / "lake/silver/job_postings/dt=2026-01-01/hr=05/part-00000.parquet").exists()
    assert (tmp_path / "lake/silver/job_postings_quarantine/dt=2026-01-01/hr=05/part-00000.parquet").exists()

    meta = {
        m.asset_key: m.metadata
        for m in result.get_asset_materialization_events()
        for m in [m.materialization]
    }
    assert meta[SILVER_KEY]["count_error_rows"].value == 2
    assert meta[SILVER_KEY]["count_quarantined"].value == HOSTILE_EXPECTED["quarantined"]
    assert meta[SILVER_KEY]["null_rates"].value["job_posting_id"] == 0.0
    assert meta[QUARANTINE_KEY]["dagster/row_count"].value == HOSTILE_EXPECTED["quarantined"]
    checks = result.get_asset_check_evaluations()
    assert [c.passed for c in checks] == [True]


def test_single_run_backfill_of_two_hours(tmp_path) -> None:
    _bronze(tmp_path, "2026-01-01", "05", "a", [bronze_record("1"), bronze_record("2")])
    _bronze(tmp_path, "2026-01-01", "06", "a", [bronze_record("1", timestamp="2026-01-01T06:10:00Z")])
    result = dg.materialize(
        [silver_job_postings, record_conservation],
        resources=_resources(tmp_path),
        tags={
            "dagster/asset_partition_range_start": "2026-01-01-05:00",
            "dagster/asset_partition_range_end": "2026-01-01-06:00",
        },
    )
    assert result.success
    lake = Lake(str(tmp_path / "lake"))
    both = lake.read_table("silver", "job_postings")
    assert sorted(zip(both["hr"], both["job_posting_id"], strict=True)) == [
        ("05", "1"),
        ("05", "2"),
        ("06", "1"),
    ]
    materialized = [
        m.partition for m in result.get_asset_materialization_events() if m.asset_key == SILVER_KEY
    ]
    assert sorted(materialized) == ["2026-01-01-05:00", "2026-01-01-06:00"]
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks)
    assert sum(c.metadata["hours_checked"].value for c in checks) >= 2


def test_conservation_check_fails_when_the_lake_disagrees(tmp_path) -> None:
    _bronze(tmp_path, "2026-01-01", "05", "a", [bronze_record("1"), bronze_record("2")])
    assert dg.materialize(
        [silver_job_postings], partition_key="2026-01-01-05:00", resources=_resources(tmp_path)
    ).success
    lake = Lake(str(tmp_path / "lake"))
    hour = {"dt": "2026-01-01", "hr": "05"}
    assert check_conservation(lake, hour).passed
    # A bronze file lands late: the silver partition no longer accounts for every record.
    _bronze(tmp_path, "2026-01-01", "05", "b", [bronze_record("3")])
    report = check_conservation(lake, hour)
    assert not report.passed and any("bronze lines now 3" in p for p in report.problems)
    counts = json.loads((tmp_path / "lake/silver/job_postings/dt=2026-01-01/hr=05/counts.json").read_text())
    assert counts["bronze_records"] == 2


def test_current_state_across_days(tmp_path) -> None:
    resources = _resources(tmp_path)
    _bronze(tmp_path, "2026-01-01", "05", "a", [bronze_record("1", job_title="v1"), bronze_record("2")])
    _bronze(
        tmp_path,
        "2026-01-01",
        "07",
        "a",
        [bronze_record("1", job_title="v2", timestamp="2026-01-01T07:05:00Z")],
    )
    _bronze(
        tmp_path,
        "2026-01-02",
        "01",
        "a",
        [bronze_record("1", job_title="v3", timestamp="2026-01-02T01:05:00Z")],
    )
    tags = {
        "dagster/asset_partition_range_start": "2026-01-01-00:00",
        "dagster/asset_partition_range_end": "2026-01-02-23:00",
    }
    assert dg.materialize([silver_job_postings], resources=resources, tags=tags).success
    for day in ("2026-01-01", "2026-01-02", "2026-01-02"):  # re-running a day must not count twice
        assert dg.materialize([silver_job_postings_current], partition_key=day, resources=resources).success
    lake = Lake(str(tmp_path / "lake"))
    state = lake.read_table("silver", "job_postings_current", [{"dt": "2026-01-02"}]).sort("job_posting_id")
    row = state.row(0, named=True)
    assert (row["job_title"], row["times_seen"]) == ("v3", 3)
    assert row["first_seen_at"].hour == 5 and row["last_seen_at"].day == 2
    assert state.filter(pl.col("job_posting_id") == "2")["times_seen"].item() == 1
    day1 = lake.read_table("silver", "job_postings_current", [{"dt": "2026-01-01"}])
    assert day1.filter(pl.col("job_posting_id") == "1")["job_title"].item() == "v2"


def test_asset_graph_shape() -> None:
    assert silver_job_postings.backfill_policy == dg.BackfillPolicy.single_run()
    assert set(silver_job_postings.keys) == {SILVER_KEY, QUARANTINE_KEY}
    assert silver_job_postings_current.key == CURRENT_KEY
    assert silver_engine_resource_for("local").engine == "polars"
    assert silver_engine_resource_for("prod").engine == "glue"


def test_sidecar_files_beside_snapshots_are_not_read(tmp_path) -> None:
    from dej_platform.silver.partition_run import bronze_files_of_hour

    _bronze(tmp_path, "2026-01-01", "05", "a", [bronze_record("1")])
    sidecar = tmp_path / "lake/bronze/linkedin_jobs/dt=2026-01-01/hr=05/feed=a/snapshot.meta.json"
    sidecar.write_text('{"snapshot_id": "s1", "records": 1}\n')
    files = bronze_files_of_hour(Lake(str(tmp_path / "lake")), {"dt": "2026-01-01", "hr": "05"})
    assert [f.key.rsplit("/", 1)[-1] for f in files] == ["snap.jsonl"]
