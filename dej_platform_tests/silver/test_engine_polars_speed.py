"""The Polars engine's own plumbing: keys before rules, parts per range, line ranges with a finer tail."""

from __future__ import annotations

import itertools
import json
import os
import random

import polars as pl
import pytest

from dej_platform.silver import engine_polars
from dej_platform.silver.engine_polars import (
    BronzeSource,
    _buffer_batch,
    _lines_batch,
    _range_tasks,
    run_polars,
)
from dej_platform.silver.pipeline import transform_lines
from dej_platform.silver.records import LineOutcome
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA
from dej_platform_tests.silver.conftest import (
    DESCRIPTION_HTML,
    ERROR_ROW,
    HOSTILE_EXPECTED,
    HOSTILE_ITEMS,
    bronze_record,
    jsonl_lines,
    write_bronze,
)

HOUR_DIR = "bronze/linkedin_jobs/dt=2026-01-01/hr=05/feed=x"


def _ranges(path, batch_lines: int, workers: int) -> list[tuple[int, int, int]]:
    """(start, end, first line) of each range, numbered as the engine numbers them after the key pass."""
    ranges = list(_range_tasks(BronzeSource.from_path(path), batch_lines, workers))
    keyed = [engine_polars._keys_of_range(r) for r in ranges]
    return [(r.start, r.end, r.first) for r in engine_polars._numbered(ranges, keyed)[0]]


def _line_counts(data: bytes, ranges: list[tuple[int, int, int]]) -> list[int]:
    return [data.count(b"\n", start, end) for start, end, _ in ranges]


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("batch_lines", [1, 2, 3, 7, 1000])
def test_ranges_cover_the_file_and_number_lines_as_the_file_does(tmp_path, workers, batch_lines) -> None:
    """Contiguous ranges cut after newlines, each numbered by the newlines before it: blank lines, CRLF,
    non-ASCII, a line longer than many ranges and a missing final newline included."""
    lines = [
        json.dumps(bronze_record("1")).encode(),
        b"",
        json.dumps(bronze_record("2", job_title="Ingénieur données 数据工程师 🚀")).encode() + b"\r",
        b"{broken",
        json.dumps(bronze_record("3", job_summary="y" * 50_000)).encode(),
        *(json.dumps(bronze_record(str(i))).encode() for i in range(10, 40)),
        b"",
        b'{"no final newline": true}',
    ]
    data = b"\n".join(lines)
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    ranges = _ranges(path, batch_lines, workers)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(data[end - 1 : end] == b"\n" for _, end, _ in ranges[:-1])
    assert [first for _, _, first in ranges] == [1 + data.count(b"\n", 0, start) for start, _, _ in ranges]


@pytest.mark.parametrize(("workers", "expected"), [(1, [8] * 4 + [2] * 4), (2, [8] * 3 + [2] * 8)])
def test_the_last_batches_are_cut_finer(tmp_path, workers, expected) -> None:
    """Equal lines: whole batches, then the last `workers` batches' worth in quarters (workers finish together)."""
    line = json.dumps(bronze_record("1")).encode() + b"\n"
    data = line * 40
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    assert _line_counts(data, _ranges(path, 8, workers)) == expected


def _split_batch(data: bytes) -> object:
    """What workers built before: a Python bytes object per line, copied into Arrow."""
    split = data.split(b"\n")
    if split[-1] == b"":
        split.pop()
    return _lines_batch("a/b.jsonl", 7, split)


BUFFER_CASES = [
    b"",
    b"\n",
    b"\n\n\n",
    b"a",
    b"a\n",
    b"a\nb",
    b"\r\n\r",
    b"\xff\xfe\n\xe9\n",
    "Ingénieur 数据 🚀\n\ud800".encode("utf-8", "surrogatepass"),
    b"x" * 1_000_000 + b"\n" + b"y" * 3,
]


@pytest.mark.parametrize("data", BUFFER_CASES)
def test_buffer_batch_splits_as_the_file_reader_does(data) -> None:
    batch = _buffer_batch("a/b.jsonl", 7, data)
    batch.validate(full=True)
    assert batch.equals(_split_batch(data))


