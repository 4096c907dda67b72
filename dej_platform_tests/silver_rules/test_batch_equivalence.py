"""Batch (column) rules must give exactly what the per-record rules give, row for row, on every input."""

from __future__ import annotations

import random

import polars as pl
import pytest

from dej_platform.bronze.emulator.generator import iter_records
from dej_platform.silver.html_text import html_to_text, html_to_text_batch
from dej_platform.silver.location import parse_location, parse_location_batch
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
