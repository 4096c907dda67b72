"""`work_model_from_text_batch` on every shape of the days-in-office rule and of the probe words, in hostile company."""

from __future__ import annotations

import polars as pl

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


def test_days_cases_all_match_the_full_rule() -> None:
    assert pl.Series([" " + case for case in DAYS_CASES]).str.contains(_DAYS_FULL).all()


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
