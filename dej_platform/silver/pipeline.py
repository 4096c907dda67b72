"""The one definition of silver's per-record rules, as a function over Arrow batches.

Both engines call `transform_lines`: Polars on batches it reads itself, Spark inside `mapInArrow`. Only the set
operations (dedup within the hour, the current-state merge) are written natively per engine. The output is a
*staged* table: every silver column plus the outcome of each bronze line (record, quarantined, error row), its
reason, and where it came from, so each engine can split it into silver, quarantine and counts the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import polars as pl
import pyarrow as pa

from dej_platform.silver.records import RECORD_FIELDS, LineOutcome, parse_line
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


def _silver_frame(
    records: list[tuple[Any, ...]],
    files: list[str],
    numbers: list[int],
    repaired: list[bool],
) -> pl.DataFrame:
    """Typed silver rows for one batch of parsed records, through the rules' column-at-a-time versions."""
    from dej_platform.silver.html_text import clean_text_batch, html_to_text_batch
    from dej_platform.silver.location import parse_location_batch
    from dej_platform.silver.salary import SALARY_COLUMNS, parse_salary_batch
    from dej_platform.silver.vocabularies import normalize_employment_type_batch, normalize_seniority_batch

    columns = dict(zip(RECORD_FIELDS, (list(c) for c in zip(*records, strict=True)), strict=True))
    titles = pl.Series("job_title", columns["job_title"], pl.String())
    locations_raw = pl.Series("job_location", columns["job_location"], pl.String())
    country_codes = pl.Series("country_code", columns["country_code"], pl.String())
    texts = html_to_text_batch(
        pl.Series("job_description_html", columns["job_description_html"], pl.String())
    )
    texts = texts.alias("job_description_text")
    locations = parse_location_batch(locations_raw, country_codes, titles, texts)
    # The parsed country tells what a bare "$" means (CAD in Canada, AUD in Australia...).
    salaries = parse_salary_batch(
        pl.Series("base_salary", columns["base_salary"], pl.Object()),
        pl.Series("job_base_pay_range", columns["job_base_pay_range"], pl.String()),
        texts,
        locations["country"],
    )
    hashes = [
        content_hash(values)
        for values in zip(
            titles,
            columns["company_name"],
            locations_raw,
            texts,
            salaries["min"],
            salaries["max"],
            salaries["currency"],
            salaries["period"],
            strict=True,
        )
    ]
    contexts = [bronze_file_context(f) for f in files]
    posted = columns["job_posted_at"]

    data: dict[str, Any] = {
        "job_posting_id": columns["job_posting_id"],
        "source_system": [SOURCE_SYSTEM] * len(records),
        "feed_id": [c.feed_id for c in contexts],
        "url": columns["url"],
        "scraped_at": columns["scraped_at"],
        "ingestion_hour": [c.ingestion_hour for c in contexts],
        "company_name": columns["company_name"],
        "company_id": columns["company_id"],
        "company_url": columns["company_url"],
        "job_title": titles,
        "seniority_label": columns["seniority_label"],
        "seniority": normalize_seniority_batch(pl.Series(columns["seniority_label"], dtype=pl.String())),
        "job_function": columns["job_function"],
        "employment_type_label": columns["employment_type_label"],
        "employment_type": normalize_employment_type_batch(
            pl.Series(columns["employment_type_label"], dtype=pl.String())
        ),
        "job_industries": [list(split_industries(v)) if v else None for v in columns["job_industries_label"]],
        "job_location": locations_raw,
        "country_code": country_codes.str.to_uppercase(),
        "location_city": locations["city"],
        "location_region": locations["region"],
        "location_country": locations["country"],
        "work_model": locations["work_model"],
        "job_posted_at": posted,
        "job_posted_date": [p.date() if p is not None else None for p in posted],
        "application_availability": columns["application_availability"],
        "apply_link": columns["apply_link"],
        "is_easy_apply": columns["is_easy_apply"],
        "job_num_applicants": columns["job_num_applicants"],
        **{f"salary_{name}": salaries[name] for name in SALARY_COLUMNS},
        "job_poster_name": columns["job_poster_name"],
        "job_poster_title": columns["job_poster_title"],
        "job_poster_url": columns["job_poster_url"],
        "job_summary": clean_text_batch(pl.Series(columns["job_summary"], dtype=pl.String())),
        "job_description_html": columns["job_description_html"],
        "job_description_text": texts,
        "content_hash": hashes,
    }
    frame = pl.DataFrame(
        {name: pl.Series(name, values, STAGED_SCHEMA[name], strict=False) for name, values in data.items()}
    )
    frame = _skills_detector().detect_frame(frame, "job_description_text", "job_title")
    return frame.with_columns(
        pl.lit(LineOutcome.RECORD.value, pl.String()).alias("_outcome"),
        pl.lit(None, pl.String()).alias("_reason"),
        pl.Series("_utf8_repaired", repaired, pl.Boolean()),
        pl.Series("source_file", files, pl.String()),
        pl.Series("line_number", numbers, pl.Int64()),
        pl.lit(None, pl.String()).alias("raw_line"),
    )


