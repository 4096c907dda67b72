"""JSON Schemas generated from the pass models, and the conversion of a model's answer back into them.

Two schemas per pass:
- `answer_schema(p)`: the compact schema sent to a model (tool input schema on Bedrock, `response_format` on
  OpenAI-compatible servers). It is what the model must emit. For passes 2 and 3 it is four parallel maps
  (`value`, `confidence`, `evidence`, `source`) instead of a `{value, confidence, evidence, source}` object per
  field: same information, a third of the schema tokens (the schema is paid as input tokens on every call).
- `storage_schema(p)`: pydantic's full schema of the stored model (docs, consumers).

`answer_to_model(p, obj)` turns a parsed answer into the validated pass model or raises `AnswerInvalid` with
messages short enough to send back to the model in the single repair attempt.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from dej_platform.enrichment.models import (
    PASS_MODELS,
    InferenceModel,
    Pass1Extraction,
    Pass2Inference,
    Pass3Analysis,
    Pass3Result,
    Pass3Summary,
    TeamComposition,
    annotation_kind,
    normalize_answer_value,
)

SOURCE_VALUES = ("explicit", "pass1_derived", "inferred", "combined")
MAX_REPAIR_ERRORS = 12


class AnswerInvalid(ValueError):
    """The answer parsed as JSON but does not fit the pass model; `errors` are one line each."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors[:MAX_REPAIR_ERRORS] or ["answer does not match the schema"]
        super().__init__("; ".join(self.errors))


def _value_annotation(model: type[BaseModel], name: str) -> Any:
    annotation = model.model_fields[name].annotation
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and "value" in annotation.model_fields
    ):
        return annotation.model_fields["value"].annotation
    return annotation


def _numeric_bounds(model: type[BaseModel], name: str) -> dict[str, float]:
    bounds: dict[str, float] = {}
    for meta in model.model_fields[name].metadata:
        for attr, key in (("ge", "minimum"), ("le", "maximum")):
            if getattr(meta, attr, None) is not None:
                bounds[key] = getattr(meta, attr)
    return bounds


def _field_schema(annotation: Any, bounds: dict[str, float] | None = None) -> dict[str, Any]:
    """One property. No field is required and none is nullable: leaving a field out means null / not_mentioned,
    which keeps both the schema and the answer short."""
    if "TeamComposition" in str(annotation):
        return {"type": "object", "properties": {k: {"type": "string"} for k in TeamComposition.model_fields}}
    kind, allowed = annotation_kind(annotation)
    if kind == "enum":
        return {"enum": list(allowed)}
    if kind == "list":
        return {"type": "array", "items": {"enum": list(allowed)} if allowed else {"type": "string"}}
    schema: dict[str, Any] = {"type": {"bool": "boolean", "number": "number", "string": "string"}[kind]}
    schema.update(bounds or {})
    return schema


def _flat_object_schema(model: type[BaseModel], inferred: bool) -> dict[str, Any]:
    properties = {}
    for name in model.model_fields:
        annotation = _value_annotation(model, name) if inferred else model.model_fields[name].annotation
        bounds = {} if inferred else _numeric_bounds(model, name)
        properties[name] = _field_schema(annotation, bounds)
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _inferred_maps_schema(model: type[InferenceModel]) -> dict[str, Any]:
    return {
        "value": _flat_object_schema(model, inferred=True),
        "confidence": {"type": "object", "additionalProperties": {"type": "number"}},
        "evidence": {"type": "object", "additionalProperties": {"type": "string"}},
        "source": {"type": "object", "additionalProperties": {"enum": list(SOURCE_VALUES)}},
    }


@cache
def answer_schema(pass_number: int) -> dict[str, Any]:
    """The compact JSON Schema a model must answer with for this pass (no titles or descriptions). Read-only."""
    if pass_number == 1:
        return _flat_object_schema(Pass1Extraction, inferred=False)
    if pass_number == 2:
        maps = _inferred_maps_schema(Pass2Inference)
        return {
            "type": "object",
            "properties": maps,
            "required": ["value", "confidence"],
            "additionalProperties": False,
        }
    if pass_number == 3:
        maps = _inferred_maps_schema(Pass3Analysis)
        maps["summary"] = _flat_object_schema(Pass3Summary, inferred=False)
        return {
            "type": "object",
            "properties": maps,
            "required": ["value", "confidence", "summary"],
            "additionalProperties": False,
        }
    raise ValueError(f"pass must be 1, 2 or 3, got {pass_number}")


def answer_schema_text(pass_number: int) -> str:
    """The answer schema as minified JSON: what is sent, and what the token estimate counts."""
    return json.dumps(answer_schema(pass_number), separators=(",", ":"))


def storage_schema(pass_number: int) -> dict[str, Any]:
    """pydantic's JSON Schema of the stored pass model (full, with groups), for docs and consumers."""
    return PASS_MODELS[pass_number].model_json_schema()


