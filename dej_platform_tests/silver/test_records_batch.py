"""The column-wise line parser (numba scan + polars typing) must equal `parse_line` line for line."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from dej_platform.silver import records
from dej_platform.silver.pipeline import content_hash, content_hash_batch
from dej_platform.silver.records import (
    _KEY,
    _KEY_BYTES,
    _KEY_OFFSETS,
    KIND_STR,
    KIND_STR_ESC,
    RECORD_FIELDS,
    LineOutcome,
    _scan_lines,
    parse_line,
    parse_lines_batch,
)
from dej_platform.silver.vocabularies import clean_str, parse_utc_timestamp
from dej_platform_tests.silver.conftest import (
    ERROR_ROW,
    HOSTILE_ITEMS,
    bronze_record,
    jsonl_lines,
    new_shape_record,
)

WHITESPACE = [c for c in map(chr, range(0x3001)) if c.isspace()]


def _expected(lines: list[bytes]) -> tuple[list[tuple[int, tuple[Any, ...], bool]], list[tuple[Any, ...]]]:
    records, others = [], []
    for row, raw in enumerate(lines):
        if raw and raw[-1:] == b"\r":
            raw = raw[:-1]
        result = parse_line(raw)
        if result.outcome is LineOutcome.RECORD:
            records.append((row, result.record, result.utf8_repaired))
        elif result.outcome is not LineOutcome.BLANK:
            others.append((row, result.outcome, result.reason, result.utf8_repaired))
    return records, others


def _same(have: Any, want: Any) -> bool:
    if isinstance(have, float) and isinstance(want, float) and math.isnan(have) and math.isnan(want):
        return True
    return type(have) is type(want) and have == want


def assert_batch_equals_per_line(lines: list[bytes], array: pa.Array | pa.ChunkedArray | None = None) -> None:
    records, others = _expected(lines)
    parsed = parse_lines_batch(pa.array(lines, pa.binary()) if array is None else array)
    assert [(row, r.outcome, r.reason, r.utf8_repaired) for row, r in parsed.others] == others
    assert parsed.records["_row"].to_list() == [row for row, _, _ in records]
    assert len(parsed.base_salary) == parsed.records.height
    for index, (row, record, repaired) in enumerate(records):
        have = parsed.records.row(index, named=True)
        assert have["_utf8_repaired"] == repaired, row
        for name, want in zip(RECORD_FIELDS, record, strict=True):
            value = parsed.base_salary[index] if name == "base_salary" else have[name]
            assert _same(value, want), (row, name, value, want, lines[row][:300])


HOSTILE_LINES: list[bytes] = [
    *jsonl_lines(HOSTILE_ITEMS),
    b"",
    b"   ",
    b"\r",
    "\u3000".encode(),
    b"\x1c\x1d",
    b"null",
    b"{}",
    b"{} {}",
    b'{"a": 1,}',
    b'{"a" 1}',
    b"\xef\xbb\xbf" + json.dumps(bronze_record("1")).encode(),
    json.dumps(bronze_record("2")).encode() + b"\r",
    b"  \t" + json.dumps(bronze_record("3")).encode() + b" \r\n ",
    json.dumps(bronze_record("4")).encode().replace(b'"job_title"', b'"job\\u005ftitle"'),
    json.dumps(bronze_record("5")).encode()[:-1]
    + b', "job_title": "dup", "timestamp": "2026-01-01T06:00:00Z"}',
    json.dumps(bronze_record("6")).encode().replace(b"Senior", b"Sen\\ud800ior"),
    json.dumps(bronze_record("7")).encode().replace(b"Senior", b"Sen\\udc00\\ud800ior"),
    json.dumps(bronze_record("8")).encode().replace(b"Senior", b"Sen\\u00e9\\u2019\\ud83d\\ude00ior"),
    json.dumps(bronze_record("9")).encode().replace(b"Senior", b"Sen\xed\xa0\x80ior"),
    json.dumps(bronze_record("10")).encode().replace(b"Senior", b"Sen\xc0\xafior"),
    json.dumps(bronze_record("11")).encode().replace(b"Senior", b"Sen\xf4\x90\x80\x80ior"),
    json.dumps(bronze_record("12")).encode().replace(b"Senior", b"Sen\x01ior"),
    json.dumps(bronze_record("13")).encode().replace(b"Senior", b"Sen\\xior"),
    json.dumps(bronze_record("14")).encode().replace(b": 25", b": NaN"),
    json.dumps(bronze_record("15")).encode().replace(b": 25", b": 01"),
    json.dumps(bronze_record("16")).encode().replace(b": 25", b": 1E400"),
    json.dumps(bronze_record("17")).encode().replace(b": 25", b": -0"),
    json.dumps(bronze_record("17")).encode().replace(b": 25", b": " + b"9" * 5000),  # over int_max_str_digits
    json.dumps(bronze_record("17")).encode().replace(b": 25", b": " + b"9" * 600),
    json.dumps(bronze_record("17")).encode().replace(b": 25", b": 0." + b"9" * 5000),
    json.dumps(bronze_record("18")).encode()[:-1] + b', "deep": ' + b"[" * 70 + b"]" * 70 + b"}",
    json.dumps(bronze_record("19")).encode()[:-1] + b', "deep": ' + b"[" * 40 + b"]" * 40 + b"}",
    json.dumps(
        bronze_record("20", job_title=" \u3000Data\u00a0Engineer\u2028 ", company_name="\x1c N/A \x1f")
    ).encode(),
    json.dumps(
        bronze_record("21", job_title="Caf\u00e9 \u212a", job_function="NoNe"), ensure_ascii=False
    ).encode(),
    json.dumps(bronze_record("22", job_posting_id="\u0663\u0664", company_id="1.5e3")).encode(),
    json.dumps(bronze_record("23", job_posting_id="000", company_id="0")).encode(),
    json.dumps(bronze_record("24", job_posting_id=" 0042.000 ", company_id=" 0042.0 ")).encode(),
    json.dumps(bronze_record("25", job_num_applicants=2**31, application_availability="yes")).encode(),
    json.dumps(bronze_record("26", job_num_applicants=-3, is_easy_apply=None)).encode(),
    json.dumps(bronze_record("27", job_num_applicants="1,234", is_easy_apply="False")).encode(),
    json.dumps(bronze_record("28", job_industries=["A", {"x": 1}, None, "B"], job_poster="None")).encode(),
    json.dumps(bronze_record("29", job_industries={"x": 1})).encode(),
    json.dumps(bronze_record("30", job_poster={"name": 5, "title": " t ", "url": None})).encode(),
    json.dumps(bronze_record("31", job_poster={"name": True})).encode(),
    json.dumps(bronze_record("32", base_salary="{'min_amount': '1.0', 'max_amount': 2}")).encode(),
    json.dumps(bronze_record("33", base_salary={}, job_poster={})).encode(),
    json.dumps(
        bronze_record("34", base_salary=[], job_description_formatted=None, job_description="<p>x</p>")
    ).encode(),
    json.dumps(bronze_record("35", job_description_formatted=" ", job_description_html=7.5)).encode(),
    json.dumps(bronze_record("36", job_title=1e16, company_name=2.5, url=True)).encode(),
    json.dumps(bronze_record("37", timestamp=1767244800000, job_posted_date=1767244800.5)).encode(),
    json.dumps(
        bronze_record("38", timestamp="2026-02-30T05:20:00Z", job_posted_date="2026-02-30T05:20:00Z")
    ).encode(),
    json.dumps(bronze_record("39", timestamp="2026-01-01T05:20:00.1234567Z", job_posted_date=True)).encode(),
    json.dumps(
        bronze_record("40", timestamp=" 2026-01-01T05:20:00+02:00 ", job_posted_date={"a": 1})
    ).encode(),
    json.dumps(bronze_record("41", timestamp="2026-01-01T24:00:00Z")).encode(),
    json.dumps(bronze_record("42", timestamp="2026-01-01T05:20:60Z")).encode(),
    json.dumps(bronze_record("43", timestamp="0000-01-01T00:00:00Z")).encode(),
    json.dumps(bronze_record("44", error=None, error_code=None)).encode(),
    json.dumps(bronze_record("45", error="", error_code=" None ")).encode(),
    json.dumps(bronze_record("46", error={}, error_code=[])).encode(),
    json.dumps(bronze_record("47", error=[0])).encode(),
    json.dumps(ERROR_ROW).encode(),
    json.dumps(new_shape_record("48", is_easy_apply=1.0, application_availability=0)).encode(),
    json.dumps(bronze_record("49", application_availability=None, apply_link=None)).encode(),
    json.dumps(bronze_record("50", application_availability=False)).encode(),
    json.dumps(bronze_record("51", application_availability=[True])).encode(),
    json.dumps(bronze_record("52", job_summary='quote"back\\slash/\b\f\n\r\t\u0000end')).encode(),
]


def test_hostile_lines_give_the_same_outcomes_records_and_reasons() -> None:
    assert_batch_equals_per_line(HOSTILE_LINES)


def test_sliced_chunked_and_unaligned_inputs() -> None:
    lines = HOSTILE_LINES
    array = pa.array([b"skip", *lines, b"skip too"], pa.binary()).slice(1, len(lines))
    assert_batch_equals_per_line(lines, array)
    chunked = pa.chunked_array([pa.array(lines[:7], pa.binary()), pa.array(lines[7:], pa.binary())])
    assert_batch_equals_per_line(lines, chunked)
    large = pa.array(lines, pa.large_binary())
    validity, offsets, data = large.buffers()
    shifted = pa.py_buffer(b"x" + data.to_pybytes())[1:]  # data at an odd address
    assert shifted.address % 8 != 0
    unaligned = pa.Array.from_buffers(pa.large_binary(), len(lines), [validity, offsets, shifted])
    assert_batch_equals_per_line(lines, unaligned)


def test_typed_columns_do_not_keep_the_lines_buffer_alive() -> None:
    """The Polars engine keeps key columns of every batch until dedup: they must not pin the batch's lines."""
    before = pa.total_allocated_bytes()
    lines = pa.array(
        [json.dumps(bronze_record(str(i + 1), job_summary="x" * 100_000)).encode() for i in range(50)],
        pa.binary(),
    )
    assert pa.total_allocated_bytes() - before > 5_000_000
    kept = parse_lines_batch(lines).records.select("job_posting_id", "job_title", "scraped_at", "job_summary")
    del lines
    assert pa.total_allocated_bytes() - before < 1_000_000
    assert kept.height == 50


