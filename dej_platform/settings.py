"""Which world we run in: `DEJ_ENV=local|dev|prod` picks every resource instance here, and only here.

- local: a lake folder in the repo, the Bright Data emulator on 127.0.0.1, the offline `rules` enrichment provider.
- dev:   the real APIs with a lake wherever `DEJ_LAKE_URL` points (a folder or a dev bucket).
- prod:  S3, Bright Data, Bedrock and Spark on Glue; every endpoint and secret from the environment.
Secrets are only ever read through `dagster.EnvVar`, so they never appear in run config, logs or metadata.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, cast

import dagster as dg

from dej_platform.resources import LakeResource

Env = Literal["local", "dev", "prod"]
ENVS: tuple[Env, ...] = ("local", "dev", "prod")

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The checkout this package runs from, or the working directory when installed elsewhere."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").exists() else Path.cwd()


def current_env() -> Env:
    env = os.environ.get("DEJ_ENV", "local").strip().lower()
    if env not in ENVS:
        raise ValueError(f"DEJ_ENV={env!r} is not one of {', '.join(ENVS)}")
    return cast(Env, env)


def default_lake_url() -> str:
    return os.environ.get("DEJ_LAKE_URL") or str(project_root() / ".lake")


def lake_resource_for(env: Env) -> LakeResource:
    if env == "local":
        return LakeResource(url=default_lake_url(), s3_endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))
    # dev and prod must say where the lake is; an unset variable fails at launch with its name.
    return LakeResource(url=dg.EnvVar("DEJ_LAKE_URL"))


def build_resources(env: Env | None = None) -> dict[str, Any]:
    """Every resource the code location needs, for one environment."""
    from dej_platform.defs.bronze.resources import bright_data_resource_for
    from dej_platform.defs.consensus.resources import consensus_resource_for
    from dej_platform.defs.silver.resources import silver_engine_resource_for
    from dej_platform.defs.silver_ai.resources import enrichment_resource_for

    env = env or current_env()
    return {
        "lake": lake_resource_for(env),
        "brightdata": bright_data_resource_for(env),
        "silver_engine": silver_engine_resource_for(env),
        "enrichment": enrichment_resource_for(env),
        "consensus": consensus_resource_for(env),
    }
