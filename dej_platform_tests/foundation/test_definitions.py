"""The code location loads in every environment, and `dg check defs` agrees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import dagster as dg
from dej_platform.definitions import defs
dg.Definitions.validate_loadable(defs)
repo = defs.get_repository_def()
jobs = sorted(j.name for j in repo.get_all_jobs())
assets = sorted(k.to_user_string() for k in repo.asset_graph.get_all_asset_keys())
print("JOBS", ",".join(jobs))
print("ASSETS", ",".join(assets))
print("RESOURCES", ",".join(sorted(defs.resources)))
"""

FAKE_PROD_ENV = {
    "DEJ_LAKE_URL": "s3://example-bucket/lake",
    "BRIGHTDATA_API_KEY": "fake-key-for-load-test",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _load(env_name: str) -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEJ_", "BRIGHTDATA_"))}
    env["DEJ_ENV"] = env_name
    if env_name != "local":
        env |= FAKE_PROD_ENV
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-4000:]
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.split(" ", 1)[0].isupper())
    return {k: v.split(",") for k, v in lines.items()}


@pytest.mark.parametrize("env_name", ["local", "dev", "prod"])
def test_definitions_load_in_every_env(env_name: str) -> None:
    loaded = _load(env_name)
    assert {"bronze_job", "hourly_job", "daily_job"} <= set(loaded["JOBS"])
    for key in (
        "bronze/linkedin_jobs",
        "silver/job_postings",
        "silver/job_postings_quarantine",
        "silver/job_postings_current",
        "silver_ai/job_enrichment",
        "silver_ai/consensus",
    ):
        assert key in loaded["ASSETS"]
    assert any(a.startswith("gold/") for a in loaded["ASSETS"])
    assert {"lake", "brightdata", "enrichment"} <= set(loaded["RESOURCES"])


def test_unknown_env_is_refused() -> None:
    env = {**os.environ, "DEJ_ENV": "staging"}
    out = subprocess.run(
        [sys.executable, "-c", "import dej_platform.definitions"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode != 0 and "DEJ_ENV='staging'" in out.stderr


@pytest.mark.slow
def test_dg_check_defs() -> None:
    dg_exe = shutil.which("dg", path=str(Path(sys.executable).parent))
    assert dg_exe, "dg (dagster-dg-cli) is not installed in the venv"
    out = subprocess.run(
        [dg_exe, "check", "defs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "DEJ_ENV": "local"},
    )
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
