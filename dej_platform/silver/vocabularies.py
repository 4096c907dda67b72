"""Scalar coercions and LinkedIn label vocabularies for silver.

These fix the seed's type bugs (SEED_FACTS section 11 item 2): ids as ``"4348380694.0"``, literal ``"nan"`` /
``"None"`` strings, null booleans turned True, and mixed time zones. Every function accepts any Python value
(JSON gives strings, numbers, bools or None in unexpected places) and returns None rather than raising.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

from dej_platform.silver.schema import EMPLOYMENT_TYPE_VALUES, SENIORITY_VALUES

NULL_STRINGS = frozenset({"", "none", "nan", "null", "nat", "<na>", "n/a", "undefined"})

_SENIORITY_BY_LABEL = {
    "internship": "internship",
    "intern": "internship",
    "entry level": "entry",
    "entry": "entry",
    "junior": "entry",
    "associate": "associate",
    "mid-senior level": "mid_senior",
    "mid senior level": "mid_senior",
    "mid-senior": "mid_senior",
    "mid_senior": "mid_senior",
    "director": "director",
    "executive": "executive",
    "not applicable": "not_applicable",
    "not_applicable": "not_applicable",
}
_EMPLOYMENT_BY_LABEL = {
    "full-time": "full_time",
    "full time": "full_time",
    "fulltime": "full_time",
    "full_time": "full_time",
    "part-time": "part_time",
    "part time": "part_time",
    "parttime": "part_time",
    "part_time": "part_time",
    "contract": "contract",
    "contractor": "contract",
    "temporary": "temporary",
    "temp": "temporary",
    "internship": "internship",
    "intern": "internship",
    "volunteer": "volunteer",
    "other": "other",
}
assert set(_SENIORITY_BY_LABEL.values()) <= set(SENIORITY_VALUES)
assert set(_EMPLOYMENT_BY_LABEL.values()) <= set(EMPLOYMENT_TYPE_VALUES)


def clean_str(value: Any) -> str | None:
    """Stripped string, or None for None, NaN and the literal null spellings ("None", "nan", "null", "")."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if text.lower() in NULL_STRINGS else text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return None


def _label_key(label: Any) -> str | None:
    text = clean_str(label)
    if text is None:
        return None
    return " ".join(text.lower().replace("_", " ").split()).replace(" - ", "-")


def normalize_seniority(label: Any) -> str:
    """LinkedIn seniority label to SENIORITY_VALUES; missing or unrecognized labels are "unknown"."""
    key = _label_key(label)
    if key is None:
        return "unknown"
    return _SENIORITY_BY_LABEL.get(key) or _SENIORITY_BY_LABEL.get(key.replace(" ", "_"), "unknown")


def normalize_employment_type(label: Any) -> str:
    """LinkedIn employment type to EMPLOYMENT_TYPE_VALUES; missing is "unknown", unrecognized text is "other"."""
    key = _label_key(label)
    if key is None:
        return "unknown"
    return _EMPLOYMENT_BY_LABEL.get(key) or _EMPLOYMENT_BY_LABEL.get(key.replace(" ", "_"), "other")


_ID_WITH_ZERO_FRACTION = re.compile(r"(\d+)(?:\.0*)?")
_ID_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+")


def normalize_posting_id(value: Any) -> str | None:
    """Digits-only id: 4348380694, 4348380694.0 and "4348380694.0" all give "4348380694"; anything else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value > 0 else None
    if isinstance(value, float):
        if math.isfinite(value) and value > 0 and value.is_integer() and value < 2**53:
            return str(int(value))
        return None
    if isinstance(value, str):
        text = value.strip()
        matched = _ID_WITH_ZERO_FRACTION.fullmatch(text)
        if matched is not None:
            digits = matched.group(1)
            return digits if digits.strip("0") else None
        if _ID_SCIENTIFIC.fullmatch(text):
            return normalize_posting_id(float(text))
    return None


_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0"})


def parse_bool(value: Any) -> bool | None:
    """True/False from bools, 0/1 and their spellings; None stays None (never truthiness: "False" is False)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value == 1:
            return True
        if value == 0:
            return False
        return None
    if isinstance(value, str):
        key = value.strip().lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    return None


_INT32_MAX = 2**31 - 1
_PLAIN_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+|[+-]?\d+(?:\.0*)?")
_INTEGER_IN_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def parse_int(value: Any) -> int | None:
    """Integer from ints, integral floats and strings ("85", "85.0", "1,234").

    A short phrase with exactly one integer gives that integer: LinkedIn's "over 200 applicants" and "200+" are
    200, the lower bound of the capped bucket (the same value Bright Data reports as a number). Non-integral
    floats, several numbers, negatives and values outside Int32 give None.
    """
    if value is None or isinstance(value, bool):
        return None
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if math.isfinite(value) and value.is_integer() else None
    elif isinstance(value, str):
        text = value.strip()
        if _PLAIN_NUMBER.fullmatch(text):
            number = int(float(text.replace(",", "")))
        elif 0 < len(text) <= 64 and "-" not in text and "." not in text:
            found = _INTEGER_IN_TEXT.findall(text)
            number = int(found[0].replace(",", "")) if len(found) == 1 else None
    if number is None or number < 0 or number > _INT32_MAX:
        return None
    return number


_FRACTION_OVER_MICROS = re.compile(r"(\.\d{6})\d+")
_EPOCH_MS_THRESHOLD = 100_000_000_000  # numbers above this are epoch milliseconds


def parse_utc_timestamp(value: Any) -> datetime | None:
    """Timezone-aware UTC datetime from ISO strings (Z or offsets; naive is UTC), datetimes, dates or epochs."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str):
        text = value.strip()
        if len(text) < 8 or len(text) > 40 or text.lower() in NULL_STRINGS:
            return None
        text = _FRACTION_OVER_MICROS.sub(r"\1", text)
        if text.endswith(("z", "Z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _mapped(labels: Any, rule: Any) -> Any:
    """Apply a label rule once per distinct value (labels repeat across thousands of rows)."""
    import polars as pl

    series = labels if isinstance(labels, pl.Series) else pl.Series(list(labels), dtype=pl.String)
    if series.dtype != pl.String:
        series = series.cast(pl.String)
    distinct = series.unique().to_list()
    mapping = {label: rule(label) for label in distinct if label is not None}
    mapped = series.replace_strict(mapping, default=None, return_dtype=pl.String)
    return mapped.fill_null(rule(None)).alias(series.name)


def normalize_seniority_batch(labels: Any) -> Any:
    """`normalize_seniority` for a String Series (null -> "unknown"), via one call per distinct label."""
    return _mapped(labels, normalize_seniority)


def normalize_employment_type_batch(labels: Any) -> Any:
    """`normalize_employment_type` for a String Series (null -> "unknown"), one call per distinct label."""
    return _mapped(labels, normalize_employment_type)
