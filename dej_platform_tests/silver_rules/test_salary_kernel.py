"""The salary numba kernels (money starts, the money expression) and the scoring prefilters against the
per-record Python rules they stand in for, on hostile and randomly glued input."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

import numpy as np
import polars as pl
import pytest

from dej_platform.silver import salary
from dej_platform.silver.arrow_buffers import utf8_column
from dej_platform.silver.salary import SALARY_COLUMNS, parse_salary_batch, parse_salary_text
from dej_platform.silver.salary_scan import char_flags, starts_kernel
from dej_platform_tests.silver_rules import test_salary

GROUPS = ("c1", "n1", "k1", "s1", "c2", "n2", "k2", "s2")

# Pieces that make money expressions and their look-alikes: every currency token, separators, multipliers,
# ASCII and non-ASCII digits, group separators, spaces of every kind, letters around tokens, emoji.
PIECES: list[str] = [
    *salary._SYMBOLS,
    *salary._WORDS,
    *salary._CODES[:12],
    "USD",
    "EURO",
    "Euro",
    "euros",
    "LPA",
    "Lakh",
    *salary._SEP_WORDS,
    *("k", "K", "MM", "Mio", "Mio.", "mn", "million", "Million", "M", "lakh", "lakhs", "lacs", "crore", "Cr"),
    *("1", "12", "123", "1234", "120", "000", "9" * 12, "٣", "٣٠", "５", "०", "¹", "2.5", "12,00,000"),
    *(",", ".", "'", "’", "\u00a0", "\u202f", " ", " ", " ", "\t", "\n", "\u2003", "\x1c", "\x85", "-", "/"),
    *("a", "x", "X", "é", "É", "ß", "ſ", "\u212a", "İ", "漢", "😀", "_", "(", ")", ":", "$$"),
    *("salary ", "per year", " per hour", "/hr", " a year", " p.a.", " brutto", "up to ", "from ", "401(k) "),
    *("bonus", " in revenue", " match", "annual ", "monthly ", "Compensation: ", "budget of ", "hourly"),
]


def _glued(rng: random.Random, count: int, longest: int = 24) -> list[str]:
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, longest))) for _ in range(count)]


HOSTILE: list[str | None] = [
    None,
    "",
    " ",
    "$",
    "k",
    "5k",
    "٣k",
    ".5k",
    "1.5.k",
    "5 k",
    "5\u00a0k",
    "5\x1ck",
    "5kk",
    "5 Ka",
    "salary 12,34,56,789.12 INR",
    "salary 1,000,000,000,000,000 USD",
    "salary 1 234 567,89 €",
    "salary ٣٠٬٠٠٠ $",
    "salary $" + "9" * 400,
    "salary " + "1," * 300 + "000 USD",
    "USD$120,000",
    "xUSD$120,000",
    "Salary range\nUS\n$120,000 - $150,000 per year",  # a prefix is glued to the "$", not across a newline
    "C\n$5 k",
    "CAD$ 1",
    "AU$5",
    "S$5 - S$7",
    "Rs.5 to Rs. 7",
    "kr.5",
    "EURO5",
    "EUROS 5",
    "€ 5 à € 7",
    "€5 até €7",
    "$5 au $7",
    "$5 al $7",
    "$5 and\n\n$7",
    "$5 through 7k",
    "$ 5 Mio. per year",
    "$5 Million",
    "25 LPA",
    "₹16 LPA - ₹23 LPA",
    "12 lakhs - 15 lakhs",
    "2 Cr",
    "2 Crx",
    "é$5",
    "😀$5😀",
    "漢字 salary ¥7,000,000 – ¥10,000,000",
    "salary " + "é" * 5000 + " $100,000",
    "a" * 1_000_000 + " salary $120,000 per year",
]


def _series(texts: Sequence[str | None]) -> pl.Series:
    return pl.Series(texts, dtype=pl.String)


def _kernel_starts(texts: Sequence[str | None]) -> list[list[int]]:
    """`starts_kernel` per row, bare "k" amounts where `_bare_thousands_allowed` holds (as the batch path);
    checks that each start's byte offset is its character offset in UTF-8."""
    series = _series(texts)
    salary._scan_money_tokens(series)  # builds the literal tables
    data, offsets = utf8_column(series)
    _, hit_row, hit_char, hit_literal, hit_byte = salary._scan_kernel(data, offsets, *salary._TABLES[0])
    bare = np.array(
        [salary._bare_thousands_allowed(text) if text else False for text in texts], dtype=np.bool_
    )
    rows, chars, starts = starts_kernel(
        data,
        offsets,
        hit_row,
        hit_byte,
        hit_char,
        hit_literal,
        salary._LITERAL_KINDS,
        salary._TABLES[0][3],
        salary._DOLLAR_LITERAL,
        bare,
        char_flags(),
    )
    found: list[list[int]] = [[] for _ in texts]
    for row, char, byte in zip(rows.tolist(), chars.tolist(), starts.tolist(), strict=True):
        text = texts[row]
        assert text is not None
        assert len(text[:char].encode("utf-8")) == byte - offsets[row], (text, char)
        found[row].append(char)
    return found


