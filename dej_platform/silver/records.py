"""One bronze JSONL line -> a typed record, a bronze error row, or a quarantine reason.

The seed let pandas guess types for a whole file: ids became floats (`"4348380694.0"`), nulls became the strings
`"nan"`/`"None"` and null booleans became True. Here every line is decoded on its own and every field is coerced by
an explicit rule, so one bad line never changes the type of another, and a line that cannot be trusted is kept
(with its reason) in the quarantine instead of being guessed or dropped.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from dej_platform.silver.vocabularies import (
    clean_str,
    normalize_posting_id,
    parse_bool,
    parse_int,
    parse_utc_timestamp,
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A repr string longer than this is not parsed (ast.literal_eval on hostile input stays cheap).
_MAX_REPR_CHARS = 20_000


class LineOutcome(StrEnum):
    RECORD = "record"
    ERROR_ROW = "error_row"
    QUARANTINED = "quarantined"
    BLANK = "blank"


# The typed bronze record, in column order: the engine-independent staging shape before silver rules run.
RECORD_FIELDS: tuple[str, ...] = (
    "job_posting_id",
    "url",
    "scraped_at",
    "company_name",
    "company_id",
    "company_url",
    "job_title",
    "seniority_label",
    "job_function",
    "employment_type_label",
    "job_industries_label",
    "job_location",
    "country_code",
    "job_posted_at",
    "application_availability",
    "apply_link",
    "is_easy_apply",
    "job_num_applicants",
    "base_salary",
    "job_base_pay_range",
    "job_poster_name",
    "job_poster_title",
    "job_poster_url",
    "job_summary",
    "job_description_html",
)


@dataclass(frozen=True, slots=True)
class LineResult:
    outcome: LineOutcome
    record: tuple[Any, ...] | None = None
    reason: str | None = None
    utf8_repaired: bool = False


_BLANK = LineResult(LineOutcome.BLANK)


class _WrongType(ValueError):
    """A field whose JSON type cannot be coerced to the one we need (an object where text is expected)."""


def decode_line(raw: bytes | str) -> tuple[str, bool]:
    """UTF-8 text of a line; invalid bytes become U+FFFD and the line is flagged as repaired."""
    if isinstance(raw, str):
        return raw, False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


def coerce_mapping(value: Any) -> dict[str, Any] | None:
    """A JSON object, or a nested object delivered as JSON text or as a Python repr (`{'name': None}`)."""
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text or text.lower() in {"none", "null", "nan"}:
            return None
        if text.startswith("{") and len(text) <= _MAX_REPR_CHARS:
            for parse in (json.loads, ast.literal_eval):
                try:
                    parsed = parse(text)
                except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                    continue
                if isinstance(parsed, dict):
                    return parsed
    raise _WrongType(type(value).__name__)


def _text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return clean_str(value)
    if isinstance(value, bool):
        raise _WrongType(f"{key} is a boolean")
    if isinstance(value, int | float):
        return clean_str(value)
    raise _WrongType(f"{key} is {'an object' if isinstance(value, dict) else 'an array'}")


def _id_text(obj: dict[str, Any], key: str) -> str | None:
    """Ids that arrive as numbers or float-looking text (`"1073.0"`) -> digits; other text is kept cleaned."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, dict | list | bool):
        raise _WrongType(f"{key} is {type(value).__name__}")
    return normalize_posting_id(value) or clean_str(value)


def _scalar(obj: dict[str, Any], key: str) -> Any:
    value = obj.get(key)
    if isinstance(value, dict | list):
        raise _WrongType(f"{key} is {'an object' if isinstance(value, dict) else 'an array'}")
    return value


def _industries(value: Any) -> str | None:
    if isinstance(value, list):
        parts = [clean_str(v) for v in value if not isinstance(v, dict | list)]
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, dict):
        raise _WrongType("job_industries is an object")
    return clean_str(value)


def _salary(value: Any) -> dict[str, Any] | None:
    mapping = coerce_mapping(value)
    if not mapping:
        return None
    return {
        "min_amount": mapping.get("min_amount"),
        "max_amount": mapping.get("max_amount"),
        "currency": mapping.get("currency"),
        "payment_period": mapping.get("payment_period"),
    }


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, dict | list | bool):
        return None
    return parse_utc_timestamp(value)


