"""`silver_ai/consensus`: the day's multi-model agreement, and one blocking check per pass that gates Gold.

Pass 1 (facts) and pass 2 (classifications) fail with ERROR below their thresholds, which stops Gold in the same
run; pass 3 (subjective analysis) only warns. With fewer than two configured models the checks say consensus was
not evaluated and why (WARN), instead of passing silently.
"""

from typing import Any

import dagster as dg
import polars as pl

from dej_platform.consensus.evaluation import DayEvaluation, evaluate_day
from dej_platform.defs.consensus.resources import ConsensusResource
from dej_platform.lake import Lake
from dej_platform.metadata import markdown_table
from dej_platform.partitions import daily_partitions, day_partition_values, hours_of_day
from dej_platform.resources import LakeResource

CONSENSUS_KEY = dg.AssetKey(["silver_ai", "consensus"])
CURRENT_KEY = dg.AssetKey(["silver", "job_postings_current"])
ENRICHMENT_KEY = dg.AssetKey(["silver_ai", "job_enrichment"])
PASS_CHECK_NAMES = {1: "pass1_agreement", 2: "pass2_agreement", 3: "pass3_agreement"}
FIELDS_TABLE = "consensus_fields"
ANSWERS_TABLE = "consensus_answers"
REPORTS_TABLE = "consensus_reports"

PASS_CHECK_SPECS = [
    dg.AssetCheckSpec(
        name,
        asset=CONSENSUS_KEY,
        blocking=True,
        description=f"Pass {n} agreement across evaluation models is at least the configured threshold"
        + (" (WARN only: pass 3 is subjective)." if n == 3 else "; below it Gold does not run."),
    )
    for n, name in PASS_CHECK_NAMES.items()
]


def pass_check_results(evaluation: DayEvaluation) -> list[dg.AssetCheckResult]:
    """One result per pass from the pass summary; severity comes from the config, 'not evaluated' is a WARN."""
    results = []
    for n, name in PASS_CHECK_NAMES.items():
        row = evaluation.result.pass_row(n)
        status = str(row["status"])
        severity = (
            dg.AssetCheckSeverity.ERROR
            if status == "failed" and row["severity"] == "error"
            else dg.AssetCheckSeverity.WARN
        )
        description = {
            "passed": f"pass {n} agreement {row['agreement']:.1%} >= {row['min_agreement']:.0%}"
            if row["agreement"] is not None
            else "",
            "failed": f"pass {n}: {row['reason']}",
            "not_evaluated": f"pass {n} consensus not evaluated: {row['reason']}",
        }[status]
        results.append(
            dg.AssetCheckResult(
                asset_key=CONSENSUS_KEY,
                check_name=name,
                passed=status == "passed",
                severity=severity,
                description=description,
                metadata={
                    "status": status,
                    "agreement": dg.MetadataValue.float(float(row["agreement"]))
                    if row["agreement"] is not None
                    else dg.MetadataValue.null(),
                    "min_agreement": float(row["min_agreement"]),  # type: ignore[arg-type]
                    "evaluated_fields": int(row["evaluated"]),  # type: ignore[call-overload]
                    "all_abstained_fields": int(row["abstained"]),  # type: ignore[call-overload]
                    "models": ", ".join(evaluation.models) or "none",
                    "reason": str(row["reason"]),
                },
            )
        )
    return results