def empty_staged() -> pl.DataFrame:
    return pl.DataFrame(schema=STAGED_SCHEMA)


def transform_lines(lines: pa.RecordBatch | pa.Table) -> pl.DataFrame:
    """Bronze lines (`LINES_ARROW_SCHEMA`) -> the staged frame (`STAGED_SCHEMA`); blank lines are skipped."""
    files = [normalize_source_file(f) for f in lines.column("source_file").to_pylist()]
    numbers = lines.column("line_number").to_pylist()
    # Both engines split on "\n" only; a Windows "\r" before it is not part of the line.
    raws = [r[:-1] if r and r[-1:] in (b"\r", "\r") else r for r in lines.column("line").to_pylist()]

    records: list[tuple[Any, ...]] = []
    rec_files: list[str] = []
    rec_numbers: list[int] = []
    rec_repaired: list[bool] = []
    others: dict[str, list[Any]] = {
        name: [] for name in ("_outcome", "_reason", "_utf8_repaired", "raw_line")
    }
    other_files: list[str] = []
    other_numbers: list[int] = []
    for source_file, number, raw in zip(files, numbers, raws, strict=True):
        result = parse_line(raw)
        if result.outcome is LineOutcome.RECORD:
            assert result.record is not None
            records.append(result.record)
            rec_files.append(source_file)
            rec_numbers.append(number)
            rec_repaired.append(result.utf8_repaired)
        elif result.outcome is not LineOutcome.BLANK:
            others["_outcome"].append(result.outcome.value)
            others["_reason"].append(result.reason)
            others["_utf8_repaired"].append(result.utf8_repaired)
            # Error rows are counted, not kept; quarantined lines keep their raw text for a person to read.
            is_quarantined = result.outcome is LineOutcome.QUARANTINED
            others["raw_line"].append(_raw_text(raw) if is_quarantined else None)
            other_files.append(source_file)
            other_numbers.append(number)

    parts = []
    if records:
        parts.append(_silver_frame(records, rec_files, rec_numbers, rec_repaired).select(list(STAGED_SCHEMA)))
    if other_files:
        contexts = [bronze_file_context(f) for f in other_files]
        parts.append(
            pl.DataFrame(
                {
                    **others,
                    "source_file": other_files,
                    "line_number": other_numbers,
                    "feed_id": [c.feed_id for c in contexts],
                    "ingestion_hour": [c.ingestion_hour for c in contexts],
                },
                schema={
                    **OUTCOME_COLUMNS,
                    "feed_id": pl.String(),
                    "ingestion_hour": UTC_TS,
                },
            )
        )
    if not parts:
        return empty_staged()
    return pl.concat([empty_staged(), *parts], how="diagonal_relaxed").select(
        [pl.col(name).cast(dtype) for name, dtype in STAGED_SCHEMA.items()]
    )


def _raw_text(raw: bytes | str) -> str:
    return raw if isinstance(raw, str) else raw.decode("utf-8", errors="replace")


def staged_arrow_schema() -> pa.Schema:
    return empty_staged().to_arrow().schema


def transform_arrow_batches(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema | None = None
) -> Iterator[pa.RecordBatch]:
    """The `mapInArrow` body: bronze line batches in, staged batches out (same function as Polars uses)."""
    schema = schema or staged_arrow_schema()
    for batch in batches:
        if batch.num_rows == 0:
            continue
        table = transform_lines(batch).to_arrow()
        yield from table.cast(schema).to_batches()


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