def test_buffer_batch_on_random_bytes() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        data = bytes(rng.choice(b"ab\n\r\xff\x00") for _ in range(rng.randint(0, 60)))
        assert _buffer_batch("a/b.jsonl", 7, data).equals(_split_batch(data)), data


@pytest.mark.parametrize("data", BUFFER_CASES)
def test_buffer_batch_past_int32_offsets_splits_in_python(monkeypatch, data) -> None:
    monkeypatch.setattr(engine_polars, "_BINARY_MAX_BYTES", 0)
    assert _buffer_batch("a/b.jsonl", 7, data).equals(_split_batch(data))


def test_empty_file_gives_no_ranges(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"")
    assert _ranges(path, 5, 2) == []


def test_a_directory_gets_one_part_per_range_in_file_order(tmp_path) -> None:
    """Parts numbered from 0 without gaps (a range whose rows all lost writes none), their rows in file order,
    equal to the single-file output; the quarantine is one file either way."""
    items = [
        bronze_record("4000000001", timestamp="2026-01-01T05:01:00Z"),
        bronze_record("4000000002", timestamp="2026-01-01T05:01:00Z"),
        ERROR_ROW,
        bronze_record("4000000001", timestamp="2026-01-01T05:02:00Z"),
        bronze_record("4000000002", timestamp="2026-01-01T05:02:00Z"),
        *HOSTILE_ITEMS,
    ]
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", items)
    (tmp_path / "parts").mkdir()
    counts = run_polars(
        [BronzeSource.from_path(path)], tmp_path / "parts", tmp_path / "q1.parquet", batch_lines=2
    )
    single = run_polars(
        [BronzeSource.from_path(path)], tmp_path / "one.parquet", tmp_path / "q2.parquet", batch_lines=2
    )
    parts = sorted(p.name for p in (tmp_path / "parts").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(len(parts))]
    assert 1 < len(parts) < len(range(0, len(items), 2))  # the first range's two rows both lost
    together = pl.read_parquet(tmp_path / "parts")
    assert counts == single and together.height == counts.silver_rows
    assert together.equals(pl.read_parquet(tmp_path / "one.parquet"))
    assert pl.read_parquet(tmp_path / "q1.parquet").equals(pl.read_parquet(tmp_path / "q2.parquet"))
    assert together["job_posting_id"].head(2).to_list() == ["4000000001", "4000000002"]
    assert together["scraped_at"].dt.minute().head(2).to_list() == [2, 2]


def test_a_directory_with_no_rows_gets_an_empty_part(tmp_path) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", [ERROR_ROW])
    (tmp_path / "parts").mkdir()
    counts = run_polars([BronzeSource.from_path(path)], tmp_path / "parts")
    assert counts.error_rows == 1 and counts.silver_rows == 0
    assert [p.name for p in (tmp_path / "parts").iterdir()] == ["part-00000.parquet"]
    assert pl.read_parquet(tmp_path / "parts").schema == pl.Schema(JOB_POSTINGS_SCHEMA)


def test_rules_that_disagree_with_the_keys_stop_the_run(tmp_path, monkeypatch) -> None:
    """If the key scan called a line a record with other keys than the rules give it, dedup chose on wrong
    keys: the run stops instead of writing that choice."""
    from dej_platform.silver import pipeline

    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", [bronze_record("4000000001")])
    real = pipeline.record_keys

    def shifted(lines):
        keys = real(lines)
        return type(keys)(keys.sure, keys.job_posting_id.str.replace("1$", "2"), keys.scraped_at)

    monkeypatch.setattr(pipeline, "record_keys", shifted)
    with pytest.raises(RuntimeError, match="other records than dedup keyed"):
        run_polars([BronzeSource.from_path(path)], tmp_path / "s.parquet")


