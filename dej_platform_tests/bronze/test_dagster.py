"""The bronze asset through Dagster (materialize with real resources against the emulator) and the feeds sensor."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from dej_platform.bronze.emulator import start_emulator
from dej_platform.bronze.feeds import load_feed_registry
from dej_platform.bronze.geo import load_geo_catalog
from dej_platform.defs.bronze.assets import BRONZE_ASSET_KEY, linkedin_jobs
from dej_platform.defs.bronze.resources import BrightDataResource, bright_data_resource_for
from dej_platform.defs.bronze.sensors import build_bronze_feeds_sensor, due_hours
from dej_platform.partitions import hour_key
from dej_platform.resources import LakeResource
from dej_platform_tests.bronze.conftest import SECRET_KEY

FEED = "engenheiro_dados_brazil"


def _last_complete_hour(hours_back: int = 1) -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours_back)


def _materialize(tmp_path: Path, url: str, hour: datetime, instance: dg.DagsterInstance, feed: str = FEED):
    instance.add_dynamic_partitions("feeds", [feed])
    return dg.materialize(
        [linkedin_jobs],
        partition_key=dg.MultiPartitionKey({"feed": feed, "hour": hour_key(hour)}),
        resources={
            "lake": LakeResource(url=str(tmp_path)),
            "brightdata": BrightDataResource(
                api_url=url, api_key=SECRET_KEY, poll_interval_s=0.01, deadline_s=5
            ),
        },
        instance=instance,
    )


def _metadata(result: dg.ExecuteInProcessResult) -> dict:
    (event,) = result.get_asset_materialization_events()
    return {k: v.value for k, v in event.materialization.metadata.items()}


def _landed(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.rglob("*.jsonl"))


@pytest.mark.slow  # two Dagster runs: ~2 s
def test_materialize_twice_leaves_one_copy_with_full_metadata(tmp_path):
    hour = _last_complete_hour()
    instance = dg.DagsterInstance.ephemeral()
    # empty_rate=0: the hour comes from the clock, and in ~6% of hours the feed's one input comes back empty
    with start_emulator(seed=8, empty_rate=0.0) as emu:
        first = _materialize(tmp_path, emu.url, hour, instance)
        second = _materialize(tmp_path, emu.url, hour, instance)
    assert first.success and second.success
    meta = _metadata(second)
    files = _landed(tmp_path)
    assert len(files) == 1 and meta["snapshot_ids"] == [
        files[0].name.removeprefix("snapshot-").removesuffix(".jsonl")
    ]
    assert files[0].parent.relative_to(tmp_path).as_posix() == (
        f"bronze/linkedin_jobs/dt={hour:%Y-%m-%d}/hr={hour:%H}/feed={FEED}"
    )
    assert meta["outcome"] == "data" and meta["mode"] == "trigger"
    assert meta["record_count"] + meta["error_row_count"] == len(files[0].read_bytes().splitlines())
    assert meta["bytes"] == files[0].stat().st_size and meta["duration_s"] >= 0
    assert meta["input_count"] == 1 and "106057199" in json.dumps(meta["inputs"])
    assert meta["replaced_files"] == 1
    assert SECRET_KEY not in json.dumps(meta, default=str)


def test_truncated_download_fails_the_run_and_leaves_no_file(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    with start_emulator(seed=8, faults="truncate") as emu:
        result = dg.materialize(
            [linkedin_jobs],
            partition_key=dg.MultiPartitionKey({"feed": FEED, "hour": hour_key(_last_complete_hour())}),
            resources={
                "lake": LakeResource(url=str(tmp_path)),
                "brightdata": BrightDataResource(
                    api_url=emu.url, api_key=SECRET_KEY, poll_interval_s=0.01, download_attempts=1
                ),
            },
            instance=_with_feed(instance),
            raise_on_error=False,
        )
    assert not result.success
    assert list(tmp_path.rglob("*")) == [] or all(p.is_dir() for p in tmp_path.rglob("*"))
    errors = [e.event_specific_data.error for e in result.all_events if e.is_step_failure]
    failure = " ".join(err.to_string() + (err.cause.to_string() if err.cause else "") for err in errors)
    assert "TruncatedDownloadError" in failure and "is truncated" in failure and SECRET_KEY not in failure


def _with_feed(instance: dg.DagsterInstance) -> dg.DagsterInstance:
    instance.add_dynamic_partitions("feeds", [FEED])
    return instance


@pytest.mark.parametrize(("fault", "outcome"), [("errors_only", "errors_only"), ("empty", "empty")])
def test_empty_and_error_only_snapshots_succeed_with_their_outcome(tmp_path, fault, outcome):
    with start_emulator(seed=8, faults=fault) as emu:
        result = _materialize(tmp_path, emu.url, _last_complete_hour(), dg.DagsterInstance.ephemeral())
    meta = _metadata(result)
    assert result.success and meta["outcome"] == outcome and meta["record_count"] == 0


def test_backfill_of_a_past_hour_recovers_instead_of_triggering(tmp_path):
    request = load_feed_registry().get(FEED).trigger_request(load_geo_catalog())
    past = _last_complete_hour(8)
    # empty_rate=0: which past hour this is depends on the clock, and a feed's inputs can all come back empty
    with start_emulator(
        seed=8, history=[("url", list(request.inputs))], history_hours=24, empty_rate=0.0
    ) as emu:
        result = _materialize(tmp_path, emu.url, past, dg.DagsterInstance.ephemeral())
        posts = [r for r in emu.state.requests if r[0] == "POST"]
    meta = _metadata(result)
    assert meta["mode"] == "recover" and meta["outcome"] == "data" and not posts
    assert len(_landed(tmp_path)) == 1 and f"hr={past:%H}" in str(_landed(tmp_path)[0])


def test_local_resource_needs_no_key_and_no_server(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIGHTDATA_API_URL", raising=False)
    monkeypatch.delenv("BRIGHTDATA_API_KEY", raising=False)
    resource = bright_data_resource_for("local")
    url = resource.resolved_api_url()
    assert url.startswith("http://127.0.0.1:")
    client = resource.get_client()
    assert client.list_snapshots()  # history of the registry's enabled feeds is there for recovery
    prod = bright_data_resource_for("prod")
    assert not prod.use_local_emulator


# -- sensor ---------------------------------------------------------------------------------------------------

REGISTRY = """
feeds:
  - {{id: hourly_a, cadence: hourly, discover_by: url, keywords: [data engineer], places: [worldwide]}}
  - {{id: daily_b, cadence: "daily at 06", discover_by: url, keywords: [data engineer], places: [brazil],
     time_range: past_24_hours}}
  - {{id: manual_c, cadence: on_demand, discover_by: url, keywords: [data engineer], places: [brazil]}}
  - {{id: off_d, enabled: false, cadence: hourly, discover_by: url, keywords: [x], places: [brazil]}}
{extra}
"""


def _sensor(tmp_path: Path, now: datetime, extra: str = ""):
    path = tmp_path / "feeds.yaml"
    path.write_text(REGISTRY.format(extra=extra))
    return build_bronze_feeds_sensor(clock=lambda: now, registry_loader=lambda: load_feed_registry(path))


def _tick(sensor, instance, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor)
    result = sensor(context)
    for request in result.dynamic_partitions_requests or []:  # what the daemon would apply
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def _requested(result) -> list[tuple[str, str]]:
    return [
        (r.partition_key.keys_by_dimension["feed"], r.partition_key.keys_by_dimension["hour"])
        for r in result.run_requests or []
    ]


def test_first_tick_syncs_feeds_and_requests_the_last_hour(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    now = datetime(2026, 3, 10, 6, 5, tzinfo=UTC)
    result = _tick(_sensor(tmp_path, now), instance)
    assert sorted(instance.get_dynamic_partitions("feeds")) == ["daily_b", "hourly_a", "manual_c", "off_d"]
    assert _requested(result) == [("hourly_a", "2026-03-10-05:00")]
    assert result.cursor == "2026-03-10-05:00"
    assert result.run_requests[0].asset_selection in (None, [BRONZE_ASSET_KEY])


def test_due_partitions_are_requested_once_and_missed_hours_caught_up(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    first = _tick(_sensor(tmp_path, datetime(2026, 3, 10, 5, 5, tzinfo=UTC)), instance)
    again = _tick(_sensor(tmp_path, datetime(2026, 3, 10, 5, 50, tzinfo=UTC)), instance, first.cursor)
    assert not again.run_requests and again.cursor == first.cursor
    later = _tick(_sensor(tmp_path, datetime(2026, 3, 10, 8, 3, tzinfo=UTC)), instance, again.cursor)
    assert sorted(_requested(later)) == [
        ("daily_b", "2026-03-10-06:00"),
        ("hourly_a", "2026-03-10-05:00"),
        ("hourly_a", "2026-03-10-06:00"),
        ("hourly_a", "2026-03-10-07:00"),
    ]
    assert later.cursor == "2026-03-10-07:00"
    keys = [r.run_key for r in (first.run_requests or []) + list(later.run_requests)]
    assert len(keys) == len(set(keys))


def test_settle_delay_and_catch_up_cap():
    assert due_hours(datetime(2026, 3, 10, 6, 1, tzinfo=UTC), None) == [datetime(2026, 3, 10, 4, tzinfo=UTC)]
    hours = due_hours(datetime(2026, 3, 12, 6, 30, tzinfo=UTC), "2026-03-10-05:00")
    assert len(hours) == 6 and hours[-1] == datetime(2026, 3, 12, 5, tzinfo=UTC)


def test_feeds_added_and_removed(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("feeds", ["hourly_a", "retired_feed"])
    now = datetime(2026, 3, 10, 10, 5, tzinfo=UTC)
    extra = (
        "  - {id: new_e, cadence: hourly, discover_by: url, keywords: [data engineer], places: [worldwide]}"
    )
    result = _tick(_sensor(tmp_path, now, extra), instance, cursor="2026-03-10-08:00")
    partitions = set(instance.get_dynamic_partitions("feeds"))
    assert "retired_feed" not in partitions and {"new_e", "daily_b", "manual_c", "off_d"} <= partitions
    assert sorted(_requested(result)) == [("hourly_a", "2026-03-10-09:00"), ("new_e", "2026-03-10-09:00")]
