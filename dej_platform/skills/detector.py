"""Skill detection over a polars column (vectorized) or one text, with must-have / nice-to-have sections.

Pure module (no Dagster). Per chunk of rows: the texts' UTF-8 bytes are normalized and scanned once by compiled
kernels (`scanner.py`), the set logic runs compiled on integer ids (`aggregate.py`; literal, skill, family and hit
ids from `patterns.IdTables`), and names are gathered once at the end into Arrow list columns. Rules:

* a **segment** is a line, or a sentence within a line (split at ". ", "; ", "! ", "? ");
* an ambiguous form counts when the skill has no support rule, or when its segment contains a supporting skill,
  ancestor, family or word (`near` / `words` in the catalog), or when the same skill is mentioned unambiguously
  anywhere in the text;
* a heading line ("Requirements", "Nice to have", "Benefits", ...) sets the section of the following lines; an
  inline phrase ("... is a plus", "required") overrides it for its segment: inline nice > section nice >
  inline must > section must;
* a mention of a child skill also counts as its parent (AWS Glue -> AWS) unless the child says
  `implies_parent: false`; implied parents have a mention count of 0 and inherit the child's section.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import polars as pl
import pyarrow as pa

from dej_platform.silver.arrow_buffers import arrow_int64
from dej_platform.silver.schema import SKILLS_COLUMNS
from dej_platform.skills import compiled_store
from dej_platform.skills.aggregate import (
    SECTION_CODE_MUST,
    SECTION_CODE_NICE,
    SECTION_CODE_OTHER,
    aggregate,
    item_kinds,
)
from dej_platform.skills.catalog import FAMILY_PREFIX, SkillCatalog, catalog_path, default_catalog
from dej_platform.skills.patterns import (
    ENTITIES,
    HEADING_MARKS,
    TYPOGRAPHY,
    IdTables,
    MatcherSpec,
    build_id_tables,
    build_spec,
)
from dej_platform.skills.scanner import (
    Replacements,
    ScanTables,
    Scratch,
    build_replacements,
    build_scan_tables,
    gather_slices,
    join_views,
    replace,
    scan,
    string_views,
)

# Output columns and their types: part of the silver contract.
OUTPUT_SCHEMA = SKILLS_COLUMNS
MENTIONS_COLUMN = "skills_mentions"
MENTIONS_TYPE = pl.List(pl.Struct({"skill": pl.String(), "count": pl.UInt32()}))


@dataclass(frozen=True)
class SkillDetection:
    """Skills found in one text."""

    skills: list[str]
    families: list[str]
    must_have: list[str]
    nice_to_have: list[str]
    hits: list[str]
    mentions: dict[str, int] = field(default_factory=dict)
    catalog_version: str = ""


class SkillDetector:
    """Finds catalog skills in text. Thread-safe; build once (see `default_detector`) and reuse."""

    def __init__(
        self,
        catalog: SkillCatalog | None = None,
        *,
        chunk_rows: int = 8192,
        threads: int | None = None,
    ) -> None:
        self.catalog = catalog if catalog is not None else default_catalog()
        self.spec, self.ids, self.tables = _compiled(self.catalog)
        self.lit_items = item_kinds(self.ids.lit_kind)
        offsets = self.ids.implied[0]
        self.max_implied = int((offsets[1:] - offsets[:-1]).max()) if len(offsets) > 1 else 0
        self.chunk_rows = max(1, chunk_rows)
        # as many threads as polars uses (POLARS_MAX_THREADS), so a process asked to stay on one core does
        self.threads = max(1, threads if threads is not None else min(4, pl.thread_pool_size()))
        self._spare: list[Scratch] = []  # one per thread that ran a chunk; reused by the next chunks

    @property
    def version(self) -> str:
        return self.spec.version

    # ------------------------------------------------------------------ public API
    def detect(self, text: str | None, title: str | None = None) -> SkillDetection:
        """Detect skills in one description (and optional job title)."""
        frame = pl.DataFrame(
            {"text": [text], "title": [title]}, schema={"text": pl.String, "title": pl.String}
        )
        row = self.detect_frame(frame, "text", "title", mentions=True).row(0, named=True)
        return SkillDetection(
            skills=row["skills"],
            families=row["skills_families"],
            must_have=row["skills_must_have"],
            nice_to_have=row["skills_nice_to_have"],
            hits=row["skills_hits"],
            mentions={m["skill"]: m["count"] for m in row[MENTIONS_COLUMN]},
            catalog_version=row["skills_catalog_version"],
        )

    def detect_frame(
        self,
        df: pl.DataFrame,
        text_col: str,
        title_col: str | None = None,
        *,
        mentions: bool = False,
    ) -> pl.DataFrame:
        """Return `df` with the skills columns added (replacing same-named ones); row order is kept.

        Nulls are treated as empty text. Raises `ValueError` for a missing or non-string column.
        """
        for col in (text_col, title_col):
            if col is None:
                continue
            if col not in df.columns:
                raise ValueError(f"column {col!r} not in frame (columns: {df.columns})")
            if df.schema[col] not in (pl.String, pl.Null):
                raise ValueError(f"column {col!r} must be a string column, got {df.schema[col]}")
        # each chunk joins its own title and text into its buffer, in its thread (`_joined`)
        selected = [pl.col(text_col).cast(pl.String).alias("text")]
        if title_col is not None:
            selected.append(pl.col(title_col).cast(pl.String).alias("title"))
        columns = df.select(selected)
        parts = [
            columns.slice(start, size)
            for start, size in chunk_bounds(columns.height, self.chunk_rows, self.threads)
        ]
        if len(parts) == 1 or self.threads == 1:
            results = [self._detect_chunk(p, mentions) for p in parts]
        else:
            with ThreadPoolExecutor(self.threads) as pool:
                results = list(pool.map(lambda p: self._detect_chunk(p, mentions), parts))
        detected = pl.concat(results, how="vertical") if results else self._empty(0, mentions)
        drop = [c for c in (*OUTPUT_SCHEMA, MENTIONS_COLUMN) if c in df.columns]
        return pl.concat([df.drop(drop), detected], how="horizontal")

    # ------------------------------------------------------------------ internals
    def _empty(self, n: int, mentions: bool) -> pl.DataFrame:
        cols: dict[str, pl.Series] = {
            name: pl.Series(name, [[]] * n, dtype=dtype)
            for name, dtype in OUTPUT_SCHEMA.items()
            if name != "skills_catalog_version"
        }
        cols["skills_catalog_version"] = pl.Series(
            "skills_catalog_version", [self.version] * n, dtype=pl.String
        )
        if mentions:
            cols[MENTIONS_COLUMN] = pl.Series(MENTIONS_COLUMN, [[]] * n, dtype=MENTIONS_TYPE)
        return pl.DataFrame(list(cols.values()))

    def _normalized(
        self, texts: pl.DataFrame, scratch: Scratch | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """UTF-8 buffer and offsets of the texts with HTML entities/tags and typography normalized
        (`patterns.ENTITIES`, `patterns.TYPOGRAPHY`), on the original-case text (views on `scratch`)."""
        scratch = scratch if scratch is not None else Scratch()
        data, offsets = _joined(texts, scratch)
        # copies only when "&" or "<" occur
        data, offsets = replace(data, offsets, _entity_replacements(), scratch, "entities")
        return replace(data, offsets, _typography_replacements(), scratch, "typography")

    def _streams(
        self, texts: pl.DataFrame, scratch: Scratch | None = None
    ) -> tuple[_Items, tuple[_Items, _Items]]:
        """The compiled scan (`scanner.py`): counted tag matches, exact-case forms and headings, in text order.
        The items are views on `scratch` (valid until its next chunk)."""
        scratch = scratch if scratch is not None else Scratch()
        data, offsets = self._normalized(texts, scratch)
        found = scan(data, offsets, self.tables, scratch)
        tag_items = _Items(found.tag_row, found.tag_seg, found.tag_lit)
        heads = pl.Series(_slices(data, found.head_start, found.head_end))
        spec = self.spec
        is_heading = heads.str.contains(spec.heading_any).to_numpy()
        keep = is_heading.copy()
        keep[is_heading] = (
            ~heads.filter(pl.Series(is_heading))
            .str.strip_chars(HEADING_MARKS)
            .str.to_lowercase()
            .is_in(spec.not_headings)
            .to_numpy()
        )
        kind = (
            pl.DataFrame({"h": heads.filter(pl.Series(keep))})
            .select(
                pl.when(pl.col("h").str.contains(spec.heading_nice))
                .then(pl.lit(SECTION_CODE_NICE, dtype=pl.Int8))
                .when(pl.col("h").str.contains(spec.heading_must))
                .then(pl.lit(SECTION_CODE_MUST, dtype=pl.Int8))
                .otherwise(pl.lit(SECTION_CODE_OTHER, dtype=pl.Int8))
            )
            .to_series()
            .to_numpy()
        )
        headings = _Items(found.head_row[keep], found.head_seg[keep], kind)
        # a heading line's words are not exact-case forms ("Preferred R experience" is a heading)
        form_ok = np.ones(len(found.case_pos), dtype=bool)
        if is_heading.any() and len(found.case_pos):
            starts, ends = found.head_start[is_heading], found.head_end[is_heading]
            at = np.searchsorted(starts, found.case_pos, side="right") - 1
            inside = at >= 0
            inside[inside] = found.case_pos[inside] < ends[at[inside]]
            form_ok = ~inside
        forms = _Items(found.case_row[form_ok], found.case_seg[form_ok], found.case_form[form_ok])
        return tag_items, (forms, headings)

    def _detect_chunk(self, texts: pl.DataFrame, mentions: bool) -> pl.DataFrame:
        n = texts.height
        if n == 0:
            return self._empty(0, mentions)
        try:
            scratch = self._spare.pop()  # atomic: threads never share one
        except IndexError:
            scratch = Scratch()
        try:
            tags, case = self._streams(texts, scratch)
            return self._aggregate(n, tags, case, mentions)
        finally:
            self._spare.append(scratch)

    def _aggregate(
        self, n: int, tag_items: _Items, case: tuple[_Items, _Items], mentions: bool
    ) -> pl.DataFrame:
        """Context rules, sections, implied parents and the output lists (`aggregate.py`, on integer ids)."""
        ids = self.ids
        forms, headings = case
        out = aggregate(
            n,
            tag_items.row,
            tag_items.seg,
            tag_items.code,
            forms.row,
            forms.seg,
            forms.code,
            headings.row,
            headings.seg,
            headings.code.astype(np.int8),
            self.lit_items,
            ids.lit_skill,
            ids.lit_hit,
            ids.case_skill,
            ids.case_hit,
            ids.needs_support,
            *ids.support,
            *ids.rules,
            ids.hit_word_key,
            *ids.implied,
            ids.skill_family,
            ids.key_count,
            self.max_implied,
        )
        s_row, s_skill, s_count, s_flags, f_row, f_family, h_row, h_hit = out
        must = (s_flags & 2) > 0
        nice = ((s_flags & 4) > 0) & ~must
        columns = {
            "skills": _lists(n, s_row, ids.skill_names, s_skill),
            "skills_families": _lists(n, f_row, ids.family_names, f_family),
            "skills_must_have": _lists(n, s_row[must], ids.skill_names, s_skill[must]),
            "skills_nice_to_have": _lists(n, s_row[nice], ids.skill_names, s_skill[nice]),
            "skills_hits": _lists(n, h_row, ids.hit_names, h_hit),
            "skills_catalog_version": pl.repeat(self.version, n, dtype=pl.String, eager=True),
        }
        if mentions:
            counts = pl.Series("count", s_count, dtype=pl.UInt32)
            structs = pl.DataFrame([ids.skill_names.gather(s_skill), counts]).to_struct("m")
            columns[MENTIONS_COLUMN] = _lists(n, s_row, structs, None)
        return pl.DataFrame([series.alias(name) for name, series in columns.items()])


_COMPILED: dict[int, tuple[SkillCatalog, MatcherSpec, IdTables, ScanTables]] = {}
_COMPILED_LOCK = threading.Lock()


def _compiled(catalog: SkillCatalog) -> tuple[MatcherSpec, IdTables, ScanTables]:
    """Compile a catalog once per catalog object (~1 s): detectors with other chunking/threads share it."""
    with _COMPILED_LOCK:
        hit = _COMPILED.get(id(catalog))
        if hit is None or hit[0] is not catalog:
            spec = build_spec(catalog)
            hit = _COMPILED[id(catalog)] = (catalog, spec, build_id_tables(spec), build_scan_tables(spec))
    return hit[1], hit[2], hit[3]


@cache
def _entity_replacements() -> Replacements:
    return build_replacements(ENTITIES)


@cache
def _typography_replacements() -> Replacements:
    return build_replacements(TYPOGRAPHY)


def chunk_bounds(height: int, chunk_rows: int, threads: int) -> list[tuple[int, int]]:
    """(start, size) of even chunks of at most `chunk_rows`, their count a multiple of `threads` (all busy)."""
    if height == 0:
        return [(0, 0)]
    count = -(-height // max(1, chunk_rows))
    count = min(height, count + (-count) % max(1, threads))
    size = -(-height // count)
    return [(start, size) for start in range(0, height, size)]


@dataclass(frozen=True)
class _Items:
    """Items of one stream in text order: row, segment (running count of breaks in the row), and an integer code
    (literal id, row of the case table, or section)."""

    row: np.ndarray
    seg: np.ndarray
    code: np.ndarray


def _joined(texts: pl.DataFrame, scratch: Scratch) -> tuple[np.ndarray, np.ndarray]:
    """The chunk's texts, `title + "\n" + text` when there is a "title" column (a null is empty), as one UTF-8
    buffer and int64 offsets in `scratch`, read straight from polars' string views: no joined column, no Arrow
    conversion (both were fresh memory per chunk, about a page fault per description)."""
    text = string_views(_view_array(texts["text"]))
    title = string_views(_view_array(texts["title"])) if "title" in texts.columns else None
    total = int(text.lengths.sum()) + (int(title.lengths.sum()) + texts.height if title is not None else 0)
    data = scratch.array("texts", total, np.uint8)
    offsets = scratch.array("texts_offsets", texts.height + 1, np.int64)
    join_views(title, text, data, offsets)
    return data, offsets


def _view_array(texts: pl.Series) -> pa.StringViewArray:
    array = texts.rechunk().to_arrow(compat_level=pl.CompatLevel.newest())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if array.type == pa.string_view() else array.cast(pa.string_view())


def _slices(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """data[starts[i]:ends[i]] as a string array (the heading line heads)."""
    values, offsets = gather_slices(data, starts, ends)
    return pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(values))


def _lists(n: int, rows: np.ndarray, names: pl.Series, codes: np.ndarray | None) -> pl.Series:
    """One list per row 0..n-1 from (row, value) pairs sorted by row: `names[codes]` (or `names` itself)."""
    offsets = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
    values = names if codes is None else names.gather(codes)
    # string views stay views on the way through arrow (the default conversion copies every string twice)
    array = pa.LargeListArray.from_arrays(
        arrow_int64(offsets), values.to_arrow(compat_level=pl.CompatLevel.newest())
    )
    return pl.Series(array)


def skills_in(texts: Sequence[str | None], detector: SkillDetector | None = None) -> list[list[str]]:
    """Convenience: canonical skills for a list of texts."""
    det = detector or default_detector()
    frame = det.detect_frame(pl.DataFrame({"text": list(texts)}, schema={"text": pl.String}), "text")
    return frame["skills"].to_list()


@cache
def default_detector() -> SkillDetector:
    """The detector for the default catalog (`$DEJ_SKILLS_CATALOG` or the repo's `skills_catalog/`), built once
    per process, and compiled once per catalog and code version (`compiled_store`)."""
    key = compiled_store.cache_key(catalog_path())
    stored = compiled_store.load(key)
    if stored is not None:
        catalog = stored[0]
        with _COMPILED_LOCK:
            _COMPILED[id(catalog)] = stored
    else:
        catalog = default_catalog()
        compiled_store.store(key, (catalog, *_compiled(catalog)))
    return SkillDetector(catalog)


__all__ = [
    "FAMILY_PREFIX",
    "MENTIONS_COLUMN",
    "OUTPUT_SCHEMA",
    "SkillDetection",
    "SkillDetector",
    "chunk_bounds",
    "default_detector",
    "skills_in",
]
