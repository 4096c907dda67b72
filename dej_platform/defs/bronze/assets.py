"""`bronze/linkedin_jobs`: one feed's Bright Data snapshot for one UTC hour, landed as delivered (NDJSON)."""

# No `from __future__ import annotations`: Dagster inspects the real annotation of `context`.

from datetime import timedelta

import dagster as dg

from dej_platform.bronze.feeds import load_feed_registry
from dej_platform.bronze.geo import load_geo_catalog
from dej_platform.bronze.landing import BRONZE_LAYER, BRONZE_TABLE, collect_feed_hour, describe_inputs
from dej_platform.defs.bronze.resources import BrightDataResource
from dej_platform.partitions import bronze_partitions, hour_start
from dej_platform.resources import LakeResource

BRONZE_ASSET_KEY = dg.AssetKey([BRONZE_LAYER, BRONZE_TABLE])
BRIGHTDATA_POOL = "brightdata"


@dg.asset(
    key=BRONZE_ASSET_KEY,
    partitions_def=bronze_partitions,
    pool=BRIGHTDATA_POOL,
    group_name="bronze",
    kinds={"python", "json"},
    description=(
        "Raw LinkedIn postings from Bright Data, one snapshot per (feed, UTC hour), byte-for-byte NDJSON at "
        "bronze/linkedin_jobs/dt=/hr=/feed=/snapshot-<id>.jsonl. Live hours trigger a collection; past hours "
        "recover the snapshot Bright Data made then. Reruns keep one copy."
    ),
)
def linkedin_jobs(
    context: dg.AssetExecutionContext, lake: LakeResource, brightdata: BrightDataResource
) -> dg.MaterializeResult:
    keys = context.partition_key.keys_by_dimension  # type: ignore[attr-defined]
    feed_id, hour_key = keys["feed"], keys["hour"]
    registry = load_feed_registry()
    feed = registry.get(feed_id)
    request = feed.trigger_request(load_geo_catalog(), brightdata.dataset_id or registry.dataset_id)
    start = hour_start(hour_key)
    client = brightdata.get_client()
    try:
        result = collect_feed_hour(
            client,
            lake.get_lake(),
            feed_id,
            request,
            start,
            poll_interval_s=brightdata.poll_interval_s,
            deadline_s=brightdata.deadline_s,
            recover_after=timedelta(hours=brightdata.recover_after_hours),
            download_attempts=brightdata.download_attempts,
        )
    finally:
        client.close()
    if result.outcome != "data":
        context.log.warning(f"feed {feed_id} hour {hour_key}: outcome {result.outcome} ({result.mode})")
    snapshots = result.snapshots
    metadata: dict[str, dg.RawMetadataValue] = {
        "outcome": result.outcome,
        "mode": result.mode,
        "feed": feed_id,
        "cadence": str(feed.cadence),
        "discover_by": feed.discover_by,
        "snapshot_ids": dg.MetadataValue.json([s.snapshot_id for s in snapshots]),
        "input_count": result.inputs,
        "inputs": dg.MetadataValue.json(describe_inputs(request)),
        "record_count": result.records,
        "error_row_count": result.error_rows,
        "unparseable_lines": sum(s.unparseable_lines for s in snapshots),
        "bytes": result.bytes,
        "duration_s": round(sum(s.duration_s for s in snapshots), 3),
        "paths": dg.MetadataValue.json([s.uri for s in snapshots]),
        "replaced_files": len(result.removed_files),
        "dagster/row_count": result.records,
    }
    if result.mode == "recover":
        metadata["recovery_candidates"] = result.candidates
    if snapshots:
        metadata["path"] = dg.MetadataValue.path(snapshots[0].uri)
    return dg.MaterializeResult(metadata=metadata)
