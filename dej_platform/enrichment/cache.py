"""The enrichment cache: one validated pass result per (content hash, pass, prompt version, model).

A job re-scraped in a later hour has the same content hash, so its passes come from here and cost nothing.
In the lake the cache is append-only Parquet under `silver_ai/enrichment_cache/model=<model slug>/`, one file per
run (`entries-<utc time>-<id>.parquet`), so concurrent hourly runs never overwrite each other's entries.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import polars as pl

from dej_platform.lake import Lake

CACHE_LAYER = "silver_ai"
CACHE_TABLE = "enrichment_cache"
CACHE_SCHEMA: dict[str, pl.DataType] = {
    "content_hash": pl.String(),
    "pass_number": pl.Int8(),
    "prompt_version": pl.String(),
    "model_id": pl.String(),
    "provider": pl.String(),
    "result_json": pl.String(),
    "tokens_in": pl.Int64(),
    "tokens_out": pl.Int64(),
    "cost_usd": pl.Float64(),
    "created_at": pl.Datetime("us", "UTC"),
}


@dataclass(frozen=True)
class CacheKey:
    content_hash: str
    pass_number: int
    prompt_version: str
    model_id: str


@dataclass(frozen=True)
class CacheEntry:
    key: CacheKey
    provider: str
    result_json: str
    tokens_in: int
    tokens_out: int
    cost_usd: float


class EnrichmentCache(Protocol):
    def lookup(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]: ...

    def store(self, entries: list[CacheEntry]) -> int: ...


class MemoryCache:
    """For tests and the CLI without a lake."""

    def __init__(self) -> None:
        self.entries: dict[CacheKey, str] = {}

    def lookup(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        return {k: self.entries[k] for k in keys if k in self.entries}

    def store(self, entries: list[CacheEntry]) -> int:
        for entry in entries:
            self.entries[entry.key] = entry.result_json
        return len(entries)


def model_slug(model_id: str) -> str:
    """A model id as a safe partition value: `openai.gpt-oss-120b-1:0` -> `openai.gpt-oss-120b-1-0`."""
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "-", model_id).strip("-.") or "model"
    return slug if slug[0].isalnum() else f"m{slug}"


class LakeEnrichmentCache:
    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def lookup(self, keys: Iterable[CacheKey]) -> dict[CacheKey, str]:
        wanted = list(keys)
        found: dict[CacheKey, str] = {}
        by_model: dict[str, list[CacheKey]] = {}
        for key in wanted:
            by_model.setdefault(key.model_id, []).append(key)
        for model_id, model_keys in by_model.items():
            partition = {"model": model_slug(model_id)}
            if not self.lake.exists(CACHE_LAYER, CACHE_TABLE, partition):
                continue
            hashes = sorted({k.content_hash for k in model_keys})
            versions = sorted({k.prompt_version for k in model_keys})
            rows = (
                self.lake.scan_table(CACHE_LAYER, CACHE_TABLE, partitions=[partition])
                .filter(
                    pl.col("model_id").eq(model_id)
                    & pl.col("content_hash").is_in(hashes)
                    & pl.col("prompt_version").is_in(versions)
                )
                .sort("created_at")
                .select("content_hash", "pass_number", "prompt_version", "result_json")
                .collect()
            )
            for content_hash, pass_number, version, result_json in rows.iter_rows():
                found[CacheKey(content_hash, int(pass_number), version, model_id)] = (
                    result_json  # latest wins
                )
        return {k: found[k] for k in wanted if k in found}

    def store(self, entries: list[CacheEntry]) -> int:
        if not entries:
            return 0
        now = datetime.now(UTC)
        by_model: dict[str, list[CacheEntry]] = {}
        for entry in entries:
            by_model.setdefault(entry.key.model_id, []).append(entry)
        for model_id, model_entries in by_model.items():
            frame = pl.DataFrame(
                {
                    "content_hash": [e.key.content_hash for e in model_entries],
                    "pass_number": [e.key.pass_number for e in model_entries],
                    "prompt_version": [e.key.prompt_version for e in model_entries],
                    "model_id": [model_id] * len(model_entries),
                    "provider": [e.provider for e in model_entries],
                    "result_json": [e.result_json for e in model_entries],
                    "tokens_in": [e.tokens_in for e in model_entries],
                    "tokens_out": [e.tokens_out for e in model_entries],
                    "cost_usd": [e.cost_usd for e in model_entries],
                    "created_at": [now] * len(model_entries),
                },
                schema=CACHE_SCHEMA,
            )
            buffer = io.BytesIO()
            frame.write_parquet(buffer, compression="zstd")
            name = f"entries-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.parquet"
            with self.lake.open_output(
                CACHE_LAYER, CACHE_TABLE, {"model": model_slug(model_id)}, name
            ) as out:
                out.write(buffer.getvalue())
        return len(entries)
