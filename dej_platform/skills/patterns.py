"""Compile the catalog into the literal tables, vocabularies and integer arrays the detector runs on.

`build_spec` claims every literal (aliases, plural variants, ambiguous forms, veto phrases, support words,
abbreviations, inline must/nice phrases) for one kind, a veto such as "go to" or "r&d" being just a longer literal
that wins over the form it contains; `scanner.build_scan_tables` compiles the literals into the byte trie of the
production scan and `build_id_tables` turns the string tables into integer arrays indexed by literal id / skill id,
which is what the aggregation runs on.

The spec also keeps the polars formulation of the same passes (tags `\\x02<decimal id>\\x03` by Aho-Corasick
replacement, an extract regex, a case regex with shadows and headings): the reference implementation in
`dej_platform_tests/skills/reference_detector.py` runs them to check the scanner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import cast

import numpy as np
import polars as pl

from dej_platform.skills.catalog import FAMILY_PREFIX, SkillCatalog, default_catalog, match_key

KIND_SKILL = "skill"  # unambiguous alias: always counts
KIND_FORM = "form"  # ambiguous form: counts when supported (or when the skill has no support rule)
KIND_CASE = (
    "case"  # lower-cased case-sensitive form: counts if the exact casing is in its segment (case pass)
)
KIND_VETO = "veto"  # phrase that consumes an ambiguous form
KIND_WORD = "word"  # support word with no skill of its own
KIND_IGNORE = "ignore"  # "e.g." and friends: their "." does not end a sentence
KIND_INLINE_NICE = "inline_nice"
KIND_INLINE_MUST = "inline_must"
INERT_KINDS = (
    KIND_VETO,
    KIND_IGNORE,
)  # literals that only consume their bytes: the scanner emits no tag for them

WORD_PREFIX = "word:"
TAG_OPEN, TAG_CLOSE, SENTENCE_END = "\x02", "\x03", "\x04"
TAG_DIGITS = (
    4  # minimum width of the decimal literal id inside a tag (wider for catalogs past 10,000 literals)
)
SENTENCE_ENDS = [p + s for p in ".;!?" for s in (" ", "\t")]
WORD_CLASS = "[a-z0-9_]"  # a word character of the lower-cased text, as the extract pass sees it

_PRIORITY = {
    KIND_SKILL: 0,
    KIND_FORM: 0,
    KIND_CASE: 1,
    KIND_VETO: 2,
    KIND_INLINE_NICE: 3,
    KIND_INLINE_MUST: 3,
    KIND_WORD: 4,
    KIND_IGNORE: 5,
}
_GENERATED = 10

# Typography normalised in the case pass (applied to the original text).
TYPOGRAPHY: dict[str, str] = {
    "\r\n": "\n",
    "\r": "\n",
    "\t": " ",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200b": "",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "-",
    "\u25cf": "-",
    "\u25aa": "-",
    "\u00b7": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\uff0b": "+",
    "\uff03": "#",
    "-": " ",
    "_": " ",
    "    ": " ",
    "   ": " ",
    "  ": " ",
    **{chr(c): " " for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)},
}

# HTML entities and tags decoded first, only for batches that contain "&" or "<".
_NAMED_ENTITIES = {
    "amp": "&",
    "lt": "<",
    "gt": ">",
    "quot": '"',
    "apos": "'",
    "nbsp": " ",
    "ndash": "-",
    "mdash": "-",
    "rsquo": "'",
    "lsquo": "'",
    "rdquo": '"',
    "ldquo": '"',
    "bull": "-",
    "middot": "-",
    "hellip": "...",
    "trade": "",
    "reg": "",
    "copy": "",
    "plus": "+",
    "num": "#",
    "sol": "/",
    "period": ".",
    "comma": ",",
    "colon": ":",
}


def _entity_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, value in _NAMED_ENTITIES.items():
        table[f"&{name};"] = value
        table[f"&amp;{name};"] = value  # double-encoded
    for code in (*range(32, 127), 160, 8211, 8212, 8216, 8217, 8220, 8221, 8226, 8230):
        char = {160: " ", 8211: "-", 8212: "-", 8216: "'", 8217: "'", 8220: '"', 8221: '"', 8226: "-"}.get(
            code, "..." if code == 8230 else chr(code)
        )
        for form in (f"&#{code};", f"&#0{code};", f"&#x{code:x};", f"&#x{code:X};", f"&#X{code:X};"):
            table[form] = char
            table["&amp;" + form[1:]] = char
    for tag in ("br", "br/", "br /", "p", "/p", "div", "/div", "/li", "ul", "/ul", "ol", "/ol", "tr", "/tr"):
        table[f"<{tag}>"] = "\n"
    table["<li>"] = "\n- "
    for level in range(1, 7):
        table[f"<h{level}>"] = "\n"
        table[f"</h{level}>"] = "\n"
    for tag in ("b", "strong", "em", "i", "u", "span", "/b", "/strong", "/em", "/i", "/u", "/span"):
        table[f"<{tag}>"] = " "
    return table


ENTITIES = _entity_table()

_HEADING_LEAD = r"^[ \t]*(?:[#*>][ \t#*>]*)?"
HEADING_MARKS = " \t#*>:"  # what may surround the words of a heading token (lead, tail)
_HEADING_TAIL = r"[ \t*]*(?::|$)"


_MAX_PREFIXES = 4096


def literal_prefixes(pattern: str) -> list[str]:
    """Lower-case literal prefixes such that every match of `pattern` (matched case-insensitively) starts with one
    of them; [] when some match can start with a non-literal. Lets the scanner skip line heads that cannot be
    headings before the heading regexes run."""
    try:
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except re.error:
        return []
    found = _prefixes(list(parsed))
    if found is None or any(not text for text, _open in found):
        return []
    return sorted({text.lower() for text, _open in found})


def _prefixes(items: list[tuple[object, object]]) -> set[tuple[str, bool]] | None:
    """(prefix, still open) pairs for a parsed sequence; None past `_MAX_PREFIXES`."""
    constants = re._constants  # type: ignore[attr-defined]
    result: set[tuple[str, bool]] = {("", True)}
    for op, arg in items:
        if not any(is_open for _text, is_open in result):
            break
        if op is constants.LITERAL:
            result = {(text + chr(arg), True) if is_open else (text, False) for text, is_open in result}  # type: ignore[arg-type]
            continue
        if op is constants.SUBPATTERN:
            options = _prefixes(list(arg[-1]))  # type: ignore[index]
        elif op is constants.BRANCH:
            options = set()
            for branch in arg[1]:  # type: ignore[index]
                found = _prefixes(list(branch))
                if found is None:
                    return None
                options |= found
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT):
            low, high, body = cast(tuple[int, int, list[tuple[object, object]]], arg)
            options = _prefixes(list(body))
            if options is not None and high > 1:  # what follows a first repetition is not known
                options = {(text, False) for text, _open in options}
            if options is not None and low == 0:
                options.add(("", True))
        else:  # anything else (repeats, sets, anchors) ends the literal part
            result = {(text, False) for text, _open in result}
            continue
        if options is None:
            return None
        result = {
            (text + more, more_open) if is_open else (text, False)
            for text, is_open in result
            for more, more_open in (options if is_open else {("", False)})
        }
        if len(result) > _MAX_PREFIXES:
            return None
    return result


@dataclass(frozen=True)
class MatcherSpec:
    """Everything the detector needs, derived once from a catalog."""

    version: str
    typography_patterns: list[str]
    typography_replacements: list[str]
    case_pattern: str  # regex over the original-case text: exact-case forms and segment boundaries
    case_table: pl.DataFrame  # form (exact), lower, skill
    tag_patterns: list[str]
    tag_replacements: list[str]
    extract_pattern: str
    heading_nice: str
    heading_must: str
    heading_any: str  # a whole case-pass token that reads as a heading line
    heading_prefixes: list[
        str
    ]  # lower-case: every heading starts with one of these after its lead ([] = any)
    not_headings: list[
        str
    ]  # lower-cased shadows and abbreviations: never headings (compared without HEADING_MARKS)
    tag_table: pl.DataFrame  # tag, literal, kind, skill, hit
    skill_table: pl.DataFrame  # skill, family, needs_support, support_keys
    rule_table: pl.DataFrame  # skill, key: what supports an ambiguous form of skill
    implied_table: pl.DataFrame  # skill, ancestor
    literal_count: int
    tag_width: int


def tag_width(literal_count: int) -> int:
    return max(TAG_DIGITS, len(str(max(literal_count - 1, 0))))


def encode_tag(index: int, width: int = TAG_DIGITS) -> str:
    """`\\x02<decimal id>\\x03`: the delimiters never survive the typography pass, so a tag is unambiguous, and
    the id decodes with a plain integer cast (no join on tag strings)."""
    return f"{TAG_OPEN}{index:0{width}d}{TAG_CLOSE}"


def _variants(form: str) -> list[str]:
    """The literal the tag pass looks for: the text has "-" and "_" turned into spaces by the case pass."""
    return [match_key(form)]


def _with_plurals(forms: list[str], plural: bool | None, base: str) -> list[str]:
    if plural is False or not (plural or " " in base or "-" in base):
        return forms
    return forms + [f + "s" for f in forms if f[-1].isalpha() and not f.endswith("s") and len(f) >= 4]


def build_spec(catalog: SkillCatalog) -> MatcherSpec:
    """Compile `catalog` (pure; `default_spec` caches it for the default catalog)."""
    claims: dict[str, tuple[int, str, str | None, str]] = {}

    def claim(literal: str, kind: str, skill: str | None, hit: str, generated: bool) -> None:
        prio = _PRIORITY[kind] + (_GENERATED if generated else 0)
        current = claims.get(literal)
        if current is None or prio < current[0]:
            claims[literal] = (prio, kind, skill, hit)

    case_forms: dict[str, str] = {}
    for skill in catalog.skills.values():
        for alias in skill.aliases:
            for i, lit in enumerate(_with_plurals(_variants(alias), skill.plural, alias)):
                claim(lit, KIND_SKILL, skill.canonical, alias, generated=i > 0)
        for form in skill.forms:
            for i, lit in enumerate(_variants(form)):
                claim(lit, KIND_FORM, skill.canonical, form, generated=i > 0)
        for form in skill.case_forms:
            case_forms[form] = skill.canonical
        for phrase in skill.veto:
            for i, lit in enumerate(_variants(phrase)):
                claim(lit, KIND_VETO, None, phrase, generated=i > 0)
        for word in skill.words:
            for i, lit in enumerate(_variants(word)):
                claim(lit, KIND_WORD, None, word, generated=i > 0)
    for abbreviation in catalog.sections.non_boundaries:
        claim(abbreviation, KIND_IGNORE, None, abbreviation, generated=False)
    for kind, phrases in (
        (KIND_INLINE_NICE, catalog.sections.inline_nice),
        (KIND_INLINE_MUST, catalog.sections.inline_must),
    ):
        for phrase in phrases:
            claim(match_key(phrase), kind, None, match_key(phrase), generated=False)

    literals = sorted(claims, key=lambda s: (-len(s), s))
    width = tag_width(len(literals))
    tags = [encode_tag(i, width) for i in range(len(literals))]
    tag_table = pl.DataFrame(
        {
            "tag": tags,
            "literal": literals,
            "kind": [claims[lit][1] for lit in literals],
            "skill": [claims[lit][2] for lit in literals],
            "hit": [claims[lit][3] for lit in literals],
        },
        schema={
            "tag": pl.String,
            "literal": pl.String,
            "kind": pl.String,
            "skill": pl.String,
            "hit": pl.String,
        },
    )

    sections = catalog.sections

    def heading_alt(patterns: tuple[str, ...]) -> str:
        # the text reaching the case pass has "-" turned into " " (see TYPOGRAPHY)
        return "(?:" + "|".join(f"(?:{p.replace('-', ' ')})" for p in patterns) + ")"

    # Case pass: line-start headings, exact-case forms, and the same segment boundaries as the tag pass
    # (newline, sentence end; abbreviations whose "." is not a sentence end).
    headings = heading_alt(sections.heading_nice + sections.heading_must + sections.heading_other)
    non_boundaries = "|".join(re.escape(a) for a in sorted(sections.non_boundaries, key=len, reverse=True))
    # Literals of the tag pass that contain a case form as a word ("c++", "r&d", "go to market") are matched here
    # too, case-insensitively, so the form inside them is consumed exactly as in the tag pass.
    form_words = {match_key(f) for f in case_forms}
    # One alternation finds a form word at any position iff some single-word search would.
    form_word_re = re.compile(
        r"(?<![a-z0-9_])(?:" + "|".join(re.escape(w) for w in sorted(form_words)) + r")(?![a-z0-9_])"
    )
    shadows = [lit for lit in literals if lit not in form_words and form_words and form_word_re.search(lit)]
    case_pattern = (
        r"(?-u)(?m)(?i:"
        + f"{_HEADING_LEAD}{headings}{_HEADING_TAIL})"
        + r"|\b{start-half}(?:(?i:"
        + "|".join(re.escape(lit) for lit in shadows)
        + ")|"
        + "|".join(re.escape(f) for f in sorted(case_forms, key=lambda s: (-len(s), s)))
        + r")\b{end-half}"
        + (r"|(?i:\b{start-half}(?:" + non_boundaries + "))" if non_boundaries else "")
        + r"|\n|[.;!?][ \t]"
    )
    case_table = pl.DataFrame(
        {
            "form": list(case_forms),
            "lower": [match_key(f) for f in case_forms],
            "skill": list(case_forms.values()),
        },
        schema={"form": pl.String, "lower": pl.String, "skill": pl.String},
    )
    tag = f"{TAG_OPEN}[0-9]{{{width}}}{TAG_CLOSE}"
    # a chain of tags at most one word character apart is one token (greedy), so the character between two tags
    # is seen by both: "sqlxjava" is one glued chain, not "sql" glued + "java" free
    extract_pattern = f"{WORD_CLASS}?{tag}(?:{WORD_CLASS}?{tag})*{WORD_CLASS}?|\n|{SENTENCE_END}"

    skill_rows: dict[str, list] = {"skill": [], "family": [], "needs_support": [], "support_keys": []}
    rule_rows: dict[str, list] = {"skill": [], "key": []}
    implied_rows: dict[str, list] = {"skill": [], "ancestor": []}
    for skill in catalog.skills.values():
        skill_rows["skill"].append(skill.canonical)
        skill_rows["family"].append(skill.family)
        skill_rows["needs_support"].append(skill.needs_support)
        ancestors = catalog.ancestors(skill.canonical)
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

    return MatcherSpec(
        version=catalog.version,
        typography_patterns=list(TYPOGRAPHY),
        typography_replacements=list(TYPOGRAPHY.values()),
        case_pattern=case_pattern,
        case_table=case_table,
        tag_patterns=[*literals, *SENTENCE_ENDS],
        tag_replacements=[*tags, *([SENTENCE_END] * len(SENTENCE_ENDS))],
        extract_pattern=extract_pattern,
        heading_nice=r"(?i-u)" + _HEADING_LEAD + heading_alt(sections.heading_nice) + _HEADING_TAIL,
        heading_must=r"(?i-u)" + _HEADING_LEAD + heading_alt(sections.heading_must) + _HEADING_TAIL,
        # anchored at both ends: only a token the heading alternative of the case pass produced matches
        heading_any=r"(?i-u)\A" + _HEADING_LEAD + headings + _HEADING_TAIL + r"\z",
        heading_prefixes=literal_prefixes(headings),
        # a shadow can read as a heading ("Key Vault" vs the heading pattern "key \w+"): it is still a shadow
        not_headings=sorted({*shadows, *(a.lower() for a in sections.non_boundaries)}),
        tag_table=tag_table,
        skill_table=pl.DataFrame(
            skill_rows,
            schema={
                "skill": pl.String,
                "family": pl.String,
                "needs_support": pl.Boolean,
                "support_keys": pl.List(pl.String),
            },
        ),
        rule_table=pl.DataFrame(rule_rows, schema={"skill": pl.String, "key": pl.String}),
        implied_table=pl.DataFrame(implied_rows, schema={"skill": pl.String, "ancestor": pl.String}),
        literal_count=len(literals),
        tag_width=width,
    )


@cache
def default_spec() -> MatcherSpec:
    return build_spec(default_catalog())


# ---------------------------------------------------------------------------------------------- integer tables
KIND_CODES: dict[str, int] = {
    KIND_SKILL: 0,
    KIND_FORM: 1,
    KIND_VETO: 2,
    KIND_WORD: 3,
    KIND_IGNORE: 4,
    KIND_INLINE_NICE: 5,
    KIND_INLINE_MUST: 6,
}


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Ragged int lists as (offsets, values): row i is values[offsets[i]:offsets[i + 1]]."""
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in rows])
    values = np.fromiter((v for r in rows for v in r), dtype=np.int64, count=int(offsets[-1]))
    return offsets, values


