"""The staged location batch path (places and titles parsed once, text rules run on prefiltered rows) against
the per-record rules."""

from __future__ import annotations

import random

import polars as pl

from dej_platform.silver import location, location_scan
from dej_platform.silver.arrow_buffers import utf8_column
from dej_platform.silver.location import (
    parse_location,
    parse_location_batch,
    work_model_from_text,
    work_model_from_text_batch,
)
from dej_platform_tests.silver_rules import test_location
from dej_platform_tests.silver_rules.test_batch_equivalence import WORK_MODEL_TEXTS
from dej_platform_tests.silver_rules.test_location_speed import PROBE_CASES

# Rule words at the very start / end of the text (the batch path pads texts so {B} needs no "^"), glued to
# ASCII and non-ASCII letters, case and Unicode look-alikes ("ſ" for s, Kelvin sign, dotless i), and control
# characters Python's \s covers but Rust's does not.
EDGE_TEXTS: list[str | None] = [
    "hybrid",
    "Hybrid role",
    "remote",
    "remote-first",
    "Remote (US)",
    "on-site",
    "onsite",
    "on site",
    "on\tsite",
    "on-\x1csite work, remote",
    "onſite, remote",
    "on-ſite",
    "hybrid ſystems",
    "office",
    "office-based",
    "in-office",
    "in office",
    "3 days in office",
    "3 days in office.",
    "3\x1fdays\x1fin\x1foffice",
    "five days a week in the office",
    "5 days per week in office and remote",
    "this is an on-site role",
    "this is a in-office role, remote",
    "not remote",
    "non-remote",
    "cannot be remote",
    "remote work is not available",
    "remote work isn't allowed",
    "work from home",
    "working remotely",
    "location: remote",
    "location:remote",
    "the job is remote",
    "can be done remotely",
    "fully remote",
    "100 % remote",
    "100\x1c% remote",
    "remote\x1f(us)",
    "xhybrid remote-first",
    "hybridx",
    "hybrid_",
    "_hybrid",
    "1hybrid",
    "hybrid1",
    "éhybrid",
    "hybridé",
    "’hybrid’",
    "hybrid’",
    "hybrid it",
    "hybrid it’s",
    "hybrid itä",
    "hybrid it_",
    "hybrid -  it",
    "hybrid - cloud",
    "hybrid\x1fcloud",
    "hybrid-apps",
    "HYBRID CLOUD and remote",
    "hybrİd remote-first",
    "remote-fırst and hybrid",
    "offıce based",
    "REMOTE-\u212aIND",
    "remote-first\u212a",
    "😀remote-first😀",
    "漢字 hybrid 漢字",
    "on-site interview",
    "on-site\x1finterview",
    "on-site  visit then hybrid",
    "onsite visits, remote-first",
    "",
    " ",
    None,
]


def _check(corpus: list[str | None]) -> None:
    got = work_model_from_text_batch(pl.Series(corpus, dtype=pl.String)).to_list()
    expected = [work_model_from_text(text) for text in corpus]
    mismatches = [(text, e, g) for text, e, g in zip(corpus, expected, got, strict=True) if e != g]
    assert mismatches == []


def test_edge_texts_match_per_record():
    _check(EDGE_TEXTS + [t.upper() for t in EDGE_TEXTS if t] + [t.title() for t in EDGE_TEXTS if t])
    assert {"hybrid", "remote", "onsite", "unknown"} <= {work_model_from_text(t) for t in EDGE_TEXTS}


def test_rule_words_spliced_at_random_positions_match_per_record():
    rng = random.Random(41)
    pieces = [t for t in EDGE_TEXTS + WORK_MODEL_TEXTS if t]
    glue = ["", " ", "é", "x", "_", "’", "\n", "-", "😀", "ſ", "\u212a", "ı", "İ", "\x1c", "(", "1"]
    corpus: list[str | None] = []
    for _ in range(3000):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 4))]
        text = "".join(rng.choice(glue) + part + rng.choice(glue) for part in parts)
        corpus.append(text.upper() if rng.random() < 0.1 else text)
    _check(corpus)


