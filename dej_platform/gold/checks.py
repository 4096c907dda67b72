"""Data-quality rules for gold, as plain functions so tests can break data on purpose and watch them fail.

The Dagster asset checks in `defs/gold` only call these and report their outcome.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from dej_platform.gold.config import GoldSettings
from dej_platform.gold.schema import BRIDGE_FOREIGN_KEYS, FACT_FOREIGN_KEYS

# Plausible raw amounts of a USD salary per pay period (wide on purpose: they catch unit mistakes, not outliers).
USD_PERIOD_BOUNDS: dict[str, tuple[float, float]] = {
    "hour": (5, 1_000),
    "hourly": (5, 1_000),
    "day": (40, 8_000),
    "daily": (40, 8_000),
    "week": (200, 40_000),
    "weekly": (200, 40_000),
    "month": (800, 150_000),
    "monthly": (800, 150_000),
    "year": (10_000, 1_500_000),
    "yearly": (10_000, 1_500_000),
}
MAX_IMPLAUSIBLE_SHARE = 0.05  # a few odd postings are flagged; more means a unit or FX bug upstream

DIMENSION_KEYS: dict[str, str] = {
    "dim_company": "company_key",
    "dim_location": "location_key",
    "dim_date": "date_key",
    "dim_skill": "skill_key",
    "dim_seniority": "seniority_key",
    "dim_work_model": "work_model_key",
    "fact_job_postings": "job_key",
}
REQUIRED_NON_EMPTY = (
    "fact_job_postings",
    "dim_company",
    "dim_location",
    "dim_date",
    "dim_seniority",
    "dim_work_model",
    "agg_skill_demand_weekly",
    "agg_market_shares",
    "agg_top_companies",
    "agg_country_summary",
)


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    passed: bool
    summary: str
    metadata: dict[str, Any] = field(default_factory=dict)


def referential_integrity(tables: Mapping[str, pl.DataFrame]) -> CheckOutcome:
    """Every fact and bridge key exists in its dimension, and every dimension key is unique."""
    problems: dict[str, int] = {}
    for child_name, links in (
        ("fact_job_postings", FACT_FOREIGN_KEYS),
        ("bridge_job_skill", BRIDGE_FOREIGN_KEYS),
    ):
        child = tables[child_name]
        for column, dim_name, dim_key in links:
            keys = tables[dim_name].select(pl.col(dim_key).alias(column))
            orphans = child.select(column).join(keys, on=column, how="anti", nulls_equal=False).height
            if orphans:
                problems[f"{child_name}.{column} -> {dim_name}.{dim_key}"] = orphans
    for dim_name, key in DIMENSION_KEYS.items():
        dim = tables[dim_name]
        duplicates = dim.height - dim[key].n_unique()
        if duplicates:
            problems[f"duplicate {dim_name}.{key}"] = duplicates
    passed = not problems
    summary = "every key resolves" if passed else "; ".join(f"{k}: {v} rows" for k, v in problems.items())
    return CheckOutcome("referential_integrity", passed, summary, {"violations": problems})


def salary_sanity(
    fact: pl.DataFrame, benchmarks: pl.DataFrame | None = None, settings: GoldSettings | None = None
) -> CheckOutcome:
    """min <= max, no negative or non-finite amounts, USD amounts within per-period ranges, few implausible rows,
    and published benchmarks ordered p10 <= p25 <= median <= p75 <= p90 inside the plausible annual range."""
    settings = settings or GoldSettings()
    problems: dict[str, int] = {}
    lo, hi = pl.col("salary_annual_min_usd"), pl.col("salary_annual_max_usd")
    raw_lo, raw_hi = pl.col("salary_min_raw"), pl.col("salary_max_raw")
    amounts = ["salary_annual_min_usd", "salary_annual_max_usd", "salary_min_raw", "salary_max_raw"]
    counts = fact.select(
        annual_min_above_max=(lo > hi).sum(),
        raw_min_above_max=(raw_lo > raw_hi).sum(),
        negative_amounts=pl.any_horizontal([pl.col(c) < 0 for c in amounts]).sum(),
        non_finite_amounts=pl.any_horizontal(
            [pl.col(c).is_nan() | pl.col(c).is_infinite() for c in amounts]
        ).sum(),
    ).row(0, named=True)
    problems.update({k: int(v) for k, v in counts.items() if v})

    period = pl.col("salary_period").str.to_lowercase()
    usd = fact.filter(pl.col("salary_currency").str.to_uppercase().is_in(["USD", "$", "US$"]))
    out_of_range = 0
    for name, (low, high) in USD_PERIOD_BOUNDS.items():
        rows = usd.filter(period == name)
        out_of_range += rows.filter(
            pl.any_horizontal(
                [~pl.col(c).is_between(low, high) for c in ("salary_min_raw", "salary_max_raw")]
            )
        ).height
    if out_of_range:
        problems["usd_amount_outside_period_range"] = out_of_range

    salaried = fact.filter(pl.col("has_salary"))
    implausible = salaried.filter(~pl.col("salary_is_plausible").fill_null(False)).height
    share = implausible / salaried.height if salaried.height else 0.0
    if share > MAX_IMPLAUSIBLE_SHARE:
        problems["implausible_annual_usd_share_pct"] = round(share * 100)

    if benchmarks is not None and not benchmarks.is_empty():
        ps = ["salary_p10_usd", "salary_p25_usd", "salary_median_usd", "salary_p75_usd", "salary_p90_usd"]
        unordered = benchmarks.filter(
            pl.any_horizontal([pl.col(a) > pl.col(b) for a, b in itertools.pairwise(ps)])
        ).height
        outside = benchmarks.filter(
            ~pl.all_horizontal(
                [
                    pl.col(p).is_between(settings.salary_plausible_min_usd, settings.salary_plausible_max_usd)
                    for p in ps
                ]
            )
        ).height
        if unordered:
            problems["benchmark_percentiles_out_of_order"] = unordered
        if outside:
            problems["benchmark_outside_plausible_range"] = outside
    passed = not problems
    summary = "salaries are consistent" if passed else "; ".join(f"{k}: {v}" for k, v in problems.items())
    meta = {
        "violations": problems,
        "postings_with_salary": salaried.height,
        "implausible_salaries": implausible,
        "implausible_share": 0.0 if math.isnan(share) else round(share, 4),
    }
    return CheckOutcome("salary_sanity", passed, summary, meta)


def non_empty(
    tables: Mapping[str, pl.DataFrame], required: Sequence[str] = REQUIRED_NON_EMPTY
) -> CheckOutcome:
    """Every required table that was built has rows (optional ones like co-occurrence may be empty)."""
    empty = [name for name in required if name in tables and tables[name].is_empty()]
    rows = {name: tables[name].height for name in tables}
    passed = not empty
    summary = "all required tables have rows" if passed else f"empty: {', '.join(empty)}"
    return CheckOutcome("non_empty", passed, summary, {"rows": rows, "empty": empty})
