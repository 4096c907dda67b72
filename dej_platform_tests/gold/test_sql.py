from __future__ import annotations

import csv
import io
import json

import polars as pl
import pytest

from dej_platform.cli import main
from dej_platform.gold.aggregates import build_aggregates
from dej_platform.gold.lake_io import write_gold_tables
from dej_platform.gold.sql import run_query
from dej_platform.gold.star import build_star_schema
from dej_platform.lake import Lake
from dej_platform_tests.gold.market_fixture import enrichment, silver_current


def seed_gold(lake: Lake) -> None:
    star = build_star_schema(silver_current(), enrichment())
    write_gold_tables(lake, {**star.tables(), **build_aggregates(star)}, "2026-02-06")
    # An older snapshot with only 2 jobs: hidden unless every partition is asked for.
    old = build_star_schema(silver_current().head(2))
    write_gold_tables(lake, old.tables(), "2026-02-05")
    lake.write_table(silver_current(), "silver", "job_postings_current", {"dt": "2026-02-06"})
    lake.write_partitioned(enrichment(), "silver_ai", "job_enrichment", ["dt", "hr"])


@pytest.fixture
def gold_lake(tmp_lake: Lake) -> Lake:
    seed_gold(tmp_lake)
    return tmp_lake


def test_star_join_by_bare_and_qualified_names(gold_lake: Lake):
    result = run_query(
        gold_lake,
        """
        SELECT c.company_name, count(*) AS postings, max(f.dt) AS dt
        FROM fact_job_postings f JOIN gold.dim_company c USING (company_key)
        GROUP BY 1 ORDER BY postings DESC, 1 LIMIT 2
        """,
    )
    assert result.columns == ["company_name", "postings", "dt"]
    assert result.rows == [("Acme", 5, "2026-02-06"), ("Beta", 3, "2026-02-06")]


def test_snapshot_tables_show_the_latest_day_unless_all_partitions(gold_lake: Lake):
    q = "SELECT dt, count(*) FROM fact_job_postings GROUP BY dt ORDER BY dt"
    assert run_query(gold_lake, q).rows == [("2026-02-06", 12)]
    assert run_query(gold_lake, q, all_partitions=True).rows == [("2026-02-05", 2), ("2026-02-06", 12)]
    # Hourly silver_ai tables always show every partition.
    hours = run_query(gold_lake, "SELECT count(DISTINCT dt || hr) FROM job_enrichment").rows[0][0]
    assert hours == enrichment().select("dt", "hr").n_unique()


def test_cli_formats(gold_lake: Lake, capsys):
    q = "SELECT skill_a, postings_together, lift FROM agg_skill_cooccurrence ORDER BY postings_together DESC"
    assert main(["sql", q, "--lake", gold_lake.root_uri, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        ["skill_a", "postings_together", "lift"],
        ["Python", "4", str(4 * 12 / 49)],
        ["AWS", "2", str(24 / 21)],
    ]

    json_q = "SELECT job_posting_id, posted_date, skills_count FROM fact_job_postings ORDER BY 1 LIMIT 2"
    assert main(["sql", json_q, "--lake", gold_lake.root_uri, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"job_posting_id": "j01", "posted_date": "2026-01-05", "skills_count": 2},
        {"job_posting_id": "j02", "posted_date": "2026-01-06", "skills_count": 1},
    ]
    assert main(["sql", json_q, "--lake", gold_lake.root_uri]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["job_posting_id", "|", "posted_date", "|", "skills_count"]
    assert table[2].startswith("j01") and table[-1] == "(2 rows)"


def test_cli_lists_tables_and_reports_errors(gold_lake: Lake, capsys):
    assert main(["sql", "--tables", "--lake", gold_lake.root_uri]) == 0
    listing = capsys.readouterr().out
    assert "gold.fact_job_postings" in listing and "latest dt=2026-02-06" in listing
    assert "silver.job_postings_current" in listing and "silver_ai.job_enrichment" in listing
    assert main(["sql", "SELECT * FROM no_such_table", "--lake", gold_lake.root_uri]) == 1
    assert "no_such_table" in capsys.readouterr().err
    assert main(["sql", "SELEC nonsense", "--lake", gold_lake.root_uri]) == 1
    assert main(["sql", "--lake", gold_lake.root_uri]) == 2


def test_hostile_file_names_cannot_inject_sql(tmp_path):
    lake = Lake(str(tmp_path / "it's a lake"))  # a quote in the path
    lake.write_table(pl.DataFrame({"x": [1]}), "gold", "dim_seniority", {"dt": "2026-02-06"})
    assert run_query(lake, "SELECT x FROM dim_seniority").rows == [(1,)]


@pytest.mark.s3
def test_s3_lake_is_read_through_polars(s3_lake: Lake):
    star = build_star_schema(silver_current(), enrichment())
    write_gold_tables(s3_lake, {"fact_job_postings": star.fact_job_postings}, "2026-02-06")
    write_gold_tables(s3_lake, {"fact_job_postings": star.fact_job_postings.head(3)}, "2026-02-05")
    result = run_query(s3_lake, "SELECT count(*), min(dt) FROM fact_job_postings")
    assert result.rows == [(12, "2026-02-06")]