def _easy_apply(obj: dict[str, Any], apply_link: str | None, available: bool | None) -> bool | None:
    """The newer shape says it; the older one implies it: an open posting without an external apply link."""
    if "is_easy_apply" in obj:
        return parse_bool(_scalar(obj, "is_easy_apply"))
    if not available:
        return None
    return apply_link is None


def parse_line(raw: bytes | str) -> LineResult:
    """Classify and type one bronze line. Never raises on bad input."""
    text, repaired = decode_line(raw)
    if not text.strip():
        return _BLANK
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return LineResult(
            LineOutcome.QUARANTINED, reason=f"invalid_json: {exc}"[:200], utf8_repaired=repaired
        )
    if "\\u" in text and _has_lone_surrogate(obj):
        # JSON may escape half a surrogate pair ("\\ud800"): not encodable as UTF-8, so it becomes U+FFFD.
        obj = _scrub_surrogates(obj)
        repaired = True
    if not isinstance(obj, dict):
        return LineResult(
            LineOutcome.QUARANTINED, reason=f"not_an_object: {type(obj).__name__}", utf8_repaired=repaired
        )
    if clean_str(_safe_scalar(obj.get("error"))) or clean_str(_safe_scalar(obj.get("error_code"))):
        return LineResult(LineOutcome.ERROR_ROW, utf8_repaired=repaired)
    try:
        record = _typed_record(obj)
    except _WrongType as exc:
        return LineResult(LineOutcome.QUARANTINED, reason=f"wrong_type: {exc}", utf8_repaired=repaired)
    if isinstance(record, str):
        return LineResult(LineOutcome.QUARANTINED, reason=record, utf8_repaired=repaired)
    return LineResult(LineOutcome.RECORD, record=record, utf8_repaired=repaired)


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _scrub_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_scrub_surrogates(k): _scrub_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_surrogates(v) for v in value]
    return value


def _int32(value: Any) -> int | None:
    number = parse_int(value)
    return number if number is not None and -(2**31) <= number < 2**31 else None


def _safe_scalar(value: Any) -> Any:
    return (
        "object"
        if isinstance(value, dict | list) and value
        else (None if isinstance(value, dict | list) else value)
    )


def _typed_record(obj: dict[str, Any]) -> tuple[Any, ...] | str:
    raw_id = obj.get("job_posting_id")
    if raw_id is None or (isinstance(raw_id, str) and clean_str(raw_id) is None):
        return "missing_job_posting_id"
    if isinstance(raw_id, dict | list | bool):
        return f"wrong_type: job_posting_id is {type(raw_id).__name__}"
    posting_id = normalize_posting_id(raw_id)
    if posting_id is None:
        return f"invalid_job_posting_id: {str(raw_id)[:60]!r}"
    raw_ts = _scalar(obj, "timestamp")
    if raw_ts is None:
        return "missing_scraped_at"
    scraped_at = _timestamp(raw_ts)
    if scraped_at is None:
        return f"invalid_scraped_at: {str(raw_ts)[:60]!r}"

    poster = coerce_mapping(obj.get("job_poster")) or {}
    apply_link = _text(obj, "apply_link")
    available = parse_bool(_scalar(obj, "application_availability"))
    html = _text(obj, "job_description_formatted")
    if html is None:
        html = _text(obj, "job_description_html") or _text(obj, "job_description")
    return (
        posting_id,
        _text(obj, "url"),
        scraped_at,
        _text(obj, "company_name"),
        _id_text(obj, "company_id"),
        _text(obj, "company_url"),
        _text(obj, "job_title"),
        _text(obj, "job_seniority_level"),
        _text(obj, "job_function"),
        _text(obj, "job_employment_type"),
        _industries(obj.get("job_industries")),
        _text(obj, "job_location"),
        _text(obj, "country_code"),
        _timestamp(obj.get("job_posted_date")),
        available,
        apply_link,
        _easy_apply(obj, apply_link, available),
        _int32(_scalar(obj, "job_num_applicants")),
        _salary(obj.get("base_salary")),
        _text(obj, "job_base_pay_range"),
        _text(poster, "name"),
        _text(poster, "title"),
        _text(poster, "url"),
        _text(obj, "job_summary"),
        html,
    )
