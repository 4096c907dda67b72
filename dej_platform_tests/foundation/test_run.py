"""`dej run` (what `make run` calls): the whole graph on the local emulator leaves a readable lake."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from dej_platform.cli.run import target_hours
from dej_platform.lake import Lake

ROOT = Path(__file__).resolve().parents[2]


def test_target_hours_end_at_the_last_complete_hour() -> None:
    now = datetime(2026, 3, 1, 10, 42, tzinfo=UTC)
    hours = target_hours(None, 3, now=now)
    assert [h.hour for h in hours] == [7, 8, 9]
    assert target_hours("2026-03-01-00:00", 2)[0] == datetime(2026, 2, 28, 23, tzinfo=UTC)
    with pytest.raises(ValueError, match="at least 1"):
        target_hours(None, 0)


@pytest.mark.slow
def test_dej_run_materializes_every_layer(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DEJ_", "BRIGHTDATA_"))},
        "DEJ_ENV": "local",
        "DEJ_LAKE_URL": str(tmp_path / "lake"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    dej = Path(sys.executable).parent / "dej"
    out = subprocess.run(
        [str(dej), "run", "--hours", "2"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
    assert "market report" in out.stdout and str(tmp_path / "lake") in out.stdout
    lake = Lake(str(tmp_path / "lake"))
    silver = lake.read_table("silver", "job_postings")
    assert silver.height > 0 and silver["hr"].n_unique() == 2
    current = lake.read_table("silver", "job_postings_current")
    assert current["job_posting_id"].is_unique().all()
    enriched = lake.read_table("silver_ai", "job_enrichment")
    assert enriched.height == silver.height
    fact = lake.read_table("gold", "fact_job_postings")
    assert fact.height == current.height
    assert lake.list_files("gold", "market_report", suffix=".html")
    # Runs are recorded in the instance so `make dev` shows them.
    assert (tmp_path / "dagster_home" / "dagster.yaml").exists()
    assert fact.filter(pl.col("job_posting_id").is_null()).height == 0