@dataclass(frozen=True)
class IdTables:
    """The string tables of `MatcherSpec` as integer arrays, so detection never joins on strings.

    Skill, family and hit ids are ranks in byte-wise sorted order, so sorting ids sorts the names. Support keys
    (what a context rule asks for: a skill, an ancestor, `family:<key>`, `word:<hit>`) share one id space.
    """

    skill_names: pl.Series  # String, id order (sorted)
    family_names: pl.Series
    hit_names: pl.Series
    lit_kind: np.ndarray  # per literal id: KIND_CODES value
    lit_skill: np.ndarray  # per literal id: skill id or -1
    lit_hit: np.ndarray  # per literal id: hit id or -1
    case_skill: np.ndarray  # per exact-case form: skill id
    case_hit: np.ndarray  # per exact-case form: hit id (its lower-cased form)
    skill_family: np.ndarray  # per skill id: family id
    needs_support: np.ndarray  # per skill id: bool
    implied: tuple[np.ndarray, np.ndarray]  # per skill id: implied ancestor ids (CSR)
    support: tuple[np.ndarray, np.ndarray]  # per skill id: support key ids it provides (CSR)
    rules: tuple[np.ndarray, np.ndarray]  # per skill id: support key ids that support its forms (CSR)
    hit_word_key: np.ndarray  # per hit id: the key id of `word:<hit>`, or -1 when no rule asks for it
    key_count: int


