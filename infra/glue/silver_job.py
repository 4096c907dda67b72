"""The silver job on AWS Glue (Spark), launched by Dagster through Pipes.

Same rules as everywhere (`dej_platform.silver.pipeline.line_keys`, then `transform_lines` on the dedup winners,
inside `mapInArrow`), same dedup and counts as the local Spark engine; it writes straight to the S3 lake in its
Hive layout. Give the job `--conf spark.executorEnv.POLARS_MAX_THREADS=1` (one polars thread per Python worker, as
`engine_spark.PYTHON_WORKER_ENV` sets for local sessions). Glue runs it with the
`dej_platform` wheel on `--additional-python-modules`; Dagster passes the Pipes bootstrap arguments, and the
extras `lake_url` and `hours` (a list of `{"dt": ..., "hr": ...}`).

Locally it also runs without Pipes for a smoke test:
    python infra/glue/silver_job.py --lake-url /path/to/lake --hour 2026-01-01/05
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def run_hours(
    spark: Any, lake_url: str, hours: list[dict[str, str]], report: Any = None
) -> list[dict[str, Any]]:
    from dej_platform.lake import Lake
    from dej_platform.silver.engine_spark import SESSION_CONF, delete_path, run_spark_to_dirs
    from dej_platform.silver.partition_run import (
        COUNTS_FILE,
        QUARANTINE_TABLE,
        SILVER_LAYER,
        SILVER_TABLE,
        bronze_files_of_hour,
    )

    for key, value in SESSION_CONF.items():
        if not key.startswith("spark.ui"):
            spark.conf.set(key, value)
    lake = Lake(lake_url)
    results = []
    for hour in hours:
        files = [
            f.uri.replace("s3://", "s3a://") if "s3a" in lake_url else f.uri
            for f in bronze_files_of_hour(lake, hour)
        ]
        silver_dir = lake.uri(SILVER_LAYER, SILVER_TABLE, hour)
        quarantine_dir = lake.uri(SILVER_LAYER, QUARANTINE_TABLE, hour)
        scratch = f"{lake.root_uri}/.scratch/silver/dt={hour['dt']}/hr={hour['hr']}"
        if files:
            try:
                counts = run_spark_to_dirs(spark, files, silver_dir, quarantine_dir, scratch).as_dict()
            finally:
                delete_path(spark, scratch)
        else:
            counts = {
                "bronze_records": 0,
                "silver_rows": 0,
                "quarantined": 0,
                "duplicates_removed": 0,
                "error_rows": 0,
                "utf8_repaired": 0,
            }
        lake.write_bytes(
            SILVER_LAYER,
            SILVER_TABLE,
            hour,
            COUNTS_FILE,
            json.dumps({**counts, "bronze_files": files}, indent=2).encode(),
        )
        results.append({**hour, **counts})
        if report is not None:
            report(hour, counts)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lake-url")
    parser.add_argument("--hour", action="append", help="YYYY-MM-DD/HH (without Pipes)")
    args, _ = parser.parse_known_args()
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("dej-silver").getOrCreate()
    if args.lake_url:  # a plain run, no Dagster
        hours = [dict(zip(("dt", "hr"), h.split("/"), strict=True)) for h in args.hour or []]
        print(json.dumps(run_hours(spark, args.lake_url, hours)))
        return 0

    import boto3
    from dagster_pipes import (
        PipesCliArgsParamsLoader,
        PipesS3ContextLoader,
        PipesS3MessageWriter,
        open_dagster_pipes,
    )

    s3 = boto3.client("s3")
    with open_dagster_pipes(
        context_loader=PipesS3ContextLoader(s3),
        message_writer=PipesS3MessageWriter(s3),
        params_loader=PipesCliArgsParamsLoader(),
    ) as pipes:
        hours = pipes.get_extra("hours")
        lake_url = pipes.get_extra("lake_url")

        def report(hour: dict[str, str], counts: dict[str, int]) -> None:
            pipes.log.info(f"silver {hour}: {counts}")

        results = run_hours(spark, lake_url, hours, report)
        total = (
            {k: sum(r[k] for r in results) for k in results[0] if k not in ("dt", "hr")} if results else {}
        )
        pipes.report_asset_materialization(
            asset_key="silver/job_postings",
            metadata={**{f"count_{k}": v for k, v in total.items()}, "hours": len(results), "engine": "glue"},
        )
        pipes.report_asset_materialization(
            asset_key="silver/job_postings_quarantine",
            metadata={
                "dagster/row_count": total.get("quarantined", 0),
                "error_rows": total.get("error_rows", 0),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