def test_a_gzip_source_is_copied_once_and_read_in_ranges(tmp_path) -> None:
    """Gzip (and remote) sources are decompressed to scratch, then split into ranges like a local file:
    same output as the plain file, several workers included, and nothing left in scratch."""
    import gzip as gz

    items = [
        bronze_record(str(4_000_000_000 + i % 7), timestamp=f"2026-01-01T05:{i:02d}:00Z") for i in range(30)
    ]
    plain = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", [*items, *HOSTILE_ITEMS])
    zipped = tmp_path / HOUR_DIR / "b.jsonl.gz"
    zipped.write_bytes(gz.compress(plain.read_bytes()))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    outputs = []
    for name, source in (("plain", plain), ("zipped", zipped)):
        counts = run_polars(
            [BronzeSource.from_path(source)],
            tmp_path / f"{name}.parquet",
            tmp_path / f"{name}_q.parquet",
            batch_lines=4,
            scratch_dir=scratch,
        )
        silver = pl.read_parquet(tmp_path / f"{name}.parquet")
        quarantine = pl.read_parquet(tmp_path / f"{name}_q.parquet")
        outputs.append((counts, silver, quarantine.drop("source_file")))
        assert set(quarantine["source_file"]) == {str(source.resolve())}
    assert outputs[0][0] == outputs[1][0] and outputs[0][0].silver_rows == 7 + HOSTILE_EXPECTED["silver_rows"]
    assert outputs[0][1].equals(outputs[1][1])
    assert outputs[0][2].equals(outputs[1][2])
    assert list(scratch.iterdir()) == []


def test_big_and_non_ascii_rows_come_out_as_the_rules_give_them(tmp_path) -> None:
    """Through the scratch part and the final plan, byte for byte: a 1 MB description, non-ASCII text, an
    unpaired surrogate escape and invalid UTF-8 in the line; the scratch folder is left empty."""
    items = [
        bronze_record(
            "1", job_description_formatted=DESCRIPTION_HTML + "<p>" + "données " * 130_000 + "</p>"
        ),
        bronze_record(
            "2", job_title="Ingeniero de datos — São Paulo 数据 🚀", job_summary="e\u0301 combining"
        ),
        b'{"job_posting_id": "3", "timestamp": "2026-01-01T05:00:00Z", "job_title": "bad \\ud800 escape"}',
        b'{"job_posting_id": "4", "timestamp": "2026-01-01T05:00:00Z", "job_title": "Caf\xe9 \xff"}',
        bronze_record("5", job_summary="", job_title=""),
    ]
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", items)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    counts = run_polars(
        [BronzeSource.from_path(path)], tmp_path / "s.parquet", tmp_path / "q.parquet", scratch_dir=scratch
    )
    silver = pl.read_parquet(tmp_path / "s.parquet")
    expected = (
        transform_lines(_lines_batch(str(path), 1, list(jsonl_lines(items))))
        .filter(pl.col("_outcome") == LineOutcome.RECORD.value)
        .select(list(JOB_POSTINGS_SCHEMA))
    )
    assert counts.silver_rows == expected.height == silver.height
    assert silver.equals(expected)
    assert silver.schema == pl.Schema(JOB_POSTINGS_SCHEMA)
    assert silver["job_description_html"].str.len_bytes().max() > 1_000_000
    assert list(scratch.iterdir()) == []


def test_empty_file_with_workers(tmp_path) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", [])
    counts = run_polars(
        [BronzeSource.from_path(path)], tmp_path / "s.parquet", tmp_path / "q.parquet", workers=2
    )
    assert counts.bronze_records == 0
    assert pl.read_parquet(tmp_path / "s.parquet").schema == pl.Schema(JOB_POSTINGS_SCHEMA)
    assert pl.read_parquet(tmp_path / "q.parquet").schema == pl.Schema(QUARANTINE_SCHEMA)


@pytest.mark.slow
def test_workers_and_fine_tail_ranges_give_the_same_output(tmp_path) -> None:
    """Duplicates across the whole batches and the fine tail, quarantined lines in the tail: 3 workers give what
    the inline run gives (rows, order, quarantine, counts)."""
    items = [
        *(
            bronze_record(str(4_000_000_000 + i % 17), timestamp=f"2026-01-01T05:{i:02d}:00Z")
            for i in range(40)
        ),
        *HOSTILE_ITEMS,
        bronze_record("4000000003", timestamp="2026-01-01T05:59:59Z", job_title="latest, in the tail"),
    ]
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", items)
    runs = []
    for name, workers in (("one", 1), ("three", 3)):
        out = tmp_path / name
        out.mkdir()
        counts = run_polars(
            [BronzeSource.from_path(path)],
            out / "s.parquet",
            out / "q.parquet",
            batch_lines=5,
            workers=workers,
        )
        runs.append((counts, pl.read_parquet(out / "s.parquet"), pl.read_parquet(out / "q.parquet")))
    (c1, s1, q1), (c2, s2, q2) = runs
    assert c1 == c2 and s1.equals(s2) and q1.equals(q2)
    assert c1.conserved and q1.height == HOSTILE_EXPECTED["quarantined"]
    assert s1.filter(pl.col("job_posting_id") == "4000000003")["job_title"].to_list() == [
        "latest, in the tail"
    ]


