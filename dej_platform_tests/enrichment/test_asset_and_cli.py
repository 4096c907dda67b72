"""The hourly Dagster asset on a tmp lake with the rules provider, the lake cache, and `dej enrich`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from dej_platform.cli.enrich import register
from dej_platform.defs.silver_ai.assets import build_job_enrichment_asset
from dej_platform.defs.silver_ai.resources import (
    EnrichmentResource,
    enrichment_resource_for,
    pool_for_provider,
)
from dej_platform.enrichment.cache import CacheKey, LakeEnrichmentCache
from dej_platform.enrichment.flatten import enrichment_schema
from dej_platform.lake import Lake
from dej_platform.resources import LakeResource
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA

from .conftest import POSTING

PARTITION_KEY = "2026-01-02-05:00"
HIVE = {"dt": "2026-01-02", "hr": "05"}


def _silver(rows: list[dict]) -> pl.DataFrame:
    frame = pl.DataFrame(rows)
    return frame.with_columns(
        [
            pl.lit(None).cast(dtype).alias(name)
            for name, dtype in JOB_POSTINGS_SCHEMA.items()
            if name not in frame.columns
        ]
    ).select([pl.col(n).cast(d) for n, d in JOB_POSTINGS_SCHEMA.items()])


ROWS = [
    {"job_posting_id": "1", "content_hash": "c1", "job_title": "Senior Data Engineer", "company_name": "Acme",
     "job_description_text": POSTING, "job_num_applicants": 75, "scraped_at": datetime(2026, 1, 2, 5, 10, tzinfo=UTC)},
    {"job_posting_id": "2", "content_hash": "c2", "job_title": "Data Engineer (Contract)", "company_name": "Beta",
     "job_description_text": "12 month contract. Fully remote. Pay: $70-$85/hr on W2.", "job_num_applicants": 4},
    {"job_posting_id": "3", "content_hash": "c3", "job_title": "Data Engineer", "company_name": "Gamma",
     "job_description_text": None},
]  # fmt: skip


def _materialize(lake_dir: Path) -> dg.ExecuteInJobResult:
    asset = build_job_enrichment_asset(pool_for_provider("rules"))
    return dg.materialize(
        [asset],
        partition_key=PARTITION_KEY,
        resources={
            "lake": LakeResource(url=str(lake_dir)),
            "enrichment": EnrichmentResource(provider="rules"),
        },
    )


@pytest.mark.slow
def test_hourly_asset_enriches_the_partition_and_reuses_the_cache(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    lake.write_table(_silver(ROWS), "silver", "job_postings", HIVE)
    result = _materialize(tmp_path)
    assert result.success
    out = lake.read_table("silver_ai", "job_enrichment", [HIVE])
    assert out.height == 3  # rows in = rows out; the empty posting is a failed row with its reason
    assert set(enrichment_schema()) <= set(out.columns)
    by_id = {row["job_posting_id"]: row for row in out.iter_rows(named=True)}
    assert by_id["1"]["ext_visa_sponsorship_stated"] == "will_not_sponsor"
    assert by_id["1"]["anl_competition_level"] == "high"
    assert by_id["2"]["ext_hourly_rate_min"] == 70.0 and by_id["2"]["ext_work_model_stated"] == "remote"
    assert by_id["3"]["pass1_status"] == "failed" and by_id["3"]["pass2_status"] == "skipped"
    meta = result.asset_materializations_for_node("silver_ai__job_enrichment")[0].metadata
    assert meta["cache_hits"].value == 0 and meta["input_rows"].value == 3
    assert meta["status_counts"].data["pass1_success"] == 2
    # The next hour re-scrapes job 1 unchanged: every pass comes from the cache.
    later = {"dt": "2026-01-02", "hr": "06"}
    lake.write_table(_silver(ROWS[:1]), "silver", "job_postings", later)
    again = dg.materialize(
        [build_job_enrichment_asset(pool_for_provider("rules"))],
        partition_key="2026-01-02-06:00",
        resources={
            "lake": LakeResource(url=str(tmp_path)),
            "enrichment": EnrichmentResource(provider="rules"),
        },
    )
    row = lake.read_table("silver_ai", "job_enrichment", [later]).row(0, named=True)
    assert [row[f"pass{p}_status"] for p in (1, 2, 3)] == ["cached"] * 3
    assert (
        again.asset_materializations_for_node("silver_ai__job_enrichment")[0].metadata["cache_hits"].value
        == 3
    )


def test_lake_cache_round_trip(tmp_path: Path) -> None:
    from dej_platform.enrichment.cache import CacheEntry

    cache = LakeEnrichmentCache(Lake(str(tmp_path)))
    key = CacheKey("hash", 1, "v1", "openai.gpt-oss-120b-1:0")
    assert cache.lookup([key]) == {}
    cache.store([CacheEntry(key, "bedrock", '{"a": 1}', 10, 5, 0.001)])
    cache.store([CacheEntry(key, "bedrock", '{"a": 2}', 10, 5, 0.001)])
    assert cache.lookup([key, CacheKey("hash", 1, "v2", key.model_id)]) == {key: '{"a": 2}'}
    files = Lake(str(tmp_path)).list_files("silver_ai", "enrichment_cache")
    assert len(files) == 2 and all("model=openai.gpt-oss-120b-1-0/" in f.key for f in files)


def test_resource_factory_and_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEJ_ENRICHMENT_PROVIDER", raising=False)
    assert enrichment_resource_for("local").provider == "rules"
    assert enrichment_resource_for("prod").provider == "bedrock"
    assert enrichment_resource_for("prod").resolved_model_id() == "openai.gpt-oss-120b-1:0"
    assert enrichment_resource_for("local").pool == "llm_rules"
    with pytest.raises(ValueError, match="unknown provider"):
        EnrichmentResource(provider="gpt-magic").build_runner(None)


def _cli(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_enrich_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "silver.parquet"
    _silver(ROWS).write_parquet(source)
    target = tmp_path / "out" / "enriched.parquet"
    assert _cli(["enrich", "--input", str(source), "--output", str(target), "--provider", "rules"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows_in"] == summary["rows_out"] == 3
    out = pl.read_parquet(target)
    assert out.schema == pl.Schema(enrichment_schema())
    assert _cli(["enrich", "--input", str(tmp_path / "missing.parquet"), "--output", str(target)]) == 2
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    assert _cli(["enrich", "--input", str(tmp_path / "junk.parquet"), "--output", str(target)]) == 2
    pl.DataFrame({"title": ["x"]}).write_parquet(tmp_path / "wrong.parquet")
    assert _cli(["enrich", "--input", str(tmp_path / "wrong.parquet"), "--output", str(target)]) == 2


def test_single_run_backfill_enriches_each_hour_of_the_range(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    lake.write_table(_silver(ROWS), "silver", "job_postings", {"dt": "2026-01-02", "hr": "05"})
    lake.write_table(_silver(ROWS[:1]), "silver", "job_postings", {"dt": "2026-01-02", "hr": "06"})
    result = dg.materialize(
        [build_job_enrichment_asset(pool_for_provider("rules"))],
        tags={
            "dagster/asset_partition_range_start": "2026-01-02-05:00",
            "dagster/asset_partition_range_end": "2026-01-02-06:00",
        },
        resources={
            "lake": LakeResource(url=str(tmp_path)),
            "enrichment": EnrichmentResource(provider="rules"),
        },
    )
    assert result.success
    assert lake.read_table("silver_ai", "job_enrichment", [{"dt": "2026-01-02", "hr": "05"}]).height == 3
    later = lake.read_table("silver_ai", "job_enrichment", [{"dt": "2026-01-02", "hr": "06"}])
    # One runner spans the range, so the re-scraped job in the second hour comes from the first hour's cache.
    assert [later.row(0, named=True)[f"pass{p}_status"] for p in (1, 2, 3)] == ["cached"] * 3
    meta = result.asset_materializations_for_node("silver_ai__job_enrichment")[0].metadata
    assert meta["hours"].value == 2 and meta["input_rows"].value == 4 and meta["files"].value == 2
