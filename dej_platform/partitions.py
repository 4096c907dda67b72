"""Partition definitions shared by every layer: UTC everywhere, hour x feed for bronze.

Dagster's hourly keys contain ':' (`2026-01-01-05:00`), which breaks Spark and Glue paths, so keys are turned
into Hive values (`dt=2026-01-01/hr=05`) here and nowhere else.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import dagster as dg

PARTITIONS_START = os.environ.get("DEJ_PARTITIONS_START", "2026-01-01")
HOUR_KEY_FORMAT = "%Y-%m-%d-%H:%M"
DAY_KEY_FORMAT = "%Y-%m-%d"

hourly_partitions = dg.HourlyPartitionsDefinition(start_date=f"{PARTITIONS_START}-00:00", timezone="UTC")
# end_offset=1: today's partition exists, so the current day's tables and report refresh as its hours land.
daily_partitions = dg.DailyPartitionsDefinition(start_date=PARTITIONS_START, timezone="UTC", end_offset=1)
feed_partitions = dg.DynamicPartitionsDefinition(name="feeds")
bronze_partitions = dg.MultiPartitionsDefinition({"feed": feed_partitions, "hour": hourly_partitions})


def hour_start(hour_key: str) -> datetime:
    return datetime.strptime(hour_key, HOUR_KEY_FORMAT).replace(tzinfo=UTC)


def hour_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(HOUR_KEY_FORMAT)


def hour_partition_values(hour_key: str) -> dict[str, str]:
    """`2026-01-01-05:00` -> `{"dt": "2026-01-01", "hr": "05"}`."""
    start = hour_start(hour_key)
    return {"dt": start.strftime("%Y-%m-%d"), "hr": start.strftime("%H")}


def day_partition_values(day_key: str) -> dict[str, str]:
    datetime.strptime(day_key, DAY_KEY_FORMAT)  # refuse anything that is not a day key
    return {"dt": day_key}


def hours_of_day(day_key: str) -> list[dict[str, str]]:
    """The 24 hourly Hive partitions of a UTC day."""
    day = datetime.strptime(day_key, DAY_KEY_FORMAT).replace(tzinfo=UTC)
    return [hour_partition_values(hour_key(day + timedelta(hours=h))) for h in range(24)]


def hours_in_window(start: datetime, end: datetime) -> list[dict[str, str]]:
    """Hive partitions of every hour in [start, end): how a single-run backfill enumerates its range."""
    start = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    hours = []
    moment = start
    while moment < end:
        hours.append(hour_partition_values(hour_key(moment)))
        moment += timedelta(hours=1)
    return hours


def eager_with_lookback(lookback: timedelta = timedelta(days=2)) -> dg.AutomationCondition:
    """`eager()`, but over the last `lookback` of partitions instead of only the latest one.

    The daily partition of today exists (end_offset=1), so plain `eager()` would never revisit yesterday once its
    last hours land after midnight; this keeps yesterday (and today) in scope.
    """
    return dg.AutomationCondition.eager().replace(
        "in_latest_time_window", dg.AutomationCondition.in_latest_time_window(lookback_delta=lookback)
    )