def build_id_tables(spec: MatcherSpec) -> IdTables:
    """Derive the integer tables from the string tables (one source of truth: `build_spec`)."""
    skill_rows = spec.skill_table.to_dicts()
    skills = sorted(r["skill"] for r in skill_rows)
    skill_id = {s: i for i, s in enumerate(skills)}
    families = sorted({r["family"] for r in skill_rows})
    family_id = {f: i for i, f in enumerate(families)}
    tag_rows = spec.tag_table.to_dicts()
    case_rows = spec.case_table.to_dicts()
    counted_kinds = (KIND_SKILL, KIND_FORM, KIND_WORD)
    hits = sorted(
        {r["hit"] for r in tag_rows if r["kind"] in counted_kinds and r["hit"] is not None}
        | {r["lower"] for r in case_rows}
    )
    hit_id = {h: i for i, h in enumerate(hits)}

    keys: dict[str, int] = {}

    def key(name: str) -> int:
        return keys.setdefault(name, len(keys))

    support: list[list[int]] = [[] for _ in skills]
    needs = np.zeros(len(skills), dtype=bool)
    skill_family = np.zeros(len(skills), dtype=np.int64)
    for r in skill_rows:
        i = skill_id[r["skill"]]
        support[i] = [key(k) for k in r["support_keys"]]
        needs[i] = r["needs_support"]
        skill_family[i] = family_id[r["family"]]
    rules: list[list[int]] = [[] for _ in skills]
    for r in spec.rule_table.to_dicts():
        rules[skill_id[r["skill"]]].append(key(r["key"]))
    implied: list[list[int]] = [[] for _ in skills]
    for r in spec.implied_table.to_dicts():
        implied[skill_id[r["skill"]]].append(skill_id[r["ancestor"]])
    hit_word_key = np.array([keys.get(WORD_PREFIX + h, -1) for h in hits], dtype=np.int64)

    def ids(values: list[str | None], table: dict[str, int]) -> np.ndarray:
        return np.array([-1 if v is None or v not in table else table[v] for v in values], dtype=np.int64)

    return IdTables(
        skill_names=pl.Series("skill", skills, dtype=pl.String),
        family_names=pl.Series("family", families, dtype=pl.String),
        hit_names=pl.Series("hit", hits, dtype=pl.String),
        lit_kind=np.array([KIND_CODES[r["kind"]] for r in tag_rows], dtype=np.int8),
        lit_skill=ids([r["skill"] for r in tag_rows], skill_id),
        lit_hit=ids([r["hit"] if r["kind"] in counted_kinds else None for r in tag_rows], hit_id),
        case_skill=ids([r["skill"] for r in case_rows], skill_id),
        case_hit=ids([r["lower"] for r in case_rows], hit_id),
        skill_family=skill_family,
        needs_support=needs,
        implied=_csr(implied),
        support=_csr(support),
        rules=_csr(rules),
        hit_word_key=hit_word_key,
        key_count=len(keys),
    )
