"""The fast salary batch path (numba token scan, cheap prefilters) against the per-record rules it replaces."""

from __future__ import annotations

import random
import re

import polars as pl
import pytest

from dej_platform.silver import salary
from dej_platform.silver.salary import SALARY_COLUMNS, parse_salary_batch, parse_salary_text
from dej_platform_tests.silver_rules import test_salary

HOSTILE_TEXTS: list[str | None] = [
    None,
    "",
    " ",
    "$",
    "€",
    "USD",
    "US",
    "kr",
    "k",
    "5k",
    "Salary 5k",
    "Salary: 120k-150k per year",
    "Salary 100 k",
    "Salary 100\u00a0k",
    "Salary 100\x1ck",
    "Salary 1.5.k",
    "Salary 1,k",
    "Salary ٣٠k",
    "Salary ¹k",
    "Salary k5",
    "xUSD 90,000",
    "USDX 100k",
    "salary US$120,000",
    "salary CA$ 95,000 - 105,000",
    "salary é$120,000",
    "SalaryUSD 90,000",
    "Salary 90,000 USD",
    "Salary 90,000 USDé",
    "Salary 90,000 USD_",
    "pay: 25-30 lakhs",
    "pay: 25-30 Lakhs per annum",
    "pay: 12 LPA",
    "CTC ₹12,00,000",
    "Gehalt: 60.000–75.000 € brutto jährlich",
    "Salário: R$ 17.000 a R$ 19.500 por mês",
    "Remuneração: 8.000 zł miesięcznie",
    "Plat: 60 000 Kč měsíčně",
    "salary 😀 $120,000 😀 per year",
    "漢字 salary $120,000 漢字",
    "\u0301salary $100,000",
    "Compensation: £45k to £55k plus bonus.",
    "The base salary range for this role is $120,000 - $150,000 per year.",
    "401(k) match up to 6%; salary $90,000",
    "learning budget of $2,000",
    "$" + " " * 40 + "120,000 per year",
    "1 000 000 000 000 000 000 000 000 000 000 000 000 000 €",
    "salary " + "9" * 400 + " USD",
]


def _expected(texts: list[str | None], countries: list[str | None]) -> list[dict]:
    out = []
    for text, country in zip(texts, countries, strict=True):
        found = parse_salary_text(text, country)
        result = found if found is not None else salary.NO_SALARY
        out.append({name: getattr(result, name) for name in SALARY_COLUMNS})
    return out


def _batch(texts: list[str | None], countries: list[str | None]) -> list[dict]:
    frame = parse_salary_batch(
        [None] * len(texts),
        [None] * len(texts),
        pl.Series(texts, dtype=pl.String),
        pl.Series(countries, dtype=pl.String),
    )
    return list(frame.iter_rows(named=True))