def _read_day_inputs(lake: Lake, day: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    jobs = lake.read_table("silver", "job_postings_current", [day_partition_values(day)])
    existing = lake.read_table("silver_ai", "job_enrichment", hours_of_day(day))
    return jobs.drop([c for c in ("dt", "hr") if c in jobs.columns]), existing.drop(
        [c for c in ("dt", "hr") if c in existing.columns]
    )


def _write_outputs(lake: Lake, day: str, evaluation: DayEvaluation) -> dict[str, Any]:
    partition = day_partition_values(day)
    fields = evaluation.result.field_results.with_columns(day=pl.lit(day))
    answers = evaluation.result.model_results.with_columns(day=pl.lit(day))
    fields_write = lake.write_table(fields, "silver_ai", FIELDS_TABLE, partition)
    answers_write = lake.write_table(answers, "silver_ai", ANSWERS_TABLE, partition)
    md = lake.write_bytes("silver_ai", REPORTS_TABLE, partition, "report.md", evaluation.markdown.encode())
    page = lake.write_bytes("silver_ai", REPORTS_TABLE, partition, "report.html", evaluation.html.encode())
    return {
        "fields_path": dg.MetadataValue.path(fields_write.uri),
        "answers_path": dg.MetadataValue.path(answers_write.uri),
        "report_markdown_path": dg.MetadataValue.path(md.uri),
        "report_html_path": dg.MetadataValue.path(page.uri),
        "dagster/row_count": fields_write.rows,
    }


def _estimate_metadata(evaluation: DayEvaluation) -> dg.MetadataValue:
    if not evaluation.estimate:
        return dg.MetadataValue.text("0: every sampled answer was already in silver_ai/job_enrichment")
    usd = evaluation.estimated_usd
    return (
        dg.MetadataValue.float(usd)
        if usd is not None
        else dg.MetadataValue.text("unknown: a model has no price")
    )


@dg.asset(
    key=CONSENSUS_KEY,
    partitions_def=daily_partitions,
    deps=[CURRENT_KEY, ENRICHMENT_KEY],
    check_specs=PASS_CHECK_SPECS,
    group_name="silver_ai",
    kinds={"polars"},
    description="Multi-model agreement on a deterministic sample of the day's jobs, with a Markdown + HTML report.",
)
def consensus(
    context: dg.AssetExecutionContext, lake: LakeResource, consensus: ConsensusResource
) -> dg.MaterializeResult:
    day = context.partition_key
    store = lake.get_lake()
    config = consensus.load_config()
    models = consensus.models()
    jobs, existing = _read_day_inputs(store, day)
    runner = consensus.runner(store) if len(models) >= config.min_models else None
    evaluation = evaluate_day(day, jobs, existing, models, runner, config)
    if evaluation.estimate:
        context.log.info(
            "consensus run estimate: "
            + "; ".join(
                f"{c.model} {c.jobs} jobs ~{c.usd if c.usd is not None else 'unknown'} USD"
                for c in evaluation.estimate
            )
        )
    for note in evaluation.notes:
        context.log.warning(note)
    written = _write_outputs(store, day, evaluation)
    pass_table = evaluation.result.pass_summary.select(
        "pass_number", "status", "agreement", "consensus_rate", "evaluated", "abstained", "min_agreement"
    )
    metadata: dict[str, Any] = {
        **written,
        "models": ", ".join(evaluation.models) or "none",
        "sampled_jobs": evaluation.sample.height,
        "jobs_that_day": jobs.height,
        "answers_reused": evaluation.reused_rows,
        "answers_produced": evaluation.run_rows,
        "estimated_cost_usd": _estimate_metadata(evaluation),
        "actual_cost_usd": dg.MetadataValue.md(markdown_table(evaluation.actual, max_rows=10)),
        "agreement_by_pass": dg.MetadataValue.md(markdown_table(pass_table, max_rows=3)),
        "ground_truth": dg.MetadataValue.md(markdown_table(evaluation.ground_truth, max_rows=20))
        if evaluation.ground_truth.height
        else dg.MetadataValue.text("no ground truth (no sampled jobs with model answers)"),
        "notes": dg.MetadataValue.md("\n".join(f"- {n}" for n in evaluation.notes) or "none"),
    }
    for n in (1, 2, 3):
        agreement = evaluation.result.pass_row(n).get("agreement")
        if agreement is not None:
            metadata[f"pass{n}_agreement"] = float(agreement)  # type: ignore[arg-type]
    return dg.MaterializeResult(metadata=metadata, check_results=pass_check_results(evaluation))
