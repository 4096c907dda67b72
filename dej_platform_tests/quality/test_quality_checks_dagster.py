"""Quality asset checks run per partition against the lake, and a failing one stops downstream assets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from dej_platform.defs.quality.checks import (
    BRONZE_KEY,
    CURRENT_KEY,
    ENRICHMENT_KEY,
    QUARANTINE_KEY,
    SILVER_KEY,
    enrichment_failures,
    freshness_check_for,
    silver_nulls,
    silver_schema,
    silver_unique,
    silver_vocabularies,
)
from dej_platform.defs.quality.definitions import defs as quality_defs
from dej_platform.lake import Lake
from dej_platform.partitions import bronze_partitions, daily_partitions, hourly_partitions
from dej_platform.resources import LakeResource
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA

HOUR_KEY = "2026-01-02-05:00"
HOUR = {"dt": "2026-01-02", "hr": "05"}


def silver_rows(ids: list[str]) -> pl.DataFrame:
    rows = pl.DataFrame(
        {
            "job_posting_id": ids,
            "job_title": ["Data Engineer"] * len(ids),
            "company_name": ["Acme"] * len(ids),
            "scraped_at": [datetime(2026, 1, 2, 5, 30, tzinfo=UTC)] * len(ids),
            "job_description_text": ["Build pipelines"] * len(ids),
            "content_hash": ["h"] * len(ids),
            "seniority": ["entry"] * len(ids),
            "employment_type": ["full_time"] * len(ids),
        }
    )
    return pl.concat([pl.DataFrame(schema=JOB_POSTINGS_SCHEMA), rows], how="diagonal_relaxed").select(
        [pl.col(c).cast(t) for c, t in JOB_POSTINGS_SCHEMA.items()]
    )


def silver_stand_in(frame: pl.DataFrame, counts: dict[str, int]) -> dg.AssetsDefinition:
    @dg.asset(key=SILVER_KEY, partitions_def=hourly_partitions)
    def job_postings(lake: LakeResource) -> dg.MaterializeResult:
        lake.get_lake().write_table(frame, "silver", "job_postings", HOUR)
        return dg.MaterializeResult(metadata=counts)

    return job_postings


@dg.asset(key=["silver_ai", "probe"], deps=[SILVER_KEY], partitions_def=hourly_partitions)
def downstream_probe() -> None:
    return None


def run(
    tmp_path: Path, frame: pl.DataFrame, counts: dict[str, int] | None = None
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [
            silver_stand_in(frame, counts or {}),
            downstream_probe,
            silver_schema,
            silver_unique,
            silver_nulls,
            silver_vocabularies,
        ],
        partition_key=HOUR_KEY,
        resources={"lake": LakeResource(url=str(tmp_path / "lake"))},
        raise_on_error=False,
    )


def outcomes(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def materialized(result: dg.ExecuteInProcessResult) -> set[dg.AssetKey]:
    return {e.asset_key for e in result.get_asset_materialization_events()}


@pytest.mark.slow
def test_good_partition_passes_every_check_and_downstream_runs(tmp_path: Path) -> None:
    result = run(tmp_path, silver_rows(["1", "2", "3"]))
    assert outcomes(result) == {
        "schema_matches_contract": True,
        "job_posting_id_unique": True,
        "key_field_null_rates": True,
        "vocabularies": True,
    }
    assert dg.AssetKey(["silver_ai", "probe"]) in materialized(result)


@pytest.mark.slow
def test_duplicate_ids_fail_and_block_downstream(tmp_path: Path) -> None:
    bad = silver_rows(["1", "1", "2"]).with_columns(
        seniority=pl.Series(["entry", "Mid-Senior level", "entry"]),
        job_title=pl.Series(["Data Engineer", None, "Data Engineer"]),
    )
    result = run(tmp_path, bad)
    assert outcomes(result) == {
        "schema_matches_contract": True,
        "job_posting_id_unique": False,
        "key_field_null_rates": False,
        "vocabularies": False,
    }
    assert dg.AssetKey(["silver_ai", "probe"]) not in materialized(result)


@pytest.mark.slow
def test_schema_drift_fails(tmp_path: Path) -> None:
    drifted = silver_rows(["1"]).with_columns(pl.col("job_num_applicants").cast(pl.String))
    assert outcomes(run(tmp_path, drifted))["schema_matches_contract"] is False


def write_bronze(lake: Lake, feed: str, lines: list[str]) -> None:
    lake.write_bytes(
        "bronze", "linkedin_jobs", {**HOUR, "feed": feed}, "snapshot.jsonl", "\n".join(lines).encode()
    )


@pytest.mark.slow
def test_enrichment_failure_rate_check(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / "lake"))
    statuses = ["success"] * 8 + ["failed"] * 2

    @dg.asset(key=ENRICHMENT_KEY, partitions_def=hourly_partitions)
    def enrichment() -> None:
        frame = pl.DataFrame(
            {
                "job_posting_id": [str(i) for i in range(10)],
                "pass1_status": statuses,
                "pass2_status": ["success"] * 10,
                "pass3_status": ["success"] * 10,
            }
        )
        lake.write_table(frame, "silver_ai", "job_enrichment", HOUR)

    result = dg.materialize(
        [enrichment, enrichment_failures],
        partition_key=HOUR_KEY,
        resources={"lake": LakeResource(url=str(tmp_path / "lake"))},
        raise_on_error=False,
    )
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed
    assert evaluation.metadata["details"].value["rates"]["pass1_status"] == pytest.approx(0.2)


def test_freshness_check_reads_the_newest_hour(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / "lake"))
    lake.write_table(silver_rows(["1"]), "silver", "job_postings", {"dt": "2026-01-01", "hr": "23"})
    lake.write_table(silver_rows(["2"]), "silver", "job_postings", HOUR)  # scraped 05:30
    resource = LakeResource(url=str(tmp_path / "lake"))
    fresh = freshness_check_for(lambda: datetime(2026, 1, 2, 7, tzinfo=UTC))
    stale = freshness_check_for(lambda: datetime(2026, 1, 2, 12, tzinfo=UTC))
    assert fresh(dg.build_asset_check_context(), lake=resource).passed
    late = stale(dg.build_asset_check_context(), lake=resource)
    assert not late.passed and late.severity == dg.AssetCheckSeverity.WARN
    empty = freshness_check_for()(
        dg.build_asset_check_context(), lake=LakeResource(url=str(tmp_path / "none"))
    )
    assert not empty.passed


def test_definitions_load_against_assets_with_matching_partitions(tmp_path: Path) -> None:
    stand_ins = [
        dg.AssetSpec(BRONZE_KEY, partitions_def=bronze_partitions),
        dg.AssetSpec(SILVER_KEY, partitions_def=hourly_partitions),
        dg.AssetSpec(QUARANTINE_KEY, partitions_def=hourly_partitions),
        dg.AssetSpec(CURRENT_KEY, partitions_def=daily_partitions),
        dg.AssetSpec(ENRICHMENT_KEY, partitions_def=hourly_partitions),
    ]
    defs = dg.Definitions.merge(
        quality_defs,
        dg.Definitions(assets=stand_ins, resources={"lake": LakeResource(url=str(tmp_path / "lake"))}),
    )
    dg.Definitions.validate_loadable(defs)
    check_keys = defs.resolve_asset_graph().asset_check_keys
    assert len(check_keys) == 15
    assert {k.asset_key for k in check_keys} == {
        BRONZE_KEY,
        SILVER_KEY,
        QUARANTINE_KEY,
        CURRENT_KEY,
        ENRICHMENT_KEY,
    }


@pytest.mark.slow
def test_bronze_check_reads_only_its_feed_and_hour(tmp_path: Path) -> None:
    from dej_platform.defs.quality.checks import bronze_records_parse

    lake = Lake(str(tmp_path / "lake"))
    write_bronze(lake, "de_us", [json.dumps({"url": "u"})] * 3 + ["not json"])
    write_bronze(
        lake, "de_eu", [json.dumps({"url": "u"})] * 50
    )  # a clean feed in the same hour is not mixed in

    @dg.asset(key=BRONZE_KEY, partitions_def=bronze_partitions)
    def bronze() -> None:
        return None

    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("feeds", ["de_us", "de_eu"])
        result = dg.materialize(
            [bronze, bronze_records_parse],
            instance=instance,
            partition_key=dg.MultiPartitionKey({"feed": "de_us", "hour": HOUR_KEY}),
            resources={"lake": LakeResource(url=str(tmp_path / "lake"))},
            raise_on_error=False,
        )
        evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed  # 1 of 4 records unparseable > 5 %
    assert evaluation.metadata["details"].value["records"] == 4
