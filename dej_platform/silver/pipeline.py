"""The one definition of silver's per-record rules, as a function over Arrow batches.

Both engines call `transform_lines`: Polars on batches it reads itself, Spark inside `mapInArrow`. Only the set
operations (dedup within the hour, the current-state merge) are written natively per engine. The output is a
*staged* table: every silver column plus the outcome of each bronze line (record, quarantined, error row), its
reason, and where it came from, so each engine can split it into silver, quarantine and counts the same way.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from dej_platform.silver.arrow_buffers import arrow_int64
from dej_platform.silver.records import LineOutcome, LineResult, parse_lines_batch, record_keys
from dej_platform.silver.schema import JOB_POSTINGS_SCHEMA, QUARANTINE_SCHEMA, UTC_TS

SOURCE_SYSTEM = "linkedin"

# Columns the staged table carries beside the silver ones; none of them reaches silver.
OUTCOME_COLUMNS: dict[str, pl.DataType] = {
    "_outcome": pl.String(),
    "_reason": pl.String(),
    "_utf8_repaired": pl.Boolean(),
    "source_file": pl.String(),
    "line_number": pl.Int64(),
    "raw_line": pl.String(),
}
STAGED_SCHEMA: dict[str, pl.DataType] = {**JOB_POSTINGS_SCHEMA, **OUTCOME_COLUMNS}

# What an engine feeds in: one row per bronze line, in file order.
LINES_ARROW_SCHEMA = pa.schema(
    [("source_file", pa.string()), ("line_number", pa.int64()), ("line", pa.binary())]
)

_HIVE_SEGMENT = re.compile(r"(?:^|/)(dt|hr|feed)=([^/]+)")

# LinkedIn industry names that contain ", ": a plain split on ", " would cut them in two.
_COMMA_INDUSTRIES = (
    "Technology, Information and Internet",
    "Technology, Information and Media",
    "Transportation, Logistics, Supply Chain and Storage",
    "Oil, Gas, and Mining",
    "Appliances, Electrical, and Electronics Manufacturing",
    "Movies, Videos, and Sound",
    "Water, Waste, Steam, and Air Conditioning Services",
    "Museums, Historical Sites, and Zoos",
    "Glass, Ceramics and Concrete Manufacturing",
    "Arts, Entertainment, and Recreation",
    "Wholesale Computer Equipment, Software and Peripherals",
    "Retail Books and Printed News",
    "Fisheries",
)


@dataclass(frozen=True)
class BronzeFileContext:
    """What the path of a bronze file says about its lines: feed and ingestion hour (Hive segments)."""

    feed_id: str | None
    ingestion_hour: datetime | None


@lru_cache(maxsize=4096)
def bronze_file_context(source_file: str) -> BronzeFileContext:
    """`.../dt=2026-01-01/hr=05/feed=de_us/x.jsonl` -> feed `de_us`, hour 2026-01-01T05:00Z; else nulls."""
    found = dict(_HIVE_SEGMENT.findall(source_file.replace("\\", "/")))
    hour = None
    if "dt" in found and "hr" in found:
        try:
            hour = datetime.strptime(f"{found['dt']} {found['hr']}", "%Y-%m-%d %H").replace(tzinfo=UTC)
        except ValueError:
            hour = None
    return BronzeFileContext(feed_id=found.get("feed"), ingestion_hour=hour)


def normalize_source_file(uri: str) -> str:
    """One spelling for a file across engines: Spark says `file:/x/y`, Polars says `/x/y`."""
    from urllib.parse import unquote

    if uri.startswith("file:"):
        uri = unquote(uri[len("file:") :])
        while uri.startswith("//"):
            uri = uri[1:]
    return uri


@lru_cache(maxsize=8192)
def split_industries(label: str | None) -> tuple[str, ...]:
    """`"Software Development, IT Services and IT Consulting"` -> two industries; comma names stay whole."""
    if not label:
        return ()
    protected = label
    for index, name in enumerate(_COMMA_INDUSTRIES):
        if name in protected:
            protected = protected.replace(name, f"\x00{index}\x00")
    parts = []
    for piece in protected.split(", "):
        piece = piece.strip()
        if piece.startswith("and "):
            piece = piece[4:]
        for index, name in enumerate(_COMMA_INDUSTRIES):
            piece = piece.replace(f"\x00{index}\x00", name)
        if piece and piece not in parts:
            parts.append(piece)
    return tuple(parts)


def content_hash(values: Sequence[Any]) -> str:
    """A stable hash of a posting's substance: a re-scrape with the same content hashes equal."""
    joined = "\x1f".join("\x00" if v is None else repr(v) if isinstance(v, float) else str(v) for v in values)
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def _skills_detector() -> Any:
    from dej_platform.skills.detector import default_detector

    return default_detector()