def _errors_of(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if p not in ("value",)) or "answer"
        got = err.get("input")
        shown = json.dumps(got, default=str)[:80] if not isinstance(got, dict) else "{...}"
        lines.append(f"{loc}: {err['msg']} (got {shown})")
    return lines


def _unwrap(obj: Any, roots: tuple[str, ...]) -> Any:
    """Accept the seed's nesting too: `{"extraction": {"compensation": {...}}}` -> flat fields."""
    if isinstance(obj, dict) and len(obj) == 1 and next(iter(obj)) in roots:
        obj = next(iter(obj.values()))
    return obj


def _merge_groups(obj: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    """Groups (`compensation`, `stack_and_cloud`, ...) are flattened when their keys are field names."""
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        if key not in fields and isinstance(value, dict) and value and set(value) <= fields:
            flat.update(value)
        else:
            flat[key] = value
    return flat


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise AnswerInvalid(_errors_of(exc)) from None


def _inferred_from_answer(model: type[InferenceModel], obj: dict[str, Any], where: str) -> InferenceModel:
    fields = set(model.model_fields)
    if "value" not in obj or not isinstance(obj.get("value"), dict):
        # The per-field object shape ({"seniority_level": {"value": .., "confidence": ..}}) is accepted as well.
        per_field = _merge_groups(obj, fields)
        if per_field and all(isinstance(v, dict) and "value" in v for v in per_field.values()):
            obj = {
                "value": {k: v.get("value") for k, v in per_field.items()},
                "confidence": {k: v.get("confidence") for k, v in per_field.items()},
                "evidence": {k: v.get("evidence") for k, v in per_field.items()},
                "source": {k: v.get("source") for k, v in per_field.items()},
            }
        else:
            raise AnswerInvalid([f"{where}: expected an object with a 'value' map of fields"])
    values = _merge_groups(obj["value"], fields)
    maps = {key: obj.get(key) or {} for key in ("confidence", "evidence", "source")}
    errors: list[str] = []
    for key, mapping in {"value": values, **maps}.items():
        if not isinstance(mapping, dict):
            errors.append(f"{where}.{key}: expected an object keyed by field name")
            continue
        unknown = sorted(set(mapping) - fields)
        if unknown:
            errors.append(f"{where}.{key}: unknown fields {unknown[:6]}")
    if errors:
        raise AnswerInvalid(errors)
    data: dict[str, Any] = {}
    for name in fields & set(values):
        annotation = _value_annotation(model, name)
        value = normalize_answer_value(annotation, values[name])
        confidence = maps["confidence"].get(name)
        if confidence is None:
            if value in ("not_mentioned", None, []):
                confidence = 0.0
            else:
                errors.append(f"{where}.confidence.{name}: missing for value {json.dumps(value)[:40]}")
                continue
        evidence = maps["evidence"].get(name)
        if isinstance(evidence, str):
            evidence = " ".join(evidence.split())[:300] or None
        elif evidence is not None:
            evidence = json.dumps(evidence)[:300]
        source = normalize_answer_value(annotation_kind_source(), maps["source"].get(name))
        data[name] = {"value": value, "confidence": confidence, "evidence": evidence, "source": source}
    if errors:
        raise AnswerInvalid(errors)
    return _validate(model, data)


def annotation_kind_source() -> Any:
    from dej_platform.enrichment.models import Source

    return Source | None


def answer_to_model(pass_number: int, obj: Any) -> BaseModel:
    """Validate a parsed answer as the pass model; `AnswerInvalid` lists what to fix."""
    if not isinstance(obj, dict):
        raise AnswerInvalid([f"answer must be a JSON object, got {type(obj).__name__}"])
    if pass_number == 1:
        obj = _merge_groups(_unwrap(obj, ("extraction",)), set(Pass1Extraction.model_fields))
        obj.pop("metadata", None)
        return _validate(Pass1Extraction, obj)
    if pass_number == 2:
        return _inferred_from_answer(Pass2Inference, _unwrap(obj, ("inference",)), "answer")
    if pass_number == 3:
        summary = obj.get("summary", {})
        body = {k: v for k, v in obj.items() if k != "summary"}
        body = _unwrap(body, ("analysis",))
        analysis = _inferred_from_answer(Pass3Analysis, body, "answer")
        return Pass3Result(analysis=analysis, summary=_validate(Pass3Summary, summary or {}))  # type: ignore[arg-type]
    raise ValueError(f"pass must be 1, 2 or 3, got {pass_number}")


def model_to_json(result: BaseModel) -> str:
    """The stored form of a validated pass (cache entries)."""
    return result.model_dump_json()


def model_from_json(pass_number: int, text: str) -> BaseModel:
    return PASS_MODELS[pass_number].model_validate_json(text)
