"""Skill detection over a polars column (vectorized) or one text, with must-have / nice-to-have sections.

Pure module (no Dagster). The heavy lifting is four column passes (see `patterns.py`), then set logic on the
token stream with joins and group-bys:

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
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from dej_platform.skills.catalog import FAMILY_PREFIX, SkillCatalog, default_catalog
from dej_platform.skills.patterns import (
    ENTITIES,
    KIND_FORM,
    KIND_INLINE_MUST,
    KIND_INLINE_NICE,
    KIND_SKILL,
    KIND_WORD,
    SENTENCE_END,
    WORD_PREFIX,
    MatcherSpec,
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
_CASE_BREAKS = ["\n", *(p + s for p in ".;!?" for s in (" ", "\t"))]


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
        chunk_rows: int = 2048,
        threads: int | None = None,
    ) -> None:
        self.catalog = catalog if catalog is not None else default_catalog()
        self.spec: MatcherSpec = build_spec(self.catalog)
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
        parts = [texts.slice(i, self.chunk_rows) for i in range(0, max(texts.height, 1), self.chunk_rows)]
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

    def _supported(self, pending: pl.DataFrame, helpers: pl.DataFrame, tags: pl.DataFrame) -> pl.DataFrame:
        """(row, seg, skill) of pending ambiguous forms whose segment holds a supporting skill or word."""
        spec = self.spec
        segments = pending.select(_ROW, "seg").unique()
        support = pl.concat(
            [
                helpers.join(segments, on=[_ROW, "seg"], how="semi")
                .join(spec.skill_table.select("skill", "support_keys"), on="skill")
                .explode("support_keys")
                .select(_ROW, "seg", key="support_keys"),
                tags.join(segments, on=[_ROW, "seg"], how="semi").select(
                    _ROW, "seg", key=pl.lit(WORD_PREFIX) + pl.col("hit")
                ),
            ]
        )
        return (
            pending.join(spec.rule_table, on="skill")
            .join(support, on=[_ROW, "seg", "key"], how="semi")
            .select(_ROW, "seg", "skill")
            .unique()
        )

    def _detect_chunk(self, texts: pl.DataFrame, mentions: bool) -> pl.DataFrame:
        spec = self.spec
        n = texts.height
        if n == 0:
            return self._empty(0, mentions)

        def positioned(col: str, is_break: pl.Expr) -> pl.DataFrame:
            """Explode one token stream with its segment number (a running count of boundaries; both streams
            have the same boundaries row by row, so the numbers line up), dropping the boundary tokens."""
            return (
                streams.select(_ROW, tok=col)
                .explode("tok")
                .with_columns(brk=is_break.fill_null(False))
                .with_columns(seg=pl.col("brk").cum_sum())
                .filter(~pl.col("brk") & pl.col("tok").is_not_null())
                .drop("brk")
            )

        streams = self._tokens(texts).with_row_index(_ROW)
        tags = (
            positioned("tok", pl.col("tok").is_in(["\n", SENTENCE_END]))
            # a tag glued to a word character (7-8 bytes) sits inside a longer word: not a match
            .filter(pl.col("tok").str.len_bytes() == 6)
            .join(spec.tag_table, left_on="tok", right_on="tag", how="inner")
            .drop("tok")
        )
        case_tokens = positioned("case", pl.col("tok").is_in(_CASE_BREAKS))
        exact = case_tokens.join(spec.case_table, left_on="tok", right_on="form", how="inner").select(
            _ROW, "seg", "lower", case_skill="skill"
        )
        heading_kind = (
            pl.when(pl.col("tok").str.contains(spec.heading_nice))
            .then(pl.lit(SECTION_NICE))
            .when(pl.col("tok").str.contains(spec.heading_must))
            .then(pl.lit(SECTION_MUST))
            .otherwise(pl.lit(SECTION_OTHER))
        )
        headings = (
            case_tokens.join(spec.case_table, left_on="tok", right_on="form", how="anti")
            .filter(pl.col("tok").str.contains(r"[A-Za-z]{3}"))  # abbreviations like "e.g." are not headings
            .select(_ROW, "seg", section=heading_kind)
            .group_by(_ROW, "seg")
            .agg(pl.col("section").last())
            .sort(_ROW, "seg")
        )
        inline = (
            tags.filter(pl.col("kind").is_in([KIND_INLINE_NICE, KIND_INLINE_MUST]))
            .group_by(_ROW, "seg")
            .agg(
                inline_nice=(pl.col("kind") == KIND_INLINE_NICE).any(),
                inline_must=(pl.col("kind") == KIND_INLINE_MUST).any(),
            )
        )
        # Exact-case forms (case pass) are ambiguous forms of their skill, in their segment.
        cased = exact.select(_ROW, "seg", kind=pl.lit(KIND_FORM), skill="case_skill", hit="lower")
        tags = pl.concat(
            [
                tags.filter(pl.col("kind").is_in([KIND_SKILL, KIND_FORM, KIND_WORD])).select(
                    _ROW, "seg", "kind", "skill", "hit"
                ),
                cased,
            ],
            how="vertical",
        )
        sure = tags.filter(pl.col("kind") == KIND_SKILL).select(_ROW, "seg", "skill", "hit")
        forms = tags.filter(pl.col("kind") == KIND_FORM).select(_ROW, "seg", "skill", "hit")
        needs = spec.skill_table.filter(pl.col("needs_support")).select("skill")
        needy = forms.join(needs, on="skill", how="semi")
        accepted = [sure, forms.join(needs, on="skill", how="anti")]
        if needy.height:
            elsewhere = sure.select(_ROW, "skill").unique()
            accepted.append(needy.join(elsewhere, on=[_ROW, "skill"], how="semi"))
            pending = needy.join(elsewhere, on=[_ROW, "skill"], how="anti")
            # Two rounds: forms accepted in the first round support the others ("Go & Rust" with Rust sure-cased).
            helpers = pl.concat([sure, accepted[1]])
            for _round in range(2):
                if not pending.height:
                    break
                ok = self._supported(pending, helpers, tags)
                accepted.append(pending.join(ok, on=[_ROW, "seg", "skill"], how="semi"))
                helpers = pl.concat([helpers, accepted[-1]])
                pending = pending.join(ok, on=[_ROW, "seg", "skill"], how="anti")
        accepted_forms = pl.concat(accepted[1:])
        counted = pl.concat([sure, accepted_forms])
        mention = (
            counted.sort(_ROW, "seg")
            .join_asof(headings, on="seg", by=_ROW, strategy="backward", check_sortedness=False)
            .join(inline, on=[_ROW, "seg"], how="left")
            .with_columns(
                where=pl.when(pl.col("inline_nice").fill_null(False))
                .then(pl.lit(SECTION_NICE))
                .when(pl.col("section") == SECTION_NICE)
                .then(pl.lit(SECTION_NICE))
                .when(pl.col("inline_must").fill_null(False))
                .then(pl.lit(SECTION_MUST))
                .when(pl.col("section") == SECTION_MUST)
                .then(pl.lit(SECTION_MUST))
                .otherwise(pl.lit(SECTION_OTHER))
            )
        )
        per_skill = mention.group_by(_ROW, "skill").agg(
            count=pl.len().cast(pl.UInt32),
            must=(pl.col("where") == SECTION_MUST).any(),
            nice=(pl.col("where") == SECTION_NICE).any(),
        )
        implied = (
            per_skill.join(spec.implied_table, on="skill")
            .group_by(_ROW, "ancestor")
            .agg(must=pl.col("must").any(), nice=pl.col("nice").any())
            .select(_ROW, skill="ancestor", count=pl.lit(0, dtype=pl.UInt32), must="must", nice="nice")
        )
        every = (
            pl.concat([per_skill, implied])
            .group_by(_ROW, "skill")
            .agg(count=pl.col("count").sum(), must=pl.col("must").any(), nice=pl.col("nice").any())
            .join(spec.skill_table.select("skill", "family"), on="skill")
        )
        aggs = [
            pl.col("skill").sort().alias("skills"),
            pl.col("family").unique().sort().alias("skills_families"),
            pl.col("skill").filter(pl.col("must")).sort().alias("skills_must_have"),
            pl.col("skill").filter(pl.col("nice") & ~pl.col("must")).sort().alias("skills_nice_to_have"),
        ]
        if mentions:
            aggs.append(pl.struct(skill="skill", count="count").sort_by("skill").alias(MENTIONS_COLUMN))
        per_row = every.group_by(_ROW).agg(aggs)
        hits = counted.group_by(_ROW).agg(pl.col("hit").unique().sort().alias("skills_hits"))
        out = (
            pl.DataFrame({_ROW: pl.int_range(0, n, dtype=pl.UInt32, eager=True)})
            .join(per_row, on=_ROW, how="left")
            .join(hits, on=_ROW, how="left")
            .sort(_ROW)
        )
        columns = []
        for name, dtype in OUTPUT_SCHEMA.items():
            if name == "skills_catalog_version":
                columns.append(pl.lit(self.version, dtype=pl.String).alias(name))
            else:
                columns.append(pl.col(name).fill_null(pl.lit([], dtype=dtype)).cast(dtype).alias(name))
        if mentions:
            columns.append(
                pl.col(MENTIONS_COLUMN).fill_null(pl.lit([], dtype=MENTIONS_TYPE)).cast(MENTIONS_TYPE)
            )
        return out.select(columns)


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
    "default_detector",
    "skills_in",
]