def content_hash_batch(columns: Sequence[pl.Series]) -> pl.Series:
    """`content_hash` of each row of `columns` (same hashes): polars joins the text, and each row is hashed
    straight from the (zero-copy) Arrow string-view buffers, with no per-row Python string."""
    parts = []
    for column in columns:
        if column.dtype.is_float():
            # repr, not polars' float formatting: the hash must not change (distinct values are few).
            text = pl.Series([None if v is None else repr(v) for v in column.to_list()], dtype=pl.String())
        else:
            text = column.cast(pl.String)
        parts.append(text.fill_null("\x00"))
    joined = pl.select(pl.concat_str(parts, separator="\x1f")).to_series()
    array = joined.to_arrow(compat_level=pl.CompatLevel.newest())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != pa.string_view():
        array = array.cast(pa.string_view())
    buffers = array.buffers()
    views = np.frombuffer(buffers[1], np.int32, count=4 * len(array), offset=array.offset * 16).reshape(-1, 4)
    view_bytes = memoryview(buffers[1])[array.offset * 16 :]
    data = [memoryview(b) for b in buffers[2:]]
    blake2b = hashlib.blake2b
    hashes = []
    for row, (length, _, index, offset) in enumerate(views.tolist()):
        # A view holds strings of up to 12 bytes inline, after the length; longer ones point into a buffer.
        payload = (
            view_bytes[row * 16 + 4 : row * 16 + 4 + length]
            if length <= 12
            else data[index][offset : offset + length]
        )
        hashes.append(blake2b(payload, digest_size=16).hexdigest())
    return pl.Series("content_hash", hashes, pl.String())


def _file_lookup(files: pl.Series) -> pl.DataFrame:
    """Feed and ingestion hour of each distinct (normalized) source file."""
    distinct = files.unique().to_list()
    contexts = [bronze_file_context(f) for f in distinct]
    return pl.DataFrame(
        {
            "source_file": pl.Series(distinct, dtype=pl.String()),
            "feed_id": pl.Series([c.feed_id for c in contexts], dtype=pl.String()),
            "ingestion_hour": pl.Series([c.ingestion_hour for c in contexts], dtype=UTC_TS),
        }
    )


