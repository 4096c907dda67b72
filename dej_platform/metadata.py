"""Asset metadata that tells a person what landed: counts, bytes, paths and a preview table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dagster as dg
import polars as pl

from dej_platform.lake import WriteResult

_CELL_LIMIT = 60


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1] + "…"


def markdown_table(df: pl.DataFrame, max_rows: int = 5, columns: Sequence[str] | None = None) -> str:
    """A small Markdown table of the first rows (long cells cut, pipes escaped)."""
    cols = [c for c in (columns or df.columns) if c in df.columns]
    if not cols:
        return "_no columns_"
    rows = df.select(cols).head(max_rows).rows()
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    if df.height > max_rows:
        lines.append(f"\n_{max_rows} of {df.height:,} rows_")
    return "\n".join(lines)


def table_metadata(
    df: pl.DataFrame,
    writes: Sequence[WriteResult] = (),
    preview_rows: int = 5,
    preview_columns: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Row count (Dagster's own key, so the UI plots it), bytes, paths and a preview."""
    meta: dict[str, Any] = {
        "dagster/row_count": df.height,
        "columns": len(df.columns),
    }
    if writes:
        meta["bytes"] = sum(w.bytes for w in writes)
        meta["files"] = len(writes)
        paths = [w.uri for w in writes]
        meta["path"] = dg.MetadataValue.path(paths[0]) if len(paths) == 1 else dg.MetadataValue.json(paths)
    meta["preview"] = dg.MetadataValue.md(markdown_table(df, preview_rows, preview_columns))
    return meta