def test_long_pure_ascii_and_non_ascii_texts():
    filler = "We build reliable data pipelines with Spark and dbt. " * 20_000
    _check(
        [
            filler + "This role is hybrid.",
            "Hybrid. " + filler,
            filler,
            filler + "é remote-first",
            "remote-first" + "é" * 1_000_000,
            "é" * 1_000_000,
        ]
    )


def test_empty_and_all_null_columns():
    assert work_model_from_text_batch(pl.Series([], dtype=pl.String)).to_list() == []
    assert work_model_from_text_batch(pl.Series([None, None])).to_list() == ["unknown", "unknown"]
    assert work_model_from_text_batch(["remote-first", None]).to_list() == ["remote", "unknown"]
    named = work_model_from_text_batch(pl.Series("text", ["hybrid"]))
    assert named.name == "text" and named.to_list() == ["hybrid"]


def test_case_sensitive_classes_equal_their_case_insensitive_forms():
    chars = [chr(code) for code in range(1, 0x3000)] + ["\u212a", "\u017f", "😀", "\U0010ffff"]
    series = pl.Series(chars)
    pairs = [
        ("(?i)^[^0-9A-Za-z_]$", f"^{location._LOOSE_CHAR}$"),
        ("(?i)^[^\\x00-\\x7f]$", f"^{location._NON_ASCII}$"),
        ("(?i)^[^0-9A-Za-z_\\x{80}-\\x{10FFFF}]$", f"^{location._STRICT_CHAR}$"),
    ]
    for case_insensitive, case_sensitive in pairs:
        assert (
            series.str.contains(case_insensitive).to_list() == series.str.contains(case_sensitive).to_list()
        )


def test_location_batch_matches_per_record_on_every_combination():
    locations = [case[0] for case in test_location.LOCATION_CASES[:40]] + [
        None,
        "",
        "  ",
        "nan",
        "Remote",
        "Berlin, Germany (Hybrid)",
        "Austin, TX · On-site",
    ]
    codes = [None, "US", "CA", "GE", "UK", "zz", "nan"]
    titles = [
        None,
        "",
        "Data Engineer",
        "Remote Data Engineer",
        "Hybrid Cloud Engineer",
        "Engineer (On-site)",
    ]
    texts = [None, "", "fully remote role", "Hybrid: 3 days in the office", "This is not a remote role", "x"]
    rng = random.Random(43)
    rows = [
        (rng.choice(locations), rng.choice(codes), rng.choice(titles), rng.choice(texts)) for _ in range(3000)
    ]
    frame = parse_location_batch(*(pl.Series([row[i] for row in rows], dtype=pl.String) for i in range(4)))
    assert frame.columns == ["city", "region", "country", "work_model"]
    for index, row in enumerate(rows):
        expected = parse_location(*row)
        assert frame.row(index) == (expected.city, expected.region, expected.country, expected.work_model), (
            row
        )


def test_location_batch_on_empty_and_all_null_columns():
    empty = parse_location_batch(*(pl.Series([], dtype=pl.String) for _ in range(4)))
    assert empty.columns == ["city", "region", "country", "work_model"] and empty.height == 0
    nulls = parse_location_batch(*(pl.Series([None, None]) for _ in range(4)))
    assert nulls.rows() == [(None, None, None, "unknown")] * 2


# ------------------------------------------------------------------ windows around the rule literals
# The batch path runs the rules on `location_scan` windows around "remote", "hybrid", "office", "site" and
# "from home": these texts put every rule's longest shapes at window edges, after and before long runs.
RULE_PHRASES = [
    "1 - 4 days each week from our office",
    "2-3 days a week at the office",
    "4\u3000days\x1fper   week \n in \n\n our \t office",
    "five days per week in the office",
    "remote working are n't permitted",
    "remote work is not available",
    "can't be fully remote",
    "cannot be 100% remote",
    "permanently-remote",
    "remote opportunity",
    "working remotely",
    "work from home",
    "location  :  \n remote",
    "remote (u.s.)",
    "remote\x1f(emea)",
    "the position is remote",
    "can be done remotely",
    "this is an on-site role",
    "this is a in-office",
    "office-based",
    "on-\u3000site",
    "on\u00a0site",
    "on-site  \n visit",
    "hybrid   \n  -  \n infrastructure",
    "hybrid - it",
    "hybrid itä",
    "hybrid-apps",
    "thiſ iſ an on-ſite",
    "REMOTE-\u212aIND",
]
NEIGHBOURS = [
    "",
    " ",
    "(",
    ".",
    "é",
    "ı",
    "İ",
    "ſ",
    "\u212a",
    "😀",
    "x",
    "_",
    "1",
    "\n\n",
    "\u3000",
    "\x1c",
    "’",
]


