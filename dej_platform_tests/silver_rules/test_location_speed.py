"""The pre-filters of `work_model_from_text_batch` never drop a row the full test would keep."""

from __future__ import annotations

import polars as pl
import pytest

from dej_platform.silver import location
from dej_platform.silver.location import work_model_from_text, work_model_from_text_batch

_DAYS_FULL = "(?i)" + location._fill(location._DAYS_IN_OFFICE, location._STRICT)

# Texts the full days-in-office rule matches, in every shape its optional parts allow.
DAYS_CASES = [
    "3 days in office",
    "1 day at the office",
    "2-3 days per week in the office",
    "2 - 4 DAYS A WEEK FROM OUR OFFICE",
    "4\tdays\neach\x1cweek in\x1fthe office",
    "3 dayſ in offiCE",
    "• 2 days in office",
    "3days in the office",
    "1 day a week at our office",
    "4 days each week from office",
]

PROBE_CASES = [
    "on-site",
    "ONSITE",
    "on site",
    "onſite",
    "on-ſite",
    "Site manager",
    "website office",
    "work From Home",
    "Remote",
    "hybrid",
    "KELVIN ſite",
    "offİce",
    "ofﬁce",
    "nothing here",
    "",
]


def _days_misses(tail: str) -> list[str]:
    frame = pl.DataFrame({"text": [" " + case for case in DAYS_CASES]})
    found = frame.select(
        pl.col("text").str.contains(_DAYS_FULL).alias("full"), pl.col("text").str.contains(tail).alias("tail")
    )
    return [
        case
        for case, full, hit in zip(DAYS_CASES, found["full"], found["tail"], strict=True)
        if full and not hit
    ]


def test_days_cases_all_match_the_full_rule() -> None:
    assert pl.Series([" " + case for case in DAYS_CASES]).str.contains(_DAYS_FULL).all()


def test_days_tail_is_implied_by_the_full_rule() -> None:
    assert _days_misses(location._DAYS_TAIL) == []


@pytest.mark.parametrize(
    "broken",
    [
        location._DAYS_TAIL.replace("days?", "days"),
        location._DAYS_TAIL.replace("(?:in|at|from)", "(?:in|at)"),
        location._DAYS_TAIL.replace("(?i)", ""),
    ],
)
def test_a_broken_days_tail_is_caught(broken: str) -> None:
    assert _days_misses(broken) != []


def test_probe_from_literals_is_the_probe() -> None:
    frame = pl.DataFrame({"text": PROBE_CASES}).with_columns(
        pl.col("text").str.contains(pattern).alias(name) for name, pattern in location._HAS.items()
    )
    split = frame.select(
        pl.any_horizontal(*location._PROBE_LITERALS)
        | pl.col("site") & pl.col("text").str.contains(location._PROBE)
    ).to_series()
    python = [any(probe in case.lower() for probe in location._TEXT_PROBES) for case in PROBE_CASES]
    assert split.to_list() == python
    assert frame["text"].str.contains(location._PROBE).to_list() == python


def test_batch_matches_python_on_hostile_texts() -> None:
    words = ["hybrid", "on-site", "onsite", "remote", "office", "from home", "this is an on-site"]
    texts = list(DAYS_CASES + PROBE_CASES)
    for word in words:
        for left in ["", " ", "•", "é", "’", "ſ", "\u212a", "ı", "İ", "_"]:
            for right in ["", " ", "•", "é", "’", "ſ", "\u212a", "-it", " it’s", " cloud", " interview"]:
                texts.append(f"We are {left}{word}{right} now, 2 days in office.")
                texts.append(f"{left}{word}{right}")
    got = work_model_from_text_batch(pl.Series(texts, dtype=pl.String)).to_list()
    assert got == [work_model_from_text(text) for text in texts]
