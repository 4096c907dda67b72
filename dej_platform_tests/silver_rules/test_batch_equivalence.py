"""Batch (column) rules must give exactly what the per-record rules give, row for row, on every input."""

from __future__ import annotations

import random

import polars as pl
import pytest

from dej_platform.bronze.emulator.generator import iter_records
from dej_platform.silver.html_text import clean_text, clean_text_batch, html_to_text, html_to_text_batch
from dej_platform.silver.location import (
    parse_location,
    parse_location_batch,
    work_model_from_text,
    work_model_from_text_batch,
)
from dej_platform.silver.records import _salary
from dej_platform.silver.salary import SALARY_COLUMNS, parse_salary, parse_salary_batch
from dej_platform.silver.vocabularies import (
    normalize_employment_type,
    normalize_employment_type_batch,
    normalize_seniority,
    normalize_seniority_batch,
)
from dej_platform_tests.silver_rules import test_html_text, test_location, test_salary

FRAGMENTS = [
    "<p>",
    "</p>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<div>",
    "</div>",
    "<br>",
    "</br>",
    "<strong>",
    "</strong>",
    "<h2>",
    "</h2>",
    "<b>",
    "</em>",
    " ",
    "  ",
    "\n",
    "&amp;",
    "&#x2019;",
    "&#150;",
    "&notit;",
    "&nbsp;",
    "&#0;",
    "&#x200b;",
    "<!-- c -->",
    "<!---->",
    "<!-->",
    "<script>x</script>",
    "<table><tr><td>c",
    "<pre>\n x</pre>",
    "<button>Show more</button>",
    "Show more",
    "Show less",
    "<img src=x>",
    "<",
    "a < b",
    "<a href='x>y'>",
    "</ul>",
    "<hr>",
    "</hr>",
    "\u00a0",
    "\u2003",
    "\x1f",
    "\ue000",
    "<span> </span>",
    "<P CLASS=x>",
    "<li><p>x</p></li>",
    "<p>a<li>b",
    "<h1><h2>x</h2></h1>y",
    "<icon>z</icon>",
    "- ",
]


def _emulated(n: int, seed: int) -> list[dict]:
    return list(iter_records(n, seed, quirk_rate=0.3))


def _mutations(htmls: list[str], rng: random.Random, count: int) -> list[str]:
    """Real-shaped HTML with random fragments spliced in and random cuts: broken nesting, stray tags, etc."""
    out = []
    for _ in range(count):
        html = rng.choice(htmls)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(html) + 1)
            if rng.random() < 0.7:
                html = html[:at] + rng.choice(FRAGMENTS) + html[at:]
            else:
                html = html[:at] + html[at + rng.randint(1, 40) :]
        out.append(html)
    return out


def _html_cases() -> list[str | None]:
    marks = [m for m in test_html_text.test_html_cases.pytestmark if m.name == "parametrize"]
    table = [case[0] for case in marks[0].args[1]]
    return [*table, test_html_text.LINKEDIN_SHAPE, None, "", "   ", "\n\t", *FRAGMENTS]


def test_html_batch_matches_per_record_on_table_fragments_and_emulated_postings():
    rng = random.Random(5)
    htmls = [r.get("job_description_formatted") or r.get("job_description_html") for r in _emulated(300, 11)]
    htmls = [h for h in htmls if h]
    corpus = [*_html_cases(), *htmls, *_mutations(htmls, rng, 600)]
    corpus += ["".join(rng.choice(FRAGMENTS) + "word" for _ in range(rng.randint(1, 30))) for _ in range(400)]
    batch = html_to_text_batch(pl.Series("html", corpus, dtype=pl.String))
    assert batch.name == "html"
    assert len(batch) == len(corpus)
    mismatches = [
        (html, expected, got)
        for html, expected, got in zip(corpus, map(html_to_text, corpus), batch.to_list(), strict=True)
        if expected != got
    ]
    assert mismatches == []


def test_html_batch_handles_all_null_and_empty_columns():
    assert html_to_text_batch(pl.Series([None, None], dtype=pl.String)).to_list() == [None, None]
    assert html_to_text_batch(pl.Series([], dtype=pl.String)).to_list() == []


def test_html_batch_decodes_entities_and_drops_buttons():
    out = html_to_text_batch(pl.Series([test_html_text.LINKEDIN_SHAPE]))[0]
    assert "Show" not in out and "&" not in out.replace("& friends", "")
    assert "\u2019" in out and "- dbt" in out