def test_text_fields_are_clean_str_for_every_whitespace_and_null_spelling() -> None:
    texts = [w + "Data" + w for w in WHITESPACE] + [w * 2 for w in WHITESPACE]
    texts += ["", "None", " NULL ", "nAn", "<NA>", "n/a", "UNDEFINED", "nat", "nul", "\u212a", "NoNe\u00a0"]
    texts += ["123456789012", " 123456789012 ", "1234567890123", "x" * 13 + "\u3000"]
    lines = [
        json.dumps(bronze_record(str(1 + i), job_title=t, job_summary=t), ensure_ascii=i % 2 == 0).encode()
        for i, t in enumerate(texts)
    ]
    assert_batch_equals_per_line(lines)
    titles = parse_lines_batch(pa.array(lines, pa.binary())).records["job_title"].to_list()
    assert titles == [clean_str(t) for t in texts]


def test_empty_and_blank_batches() -> None:
    assert parse_lines_batch(pa.array([], pa.binary())).records.height == 0
    parsed = parse_lines_batch(pa.array([b"", b"  ", b"\r"], pa.binary()))
    assert parsed.records.height == 0 and parsed.others == []


_VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 25, 2**31 - 1, 2**31, 25.0, 25.5, 1e300, "", " ", "None", " nan ", "N/A",
    "x", "25", "25.0", "1,234", "over 200", "-5", "0", "007", "1.0", "1e5", "\u0663", "true", "n",
    "2026-01-01T05:20:00Z", "2026-01-01T05:20:00.798Z", "2026-02-29T05:20:00Z", "2024-02-29T05:20:00.5Z",
    "2026-01-01 05:20", 1767244800, "Caf\u00e9", "\u212a", "\ud83d\ude00", "a\"b\\c",
    "{'name': 'Ana', 'title': None}", "{'min_amount': 1.0, 'currency': '$'}", {}, [], {"name": "J"},
    {"min_amount": "5", "max_amount": None}, ["A", "B"], [{"a": 1}],
]  # fmt: skip
_FIELDS = [
    "job_posting_id", "url", "timestamp", "company_name", "company_id", "job_title", "job_industries",
    "country_code", "job_posted_date", "application_availability", "apply_link", "is_easy_apply",
    "job_num_applicants", "base_salary", "job_base_pay_range", "job_poster", "job_summary",
    "job_description_formatted", "job_description_html", "job_description", "error",
]  # fmt: skip


