"""Asset checks for every layer, one partition at a time, reading the lake through `LakeResource`.

Each check declares the `partitions_def` of its asset, so it reads only the partition being materialized (without it
Dagster would treat the check as unpartitioned and a check reading "the asset" would see every partition). The
structural checks are `blocking`: a failed ERROR check stops downstream assets (and so Gold) in the same run.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
import polars as pl

from dej_platform.lake import Lake
from dej_platform.partitions import (
    bronze_partitions,
    daily_partitions,
    hour_partition_values,
    hourly_partitions,
)
from dej_platform.quality.checks import (
    QualityResult,
    check_allowed_values,
    check_bronze_lines,
    check_enrichment_failure_rate,
    check_freshness,
    check_null_rates,
    check_schema,
    check_unique,
)
from dej_platform.quality.config import QualityConfig, load_quality_config
from dej_platform.resources import LakeResource
from dej_platform.silver.schema import (
    EMPLOYMENT_TYPE_VALUES,
    JOB_POSTINGS_CURRENT_SCHEMA,
    JOB_POSTINGS_SCHEMA,
    QUARANTINE_SCHEMA,
    SENIORITY_VALUES,
)

BRONZE_KEY = dg.AssetKey(["bronze", "linkedin_jobs"])
SILVER_KEY = dg.AssetKey(["silver", "job_postings"])
QUARANTINE_KEY = dg.AssetKey(["silver", "job_postings_quarantine"])
CURRENT_KEY = dg.AssetKey(["silver", "job_postings_current"])
ENRICHMENT_KEY = dg.AssetKey(["silver_ai", "job_enrichment"])
HIVE = ("dt", "hr", "feed")
ENRICHMENT_UNIQUE_KEY = ("job_posting_id", "provider", "model_id")


def _config() -> QualityConfig:
    return load_quality_config()


def check_result(
    result: QualityResult, severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR
) -> dg.AssetCheckResult:
    """A pure `QualityResult` as a Dagster check result; details become JSON metadata."""
    return dg.AssetCheckResult(
        passed=result.passed,
        severity=severity,
        description=result.summary,
        metadata={"summary": result.summary, "details": dg.MetadataValue.json(_jsonable(result.details))},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _read(lake: Lake, layer: str, table: str, partition: dict[str, str]) -> pl.DataFrame:
    frame = lake.read_table(layer, table, [partition])
    return frame.drop([c for c in HIVE if c in frame.columns])


def _hour(context: dg.AssetCheckExecutionContext) -> dict[str, str]:
    return hour_partition_values(context.partition_key)


def _day(context: dg.AssetCheckExecutionContext) -> dict[str, str]:
    return {"dt": context.partition_key}


def _bronze_partition(context: dg.AssetCheckExecutionContext) -> dict[str, str]:
    key = context.partition_key
    dims = (
        key.keys_by_dimension
        if isinstance(key, dg.MultiPartitionKey)
        else bronze_partitions.get_partition_key_from_str(key).keys_by_dimension
    )
    return {**hour_partition_values(dims["hour"]), "feed": dims["feed"]}


def _bronze_lines(lake: Lake, partition: Mapping[str, str]) -> list[bytes]:
    import gzip

    lines: list[bytes] = []
    for file in lake.list_files("bronze", "linkedin_jobs", partition):
        data = lake.read_bytes(file)
        if file.key.endswith(".gz"):
            data = gzip.decompress(data)
        lines.extend(data.split(b"\n"))
    return lines


# -- bronze -------------------------------------------------------------------------------------------------------


@dg.asset_check(asset=BRONZE_KEY, name="records_parse", partitions_def=bronze_partitions, blocking=True)
def bronze_records_parse(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    """The delivery has records and few lines that are not JSON objects."""
    lines = _bronze_lines(lake.get_lake(), _bronze_partition(context))
    return check_result(check_bronze_lines(lines, _config().max_bronze_unparseable_rate))


# -- silver/job_postings ------------------------------------------------------------------------------------------


@dg.asset_check(
    asset=SILVER_KEY, name="schema_matches_contract", partitions_def=hourly_partitions, blocking=True
)
def silver_schema(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings", _hour(context))
    return check_result(check_schema(frame.schema, JOB_POSTINGS_SCHEMA))


@dg.asset_check(
    asset=SILVER_KEY, name="job_posting_id_unique", partitions_def=hourly_partitions, blocking=True
)
def silver_unique(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings", _hour(context))
    return check_result(check_unique(frame))


@dg.asset_check(
    asset=SILVER_KEY, name="key_field_null_rates", partitions_def=hourly_partitions, blocking=True
)
def silver_nulls(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings", _hour(context))
    return check_result(check_null_rates(frame, _config().null_limits("silver/job_postings")))


@dg.asset_check(asset=SILVER_KEY, name="vocabularies", partitions_def=hourly_partitions, blocking=True)
def silver_vocabularies(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings", _hour(context))
    results = [
        check_allowed_values(frame, "seniority", SENIORITY_VALUES),
        check_allowed_values(frame, "employment_type", EMPLOYMENT_TYPE_VALUES),
    ]
    merged = QualityResult(
        "vocabularies",
        all(r.passed for r in results),
        "; ".join(r.summary for r in results),
        {r.name: r.details for r in results},
    )
    return check_result(merged)


# -- quarantine ---------------------------------------------------------------------------------------------------


@dg.asset_check(
    asset=QUARANTINE_KEY, name="schema_matches_contract", partitions_def=hourly_partitions, blocking=True
)
def quarantine_schema(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings_quarantine", _hour(context))
    if frame.width == 0:  # nothing quarantined this hour: an empty partition has no columns to check
        return check_result(QualityResult("schema", True, "no quarantined rows this hour"))
    return check_result(check_schema(frame.schema, QUARANTINE_SCHEMA))


@dg.asset_check(asset=QUARANTINE_KEY, name="reasons_present", partitions_def=hourly_partitions, blocking=True)
def quarantine_reasons(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings_quarantine", _hour(context))
    if frame.width == 0:
        return check_result(QualityResult("null_rates", True, "no quarantined rows this hour"))
    return check_result(check_null_rates(frame, _config().null_limits("silver/job_postings_quarantine")))


# -- silver/job_postings_current ----------------------------------------------------------------------------------


@dg.asset_check(
    asset=CURRENT_KEY, name="schema_matches_contract", partitions_def=daily_partitions, blocking=True
)
def current_schema(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings_current", _day(context))
    return check_result(check_schema(frame.schema, JOB_POSTINGS_CURRENT_SCHEMA))


@dg.asset_check(
    asset=CURRENT_KEY, name="job_posting_id_unique", partitions_def=daily_partitions, blocking=True
)
def current_unique(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings_current", _day(context))
    return check_result(check_unique(frame))


@dg.asset_check(
    asset=CURRENT_KEY, name="key_field_null_rates", partitions_def=daily_partitions, blocking=True
)
def current_nulls(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver", "job_postings_current", _day(context))
    return check_result(check_null_rates(frame, _config().null_limits("silver/job_postings_current")))


# -- silver_ai/job_enrichment -------------------------------------------------------------------------------------


def enrichment_contract() -> dict[str, pl.DataType] | None:
    """The enrichment table's declared schema, once `dej_platform.enrichment.flatten` provides it."""
    try:
        from dej_platform.enrichment.flatten import enrichment_schema  # type: ignore[import-not-found]
    except ImportError:
        return None
    return dict(enrichment_schema())


