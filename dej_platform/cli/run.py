"""`dej run`: the main job. Drives the whole graph for the last hours, then says where the results are.

It runs the same jobs the sensor and automation run in production (`bronze_job` per feed and hour, `hourly_job`
per hour, `daily_job` per day), in order, on a persistent Dagster instance (`$DAGSTER_HOME`, by default
`.dagster_home` in the checkout) so that `make dev` shows every run afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


@dataclass
class RunReport:
    succeeded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def record(self, label: str, ok: bool) -> None:
        (self.succeeded if ok else self.failed).append(label)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run", help="run the whole graph for the last hours (what `make run` does)"
    )
    parser.add_argument(
        "--hours", type=int, default=3, help="how many hourly partitions to process (default 3)"
    )
    parser.add_argument(
        "--end", help="last hour to process, as a Dagster key YYYY-MM-DD-HH:00 (default: last full hour)"
    )
    parser.add_argument("--feeds", nargs="*", help="feed ids (default: every enabled hourly feed)")
    parser.set_defaults(func=run_command)


def _instance() -> Any:
    import dagster as dg

    from dej_platform.settings import project_root

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(project_root() / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        template = project_root() / "infra" / "dagster" / "local.yaml"
        config.write_text(template.read_text() if template.exists() else "telemetry:\n  enabled: false\n")
    return dg.DagsterInstance.get()


def target_hours(end: str | None, count: int, now: datetime | None = None) -> list[datetime]:
    """The `count` hours ending at `end` (default: the last complete UTC hour), oldest first."""
    from dej_platform.partitions import hour_start

    if count < 1:
        raise ValueError("--hours must be at least 1")
    if end:
        last = hour_start(end)
    else:
        now = (now or datetime.now(UTC)).astimezone(UTC)
        last = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    return [last - timedelta(hours=i) for i in reversed(range(count))]


# Step-level events go to the instance (see them in `make dev`); the terminal shows warnings and the summary.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def run_command(args: argparse.Namespace) -> int:
    import warnings

    import dagster as dg

    for category in (dg.BetaWarning, dg.PreviewWarning):
        warnings.filterwarnings("ignore", category=category)

    from dej_platform.bronze.feeds import load_feed_registry
    from dej_platform.partitions import hour_key
    from dej_platform.settings import current_env

    started = time.monotonic()
    env = current_env()
    instance = _instance()
    from dej_platform.definitions import defs

    registry = load_feed_registry()
    feeds = args.feeds or [f.id for f in registry.enabled() if f.cadence.kind == "hourly"]
    unknown = [f for f in feeds if f not in registry.ids]
    if unknown:
        print(f"unknown feeds {unknown}; known: {registry.ids}", file=sys.stderr)
        return 2
    hours = target_hours(args.end, args.hours)
    new_feeds = [f for f in feeds if not instance.has_dynamic_partition("feeds", f)]
    if new_feeds:
        instance.add_dynamic_partitions("feeds", new_feeds)
    print(
        f"dej run: env={env}, {len(hours)} hour(s) {hour_key(hours[0])} .. {hour_key(hours[-1])}, feeds {feeds}"
    )

    report = RunReport()
    bronze_job = defs.resolve_job_def("bronze_job")
    hourly_job = defs.resolve_job_def("hourly_job")
    daily_job = defs.resolve_job_def("daily_job")
    for hour in hours:
        for feed in feeds:
            key = dg.MultiPartitionKey({"feed": feed, "hour": hour_key(hour)})
            result = bronze_job.execute_in_process(
                partition_key=key, instance=instance, raise_on_error=False, run_config=QUIET_RUN_CONFIG
            )
            report.record(f"bronze {feed} {hour_key(hour)}", result.success)
            print(f"  bronze   {feed:<40} {hour_key(hour)}  {'ok' if result.success else 'FAILED'}")
        result = hourly_job.execute_in_process(
            partition_key=hour_key(hour), instance=instance, raise_on_error=False, run_config=QUIET_RUN_CONFIG
        )
        report.record(f"hourly {hour_key(hour)}", result.success)
        print(f"  silver+ai {hour_key(hour):<39}  {'ok' if result.success else 'FAILED'}")
    for day in sorted({h.strftime("%Y-%m-%d") for h in hours}):
        result = daily_job.execute_in_process(
            partition_key=day, instance=instance, raise_on_error=False, run_config=QUIET_RUN_CONFIG
        )
        report.record(f"daily {day}", result.success)
        print(f"  daily    {day:<40}  {'ok' if result.success else 'FAILED'}")

    _print_summary(hours, time.monotonic() - started)
    if report.failed:
        print(f"\n{len(report.failed)} run(s) failed: {', '.join(report.failed)}", file=sys.stderr)
        print("Open `make dev` to see their logs.", file=sys.stderr)
        return 1
    return 0


def _print_summary(hours: list[datetime], seconds: float) -> None:
    import polars as pl

    from dej_platform.lake import Lake
    from dej_platform.partitions import hour_key, hour_partition_values
    from dej_platform.settings import default_lake_url

    lake = Lake(default_lake_url())
    parts = [hour_partition_values(hour_key(h)) for h in hours]

    def rows(layer: str, table: str, partitions: list[dict[str, str]] | None) -> int:
        return int(lake.scan_table(layer, table, partitions).select(pl.len()).collect().item() or 0)

    bronze_files = [f for p in parts for f in lake.list_files("bronze", "linkedin_jobs", p)]
    print(f"\nDone in {seconds:.0f}s. Lake: {lake.root_uri}")
    print(
        f"  bronze/linkedin_jobs          {len(bronze_files)} snapshot file(s), "
        f"{sum(f.size for f in bronze_files) / 1e6:.1f} MB"
    )
    for layer, table, scoped in (
        ("silver", "job_postings", True),
        ("silver", "job_postings_quarantine", True),
        ("silver", "job_postings_current", False),
        ("silver_ai", "job_enrichment", True),
    ):
        print(f"  {layer}/{table:<30} {rows(layer, table, parts if scoped else None):,} rows")
    gold_tables = lake.list_tables("gold")
    print(f"  gold                          {len(gold_tables)} table(s): {', '.join(gold_tables)}")
    reports = lake.list_files("gold", "market_report", suffix=".html")
    if reports:
        print(f"  market report                 {reports[-1].uri}")
    print('  Query it: .venv/bin/dej sql "SELECT * FROM fact_job_postings LIMIT 5"   UI: make dev')
