"""LinkedIn location strings to city / region / country (ISO 3166-1 alpha-2) and a work model.

LinkedIn writes ``City, ST`` for the US, ``City, Province code`` for Canada, ``City, Region, Country`` elsewhere,
plus metro areas ("San Francisco Bay Area"), bare countries and multi-country areas ("EMEA"). US and Canadian
regions are stored as their full names ("MI" and "Michigan" both become "Michigan"). Bright Data's own
``country_code`` wins when it is a valid code. The place part is cached because the same strings repeat
across thousands of postings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import yaml

from dej_platform.silver import location_scan
from dej_platform.silver.arrow_buffers import utf8_column

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

REMOTE = "remote"
HYBRID = "hybrid"
ONSITE = "onsite"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LocationResult:
    city: str | None = None
    region: str | None = None
    country: str | None = None
    work_model: str = UNKNOWN


def fold(value: str) -> str:
    """Case- and accent-insensitive key: "São Paulo" -> "sao paulo"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    country_by_name: dict[str, str]
    country_codes: frozenset[str]
    us_state_by_code: dict[str, str]
    ca_province_by_code: dict[str, str]
    region_by_name: dict[str, tuple[str, str]]  # folded name -> (display name, country)
    macro_regions: frozenset[str]
    metro_areas: dict[str, tuple[str | None, str | None, str]]


# libyaml's safe loader when pyyaml has it: every worker process reads the gazetteer (~0.1 s in pure Python).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Load countries.yaml and regions.yaml once."""
    with open(_DATA_DIR / "countries.yaml", encoding="utf-8") as handle:
        countries = yaml.load(handle, Loader=_YAML_LOADER)["countries"]
    with open(_DATA_DIR / "regions.yaml", encoding="utf-8") as handle:
        regions = yaml.load(handle, Loader=_YAML_LOADER)
    # YAML 1.1 reads unquoted ON/NO as booleans: refuse such keys instead of silently losing a country.
    for table in (countries, regions["us_states"], regions["ca_provinces"]):
        bad = [key for key in table if not isinstance(key, str)]
        if bad:
            raise ValueError(f"non-string keys in location reference data (quote them): {bad}")
    country_by_name: dict[str, str] = {}
    for code, names in countries.items():
        for name in names:
            country_by_name[fold(str(name))] = code
    us_states = {str(k): str(v) for k, v in regions["us_states"].items()}
    ca_provinces = {str(k): str(v) for k, v in regions["ca_provinces"].items()}
    region_by_name: dict[str, tuple[str, str]] = {}
    for name, country in regions["named_regions"].items():
        region_by_name[fold(name)] = (name, country)
    for name in ca_provinces.values():
        region_by_name[fold(name)] = (name, "CA")
    for name in us_states.values():
        region_by_name[fold(name)] = (name, "US")
    metro = {fold(name): (value[0], value[1], value[2]) for name, value in regions["metro_areas"].items()}
    return _Gazetteer(
        country_by_name=country_by_name,
        country_codes=frozenset(countries),
        us_state_by_code=us_states,
        ca_province_by_code=ca_provinces,
        region_by_name=region_by_name,
        macro_regions=frozenset(fold(name) for name in regions["macro_regions"]),
        metro_areas=metro,
    )