def _python_matches(text: str | None) -> list[tuple[int, ...]]:
    """(start, end, then each group's span or -1, -1) of every money expression the per-record rule scores."""
    if not text:
        return []
    found = []
    consumed = 0
    for start in salary._anchor_starts(text):
        if start < consumed:
            continue
        match = salary._MONEY.match(text, start)
        if match is None or not match.group("n1"):
            continue
        consumed = match.end()
        found.append((*match.span(), *(bound for group in GROUPS for bound in match.span(group))))
    return found


def _kernel_matches(
    texts: Sequence[str | None], series: pl.Series | None = None
) -> list[list[tuple[int, ...]]]:
    def decide(
        candidates: np.ndarray, k_number: np.ndarray, offsets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        bare = [row for row in candidates.tolist() if salary._bare_thousands_allowed(texts[row] or "")]
        return np.array(bare, dtype=np.int64), np.zeros(0, dtype=np.int64)

    _, _, _, rows, spans = salary._money_batch(_series(texts) if series is None else series, decide)
    found: list[list[tuple[int, ...]]] = [[] for _ in texts]
    for row, span in zip(rows.tolist(), spans.tolist(), strict=True):
        found[row].append(tuple(span))
    return found


def _all_texts() -> list[str | None]:
    cases = [case[0] for case in test_salary.TEXT_CASES]
    return HOSTILE + cases + _glued(random.Random(5), 3000)


def test_starts_kernel_matches_anchor_starts():
    texts = _all_texts()
    for text, starts in zip(texts, _kernel_starts(texts), strict=True):
        assert starts == (salary._anchor_starts(text) if text else []), text


def test_money_kernel_matches_the_money_regex():
    texts = _all_texts()
    for text, found in zip(texts, _kernel_matches(texts), strict=True):
        assert found == _python_matches(text), text


def test_money_kernel_on_number_shapes():
    """Every glued number shape (groupings, decimals, Unicode digits, separators) with tokens around it."""
    rng = random.Random(11)
    digits = [
        "1",
        "12",
        "123",
        "1234",
        "٣",
        "٣٣",
        "５",
        ",",
        ".",
        ",",
        ".",
        " ",
        "'",
        "’",
        "\u00a0",
        "\u202f",
    ]
    texts = []
    for _ in range(4000):
        number = "".join(rng.choice(digits) for _ in range(rng.randint(1, 12)))
        texts.append(
            rng.choice(["$", "USD ", "", "Rs.", "x"]) + number + rng.choice(["", " k", "k", " - $9", " €"])
        )
    for text, found in zip(texts, _kernel_matches(texts), strict=True):
        assert found == _python_matches(text), text


def test_batch_matches_per_record_on_glued_texts():
    texts = _all_texts()
    countries = [
        random.Random(index).choice([None, "US", "CA", "IN", "CN", "NO"]) for index in range(len(texts))
    ]
    frame = parse_salary_batch([None] * len(texts), [None] * len(texts), _series(texts), pl.Series(countries))
    for text, country, row in zip(texts, countries, frame.iter_rows(), strict=True):
        found = parse_salary_text(text, country)
        expected = found if found is not None else salary.NO_SALARY
        assert row == tuple(getattr(expected, name) for name in SALARY_COLUMNS), text


def test_text_over_the_scan_limit_in_bytes_but_not_in_characters():
    """A text whose UTF-8 is longer than the character limit is still scanned by the kernels, alike."""
    texts = ["é" * 150_000 + " salary $120,000 per year", "😀" * 60_000 + " USD 90k"]
    frame = parse_salary_batch([None, None], [None, None], _series(texts), None)
    for text, row in zip(texts, frame.iter_rows(), strict=True):
        found = parse_salary_text(text)
        assert row == tuple(getattr(found or salary.NO_SALARY, name) for name in SALARY_COLUMNS)


def test_char_flags_are_pythons_character_classes():
    flags = char_flags()
    space, digit = re.compile(r"\s"), re.compile(r"\d")
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:  # surrogates never occur in UTF-8 text
            continue
        char = chr(code)
        assert bool(flags[code] & 1) == char.isalpha(), hex(code)
        assert bool(flags[code] & 2) == (digit.match(char) is not None), hex(code)
        assert bool(flags[code] & 4) == (space.match(char) is not None), hex(code)


def _flat_period_after() -> re.Pattern[str]:
    """_PERIOD_AFTER as first written: flat alternations."""
    fillers = "|".join(map(re.escape, salary._PERIOD_FILLERS))
    return re.compile(
        rf"[ \t]*(?:(?:{fillers})[ \t]*){{0,3}}(?P<period>{salary._PERIOD_ALT})(?![A-Za-zÀ-ÿ])", re.IGNORECASE
    )


def _tails(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    words = [
        *salary._PERIOD_WORDS,
        *salary._PERIOD_FILLERS,
        "bonus",
        "in revenue",
        "match",
        "matching",
        "max",
    ]
    words += [word.upper() for word in words[:40]] + ["\u212a", "ſ", "İ", "ı", "é", ".", ",", "x", "_"]
    spaces = ["", " ", "  ", "\t", "\n", "\u00a0", "\u2003"]
    return [
        "".join(rng.choice(spaces) + rng.choice(words) for _ in range(rng.randint(0, 5))) + rng.choice(spaces)
        for _ in range(count)
    ]


def test_grouped_period_after_is_the_flat_regex():
    flat = _flat_period_after()
    for tail in _tails(3, 20_000):
        for start in (0, 1):
            got, want = salary._PERIOD_AFTER.match(tail, start), flat.match(tail, start)
            assert (got and (got.span(), got.group("period"))) == (
                want and (want.span(), want.group("period"))
            )


def test_scoring_prefilters_never_hide_a_match():
    for tail in _tails(4, 20_000):
        if salary._PERIOD_AFTER.match(tail):
            assert salary._PERIOD_AFTER_START.match(tail), tail
        if salary._NOT_PAY_AFTER.match(tail):
            assert salary._word_follows(tail, 0), tail
        folded = salary._fold(tail)
        assert bool(salary._PERIOD_BEFORE_PROBE.search(folded)) == any(
            probe in folded for probe in salary._PERIOD_BEFORE_PROBES
        )


def test_period_after_start_covers_every_case_variant_of_a_first_letter():
    """The prefilter's class under IGNORECASE accepts every character the alternatives' literals accept."""
    firsts = sorted({word[0] for word in (*salary._PERIOD_FILLERS, *salary._PERIOD_WORDS)})
    literals = [re.compile(re.escape(first), re.IGNORECASE) for first in firsts]
    for code in range(0x3000):
        char = chr(code)
        if any(literal.match(char) for literal in literals):
            assert salary._PERIOD_AFTER_START.match(char), hex(code)


@pytest.mark.parametrize("text", ["salary $1", "€ 5k salary", "USD 100 - 200", "x 5k", "Rs.5"])
def test_money_kernel_on_sliced_and_chunked_series(text: str):
    base = _series([text, None, "salary " + text, "", text + " per year"] * 3)
    chunked = pl.concat([base[:4], base[4:9], base[9:]], rechunk=False)
    for series in (base, base[3:11], chunked):
        texts = series.to_list()
        assert _kernel_matches(texts, series) == [_python_matches(text) for text in texts]


def test_not_pay_ascii_regex_is_exact_on_ascii_text():
    from dej_platform_tests.silver_rules.test_batch_equivalence import _context_samples

    rng = random.Random(8)
    words = ["401", "(k)", "k", "401k", "tuition", "bonus", "sign-on", "signon", "aum", "arr", "cost", "fee"]
    words += [
        "fund",
        "funding",
        "refund",
        "series b",
        "budget",
        "of",
        "up to",
        "upwards of",
        "per year",
        "is",
    ]
    words += ["Budget", "BONUS", "Arr", "Series C", "x", "salary", "a", "an", "per employee", "match", ")"]
    glue = [" ", "", ":", ",", "-", "\n", "\x1c", "\x1f", "\t", "\x0b", "  ", ": "]
    samples = [sample for sample in _context_samples(10) if sample.isascii()]
    samples += [
        "".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randint(1, 6))) for _ in range(20_000)
    ]
    samples += [sample + "\n" for sample in samples[:2000]] + [sample + "\n\n" for sample in samples[:500]]
    tails = [sample[-60:] for sample in samples]
    exact = pl.Series([salary._fold(tail) for tail in tails]).str.contains(salary._NOT_PAY_ASCII).to_list()
    python = [salary._not_pay_before(tail) for tail in tails]
    assert exact == python
    assert sum(python) > 1000


