"""Agreement with truth: LinkedIn's own structured fields against what each model extracted from the text.

Consensus is not correctness (the seed never checked any truth). Where LinkedIn supplies a structured value we can
count how often each model gets it right: `accuracy` = correct / answered, `coverage` = answered / jobs with truth,
so a model that abstains a lot is not rewarded with a high accuracy alone.
"""

from __future__ import annotations

import polars as pl

from dej_platform.consensus.agreement import with_model_label
from dej_platform.consensus.config import ConsensusConfig
from dej_platform.consensus.normalize import enum_expr, number_expr

STRUCTURED_SALARY_SOURCES = ("base_salary", "pay_range")
GROUND_TRUTH_SCHEMA: dict[str, pl.DataType] = {
    "model": pl.String(),
    "check": pl.String(),
    "truth_column": pl.String(),
    "model_column": pl.String(),
    "jobs_with_truth": pl.Int64(),
    "answered": pl.Int64(),
    "abstained": pl.Int64(),
    "correct": pl.Int64(),
    "accuracy": pl.Float64(),
    "coverage": pl.Float64(),
}


def _mapping_frame(mapping: dict[str, tuple[str, ...]], truth: str) -> pl.DataFrame:
    rows = [(k, v) for k, values in mapping.items() for v in values]
    return pl.DataFrame(
        {truth: [r[0] for r in rows], "accepted": [r[1] for r in rows]},
        schema={truth: pl.String, "accepted": pl.String},
    ).unique()


def _column_or_null(frame: pl.DataFrame, column: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(column) if column in frame.columns else pl.lit(None, dtype=dtype).alias(column)


def _tally(frame: pl.DataFrame, check: str, truth_column: str, model_column: str) -> pl.DataFrame:
    """Expects boolean columns has_truth, answered, correct per (job, model) row."""
    truth = frame.filter(pl.col("has_truth"))
    return truth.group_by("model").agg(
        check=pl.lit(check),
        truth_column=pl.lit(truth_column),
        model_column=pl.lit(model_column),
        jobs_with_truth=pl.len().cast(pl.Int64),
        answered=pl.col("answered").sum().cast(pl.Int64),
        abstained=(~pl.col("answered")).sum().cast(pl.Int64),
        correct=(pl.col("answered") & pl.col("correct")).sum().cast(pl.Int64),
    )


def ground_truth_accuracy(jobs: pl.DataFrame, outputs: pl.DataFrame, config: ConsensusConfig) -> pl.DataFrame:
    """Per model and check (salary_min, salary_max, seniority, employment_type): counts and accuracy."""
    gt = config.ground_truth
    cmp = config.comparison
    outputs = with_model_label(outputs).with_columns(pl.col("job_posting_id").cast(pl.String))
    truth_cols = [
        "salary_min",
        "salary_max",
        "salary_period",
        "salary_source",
        "seniority",
        "employment_type",
    ]
    jobs = jobs.select(
        pl.col("job_posting_id").cast(pl.String),
        *[
            _column_or_null(jobs, c, pl.Float64() if c.startswith("salary_m") else pl.String())
            for c in truth_cols
        ],
    ).unique(subset="job_posting_id", keep="last")
    model_cols = {
        "ext_salary_min": pl.Float64(),
        "ext_salary_max": pl.Float64(),
        "ext_hourly_rate_min": pl.Float64(),
        "ext_hourly_rate_max": pl.Float64(),
        "inf_seniority_level": pl.String(),
        "ext_employment_type_stated": pl.String(),
    }
    present = outputs.select(
        "job_posting_id",
        "model",
        *[_column_or_null(outputs, c, t) for c, t in model_cols.items()],
    )
    normalized = present.with_columns(
        *[number_expr(c, present.schema[c]) for c, t in model_cols.items() if t == pl.Float64()],
        enum_expr("inf_seniority_level", cmp.synonyms, cmp.abstain_tokens),
        enum_expr("ext_employment_type_stated", cmp.synonyms, cmp.abstain_tokens),
    )
    joined = normalized.join(jobs, on="job_posting_id", how="inner")
    tol = gt.salary_relative_tolerance
    parts: list[pl.DataFrame] = []
    structured = pl.col("salary_source").is_in(STRUCTURED_SALARY_SOURCES)
    for bound in ("min", "max"):
        hourly = f"ext_hourly_rate_{bound}"
        salary = f"ext_salary_{bound}"
        extracted = (
            pl.when(pl.col("salary_period") == "hour")
            .then(pl.coalesce(hourly, salary))
            .otherwise(pl.col(salary))
        )
        truth = pl.col(f"salary_{bound}")
        frame = joined.select(
            "model",
            has_truth=structured & truth.is_not_null(),
            answered=extracted.is_not_null(),
            correct=((extracted - truth).abs() <= tol * truth.abs() + 1e-9).fill_null(False),
        )
        parts.append(_tally(frame, f"salary_{bound}", f"salary_{bound}", salary))

    for check, truth_col, model_col, mapping in (
        ("seniority", "seniority", "inf_seniority_level", gt.seniority),
        ("employment_type", "employment_type", "ext_employment_type_stated", gt.employment_type),
    ):
        accepted = _mapping_frame(mapping, truth_col)
        frame = joined.join(
            accepted.with_columns(hit=pl.lit(True)),
            left_on=[truth_col, model_col],
            right_on=[truth_col, "accepted"],
            how="left",
        ).select(
            "model",
            has_truth=pl.col(truth_col).is_in(list(mapping)),
            answered=pl.col(model_col).is_not_null(),
            correct=pl.col("hit").fill_null(False),
        )
        parts.append(_tally(frame, check, truth_col, model_col))

    result = pl.concat(
        [pl.DataFrame(schema=GROUND_TRUTH_SCHEMA).drop("accuracy", "coverage"), *parts], how="vertical"
    )
    return (
        result.with_columns(
            accuracy=pl.when(pl.col("answered") > 0)
            .then(pl.col("correct") / pl.col("answered"))
            .otherwise(None),
            coverage=pl.when(pl.col("jobs_with_truth") > 0)
            .then(pl.col("answered") / pl.col("jobs_with_truth"))
            .otherwise(None),
        )
        .select(list(GROUND_TRUTH_SCHEMA))
        .sort(["check", "model"])
    )