def valid_country_code(value: Any) -> str | None:
    """An alpha-2 code we know, upper-cased; None for "None", "nan", "", unknown codes and non-strings."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    if code == "UK":
        code = "GB"
    return code if code in gazetteer().country_codes else None


# ----------------------------------------------------------------------------------------- work model
_LOCATION_MARKERS = re.compile(r"\(\s*(remote|hybrid|on-?\s?site)\s*\)|\b(remote|hybrid|on-?\s?site)\b", re.I)
_TITLE_REMOTE = re.compile(r"\bremote\b(?!\s+(?:sensing|monitoring|access|desktop|control|patient))", re.I)
_TECH_AFTER_HYBRID = (
    r"(?!\s*(?:-\s*)?(?:cloud|apps?|mobile|multi|infrastructure|environments?|integration|architectures?|"
    r"systems?|solutions?|deployments?|search|vehicles?|engines?|transactional|analytical|data|it\b))"
)
_TITLE_HYBRID = re.compile(r"\bhybrid\b" + _TECH_AFTER_HYBRID, re.I)
_TITLE_ONSITE = re.compile(r"\bon-?\s?site\b", re.I)
_TEXT_HYBRID = re.compile(
    r"\bhybrid\b" + _TECH_AFTER_HYBRID + r"|\b[1-4]\s*(?:-\s*[1-4]\s*)?days?\s*(?:a|per|each)?\s*(?:week\s*)?"
    r"(?:in|at|from)\s*(?:the|our)?\s*office",
    re.I,
)
_TEXT_NOT_REMOTE = re.compile(
    r"\b(?:not|no|non|isn't|cannot be|can't be)[ -](?:a |an |fully |100% )?remote\b|"
    r"\bremote (?:work |working )?(?:is |are )?(?:not|n't) (?:available|possible|an option|offered|permitted|allowed)|"
    r"\bthis is an? (?:on-?site|in-office)",
    re.I,
)
_TEXT_REMOTE = re.compile(
    r"\b(?:fully|100\s?%|completely|entirely|permanently|full)[ -]remote\b|"
    r"\bremote[ -](?:first|friendly|eligible|role|position|job|opportunity|work|working|based|option|contract)\b|"
    r"\bwork(?:ing)? (?:from home|remotely)\b|\blocation\s*:?\s*remote\b|\bremote\s*\((?:[a-z]{2,}|u\.s\.)|"
    r"\b(?:this|the) (?:role|position|job) is remote\b|\bcan be (?:done )?remote(?:ly)?\b",
    re.I,
)
_TEXT_ONSITE = re.compile(
    r"\bon-?\s?site\b(?!\s+(?:interview|visit|meeting|event))|\bin[- ]office\b|\boffice[- ]based\b|"
    r"\b(?:5|five) days (?:a|per) week in (?:the )?office\b",
    re.I,
)
_TEXT_PROBES = ("remote", "hybrid", "on-site", "onsite", "on site", "office", "from home")


def _marker_model(marker: str) -> str:
    marker = marker.lower()
    if marker.startswith("remote"):
        return REMOTE
    if marker.startswith("hybrid"):
        return HYBRID
    return ONSITE


def work_model_from_title(title: str | None) -> str:
    if not title or not isinstance(title, str):
        return UNKNOWN
    if _TITLE_HYBRID.search(title):
        return HYBRID
    if _TITLE_REMOTE.search(title):
        return REMOTE
    if _TITLE_ONSITE.search(title):
        return ONSITE
    return UNKNOWN


def work_model_from_text(text: str | None) -> str:
    """Hybrid beats remote (hybrid posts mention both); a negated remote means on-site."""
    if not text or not isinstance(text, str):
        return UNKNOWN
    lowered = text.lower()
    if not any(probe in lowered for probe in _TEXT_PROBES):
        return UNKNOWN
    if _TEXT_HYBRID.search(lowered):
        return HYBRID
    if _TEXT_NOT_REMOTE.search(lowered):
        return ONSITE
    if _TEXT_REMOTE.search(lowered):
        return REMOTE
    if _TEXT_ONSITE.search(lowered):
        return ONSITE
    return UNKNOWN


# ------------------------------------------------------------------------------------------------ place
_REGION_SUFFIXES = (
    " district",
    " region",
    " county",
    " province",
    " state",
    " oblast",
    " voivodeship",
    " governorate",
    " prefecture",
    " department",
    " territory",
)
_GREATER = re.compile(r"^(?:greater\s+)?(.+?)(?:\s+(?:metropolitan|metro)?\s*(?:area|region))?$", re.I)


def _strip_work_markers(value: str) -> tuple[str, str]:
    model = UNKNOWN
    found = _LOCATION_MARKERS.search(value)
    if found:
        model = _marker_model(found.group(1) or found.group(2))
        value = _LOCATION_MARKERS.sub(" ", value)
    value = value.replace("·", ",").replace(" - ", ", ")
    return " ".join(value.split()).strip(" ,-"), model


@lru_cache(maxsize=131_072)
def _parse_place(job_location: str, hint: str | None) -> LocationResult:
    geo = gazetteer()
    place, model = _strip_work_markers(job_location)
    tokens = [token.strip() for token in place.split(",") if token.strip()]
    city: str | None = None
    region: str | None = None
    country: str | None = None

    if len(tokens) == 1 and fold(tokens[0]) in geo.macro_regions:
        return LocationResult(None, None, hint, model)
    if tokens:
        last = fold(tokens[-1])
        code = geo.country_by_name.get(last)
        if code is not None and not (code == "GE" and hint == "US"):
            country = code
            tokens.pop()
        elif (
            len(tokens) == 1 and len(tokens[0]) == 2 and valid_country_code(tokens[0]) and tokens[0].isupper()
        ):
            country = valid_country_code(tokens[0])
            tokens.pop()
    if tokens and country in (None, "US", "CA") and len(tokens) >= 2:
        code = tokens[-1].upper().replace(".", "")
        if country != "CA" and code in geo.us_state_by_code:
            region, country = geo.us_state_by_code[code], "US"
            tokens.pop()
        elif country != "US" and code in geo.ca_province_by_code:
            region, country = geo.ca_province_by_code[code], "CA"
            tokens.pop()
    if tokens:
        metro = geo.metro_areas.get(fold(tokens[-1]))
        if metro is not None and country in (None, metro[2]):
            if len(tokens) == 1:
                return LocationResult(metro[0], metro[1], hint or metro[2], model)
            city, region, country = tokens[0], metro[1], metro[2]
            return LocationResult(city, region, hint or country, model)
    if tokens and region is None:
        known = geo.region_by_name.get(fold(tokens[-1]))
        # "Georgia" alone is the country unless Bright Data says the posting is in the US.
        ambiguous = len(tokens) == 1 and country is None and fold(tokens[0]) in geo.country_by_name
        if known is not None and country in (None, known[1]) and (not ambiguous or hint == known[1]):
            region = known[0]
            country = country or known[1]
            tokens.pop()
    if tokens:
        if region is None and len(tokens) >= 2:
            city, region = tokens[0], tokens[-1]
        elif region is None and fold(tokens[0]).endswith(_REGION_SUFFIXES) and country is not None:
            region = tokens[0]
        else:
            city = tokens[0]
        if city is not None:
            greater = _GREATER.match(city)
            if greater is not None and greater.group(1) != city:
                city = greater.group(1)
    return LocationResult(city, region, hint or country, model)


def parse_location(
    job_location: str | None,
    country_code: str | None = None,
    title: str | None = None,
    text: str | None = None,
) -> LocationResult:
    """City, region, country and work model of a posting.

    Work model precedence: a marker in the location ("(Remote)", "Hybrid"), then the title, then the text.
    """
    hint = valid_country_code(country_code)
    if (
        isinstance(job_location, str)
        and job_location.strip()
        and fold(job_location) not in {"none", "nan", "null"}
    ):
        place = _parse_place(job_location.strip()[:300], hint)
    else:
        place = LocationResult(None, None, hint, UNKNOWN)
    model = place.work_model
    if model == UNKNOWN:
        model = work_model_from_title(title)
    if model == UNKNOWN:
        model = work_model_from_text(text)
    if model == place.work_model:
        return place
    return LocationResult(place.city, place.region, place.country, model)


# ================================================================================================ batch path
LOCATION_COLUMNS: tuple[str, ...] = ("city", "region", "country", "work_model")

# `work_model_from_text` as Rust regexes, with no look-arounds. Python lower-cases the text and matches with
# re.IGNORECASE; Rust's (?i) on the original text is the same for ASCII letters (both also match "ſ" for s and
# the Kelvin sign for k); rows with "ı" or "İ" (where the two differ) go to the Python code. Python's ``\b``
# depends on which characters Python calls word characters; for ASCII neighbours both engines agree, so every
# ``\b`` is written out as an ASCII class ({B} before a word, {E} after it). A row where a non-ASCII character
# touches a boundary is "ambiguous" (the loose and strict readings of the boundary disagree, or, for the two
# patterns with a negative look-ahead, a non-ASCII character sits next to the word) and is decided by Python.
# Python's ``\s`` also covers U+001C..U+001F, which Rust's does not.
# Speed: a rule led by a class under (?i), or by ``^|``, defeats Rust's literal search (a full scan, ~10x
# slower), so the classes are written case-sensitively as the same character sets (under (?i) a negated class
# also leaves out "ſ" and the Kelvin sign, which fold to ASCII letters), and the texts are given a leading
# space (`_BATCH_PAD`), so {B} never needs ``^``: a rule that matched at the start now consumes the space.
_S = r"[\s\x1c-\x1f]"
_WORD_ASCII = "0-9A-Za-z_"
_STRICT_CHAR = rf"(?-i:[^{_WORD_ASCII}\x{{80}}-\x{{10FFFF}}])"
_LOOSE_CHAR = rf"(?-i:[^{_WORD_ASCII}\x{{17f}}\x{{212a}}])"
_STRICT = {"B": _STRICT_CHAR, "E": rf"(?:{_STRICT_CHAR}|$)"}
_LOOSE = {"B": _LOOSE_CHAR, "E": rf"(?:{_LOOSE_CHAR}|$)"}
_BATCH_PAD = " "
_TECH = (
    "cloud|apps?|mobile|multi|infrastructure|environments?|integration|architectures?|systems?|solutions?|"
    "deployments?|search|vehicles?|engines?|transactional|analytical|data"
)
_HYBRID_SEP = rf"(?:{_S}+(?:-{_S}*)?|-{_S}*)"
_DAYS_IN_OFFICE = (
    rf"{{B}}[1-4]{_S}*(?:-{_S}*[1-4]{_S}*)?days?{_S}*(?:a|per|each)?{_S}*(?:week{_S}*)?(?:in|at|from){_S}*"
    rf"(?:the|our)?{_S}*office"
)
_NOT_REMOTE_TEMPLATE = (
    r"{B}(?:not|no|non|isn't|cannot be|can't be)[ -](?:a |an |fully |100% )?remote{E}|"
    r"{B}remote (?:work |working )?(?:is |are )?(?:not|n't) (?:available|possible|an option|offered|permitted|"
    r"allowed)|{B}this is an? (?:on-?site|in-office)"
)
_REMOTE_TEMPLATE = (
    rf"{{B}}(?:fully|100{_S}?%|completely|entirely|permanently|full)[ -]remote{{E}}|"
    r"{B}remote[ -](?:first|friendly|eligible|role|position|job|opportunity|work|working|based|option|contract){E}|"
    r"{B}work(?:ing)? (?:from home|remotely){E}|"
    rf"{{B}}location{_S}*:?{_S}*remote{{E}}|{{B}}remote{_S}*\((?:[a-z]{{{{2,}}}}|u\.s\.)|"
    r"{B}(?:this|the) (?:role|position|job) is remote{E}|{B}can be (?:done )?remote(?:ly)?{E}"
)
_ONSITE_PLAIN_TEMPLATE = (
    r"{B}in[- ]office{E}|{B}office[- ]based{E}|{B}(?:5|five) days (?:a|per) week in (?:the )?office{E}"
)
_ONSITE_WORD = rf"on-?{_S}?site"
_NON_ASCII = r"(?-i:[^\x00-\x7f\x{17f}\x{212a}])"
_AMBIGUOUS_LOOKAHEAD = rf"{_NON_ASCII}(?:hybrid|{_ONSITE_WORD})|(?:hybrid|{_ONSITE_WORD}){_NON_ASCII}|hybrid{_HYBRID_SEP}it{_NON_ASCII}"


def _fill(template: str, marks: dict[str, str]) -> str:
    return (
        template.replace("{B}", marks["B"]).replace("{E}", marks["E"]).replace("{{", "{").replace("}}", "}")
    )


_TEMPLATES = (_DAYS_IN_OFFICE, _NOT_REMOTE_TEMPLATE, _REMOTE_TEMPLATE, _ONSITE_PLAIN_TEMPLATE)
# A strict match and a loose one differ only where a boundary touches a non-ASCII character: one scan finds
# every such place (each template with its {B}, then its {E}, forced onto a non-ASCII character).
_AMBIGUOUS = "(?i)" + "|".join(
    [
        *(_fill(t, {"B": _NON_ASCII, "E": _LOOSE["E"]}) for t in _TEMPLATES),
        *(_fill(t, {"B": _LOOSE["B"], "E": _NON_ASCII}) for t in _TEMPLATES),
        _AMBIGUOUS_LOOKAHEAD,
    ]
)


def _exists(template: str) -> pl.Expr:
    return pl.col("_padded").str.contains("(?i)" + _fill(template, _STRICT))


def _free_word(word: str, blocked_suffix: str, blocked_word_end: str | None) -> pl.Expr:
    r"""``\bword\b(?!suffix)`` occurs: bounded words minus those followed by a word character or a blocked suffix.

    Counts are of non-overlapping matches that consume the character before the word and end on a word
    character (or the word), so a following match never loses its boundary character. The word character, the
    blocked suffix and ``blocked_word_end`` (a blocked word that needs ``\b`` after it) all start differently,
    so one alternation counts every unbounded or blocked word; a blocked word followed by a word character
    matched that alternation without being blocked, and is added back.
    """
    before, word_char = _STRICT["B"], rf"[{_WORD_ASCII}\x{{80}}-\x{{10FFFF}}]"
    low = pl.col("_padded").str
    word = "(?i)" + before + word
    tails = [word_char, blocked_suffix] + ([blocked_word_end] if blocked_word_end is not None else [])
    free = low.count_matches(word) - low.count_matches(word + "(?:" + "|".join(tails) + ")")
    if blocked_word_end is not None:
        free = free + low.count_matches(word + blocked_word_end + word_char)
    return free > 0


def _text_rules() -> list[tuple[str, int, pl.Expr]]:
    """(name, `location_scan` flags of the literals every match of it contains, rule) in the precedence order of
    `work_model_from_text`."""
    hybrid_days, not_remote, remote, onsite_plain = (_exists(template) for template in _TEMPLATES)
    hybrid_word = _free_word("hybrid", f"{_HYBRID_SEP}(?:{_TECH})", _HYBRID_SEP + "it")
    onsite_word = _free_word(_ONSITE_WORD, f"{_S}+(?:interview|visit|meeting|event)", None)
    scan = location_scan
    return [
        ("hybrid_word", scan.HYBRID, hybrid_word),
        ("hybrid_days", scan.OFFICE, hybrid_days),
        # "this is an on-site / in-office" holds "site" or "office".
        ("not_remote", scan.REMOTE | scan.SITE | scan.OFFICE, not_remote),
        ("remote", scan.REMOTE | scan.HOME, remote),
        ("onsite_word", scan.SITE, onsite_word),
        ("onsite_plain", scan.OFFICE, onsite_plain),
    ]


_RULE_MODEL = {
    "hybrid_word": HYBRID,
    "hybrid_days": HYBRID,
    "not_remote": ONSITE,
    "remote": REMOTE,
    "onsite_word": ONSITE,
    "onsite_plain": ONSITE,
}


# The batch path runs the rules on `location_scan` windows: each literal hit with this many counted characters
# (ASCII, not whitespace; whitespace runs and non-ASCII bytes are taken whole) on each side. The rules have no
# look-arounds and no ``^``, so a match in a window is a match in the text, unless it used ``$`` at a window end
# that is not the text's end; and a match in the text lies in the window of the literal it contains if it
# reaches fewer than `_WINDOW_MARGIN` counted characters from it. The farthest reaches, boundary characters
# included, are 23 before "office" ("(1-4 days each week from our office") and 22 after "remote" ("remote
# working are n't available"); no match reaches a window's ``$`` or its first character, which are 32 counted
# characters away from every literal (`location_scan` docstring). Rows starting a window get `_BATCH_PAD`.
_WINDOW_MARGIN = 32
_MODELS = [UNKNOWN, REMOTE, HYBRID, ONSITE]
_PENDING_FLAGS = (
    location_scan.REMOTE
    | location_scan.HYBRID
    | location_scan.OFFICE
    | location_scan.HOME
    | location_scan.ONSITE_PROBE
)


def work_model_from_text_batch(text: Any) -> Any:
    """`work_model_from_text` for a String column, row for row identical, in vectorized Rust regexes.

    The rules' regexes run only on short windows around the rule literals (`location_scan`), not on whole
    descriptions: a match always contains a literal and stays within the window around it. A row's model is
    that of the first rule, in precedence order, matching one of its windows; rows without a probe word stay
    unknown, and rows whose boundaries touch non-ASCII letters in a way the engines disagree on go to Python.
    """
    texts = text if isinstance(text, pl.Series) else pl.Series(list(text), dtype=pl.String)
    if texts.dtype != pl.String:
        texts = texts.cast(pl.String)
    data, offsets = utf8_column(texts)
    row_flags, windows = location_scan.literal_windows(
        data, offsets, location_scan.literals(), _WINDOW_MARGIN
    )
    pending = (row_flags & _PENDING_FLAGS) != 0
    windows = windows[pending[windows[:, 0]]]
    window_data, window_offsets = location_scan.window_bytes(data, offsets, windows, ord(_BATCH_PAD))
    padded = pl.Series(
        "_padded",
        pa.LargeStringArray.from_buffers(
            len(windows), pa.py_buffer(window_offsets), pa.py_buffer(window_data)
        ),
    )
    frame = pl.DataFrame({"_padded": padded})
    flags, window_rows = windows[:, 3], windows[:, 0]
    # Rows Python decides: a non-ASCII character at a boundary where the engines may disagree, or "ı" / "İ".
    ambiguous = (row_flags & location_scan.DOTTED_I) != 0
    candidates = np.flatnonzero(flags & location_scan.NON_ASCII)
    hit = frame[candidates].select(pl.col("_padded").str.contains(_AMBIGUOUS))[:, 0].to_numpy()
    ambiguous[window_rows[candidates[hit]]] = True
    ambiguous &= pending
    # Each rule, in precedence order, reads the windows holding one of its literals in rows still undecided.
    codes = np.zeros(len(texts), dtype=np.int8)
    decided = ambiguous.copy()
    for name, literal_flags, rule in _text_rules():
        candidates = np.flatnonzero((flags & literal_flags) != 0)
        candidates = candidates[~decided[window_rows[candidates]]]
        if len(candidates) == 0:
            continue
        hit = frame[candidates].select(rule)[:, 0].to_numpy()
        rows = window_rows[candidates[hit]]
        codes[rows] = _MODELS.index(_RULE_MODEL[name])
        decided[rows] = True
    rows = np.flatnonzero(ambiguous)
    codes[rows] = [_MODELS.index(work_model_from_text(value)) for value in texts.gather(rows).to_list()]
    return pl.Series(texts.name, _MODELS, dtype=pl.String).gather(codes)


def parse_location_batch(job_location: Any, country_code: Any, title: Any, text: Any) -> Any:
    """`parse_location` for whole columns (polars String Series); a DataFrame with city, region, country,
    work_model, row for row identical.

    The place is parsed once per distinct (location, country_code) and the title's work model once per
    distinct title (`parse_location` with no title or text is the place alone); the description is read only
    for rows still "unknown", through `work_model_from_text_batch` (vectorized regexes).
    """
    frame = pl.DataFrame(
        {"location": job_location, "country_code": country_code, "title": title, "text": text},
        schema={"location": pl.String, "country_code": pl.String, "title": pl.String, "text": pl.String},
    )
    places = frame.select("location", "country_code").unique(maintain_order=True)
    parsed = [
        parse_location(location, code, None, None)
        for location, code in zip(places["location"], places["country_code"], strict=True)
    ]
    places = places.with_columns(
        pl.Series("city", [place.city for place in parsed], pl.String),
        pl.Series("region", [place.region for place in parsed], pl.String),
        pl.Series("country", [place.country for place in parsed], pl.String),
        pl.Series("_place_model", [place.work_model for place in parsed], pl.String),
    )
    titles = frame.select("title").unique(maintain_order=True)
    titles = titles.with_columns(
        pl.Series("_title_model", [work_model_from_title(value) for value in titles["title"]], pl.String)
    )
    joined = (
        frame.join(
            places, on=["location", "country_code"], how="left", nulls_equal=True, maintain_order="left"
        )
        .join(titles, on="title", how="left", nulls_equal=True, maintain_order="left")
        .with_columns(
            pl.when(pl.col("_place_model") != UNKNOWN)
            .then(pl.col("_place_model"))
            .otherwise(pl.col("_title_model"))
            .alias("work_model")
        )
    )
    rows = joined["work_model"].eq(UNKNOWN).arg_true()
    if len(rows):
        models = joined["work_model"].scatter(rows, work_model_from_text_batch(joined["text"].gather(rows)))
        joined = joined.with_columns(models.alias("work_model"))
    return joined.select(LOCATION_COLUMNS)
