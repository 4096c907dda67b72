"""The Bright Data resource, per environment.

local: no key and no server needed: unless `BRIGHTDATA_API_URL` points somewhere, an in-process emulator starts
lazily on 127.0.0.1 (deterministic seed, with past snapshots of the registry's feeds so recovery backfills work).
dev/prod: the real API; the key comes only from `EnvVar("BRIGHTDATA_API_KEY")`.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from dej_platform.bronze.brightdata import (
    API_URL_ENV,
    DEFAULT_API_URL,
    LINKEDIN_JOBS_DATASET_ID,
    BrightDataClient,
)
from dej_platform.bronze.landing import RECOVER_AFTER

if TYPE_CHECKING:
    from dej_platform.bronze.emulator import RunningEmulator

LOCAL_EMULATOR_KEY = "local-emulator-key"
_local_emulator: RunningEmulator | None = None
_local_lock = threading.Lock()


def local_emulator_url(seed: int = 0, history_hours: int = 48) -> str:
    """Start (once per process) the in-process emulator and return its URL."""
    global _local_emulator
    with _local_lock:
        if _local_emulator is None:
            from dej_platform.bronze.emulator import start_emulator
            from dej_platform.bronze.feeds import load_feed_registry
            from dej_platform.bronze.geo import load_geo_catalog

            try:
                registry = load_feed_registry()
                geo = load_geo_catalog()
                history = [
                    (f.discover_by, list(f.trigger_request(geo).inputs)) for f in registry.feeds if f.enabled
                ]
            except ValueError:  # a broken registry fails in the asset with a clear message, not here
                history = []
            _local_emulator = start_emulator(seed=seed, history=history, history_hours=history_hours)
        return _local_emulator.url


class BrightDataResource(dg.ConfigurableResource):
    """Bright Data Web Scraper API access for the bronze assets."""

    api_key: str = Field(
        default="", description="Bearer key; from EnvVar('BRIGHTDATA_API_KEY') outside local."
    )
    api_url: str | None = Field(
        default=None, description=f"API base URL; default ${API_URL_ENV}, else {DEFAULT_API_URL}."
    )
    dataset_id: str = Field(default=LINKEDIN_JOBS_DATASET_ID, description="LinkedIn job listings dataset.")
    poll_interval_s: float = Field(default=30.0, gt=0, description="Seconds between progress polls.")
    deadline_s: float = Field(default=1800.0, gt=0, description="Give up on a snapshot after this long.")
    recover_after_hours: float = Field(
        default=RECOVER_AFTER.total_seconds() / 3600,
        ge=0,
        description="Hours older than this (after they end) are recovered, not triggered.",
    )
    download_attempts: int = Field(
        default=3, ge=1, description="Tries per snapshot download (a broken stream restarts from scratch)."
    )
    use_local_emulator: bool = Field(
        default=False, description="Start an in-process emulator when no API URL is configured (local only)."
    )
    emulator_seed: int = Field(default=0, description="Seed of the in-process emulator's generated postings.")

    def resolved_api_url(self) -> str:
        url = self.api_url or os.environ.get(API_URL_ENV)
        if not url and self.use_local_emulator:
            return local_emulator_url(self.emulator_seed)
        return url or DEFAULT_API_URL

    def get_client(self) -> BrightDataClient:
        key = self.api_key
        if not key and self.use_local_emulator:
            key = LOCAL_EMULATOR_KEY  # the emulator accepts any non-empty key
        return BrightDataClient(key, api_url=self.resolved_api_url())


def bright_data_resource_for(env: str) -> BrightDataResource:
    """Resource key `brightdata`. local: emulator unless BRIGHTDATA_API_URL is set; dev/prod: the real API."""
    if env == "local":
        if os.environ.get("BRIGHTDATA_API_KEY"):  # a real key pointed at a real URL still works locally
            return BrightDataResource(
                api_key=dg.EnvVar("BRIGHTDATA_API_KEY"),
                use_local_emulator=True,
                poll_interval_s=0.5,
                deadline_s=300.0,
            )
        return BrightDataResource(use_local_emulator=True, poll_interval_s=0.5, deadline_s=300.0)
    return BrightDataResource(api_key=dg.EnvVar("BRIGHTDATA_API_KEY"))
