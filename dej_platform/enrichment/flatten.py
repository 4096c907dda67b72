"""The `silver_ai/job_enrichment` table: one row per job (and model), flat `ext_`/`inf_`/`anl_` columns.

The column set is generated from the pass models, so it is the same for every row whatever happened: a failed or
skipped pass leaves its columns null and says why in `pass{N}_status` / `pass{N}_error`. `FIELD_REGISTRY` tells
the consensus and gold code what each field is (kind, allowed values, pass, column names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from pydantic import BaseModel

from dej_platform.enrichment.execution import JobOutcome
from dej_platform.enrichment.models import (
    FieldKind,
    Inferred,
    Pass1Extraction,
    Pass2Inference,
    Pass3Analysis,
    Pass3Result,
    Pass3Summary,
    annotation_kind,
)

PASS_PREFIX = {1: "ext", 2: "inf", 3: "anl"}
UTC_TS = pl.Datetime("us", "UTC")


@dataclass(frozen=True)
class FieldSpec:
    """One enrichment field as the table and the consensus see it."""

    name: str
    pass_number: int
    group: str
    kind: FieldKind
    allowed_values: tuple[str, ...]
    column: str
    has_confidence: bool

    @property
    def columns(self) -> tuple[str, ...]:
        if not self.has_confidence:
            return (self.column,)
        return (self.column, f"{self.column}_confidence", f"{self.column}_evidence", f"{self.column}_source")


def _value_annotation(model: type[BaseModel], name: str) -> Any:
    annotation = model.model_fields[name].annotation
    if isinstance(annotation, type) and issubclass(annotation, Inferred):
        return annotation.model_fields["value"].annotation
    return annotation


def _group_of(model: type[BaseModel], name: str, default: str) -> str:
    extra = model.model_fields[name].json_schema_extra
    return str(extra.get("group", default)) if isinstance(extra, dict) else default


def _specs(model: type[BaseModel], pass_number: int, inferred: bool, default_group: str) -> list[FieldSpec]:
    specs = []
    for name in model.model_fields:
        annotation = _value_annotation(model, name)
        kind, allowed = annotation_kind(annotation)
        if "TeamComposition" in str(annotation):
            kind, allowed = "string", ()
        specs.append(
            FieldSpec(
                name=name,
                pass_number=pass_number,
                group=_group_of(model, name, default_group),
                kind=kind,
                allowed_values=allowed,
                column=f"{PASS_PREFIX[pass_number]}_{name}",
                has_confidence=inferred,
            )
        )
    return specs


FIELD_REGISTRY: tuple[FieldSpec, ...] = (
    *_specs(Pass1Extraction, 1, inferred=False, default_group="extraction"),
    *_specs(Pass2Inference, 2, inferred=True, default_group="inference"),
    *_specs(Pass3Analysis, 3, inferred=True, default_group="analysis"),
    *_specs(Pass3Summary, 3, inferred=False, default_group="summary"),
)
FIELDS_BY_COLUMN = {spec.column: spec for spec in FIELD_REGISTRY}

META_SCHEMA: dict[str, pl.DataType] = {
    "job_posting_id": pl.String(),
    "content_hash": pl.String(),
    "provider": pl.String(),
    "model_id": pl.String(),
    "prompt_version": pl.String(),
    "enriched_at": UTC_TS,
}


def _pass_meta_schema(number: int) -> dict[str, pl.DataType]:
    return {
        f"pass{number}_status": pl.String(),
        f"pass{number}_error": pl.String(),
        f"pass{number}_tokens_in": pl.Int64(),
        f"pass{number}_tokens_out": pl.Int64(),
        f"pass{number}_cost_usd": pl.Float64(),
        f"pass{number}_latency_ms": pl.Int64(),
    }


def _dtype(spec: FieldSpec) -> pl.DataType:
    if spec.kind == "list":
        return pl.List(pl.String())
    if spec.kind == "bool":
        return pl.Boolean()
    if spec.kind == "number":
        return pl.Float64()
    return pl.String()


def enrichment_schema() -> dict[str, pl.DataType]:
    """Every column of `silver_ai/job_enrichment`, in order, with its type."""
    schema: dict[str, pl.DataType] = dict(META_SCHEMA)
    for number in (1, 2, 3):
        schema.update(_pass_meta_schema(number))
    for spec in FIELD_REGISTRY:
        schema[spec.column] = _dtype(spec)
        if spec.has_confidence:
            schema[f"{spec.column}_confidence"] = pl.Float64()
            schema[f"{spec.column}_evidence"] = pl.String()
            schema[f"{spec.column}_source"] = pl.String()
    return schema


def _cell(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, BaseModel):  # team_composition: one readable string
        parts = [f"{k}: {v}" for k, v in value.model_dump().items() if v]
        return "; ".join(parts) or None
    if spec.kind == "number" and value is not None:
        return float(value)
    if spec.kind == "list":
        return [str(v) for v in (value or [])]
    return value


def _pass_fields(spec_list: Sequence[FieldSpec], result: BaseModel | None) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if result is None:
        return row
    for spec in spec_list:
        value = getattr(result, spec.name)
        if spec.has_confidence and isinstance(value, Inferred):
            row[spec.column] = _cell(spec, value.value)
            row[f"{spec.column}_confidence"] = value.confidence
            row[f"{spec.column}_evidence"] = value.evidence
            row[f"{spec.column}_source"] = value.source
        else:
            row[spec.column] = _cell(spec, value)
    return row


_SPECS_BY_MODEL = {
    Pass1Extraction: [s for s in FIELD_REGISTRY if s.pass_number == 1],
    Pass2Inference: [s for s in FIELD_REGISTRY if s.pass_number == 2],
    Pass3Analysis: [s for s in FIELD_REGISTRY if s.pass_number == 3 and s.has_confidence],
    Pass3Summary: [s for s in FIELD_REGISTRY if s.pass_number == 3 and not s.has_confidence],
}


def outcome_row(outcome: JobOutcome) -> dict[str, Any]:
    row: dict[str, Any] = {
        "job_posting_id": outcome.job.job_posting_id,
        "content_hash": outcome.job.content_hash,
        "provider": outcome.provider,
        "model_id": outcome.model_id,
        "prompt_version": outcome.prompt_version,
        "enriched_at": outcome.enriched_at,
    }
    for number in (1, 2, 3):
        result = outcome.passes.get(number)
        row[f"pass{number}_status"] = result.status if result else "skipped"
        row[f"pass{number}_error"] = result.error if result else "not run"
        row[f"pass{number}_tokens_in"] = result.tokens_in if result else 0
        row[f"pass{number}_tokens_out"] = result.tokens_out if result else 0
        row[f"pass{number}_cost_usd"] = result.cost_usd if result else 0.0
        row[f"pass{number}_latency_ms"] = result.latency_ms if result else 0
        value = result.result if result and result.status in ("success", "cached") else None
        if isinstance(value, Pass3Result):
            row.update(_pass_fields(_SPECS_BY_MODEL[Pass3Analysis], value.analysis))
            row.update(_pass_fields(_SPECS_BY_MODEL[Pass3Summary], value.summary))
        elif value is not None:
            row.update(_pass_fields(_SPECS_BY_MODEL[type(value)], value))
    return row


def outcomes_to_frame(outcomes: Sequence[JobOutcome]) -> pl.DataFrame:
    """The table rows for a run, always with the full fixed schema (an empty run gives an empty typed frame)."""
    schema = enrichment_schema()
    rows = [outcome_row(o) for o in outcomes]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
