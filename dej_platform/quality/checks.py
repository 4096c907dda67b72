"""Data-quality checks as pure functions over polars frames and counts; Dagster wraps them as asset checks.

Each returns a `QualityResult` whose `details` say what was measured, so a failure explains itself (which columns,
which ids, which counts) instead of only saying "failed".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import polars as pl

HIVE_COLUMNS = ("dt", "hr", "feed")
PASS_STATUSES = ("success", "failed", "skipped", "cached")
EXAMPLE_LIMIT = 10


@dataclass(frozen=True)
class QualityResult:
    name: str
    passed: bool
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


def _dtype_name(dtype: pl.DataType) -> str:
    return str(dtype)


def check_schema(
    schema: pl.Schema | Mapping[str, pl.DataType],
    expected: Mapping[str, pl.DataType],
    *,
    allow_extra: bool = False,
    ignore: Sequence[str] = HIVE_COLUMNS,
) -> QualityResult:
    """Every declared column present with its declared type; no undeclared columns unless allowed."""
    actual = {k: v for k, v in dict(schema).items() if k not in ignore}
    missing = sorted(set(expected) - set(actual))
    wrong = {
        name: f"{_dtype_name(actual[name])} (declared {_dtype_name(dtype)})"
        for name, dtype in expected.items()
        if name in actual and actual[name] != dtype and actual[name] != pl.Null
    }
    extra = [] if allow_extra else sorted(set(actual) - set(expected))
    passed = not (missing or wrong or extra)
    summary = (
        "schema matches the contract"
        if passed
        else f"{len(missing)} missing, {len(wrong)} wrongly typed, {len(extra)} undeclared columns"
    )
    return QualityResult(
        "schema", passed, summary, {"missing": missing, "wrong_types": wrong, "undeclared": extra}
    )


def check_unique(df: pl.DataFrame, keys: Sequence[str] = ("job_posting_id",)) -> QualityResult:
    """No key appears twice in the partition (null keys count as violations too)."""
    missing = [k for k in keys if k not in df.columns]
    if missing:
        return QualityResult("unique", False, f"key columns missing: {missing}", {"missing": missing})
    dupes = df.group_by(list(keys)).agg(n=pl.len()).filter(pl.col("n") > 1)
    null_keys = df.filter(pl.any_horizontal([pl.col(k).is_null() for k in keys])).height
    extra_rows = int(dupes.get_column("n").sum() - dupes.height) if dupes.height else 0
    passed = extra_rows == 0 and null_keys == 0
    examples = [
        str(v) for v in dupes.sort("n", descending=True).head(EXAMPLE_LIMIT).get_column(keys[0]).to_list()
    ]
    summary = (
        f"{df.height} rows, keys unique"
        if passed
        else f"{dupes.height} duplicated keys ({extra_rows} extra rows), {null_keys} null keys"
    )
    return QualityResult(
        "unique",
        passed,
        summary,
        {
            "rows": df.height,
            "duplicated_keys": dupes.height,
            "extra_rows": extra_rows,
            "null_keys": null_keys,
            "examples": examples,
        },
    )


def check_null_rates(df: pl.DataFrame, limits: Mapping[str, float]) -> QualityResult:
    """Share of nulls (and empty strings) per key column at most its limit; a missing column fails."""
    rates: dict[str, float | None] = {}
    breaches: list[str] = []
    for column, limit in limits.items():
        if column not in df.columns:
            rates[column] = None
            breaches.append(f"{column}: column missing")
            continue
        expr = pl.col(column).is_null()
        if df.schema[column] == pl.String:
            expr = expr | (pl.col(column).str.strip_chars() == "")
        rate = float(df.select(expr.mean()).item() or 0.0) if df.height else 0.0
        rates[column] = rate
        if rate > limit + 1e-12:
            breaches.append(f"{column}: {rate:.1%} > {limit:.1%}")
    passed = not breaches
    summary = "null rates within limits" if passed else "; ".join(breaches)
    return QualityResult(
        "null_rates", passed, summary, {"rows": df.height, "rates": rates, "limits": dict(limits)}
    )


def check_allowed_values(df: pl.DataFrame, column: str, allowed: Iterable[str]) -> QualityResult:
    """Every non-null value of an enum column is in its vocabulary (the seed leaked off-list values)."""
    if column not in df.columns:
        return QualityResult(f"{column}_vocabulary", False, f"column {column} missing")
    allowed_list = list(allowed)
    bad = df.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed_list))
    values = sorted({str(v) for v in bad.get_column(column).unique().head(EXAMPLE_LIMIT).to_list()})
    passed = bad.height == 0
    summary = "all values in vocabulary" if passed else f"{bad.height} rows outside the vocabulary: {values}"
    return QualityResult(
        f"{column}_vocabulary", passed, summary, {"bad_rows": bad.height, "bad_values": values}
    )


CONSERVATION_TERMS = ("silver_rows", "quarantined", "duplicates_removed", "error_rows")


def count_bronze_records(lines: Iterable[bytes | str]) -> int:
    """Bronze records as silver counts them: every line that is not blank."""
    return sum(1 for line in lines if line.strip())


def check_record_conservation(bronze_records: int, parts: Mapping[str, int | None]) -> QualityResult:
    """bronze = silver + quarantined + duplicates + error rows: nothing disappears without a trace."""
    unknown = [t for t in CONSERVATION_TERMS if parts.get(t) is None]
    if unknown:
        return QualityResult(
            "record_conservation",
            False,
            f"cannot verify: counts not recorded for {unknown}",
            {"bronze_records": bronze_records, **{t: parts.get(t) for t in CONSERVATION_TERMS}},
        )
    accounted = sum(int(parts[t] or 0) for t in CONSERVATION_TERMS)
    difference = bronze_records - accounted
    passed = difference == 0
    summary = (
        f"{bronze_records} bronze records all accounted for"
        if passed
        else f"{bronze_records} bronze records but {accounted} accounted for ({difference:+d})"
    )
    return QualityResult(
        "record_conservation",
        passed,
        summary,
        {
            "bronze_records": bronze_records,
            "accounted": accounted,
            "difference": difference,
            **{t: parts[t] for t in CONSERVATION_TERMS},
        },
    )


def check_enrichment_failure_rate(
    df: pl.DataFrame, max_failure_rate: float, passes: Sequence[int] = (1, 2, 3)
) -> QualityResult:
    """Failed passes over attempted ones (success, failed, cached) per pass; unknown statuses fail outright."""
    rates: dict[str, float | None] = {}
    counts: dict[str, dict[str, int]] = {}
    breaches: list[str] = []
    for n in passes:
        col = f"pass{n}_status"
        if col not in df.columns:
            breaches.append(f"{col} missing")
            continue
        tally = {s: int(df.filter(pl.col(col) == s).height) for s in PASS_STATUSES}
        unknown = df.filter(pl.col(col).is_null() | ~pl.col(col).is_in(PASS_STATUSES)).height
        tally["unknown"] = unknown
        counts[col] = tally
        attempted = tally["success"] + tally["failed"] + tally["cached"]
        rate = tally["failed"] / attempted if attempted else None
        rates[col] = rate
        if unknown:
            breaches.append(f"{col}: {unknown} rows with an unknown status")
        if rate is not None and rate > max_failure_rate + 1e-12:
            breaches.append(f"{col}: {rate:.1%} failed > {max_failure_rate:.1%}")
    passed = not breaches
    summary = "failure rates within limit" if passed else "; ".join(breaches)
    return QualityResult(
        "enrichment_failure_rate",
        passed,
        summary,
        {"rows": df.height, "rates": rates, "counts": counts, "limit": max_failure_rate},
    )


def check_freshness(latest: datetime | None, now: datetime, max_age: timedelta) -> QualityResult:
    """The newest data is at most `max_age` old (a stalled sensor or a broken feed shows up here)."""
    if latest is None:
        return QualityResult(
            "freshness",
            False,
            "no data at all",
            {"latest": None, "max_age_hours": max_age.total_seconds() / 3600},
        )
    age = now - latest
    passed = age <= max_age
    hours = age.total_seconds() / 3600
    summary = f"latest data {hours:.1f} h old" + (
        "" if passed else f" (limit {max_age.total_seconds() / 3600:.1f} h)"
    )
    return QualityResult(
        "freshness",
        passed,
        summary,
        {
            "latest": latest.isoformat(),
            "age_hours": round(hours, 2),
            "max_age_hours": max_age.total_seconds() / 3600,
        },
    )


def check_bronze_lines(lines: Iterable[bytes | str], max_unparseable_rate: float) -> QualityResult:
    """Bronze as delivered: at least one record, and few lines that are not JSON objects (silver quarantines them)."""
    import json

    total = unparseable = 0
    for line in lines:
        if not line.strip():
            continue
        total += 1
        try:
            parsed = json.loads(line)
        except (ValueError, RecursionError):
            unparseable += 1
            continue
        if not isinstance(parsed, dict):
            unparseable += 1
    rate = unparseable / total if total else None
    passed = total > 0 and (rate or 0.0) <= max_unparseable_rate + 1e-12
    summary = (
        "no records"
        if total == 0
        else f"{total} records, {unparseable} not JSON objects ({(rate or 0.0):.1%}, limit {max_unparseable_rate:.1%})"
    )
    return QualityResult(
        "bronze_lines",
        passed,
        summary,
        {"records": total, "unparseable": unparseable, "limit": max_unparseable_rate},
    )
