"""docs/silver.md carries the schema generated from schema.py; it must be current and describe every column."""

from __future__ import annotations

from dej_platform.silver.schema import JOB_POSTINGS_CURRENT_SCHEMA, QUARANTINE_SCHEMA
from dej_platform.silver.schema_docs import COLUMN_DOCS, DOC_PATH, render, updated_document


def test_every_column_is_described() -> None:
    missing = [c for c in (*JOB_POSTINGS_CURRENT_SCHEMA, *QUARANTINE_SCHEMA) if not COLUMN_DOCS.get(c)]
    assert missing == []


def test_docs_are_up_to_date() -> None:
    text = DOC_PATH.read_text()
    assert updated_document(text) == text, "run: python -m dej_platform.silver.schema_docs"
    assert "`job_posting_id` | `String`" in render()
