"""One day's consensus evaluation end to end, without Dagster: sample, reuse or run models, compare, report.

The enrichment table already holds the production model's answers for the day, and enrichment is cached per
(content hash, prompt version, model), so only (job, model) pairs that are not in it are sent to a provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import polars as pl

from dej_platform.consensus.agreement import ConsensusResult, evaluate_outputs, with_model_label
from dej_platform.consensus.config import ConsensusConfig, ModelRef
from dej_platform.consensus.fields import FieldSpec, infer_field_specs
from dej_platform.consensus.ground_truth import ground_truth_accuracy
from dej_platform.consensus.report import ReportContext, render_html, render_markdown
from dej_platform.consensus.sample import (
    CostLine,
    actual_cost,
    deterministic_sample,
    estimate_cost,
    total_usd,
)


class EvaluationRunner(Protocol):
    """What consensus needs from enrichment: run a model on jobs, know its price, know the fields."""

    def enrich(self, jobs: pl.DataFrame, model: ModelRef) -> pl.DataFrame:
        """Flattened enrichment rows (one per job) for `model`, with provider/model_id and pass statuses."""
        ...

    def price(self, model: ModelRef) -> tuple[float, float] | None: ...

    def field_specs(self) -> list[FieldSpec]: ...


@dataclass
class DayEvaluation:
    day: str
    models: list[str]
    sample: pl.DataFrame
    outputs: pl.DataFrame
    result: ConsensusResult
    ground_truth: pl.DataFrame
    estimate: list[CostLine]
    actual: pl.DataFrame
    reused_rows: int
    run_rows: int
    markdown: str
    html: str
    notes: list[str] = field(default_factory=list)

    @property
    def estimated_usd(self) -> float | None:
        return total_usd(self.estimate)


def evaluate_day(
    day: str,
    jobs: pl.DataFrame,
    existing: pl.DataFrame,
    models: Sequence[ModelRef],
    runner: EvaluationRunner | None,
    config: ConsensusConfig,
) -> DayEvaluation:
    """Sample the day's jobs, gather every configured model's answers (reusing `existing`), compare and report."""
    notes: list[str] = []
    sample = (
        deterministic_sample(jobs, config.sample.size, config.sample.salt) if jobs.height else jobs.clear()
    )
    sample_ids = sample.get_column("job_posting_id").cast(pl.String).to_list() if sample.height else []
    if existing.height:
        existing = with_model_label(existing).filter(
            pl.col("job_posting_id").cast(pl.String).is_in(sample_ids)
        )
    parts: list[pl.DataFrame] = []
    to_run: list[tuple[ModelRef, pl.DataFrame]] = []
    for model in models:
        have = existing.filter(pl.col("model") == model.label) if existing.height else existing
        if have.height:
            parts.append(have)
        done = set(have.get_column("job_posting_id").cast(pl.String).to_list()) if have.height else set()
        missing = sample.filter(~pl.col("job_posting_id").cast(pl.String).is_in(list(done)))
        if missing.height:
            to_run.append((model, missing))
    reused = sum(p.height for p in parts)

    price = runner.price if runner is not None else (lambda _m: None)
    estimate = [
        line
        for model, missing in to_run
        for line in estimate_cost(missing.height, [model], config.sample, price)
    ]
    ran: list[pl.DataFrame] = []
    for model, missing in to_run:
        if runner is None:
            notes.append(f"{model.label}: {missing.height} sampled jobs not enriched and no runner available")
            continue
        try:
            rows = with_model_label(runner.enrich(missing, model))
        except Exception as exc:  # a provider outage is reported, not hidden, and does not lose the others
            notes.append(f"{model.label}: evaluation run failed: {type(exc).__name__}: {str(exc)[:300]}")
            continue
        ran.append(rows)
    outputs = (
        pl.concat([*parts, *ran], how="diagonal_relaxed")
        if parts or ran
        else pl.DataFrame(
            {"job_posting_id": [], "model": []}, schema={"job_posting_id": pl.String, "model": pl.String}
        )
    )
    specs = runner.field_specs() if runner is not None else []
    if not specs:
        specs = infer_field_specs(outputs.schema)
    result = evaluate_outputs(outputs, specs, config)
    result.notes.extend(notes)
    truth = (
        ground_truth_accuracy(sample, outputs, config) if sample.height and outputs.height else pl.DataFrame()
    )
    actual = (
        actual_cost(pl.concat(ran, how="diagonal_relaxed"))
        if ran
        else pl.DataFrame(schema={"model": pl.String, "jobs": pl.UInt32})
    )
    context = ReportContext(
        title=f"Multi-model consensus, {day}",
        facts={
            "Day": day,
            "Jobs that day": jobs.height,
            "Sampled jobs": sample.height,
            "Sample salt": config.sample.salt,
            "Answers reused from silver_ai/job_enrichment": reused,
            "Answers produced for this evaluation": sum(r.height for r in ran),
            "Estimated cost before run (USD)": _usd(total_usd(estimate))
            if estimate
            else "0 (nothing to run)",
            "Actual cost (USD)": _usd(_sum_usd(actual)),
        },
    )
    truth_for_report = truth if truth.height else None
    return DayEvaluation(
        day=day,
        models=[m.label for m in models],
        sample=sample,
        outputs=outputs,
        result=result,
        ground_truth=truth,
        estimate=estimate,
        actual=actual,
        reused_rows=reused,
        run_rows=sum(r.height for r in ran),
        markdown=render_markdown(result, truth_for_report, context),
        html=render_html(result, truth_for_report, context),
        notes=result.notes,
    )


def _sum_usd(actual: pl.DataFrame) -> float | None:
    if "usd" not in actual.columns or actual.is_empty():
        return 0.0
    values = actual.get_column("usd")
    return None if values.null_count() == values.len() else float(values.fill_null(0.0).sum())


def _usd(value: float | None) -> str:
    return "unknown (no price for a model)" if value is None else f"{value:.4f}"
