"""Dagster asset checks for data quality on every layer, partition by partition."""
