"""Put every model's answer in one canonical form before comparing, as polars expressions.

Normalizing first means "Full-Time" and "full_time", or ["Apache Spark","SQL"] and ["sql","spark"], count as the same
answer; abstentions (null, empty, `not_mentioned`) become null / empty lists so they can be told apart from answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import polars as pl

from dej_platform.consensus.fields import FieldKind

_TRUE_WORDS = ["true", "yes", "y", "1", "1.0"]
_FALSE_WORDS = ["false", "no", "n", "0", "0.0"]


def _spaced(expr: pl.Expr) -> pl.Expr:
    """Lower-case, separators (`_`, `-`, whitespace) to one space, trimmed of punctuation at the ends."""
    return expr.str.to_lowercase().str.replace_all(r"[\s_\-]+", " ").str.strip_chars(" \t\r\n.,;:'\"()[]")


@lru_cache(maxsize=4096)
def token_key(text: str) -> str:
    """The Python twin of `_spaced`, used to normalize synonym and abstain keys the same way as values."""
    frame = pl.DataFrame({"t": [text]}, schema={"t": pl.String})
    return str(frame.select(_spaced(pl.col("t"))).item())


def _synonyms(expr: pl.Expr, synonyms: Mapping[str, str]) -> pl.Expr:
    if not synonyms:
        return expr
    mapping = {token_key(k): token_key(v) for k, v in synonyms.items()}
    return expr.replace(mapping)


def _abstain_keys(abstain_tokens: Sequence[str]) -> list[str]:
    return sorted({token_key(t) for t in abstain_tokens} | {""})


def enum_expr(column: str, synonyms: Mapping[str, str], abstain_tokens: Sequence[str]) -> pl.Expr:
    """Canonical enum token (`full_time`), or null for an abstention."""
    spaced = _synonyms(_spaced(pl.col(column).cast(pl.String)), synonyms)
    return (
        pl.when(spaced.is_in(_abstain_keys(abstain_tokens)))
        .then(None)
        .otherwise(spaced.str.replace_all(" ", "_"))
        .alias(column)
    )


def bool_expr(column: str, dtype: pl.DataType, abstain_tokens: Sequence[str]) -> pl.Expr:
    """`"true"`/`"false"` (strings such as "Yes" coerced), other text kept as its own answer, null = abstain."""
    if dtype == pl.Boolean:
        return pl.col(column).cast(pl.String).alias(column)
    text = _spaced(pl.col(column).cast(pl.String))
    return (
        pl.when(text.is_in(_abstain_keys(abstain_tokens)))
        .then(None)
        .when(text.is_in(_TRUE_WORDS))
        .then(pl.lit("true"))
        .when(text.is_in(_FALSE_WORDS))
        .then(pl.lit("false"))
        .otherwise(text.str.replace_all(" ", "_"))
        .alias(column)
    )


def number_expr(column: str, dtype: pl.DataType) -> pl.Expr:
    """Float64; text like "$120,000" is parsed, anything unparseable becomes null (an abstention)."""
    if dtype.is_numeric() or dtype == pl.Boolean:
        value = pl.col(column).cast(pl.Float64)
    else:
        value = pl.col(column).cast(pl.String).str.replace_all(r"[,$€£\s]", "").cast(pl.Float64, strict=False)
    return pl.when(value.is_nan() | value.is_infinite()).then(None).otherwise(value).alias(column)


def list_expr(
    column: str, dtype: pl.DataType, synonyms: Mapping[str, str], abstain_tokens: Sequence[str]
) -> pl.Expr:
    """Sorted, de-duplicated canonical items; an abstention is an empty list (never null)."""
    if isinstance(dtype, pl.List):
        items = pl.col(column).cast(pl.List(pl.String))
    else:  # a comma-joined string from a model that ignored the schema
        items = pl.col(column).cast(pl.String).str.split(",")
    cleaned = items.list.eval(
        _synonyms(_spaced(pl.element()), synonyms)
        .filter(~_spaced(pl.element()).is_in(_abstain_keys(abstain_tokens)))
        .drop_nulls()
    )
    cleaned = cleaned.list.unique().list.sort()
    return (
        pl.when(cleaned.is_null()).then(pl.lit([], dtype=pl.List(pl.String))).otherwise(cleaned).alias(column)
    )


def string_expr(column: str, abstain_tokens: Sequence[str], max_chars: int) -> pl.Expr:
    """Lower-case text with collapsed whitespace, cut to `max_chars`; null = abstain."""
    text = (
        pl.col(column)
        .cast(pl.String)
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.slice(0, max_chars)
    )
    abstained = _spaced(text).is_in(_abstain_keys(abstain_tokens))
    return pl.when(abstained).then(None).otherwise(text).alias(column)


def normalize_column(
    column: str,
    kind: FieldKind,
    dtype: pl.DataType,
    synonyms: Mapping[str, str],
    abstain_tokens: Sequence[str],
    max_chars: int,
) -> pl.Expr:
    """The normalizing expression for one column of a given kind."""
    if kind == "enum":
        return enum_expr(column, synonyms, abstain_tokens)
    if kind == "bool":
        return bool_expr(column, dtype, abstain_tokens)
    if kind == "number":
        return number_expr(column, dtype)
    if kind == "list":
        return list_expr(column, dtype, synonyms, abstain_tokens)
    return string_expr(column, abstain_tokens, max_chars)
