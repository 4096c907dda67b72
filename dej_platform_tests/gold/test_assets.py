from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from dej_platform.defs.gold.assets import gold_aggregates, gold_market_report, gold_star_schema
from dej_platform.defs.gold.definitions import defs
from dej_platform.gold.schema import AGGREGATE_SCHEMAS, STAR_SCHEMAS
from dej_platform.lake import Lake
from dej_platform.partitions import daily_partitions
from dej_platform.resources import LakeResource
from dej_platform_tests.gold.market_fixture import enrichment, silver_current

DAY = "2026-02-06"
ASSETS = [gold_star_schema, gold_aggregates, gold_market_report]


def seed(lake: Lake, silver: pl.DataFrame | None = None, with_enrichment: bool = True) -> None:
    lake.write_table(
        silver if silver is not None else silver_current(), "silver", "job_postings_current", {"dt": DAY}
    )
    if with_enrichment:
        enr = enrichment()
        # One hour written with fewer columns (an older enrichment version) must still stack.
        lake.write_partitioned(
            enr.filter(pl.col("job_posting_id") != "j12"), "silver_ai", "job_enrichment", ["dt", "hr"]
        )
        lake.write_partitioned(
            enr.filter(pl.col("job_posting_id") == "j12").drop("inf_seniority_level"),
            "silver_ai", "job_enrichment", ["dt", "hr"],
        )  # fmt: skip
        # Enrichment written after the day is not read for it.
        late = pl.DataFrame({"job_posting_id": ["j02"], "ext_visa_sponsorship_stated": ["will_sponsor"]})
        lake.write_table(late, "silver_ai", "job_enrichment", {"dt": "2026-02-07", "hr": "00"})


def run(lake: Lake, **config) -> dg.ExecuteInProcessResult:
    run_config = {"ops": {name: {"config": config} for name in ("gold_star_schema", "gold_aggregates")}}
    return dg.materialize(
        ASSETS,
        partition_key=DAY,
        resources={"lake": LakeResource(url=lake.root_uri)},
        run_config=run_config if config else None,
        raise_on_error=False,
    )


@pytest.mark.slow
def test_materialize_writes_every_gold_table_and_the_report(tmp_lake: Lake):
    seed(tmp_lake)
    result = run(tmp_lake, min_salary_sample=2)
    assert result.success
    root = Path(tmp_lake.root_uri)
    for name in (*STAR_SCHEMAS, *AGGREGATE_SCHEMAS):
        assert (root / "gold" / name / f"dt={DAY}" / "part-00000.parquet").is_file(), name
    report = root / "gold" / "market_report" / f"dt={DAY}" / "index.html"
    assert report.is_file() and "<svg" in report.read_text()
    assert (report.parent / "summary.md").read_text().startswith(f"**Market snapshot {DAY}**")

    fact = tmp_lake.read_table("gold", "fact_job_postings", [{"dt": DAY}])
    assert fact.height == 12
    statuses = dict(fact.select("job_posting_id", "enrichment_status").iter_rows())
    assert statuses["j02"] == "missing"  # the 2026-02-07 enrichment is after the day
    assert statuses["j12"] == "complete"
    assert dict(fact.select("job_posting_id", "salary_annual_mid_usd").iter_rows())["j12"] == 100_000

    mats = {m.asset_key.to_user_string(): m for m in result.get_asset_materialization_events()}
    assert len(mats) == len(STAR_SCHEMAS) + len(AGGREGATE_SCHEMAS) + 1
    fact_meta = mats["gold/fact_job_postings"].materialization.metadata
    assert fact_meta["dagster/row_count"].value == 12
    report_meta = mats["gold/market_report"].materialization.metadata
    assert report_meta["path"].value == str(report)
    assert "12 postings from 4 companies" in report_meta["summary"].value
    bench = tmp_lake.read_table("gold", "agg_salary_benchmarks", [{"dt": DAY}])
    assert bench["salary_count"].min() >= 2

    checks = {
        (c.asset_key.to_user_string(), c.check_name): c.passed for c in result.get_asset_check_evaluations()
    }
    assert checks == {
        ("gold/fact_job_postings", "referential_integrity"): True,
        ("gold/fact_job_postings", "non_empty"): True,
        ("gold/fact_job_postings", "salary_sanity"): True,
        ("gold/agg_skill_demand_weekly", "non_empty"): True,
        ("gold/agg_salary_benchmarks", "salary_sanity"): True,
    }

    # A second run replaces the partition and keeps every surrogate key.
    assert run(tmp_lake, min_salary_sample=2).success
    again = tmp_lake.read_table("gold", "fact_job_postings", [{"dt": DAY}])
    assert (
        again.select("job_posting_id", "job_key", "company_key", "location_key")
        .sort("job_posting_id")
        .equals(
            fact.select("job_posting_id", "job_key", "company_key", "location_key").sort("job_posting_id")
        )
    )
    assert len(list((root / "gold" / "fact_job_postings" / f"dt={DAY}").iterdir())) == 1


