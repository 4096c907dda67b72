"""The detector's first implementation (string joins and group-bys), kept only as a reference for equivalence.

`ReferenceDetector` shares the compiled catalog and the text normalization with the production detector, runs the
original polars column passes (Aho-Corasick tags, extract and case regexes) and the original set logic on the
exploded token streams with joins on strings. The production detector (compiled scanner, integer ids, numpy) must
give exactly the same frames; see `test_equivalence.py`.
"""

from __future__ import annotations

import re

import polars as pl

from dej_platform.skills.detector import (
    MENTIONS_COLUMN,
    MENTIONS_TYPE,
    OUTPUT_SCHEMA,
    SkillDetector,
)
from dej_platform.skills.patterns import (
    ENTITIES,
    HEADING_MARKS,
    KIND_FORM,
    KIND_INLINE_MUST,
    KIND_INLINE_NICE,
    KIND_SKILL,
    KIND_WORD,
    SENTENCE_END,
    TAG_CLOSE,
    TAG_OPEN,
    WORD_PREFIX,
)

_ROW = "__skills_row"
SECTION_MUST, SECTION_NICE, SECTION_OTHER = "must", "nice", "other"
_CASE_BREAKS = ["\n", *(p + s for p in ".;!?" for s in (" ", "\t"))]


class ReferenceDetector(SkillDetector):
    """Same API as `SkillDetector`; the original polars passes and join-based aggregation."""

    def normalized_frame(self, texts: pl.DataFrame) -> pl.DataFrame:
        """Entities (only for batches that have "&" or "<") and typography with polars' Aho-Corasick."""
        spec = self.spec
        text = pl.col("text")
        if texts.select(
            (text.str.contains("&", literal=True) | text.str.contains("<", literal=True)).any()
        ).item():
            entities = list(ENTITIES)
            texts = texts.select(
                text.str.replace_many(entities, [ENTITIES[k] for k in entities], leftmost=True)
            )
        return texts.select(
            text.str.replace_many(spec.typography_patterns, spec.typography_replacements, leftmost=True)
        )

    def _tokens(self, texts: pl.DataFrame) -> pl.DataFrame:
        """The polars column passes the compiled scanner replaced: the tag stream (`tok`: Aho-Corasick
        replacement of every literal by a tag, then one extract regex) and the case stream (`case`: one regex on
        the original-case text)."""
        spec = self.spec
        text = pl.col("text")
        return self.normalized_frame(texts).select(
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

    def _free_tags_in_chains(self, tokens: pl.DataFrame) -> pl.DataFrame:
        """Tokens holding several tags at most one word character apart -> the tags in them that are not glued
        (neither neighbour is a word character, judged on the literal text of neighbouring tags), one per row."""
        width = self.spec.tag_width
        literal = dict(zip(self.spec.tag_table["tag"], self.spec.tag_table["literal"], strict=True))
        tag = re.compile(f"{TAG_OPEN}[0-9]{{{width}}}{TAG_CLOSE}")
        word = re.compile("[a-z0-9_]")

        def neighbour_is_word(chain: str, at: int, side: int) -> bool:
            if not 0 <= at < len(chain):
                return False
            if chain[at] not in (TAG_OPEN, TAG_CLOSE):
                return bool(word.fullmatch(chain[at]))
            edge = chain[at : at + width + 2] if side > 0 else chain[at - width - 1 : at + 1]
            return bool(word.fullmatch(literal[edge][0 if side > 0 else -1]))

        rows: dict[str, list] = {name: [] for name in tokens.columns}
        chains = tokens.filter(pl.col("tok").str.count_matches(tag.pattern) > 1)
        for token in chains.iter_rows(named=True):
            for found in tag.finditer(token["tok"]):
                chain = token["tok"]
                if neighbour_is_word(chain, found.start() - 1, -1) or neighbour_is_word(
                    chain, found.end(), +1
                ):
                    continue
                for name, value in token.items():
                    rows[name].append(found.group() if name == "tok" else value)
        return pl.DataFrame(rows, schema=tokens.schema)

    def _detect_chunk(self, texts: pl.DataFrame, mentions: bool) -> pl.DataFrame:
        spec = self.spec
        # the chunk's text is title + "\n" + text (the compiled detector joins them in its buffer)
        text = pl.col("text").fill_null("")
        if "title" in texts.columns:
            text = pl.concat_str([pl.col("title").fill_null(""), pl.lit("\n"), text])
        texts = texts.select(text.alias("text"))
        n = texts.height
        if n == 0:
            return self._empty(0, mentions)

        def positioned(col: str, is_break: pl.Expr) -> pl.DataFrame:
            """Explode one token stream with its segment number (a running count of boundaries within the row;
            both streams have the same boundaries row by row, so the numbers line up), dropping the boundary
            tokens."""
            return (
                streams.select(_ROW, tok=col)
                .explode("tok")
                .with_columns(brk=is_break.fill_null(False))
                .with_columns(seg=pl.col("brk").cast(pl.UInt32).cum_sum().over(_ROW))
                .filter(~pl.col("brk") & pl.col("tok").is_not_null())
                .drop("brk")
            )

        streams = self._tokens(texts).with_row_index(_ROW)
        tag_tokens = positioned("tok", pl.col("tok").is_in(["\n", SENTENCE_END]))
        tags = (
            pl.concat([tag_tokens, self._free_tags_in_chains(tag_tokens)])
            # a tag glued to a word character (7-8 bytes) sits inside a longer word: not a match
            .filter(pl.col("tok").str.len_bytes() == spec.tag_width + 2)
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
            .filter(pl.col("tok").str.contains(spec.heading_any))  # not "etc.", not "Objective-C"
            .join(
                pl.DataFrame({"lower": spec.not_headings}, schema={"lower": pl.String}),
                left_on=pl.col("tok").str.strip_chars(HEADING_MARKS).str.to_lowercase(),
                right_on="lower",
                how="anti",
            )
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
