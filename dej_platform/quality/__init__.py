"""Pure data-quality checks (no Dagster): schema, conservation, uniqueness, null rates, failures, freshness."""
