"""`silver_ai/job_enrichment`: the hour's silver postings through the three enrichment passes."""

import dagster as dg
import polars as pl

from dej_platform.enrichment.flatten import outcomes_to_frame
from dej_platform.enrichment.job import INPUT_COLUMNS, jobs_from_frame
from dej_platform.metadata import markdown_table, table_metadata
from dej_platform.partitions import hour_partition_values, hourly_partitions
from dej_platform.resources import LakeResource
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA

from .resources import EnrichmentResource

PREVIEW_COLUMNS = (
    "job_posting_id",
    "pass1_status",
    "pass2_status",
    "pass3_status",
    "ext_salary_min",
    "ext_work_model_stated",
    "ext_visa_sponsorship_stated",
    "inf_seniority_level",
)


def build_job_enrichment_asset(pool: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["silver_ai", "job_enrichment"],
        deps=[dg.AssetKey(["silver", "job_postings"])],
        partitions_def=hourly_partitions,
        group_name="silver_ai",
        pool=pool,
        kinds={"polars", "llm"},
        automation_condition=dg.AutomationCondition.eager(),
        description="Three-pass enrichment (facts, inferences, analysis) of the hour's silver postings, flattened.",
    )
    def job_enrichment(
        context: dg.AssetExecutionContext, lake: LakeResource, enrichment: EnrichmentResource
    ) -> dg.MaterializeResult:
        the_lake = lake.get_lake()
        partition = hour_partition_values(context.partition_key)
        silver = (
            the_lake.scan_table(
                "silver",
                "job_postings",
                partitions=[partition],
                schema={c: JOB_POSTINGS_SCHEMA[c] for c in INPUT_COLUMNS},
            )
            .select([c for c in INPUT_COLUMNS])
            .collect()
        )
        jobs = jobs_from_frame(silver)
        runner = enrichment.build_runner(the_lake)
        report = runner.run(jobs)
        frame = outcomes_to_frame(report.outcomes)
        write = the_lake.write_table(frame, "silver_ai", "job_enrichment", partition)
        counts = report.status_counts()
        context.log.info(f"enriched {len(jobs)} jobs with {enrichment.provider}: {counts}")
        tokens_in = int(sum(frame[f"pass{p}_tokens_in"].sum() for p in (1, 2, 3)))
        tokens_out = int(sum(frame[f"pass{p}_tokens_out"].sum() for p in (1, 2, 3)))
        status_table = (
            frame.unpivot(
                on=["pass1_status", "pass2_status", "pass3_status"], variable_name="pass", value_name="status"
            )
            .group_by("pass", "status")
            .len()
            .sort("pass", "status")
        )
        metadata = table_metadata(frame, [write], preview_columns=PREVIEW_COLUMNS)
        metadata.update(
            {
                "input_rows": len(jobs),
                "provider": enrichment.provider,
                "model_id": enrichment.resolved_model_id(),
                "prompt_version": enrichment.prompt_version,
                "status_counts": dg.MetadataValue.json(counts),
                "status_table": dg.MetadataValue.md(markdown_table(status_table, max_rows=20)),
                "jobs_fully_enriched": int(
                    frame.filter(
                        pl.all_horizontal(
                            pl.col(f"pass{p}_status").is_in(["success", "cached"]) for p in (1, 2, 3)
                        )
                    ).height
                ),
                "cache_hits": report.cache_hits,
                "cache_writes": report.cache_writes,
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "cost_usd": dg.MetadataValue.float(round(report.spent_usd, 6)),
                "budget_usd": dg.MetadataValue.float(enrichment.budget_usd)
                if enrichment.budget_usd
                else "none",
                "budget_refusals": report.budget_refusals,
                "breaker_opens": dg.MetadataValue.json(report.breaker_opens),
            }
        )
        return dg.MaterializeResult(metadata=metadata)

    return job_enrichment