def test_salary_batch_matches_per_record_on_table_and_emulated_postings():
    text_cases = [case[0] for case in test_salary.TEXT_CASES]
    records = _emulated(400, 12)
    texts = [html_to_text(r.get("job_description_formatted")) for r in records]
    bases = [_salary(r.get("base_salary")) for r in records]
    ranges = [r.get("job_base_pay_range") for r in records]
    countries = [None, "CA", "IN", "NO", "CN", "US"]
    base_cases = [
        {"min_amount": 1, "max_amount": 2, "currency": "$", "payment_period": "yr"},
        {"min_amount": "90000.0", "max_amount": "120000", "currency": "eur", "payment_period": "YEARLY"},
        {"min_amount": None, "max_amount": None, "currency": None, "payment_period": None},
        {"min_amount": [1], "max_amount": "x", "currency": {}, "payment_period": 3},
        {"min_amount": -5, "max_amount": float("nan"), "currency": "XYZ", "payment_period": "hr"},
    ]
    rows = [(b, r, t, None) for b, r, t in zip(bases, ranges, texts, strict=True)]
    rows += [(None, None, text, countries[i % len(countries)]) for i, text in enumerate(text_cases)]
    rows += [(None, text, "Salary $100k", countries[i % len(countries)]) for i, text in enumerate(text_cases)]
    rows += [(base, "$50-60/hr", "x", None) for base in base_cases]
    frame = parse_salary_batch(
        pl.Series([r[0] for r in rows], dtype=pl.Object),
        pl.Series([r[1] for r in rows], dtype=pl.String),
        pl.Series([r[2] for r in rows], dtype=pl.String),
        pl.Series([r[3] for r in rows], dtype=pl.String),
    )
    assert frame.columns == list(SALARY_COLUMNS)
    for index, (base, pay, text, country) in enumerate(rows):
        expected = parse_salary(base, pay, text, country)
        got = frame.row(index, named=True)
        assert got == {name: getattr(expected, name) for name in SALARY_COLUMNS}, (index, rows[index])


def test_salary_batch_rejects_columns_of_different_length():
    with pytest.raises(ValueError, match="length"):
        parse_salary_batch([None], [None, None], pl.Series(["a"]), None)


def test_location_batch_matches_per_record_on_table_titles_and_texts():
    records = _emulated(300, 13)
    rows = [
        (
            r.get("job_location"),
            r.get("country_code"),
            r.get("job_title"),
            html_to_text(r.get("job_description_formatted")),
        )
        for r in records
    ]
    rows += [(loc, cc, None, None) for loc, cc, *_ in test_location.LOCATION_CASES]
    titles = ["Remote Data Engineer", "Hybrid Cloud Engineer", "Data Engineer (On-site)", None]
    texts = ["We are fully remote.", "Hybrid: 3 days in the office", "This is not a remote role", None, "x"]
    rows += [("Berlin, Germany", None, t, x) for t in titles for x in texts]
    frame = parse_location_batch(*(pl.Series([r[i] for r in rows], dtype=pl.String) for i in range(4)))
    assert frame.columns == ["city", "region", "country", "work_model"]
    for index, row in enumerate(rows):
        expected = parse_location(*row)
        assert frame.row(index) == (expected.city, expected.region, expected.country, expected.work_model)


def test_vocabulary_batches_match_per_record():
    labels = ["Mid-Senior level", "Entry level", None, "", "nan", "Full-time", "Something", "INTERNSHIP"]
    series = pl.Series("label", labels, dtype=pl.String)
    assert normalize_seniority_batch(series).to_list() == [normalize_seniority(v) for v in labels]
    assert normalize_employment_type_batch(series).to_list() == [normalize_employment_type(v) for v in labels]


WORK_MODEL_TEXTS = [
    "We are a hybrid cloud company. Hybrid: 3 days in the office.",
    "hybrid hybrid cloud",
    "hybrid-cloud and hybrid it",
    "hybrid it’s fine",
    "Hybrid, it depends",
    "éhybrid role",
    "hybridé role",
    "HYBRİD work",
    "fully remote (US)",
    "Remote (u.s. only)",
    "This is not a remote role, remote work is not available",
    "remote-first culture",
    "“remote-first” culture",
    "on-site interview then remote",
    "on site  meeting",
    "onsite\x1fwork",
    "5 days a week in the office",
    "2-3 days per week in our office",
    "x3 days in office",
    "location: remote",
    "can be done remotely.",
    "ſite visits on-ſite",
    "offıce based",
    "office-based_team",
    "work from home",
    "From Home",
    "the role is remote",
    "100 % remote",
    "100% remote",
    "non-remote",
    None,
    "",
]


@pytest.mark.slow
def test_work_model_text_batch_matches_per_record_on_hostile_and_emulated_texts():
    rng = random.Random(3)
    texts = [html_to_text(r.get("job_description_formatted")) for r in _emulated(2000, 21)]
    spliced = []
    for _ in range(500):
        base = rng.choice([t for t in texts if t] or ["x"])
        at = rng.randrange(len(base) + 1)
        spliced.append(base[:at] + rng.choice([t for t in WORK_MODEL_TEXTS if t]) + base[at:])
    corpus = [*WORK_MODEL_TEXTS, *texts, *spliced, *(t.upper() for t in WORK_MODEL_TEXTS if t)]
    got = work_model_from_text_batch(pl.Series(corpus, dtype=pl.String)).to_list()
    assert got == [work_model_from_text(t) for t in corpus]
    assert {"hybrid", "remote", "onsite", "unknown"} <= set(got)


