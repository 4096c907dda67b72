"""Which flattened enrichment columns consensus compares, and how (by kind).

Consensus needs only a column name, its pass and its kind; `FieldSpec` is that minimum so the math does not depend on
the enrichment models. `field_specs_from_registry` adapts the enrichment field registry; `infer_field_specs` is a
fallback for ad-hoc Parquet files (CLI) when no registry entry exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

FieldKind = Literal["enum", "bool", "number", "string", "list"]
FIELD_KINDS: tuple[FieldKind, ...] = ("enum", "bool", "number", "string", "list")
PASS_PREFIXES = {"ext_": 1, "inf_": 2, "anl_": 3}
# Pass 2/3 carry confidence/evidence/source beside each value; those describe the answer, they are not answers.
SIDE_SUFFIXES = ("_confidence", "_evidence", "_source")
# Non-field columns of silver_ai/job_enrichment that look like fields but are bookkeeping.
BOOKKEEPING_COLUMNS = frozenset(
    {"job_posting_id", "content_hash", "provider", "model_id", "prompt_version", "dt", "hr", "model"}
)


@dataclass(frozen=True)
class FieldSpec:
    """A flattened column to compare: its name, pass (1-3) and kind."""

    name: str
    pass_number: int
    kind: FieldKind
    allowed_values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.pass_number not in (1, 2, 3):
            raise ValueError(f"{self.name}: pass must be 1, 2 or 3, got {self.pass_number}")
        if self.kind not in FIELD_KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")


def _attr(entry: Any, *names: str) -> Any:
    for name in names:
        if isinstance(entry, dict):
            if name in entry:
                return entry[name]
        elif hasattr(entry, name):
            return getattr(entry, name)
    return None


def field_specs_from_registry(entries: Iterable[Any]) -> list[FieldSpec]:
    """Adapt registry entries (objects or dicts with name/column, pass, kind, allowed values) to `FieldSpec`s.

    Tolerant of attribute spelling so a rename in the registry fails loudly here, in one place.
    """
    specs: list[FieldSpec] = []
    for entry in entries:
        name = _attr(entry, "column", "name", "field")
        pass_number = _attr(entry, "pass_number", "pass_", "pass", "pass_no")
        kind = _attr(entry, "kind", "type")
        allowed = _attr(entry, "allowed_values", "allowed", "values") or ()
        if name is None or pass_number is None or kind is None:
            raise ValueError(f"registry entry lacks name/pass/kind: {entry!r}")
        kind_text = str(getattr(kind, "value", kind)).lower()
        kind_text = {"boolean": "bool", "numeric": "number", "float": "number", "int": "number"}.get(
            kind_text, kind_text
        )
        specs.append(FieldSpec(str(name), int(pass_number), kind_text, tuple(str(v) for v in allowed)))  # type: ignore[arg-type]
    return specs


def infer_field_specs(
    schema: pl.Schema | dict[str, pl.DataType], max_enum_values: int = 0
) -> list[FieldSpec]:
    """Guess specs from column prefixes and dtypes; strings stay free text (no vocabulary is known)."""
    specs: list[FieldSpec] = []
    for name, dtype in dict(schema).items():
        prefix = next((p for p in PASS_PREFIXES if name.startswith(p)), None)
        if prefix is None or name in BOOKKEEPING_COLUMNS or name.endswith(SIDE_SUFFIXES):
            continue
        if isinstance(dtype, pl.List):
            kind: FieldKind = "list"
        elif dtype == pl.Boolean:
            kind = "bool"
        elif dtype.is_numeric():
            kind = "number"
        else:
            kind = "string"
        specs.append(FieldSpec(name, PASS_PREFIXES[prefix], kind))
    return specs


def specs_present(specs: Sequence[FieldSpec], columns: Iterable[str]) -> list[FieldSpec]:
    """Keep only specs whose column exists (a prompt version may not produce every field)."""
    available = set(columns)
    return [spec for spec in specs if spec.name in available]
