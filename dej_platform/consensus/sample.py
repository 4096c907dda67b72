"""The day's consensus sample and its cost: deterministic, so a rerun evaluates the same jobs.

Ordering by sha256(salt + job id) is stable across processes, machines and library versions (Python's and Polars'
own hashes are not), and changing the salt draws a fresh sample without touching code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from dej_platform.consensus.config import ModelRef, SampleConfig

PriceLookup = Callable[[ModelRef], tuple[float, float] | None]
"""(USD per 1M input tokens, USD per 1M output tokens) for a model, or None when the price is unknown."""


def sample_rank(job_posting_id: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{job_posting_id}".encode()).hexdigest()


def deterministic_sample(jobs: pl.DataFrame, size: int, salt: str) -> pl.DataFrame:
    """`size` distinct jobs chosen by hash rank; the same input and salt always give the same rows."""
    if size < 1:
        raise ValueError(f"sample size must be >= 1, got {size}")
    unique = jobs.unique(subset="job_posting_id", keep="last", maintain_order=True)
    ids = unique.get_column("job_posting_id").cast(pl.String).to_list()
    ranks = pl.Series("_rank", [sample_rank(i, salt) for i in ids], dtype=pl.String)
    return unique.with_columns(ranks).sort("_rank").head(size).drop("_rank")


@dataclass(frozen=True)
class CostLine:
    model: str
    jobs: int
    input_tokens: int
    output_tokens: int
    usd: float | None  # None: no known price (never a made-up generic one)


def estimate_cost(
    n_jobs: int, models: Sequence[ModelRef], sample: SampleConfig, price_for: PriceLookup
) -> list[CostLine]:
    """Pre-run estimate from the configured per-job token use and each model's price."""
    lines = []
    for model in models:
        tokens_in = n_jobs * sample.est_input_tokens_per_job
        tokens_out = n_jobs * sample.est_output_tokens_per_job
        price = price_for(model)
        usd = None if price is None else (tokens_in * price[0] + tokens_out * price[1]) / 1_000_000
        lines.append(CostLine(model.label, n_jobs, tokens_in, tokens_out, usd))
    return lines


def total_usd(lines: Sequence[CostLine]) -> float | None:
    """Sum of the lines, or None when any price is unknown (a partial sum would understate the cost)."""
    if any(line.usd is None for line in lines):
        return None
    return float(sum(line.usd or 0.0 for line in lines))


def actual_cost(outputs: pl.DataFrame) -> pl.DataFrame:
    """Per model: tokens and USD actually spent, from the enrichment table's `passN_tokens_in/out`, `passN_cost_usd`."""
    token_cols = [c for c in outputs.columns if c.endswith(("tokens_in", "tokens_out"))]
    cost_cols = [c for c in outputs.columns if c.endswith("cost_usd")]
    return (
        outputs.group_by("model")
        .agg(
            jobs=pl.len(),
            input_tokens=pl.sum_horizontal(
                [pl.col(c).fill_null(0) for c in token_cols if c.endswith("_in")]
            ).sum()
            if any(c.endswith("_in") for c in token_cols)
            else pl.lit(0),
            output_tokens=pl.sum_horizontal(
                [pl.col(c).fill_null(0) for c in token_cols if c.endswith("_out")]
            ).sum()
            if any(c.endswith("_out") for c in token_cols)
            else pl.lit(0),
            usd=pl.sum_horizontal([pl.col(c).fill_null(0.0) for c in cost_cols]).sum()
            if cost_cols
            else pl.lit(None),
        )
        .sort("model")
    )
