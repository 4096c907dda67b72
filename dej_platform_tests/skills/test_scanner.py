"""The compiled kernels: leftmost-first replacement equals polars' `replace_many`; the scan's buffers and bounds."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from dej_platform.skills.detector import _joined, default_detector
from dej_platform.skills.patterns import ENTITIES, TYPOGRAPHY, literal_prefixes
from dej_platform.skills.scanner import (
    BLOCK_NONE,
    Scratch,
    StringViews,
    build_replacements,
    build_trie,
    join_views,
    replace,
    scan,
    string_views,
)

HOSTILE = [
    "",
    " ",
    "a" * 3,
    *(" " * n + "x" + " " * n for n in range(1, 10)),
    "tab\there\r\nwindows\rold mac",
    "\u00a0nbsp\u2007figure\u202fnarrow\u2009thin\u200bzero",
    "\u2018quoted\u2019 \u201cdouble\u201d \u2022 bullet \u25cf \u2013 en \u2014 em \u2212 minus \u2026",
    "C\uff0b\uff0b and C\uff03",
    "snake_case-and-kebab",
    "".join(chr(c) for c in (*range(0x00, 0x20), 0x7F)) + "end",
    "&amp;lt;p&amp;gt; double &amp;amp; &lt;li&gt;&#43;&#x2B;&#X2B;&#043; &am &amp &#; &#x;",
    "<br><br/><br /><p>para</p><li>item</li><h2>Head</h2><b>bold</b> <script>x</script>",
    "trailing entity &amp",
    "\u00e9\u00e8 \u4e2d\u6587 \U0001f600 mixed &nbsp; end",
    "x" * 100_000 + "  " + "&amp;" * 1000,
]


def _buffer(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The texts as the detector's chunk buffer (UTF-8 bytes and int64 offsets)."""
    return _joined(pl.DataFrame({"text": texts}, schema={"text": pl.String}), Scratch())


def _decode(data: np.ndarray, offsets: np.ndarray) -> list[str]:
    return pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data)
    ).to_pylist()


@pytest.mark.parametrize("table", [ENTITIES, TYPOGRAPHY], ids=["entities", "typography"])
def test_replace_equals_polars_replace_many(table: dict[str, str]) -> None:
    series = pl.Series("t", HOSTILE, dtype=pl.String)
    expected = series.str.replace_many(list(table), list(table.values()), leftmost=True).to_list()
    data, offsets = _buffer(series)
    assert _decode(*replace(data, offsets, build_replacements(table))) == expected


@pytest.mark.parametrize("table", [ENTITIES, TYPOGRAPHY], ids=["entities", "typography"])
@pytest.mark.parametrize("pieces_per_text", [12, 200], ids=["short", "long"])
def test_replace_equals_polars_on_random_fragments(table: dict[str, str], pieces_per_text: int) -> None:
    """Random texts made of pattern pieces, across row ends, short and long (long ones go through the 64-byte
    block test, with patterns on block edges): the kernels give what polars gives."""
    rng = np.random.default_rng(5)
    pieces = [
        "&amp;",
        "&lt;",
        "&#43;",
        "&",
        "<",
        "<br>",
        "br>",
        "amp;",
        "a",
        " ",
        "  ",
        "\n",
        "-",
        "\u2019",
        "\u00e9",
        "\r\n",
        "_",
        "\x7f",
        "abcdefghijklmnopqrstuvwxyz0123456789",
    ]
    texts = ["".join(rng.choice(pieces, size=int(rng.integers(0, pieces_per_text)))) for _ in range(2_000)]
    series = pl.Series("t", texts, dtype=pl.String)
    expected = series.str.replace_many(list(table), list(table.values()), leftmost=True).to_list()
    data, offsets = _buffer(series)
    assert _decode(*replace(data, offsets, build_replacements(table))) == expected


def test_replace_of_texts_that_do_not_start_the_buffer() -> None:
    """Offsets into a larger buffer (a sliced arrow array) come back starting at 0."""
    data = np.frombuffer(b"skip&amp;a&lt;b\tc&gt;", dtype=np.uint8)
    offsets = np.array([4, 10, 15, 21], dtype=np.int64)
    for table, expected in ((ENTITIES, ["&a", "<b", "\tc>"]), (TYPOGRAPHY, ["&amp;a", "&lt;b", " c&gt;"])):
        out, out_offsets = replace(data, offsets, build_replacements(table))
        assert out_offsets[0] == 0 and _decode(out, out_offsets) == expected


