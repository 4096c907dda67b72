"""Turn the catalog into the two regexes and lookup tables the vectorized detector runs.

Why two token streams: polars' regex engine (Rust `regex`) is fast on a huge alternation of *lower-case literals*
with ASCII word boundaries (`(?-u)\\b{start-half}...\\b{end-half}`), but a case-insensitive `(?i)` alternation of
thousands of literals falls off the fast path (~300x slower, measured). So:

* the **main stream** runs on lower-cased text: every alias (plus hyphen/space/joined and plural variants), ambiguous
  forms, veto phrases, support words, inline must/nice phrases, line-start headings, and segment boundaries;
* the **case stream** runs on the original text and only finds the few *case-sensitive* forms (`Go`, `R`, `C`,
  `Excel`, ...). It also contains, case-insensitively, every main-stream literal that contains one of those forms as
  a word (`c++`, `r&d`, `go to`, ...), so a form inside a longer phrase is consumed there too, exactly as in the
  main stream. Both streams emit the same segment boundaries, so their tokens line up by (row, segment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import polars as pl

from dej_platform.skills.catalog import FAMILY_PREFIX, SkillCatalog, default_catalog

# Token kinds in the lookup tables.
KIND_SKILL = "skill"  # unambiguous alias: always counts
KIND_FORM = "form"  # ambiguous form: counts when supported (or when no support rule is given)
KIND_VETO = "veto"  # phrase that consumes an ambiguous form
KIND_WORD = "word"  # support word, no skill of its own
KIND_INLINE_NICE = "inline_nice"
KIND_INLINE_MUST = "inline_must"
KIND_IGNORE = "ignore"  # "e.g." and friends: their "." is not a sentence end

WORD_PREFIX = "word:"

# Segment boundaries: a newline run, or sentence punctuation followed by blanks.
BOUNDARY = r"(?:[.;!?]*[ \t]*\n)+|[.;!?]+[ \t]+"
_HEADING_LEAD = r"^[ \t]*(?:[#*>_-][ \t#*>_-]*)?"
_HEADING_TAIL = r"[ \t*_]*(?::|$)"

# Priority when one literal is claimed twice (lower wins): explicit forms beat generated variants.
_PRIORITY = {
    KIND_SKILL: 0,
    KIND_FORM: 0,
    KIND_VETO: 2,
    KIND_INLINE_NICE: 3,
    KIND_INLINE_MUST: 3,
    KIND_WORD: 4,
    KIND_IGNORE: 5,
}
_GENERATED = 10


@dataclass(frozen=True)
class MatcherSpec:
    """Everything the detector needs, derived once from a catalog."""

    version: str
    main_pattern: str
    case_pattern: str
    main_table: pl.DataFrame  # lit, kind, skill, hit
    case_table: pl.DataFrame  # lit, skill, hit
    heading_nice: str
    heading_must: str
    skill_table: pl.DataFrame  # skill, family, needs_support, support_keys (what a mention supports)
    rule_table: pl.DataFrame  # skill, key (what supports an ambiguous form of skill)
    implied_table: pl.DataFrame  # skill, ancestor (mention of skill also counts as ancestor)
    family_table: pl.DataFrame  # skill, family
    literal_count: int


def _variants(form: str) -> list[str]:
    """Spelling variants: "power bi" -> "power-bi", "powerbi"; "scikit-learn" -> "scikit learn", "scikitlearn"."""
    out = [form]
    if " " in form:
        out += [form.replace(" ", "-"), form.replace(" ", "")]
    if "-" in form:
        out += [form.replace("-", " "), form.replace("-", "")]
    return [v for v in dict.fromkeys(out) if len(v) >= 2]


def _with_plurals(forms: list[str], plural: bool | None, base: str) -> list[str]:
    if plural is False:
        return forms
    multiword = " " in base or "-" in base
    if not (plural or multiword):
        return forms
    extra = [f + "s" for f in forms if f[-1].isalpha() and not f.endswith("s") and len(f) >= 4]
    return forms + extra


def _contains_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", text) is not None


def _alternation(literals: list[str]) -> str:
    ordered = sorted(set(literals), key=lambda s: (-len(s), s))
    return "|".join(re.escape(s) for s in ordered)


def build_spec(catalog: SkillCatalog) -> MatcherSpec:
    """Compile `catalog` into patterns and lookup tables (pure; cached per catalog by `default_spec`)."""
    claims: dict[str, tuple[int, str, str | None, str]] = {}  # literal -> (priority, kind, skill, hit)

    def claim(literal: str, kind: str, skill: str | None, hit: str, generated: bool) -> None:
        prio = _PRIORITY[kind] + (_GENERATED if generated else 0)
        current = claims.get(literal)
        if current is None or prio < current[0]:
            claims[literal] = (prio, kind, skill, hit)

    for skill in catalog.skills.values():
        for alias in skill.aliases:
            for i, lit in enumerate(_with_plurals(_variants(alias), skill.plural, alias)):
                claim(lit, KIND_SKILL, skill.canonical, alias, generated=i > 0)
        for form in skill.forms:
            for i, lit in enumerate(_variants(form)):
                claim(lit, KIND_FORM, skill.canonical, form, generated=i > 0)
        for phrase in skill.veto:
            for i, lit in enumerate(_variants(phrase)):
                claim(lit, KIND_VETO, None, phrase, generated=i > 0)
        for word in skill.words:
            for i, lit in enumerate(_variants(word)):
                claim(lit, KIND_WORD, None, word, generated=i > 0)
    sections = catalog.sections
    for kind, phrases in ((KIND_INLINE_NICE, sections.inline_nice), (KIND_INLINE_MUST, sections.inline_must)):
        for phrase in phrases:
            for i, lit in enumerate(_variants(phrase)):
                claim(lit, kind, None, phrase, generated=i > 0)
    for abbreviation in sections.non_boundaries:
        claim(abbreviation, KIND_IGNORE, None, abbreviation, generated=False)

    literals = sorted(claims)
    main_table = pl.DataFrame(
        {
            "lit": literals,
            "kind": [claims[lit][1] for lit in literals],
            "skill": [claims[lit][2] for lit in literals],
            "hit": [claims[lit][3] for lit in literals],
        },
        schema={"lit": pl.String, "kind": pl.String, "skill": pl.String, "hit": pl.String},
    )

    def heading_alt(patterns: tuple[str, ...]) -> str:
        return "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"

    headings = heading_alt(sections.heading_nice + sections.heading_must + sections.heading_other)
    main_pattern = (
        r"(?-u)(?m)"
        + f"(?:{_HEADING_LEAD}{headings}{_HEADING_TAIL})"
        + r"|\b{start-half}(?:"
        + _alternation(literals)
        + r")\b{end-half}"
        + f"|{BOUNDARY}"
    )

    case_forms = {form: skill.canonical for skill in catalog.skills.values() for form in skill.case_forms}
    lowered = {f.lower() for f in case_forms}
    shadows = [
        lit for lit in literals if any(_contains_word(lit, f) for f in lowered) and lit not in lowered
    ] + list(sections.non_boundaries)
    case_pattern = (
        r"(?-u)(?:\b{start-half}(?:(?i:"
        + _alternation(shadows)
        + ")|"
        + _alternation(list(case_forms))
        + r")\b{end-half}"
        + f"|{BOUNDARY})"
    )
    case_table = pl.DataFrame(
        {"lit": list(case_forms), "skill": list(case_forms.values()), "hit": list(case_forms)},
        schema={"lit": pl.String, "skill": pl.String, "hit": pl.String},
    )

    skill_rows: dict[str, list] = {"skill": [], "family": [], "needs_support": [], "support_keys": []}
    rule_rows: dict[str, list] = {"skill": [], "key": []}
    implied_rows: dict[str, list] = {"skill": [], "ancestor": []}
    for skill in catalog.skills.values():
        ancestors = catalog.ancestors(skill.canonical)
        skill_rows["skill"].append(skill.canonical)
        skill_rows["family"].append(skill.family)
        skill_rows["needs_support"].append(skill.needs_support)
        skill_rows["support_keys"].append([skill.canonical, *ancestors, FAMILY_PREFIX + skill.family])
        for ref in skill.near:
            rule_rows["skill"].append(skill.canonical)
            rule_rows["key"].append(ref)
        for word in skill.words:
            rule_rows["skill"].append(skill.canonical)
            rule_rows["key"].append(WORD_PREFIX + word)
        for ancestor in catalog.implied_ancestors(skill.canonical):
            implied_rows["skill"].append(skill.canonical)
            implied_rows["ancestor"].append(ancestor)
    skill_table = pl.DataFrame(
        skill_rows,
        schema={
            "skill": pl.String,
            "family": pl.String,
            "needs_support": pl.Boolean,
            "support_keys": pl.List(pl.String),
        },
    )
    return MatcherSpec(
        version=catalog.version,
        main_pattern=main_pattern,
        case_pattern=case_pattern,
        main_table=main_table,
        case_table=case_table,
        heading_nice=r"(?-u)" + _HEADING_LEAD + heading_alt(sections.heading_nice) + _HEADING_TAIL,
        heading_must=r"(?-u)" + _HEADING_LEAD + heading_alt(sections.heading_must) + _HEADING_TAIL,
        skill_table=skill_table,
        rule_table=pl.DataFrame(rule_rows, schema={"skill": pl.String, "key": pl.String}),
        implied_table=pl.DataFrame(implied_rows, schema={"skill": pl.String, "ancestor": pl.String}),
        family_table=skill_table.select("skill", "family"),
        literal_count=len(literals) + len(case_forms),
    )


@cache
def default_spec() -> MatcherSpec:
    return build_spec(default_catalog())
