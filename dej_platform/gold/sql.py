"""SQL over the lake by table name: every lake table becomes a DuckDB view (`fact_job_postings`, and the
layer-qualified `gold.fact_job_postings`).

Local lakes are read in place with `read_parquet(..., hive_partitioning=true)`. DuckDB cannot download its
httpfs extension here, so S3 tables are read through the lake API (Polars) and registered as Arrow frames.
Daily snapshot tables (gold, `silver.job_postings_current`) show their latest day unless every day is asked for.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from dej_platform.gold.schema import GOLD_SCHEMAS
from dej_platform.lake import Lake, LakeFile

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# Tables we know of even when discovery cannot walk the store (S3): (layer, table).
KNOWN_TABLES: tuple[tuple[str, str], ...] = (
    ("silver", "job_postings"),
    ("silver", "job_postings_quarantine"),
    ("silver", "job_postings_current"),
    ("silver_ai", "job_enrichment"),
    ("silver_ai", "consensus"),
    *(("gold", name) for name in GOLD_SCHEMAS),
)
SNAPSHOT_LAYERS = frozenset({"gold"})
SNAPSHOT_TABLES = frozenset({("silver", "job_postings_current")})


@dataclass(frozen=True)
class RegisteredTable:
    layer: str
    table: str
    view: str  # layer-qualified name
    alias: str | None  # the bare table name, when no other layer uses it
    files: int
    partitions: str  # "latest dt=..." or "all"


def is_snapshot(layer: str, table: str) -> bool:
    return layer in SNAPSHOT_LAYERS or (layer, table) in SNAPSHOT_TABLES


def discover_tables(lake: Lake) -> list[tuple[str, str]]:
    """Known tables plus, on a local lake, every `<layer>/<table>/` folder that holds Parquet."""
    found = set(KNOWN_TABLES)
    if not lake.is_s3:
        root = Path(lake.root_uri)
        if root.is_dir():
            for layer_dir in root.iterdir():
                if layer_dir.is_dir() and _NAME.match(layer_dir.name):
                    found.update(
                        (layer_dir.name, t.name)
                        for t in layer_dir.iterdir()
                        if t.is_dir() and _NAME.match(t.name)
                    )
    return sorted(found)


def _day_of(file: LakeFile) -> str | None:
    for segment in file.key.split("/"):
        if segment.startswith("dt="):
            return segment[3:]
    return None


def select_files(files: Sequence[LakeFile], latest_only: bool) -> tuple[list[LakeFile], str]:
    if not latest_only:
        return list(files), "all"
    days = [d for d in (_day_of(f) for f in files) if d]
    if not days:
        return list(files), "all"
    latest = max(days)
    return [f for f in files if _day_of(f) == latest], f"latest dt={latest}"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def register_lake_tables(
    con: duckdb.DuckDBPyConnection, lake: Lake, all_partitions: bool = False
) -> list[RegisteredTable]:
    """Create one view per lake table that has data; returns what was registered."""
    tables = [
        (layer, table, files)
        for layer, table in discover_tables(lake)
        if (files := lake.list_files(layer, table, suffix=".parquet"))
    ]
    name_counts: dict[str, int] = {}
    for _, table, _ in tables:
        name_counts[table] = name_counts.get(table, 0) + 1
    registered = []
    for layer, table, files in tables:
        chosen, partitions = select_files(files, latest_only=is_snapshot(layer, table) and not all_partitions)
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{layer}"')
        view = f'"{layer}"."{table}"'
        if lake.is_s3:
            day = partitions.removeprefix("latest dt=")
            parts = [{"dt": day}] if partitions != "all" else None
            frame = lake.scan_table(layer, table, parts).collect().to_arrow()
            con.register(f"__lake_{layer}__{table}", frame)
            source = f'"__lake_{layer}__{table}"'
        else:
            paths = ", ".join(_sql_string(f.uri) for f in chosen)
            source = f"read_parquet([{paths}], hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {source}")
        alias = table if name_counts[table] == 1 else None
        if alias:
            con.execute(f'CREATE OR REPLACE VIEW "{alias}" AS SELECT * FROM {view}')
        registered.append(RegisteredTable(layer, table, f"{layer}.{table}", alias, len(chosen), partitions))
    return registered


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(lake: Lake, query: str, all_partitions: bool = False) -> QueryResult:
    con = duckdb.connect(":memory:")
    try:
        register_lake_tables(con, lake, all_partitions)
        relation = con.sql(query)
        if relation is None:  # a statement without a result (e.g. SET)
            return QueryResult([], [])
        return QueryResult(list(relation.columns), relation.fetchall())
    finally:
        con.close()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any, width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.6g}"
    else:
        text = json.dumps(_plain(value)) if isinstance(value, list | dict) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(result: QueryResult, max_cell: int = 48, max_rows: int | None = None) -> str:
    """A fixed-width text table with a row count footer."""
    shown = result.rows if max_rows is None else result.rows[:max_rows]
    cells = [[_cell(v, max_cell) for v in row] for row in shown]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    numeric = [
        all(isinstance(row[i], int | float | Decimal) or row[i] is None for row in shown) and bool(shown)
        for i in range(len(result.columns))
    ]

    def line(values: Iterable[str]) -> str:
        return " | ".join(
            v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(result.columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    footer += f", first {len(shown)} shown)" if len(shown) < len(result.rows) else ")"
    return "\n".join([*out, footer])


def format_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(
            [
                "" if v is None else json.dumps(_plain(v)) if isinstance(v, list | dict) else _plain(v)
                for v in row
            ]
        )
    return buffer.getvalue()


def format_json(result: QueryResult) -> str:
    return json.dumps(
        [dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.rows], indent=2
    )
