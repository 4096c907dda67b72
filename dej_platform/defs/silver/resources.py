"""Which engine builds silver: Polars in-process (default), a local Spark session, or Spark on AWS Glue."""

from __future__ import annotations

from typing import Any, Literal

import dagster as dg
from dagster_pyspark import LazyPySparkResource
from pydantic import Field

from dej_platform.lake import Lake
from dej_platform.silver.engine_polars import DEFAULT_BATCH_LINES
from dej_platform.silver.engine_spark import local_spark_config, prepare_local_spark_env
from dej_platform.silver.partition_run import HourResult, run_hour


class SilverEngineResource(dg.ConfigurableResource):
    """How silver hours are computed. `polars` and `spark` run here; `glue` runs the same job on AWS Glue."""

    engine: Literal["polars", "spark", "glue"] = Field(default="polars", description="polars | spark | glue")
    batch_lines: int = Field(
        default=DEFAULT_BATCH_LINES, description="Bronze lines per batch (bounds memory)."
    )
    workers: int = Field(default=1, description="Processes for the Polars engine's per-record rules.")
    pyspark: LazyPySparkResource = Field(
        default_factory=lambda: LazyPySparkResource(spark_config=local_spark_config()),
        description="dagster-pyspark resource holding the local Spark session (created on first use).",
    )
    glue_job_name: str | None = Field(default=None, description="Glue job running infra/glue/silver_job.py.")
    pipes_bucket: str | None = Field(
        default=None, description="S3 bucket for Dagster Pipes context/messages."
    )

    def run_hour(self, lake: Lake, hour: dict[str, str], spark: Any = None) -> HourResult:
        if self.engine == "glue":
            raise ValueError("the glue engine runs through Dagster Pipes (run_on_glue), not in this process")
        return run_hour(
            lake, hour, engine=self.engine, spark=spark, batch_lines=self.batch_lines, workers=self.workers
        )

    def run_on_glue(self, context: Any, lake_url: str, hours: list[dict[str, str]]) -> Any:
        """Run the hours on Glue through Dagster Pipes; the job reports the materializations."""
        import boto3
        from dagster_aws.pipes import PipesGlueClient, PipesS3ContextInjector, PipesS3MessageReader

        if not self.glue_job_name or not self.pipes_bucket:
            raise ValueError("the glue engine needs glue_job_name and pipes_bucket")
        s3 = boto3.client("s3")
        client = PipesGlueClient(
            client=boto3.client("glue"),
            context_injector=PipesS3ContextInjector(bucket=self.pipes_bucket, client=s3),
            message_reader=PipesS3MessageReader(bucket=self.pipes_bucket, client=s3),
        )
        return client.run(
            context=context,
            start_job_run_params={"JobName": self.glue_job_name},
            extras={"lake_url": lake_url, "hours": hours},
        ).get_results()

    def spark_session(self) -> Any:
        prepare_local_spark_env()
        return self.pyspark.spark_session


def silver_engine_resource_for(env: str) -> SilverEngineResource:
    """local and dev: Polars (set DEJ_SILVER_ENGINE=spark to try Spark); prod: Spark on Glue through Pipes."""
    import os

    if env == "prod":
        return SilverEngineResource(
            engine="glue",
            glue_job_name=dg.EnvVar("DEJ_GLUE_SILVER_JOB"),
            pipes_bucket=dg.EnvVar("DEJ_PIPES_BUCKET"),
        )
    if os.environ.get("DEJ_SILVER_ENGINE", "polars").strip().lower() == "spark":
        return SilverEngineResource(engine="spark")
    return SilverEngineResource(engine="polars")