def test_random_field_values_match_per_line() -> None:
    rng = random.Random(20261129)
    lines = []
    for index in range(1500):
        record = bronze_record(str(1000 + index)) if index % 2 else new_shape_record(str(1000 + index))
        for _ in range(rng.randint(0, 3)):
            field = rng.choice(_FIELDS)
            if rng.random() < 0.15:
                record.pop(field, None)
            else:
                value = rng.choice(_VALUES)
                if isinstance(value, str) and rng.random() < 0.3:
                    value = rng.choice(WHITESPACE) + value + rng.choice(WHITESPACE)
                record[field] = value
        lines.append(json.dumps(record, ensure_ascii=index % 3 == 0).encode("utf-8", "surrogatepass"))
    assert_batch_equals_per_line(lines)


def _scan_one(line: bytes) -> tuple[bool, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    data = np.frombuffer(line + b"\0" * 8, np.uint8)
    words = data[: len(data) // 8 * 8].view(np.uint64)
    ok, kinds, starts, ends = _scan_lines(
        data, words, np.array([0, len(line)], np.int64), _KEY_BYTES, _KEY_OFFSETS
    )
    return bool(ok[0]), data, kinds[0], starts[0], ends[0]


def _valid_for_python(line: bytes) -> bool:
    try:
        value = json.loads(line.decode("utf-8"))
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # a lone surrogate is not encodable
    except (ValueError, UnicodeError):
        return False
    return True


@pytest.mark.parametrize(
    "special",
    [
        '"',
        "\\",
        "\x01",
        "\x7f",
        "\u00e9",
        "\u20ac",
        "\U0001f600",
        "\\n",
        '\\"',
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\ud800",
    ],
)
def test_string_scan_at_every_word_offset(special: str) -> None:
    """The 8-byte SWAR skip must see a special byte wherever it falls in a word."""
    for offset in range(17):
        for tail in range(10):
            body = "a" * offset + special + "b" * tail
            line = ('{"job_title": "' + body + '"}').encode("utf-8", "surrogatepass")
            ok, data, kinds, starts, ends = _scan_one(line)
            assert ok == _valid_for_python(line), line
            if ok:
                assert kinds[_KEY["job_title"]] in (KIND_STR, KIND_STR_ESC)
                typer = records._Typer(data, np.array([0]), kinds[None], starts[None], ends[None])
                assert typer.strings("job_title", clean=False).to_list() == [json.loads(line)["job_title"]]


def _gathered(texts: list[str], clean: bool) -> list[str | None]:
    """`job_title` of one line per text, as `_Typer.strings` gathers it."""
    lines = [json.dumps({"job_title": t}, ensure_ascii=i % 2 == 0).encode() for i, t in enumerate(texts)]
    array = pa.array(lines, pa.large_binary())
    data = np.frombuffer(array.buffers()[2], np.uint8)
    words = data[: len(data) // 8 * 8].view(np.uint64)
    offsets = np.frombuffer(array.buffers()[1], np.int64)
    ok, kinds, starts, ends = _scan_lines(data, words, offsets, _KEY_BYTES, _KEY_OFFSETS)
    assert ok.all()
    typer = records._Typer(data, np.arange(len(texts)), kinds, starts, ends)
    return typer.strings("job_title", clean=clean).to_list()


def test_gathered_text_is_clean_str_for_every_whitespace_and_null_spelling() -> None:
    texts = [w + "Data" + w for w in WHITESPACE]
    texts += [w * 3 for w in WHITESPACE] + ["".join(WHITESPACE) + "x y" + "".join(reversed(WHITESPACE))]
    texts += [
        "",
        " ",
        "None",
        " NULL ",
        "nAn",
        "<NA>",
        "n/a",
        "UNDEFINED",
        "nat",
        "nul",
        "nonex",
        "\u212a",
        "NoNe\u00a0",
    ]
    texts += [
        "Caf\u00e9",
        "\u00e9\u3000",
        "\u200bzero width\u200b",
        "a\x00b",
        "\U0001f600 x \U0001f600",
        "1" * 50,
    ]
    assert _gathered(texts, True) == [clean_str(t) for t in texts]
    assert _gathered(texts, False) == texts


def test_megabyte_strings_with_escapes_round_trip() -> None:
    text = ('He said "hi" \\ \u00e9\u2019 \U0001f600 tab\t' * 30_000)[:1_000_001]
    assert _gathered([text, " " + text + " "], False) == [text, " " + text + " "]
    assert _gathered([" " + text + " "], True) == [text.strip()]


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-01-01T05:20:00Z", "2026-01-01T05:20:00.798Z", "2026-01-01T05:20:00.7Z", "2026-01-01T05:20:00.123456Z",
        "2026-01-01T05:20:00.1234567Z", "2024-02-29T23:59:59Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z", "1900-01-01T00:00:00Z", "2099-12-31T23:59:59.999999Z",
        "1899-12-31T23:59:59Z", "2026-01-01T05:20:00z", "2026-01-01T05:20:00+02:00", " 2026-01-01T05:20:00Z",
    ],
)  # fmt: skip
def test_timestamps_match_parse_utc_timestamp(stamp: str) -> None:
    line = json.dumps(bronze_record("7", timestamp="2026-01-01T05:00:00Z", job_posted_date=stamp)).encode()
    parsed = parse_lines_batch(pa.array([line], pa.binary()))
    want: datetime | None = parse_utc_timestamp(stamp)
    assert parsed.records["job_posted_at"].to_list() == [want]


def test_content_hash_batch_equals_content_hash() -> None:
    rows = [
        ("Data Engineer", "Acme", "Austin, TX", "text\nwith lines", 120000.0, 150000.0, "USD", "year"),
        (None, None, None, None, None, None, None, None),
        ("Caf\u00e9 \U0001f600", "", "x", "", float("nan"), float("inf"), "EUR", None),
        ("a", "b", "c", "d" * 100_000, 1e16, 0.1 + 0.2, None, "hour"),
        ("a", "b", "c", "d", -0.0, 5e-324, None, "hour"),
    ]
    dtypes = [pl.String] * 4 + [pl.Float64, pl.Float64, pl.String, pl.String]
    columns = [
        pl.Series(list(values), dtype=dtype)
        for values, dtype in zip(zip(*rows, strict=True), dtypes, strict=True)
    ]
    assert content_hash_batch(columns).to_list() == [content_hash(row) for row in rows]
    assert content_hash_batch([pl.Series([], dtype=pl.String)]).to_list() == []
