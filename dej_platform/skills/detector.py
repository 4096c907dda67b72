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
    CASE_BREAK,
    CASE_FORMS_START,
    ENTITIES,
    HEADING_MARKS,
    KIND_CODES,
    KIND_FORM,
    KIND_INLINE_MUST,
    KIND_INLINE_NICE,
    KIND_SKILL,
    KIND_WORD,
    TAG_OPEN,
    IdTables,
    MatcherSpec,
    build_id_tables,
    build_spec,
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

_ENTITY_KEYS = list(ENTITIES)
_ENTITY_VALUES = [ENTITIES[k] for k in _ENTITY_KEYS]
_ROW = "__skills_row"
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
        self.spec, self.ids = _compiled(self.catalog)
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

    def _tokens(self, texts: pl.DataFrame) -> pl.DataFrame:
        """The column passes: tokens of the tag stream (`tok`) and of the case stream (`case`), in text order."""
        spec = self.spec
        text = pl.col("text")
        if texts.select(
            (text.str.contains("&", literal=True) | text.str.contains("<", literal=True)).any()
        ).item():
            texts = texts.select(text.str.replace_many(_ENTITY_KEYS, _ENTITY_VALUES, leftmost=True))
        texts = texts.select(
            text.str.replace_many(spec.typography_patterns, spec.typography_replacements, leftmost=True)
        )
        return texts.select(
            text.str.to_lowercase()
            .str.replace_many(spec.tag_patterns, spec.tag_replacements, leftmost=True)
            .str.extract_all(spec.extract_pattern)
            .alias("tok"),
            text.str.extract_all(spec.case_pattern).alias("case"),
        )

    def _detect_chunk(self, texts: pl.DataFrame, mentions: bool) -> pl.DataFrame:
        n = texts.height
        if n == 0:
            return self._empty(0, mentions)
        streams = self._tokens(texts)
        tags = self._tag_items(streams)
        case = self._case_items(streams)
        return self._aggregate(n, tags, case, mentions)

    # Both streams number segments per row (the running count of boundaries since the row's first token, so
    # results never depend on how a batch is cut into chunks), and (row, seg) pairs are packed as
    # row << 32 | seg ("rs" below).

    def _tag_items(self, streams: pl.DataFrame) -> _Items:
        """Tag stream -> literal id, row and packed segment of every tag that stands as a word."""
        width = self.spec.tag_width
        tok = pl.col("tok")
        size = pl.col("size")
        exploded = (
            streams.select(tok)
            .with_row_index(_ROW)
            .explode("tok")
            .with_columns(size=tok.str.len_bytes())
            .with_columns(seg=_segment_numbers(size == 1))
            # a tag glued to a word character (longer token) sits inside a longer word: not a match;
            # chains (several tags at most one word character apart) are split below
            .filter((size == width + 2) | (size > width + 4))
        )
        single = exploded.filter(size == width + 2).select(
            _ROW, "seg", lit=tok.str.slice(1, width).str.to_integer()
        )
        rows, segs, lit = single[_ROW].to_numpy(), single["seg"].to_numpy(), single["lit"].to_numpy()
        chains = exploded.filter(size > width + 4)
        if chains.height:
            at, chain_lit = _split_chains(chains["tok"].to_list(), width, self.ids)
            rows = np.concatenate([rows, chains[_ROW].to_numpy()[at]])
            segs = np.concatenate([segs, chains["seg"].to_numpy()[at]])
            lit = np.concatenate([lit, chain_lit])
        return _Items(rs=_pack(rows, segs), code=lit)

    def _case_items(self, streams: pl.DataFrame) -> tuple[_Items, _Items]:
        """Case stream -> (exact-case forms with their form index, heading-like tokens with their section)."""
        spec, ids = self.spec, self.ids
        tok = pl.col("case")
        code = tok.replace_strict(ids.case_codes, default=None, return_dtype=pl.Int64)
        exploded = (
            streams.select(tok)
            .with_row_index(_ROW)
            .explode("case")
            .with_columns(code=code)
            .with_columns(seg=_segment_numbers(pl.col("code") == CASE_BREAK))
            .filter(tok.is_not_null() & (pl.col("code").is_null() | (pl.col("code") >= CASE_FORMS_START)))
        )
        forms = exploded.filter(pl.col("code").is_not_null())
        heading = (
            pl.when(tok.str.contains(spec.heading_nice))
            .then(pl.lit(_NICE, dtype=pl.Int8))
            .when(tok.str.contains(spec.heading_must))
            .then(pl.lit(_MUST, dtype=pl.Int8))
            .otherwise(pl.lit(_OTHER, dtype=pl.Int8))
        )
        # only heading lines are headings: not abbreviations ("etc.") nor shadows ("Objective-C", "Key Vault")
        headings = (
            exploded.filter(pl.col("code").is_null() & tok.str.contains(spec.heading_any))
            .filter(~tok.str.strip_chars(HEADING_MARKS).str.to_lowercase().is_in(spec.not_headings))
            .select(_ROW, "seg", section=heading)
        )
        return (
            _Items(_pack(forms[_ROW].to_numpy(), forms["seg"].to_numpy()), forms["code"].to_numpy()),
            _Items(
                _pack(headings[_ROW].to_numpy(), headings["seg"].to_numpy()), headings["section"].to_numpy()
            ),
        )

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