@dg.asset_check(
    asset=ENRICHMENT_KEY, name="schema_matches_contract", partitions_def=hourly_partitions, blocking=True
)
def enrichment_schema_check(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> dg.AssetCheckResult:
    contract = enrichment_contract()
    if contract is None:
        return check_result(
            QualityResult("schema", False, "enrichment schema contract not available to check against"),
            dg.AssetCheckSeverity.WARN,
        )
    frame = _read(lake.get_lake(), "silver_ai", "job_enrichment", _hour(context))
    return check_result(check_schema(frame.schema, contract))


@dg.asset_check(
    asset=ENRICHMENT_KEY, name="job_model_unique", partitions_def=hourly_partitions, blocking=True
)
def enrichment_unique(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    """One row per job per provider/model in the hour (several models may legitimately enrich one job)."""
    frame = _read(lake.get_lake(), "silver_ai", "job_enrichment", _hour(context))
    keys = [k for k in ENRICHMENT_UNIQUE_KEY if k in frame.columns or k == "job_posting_id"]
    return check_result(check_unique(frame, keys))


@dg.asset_check(
    asset=ENRICHMENT_KEY, name="key_field_null_rates", partitions_def=hourly_partitions, blocking=True
)
def enrichment_nulls(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver_ai", "job_enrichment", _hour(context))
    return check_result(check_null_rates(frame, _config().null_limits("silver_ai/job_enrichment")))


@dg.asset_check(asset=ENRICHMENT_KEY, name="failure_rate", partitions_def=hourly_partitions, blocking=True)
def enrichment_failures(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    frame = _read(lake.get_lake(), "silver_ai", "job_enrichment", _hour(context))
    return check_result(check_enrichment_failure_rate(frame, _config().max_enrichment_failure_rate))


# -- freshness ----------------------------------------------------------------------------------------------------


def latest_silver_hour(lake: Lake) -> datetime | None:
    """Newest `scraped_at` in the newest silver hour partition on disk."""
    partitions = sorted(
        {
            tuple(seg.split("=", 1)[1] for seg in f.key.split("/")[2:4])
            for f in lake.list_files("silver", "job_postings", suffix=".parquet")
            if "/dt=" in f.key and "/hr=" in f.key
        }
    )
    if not partitions:
        return None
    dt, hr = partitions[-1]
    frame = _read(lake, "silver", "job_postings", {"dt": dt, "hr": hr})
    if "scraped_at" in frame.columns and frame.height and frame.get_column("scraped_at").max() is not None:
        return frame.get_column("scraped_at").max()  # type: ignore[return-value]
    return datetime.strptime(f"{dt} {hr}", "%Y-%m-%d %H").replace(tzinfo=UTC)


def freshness_check_for(now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=SILVER_KEY, name="latest_hour_fresh", blocking=False)
    def latest_hour_fresh(lake: LakeResource) -> dg.AssetCheckResult:
        """Unpartitioned on purpose: it asks about the newest hour on disk, whichever it is (WARN only)."""
        result = check_freshness(
            latest_silver_hour(lake.get_lake()), now(), timedelta(hours=_config().freshness_max_age_hours)
        )
        return check_result(result, dg.AssetCheckSeverity.WARN)

    return latest_hour_fresh


silver_freshness = freshness_check_for()

PARTITIONED_CHECKS = [
    bronze_records_parse,
    silver_schema,
    silver_unique,
    silver_nulls,
    silver_vocabularies,
    quarantine_schema,
    quarantine_reasons,
    current_schema,
    current_unique,
    current_nulls,
    enrichment_schema_check,
    enrichment_unique,
    enrichment_nulls,
    enrichment_failures,
]