def test_trie_layout_finds_every_word_and_nothing_else() -> None:
    """The double array holds every inserted word (and its prefixes' states), and no transition that was not added."""
    words = ["a", "ab", "abc", "b", "ba", "zz", "za"]
    classes = {ch: i + 1 for i, ch in enumerate("abcz")}
    children: list[dict[int, int]] = [{}]
    term = [-1]
    for k, word in enumerate(words):
        state = 0
        for ch in word:
            if classes[ch] not in children[state]:
                children[state][classes[ch]] = len(children)
                children.append({})
                term.append(-1)
            state = children[state][classes[ch]]
        term[state] = k
    states = build_trie(children, term, [-1] * len(children), 5).states

    def walk(text: str) -> int:
        node = 0
        for ch in text:
            child = states[node, 1] + classes[ch]
            if child >= len(states) or states[child, 0] != node:
                return -2
            node = child
        return int(states[node, 2])

    assert [walk(w) for w in words] == list(range(len(words)))
    assert [walk(w) for w in ("aa", "bb", "abz", "z", "zb")] == [-2, -2, -2, -1, -2]


def test_replace_takes_the_first_listed_pattern_not_the_longest() -> None:
    table = build_replacements({"&amp;": "&", "&amp;lt;": "<", "ab": "", "abc": "Z"})
    data, offsets = _buffer(pl.Series(["&amp;lt; abc", "ab"]))
    assert _decode(*replace(data, offsets, table)) == ["&lt; c", ""]


def test_replacements_that_grow_are_rejected() -> None:
    with pytest.raises(ValueError, match="longer than its pattern"):
        build_replacements({"a": "bb"})
    with pytest.raises(ValueError, match="empty"):
        build_replacements({"": "x"})


def test_scan_grows_its_buffers_when_matches_are_dense() -> None:
    """A match every 4 bytes is more than the first guess (one per 12 bytes): the scan retries, loses nothing."""
    detector = default_detector()
    texts = pl.Series(
        ["sql " * 5_000, "", "Go R C " * 3_000, "\n" * 10_000, "Requirements: x\n- y\nNice to have"]
    )
    data, offsets = _buffer(texts)
    found = scan(data, offsets, detector.tables)
    assert np.bincount(found.tag_row, minlength=5).tolist() == [
        5_000,
        0,
        0,
        0,
        1,
    ]  # "x" is no skill; "nice to have"
    assert np.bincount(found.case_row, minlength=5).tolist() == [0, 0, 9_000, 0, 0]
    assert found.tag_seg[found.tag_row == 0].max() == 0  # no breaks in row 0
    # line heads: short lines that start with a letter (long lines, blank lines and bullets are not)
    assert found.head_row.tolist() == [4, 4] and found.head_seg.tolist() == [0, 2]


def test_scan_of_nothing_and_of_texts_cut_inside_a_literal() -> None:
    detector = default_detector()
    data, offsets = _buffer(pl.Series([], dtype=pl.String))
    assert len(scan(data, offsets, detector.tables).tag_row) == 0
    out = detector.detect_frame(pl.DataFrame({"t": ["pyth", "kafk", "python", "", None]}), "t")
    assert out["skills"].to_list() == [[], [], ["Python"], [], []]


def test_replace_with_more_matches_than_its_first_guess() -> None:
    """The entity pass sizes its match list at 1,024 and retries larger: 5,000 entities in one text all decode."""
    data, offsets = _buffer(pl.Series(["&lt;b&gt;" * 2_500 + "R&D", "", "no entity"]))
    assert _decode(*replace(data, offsets, build_replacements(ENTITIES))) == [
        "<b>" * 2_500 + "R&D",
        "",
        "no entity",
    ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:ab|c)d*e", ["abd", "abe", "cd", "ce"]),
        (r"a?b", ["ab", "b"]),
        (r"(?:x|)y", ["xy", "y"]),
        (r"(?:the )?X(?:yz)+w", ["the xyz", "xyz"]),
        (r"\w+ team", []),
        (r"(?:a|\d)b", []),
        (r"(unclosed", []),
    ],
)
def test_literal_prefixes(pattern: str, expected: list[str]) -> None:
    assert literal_prefixes(pattern) == expected