_COMPILED: dict[int, tuple[SkillCatalog, MatcherSpec, IdTables]] = {}
_COMPILED_LOCK = threading.Lock()


def _compiled(catalog: SkillCatalog) -> tuple[MatcherSpec, IdTables]:
    """Compile a catalog once per catalog object (~1 s): detectors with other chunking/threads share it."""
    with _COMPILED_LOCK:
        hit = _COMPILED.get(id(catalog))
        if hit is None or hit[0] is not catalog:
            spec = build_spec(catalog)
            hit = _COMPILED[id(catalog)] = (catalog, spec, build_id_tables(spec))
    return hit[1], hit[2]


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


def _segment_numbers(is_break: pl.Expr) -> pl.Expr:
    """Per-row running count of boundaries over an exploded stream whose rows (`_ROW`) are contiguous.

    A chunk-wide cumulative sum minus its value just before each row's first token: no window/group-by needed.
    """
    brk = is_break.fill_null(False).cast(pl.UInt32)
    total = brk.cum_sum()
    starts = pl.col(_ROW).diff().fill_null(1) != 0
    return total - pl.when(starts).then(total - brk).forward_fill()


def _split_chains(chains: list[str], width: int, ids: IdTables) -> tuple[np.ndarray, np.ndarray]:
    """(index of the chain, literal id) of every tag in chain tokens that stands as a word.

    A chain is tags at most one word character apart, with an optional word character at either end. A tag's
    neighbour is a word character, a tag whose literal starts/ends with one (glued: dropped), or absent (free).
    Chains are rare (glued words such as "sqlxjava"), so a plain loop is fine.
    """
    at: list[int] = []
    lits: list[int] = []
    for index, chain in enumerate(chains):
        parts: list[int] = []  # literal ids, -1 for a word character
        pos = 0
        while pos < len(chain):
            if chain[pos] == TAG_OPEN:
                parts.append(int(chain[pos + 1 : pos + 1 + width]))
                pos += width + 2
            else:
                parts.append(-1)
                pos += 1
        for k, lit in enumerate(parts):
            if lit < 0:
                continue
            before = parts[k - 1] if k > 0 else None
            after = parts[k + 1] if k + 1 < len(parts) else None
            glued_before = before is not None and (before < 0 or bool(ids.lit_word_end[before]))
            glued_after = after is not None and (after < 0 or bool(ids.lit_word_start[after]))
            if not (glued_before or glued_after):
                at.append(index)
                lits.append(lit)
    return np.array(at, dtype=np.int64), np.array(lits, dtype=np.int64)


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
