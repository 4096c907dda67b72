"""The feeds sensor: keeps the `feeds` dynamic partitions equal to the registry and requests every due
(hour, feed) once, with a run key per (feed, hour). Replaces the seed's EventBridge + SQS fan-out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import dagster as dg

from dej_platform.bronze.feeds import FeedRegistry, load_feed_registry
from dej_platform.defs.bronze.assets import BRONZE_ASSET_KEY
from dej_platform.partitions import feed_partitions, hour_key, hour_start, hourly_partitions

SENSOR_NAME = "bronze_feeds_sensor"
SETTLE = timedelta(minutes=2)  # let LinkedIn index the hour's last postings before asking for "past hour"
CATCH_UP_HOURS = 6  # after downtime, request at most this many missed hours; older ones are backfills


def due_hours(
    now: datetime, cursor: str | None, *, settle: timedelta = SETTLE, catch_up_hours: int = CATCH_UP_HOURS
) -> list[datetime]:
    """Completed hours not yet requested: after the cursor's hour, at most `catch_up_hours`, never before the
    partitions start. With no cursor, only the latest completed hour."""
    latest = (now - settle).astimezone(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    earliest = latest - timedelta(hours=catch_up_hours - 1)
    earliest = max(earliest, hour_start(cursor) + timedelta(hours=1)) if cursor else latest
    first_partition = hour_start(hourly_partitions.get_first_partition_key() or hour_key(latest))
    earliest = max(earliest, first_partition)
    hours = []
    moment = earliest
    while moment <= latest:
        hours.append(moment)
        moment += timedelta(hours=1)
    return hours


def run_key(feed_id: str, hour: datetime) -> str:
    return f"bronze:{feed_id}:{hour_key(hour)}"


def build_bronze_feeds_sensor(
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    registry_loader: Callable[[], FeedRegistry] = load_feed_registry,
    minimum_interval_seconds: int = 60,
    default_status: dg.DefaultSensorStatus = dg.DefaultSensorStatus.STOPPED,
) -> dg.SensorDefinition:
    """The sensor, with an injectable clock and registry (tests); `bronze_feeds_sensor` is the default one."""

    @dg.sensor(
        name=SENSOR_NAME,
        asset_selection=dg.AssetSelection.assets(BRONZE_ASSET_KEY),
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=default_status,
        description="Sync feed partitions from the feeds registry and request every due (hour, feed).",
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        registry = registry_loader()
        existing = set(context.instance.get_dynamic_partitions(feed_partitions.name or "feeds"))
        wanted = registry.ids
        to_add = [f for f in wanted if f not in existing]
        to_remove = sorted(existing - set(wanted))
        partition_requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
        if to_add:
            partition_requests.append(feed_partitions.build_add_request(to_add))
        if to_remove:
            partition_requests.append(feed_partitions.build_delete_request(to_remove))

        hours = due_hours(clock(), context.cursor)
        run_requests = [
            dg.RunRequest(
                run_key=run_key(feed.id, hour),
                partition_key=dg.MultiPartitionKey({"feed": feed.id, "hour": hour_key(hour)}),
                tags={"dej/feed": feed.id, "dej/hour": hour_key(hour)},
            )
            for hour in hours
            for feed in registry.due(hour)
        ]
        cursor = hour_key(hours[-1]) if hours else context.cursor
        if not run_requests and not partition_requests:
            return dg.SensorResult(skip_reason="no feed is due", cursor=cursor)
        if to_add or to_remove:
            context.log.info(f"feeds added: {to_add or '-'}; removed: {to_remove or '-'}")
        return dg.SensorResult(
            run_requests=run_requests, dynamic_partitions_requests=partition_requests, cursor=cursor
        )

    return _sensor


bronze_feeds_sensor = build_bronze_feeds_sensor()