def test_every_heading_starts_with_a_heading_prefix() -> None:
    """The scanner drops line heads that start with no prefix before the heading regex sees them: every head the
    regex takes must pass. Heads from the catalog's own phrases (any case, with marks, tails and extra words) and
    from sentences that only look like them."""
    spec = default_detector().spec
    heading = re.compile(spec.heading_any.replace("(?i-u)", "(?ai)").replace(r"\z", r"\Z"))
    lead = re.compile(r"[ \t]*(?:[#*>][ \t#*>]*)?")
    rng = np.random.default_rng(11)
    words = ["data", "skills", "you", "team", "x", "the", "will", "have"]
    heads = []
    for prefix in spec.heading_prefixes:
        for _ in range(3):
            extra = " ".join(rng.choice(words, size=int(rng.integers(0, 3))))
            text = f"{prefix} {extra}".strip()
            style = rng.integers(0, 3)
            text = text.upper() if style == 0 else text.title() if style == 1 else text
            heads.append(rng.choice(["", "## ", "* ", "  "]) + text + rng.choice(["", ":", " *"]))
            heads.append(text[: max(1, len(text) // 2)])
    heads += [
        "About the job",
        "ABOUT US",
        "Additional Information",
        "Basic Qualifications:",
        "## Benefits",
        "Bonus points if",
        "Core Skills",
        "Desired skills",
        "Even better if:",
        "Good to have",
        "It's a plus",
        "Key Responsibilities:",
        "Minimum qualifications",
        "Must have:",
        "Nice to haves",
        "* Preferred Qualifications *",
        "Requirements",
        "Responsibilities:",
        "The ideal candidate",
        "What we're looking for",
        "What you'll do",
        "Who you are",
        "You might also have",
        "Your profile",
    ]
    matched = [h for h in heads if heading.search(h)]
    assert len(matched) > len(spec.heading_prefixes)
    for head in matched:
        rest = head[lead.match(head).end() :].lower()  # type: ignore[union-attr]
        assert any(rest.startswith(p) for p in spec.heading_prefixes), head
    lines = [h for h in heads if heading.search(h)]
    _tags, (_forms, found) = default_detector()._streams(pl.DataFrame({"text": ["\n".join(lines)]}))
    assert len(found.row) == len(lines)


def test_the_scanner_leaves_out_exactly_the_literals_aggregation_ignores() -> None:
    """Vetoes and ignored abbreviations are not emitted as tags (they only consume bytes); aggregation has no item
    kind for exactly those, so leaving them out changes no result."""
    detector = default_detector()
    emitted = detector.tables.tag_emitted
    assert len(emitted) == len(detector.lit_items) == detector.spec.literal_count
    assert np.array_equal(emitted, detector.lit_items >= 0)
    assert 0 < (~emitted).sum() < len(emitted)


def test_chunk_texts_are_read_from_string_views_like_the_joined_column() -> None:
    """title + "\\n" + text straight from polars' string views (inline up to 12 bytes, else in a data buffer;
    nulls empty; a slice of a longer column; several data buffers) equals polars' own join."""
    rng = np.random.default_rng(3)
    pieces = ["", "a", "twelve bytes", "thirteen byte", "\u00e9\u4e2d\U0001f600", "x" * 300]
    texts = [None if rng.random() < 0.1 else "".join(rng.choice(pieces, size=3)) for _ in range(3_000)]
    titles = [None if rng.random() < 0.2 else str(rng.choice(pieces)) for _ in range(3_000)]
    frame = pl.concat(  # two chunks, rechunked: the strings end up in more than one data buffer
        [
            pl.DataFrame({"text": texts[:1_500], "title": titles[:1_500]}),
            pl.DataFrame({"text": texts[1_500:], "title": titles[1_500:]}),
        ]
    ).slice(7, 2_900)
    views = string_views(frame["text"].rechunk().to_arrow(compat_level=pl.CompatLevel.newest()))
    assert len(views.addresses) >= 2
    for columns in (["text"], ["text", "title"]):
        part = frame.select(columns)
        data, offsets = _joined(part, Scratch())
        expected = part.select(
            pl.concat_str([pl.col("title").fill_null(""), pl.lit("\n"), pl.col("text").fill_null("")])
            if "title" in columns
            else pl.col("text").fill_null("")
        ).to_series()
        assert _decode(data, offsets) == expected.to_list()


def test_a_view_outside_its_buffer_is_refused() -> None:
    array = pl.Series(["a string longer than twelve bytes"]).to_arrow(compat_level=pl.CompatLevel.newest())
    views = string_views(array)
    short = StringViews(views.views, views.valid, views.addresses, views.sizes - 1, views.keep)
    out, offsets = np.empty(64, np.uint8), np.empty(2, np.int64)
    join_views(None, views, out, offsets)
    assert bytes(out[: offsets[1]]) == b"a string longer than twelve bytes"
    with pytest.raises(ValueError, match="outside its Arrow buffer"):
        join_views(None, short, out, offsets)


def test_a_table_no_block_test_fits_is_looked_at_byte_by_byte() -> None:
    """Patterns starting with four different letters fit neither cheap test: every byte is looked at, and the
    result is still polars' `replace_many`."""
    table = {"ab": "x", "abc": "Y", "cd": "", "ef": "E", "gh": "g", "g": "G"}
    compiled = build_replacements(table)
    assert compiled.block_test == BLOCK_NONE
    rng = np.random.default_rng(9)
    pieces = ["a", "b", "c", "d", "e", "f", "g", "h", "ab", "abc", " ", "\n", "zzzzzzzzzzzzzzzzzzzzzzzzzzzz"]
    texts = ["".join(rng.choice(pieces, size=int(rng.integers(0, 120)))) for _ in range(1_000)]
    series = pl.Series("t", texts, dtype=pl.String)
    expected = series.str.replace_many(list(table), list(table.values()), leftmost=True).to_list()
    assert _decode(*replace(*_buffer(series), compiled)) == expected