@pytest.mark.slow
def test_salary_batch_matches_whole_text_parse_on_long_descriptions():
    """2,000 emulator descriptions, the salary table, and 2,000 long descriptions (window path) with benefits
    money far from the pay line, long runs and tokens glued to letters."""
    rng = random.Random(4)
    filler = [html_to_text(r.get("job_description_formatted")) or "" for r in _emulated(300, 22)]
    snippets = [case[0] for case in test_salary.TEXT_CASES] + [
        "learning budget of $2,000",
        "401(k) match up to 6%",
        "USDX 100k",
        "xUSD 90,000",
        "Salary 100k-120k",
        "1 000 000 000 000 000 000 000 000 000 000 000 000 000 €",
        "$" + " " * 40 + "120,000 per year",
    ]
    emulated = [html_to_text(r.get("job_description_formatted")) for r in _emulated(2000, 25)]
    rows = [(text, [None, "CA", "IN", "US"][index % 4]) for index, text in enumerate(emulated)]
    rows += [(case[0], None) for case in test_salary.TEXT_CASES]
    for index in range(2000):
        parts = [rng.choice(filler) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(parts) + 1)
            parts.insert(at, rng.choice(snippets))
        rows.append((" ".join(parts), [None, "CA", "IN", "US"][index % 4]))
    frame = parse_salary_batch(
        [None] * len(rows),
        [None] * len(rows),
        pl.Series([r[0] for r in rows], dtype=pl.String),
        pl.Series([r[1] for r in rows], dtype=pl.String),
    )
    assert sum(len(r[0]) >= 1500 for r in rows) > 1000
    found = 0
    for index, (text, country) in enumerate(rows):
        expected = parse_salary(None, None, text, country)
        found += expected.min is not None or expected.max is not None
        assert frame.row(index, named=True) == {n: getattr(expected, n) for n in SALARY_COLUMNS}, index
    assert found > 100


def test_clean_text_batch_matches_per_record():
    rng = random.Random(6)
    summaries = [r.get("job_summary") for r in _emulated(500, 23)]
    pieces = ["&amp;", " Show more", "Show less ", "\u200b", "\xa0", "\x1f", "\n\n", "  ", "é", "\t", "More"]
    mutated = []
    for text in summaries[:300]:
        text = text or ""
        at = rng.randrange(len(text) + 1)
        mutated.append(text[:at] + rng.choice(pieces) + text[at:] + rng.choice(["", *pieces]))
    corpus = [*summaries, *mutated, None, "", "   ", "Show more Show less", "a\x0bb"]
    got = clean_text_batch(pl.Series("summary", corpus, dtype=pl.String))
    assert got.name == "summary"
    assert got.to_list() == [clean_text(t) for t in corpus]


def _context_samples(seed: int) -> list[str]:
    """Short look-back strings: slices of real descriptions, pay/benefit phrases, case and Unicode look-alikes."""
    rng = random.Random(seed)
    texts = [html_to_text(r.get("job_description_formatted")) or "" for r in _emulated(200, 24)]
    words = (  # noqa: SIM905
        "401(k) 401 k) tuition reimbursement sign-on signing bonus AUM aum marr ARR coffee cost fee fund funding "
        "series a series f market cap home office per employee budget learning salary pay paid payé xpay pay_ "
        "wage earning learn database base CTC OTE note range budget for this role Vergütung RÉMUNÉRATION "
        "ſalary SALARİO offıce ²pay \u0301pay"
    ).split()
    fillers = [
        "of",
        "up to",
        "upto",
        "is",
        "at",
        "a",
        "an",
        "over",
        "approximately",
        "upwards of",
        "more than",
    ]
    fillers += ["per year", ":", "-", ",", ")"]
    samples = [t[max(0, i - 100) : i] for t in texts if t for i in rng.sample(range(len(t)), min(10, len(t)))]
    for _ in range(3000):
        parts = [rng.choice(words)] + [rng.choice(fillers) for _ in range(rng.randint(0, 4))]
        text = "".join(part + rng.choice([" ", "  ", ":", ", ", "-", "", " \n"]) for part in parts)
        text = rng.choice(["", "x", "_", "é", " ", rng.choice(texts)[:40]]) + text
        samples.append(text.upper() if rng.random() < 0.3 else text)
    return samples


def test_fast_salary_context_and_not_pay_checks_agree_with_their_regexes():
    from dej_platform.silver import salary

    samples = _context_samples(8)
    context = [salary._SALARY_CONTEXT.search(s) is not None for s in samples]
    assert [salary._has_salary_context(s) for s in samples] == context
    assert 100 < sum(context) < len(samples)
    tails = [s[-60:] for s in samples]
    not_pay = [salary._NOT_PAY_BEFORE.search(s) is not None for s in tails]
    assert [salary._not_pay_before(s) for s in tails] == not_pay
    assert 100 < sum(not_pay) < len(tails)