def test_line_numbers_restart_with_each_file(tmp_path) -> None:
    """Two files with the same lines, in several ranges each: both number their lines from 1 (ranges are
    numbered after the key pass), so their quarantined lines carry the same numbers."""
    paths = [write_bronze(tmp_path / HOUR_DIR / name, HOSTILE_ITEMS) for name in ("a.jsonl", "b.jsonl")]
    counts = run_polars(
        [BronzeSource.from_path(p) for p in paths],
        tmp_path / "s.parquet",
        tmp_path / "q.parquet",
        batch_lines=3,
    )
    numbers = pl.read_parquet(tmp_path / "q.parquet")["line_number"].to_list()
    assert counts.bronze_records == 2 * HOSTILE_EXPECTED["bronze_records"]
    assert numbers == [6, 7, 9, 11, 12, 14] * 2


def test_a_file_given_twice_is_read_once(tmp_path) -> None:
    """Rows are told apart by (file, line): a second reading of the same file would keep its winners twice."""
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", HOSTILE_ITEMS)
    once = run_polars([BronzeSource.from_path(path)], tmp_path / "1.parquet", tmp_path / "q1.parquet")
    twice = run_polars(
        [BronzeSource.from_path(path), BronzeSource.from_path(os.path.relpath(path))],
        tmp_path / "2.parquet",
        tmp_path / "q2.parquet",
        batch_lines=3,
        workers=2,
    )
    assert once == twice and once.bronze_records == HOSTILE_EXPECTED["bronze_records"]
    assert pl.read_parquet(tmp_path / "1.parquet").equals(pl.read_parquet(tmp_path / "2.parquet"))
    assert pl.read_parquet(tmp_path / "q1.parquet").equals(pl.read_parquet(tmp_path / "q2.parquet"))


def test_parts_keep_statistics_but_not_for_free_text(tmp_path) -> None:
    """Min/max statistics stay on the columns readers filter on; the long free text has none (and no
    dictionary), and reads back unchanged."""
    import pyarrow.parquet as pq

    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", HOSTILE_ITEMS)
    (tmp_path / "parts").mkdir()
    run_polars([BronzeSource.from_path(path)], tmp_path / "parts")
    meta = pq.ParquetFile(tmp_path / "parts" / "part-00000.parquet").metadata
    columns = {
        meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i)
        for i in range(meta.num_columns)
    }
    for name in ("job_description_html", "job_description_text", "job_summary"):
        assert not columns[name].is_stats_set, name
        assert (
            "RLE_DICTIONARY" not in columns[name].encodings
            and "PLAIN_DICTIONARY" not in columns[name].encodings
        )
    for name in ("job_posting_id", "scraped_at", "location_country"):
        assert columns[name].is_stats_set, name
    silver = pl.read_parquet(tmp_path / "parts")
    expected = transform_lines(_lines_batch(str(path), 1, list(jsonl_lines(HOSTILE_ITEMS))))
    texts = expected.filter(pl.col("_outcome") == "record")["job_description_text"].to_list()
    assert set(silver["job_description_text"].to_list()) <= set(texts)


def test_a_folder_that_already_holds_parts_is_refused(tmp_path) -> None:
    path = write_bronze(tmp_path / HOUR_DIR / "a.jsonl", HOSTILE_ITEMS)
    (tmp_path / "parts").mkdir()
    run_polars([BronzeSource.from_path(path)], tmp_path / "parts")
    before = sorted(p.name for p in (tmp_path / "parts").iterdir())
    with pytest.raises(ValueError, match="already holds silver parts"):
        run_polars([BronzeSource.from_path(path)], tmp_path / "parts")
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == before