def test_hostile_texts_match_per_record():
    countries = [None, "CA", "IN", "NO", "CN", "US"]
    texts = HOSTILE_TEXTS * len(countries)
    country_column = [countries[index // len(HOSTILE_TEXTS)] for index in range(len(texts))]
    assert _batch(texts, country_column) == _expected(texts, country_column)


def test_text_cases_glued_and_spliced_into_non_ascii_text_match_per_record():
    rng = random.Random(17)
    cases = [case[0] for case in test_salary.TEXT_CASES] + [t for t in HOSTILE_TEXTS if t]
    glue = ["", " ", "é", "x", "_", "’", "\n", "😀", "\u00a0", "5", ",", "$", "k", "İ", "ı"]
    texts: list[str | None] = []
    for _ in range(1500):
        parts = [rng.choice(glue) + rng.choice(cases) + rng.choice(glue) for _ in range(rng.randint(1, 3))]
        texts.append(rng.choice(["", "Über uns. ", "漢字 ", "😀"]) + rng.choice(glue).join(parts))
    countries = [rng.choice([None, "CA", "IN", "US", "NO", "CN"]) for _ in texts]
    assert _batch(texts, countries) == _expected(texts, countries)


def test_text_longer_than_the_scan_limit_uses_the_whole_text_rule():
    head = "We build data pipelines. " * 4_000
    texts = [
        head + "Salary: $120,000 - $150,000 per year." + "x" * 200_000,
        "x" * 199_990 + "Salary $120,000 per year",
        "x" * 199_970 + "Salary $120,000 per year",
        "é" * 199_995 + "USD 120,000 salary",
        "Salary " + "é" * 250_000,
        "😀" * 300_000,
    ]
    assert sum(len(t) > salary.MAX_TEXT_SCAN_CHARS for t in texts) == 5
    assert _batch(texts, [None] * len(texts)) == _expected(texts, [None] * len(texts))


def test_null_empty_and_all_null_columns():
    assert _batch([None, None], [None, None]) == _expected([None, None], [None, None])
    assert _batch(["", ""], [None, "US"]) == _expected(["", ""], [None, "US"])
    frame = parse_salary_batch([], [], pl.Series([], dtype=pl.String), None)
    assert frame.columns == list(SALARY_COLUMNS) and frame.height == 0
    all_null = parse_salary_batch([None], [None], pl.Series([None]), None)
    assert all_null.row(0, named=True) == {name: None for name in SALARY_COLUMNS}


def _reference_hits(text: str) -> list[tuple[int, int]]:
    """Every literal occurrence the kernel must report: all of them, except letter-led ones after an ASCII
    letter (which `_starts_from_hits` would reject anyway)."""
    hits = []
    for literal, (token, _) in enumerate(salary._BATCH_LITERALS):
        position = text.find(token)
        while position >= 0:
            after_letter = position > 0 and text[position - 1].isascii() and text[position - 1].isalpha()
            if not (token[0].isascii() and token[0].isalpha() and after_letter):
                hits.append((position, literal))
            position = text.find(token, position + 1)
    return sorted(hits)


def test_scan_kernel_reports_character_offsets_of_every_literal():
    rng = random.Random(23)
    alphabet = [token for token, _ in salary._BATCH_LITERALS] + ["a", "é", "😀", " ", "5", "漢", "Z", "$$"]
    texts = [""] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(800)]
    k_number, rows, chars, literals = salary._scan_money_tokens(pl.Series(texts, dtype=pl.String))
    got: list[list[tuple[int, int]]] = [[] for _ in texts]
    for row, char, literal in zip(rows.tolist(), chars.tolist(), literals.tolist(), strict=True):
        got[row].append((char, literal))
    for index, text in enumerate(texts):
        assert sorted(got[index]) == _reference_hits(text), text
        if re.search(r"\d[\d.,]*\s?[kK]", text):  # the k-number flag is a superset of the bare-k regex
            assert k_number[index], text


def test_scan_kernel_k_number_superset_on_hostile_neighbours():
    texts = [
        "5k",
        "5 k",
        "5\u00a0k",
        "5\x1fk",
        "5.,k",
        "٣k",
        "٣ k",
        "a k",
        "ak",
        ", k",
        "k",
        "5\n\nk",
        "x5kK",
    ]
    k_number, *_ = salary._scan_money_tokens(pl.Series(texts, dtype=pl.String))
    for text, flag in zip(texts, k_number.tolist(), strict=True):
        if re.search(r"\d[\d.,]*\s?[kK]", text):
            assert flag, text
    assert not k_number[texts.index("ak")] and not k_number[texts.index(", k")]


def test_scan_handles_sliced_and_chunked_series():
    base = pl.Series(["salary $1", "x", "€ 5k salary", None, "USD 100"] * 3, dtype=pl.String)
    chunked = pl.concat([base[:4], base[4:9], base[9:]], rechunk=False)
    for series in (base, base[3:11], chunked):
        texts = series.to_list()
        assert _batch(texts, [None] * len(texts)) == _expected(texts, [None] * len(texts))


def test_number_start_rewrite_matches_the_look_behind_form():
    original = re.compile(r"(?<![\d.,])\d")
    text = "x 12 3.4 ,5 é٣ 7 $120,000 - 150.000,00 ٣,٤ 9"
    for start in range(len(text)):
        for end in range(start, len(text) + 1):
            expected = [m.span() for m in original.finditer(text, start, end)]
            assert [m.span() for m in salary._NUMBER_START.finditer(text, start, end)] == expected


@pytest.mark.parametrize(
    "regex, endings",
    [(salary._UP_TO, salary._UP_TO_ENDINGS), (salary._FROM, salary._FROM_ENDINGS)],
)
def test_up_to_and_from_prefilters_never_hide_a_match(regex: re.Pattern[str], endings: tuple[str, ...]):
    words = [
        "up to",
        "upto",
        "UP TO",
        "maximum",
        "max.",
        "Max",
        "até",
        "ATÉ",
        "hasta",
        "bis zu",
        "jusqu'à",
        "not to exceed",
        "from",
        "FROM",
        "starting at",
        "starting from",
        "starts at",
        "minimum",
        "min.",
        "at least",
        "a partir de",
        "desde",
        "ab",
        "à partir de",
        "À PARTIR DE",
        "paid",
        "xfrom",
        "ſtarting at",
        "maximum\u212a",
    ]
    tails = ["", " ", ":", " : ", ":\n", "\n", "  :  \t", "::", " x"]
    rng = random.Random(31)
    for _ in range(3000):
        text = rng.choice(["", "x ", "salary ", "é", "_"]) + rng.choice(words) + rng.choice(tails)
        text = text.upper() if rng.random() < 0.2 else text
        if regex.search(text[-45:]):
            folded = salary._fold(text)[-45:]
            assert salary._strip_colon_tail(folded).endswith(endings), text


def test_period_and_not_pay_probes_never_hide_a_match():
    from dej_platform_tests.silver_rules.test_batch_equivalence import _context_samples

    samples = _context_samples(9)
    samples += [f"{word} " for word in salary._PERIOD_BEFORE_MAP] + ["PER ANNUM ", "WEE\u212aLY ", "ANNUAL "]
    for sample in samples:
        tail = sample[-60:]
        folded = salary._fold(sample)[-60:]
        if salary._PERIOD_BEFORE.search(tail):
            assert any(probe in folded for probe in salary._PERIOD_BEFORE_PROBES), sample
        if salary._not_pay_before(tail):
            assert any(probe in folded for probe in salary._NOT_PAY_PROBES), sample


def test_fold_matches_the_translate_form():
    for text in ["ABC", "İstanbul", "ıI", "ſalary", "\u212aelvin", "ÉCOLE", "mixed İ and ſ", "😀X"]:
        assert salary._fold(text) == text.translate(salary._IGNORECASE_FOLD).lower()
        assert len(salary._fold(text)) == len(text)


def test_not_pay_superset_matches_wherever_the_python_rule_does():
    from dej_platform_tests.silver_rules.test_batch_equivalence import _context_samples

    samples = [
        *_context_samples(10),
        "tuition reimbursement up to ",
        "401 (K) match of\n",
        "401\x1c(k) ",
        "BONUS:\x1f",
        "Series B funding of over ",
        "ſigning bonus of ",
        "Coſt of ",
        "\u212a",
        "our fundamentals, upwards of ",
        "learning budget of $",
        "budget é ",
        "budget\u00a0of\u2003",
        "revenue\n",
        "revenue\n\n",
    ]
    tails = [sample[-60:] for sample in samples]
    superset = (
        pl.Series([salary._fold(tail) for tail in tails]).str.contains(salary._NOT_PAY_SUPERSET).to_list()
    )
    python = [salary._not_pay_before(tail) for tail in tails]
    assert all(s for s, p in zip(superset, python, strict=True) if p)
    assert sum(python) > 100
    assert sum(superset) < 1.5 * sum(python)  # tight enough to pay off


def test_context_patterns_bracket_the_python_rule():
    from dej_platform_tests.silver_rules.test_batch_equivalence import _context_samples

    samples = [
        *_context_samples(11),
        "épay",
        "payé",
        "é pay é",
        "²pay",
        "pay²",
        "\u0301pay",
        "_pay",
        "pay_",
        "İpay",
        "ıpay",
        "ſalary",
        "Vergütung",
        "RÉMUNÉRATION",
        "budget for this role",
        "earnings",
        "xearn",
        "\u212aote",
    ]
    folded = pl.Series([salary._fold(sample) for sample in samples])
    strict = folded.str.contains(salary._CONTEXT_STRICT).to_list()
    loose = folded.str.contains(salary._CONTEXT_LOOSE).to_list()
    python = [salary._has_salary_context(sample) for sample in samples]
    for sample, low, exact, high in zip(samples, strict, python, loose, strict=True):
        assert low <= exact <= high, sample
    assert sum(low == high for low, high in zip(strict, loose, strict=True)) > 0.9 * len(samples)


# ------------------------------------------------------------------ odd base_salary objects
class _Labels(dict):
    """A dict subclass: its items must be read as a plain dict's, not through a fixed-field fast path."""


def _base_objects() -> list[object]:
    from collections import defaultdict
    from decimal import Decimal

    import numpy as np

    fields = ("min_amount", "max_amount", "currency", "payment_period")

    def base(low: object, high: object, currency: object = "$", period: object = "yr") -> dict:
        return dict(zip(fields, (low, high, currency, period), strict=True))

    grown = defaultdict(lambda: 1.0, {"min_amount": 90_000.0, "max_amount": None, "currency": "$", "x": 1})
    return [
        None,
        "not a dict",
        base(None, None),
        base(90_000, 120_000),
        base(90_000.0, 120_000.0),
        base(True, 120_000),
        base(1, 120_000),
        base(1.0, 120_000),
        base(False, None),
        base(0, None),
        base(-0.0, 5.0),
        base(0.0, 5.0),
        base(float("nan"), 100_000.0),
        base(float("inf"), None),
        base(Decimal(90_000), 120_000),
        base(np.float64(90_000.0), 120_000),
        base("90,000", "120.000,50"),
        base("$90000", "none"),
        base(90_000, 120_000, "USD", "YEARLY"),
        base(90_000, 120_000, "usd", "yearly"),
        base(45, 60, "€", "hr"),
        base(45, 60, ["$"], "hr"),
        base([45], 60, "$", "hr"),
        base(45, 60, "$", {"p": "hr"}),
        {"min_amount": 90_000, "max_amount": 120_000},
        {"min_amount": 90_000, "max_amount": 120_000, "currency": "$", "payment_period": "yr", "extra": 1},
        {"min_amount": 90_000, 1: "x", "currency": "$", "payment_period": "yr"},
        {"min_amount": 90_000, "max_amount": 1, "currency": "$", "period": "yr"},
        _Labels(base(90_000, 120_000)),
        _Labels(base(True, 120_000)),
        grown,
        {},
    ]


def test_base_salary_objects_with_odd_values_match_per_record_across_batches():
    objects = _base_objects()
    rng = random.Random(29)
    pay = [None, "", " ", "$50 - $60 per hour", "€4.000 / mês"]
    for _ in range(4):  # later batches meet the objects (and equal-but-different ones) in the cache
        bases = [rng.choice(objects) for _ in range(300)]
        ranges = [rng.choice(pay) for _ in bases]
        texts = [rng.choice([None, "Salary: $100,000 - $120,000 per year", "no pay here"]) for _ in bases]
        countries = [rng.choice([None, "US", "CA"]) for _ in bases]
        frame = parse_salary_batch(
            pl.Series(bases, dtype=pl.Object),
            pl.Series(ranges, dtype=pl.String),
            pl.Series(texts, dtype=pl.String),
            pl.Series(countries, dtype=pl.String),
        )
        got = list(frame.iter_rows(named=True))
        for row, (base, pay_range, text, country) in enumerate(
            zip(bases, ranges, texts, countries, strict=True)
        ):
            want = salary.parse_salary(base, pay_range, text, country)  # type: ignore[arg-type]
            expected = {name: getattr(want, name) for name in SALARY_COLUMNS}
            assert _same_row(got[row], expected), (base, pay_range, text, country)


def _same_row(got: dict, want: dict) -> bool:
    def same(a: object, b: object) -> bool:
        return a == b or (isinstance(a, float) and isinstance(b, float) and a != a and b != b)

    return got.keys() == want.keys() and all(same(got[name], want[name]) for name in got)
