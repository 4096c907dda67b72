"""Skill detection over a polars column (vectorized) or one text, with must-have / nice-to-have sections.

Pure module (no Dagster). The heavy lifting is four column passes (see `patterns.py`); the set logic then runs on
integer arrays (literal, skill, family and hit ids from `patterns.IdTables`, segments packed as row << 32 | seg):
no join or group-by on strings, names are gathered once at the end. Rules:

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

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import polars as pl
import pyarrow as pa

from dej_platform.skills.catalog import FAMILY_PREFIX, SkillCatalog, default_catalog
from dej_platform.skills.patterns import (
    ENTITIES,
    HEADING_MARKS,
    KIND_CODES,
    KIND_FORM,
    KIND_INLINE_MUST,
    KIND_INLINE_NICE,
    KIND_SKILL,
    KIND_WORD,
    TYPOGRAPHY,
    IdTables,
    MatcherSpec,
    build_id_tables,
    build_spec,
)
from dej_platform.skills.scanner import (
    Replacements,
    ScanTables,
    build_replacements,
    build_scan_tables,
    gather_slices,
    replace,
    scan,
)

SECTION_MUST = "must"
SECTION_NICE = "nice"
SECTION_OTHER = "other"

# Output columns (the silver contract in dej_platform/silver/schema.py) and their types.
OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "skills": pl.List(pl.String()),
    "skills_families": pl.List(pl.String()),
    "skills_must_have": pl.List(pl.String()),
    "skills_nice_to_have": pl.List(pl.String()),
    "skills_hits": pl.List(pl.String()),
    "skills_catalog_version": pl.String(),
}
MENTIONS_COLUMN = "skills_mentions"
MENTIONS_TYPE = pl.List(pl.Struct({"skill": pl.String(), "count": pl.UInt32()}))

_BITMAP_MAX = 1 << 26  # rows x skills flags up to 64 MB; bigger chunks use a sorted search instead
_OTHER, _MUST, _NICE = 0, 1, 2  # section codes
_K_SKILL, _K_FORM, _K_WORD = KIND_CODES[KIND_SKILL], KIND_CODES[KIND_FORM], KIND_CODES[KIND_WORD]
_K_INLINE_NICE, _K_INLINE_MUST = KIND_CODES[KIND_INLINE_NICE], KIND_CODES[KIND_INLINE_MUST]


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
        self.chunk_rows = max(1, chunk_rows)
        self.threads = max(1, threads if threads is not None else min(4, os.cpu_count() or 1))

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
        text = pl.col(text_col).cast(pl.String).fill_null("")
        if title_col is not None:
            text = pl.concat_str([pl.col(title_col).cast(pl.String).fill_null(""), pl.lit("\n"), text])
        texts = df.select(text.alias("text"))
        parts = [
            texts.slice(start, size)
            for start, size in chunk_bounds(texts.height, self.chunk_rows, self.threads)
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

    def _normalized(self, texts: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """UTF-8 buffer and offsets of the texts with HTML entities/tags (only if the chunk has "&" or "<") and
        typography normalized (`patterns.TYPOGRAPHY`), on the original-case text."""
        data, offsets = _utf8_buffer(texts["text"].fill_null(""))
        if len(data) and ((data == ord("&")).any() or (data == ord("<")).any()):
            data, offsets = replace(data, offsets, _entity_replacements())
        return replace(data, offsets, _typography_replacements())

    def _streams(self, texts: pl.DataFrame) -> tuple[_Items, tuple[_Items, _Items]]:
        """The compiled scan (`scanner.py`): counted tag matches, exact-case forms and headings, in text order."""
        data, offsets = self._normalized(texts)
        found = scan(data, offsets, self.tables)
        tag_items = _Items(_pack(found.tag_row, found.tag_seg), found.tag_lit)
        heads = pl.Series(_slices(data, found.head_start, found.head_end))
        spec = self.spec
        is_heading = heads.str.contains(spec.heading_any).to_numpy()
        keep = (
            is_heading
            & ~heads.str.strip_chars(HEADING_MARKS).str.to_lowercase().is_in(spec.not_headings).to_numpy()
        )
        kind = (
            pl.DataFrame({"h": heads.filter(pl.Series(keep))})
            .select(
                pl.when(pl.col("h").str.contains(spec.heading_nice))
                .then(pl.lit(_NICE, dtype=pl.Int8))
                .when(pl.col("h").str.contains(spec.heading_must))
                .then(pl.lit(_MUST, dtype=pl.Int8))
                .otherwise(pl.lit(_OTHER, dtype=pl.Int8))
            )
            .to_series()
            .to_numpy()
        )
        headings = _Items(_pack(found.head_row[keep], found.head_seg[keep]), kind)
        # a heading line's words are not exact-case forms ("Preferred R experience" is a heading)
        form_ok = np.ones(len(found.case_pos), dtype=bool)
        if is_heading.any() and len(found.case_pos):
            starts, ends = found.head_start[is_heading], found.head_end[is_heading]
            at = np.searchsorted(starts, found.case_pos, side="right") - 1
            inside = at >= 0
            inside[inside] = found.case_pos[inside] < ends[at[inside]]
            form_ok = ~inside
        forms = _Items(_pack(found.case_row[form_ok], found.case_seg[form_ok]), found.case_form[form_ok])
        return tag_items, (forms, headings)

    def _detect_chunk(self, texts: pl.DataFrame, mentions: bool) -> pl.DataFrame:
        n = texts.height
        if n == 0:
            return self._empty(0, mentions)
        tags, case = self._streams(texts)
        return self._aggregate(n, tags, case, mentions)

    def _aggregate(
        self, n: int, tag_items: _Items, case: tuple[_Items, _Items], mentions: bool
    ) -> pl.DataFrame:
        """Context rules, sections, implied parents and the output lists, all on integer ids."""
        ids = self.ids
        case_forms, headings = case
        kind = ids.lit_kind[tag_items.code]
        inline_nice = _unique(tag_items.rs[kind == _K_INLINE_NICE])
        inline_must = _unique(tag_items.rs[kind == _K_INLINE_MUST])
        # counted-kind items of both streams: skills, forms (tag stream and exact-case) and support words
        keep = (kind == _K_SKILL) | (kind == _K_FORM) | (kind == _K_WORD)
        lit = tag_items.code[keep]
        rs = np.concatenate([tag_items.rs[keep], case_forms.rs])
        kinds = np.concatenate([kind[keep], np.full(len(case_forms.rs), _K_FORM, dtype=np.int8)])
        skill = np.concatenate([ids.lit_skill[lit], ids.case_skill[case_forms.code]])
        hit = np.concatenate([ids.lit_hit[lit], ids.case_hit[case_forms.code]])
        # merge the two sorted runs (one stable sort = one merge): binary searches below then get sorted needles
        merged = np.argsort(rs, kind="stable")
        rs, kinds, skill, hit = rs[merged], kinds[merged], skill[merged], hit[merged]

        sure = kinds == _K_SKILL
        form = kinds == _K_FORM
        needy = form & ids.needs_support[np.where(form, skill, 0)]
        accepted = sure | (form & ~needy)
        helper = accepted.copy()  # what supports a pending form: sure skills and forms that need no support
        if needy.any():
            # a form is accepted when the same skill is named unambiguously anywhere in the row
            row_skill = (rs >> np.uint64(32)).astype(np.int64) * len(ids.needs_support) + skill
            elsewhere = np.zeros(len(rs), dtype=bool)
            if n * len(ids.needs_support) <= _BITMAP_MAX:
                named = np.zeros(n * len(ids.needs_support), dtype=bool)
                named[row_skill[sure]] = True
                elsewhere[needy] = named[row_skill[needy]]
            else:
                elsewhere[needy] = _member(row_skill[needy], _unique(row_skill[sure]))
            accepted |= elsewhere
            pending = needy & ~elsewhere
            # only items that share a segment with a pending form matter from here on
            near = np.flatnonzero(_member(rs, _unique(rs[pending])))
            pending, helper = pending[near], helper[near]
            near_rs, near_skill, near_hit = rs[near], skill[near], hit[near]
            # Two rounds: forms accepted in the first round support the others ("Go & Rust").
            for _round in range(2):
                if not pending.any():
                    break
                ok = self._supported(pending, helper, near_rs, near_skill, near_hit)
                accepted[near[ok]] = True
                helper |= ok
                pending &= ~ok

        rs, skill, hit = rs[accepted], skill[accepted], hit[accepted]
        row = (rs >> np.uint64(32)).astype(np.int64)
        # section of each mention: the last heading-like token at or before its segment, in the same row
        where = np.full(len(rs), _OTHER, dtype=np.int8)
        if len(headings.rs):
            at = np.searchsorted(headings.rs, rs, side="right") - 1
            found = at >= 0
            found[found] = (headings.rs[at[found]] >> np.uint64(32)).astype(np.int64) == row[found]
            where[found] = headings.code[at[found]]
        nice = _member(rs, inline_nice) | (where == _NICE)
        must = ~nice & (_member(rs, inline_must) | (where == _MUST))

        # a mention also counts (with count 0) for every implied ancestor
        offsets, values = ids.implied
        per = offsets[skill + 1] - offsets[skill]
        src = np.repeat(np.arange(len(skill)), per)
        anc = values[np.repeat(offsets[skill], per) + _ramp(per)]
        all_row = np.concatenate([row, row[src]])
        all_skill = np.concatenate([skill, anc])
        all_count = np.concatenate(
            [np.ones(len(skill), dtype=np.uint32), np.zeros(len(anc), dtype=np.uint32)]
        )
        all_must = np.concatenate([must, must[src]])
        all_nice = np.concatenate([nice, nice[src]])
        key = all_row * len(ids.skill_family) + all_skill
        order = np.argsort(key)
        key = key[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
        s_row = all_row[order][first]
        s_skill = all_skill[order][first]
        s_must = np.logical_or.reduceat(all_must[order], first) if len(first) else np.zeros(0, dtype=bool)
        s_nice = np.logical_or.reduceat(all_nice[order], first) if len(first) else np.zeros(0, dtype=bool)
        s_count = np.add.reduceat(all_count[order], first) if len(first) else np.zeros(0, dtype=np.uint32)

        fam_key = _unique(s_row * len(ids.family_names) + ids.skill_family[s_skill])
        hit_key = _unique(row * len(ids.hit_names) + hit)
        columns = {
            "skills": _lists(n, s_row, ids.skill_names, s_skill),
            "skills_families": _lists(
                n, fam_key // len(ids.family_names), ids.family_names, fam_key % len(ids.family_names)
            ),
            "skills_must_have": _lists(n, s_row[s_must], ids.skill_names, s_skill[s_must]),
            "skills_nice_to_have": _lists(
                n, s_row[s_nice & ~s_must], ids.skill_names, s_skill[s_nice & ~s_must]
            ),
            "skills_hits": _lists(
                n, hit_key // len(ids.hit_names), ids.hit_names, hit_key % len(ids.hit_names)
            ),
            "skills_catalog_version": pl.repeat(self.version, n, dtype=pl.String, eager=True),
        }
        if mentions:
            counts = pl.Series("count", s_count, dtype=pl.UInt32)
            structs = pl.DataFrame([ids.skill_names.gather(s_skill), counts]).to_struct("m")
            columns[MENTIONS_COLUMN] = _lists(n, s_row, structs, None)
        return pl.DataFrame([series.alias(name) for name, series in columns.items()])

    def _supported(
        self, pending: np.ndarray, helper: np.ndarray, rs: np.ndarray, skill: np.ndarray, hit: np.ndarray
    ) -> np.ndarray:
        """Mask of pending ambiguous forms whose segment holds a supporting skill, ancestor, family or word."""
        ids = self.ids
        segments = _unique(rs[pending])
        at = np.searchsorted(segments, rs[pending])
        pos = np.searchsorted(segments, rs).clip(0, len(segments) - 1)
        inside = segments[pos] == rs  # items in a segment that has a pending form
        # keys present per segment: what helpers provide, and `word:<hit>` for every item
        hlp = np.flatnonzero(helper & inside)
        offsets, values = ids.support
        per = offsets[skill[hlp] + 1] - offsets[skill[hlp]]
        helper_keys = values[np.repeat(offsets[skill[hlp]], per) + _ramp(per)]
        words = np.flatnonzero(inside)
        word_keys = ids.hit_word_key[hit[words]]
        known = word_keys >= 0
        width = ids.key_count
        present = _unique(
            np.concatenate(
                [np.repeat(pos[hlp], per) * width + helper_keys, pos[words][known] * width + word_keys[known]]
            )
        )
        # keys asked for by each pending form's rule
        which = np.flatnonzero(pending)
        offsets, values = ids.rules
        per = offsets[skill[which] + 1] - offsets[skill[which]]
        asked = np.repeat(at, per) * width + values[np.repeat(offsets[skill[which]], per) + _ramp(per)]
        votes = np.bincount(np.repeat(np.arange(len(which)), per), _member(asked, present), len(which))
        hit_any = votes > 0
        ok = np.zeros(len(pending), dtype=bool)
        ok[which[hit_any]] = True
        return ok


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
    """(start, size) of even chunks of at most `chunk_rows`, their count a multiple of `threads` (all busy).

    Each chunk rebuilds the Aho-Corasick automaton of the tag pass (~15 ms for the full catalog): chunks are big.
    """
    if height == 0:
        return [(0, 0)]
    count = -(-height // max(1, chunk_rows))
    count = min(height, count + (-count) % max(1, threads))
    size = -(-height // count)
    return [(start, size) for start in range(0, height, size)]


@dataclass(frozen=True)
class _Items:
    """Tokens of one stream: packed (row << 32 | segment) and an integer code (literal id, form index, section)."""

    rs: np.ndarray
    code: np.ndarray


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique is several times slower on this numpy)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def _member(values: np.ndarray, universe: np.ndarray) -> np.ndarray:
    """`values` in `universe` (sorted and distinct), by binary search."""
    if len(universe) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(universe, values).clip(0, len(universe) - 1)
    return universe[at] == values


def _utf8_buffer(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The column's UTF-8 bytes as one buffer and int64 offsets (no nulls: callers fill them)."""
    array = texts.rechunk().to_arrow().cast(pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    _validity, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    return data, offsets


def _slices(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """data[starts[i]:ends[i]] as a string array (the heading line heads)."""
    values, offsets = gather_slices(data, starts, ends)
    return pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(values))


def _pack(row: np.ndarray, seg: np.ndarray) -> np.ndarray:
    return (row.astype(np.uint64) << np.uint64(32)) | seg.astype(np.uint64)


def _ramp(lengths: np.ndarray) -> np.ndarray:
    """0..len-1 for each length, concatenated (the position inside each ragged run)."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)


def _lists(n: int, rows: np.ndarray, names: pl.Series, codes: np.ndarray | None) -> pl.Series:
    """One list per row 0..n-1 from (row, value) pairs sorted by row: `names[codes]` (or `names` itself)."""
    offsets = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
    values = names if codes is None else names.gather(codes)
    # string views stay views on the way through arrow (the default conversion copies every string twice)
    array = pa.LargeListArray.from_arrays(
        pa.array(offsets), values.to_arrow(compat_level=pl.CompatLevel.newest())
    )
    return pl.Series(array)


def skills_in(texts: Sequence[str | None], detector: SkillDetector | None = None) -> list[list[str]]:
    """Convenience: canonical skills for a list of texts."""
    det = detector or default_detector()
    frame = det.detect_frame(pl.DataFrame({"text": list(texts)}, schema={"text": pl.String}), "text")
    return frame["skills"].to_list()


@cache
def default_detector() -> SkillDetector:
    """The detector for the default catalog (`$DEJ_SKILLS_CATALOG` or the repo's `skills_catalog/`), built once."""
    return SkillDetector()


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