def _window_edge_corpus() -> list[str | None]:
    corpus: list[str | None] = []
    for phrase in RULE_PHRASES:
        words = phrase.split(" ")
        for run in (" " * 40, "\n" * 70, " \u3000 " * 30, "\x1c" * 40):
            corpus.append(run.join(words))
            corpus.append("y" * 40 + ". " + run.join(words) + " ." + "y" * 40)
        for size in (20, 23, 24, 31, 32, 33, 40):
            for left, right in (("(", ")"), (". ", " ."), ("a", "b"), ("é", "é")):
                corpus.append("a" * size + left + phrase + right + "b" * size)
                corpus.append("a b " * size + left + phrase + right + " c d" * size)
    return corpus


def test_rule_phrases_with_hostile_neighbours_match_per_record():
    corpus: list[str | None] = []
    for phrase in RULE_PHRASES + [t for t in EDGE_TEXTS if t]:
        for variant in (
            phrase,
            phrase.upper(),
            phrase.title(),
            phrase.replace("s", "ſ"),
            phrase.replace("i", "ı"),
        ):
            for left in NEIGHBOURS:
                for right in NEIGHBOURS[::3]:
                    corpus.append(left + variant + right)
                    corpus.append("We build data pipelines; " * 3 + left + variant + right + " Apply now.")
    _check(corpus)


def test_rule_phrases_at_window_edges_match_per_record():
    _check(_window_edge_corpus())


def test_a_window_margin_below_the_rules_reach_is_caught(monkeypatch):
    """The edge corpus really tests the window margin: one below the rules' reach gets rows wrong."""
    corpus = _window_edge_corpus()
    expected = [work_model_from_text(text) for text in corpus]
    monkeypatch.setattr(location, "_WINDOW_MARGIN", 16)
    got = work_model_from_text_batch(pl.Series(corpus, dtype=pl.String)).to_list()
    assert got != expected


def test_literals_across_kernel_chunks_and_at_the_column_end():
    chunk = location_scan._CHUNK
    corpus: list[str | None] = []
    for shift in range(-12, 4):
        corpus.append("x" * (chunk + shift) + " remote-first")
        corpus.append("x " * ((chunk + shift) // 2) + "on-site, hybrid cloud")
    corpus += ["remote-first ı", "hybrid İ", "office ı", "remote-firstı", "ı", "İ", "on-site"]
    for text in corpus:
        _check([text])
    _check(corpus)


def test_pending_flags_are_the_probe():
    probes = [*PROBE_CASES, "From Home", "on\tsite", "on--site", "o-nsite"]
    texts = [left + probe + right for probe in probes for left in NEIGHBOURS for right in ("", " x", "ſ")]
    data, offsets = utf8_column(pl.Series(texts, dtype=pl.String))
    flags, _ = location_scan.literal_windows(data, offsets, location_scan.literals(), location._WINDOW_MARGIN)
    pending = ((flags & location._PENDING_FLAGS) != 0).tolist()
    assert pending == [any(probe in text.lower() for probe in location._TEXT_PROBES) for text in texts]


def test_sliced_and_chunked_columns():
    texts = [t for t in EDGE_TEXTS if t] * 3
    series = pl.concat([pl.Series(texts[:40]), pl.Series(texts[40:])], rechunk=False)[7:-5]
    assert work_model_from_text_batch(series).to_list() == [work_model_from_text(t) for t in texts[7:-5]]
