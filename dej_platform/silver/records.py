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

import numba
import numpy as np
import polars as pl
import pyarrow as pa
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from dej_platform.silver.vocabularies import (
    NULL_STRINGS,
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


# ---------------------------------------------------------------------------------------------------------------
# Batch path: one numba pass over the UTF-8 bytes of a whole batch of lines finds, for every line, the JSON type
# and byte span of each top-level field we read. Lines it cannot vouch for (invalid UTF-8 or JSON, blank, not an
# object, lone surrogate escapes, escaped keys, error rows, deep nesting) go through `parse_line` unchanged, and so
# does any line where a field has a type the vectorized rules do not cover: the batch result equals `parse_line`'s.

# Value kinds found by `_scan_lines`, per line and field.
(
    KIND_ABSENT,
    KIND_NULL,
    KIND_TRUE,
    KIND_FALSE,
    KIND_NUMBER,
    KIND_STR,
    KIND_STR_ESC,
    KIND_OBJECT,
    KIND_ARRAY,
) = range(9)
_MAX_DEPTH = 64
_INT32_MAX = 2**31 - 1
# Python refuses to parse integers of over sys.get_int_max_str_digits() digits (4300, at least 640).
_MAX_NUMBER_CHARS = 600


@numba.njit(cache=True, nogil=True)
def _utf8_len(data: np.ndarray, p: int, e: int) -> int:
    """Length of the valid UTF-8 sequence starting with a non-ASCII byte at `p` (0 if invalid, as Python's)."""
    c = data[p]
    if 0xC2 <= c <= 0xDF:
        if p + 1 < e and 0x80 <= data[p + 1] <= 0xBF:
            return 2
        return 0
    if 0xE0 <= c <= 0xEF:
        if p + 2 >= e:
            return 0
        c1 = data[p + 1]
        lo, hi = 0x80, 0xBF
        if c == 0xE0:
            lo = 0xA0
        elif c == 0xED:
            hi = 0x9F
        if lo <= c1 <= hi and 0x80 <= data[p + 2] <= 0xBF:
            return 3
        return 0
    if 0xF0 <= c <= 0xF4:
        if p + 3 >= e:
            return 0
        c1 = data[p + 1]
        lo, hi = 0x80, 0xBF
        if c == 0xF0:
            lo = 0x90
        elif c == 0xF4:
            hi = 0x8F
        if lo <= c1 <= hi and 0x80 <= data[p + 2] <= 0xBF and 0x80 <= data[p + 3] <= 0xBF:
            return 4
        return 0
    return 0


@numba.njit(cache=True, nogil=True)
def _hex4(data: np.ndarray, p: int, e: int) -> int:
    """The value of 4 hex digits at `p`, or -1."""
    if p + 4 > e:
        return -1
    value = 0
    for i in range(4):
        c = data[p + i]
        if 48 <= c <= 57:
            d = c - 48
        elif 97 <= c <= 102:
            d = c - 87
        elif 65 <= c <= 70:
            d = c - 55
        else:
            return -1
        value = value * 16 + d
    return value


# Bytes inside a JSON string: 0 plain (non-ASCII too: lines are UTF-8-checked first), 1 control (invalid),
# 2 quote, 3 backslash.
_STRING_BYTE = np.zeros(256, np.uint8)
_STRING_BYTE[:32] = 1
_STRING_BYTE[34] = 2
_STRING_BYTE[92] = 3


_ONES = np.uint64(0x0101010101010101)
_HIGH = np.uint64(0x8080808080808080)
_SPACES = np.uint64(0x2020202020202020)
_QUOTES = np.uint64(0x2222222222222222)
_BACKSLASHES = np.uint64(0x5C5C5C5C5C5C5C5C)


@numba.njit(cache=True, nogil=True, inline="always")
def _plain8(w: np.uint64) -> bool:
    """Whether none of 8 bytes (one aligned word) is a control character, '"' or '\\' (SWAR "has less than"
    and "has zero byte" tests; bytes >= 0x80 never trigger them)."""
    q = w ^ _QUOTES
    b = w ^ _BACKSLASHES
    special = ((w - _SPACES) & ~w) | ((q - _ONES) & ~q) | ((b - _ONES) & ~b)
    return (special & _HIGH) == 0


@numba.njit(cache=True, nogil=True)
def _scan_string(data: np.ndarray, words: np.ndarray, p: int, e: int) -> tuple[int, bool]:
    """From just after an opening quote: (position of the closing quote, has escapes); -1 if Python's json
    would reject the string or it escapes a lone surrogate (both left to `parse_line`). The line is valid UTF-8."""
    escaped = False
    table = _STRING_BYTE
    while p < e:
        if (p & 7) == 0:
            while p + 8 <= e and _plain8(words[p >> 3]):
                p += 8
            if p >= e:
                break
        t = table[data[p]]
        if t == 0:
            p += 1
            continue
        if t == 2:
            return p, escaped
        if t == 1:
            return -1, escaped
        escaped = True
        if p + 1 >= e:
            return -1, escaped
        c = data[p + 1]
        if c == 117:
            cp = _hex4(data, p + 2, e)
            if cp < 0:
                return -1, escaped
            if 0xD800 <= cp <= 0xDBFF:
                if p + 7 < e and data[p + 6] == 92 and data[p + 7] == 117:
                    low = _hex4(data, p + 8, e)
                    if 0xDC00 <= low <= 0xDFFF:
                        p += 12
                        continue
                return -1, escaped
            if 0xDC00 <= cp <= 0xDFFF:
                return -1, escaped
            p += 6
            continue
        if c == 34 or c == 92 or c == 47 or c == 98 or c == 102 or c == 110 or c == 114 or c == 116:
            p += 2
            continue
        return -1, escaped
    return -1, escaped


@numba.njit(cache=True, nogil=True)
def _valid_utf8(data: np.ndarray, words: np.ndarray, p: int, e: int) -> bool:
    """Whether data[p:e] is UTF-8 that Python decodes strictly (ASCII skipped 8 bytes at a time)."""
    while p < e:
        if (p & 7) == 0:
            while p + 8 <= e and (words[p >> 3] & _HIGH) == 0:
                p += 8
            if p >= e:
                break
        if data[p] < 128:
            p += 1
            continue
        n = _utf8_len(data, p, e)
        if n == 0:
            return False
        p += n
    return True


@numba.njit(cache=True, nogil=True)
def _scan_number(data: np.ndarray, p: int, e: int) -> int:
    """End of a JSON number (Python json's grammar: -?(0|[1-9]d*)(.d+)?([eE][-+]?d+)?) at `p`, or -1."""
    if p < e and data[p] == 45:
        p += 1
    if p >= e:
        return -1
    if data[p] == 48:
        p += 1
    elif 49 <= data[p] <= 57:
        while p < e and 48 <= data[p] <= 57:
            p += 1
    else:
        return -1
    if p < e and data[p] == 46:
        p += 1
        if p >= e or not (48 <= data[p] <= 57):
            return -1
        while p < e and 48 <= data[p] <= 57:
            p += 1
    if p < e and (data[p] == 101 or data[p] == 69):
        p += 1
        if p < e and (data[p] == 43 or data[p] == 45):
            p += 1
        if p >= e or not (48 <= data[p] <= 57):
            return -1
        while p < e and 48 <= data[p] <= 57:
            p += 1
    return p


@numba.njit(cache=True, nogil=True)
def _skip_ws(data: np.ndarray, p: int, e: int) -> int:
    while p < e and (data[p] == 32 or data[p] == 9 or data[p] == 10 or data[p] == 13):
        p += 1
    return p


@numba.njit(cache=True, nogil=True)
def _match_key(data: np.ndarray, p: int, q: int, keys: np.ndarray, key_offsets: np.ndarray) -> int:
    """Index of the wanted key spelled by data[p:q], or -1: candidates by (length, last byte), then compared."""
    n = q - p
    if n == 0 or n >= 64:
        return -1
    table = _KEY_TABLE
    last = data[q - 1]
    for slot in range(table.shape[2]):
        k = table[n, last, slot]
        if k < 0:
            return -1
        a = key_offsets[k]
        same = True
        for i in range(n):
            if data[p + i] != keys[a + i]:
                same = False
                break
        if same:
            return k
    return -1


@numba.njit(cache=True, nogil=True)
def _scan_line(
    data: np.ndarray,
    words: np.ndarray,
    p: int,
    e: int,
    keys: np.ndarray,
    key_offsets: np.ndarray,
    kinds: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    stack: np.ndarray,
) -> bool:
    """Validate one line as a JSON object (strictly within what Python's json accepts) and record, for each
    wanted top-level key, the kind and span of its last value (strings: the content between the quotes).
    `stack` (_MAX_DEPTH bytes) is scratch: 1 for an open object, 2 for an open array."""
    p = _skip_ws(data, p, e)
    if p >= e or data[p] != 123:
        return False
    depth = 0
    current = -1  # wanted key whose container value is open at depth 2
    container_start = 0
    expect_value = True
    while True:
        if expect_value:
            c = data[p]
            kind = -1
            vstart = p
            vend = p
            if c == 123 or c == 91:
                if depth >= _MAX_DEPTH:
                    return False
                stack[depth] = 1 if c == 123 else 2
                depth += 1
                if depth == 2:
                    container_start = p
                p = _skip_ws(data, p + 1, e)
                if p >= e:
                    return False
                if (c == 123 and data[p] == 125) or (c == 91 and data[p] == 93):
                    depth -= 1
                    p += 1
                    if depth == 1:
                        kind = KIND_OBJECT if c == 123 else KIND_ARRAY
                        vstart = container_start
                        vend = p
                    elif depth == 0:
                        break
                elif c == 123:
                    expect_value = False  # a key comes next
                    continue
                else:
                    continue  # an array's first value
            elif c == 34:
                q, escaped = _scan_string(data, words, p + 1, e)
                if q < 0:
                    return False
                kind = KIND_STR_ESC if escaped else KIND_STR
                vstart = p + 1
                vend = q
                p = q + 1
            elif c == 116 or c == 102 or c == 110:
                if (
                    c == 116
                    and p + 4 <= e
                    and data[p + 1] == 114
                    and data[p + 2] == 117
                    and data[p + 3] == 101
                ):
                    kind = KIND_TRUE
                    p += 4
                elif (
                    c == 102
                    and p + 5 <= e
                    and data[p + 1] == 97
                    and data[p + 2] == 108
                    and data[p + 3] == 115
                    and data[p + 4] == 101
                ):
                    kind = KIND_FALSE
                    p += 5
                elif (
                    c == 110
                    and p + 4 <= e
                    and data[p + 1] == 117
                    and data[p + 2] == 108
                    and data[p + 3] == 108
                ):
                    kind = KIND_NULL
                    p += 4
                else:
                    return False
                vend = p
            else:
                q = _scan_number(data, p, e)
                if q < 0 or q - p > _MAX_NUMBER_CHARS:
                    return False
                kind = KIND_NUMBER
                p = q
                vend = q
            if depth == 1 and current >= 0 and kind >= 0:
                kinds[current] = kind
                starts[current] = vstart
                ends[current] = vend
                current = -1
            # after a value: "," or the container's end
            while True:
                p = _skip_ws(data, p, e)
                if p >= e:
                    return False
                c = data[p]
                top = stack[depth - 1]
                if c == 44:
                    p = _skip_ws(data, p + 1, e)
                    if p >= e:
                        return False
                    expect_value = top == 2
                    break
                if (top == 1 and c == 125) or (top == 2 and c == 93):
                    depth -= 1
                    p += 1
                    if depth == 1 and current >= 0:
                        kinds[current] = KIND_OBJECT if c == 125 else KIND_ARRAY
                        starts[current] = container_start
                        ends[current] = p
                        current = -1
                    if depth == 0:
                        break
                    continue
                return False
            if depth == 0:
                break
            if expect_value:
                continue
        # a key, then ":"
        if data[p] != 34:
            return False
        q, escaped = _scan_string(data, words, p + 1, e)
        if q < 0:
            return False
        if depth == 1:
            if escaped:
                return False  # an escaped key might spell a wanted one
            current = _match_key(data, p + 1, q, keys, key_offsets)
        p = _skip_ws(data, q + 1, e)
        if p >= e or data[p] != 58:
            return False
        p = _skip_ws(data, p + 1, e)
        if p >= e:
            return False
        expect_value = True
    return _skip_ws(data, p, e) == e


@numba.njit(cache=True, nogil=True)
def _scan_lines(
    data: np.ndarray, words: np.ndarray, offsets: np.ndarray, keys: np.ndarray, key_offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`_scan_line` over a batch (a trailing "\\r" is not part of a line); ok[i] False sends line i to Python."""
    n = len(offsets) - 1
    nkeys = len(key_offsets) - 1
    ok = np.zeros(n, np.bool_)
    kinds = np.zeros((n, nkeys), np.int8)
    starts = np.zeros((n, nkeys), np.int64)
    ends = np.zeros((n, nkeys), np.int64)
    stack = np.zeros(_MAX_DEPTH, np.uint8)
    for i in range(n):
        p = offsets[i]
        e = offsets[i + 1]
        if e > p and data[e - 1] == 13:
            e -= 1
        if _valid_utf8(data, words, p, e):
            ok[i] = _scan_line(data, words, p, e, keys, key_offsets, kinds[i], starts[i], ends[i], stack)
    return ok, kinds, starts, ends


@numba.njit(cache=True, nogil=True)
def _put_utf8(out: np.ndarray, o: int, cp: int) -> int:
    if cp < 0x80:
        out[o] = cp
        return o + 1
    if cp < 0x800:
        out[o] = 0xC0 | (cp >> 6)
        out[o + 1] = 0x80 | (cp & 0x3F)
        return o + 2
    if cp < 0x10000:
        out[o] = 0xE0 | (cp >> 12)
        out[o + 1] = 0x80 | ((cp >> 6) & 0x3F)
        out[o + 2] = 0x80 | (cp & 0x3F)
        return o + 3
    out[o] = 0xF0 | (cp >> 18)
    out[o + 1] = 0x80 | ((cp >> 12) & 0x3F)
    out[o + 2] = 0x80 | ((cp >> 6) & 0x3F)
    out[o + 3] = 0x80 | (cp & 0x3F)
    return o + 4


@numba.njit(cache=True, nogil=True)
def _ws_prefix(out: np.ndarray, p: int, e: int) -> int:
    """Length of the str.isspace() character at `p` (valid UTF-8), 0 if it is not one."""
    c = out[p]
    if c == 32 or 9 <= c <= 13 or 28 <= c <= 31:
        return 1
    if c == 0xC2 and p + 1 < e and (out[p + 1] == 0x85 or out[p + 1] == 0xA0):
        return 2
    if p + 2 < e and _ws3(out[p], out[p + 1], out[p + 2]):
        return 3
    return 0


@numba.njit(cache=True, nogil=True)
def _ws3(a: int, b: int, c: int) -> bool:
    if a == 0xE1:
        return b == 0x9A and c == 0x80
    if a == 0xE2:
        if b == 0x80:
            return c <= 0x8A or c == 0xA8 or c == 0xA9 or c == 0xAF
        return b == 0x81 and c == 0x9F
    return a == 0xE3 and b == 0x80 and c == 0x80


@numba.njit(cache=True, nogil=True)
def _ws_suffix(out: np.ndarray, s: int, e: int) -> int:
    """Length of the str.isspace() character ending at `e` (valid UTF-8 from `s`), 0 if it is not one."""
    c = out[e - 1]
    if c == 32 or 9 <= c <= 13 or 28 <= c <= 31:
        return 1
    if e - 2 >= s and out[e - 2] == 0xC2 and (c == 0x85 or c == 0xA0):
        return 2
    if e - 3 >= s and _ws3(out[e - 3], out[e - 2], c):
        return 3
    return 0


# `clean_str`'s null spellings, as ASCII bytes (only ASCII text can lower() to one of them).
_NULL_SPELLINGS = np.frombuffer("|".join(sorted(NULL_STRINGS)).encode() + b"|", np.uint8)


@numba.njit(cache=True, nogil=True)
def _is_null_spelling(out: np.ndarray, s: int, e: int) -> bool:
    n = e - s
    if n > 9:
        return False
    spellings = _NULL_SPELLINGS
    a = 0
    for b in range(len(spellings)):
        if spellings[b] != 124:
            continue
        if b - a == n:
            same = True
            for i in range(n):
                c = out[s + i]
                if 65 <= c <= 90:
                    c += 32
                if c != spellings[a + i]:
                    same = False
                    break
            if same:
                return True
        a = b + 1
    return False


def _copy_bytes_typing(typingctx: Any, out: Any, o: Any, data: Any, index: Any, count: Any) -> Any:
    """_copy_bytes(out, o, data, index, count): out[o:o + count] = data[index:index + count] as one memmove (numba's
    slice copy goes byte by byte). Adapted from `dej_platform.skills.scanner._copy_bytes`: numba's cache only
    tracks the kernel's own file, so each kernel module keeps its own helpers."""
    signature = types.void(out, o, data, index, count)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        target = context.make_array(sig.args[0])(context, builder, args[0])
        source = context.make_array(sig.args[2])(context, builder, args[2])
        cgutils.raw_memmove(
            builder, builder.gep(target.data, [args[1]]), builder.gep(source.data, [args[3]]), args[4], 1
        )
        return context.get_dummy_value()

    return signature, codegen


_copy_bytes: Any = intrinsic(_copy_bytes_typing)


@numba.njit(cache=True, nogil=True)
def _unescape(data: np.ndarray, words: np.ndarray, p: int, e: int, out: np.ndarray, o: int) -> int:
    """Write the decoded content of a validated JSON string body data[p:e] at out[o:]; returns the new end."""
    while p < e:
        q = p
        while q < e:  # the next backslash, 8 bytes at a time where aligned
            if (q & 7) == 0:
                while q + 8 <= e:
                    b = words[q >> 3] ^ _BACKSLASHES
                    if ((b - _ONES) & ~b & _HIGH) != 0:
                        break
                    q += 8
                if q >= e:
                    break
            if data[q] == 92:
                break
            q += 1
        if q > p:
            _copy_bytes(out, o, data, p, q - p)
            o += q - p
            p = q
            continue
        c = data[p + 1]
        if c == 117:
            cp = _hex4(data, p + 2, e)
            p += 6
            if 0xD800 <= cp <= 0xDBFF:
                cp = 0x10000 + ((cp - 0xD800) << 10) + (_hex4(data, p + 2, e) - 0xDC00)
                p += 6
            o = _put_utf8(out, o, cp)
            continue
        if c == 98:
            c = 8
        elif c == 102:
            c = 12
        elif c == 110:
            c = 10
        elif c == 114:
            c = 13
        elif c == 116:
            c = 9
        out[o] = c  # '"', '\\' and '/' stand for themselves
        o += 1
        p += 2
    return o


@numba.njit(cache=True, nogil=True)
def _clean_bounds(buf: np.ndarray, s: int, e: int) -> tuple[int, int, bool]:
    """`clean_str` on buf[s:e] (valid UTF-8): the str.strip() bounds, and whether the text is null."""
    while e > s:
        w = _ws_suffix(buf, s, e)
        if w == 0:
            break
        e -= w
    while s < e:
        w = _ws_prefix(buf, s, e)
        if w == 0:
            break
        s += w
    return s, e, _is_null_spelling(buf, s, e)


@numba.njit(cache=True, nogil=True)
def _gather_strings(
    data: np.ndarray, words: np.ndarray, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray, clean: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The decoded text of string values (escapes resolved, spans already validated by `_scan_lines`) as Arrow
    large_string buffers; other kinds are null. `clean` applies `clean_str` (str.strip(), null spellings)."""
    n = len(kinds)
    total = 0
    for i in range(n):
        if kinds[i] == KIND_STR or kinds[i] == KIND_STR_ESC:
            total += ends[i] - starts[i]
    out = np.empty(total, np.uint8)
    offsets = np.zeros(n + 1, np.int64)
    valid = np.zeros(n, np.bool_)
    o = 0
    for i in range(n):
        k = kinds[i]
        if KIND_STR <= k <= KIND_STR_ESC:
            row_start = o
            o = _unescape(data, words, starts[i], ends[i], out, o)
            valid[i] = True
            if clean:
                s, e, null = _clean_bounds(out, row_start, o)
                if null:
                    valid[i] = False
                    s = e = row_start
                if s > row_start:
                    for j in range(e - s):
                        out[row_start + j] = out[s + j]
                o = row_start + e - s
        offsets[i + 1] = o
    return out[:o], offsets, valid


@numba.njit(cache=True, nogil=True)
def _gather_spans(
    data: np.ndarray, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The JSON text of each value (strings with their quotes) as Arrow large_binary buffers; absent is null."""
    n = len(kinds)
    total = 0
    for i in range(n):
        if kinds[i] != KIND_ABSENT:
            total += ends[i] - starts[i] + 2
    out = np.empty(total, np.uint8)
    offsets = np.zeros(n + 1, np.int64)
    valid = np.zeros(n, np.bool_)
    o = 0
    for i in range(n):
        k = kinds[i]
        if k != KIND_ABSENT:
            s = starts[i]
            e = ends[i]
            if KIND_STR <= k <= KIND_STR_ESC:  # with its quotes
                s -= 1
                e += 1
            _copy_bytes(out, o, data, s, e - s)
            o += e - s
            valid[i] = True
        offsets[i + 1] = o
    return out[:o], offsets, valid


# Top-level keys the record reads; any other key is skipped (but still validated).
_WANTED_KEYS: tuple[str, ...] = (
    "job_posting_id",
    "url",
    "timestamp",
    "company_name",
    "company_id",
    "company_url",
    "job_title",
    "job_seniority_level",
    "job_function",
    "job_employment_type",
    "job_industries",
    "job_location",
    "country_code",
    "job_posted_date",
    "application_availability",
    "apply_link",
    "is_easy_apply",
    "job_num_applicants",
    "base_salary",
    "job_base_pay_range",
    "job_poster",
    "job_summary",
    "job_description_formatted",
    "job_description_html",
    "job_description",
    "error",
    "error_code",
)
_KEY = {key: index for index, key in enumerate(_WANTED_KEYS)}
_KEY_BYTES = np.frombuffer("".join(_WANTED_KEYS).encode(), np.uint8)
_KEY_OFFSETS = np.cumsum([0, *(len(k) for k in _WANTED_KEYS)]).astype(np.int64)


def _key_table(keys: tuple[str, ...]) -> np.ndarray:
    """Key indexes by (length, last byte), for `_match_key`; at most 2 of our keys share a slot."""
    table = np.full((64, 256, 2), -1, np.int16)
    for index, key in enumerate(keys):
        slots = table[len(key), ord(key[-1])]
        slots[int((slots >= 0).sum())] = index  # an IndexError here: 3 keys in one slot, widen the table
    return table


_KEY_TABLE = _key_table(_WANTED_KEYS)
# Record fields that are `_text(obj, key)` of one key, vectorized for string values.
_TEXT_FIELDS: dict[str, str] = {
    "url": "url",
    "company_name": "company_name",
    "company_url": "company_url",
    "job_title": "job_title",
    "seniority_label": "job_seniority_level",
    "job_function": "job_function",
    "employment_type_label": "job_employment_type",
    "job_industries_label": "job_industries",
    "job_location": "job_location",
    "country_code": "country_code",
    "apply_link": "apply_link",
    "job_base_pay_range": "job_base_pay_range",
    "job_summary": "job_summary",
    "_html_formatted": "job_description_formatted",
    "_html_html": "job_description_html",
    "_html_description": "job_description",
}
# The ISO timestamps and ids read without Python.
_FAST_TIMESTAMP = (
    r"^(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?Z$"
)
_FAST_ID = r"^[0-9]*[1-9][0-9]*(?:\.0*)?$"
_UTC_US = pl.Datetime("us", "UTC")
_RECORD_SCHEMA: dict[str, pl.DataType] = {
    name: (
        _UTC_US
        if name in ("scraped_at", "job_posted_at")
        else pl.Boolean()
        if name in ("application_availability", "is_easy_apply")
        else pl.Int32()
        if name == "job_num_applicants"
        else pl.String()
    )
    for name in RECORD_FIELDS
    if name != "base_salary"
}


class _Fallback(Exception):
    """This line needs `parse_line` (a quarantine reason, or a type the batch path does not cover)."""


@dataclass(frozen=True)
class ParsedBatch:
    """A batch of lines: typed records (line order), their base_salary objects, the other non-blank lines."""

    records: pl.DataFrame  # _RECORD_SCHEMA + "_row" (line index) + "_utf8_repaired"
    base_salary: list[Any]  # aligned with `records`
    others: list[tuple[int, LineResult]]  # quarantined lines and error rows, line order


def _fast_timestamp_expr(column: str) -> pl.Expr:
    """`parse_utc_timestamp` for `2026-01-01T05:20:00.798Z`-shaped text; null for anything else."""
    text = pl.col(column)
    shaped = text.str.contains(_FAST_TIMESTAMP)
    seconds = text.str.slice(0, 19).str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False)
    micros = text.str.extract(r"\.([0-9]{1,6})Z$", 1).str.pad_end(6, "0").cast(pl.Int64).fill_null(0)
    stamp = (seconds + pl.duration(microseconds=micros)).dt.replace_time_zone("UTC")
    return pl.when(shaped).then(stamp).otherwise(None).alias(column)


def _fast_id_exprs() -> tuple[pl.Expr, pl.Expr]:
    """`id_fast` (the id text is digits, maybe with a ".0" tail) and the id without that tail: the fast path's
    reading of `job_posting_id`, shared by the batch parser and the key scan so they cannot drift apart."""
    return (
        pl.col("job_posting_id").str.contains(_FAST_ID).fill_null(False).alias("id_fast"),
        pl.col("job_posting_id").str.replace(r"\..*$", ""),
    )


def _id_value(value: Any) -> str:
    if value is None or (isinstance(value, str) and clean_str(value) is None):
        raise _Fallback
    if isinstance(value, dict | list | bool):
        raise _Fallback
    posting_id = normalize_posting_id(value)
    if posting_id is None:
        raise _Fallback
    return posting_id


def _scraped_value(value: Any) -> datetime:
    if value is None or isinstance(value, dict | list):
        raise _Fallback
    scraped = _timestamp(value)
    if scraped is None:
        raise _Fallback
    return scraped


def _text_value(value: Any) -> str | None:
    return _text({"v": value}, "v")


def _bool_value(value: Any) -> bool | None:
    return parse_bool(_scalar({"v": value}, "v"))


def _poster_value(value: Any) -> tuple[str | None, str | None, str | None]:
    poster = coerce_mapping(value) or {}
    return _text(poster, "name"), _text(poster, "title"), _text(poster, "url")


def _arrow_buffers(arrow_type: pa.DataType, parts: tuple[np.ndarray, np.ndarray, np.ndarray]) -> pa.Array:
    buf, offsets, valid = parts
    validity = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(arrow_type, len(valid), [validity, pa.py_buffer(offsets), pa.py_buffer(buf)])


class _Typer:
    """Typed columns for the lines `_scan_lines` accepted; values it cannot type mark their line for Python."""

    def __init__(
        self, data: np.ndarray, rows: np.ndarray, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray
    ):
        self.data = data
        self.words = data[: len(data) // 8 * 8].view(np.uint64)
        self.kinds = np.ascontiguousarray(kinds[rows].T)
        self.starts = np.ascontiguousarray(starts[rows].T)
        self.ends = np.ascontiguousarray(ends[rows].T)
        self.bad = np.zeros(len(rows), np.bool_)

    def strings(self, key: str, clean: bool = True) -> pl.Series:
        """String values of `key` (others null), through `clean_str` unless `clean` is False. Each column gets
        its own compact buffer: a column kept after the batch must not keep the batch's lines alive."""
        k = _KEY[key]
        parts = _gather_strings(self.data, self.words, self.kinds[k], self.starts[k], self.ends[k], clean)
        return pl.Series(key, _arrow_buffers(pa.large_string(), parts), pl.String())

    def spans(self, key: str, rows: np.ndarray) -> pl.Series:
        """The JSON text of `key`'s value in `rows` (strings with their quotes), as binary."""
        k = _KEY[key]
        parts = _gather_spans(self.data, self.kinds[k][rows], self.starts[k][rows], self.ends[k][rows])
        return pl.Series("span", _arrow_buffers(pa.large_binary(), parts), pl.Binary())

    def distinct_values(self, key: str, rows: np.ndarray, convert: Any) -> tuple[np.ndarray, list[Any]]:
        """`convert(json value)` once per distinct JSON text of `key` in `rows`: (code of each row, results).
        Raising `_Fallback` or `_WrongType` marks the rows for `parse_line` (their result here is None)."""
        spans = self.spans(key, rows)
        distinct = spans.unique(maintain_order=True)
        codes = (
            pl.DataFrame({"span": spans})
            .join(
                distinct.to_frame().with_row_index("code"),
                on="span",
                how="left",
                maintain_order="left",
                nulls_equal=True,
            )["code"]
            .to_numpy()
        )
        results: list[Any] = []
        failed: list[bool] = []
        for text in distinct.to_list():
            try:
                results.append(convert(None if text is None else json.loads(text.decode("utf-8"))))
                failed.append(False)
            except (_Fallback, _WrongType):
                results.append(None)
                failed.append(True)
        if any(failed):
            self.bad[rows[np.asarray(failed)[codes]]] = True
        return codes, results

    def values(self, key: str, rows: np.ndarray, convert: Any) -> list[Any]:
        """`distinct_values`, one result per row."""
        codes, results = self.distinct_values(key, rows, convert)
        return [results[code] for code in codes.tolist()]

    def patch(self, series: pl.Series, key: str, need: np.ndarray, convert: Any) -> pl.Series:
        rows = np.flatnonzero(need)
        if not len(rows):
            return series
        values = pl.Series(series.name, self.values(key, rows, convert), series.dtype, strict=False)
        return series.scatter(rows, values)

    def kind(self, key: str) -> np.ndarray:
        return self.kinds[_KEY[key]]


_ODD_KINDS = [KIND_NUMBER, KIND_TRUE, KIND_FALSE, KIND_OBJECT, KIND_ARRAY]
_INT_TEXT = r"^-?[0-9]{1,12}$"
_SCIENTIFIC = r"[eE]"


def _type_fast_rows(typer: _Typer) -> tuple[pl.DataFrame, list[Any]]:
    """The record columns for the accepted lines (rows `typer.bad` still to be replaced by `parse_line`)."""
    columns: dict[str, pl.Series] = {}
    for name, key in _TEXT_FIELDS.items():
        convert = _industries if name == "job_industries_label" else _text_value
        need = np.isin(typer.kind(key), _ODD_KINDS)
        columns[name] = typer.patch(typer.strings(key).alias(name), key, need, convert)
    m = len(typer.bad)
    raw = pl.DataFrame(
        [
            typer.strings("job_posting_id"),
            typer.strings("company_id"),
            typer.strings("timestamp", clean=False),
            typer.strings("job_posted_date", clean=False),
            pl.Series(
                "job_num_applicants",
                _arrow_buffers(
                    pa.large_binary(),
                    _gather_spans(
                        typer.data,
                        typer.kind("job_num_applicants"),
                        typer.starts[_KEY["job_num_applicants"]],
                        typer.ends[_KEY["job_num_applicants"]],
                    ),
                ),
            ).cast(pl.String),
        ]
    )
    company_fast = pl.col("company_id").str.contains(r"^[\x00-\x7f]*$") & ~pl.col("company_id").str.contains(
        _SCIENTIFIC
    )
    company_id_digits = pl.col("company_id").str.contains(_FAST_ID)
    applicants = pl.col("job_num_applicants")
    applicants_int = applicants.str.contains(_INT_TEXT).fill_null(False)
    applicants_value = applicants.cast(pl.Int64, strict=False)
    typed = raw.select(
        *_fast_id_exprs(),
        company_fast.fill_null(False).alias("company_fast"),
        pl.when(company_id_digits)
        .then(pl.col("company_id").str.replace(r"\..*$", ""))
        .otherwise(pl.col("company_id"))
        .alias("company_id"),
        _fast_timestamp_expr("timestamp"),
        _fast_timestamp_expr("job_posted_date"),
        (applicants_int | applicants.is_null() | (applicants == "null")).alias("applicants_fast"),
        pl.when(applicants_int & applicants_value.is_between(0, _INT32_MAX))
        .then(applicants_value)
        .otherwise(None)
        .cast(pl.Int32)
        .alias("job_num_applicants"),
    )
    id_fast = typed["id_fast"].to_numpy()
    columns["job_posting_id"] = typer.patch(typed["job_posting_id"], "job_posting_id", ~id_fast, _id_value)
    company_kind = typer.kind("company_id")
    company_python = ~typed["company_fast"].to_numpy() & (company_kind > KIND_NULL)
    columns["company_id"] = typer.patch(
        typed["company_id"], "company_id", company_python, lambda v: _id_text({"v": v}, "v")
    )
    columns["job_num_applicants"] = typer.patch(
        typed["job_num_applicants"],
        "job_num_applicants",
        ~typed["applicants_fast"].to_numpy(),
        lambda v: _int32(_scalar({"v": v}, "v")),
    )
    scraped = typed["timestamp"]
    columns["scraped_at"] = typer.patch(scraped, "timestamp", scraped.is_null().to_numpy(), _scraped_value)
    posted = typed["job_posted_date"]
    posted_kind = typer.kind("job_posted_date")
    columns["job_posted_at"] = typer.patch(
        posted, "job_posted_date", posted.is_null().to_numpy() & (posted_kind > KIND_NULL), _timestamp
    )

    def flags(key: str) -> pl.Series:
        kinds = typer.kind(key)
        series = pl.Series(key, kinds == KIND_TRUE, pl.Boolean()).set(pl.Series(kinds <= KIND_NULL), None)
        return typer.patch(series, key, kinds >= KIND_NUMBER, _bool_value)

    available = flags("application_availability")
    columns["application_availability"] = available
    easy = flags("is_easy_apply")
    stated = pl.Series(typer.kind("is_easy_apply") != KIND_ABSENT)
    implied = pl.when(available.fill_null(False)).then(columns["apply_link"].is_null()).otherwise(None)
    columns["is_easy_apply"] = pl.select(
        pl.when(stated).then(easy).otherwise(implied).alias("is_easy_apply")
    ).to_series()

    everyone = np.arange(m)
    codes, posters = typer.distinct_values("job_poster", everyone, _poster_value)
    for index, name in enumerate(("job_poster_name", "job_poster_title", "job_poster_url")):
        distinct = pl.Series(name, [p[index] if p else None for p in posters], pl.String())
        columns[name] = distinct.gather(codes)
    columns["job_description_html"] = pl.select(
        pl.coalesce(columns["_html_formatted"], columns["_html_html"], columns["_html_description"])
    ).to_series()
    base_salary = typer.values("base_salary", everyone, _salary)
    frame = pl.DataFrame([columns[name].alias(name) for name in _RECORD_SCHEMA]).cast(
        pl.Schema(_RECORD_SCHEMA)
    )
    return frame, base_salary


def _binary_array(lines: pa.Array | pa.ChunkedArray) -> pa.LargeBinaryArray:
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks() if lines.num_chunks != 1 else lines.chunk(0)
    return lines.cast(pa.large_binary())


def _scanned(array: pa.LargeBinaryArray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`_scan_lines` over an Arrow column: the line bytes, and per line ok (a JSON object, not null, not an error
    row), kinds, starts and ends."""
    n = len(array)
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], np.int64, count=n + 1, offset=array.offset * 8)
    data = np.frombuffer(buffers[2], np.uint8) if n and buffers[2] is not None else np.zeros(0, np.uint8)
    if data.ctypes.data % 8:
        data = data.copy()  # 8-byte words need an aligned start (Arrow buffers are 64-byte aligned)
    words = data[: len(data) // 8 * 8].view(np.uint64)
    ok, kinds, starts, ends = _scan_lines(data, words, offsets, _KEY_BYTES, _KEY_OFFSETS)
    if array.null_count:
        ok &= array.is_valid().to_numpy(zero_copy_only=False)
    ok &= kinds[:, _KEY["error"]] <= KIND_NULL
    ok &= kinds[:, _KEY["error_code"]] <= KIND_NULL
    return data, ok, kinds, starts, ends


# The JSON types with which each field surely leaves a line's outcome alone (parse_line's converters: text may not
# be a boolean, object or array; flags and counts may not be objects or arrays; `_timestamp` never raises; the
# id and timestamp are checked by their fast shapes instead). Poster objects get one more check (`_NOT_FLAT`).
_TEXT_KINDS = (KIND_ABSENT, KIND_NULL, KIND_STR, KIND_STR_ESC)
_SCALAR_KINDS = (KIND_ABSENT, KIND_NULL, KIND_TRUE, KIND_FALSE, KIND_NUMBER, KIND_STR, KIND_STR_ESC)
_SURE_KINDS: dict[str, tuple[int, ...]] = {
    **{key: _TEXT_KINDS for key in _WANTED_KEYS},
    "job_posting_id": (KIND_STR,),
    "timestamp": (KIND_STR,),
    "job_posted_date": tuple(range(KIND_ARRAY + 1)),
    "company_id": (*_TEXT_KINDS, KIND_NUMBER),
    "job_industries": (*_TEXT_KINDS, KIND_ARRAY),
    "application_availability": _SCALAR_KINDS,
    "is_easy_apply": _SCALAR_KINDS,
    "job_num_applicants": _SCALAR_KINDS,
    "job_poster": (KIND_ABSENT, KIND_NULL, KIND_OBJECT),
    "base_salary": (KIND_ABSENT, KIND_NULL, KIND_OBJECT),
    "error": (KIND_ABSENT, KIND_NULL),
    "error_code": (KIND_ABSENT, KIND_NULL),
}
# A poster object quarantines its line if a value is not text (`_text` of name, title, url). An object with no
# nested bracket and no true/false anywhere after its opening brace surely has none; other objects (strings
# holding such text included) are left to `parse_lines_batch`. A base_salary object never quarantines a line.
_NOT_FLAT = r"[\[{]|true|false"


@dataclass(frozen=True)
class RecordKeys:
    """What dedup needs of a batch's lines, without typing their text: for each line, whether it is surely a
    record (`parse_lines_batch` would make it one), and then its posting id and scraped_at."""

    sure: np.ndarray  # bool per line
    job_posting_id: pl.Series  # String per line, null where not sure
    scraped_at: pl.Series  # Datetime UTC per line, null where not sure


def record_keys(lines: pa.Array | pa.ChunkedArray) -> RecordKeys:
    """The dedup keys of the lines that are surely records, ~5x cheaper than `parse_lines_batch`.

    A line is sure when the batch path would type it without Python: a JSON object, not an error row, its id
    and timestamp in the fast shapes, no field of a type that could quarantine it (booleans, objects or arrays
    where text belongs, a poster object with values that may not be text). Every other line is for
    `parse_lines_batch`, so the two never disagree on a line called sure (the engine checks that again).
    """
    array = _binary_array(lines)
    n = len(array)
    data, ok, kinds, starts, ends = _scanned(array)
    for key, index in _KEY.items():
        ok &= np.isin(kinds[:, index], _SURE_KINDS[key])
    rows = np.flatnonzero(ok)
    posting_id = pl.Series("job_posting_id", [None] * n, pl.String())
    scraped_at = pl.Series("scraped_at", [None] * n, _UTC_US)
    if len(rows):
        typer = _Typer(data, rows, kinds, starts, ends)
        posters = np.flatnonzero(typer.kind("job_poster") == KIND_OBJECT)
        if len(posters):
            inner = typer.spans("job_poster", posters).cast(pl.String).str.slice(1)
            typer.bad[posters[inner.str.contains(_NOT_FLAT).to_numpy()]] = True
        typed = pl.DataFrame(
            [typer.strings("job_posting_id"), typer.strings("timestamp", clean=False)]
        ).select(
            *_fast_id_exprs(),
            _fast_timestamp_expr("timestamp"),
        )
        fast = typed["id_fast"].to_numpy() & typed["timestamp"].is_not_null().to_numpy() & ~typer.bad
        sure_rows = rows[fast]
        ok[:] = False
        ok[sure_rows] = True
        if len(sure_rows):
            posting_id = posting_id.scatter(sure_rows, typed["job_posting_id"].filter(fast))
            scraped_at = scraped_at.scatter(sure_rows, typed["timestamp"].filter(fast))
    return RecordKeys(ok, posting_id, scraped_at)


def parse_lines_batch(lines: pa.Array | pa.ChunkedArray) -> ParsedBatch:
    """`parse_line` for a whole column of lines (Arrow binary), as columns; same outcomes, records and reasons."""
    array = _binary_array(lines)
    data, ok, kinds, starts, ends = _scanned(array)
    rows = np.flatnonzero(ok)
    frames: list[pl.DataFrame] = []
    bases: list[Any] = []
    fast_bases: list[Any] = []
    if len(rows):
        typer = _Typer(data, rows, kinds, starts, ends)
        frame, fast_bases = _type_fast_rows(typer)
        keep = ~typer.bad
        frame = frame.with_columns(
            pl.Series("_row", rows, pl.Int64()), pl.lit(False, pl.Boolean()).alias("_utf8_repaired")
        )
        if not keep.all():
            frame = frame.filter(pl.Series(keep))
            fast_bases = [b for b, k in zip(fast_bases, keep.tolist(), strict=True) if k]
            ok[rows[~keep]] = False
        frames.append(frame)

    slow_rows: list[int] = []
    slow_records: list[tuple[Any, ...]] = []
    slow_repaired: list[bool] = []
    others: list[tuple[int, LineResult]] = []
    for row in np.flatnonzero(~ok).tolist():
        raw = array[row].as_py()
        if raw and raw[-1:] == b"\r":
            raw = raw[:-1]
        result = parse_line(raw)
        if result.outcome is LineOutcome.RECORD:
            assert result.record is not None
            slow_rows.append(row)
            slow_records.append(result.record)
            slow_repaired.append(result.utf8_repaired)
        elif result.outcome is not LineOutcome.BLANK:
            others.append((row, result))
    if not slow_rows:
        bases = fast_bases
    else:
        columns = list(zip(*slow_records, strict=True))
        slow = pl.DataFrame(
            {
                **{
                    name: pl.Series(name, values, _RECORD_SCHEMA[name], strict=False)
                    for name, values in zip(RECORD_FIELDS, columns, strict=True)
                    if name != "base_salary"
                },
                "_row": pl.Series(slow_rows, dtype=pl.Int64()),
                "_utf8_repaired": pl.Series(slow_repaired, dtype=pl.Boolean()),
            }
        )
        frames.append(slow)
        by_row = dict(zip(frames[0]["_row"].to_list(), fast_bases, strict=True)) if len(frames) > 1 else {}
        by_row.update(zip(slow_rows, columns[RECORD_FIELDS.index("base_salary")], strict=True))
        merged = pl.concat(frames, how="vertical").sort("_row")
        bases = [by_row[row] for row in merged["_row"].to_list()]
        frames = [merged]
    if not frames:
        empty = pl.DataFrame(schema={**_RECORD_SCHEMA, "_row": pl.Int64(), "_utf8_repaired": pl.Boolean()})
        return ParsedBatch(empty, [], others)
    return ParsedBatch(frames[0], bases, others)