def _with_file_context(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.join(_file_lookup(frame["source_file"]), on="source_file", how="left", maintain_order="left")


def _industries_lists(labels: pl.Series) -> pl.Series:
    """`split_industries` once per distinct label; null (not []) where there is no label."""
    distinct = labels.drop_nulls().unique()
    codes = labels.replace_strict(
        distinct,
        pl.int_range(len(distinct), dtype=pl.UInt32, eager=True),
        default=None,
        return_dtype=pl.UInt32,
    )
    parts = [split_industries(v) for v in distinct.to_list()]
    offsets = np.cumsum([0, *map(len, parts)], dtype=np.int64)
    flat = pl.Series([name for names in parts for name in names], dtype=pl.String()).to_arrow()
    lists = pa.LargeListArray.from_arrays(arrow_int64(offsets), flat)
    return pl.Series("job_industries", lists, dtype=pl.List(pl.String())).gather(codes)


def _silver_frame(
    records: pl.DataFrame,
    base_salary: list[Any],
    files: pl.Series,
    numbers: pl.Series,
) -> pl.DataFrame:
    """Typed silver rows for one batch of parsed records, through the rules' column-at-a-time versions."""
    from dej_platform.silver.html_text import clean_text_batch, html_to_text_batch
    from dej_platform.silver.location import parse_location_batch
    from dej_platform.silver.salary import SALARY_COLUMNS, parse_salary_batch
    from dej_platform.silver.vocabularies import normalize_employment_type_batch, normalize_seniority_batch

    titles = records["job_title"]
    locations_raw = records["job_location"]
    country_codes = records["country_code"]
    texts = html_to_text_batch(records["job_description_html"])
    texts = texts.alias("job_description_text")
    locations = parse_location_batch(locations_raw, country_codes, titles, texts)
    # The parsed country tells what a bare "$" means (CAD in Canada, AUD in Australia...).
    salaries = parse_salary_batch(
        pl.Series("base_salary", base_salary, pl.Object()),
        records["job_base_pay_range"],
        texts,
        locations["country"],
    )
    hashes = content_hash_batch(
        [
            titles,
            records["company_name"],
            locations_raw,
            texts,
            salaries["min"],
            salaries["max"],
            salaries["currency"],
            salaries["period"],
        ]
    )
    data: dict[str, Any] = {
        "job_posting_id": records["job_posting_id"],
        "source_system": pl.repeat(SOURCE_SYSTEM, records.height, dtype=pl.String(), eager=True),
        "url": records["url"],
        "scraped_at": records["scraped_at"],
        "company_name": records["company_name"],
        "company_id": records["company_id"],
        "company_url": records["company_url"],
        "job_title": titles,
        "seniority_label": records["seniority_label"],
        "seniority": normalize_seniority_batch(records["seniority_label"].alias("")),
        "job_function": records["job_function"],
        "employment_type_label": records["employment_type_label"],
        "employment_type": normalize_employment_type_batch(records["employment_type_label"].alias("")),
        "job_industries": _industries_lists(records["job_industries_label"]),
        "job_location": locations_raw,
        "country_code": country_codes.str.to_uppercase(),
        "location_city": locations["city"],
        "location_region": locations["region"],
        "location_country": locations["country"],
        "work_model": locations["work_model"],
        "job_posted_at": records["job_posted_at"],
        "job_posted_date": records["job_posted_at"].dt.date(),
        "application_availability": records["application_availability"],
        "apply_link": records["apply_link"],
        "is_easy_apply": records["is_easy_apply"],
        "job_num_applicants": records["job_num_applicants"],
        **{f"salary_{name}": salaries[name] for name in SALARY_COLUMNS},
        "job_poster_name": records["job_poster_name"],
        "job_poster_title": records["job_poster_title"],
        "job_poster_url": records["job_poster_url"],
        "job_summary": clean_text_batch(records["job_summary"].alias("")),
        "job_description_html": records["job_description_html"],
        "job_description_text": texts,
        "content_hash": hashes,
        "source_file": files,
    }
    frame = _with_file_context(
        pl.DataFrame(
            [
                pl.Series(name, values, STAGED_SCHEMA[name], strict=False)
                if not isinstance(values, pl.Series)
                else values.alias(name).cast(STAGED_SCHEMA[name], strict=False)
                for name, values in data.items()
            ]
        )
    )
    frame = _skills_detector().detect_frame(frame, "job_description_text", "job_title")
    return frame.with_columns(
        pl.lit(LineOutcome.RECORD.value, pl.String()).alias("_outcome"),
        pl.lit(None, pl.String()).alias("_reason"),
        records["_utf8_repaired"].alias("_utf8_repaired"),
        numbers.alias("line_number").cast(pl.Int64()),
        pl.lit(None, pl.String()).alias("raw_line"),
    )


def empty_staged() -> pl.DataFrame:
    return pl.DataFrame(schema=STAGED_SCHEMA)


def normalized_files(column: pa.Array | pa.ChunkedArray) -> pl.Series:
    """`normalize_source_file` of a column of file names, once per distinct name."""
    files = pl.Series("source_file", column, pl.String())
    mapping = {f: normalize_source_file(f) for f in files.unique().to_list()}
    return files.replace_strict(mapping, return_dtype=pl.String())


def transform_lines(lines: pa.RecordBatch | pa.Table) -> pl.DataFrame:
    """Bronze lines (`LINES_ARROW_SCHEMA`) -> the staged frame (`STAGED_SCHEMA`); blank lines are skipped.

    Lines are parsed column-wise by `parse_lines_batch` (records, then quarantined and error rows, each in line
    order); the records go through the rules' batch functions together.
    """
    with _no_cycle_collection():
        return _transform_lines(lines)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A batch allocates many short-lived containers and no reference cycles; the cycle collector's passes over
    them cost ~5 us per posting for nothing. Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _transform_lines(lines: pa.RecordBatch | pa.Table) -> pl.DataFrame:
    files = normalized_files(lines.column("source_file"))
    numbers = pl.Series("line_number", lines.column("line_number"), pl.Int64())
    parsed = parse_lines_batch(lines.column("line"))

    parts = []
    if parsed.records.height:
        rows = parsed.records["_row"]
        staged = _silver_frame(parsed.records, parsed.base_salary, files.gather(rows), numbers.gather(rows))
        parts.append(staged.select(list(STAGED_SCHEMA)))
    if parsed.others:
        parts.append(_others_frame(lines.column("line"), files, numbers, parsed.others))
    if not parts:
        return empty_staged()
    return pl.concat([empty_staged(), *parts], how="diagonal_relaxed").select(
        [pl.col(name).cast(dtype) for name, dtype in STAGED_SCHEMA.items()]
    )


def _others_frame(
    line_column: pa.Array | pa.ChunkedArray,
    files: pl.Series,
    numbers: pl.Series,
    others: Sequence[tuple[int, LineResult]],
) -> pl.DataFrame:
    """Staged rows (outcome columns and file context) of the quarantined lines and error rows among `others`."""
    other_rows = [row for row, _ in others]
    results = [result for _, result in others]
    raw_lines: list[str | None] = []
    for row, result in others:
        # Error rows are counted, not kept; quarantined lines keep their raw text for a person to read.
        if result.outcome is LineOutcome.QUARANTINED:
            raw = line_column[row].as_py()
            # Both engines split on "\n" only; a Windows "\r" before it is not part of the line.
            raw_lines.append(_raw_text(raw[:-1] if raw and raw[-1:] in (b"\r", "\r") else raw))
        else:
            raw_lines.append(None)
    frame = pl.DataFrame(
        {
            "_outcome": [r.outcome.value for r in results],
            "_reason": [r.reason for r in results],
            "_utf8_repaired": [r.utf8_repaired for r in results],
            "raw_line": raw_lines,
            "source_file": files.gather(other_rows),
            "line_number": numbers.gather(other_rows),
        },
        schema=OUTCOME_COLUMNS,
    )
    return _with_file_context(frame)


# What `line_keys` tells of each record line.
KEY_COLUMNS = (
    "source_file",
    "line_number",
    "ingestion_hour",
    "job_posting_id",
    "scraped_at",
    "_utf8_repaired",
)


@dataclass(frozen=True)
class LineKeys:
    """A batch of bronze lines as dedup sees it, before any rule runs on their text."""

    # One row per record line, `KEY_COLUMNS`: dedup's keys and order, and the repair flag.
    keys: pl.DataFrame
    # Staged rows of the quarantined lines and error rows (`quarantine_frame` reads them).
    others: pl.DataFrame
    # silver_rows counts every record line, duplicates included.
    counts: SilverCounts


def line_keys(lines: pa.RecordBatch | pa.Table) -> LineKeys:
    """Outcome and dedup keys of every line (`LINES_ARROW_SCHEMA`), as `transform_lines` would decide them.

    Lines `record_keys` is sure of cost a scan of their bytes; the others go through `parse_lines_batch`.
    `transform_lines` on the record lines then gives exactly these keys (the Polars engine checks it).
    """
    with _no_cycle_collection():
        files = normalized_files(lines.column("source_file"))
        numbers = pl.Series("line_number", lines.column("line_number"), pl.Int64())
        line_column = lines.column("line")
        sure = record_keys(line_column)
        unsure = np.flatnonzero(~sure.sure)
        rows = np.flatnonzero(sure.sure)
        ids, stamps = sure.job_posting_id.gather(rows), sure.scraped_at.gather(rows)
        repaired = pl.Series("_utf8_repaired", np.zeros(len(rows), np.bool_))  # sure lines are valid UTF-8
        others = pl.DataFrame(schema=OUTCOME_COLUMNS)
        if len(unsure):
            subset = line_column.take(arrow_int64(unsure))
            parsed = parse_lines_batch(subset)
            records = parsed.records
            unsure_rows = unsure[records["_row"].to_numpy()]
            order = np.argsort(np.concatenate([rows, unsure_rows]), kind="stable")
            rows = np.concatenate([rows, unsure_rows])[order]
            ids = pl.concat([ids, records["job_posting_id"]]).gather(order)
            stamps = pl.concat([stamps, records["scraped_at"]]).gather(order)
            repaired = pl.concat([repaired, records["_utf8_repaired"]]).gather(order)
            if parsed.others:
                others = _others_frame(subset, files.gather(unsure), numbers.gather(unsure), parsed.others)
        keys = _with_file_context(
            pl.DataFrame(
                [
                    files.gather(rows),
                    numbers.gather(rows),
                    ids.alias("job_posting_id"),
                    stamps.alias("scraped_at"),
                    repaired,
                ]
            )
        ).select(*KEY_COLUMNS)
        outcomes = dict(others.group_by("_outcome").len().iter_rows()) if others.height else {}
        counts = SilverCounts(
            bronze_records=keys.height + others.height,
            silver_rows=keys.height,
            quarantined=outcomes.get(LineOutcome.QUARANTINED.value, 0),
            error_rows=outcomes.get(LineOutcome.ERROR_ROW.value, 0),
            utf8_repaired=int(repaired.sum() or 0) + int(others["_utf8_repaired"].sum() or 0),
        )
        return LineKeys(keys, others, counts)


def _raw_text(raw: bytes | str) -> str:
    return raw if isinstance(raw, str) else raw.decode("utf-8", errors="replace")


def quarantine_frame(staged: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """The quarantined lines of a staged table, in the quarantine table's shape."""
    return (
        staged.lazy()
        .filter(pl.col("_outcome") == LineOutcome.QUARANTINED.value)
        .select(
            pl.col("source_file"),
            pl.col("line_number"),
            pl.col("feed_id"),
            pl.col("ingestion_hour"),
            pl.col("_reason").alias("reason"),
            pl.col("raw_line"),
        )
        .select([pl.col(name).cast(dtype) for name, dtype in QUARANTINE_SCHEMA.items()])
    )


@dataclass
class SilverCounts:
    """What happened to every bronze record of a run: the four outcomes must add up to the input."""

    bronze_records: int = 0
    silver_rows: int = 0
    quarantined: int = 0
    duplicates_removed: int = 0
    error_rows: int = 0
    utf8_repaired: int = 0

    @property
    def conserved(self) -> bool:
        return self.bronze_records == (
            self.silver_rows + self.quarantined + self.duplicates_removed + self.error_rows
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "bronze_records": self.bronze_records,
            "silver_rows": self.silver_rows,
            "quarantined": self.quarantined,
            "duplicates_removed": self.duplicates_removed,
            "error_rows": self.error_rows,
            "utf8_repaired": self.utf8_repaired,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SilverCounts:
        return cls(**{k: int(values.get(k, 0)) for k in cls().as_dict()})

    def __add__(self, other: SilverCounts) -> SilverCounts:
        mine, theirs = self.as_dict(), other.as_dict()
        return SilverCounts(**{k: mine[k] + theirs[k] for k in mine})
