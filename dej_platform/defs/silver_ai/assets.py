"""`silver_ai/job_enrichment`: the hour's silver postings through the three enrichment passes."""

from collections import Counter

import dagster as dg
import polars as pl

from dej_platform.enrichment.flatten import outcomes_to_frame
from dej_platform.enrichment.job import INPUT_COLUMNS, jobs_from_frame
from dej_platform.metadata import markdown_table, table_metadata
from dej_platform.partitions import hourly_partitions, hours_in_window
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
        backfill_policy=dg.BackfillPolicy.single_run(),
        description="Three-pass enrichment (facts, inferences, analysis) of the hour's silver postings, flattened.",
    )
    def job_enrichment(
        context: dg.AssetExecutionContext, lake: LakeResource, enrichment: EnrichmentResource
    ) -> dg.MaterializeResult:
        the_lake = lake.get_lake()
        # A single-run backfill hands this step a range of hours; each hour is enriched and written on its own,
        # with one runner so the cache, rate limits and the run's budget span the whole range.
        window = context.partition_time_window
        partitions = hours_in_window(window.start, window.end)
        runner = enrichment.build_runner(the_lake)
        frames, writes, counts = [], [], Counter()
        input_rows = cache_hits = cache_writes = budget_refusals = 0
        spent_usd = 0.0
        breaker_opens: Counter[str] = Counter()
        for partition in partitions:
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
            report = runner.run(jobs)
            hour_frame = outcomes_to_frame(report.outcomes)
            writes.append(the_lake.write_table(hour_frame, "silver_ai", "job_enrichment", partition))
            frames.append(hour_frame)
            counts.update(report.status_counts())
            input_rows += len(jobs)
            cache_hits += report.cache_hits
            cache_writes += report.cache_writes
            budget_refusals += report.budget_refusals
            spent_usd += report.spent_usd
            breaker_opens.update(report.breaker_opens)
            context.log.info(f"{partition}: enriched {len(jobs)} jobs with {enrichment.provider}")
        frame = pl.concat(frames, how="vertical_relaxed")
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
        metadata = table_metadata(frame, writes, preview_columns=PREVIEW_COLUMNS)
        metadata.update(
            {
                "input_rows": input_rows,
                "hours": len(partitions),
                "provider": enrichment.provider,
                "model_id": enrichment.resolved_model_id(),
                "prompt_version": enrichment.prompt_version,
                "status_counts": dg.MetadataValue.json(dict(counts)),
                "status_table": dg.MetadataValue.md(markdown_table(status_table, max_rows=20)),
                "jobs_fully_enriched": int(
                    frame.filter(
                        pl.all_horizontal(
                            pl.col(f"pass{p}_status").is_in(["success", "cached"]) for p in (1, 2, 3)
                        )
                    ).height
                ),
                "cache_hits": cache_hits,
                "cache_writes": cache_writes,
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "cost_usd": dg.MetadataValue.float(round(spent_usd, 6)),
                "budget_usd": dg.MetadataValue.float(enrichment.budget_usd)
                if enrichment.budget_usd
                else "none",
                "budget_refusals": budget_refusals,
                "breaker_opens": dg.MetadataValue.json(dict(breaker_opens)),
            }
        )
        return dg.MaterializeResult(metadata=metadata)

    return job_enrichment