@pytest.mark.slow
def test_gold_runs_from_silver_alone(tmp_lake: Lake):
    seed(tmp_lake, with_enrichment=False)
    result = run(tmp_lake)
    assert result.success
    fact = tmp_lake.read_table("gold", "fact_job_postings", [{"dt": DAY}])
    assert set(fact["enrichment_status"]) == {"missing"}


@pytest.mark.slow
def test_empty_day_fails_blocking_check_and_publishes_nothing(tmp_lake: Lake):
    seed(tmp_lake, silver=silver_current().head(0), with_enrichment=False)
    result = run(tmp_lake)
    assert not result.success
    evaluations = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert evaluations == {"referential_integrity": True, "non_empty": False}
    assert not tmp_lake.list_files("gold", "fact_job_postings")
    assert not tmp_lake.list_files("gold", "market_report")


@pytest.mark.slow
def test_missing_silver_partition_fails_with_a_clear_message(tmp_lake: Lake):
    result = run(tmp_lake)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "no silver/job_postings_current partition dt=2026-02-06" in str(failure.event_specific_data.error)


def test_gold_assets_are_daily_eager_and_wait_for_consensus(tmp_path: Path):
    with_lake = dg.Definitions.merge(
        defs, dg.Definitions(resources={"lake": LakeResource(url=str(tmp_path))})
    )
    graph = with_lake.resolve_asset_graph()
    fact = dg.AssetKey(["gold", "fact_job_postings"])
    parents = {k.to_user_string() for k in graph.get(fact).parent_keys}
    assert {"silver/job_postings_current", "silver_ai/job_enrichment", "silver_ai/consensus"} <= parents
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if key.path[0] == "gold":
            assert node.partitions_def is not None and node.automation_condition is not None, key
    report_parents = {k.path[-1] for k in graph.get(dg.AssetKey(["gold", "market_report"])).parent_keys}
    assert set(AGGREGATE_SCHEMAS) <= report_parents


def _automation_defs(tmp_path: Path) -> dg.Definitions:
    from dej_platform.partitions import hourly_partitions

    @dg.asset(key=["silver", "job_postings_current"], partitions_def=daily_partitions)
    def current() -> None: ...

    @dg.asset(key=["silver_ai", "job_enrichment"], partitions_def=hourly_partitions)
    def job_enrichment() -> None: ...

    @dg.asset(key=["silver_ai", "consensus"], partitions_def=daily_partitions)
    def consensus() -> None: ...

    return dg.Definitions(
        assets=[current, job_enrichment, consensus, *ASSETS],
        resources={"lake": LakeResource(url=str(tmp_path))},
    )


@pytest.mark.slow
def test_automation_requests_gold_once_its_inputs_landed(tmp_path: Path):
    from datetime import UTC, datetime, timedelta

    defs_ = _automation_defs(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    now = datetime(2026, 1, 3, 1, tzinfo=UTC)
    day = "2026-01-02"

    def land(key: list[str], partitions: list[str]) -> None:
        for p in partitions:
            instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=key, partition=p))

    def requested(cursor, minutes: int):
        result = dg.evaluate_automation_conditions(
            defs=defs_, instance=instance, evaluation_time=now + timedelta(minutes=minutes), cursor=cursor
        )
        keys = {r.key.to_user_string() for r in result.results if r.true_subset.size}
        return result.cursor, keys

    cursor, keys = requested(None, 0)
    assert keys == set()
    land(["silver", "job_postings_current"], [day])
    land(["silver_ai", "job_enrichment"], [f"{day}-{h:02d}:00" for h in range(24)])
    cursor, keys = requested(cursor, 1)
    assert keys == set(), "gold must wait for silver_ai/consensus"
    land(["silver_ai", "consensus"], [day])
    cursor, keys = requested(cursor, 2)
    assert keys == {f"gold/{n}" for n in (*STAR_SCHEMAS, *AGGREGATE_SCHEMAS, "market_report")}
