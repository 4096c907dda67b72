"""Dagster definitions for multi-model consensus (`silver_ai/consensus`) and its blocking pass checks."""