def test_scan_checks_every_row_boundary():
    """The token scan reads the column as one byte run; rows that start with a token right after a row that
    ends with a letter, or end with a token's first byte, must still be exactly as when read alone."""
    from dej_platform_tests.silver_rules.test_salary_fast import _reference_hits

    rng = random.Random(9)
    pieces = [
        "a",
        "xa",
        "k",
        "K",
        "5",
        "5 ",
        "$",
        "€",
        "USD",
        "US",
        "kr",
        "kr.",
        "Rs",
        "lakh",
        "é",
        "",
        "z",
        "zł",
    ]
    texts: list[str | None] = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(3000)
    ]
    texts += [None, "", "a"]
    for series in (_series(texts), _series(texts)[1:], pl.concat([_series(texts[:7]), _series(texts[7:])])):
        values = series.to_list()
        k_number, rows, chars, literals = salary._scan_money_tokens(series)
        got: list[list[tuple[int, int]]] = [[] for _ in values]
        for row, char, literal in zip(rows.tolist(), chars.tolist(), literals.tolist(), strict=True):
            got[row].append((char, literal))
        for index, text in enumerate(values):
            assert sorted(got[index]) == (_reference_hits(text) if text else []), (index, text)
            if text and re.search(r"\d[\d.,]*\s?[kK]", text):
                assert k_number[index], text


def test_a_currency_prefix_must_touch_the_dollar_sign() -> None:
    """ "US$5" is a prefixed dollar; "US" on the line above a "$" is not part of the amount's text."""
    from dej_platform.silver.salary import parse_salary_text

    above = parse_salary_text("Salary range\nUS\n$120,000 - $150,000 per year")
    glued = parse_salary_text("Salary range: US$120,000 - US$150,000 per year")
    assert above is not None and above.text == "$120,000 - $150,000 per year"
    assert glued is not None and glued.text.startswith("US$120,000")
    assert (
        (above.min, above.max, above.currency)
        == (glued.min, glued.max, glued.currency)
        == (120000, 150000, "USD")
    )
