"""Surrogate keys that survive re-runs: a hash of the natural key, never a row number.

Polars' own `hash()` may change between versions, so keys are the first 8 bytes of BLAKE2b over the
natural-key parts (joined by an ASCII unit separator; null parts get a marker distinct from ""), read as a
signed Int64 so Athena, DuckDB and Spark all join on them as BIGINT.
"""

from __future__ import annotations

import hashlib

import polars as pl

_SEPARATOR = "\x1f"
_NULL_MARK = "\x00"


def stable_hash(text: str) -> int:
    """The Int64 surrogate key of one natural-key string."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def natural_key_text(*parts: object) -> str:
    """The joined text the key is hashed from (what `surrogate_key` builds per row)."""
    return _SEPARATOR.join(_NULL_MARK if p is None else str(p) for p in parts)


def _hash_series(series: pl.Series) -> pl.Series:
    return pl.Series(series.name, [stable_hash(text) for text in series.to_list()], dtype=pl.Int64)


def surrogate_key(namespace: str, *parts: str | pl.Expr) -> pl.Expr:
    """Int64 key of (`namespace`, *parts); the namespace keeps a company and a skill of the same name apart."""
    exprs = [pl.lit(namespace)] + [
        (pl.col(p) if isinstance(p, str) else p).cast(pl.String).fill_null(_NULL_MARK) for p in parts
    ]
    return pl.concat_str(exprs, separator=_SEPARATOR).map_batches(_hash_series, return_dtype=pl.Int64)


def key_of(namespace: str, *parts: object) -> int:
    """The same key as `surrogate_key`, for one value in Python (static dimensions, tests)."""
    return stable_hash(natural_key_text(namespace, *parts))
