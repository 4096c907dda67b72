"""Salary normalization: one structured value per posting with its source, ISO currency, period and USD annual.

Priority: Bright Data's ``base_salary`` object, then the ``job_base_pay_range`` string, then the description text.
Values that fail a plausibility check are rejected to null with a ``flag``; they are never repaired by guessing.
Flags (the only values ``flag`` takes):

- ``invalid_amount``: an amount is zero, negative, not a number or not finite (numbers nulled).
- ``min_gt_max``: the minimum is above the maximum (numbers nulled; we do not swap).
- ``implausible_range``: max/min ratio above ``MAX_RANGE_RATIO`` (numbers nulled).
- ``implausible_amount``: outside the per-period USD bounds in ``PLAUSIBLE_USD`` (numbers nulled).
- ``unknown_currency``: no currency we can map to ISO 4217 (amounts kept, USD null).
- ``unknown_period``: no period and none inferable (amounts kept, annual and USD null).
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numba
import numpy as np

from dej_platform.silver import fx

ANNUALIZATION = {"hour": 2080.0, "day": 260.0, "week": 52.0, "month": 12.0, "year": 1.0}

# Plausible amount per period, in USD (inclusive). Wide on purpose: they catch parsing errors (a phone number,
# "401k", a funding round) and joke postings, not low or high pay. Hourly starts at 1 USD so that Indian or
# Latin American hourly rates survive; yearly starts at 1,000 USD for the same reason (interns, stipends).
PLAUSIBLE_USD: dict[str, tuple[float, float]] = {
    "hour": (1.0, 1_000.0),
    "day": (8.0, 8_000.0),
    "week": (40.0, 40_000.0),
    "month": (100.0, 170_000.0),
    "year": (1_000.0, 2_000_000.0),
}
MAX_RANGE_RATIO = 10.0
# A text amount without a period word is taken as yearly at or above this many USD, hourly at or below the next.
INFER_YEAR_MIN_USD = 8_000.0
INFER_HOUR_MAX_USD = 200.0

FLAG_INVALID_AMOUNT = "invalid_amount"
FLAG_MIN_GT_MAX = "min_gt_max"
FLAG_IMPLAUSIBLE_RANGE = "implausible_range"
FLAG_IMPLAUSIBLE_AMOUNT = "implausible_amount"
FLAG_UNKNOWN_CURRENCY = "unknown_currency"
FLAG_UNKNOWN_PERIOD = "unknown_period"

MAX_TEXT_SCAN_CHARS = 200_000  # a salary beyond the first 200k characters of a description is not looked for


@dataclass(frozen=True, slots=True)
class SalaryResult:
    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: str | None = None
    source: str | None = None
    text: str | None = None
    annual_min: float | None = None
    annual_max: float | None = None
    annual_min_usd: float | None = None
    annual_max_usd: float | None = None
    fx_version: str | None = None
    flag: str | None = None

    def with_source(self, source: str) -> SalaryResult:
        return SalaryResult(
            self.min,
            self.max,
            self.currency,
            self.period,
            source,
            self.text,
            self.annual_min,
            self.annual_max,
            self.annual_min_usd,
            self.annual_max_usd,
            self.fx_version,
            self.flag,
        )


NO_SALARY = SalaryResult()

# ---------------------------------------------------------------------------------------------- currencies
# Symbols and prefixed dollars; "$" alone is USD unless the caller's country says otherwise (text only).
_SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "USD$": "USD",
    "R$": "BRL",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "MX$": "MXN",
    "NT$": "TWD",
    "CN¥": "CNY",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "¥": "JPY",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₱": "PHP",
    "₫": "VND",
    "฿": "THB",
    "₦": "NGN",
    "₴": "UAH",
    "zł": "PLN",
    "Kč": "CZK",
}
# Alphabetic tokens (need word boundaries). Upper-case ISO codes are matched case-sensitively.
_WORDS: dict[str, str] = {
    "Rs": "INR",
    "Rs.": "INR",
    "RM": "MYR",
    "RMB": "CNY",
    "Fr.": "CHF",
    "kr": "SEK",
    "kr.": "DKK",
    "Ft": "HUF",
    "lei": "RON",
    "euros": "EUR",
    "euro": "EUR",
    "Euro": "EUR",
    "EURO": "EUR",
    "dollars": "USD",
    "pounds": "GBP",
    "rupees": "INR",
    "reais": "BRL",
}
_DOLLAR_BY_COUNTRY = {
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "SG": "SGD",
    "HK": "HKD",
    "MX": "MXN",
    "TW": "TWD",
    "AR": "ARS",
    "CL": "CLP",
    "CO": "COP",
    "UY": "UYU",
}
_YEN_BY_COUNTRY = {"CN": "CNY"}
_AMBIGUOUS_SYMBOLS = frozenset({"$", "¥", "kr"})
_KRONA_BY_COUNTRY = {"NO": "NOK", "DK": "DKK", "IS": "ISK", "SE": "SEK"}


def _currency_codes() -> list[str]:
    return sorted(fx.known_currencies())


def _alternation(tokens: list[str]) -> str:
    return "|".join(re.escape(token) for token in sorted(tokens, key=len, reverse=True))


def _grouped(alternatives: list[str]) -> str:
    """The alternation of ``alternatives`` (in this order) with those sharing a first character grouped:
    "h(?:ourly|ours|our|r|)". Alternatives with different first characters never match at the same place
    (the first characters must differ under case folding too, checked here), so the engine picks the same
    alternative as from the flat list; it just rejects a first character once instead of once per alternative.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0], []).append(alternative[1:])
    if len({first.lower() for first in groups}) != len(groups) or any(
        not first.isascii() for first in groups
    ):
        raise AssertionError("_grouped: first characters must be distinct ASCII under case folding")
    return "|".join(
        re.escape(first) + ("(?:" + "|".join(map(re.escape, rests)) + ")" if rests != [""] else "")
        for first, rests in groups.items()
    )


_CODES = _currency_codes()
_CUR_SYMBOL = _alternation(list(_SYMBOLS))
_CUR_WORD = r"(?<![A-Za-z])(?:" + _alternation(_CODES + list(_WORDS)) + r")(?![A-Za-z])"
_CUR = rf"(?:{_CUR_SYMBOL}|{_CUR_WORD})"

# Numbers: Indian grouping (12,00,000), grouped thousands (120,000 / 60.000 / 60 000, optional 2 decimals),
# plain digits with optional decimals. Each alternative is anchored by (?!\d) so no run is split silently.
_NUM = (
    r"(?<![\d.,])(?:\d{1,2},\d{2}(?:,\d{2})*,\d{3}(?:\.\d{1,2})?(?![\d,])"
    r"|\d{1,3}(?:[,.\u00a0\u202f '’]\d{3})+(?:[.,]\d{1,2})?(?![\d])"
    r"|\d{1,9}(?:[.,]\d{1,2})?(?![\d]))"
)
_MULT = r"(?:\s?(?:[kK](?![A-Za-z])|MM|Mio\.?|mn|[Mm]illion|M(?![A-Za-z])|LPA|lakhs?|lacs?|crores?|Cr(?![A-Za-z])))"
_SEP_WORDS = (
    "-",
    "–",
    "—",
    "‒",
    "−",
    "~",
    "to",
    "and",
    "a",
    "à",
    "até",
    "bis",
    "au",
    "hasta",
    "al",
    "tot",
    "through",
)
_SEP = r"(?:\s*(?:" + "|".join(_SEP_WORDS) + r")\s*)"
_MONEY = re.compile(
    rf"(?P<c1>{_CUR})?\s?(?P<n1>{_NUM})(?P<k1>{_MULT})?(?:\s?(?P<s1>{_CUR}))?"
    rf"(?:{_SEP}(?P<c2>{_CUR})?\s?(?P<n2>{_NUM})(?P<k2>{_MULT})?)?"
    rf"(?:\s?(?P<s2>{_CUR}))?"
)
# The second half of a range whose first amount carries its own period: "$45/hr - $70/hr".
_RANGE_TAIL = re.compile(rf"{_SEP}(?P<c2>{_CUR})?\s?(?P<n2>{_NUM})(?P<k2>{_MULT})?(?:\s?(?P<s2>{_CUR}))?")

# -------------------------------------------------------------------------------------------------- periods
_PERIOD_WORDS: dict[str, str] = {}
for _period, _words in {
    "hour": "hour hours hourly hr hrs h ph p.h. stunde heure hora horas",
    "day": "day days daily diem jour tag día dia dias",
    "week": "week weeks weekly wk semaine woche semana",
    "month": "month months monthly mo mth mos pm p.m. mês mes mois monat monatlich mensal mensais mensuales "
    "mensual mensuel miesięcznie",
    "year": "year years yearly yr yrs annum annual annually pa p.a. y an jahr jährlich año ano anual annuel "
    "rocznie lpa",
}.items():
    for _word in _words.split():
        _PERIOD_WORDS[_word] = _period
_PERIOD_ALT = _alternation(list(_PERIOD_WORDS))
_PERIOD_FILLERS = [
    *("gross", "brut", "bruts", "brutos", "brutto", "bruto", "base", "salary", "per", "an", "a", "each"),
    *("every", "/", "por", "al", "par", "pro", "im", "ao", "le", "la", "el", "(", "-"),
]
# _PERIOD_AFTER is `[ \t]*(?:(?:FILLERS)[ \t]*){0,3}(?P<period>_PERIOD_ALT)(?![A-Za-zÀ-ÿ])`, case-insensitive,
# with both alternations `_grouped` (the same matches, twice as fast).
_PERIOD_AFTER = re.compile(
    rf"[ \t]*(?:(?:{_grouped(_PERIOD_FILLERS)})[ \t]*){{0,3}}"
    rf"(?P<period>{_grouped(sorted(_PERIOD_WORDS, key=len, reverse=True))})(?![A-Za-zÀ-ÿ])",
    re.IGNORECASE,
)
# It can only match where, after spaces and tabs, a filler or a period word can start: a cheap first test.
_PERIOD_AFTER_START = re.compile(
    r"[ \t]*[" + re.escape("".join(sorted({word[0] for word in (*_PERIOD_FILLERS, *_PERIOD_WORDS)}))) + "]",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?P<period>hourly|per hour|hour rate|day rate|daily rate|daily|weekly|monthly|per month|annual|annually|"
    r"yearly|per year|per annum|salário mensal|mensal)\b",
    re.IGNORECASE,
)
_PERIOD_BEFORE_MAP = {
    "hourly": "hour",
    "per hour": "hour",
    "hour rate": "hour",
    "day rate": "day",
    "daily rate": "day",
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "per month": "month",
    "salário mensal": "month",
    "mensal": "month",
    "annual": "year",
    "annually": "year",
    "yearly": "year",
    "per year": "year",
    "per annum": "year",
}
_MULTIPLIERS = {
    "k": 1e3,
    "mm": 1e6,
    "mio": 1e6,
    "mio.": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "m": 1e6,
    "lpa": 1e5,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "l": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
}
_INDIAN_UNITS = frozenset({"lpa", "lakh", "lakhs", "lac", "lacs", "l", "crore", "crores", "cr"})

# ----------------------------------------------------------------------------------------- text context
# re.IGNORECASE compares simple lower-case letters and also equates "ı"/"İ" with i, "ſ" with s and the Kelvin
# sign with k; translating those and lower-casing gives a string where plain `in` finds what the regex finds.
_IGNORECASE_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})
_SALARY_CONTEXT = re.compile(
    r"salar|\bpay\b|\bpaid\b|compensation|\bwage|\brate\b|remunera|\bbase\b|\bctc\b|package|stipend|\bearn|"
    r"\bote\b|gehalt|vergütung|salaire|rémunération|sueldo|retribuci|\brange\b|\bbudget for this role",
    re.IGNORECASE,
)
# `_has_salary_context` is `_SALARY_CONTEXT.search` without the regex engine (it is the hottest test of the text
# parser): the same words, found with str.find on the text case-folded as re.IGNORECASE compares letters, and
# the same word boundaries (Python's: a word character is alphanumeric or "_").
_CONTEXT_WORDS: tuple[str, ...] = (
    "salar",
    "compensation",
    "remunera",
    "package",
    "stipend",
    "gehalt",
    "vergütung",
    "salaire",
    "rémunération",
    "sueldo",
    "retribuci",
)
# (word, needs a boundary after it); every one needs a boundary before it.
_CONTEXT_BOUNDED: tuple[tuple[str, bool], ...] = (
    ("pay", True),
    ("paid", True),
    ("wage", False),
    ("rate", True),
    ("base", True),
    ("ctc", True),
    ("earn", False),
    ("ote", True),
    ("range", True),
    ("budget for this role", False),
)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _fold(text: str) -> str:
    """``text`` case-folded as re.IGNORECASE compares letters; the (slow) translation only when needed."""
    if text.isascii() or not ("İ" in text or "ı" in text or "ſ" in text or "\u212a" in text):
        return text.lower()
    return text.translate(_IGNORECASE_FOLD).lower()


def _has_salary_context(before: str, folded: str | None = None) -> bool:
    """`_SALARY_CONTEXT.search(before)`; ``folded`` is ``_fold(before)`` when the caller has it."""
    if folded is None or len(folded) != len(before):
        folded = _fold(before)
    if any(word in folded for word in _CONTEXT_WORDS):
        return True
    size = len(before)
    for word, bounded_after in _CONTEXT_BOUNDED:
        start = folded.find(word)
        while start >= 0:
            end = start + len(word)
            if (start == 0 or not _is_word_char(before[start - 1])) and (
                not bounded_after or end == size or not _is_word_char(before[end])
            ):
                return True
            start = folded.find(word, start + 1)
    return False


def _context_patterns() -> tuple[str, str]:
    """`_has_salary_context` as two Rust regexes for case-folded text (`_fold`), word boundaries written out:
    the strict one counts every non-ASCII neighbour as a word character, the loose one as a non-word one.
    Python's answer lies between them (no rule negates a boundary), so where they agree they give it."""
    words = "|".join(map(re.escape, _CONTEXT_WORDS))
    patterns = []
    for other in (r"\x{80}-\x{10FFFF}", ""):
        boundary = rf"[^0-9A-Za-z_{other}]"
        bounded = "|".join(
            rf"(?:^|{boundary}){re.escape(word)}" + (rf"(?:{boundary}|$)" if after else "")
            for word, after in _CONTEXT_BOUNDED
        )
        patterns.append(f"{words}|{bounded}")
    return patterns[0], patterns[1]


_CONTEXT_STRICT, _CONTEXT_LOOSE = _context_patterns()


# Money near these words is not the job's pay (benefits, company facts, perks).
# Money right after these words is not the job's pay (benefits, company facts, perks): the word may be followed
# by at most three filler words ("Tuition reimbursement up to $8,000", "annual bonus of up to $20k").
_NOT_PAY_BEFORE = re.compile(
    r"(?:401\s?\(?k\)?|tuition|reimburs|bonus|sign[- ]?on|signing|relocation|referral|allowance|revenue|"
    r"funding|raised|valuation|lifetime|contribut|match|assets|\baum|market cap|insurance|learning|wellness|"
    r"gym|home office|equipment|donat|grant|invest|\barr|turnover|worth|\bcost|price|\bfee|spend|saving|"
    r"discount|credit|per employee|budget|education|loan|\bfund|capital|series [a-e])\w*\)?[\s:,-]*"
    r"(?:(?:of|up to|upto|to|is|at|a|an|over|about|around|approximately|worth|totaling|totalling|"
    r"upwards of|more than|in|by|with|per year|annually|each year|yearly)[\s:,-]+){0,3}$",
    re.IGNORECASE,
)


# _NOT_PAY_BEFORE must end at the end of the string, so `search` tries every start; the same pattern written
# backwards and matched once at the start of the reversed string answers the same question (a regular
# language reversed; ``\b`` is symmetric) in a few microseconds.
def _reversed_alternation(words: str, separator: str = "|") -> str:
    return "|".join(re.escape(word[::-1]) for word in words.split(separator))


_NOT_PAY_WORDS_REVERSED = (
    r"\)?k\(?\s?104|no[- ]?ngis|mua\b|rra\b|tsoc\b|eef\b|dnuf\b|[a-e] seires|"
    + _reversed_alternation(
        "tuition|reimburs|bonus|signing|relocation|referral|allowance|revenue|funding|raised|valuation|lifetime|"
        "contribut|match|assets|market cap|insurance|learning|wellness|gym|home office|equipment|donat|grant|"
        "invest|turnover|worth|price|spend|saving|discount|credit|per employee|budget|education|loan|capital"
    )
)
_NOT_PAY_FILLERS_REVERSED = _reversed_alternation(
    "of|up to|upto|to|is|at|a|an|over|about|around|approximately|worth|totaling|totalling|upwards of|"
    "more than|in|by|with|per year|annually|each year|yearly"
)
_NOT_PAY_BEFORE_REVERSED = re.compile(
    rf"(?:[\s:,-]+(?:{_NOT_PAY_FILLERS_REVERSED})){{0,3}}[\s:,-]*\)?\w*(?:{_NOT_PAY_WORDS_REVERSED})",
    re.IGNORECASE,
)


def _not_pay_before(before: str) -> bool:
    """`_NOT_PAY_BEFORE.search(before)` is not None, by one anchored match on the reversed text."""
    return _NOT_PAY_BEFORE_REVERSED.match(before[::-1]) is not None


def _not_pay_superset() -> str:
    r"""`_NOT_PAY_BEFORE` as a Rust regex for case-folded text (`_fold`) that matches wherever it matches, and
    rarely elsewhere: ``\b`` dropped, ``\w`` and ``\s`` widened to every non-ASCII character (and Python's
    U+001C..U+001F spaces), ``$`` also before a final newline as in Python."""
    wide_space = r"\s\x1c-\x1f\x{80}-\x{10FFFF}"
    pattern = _NOT_PAY_BEFORE.pattern
    for old, new, count in (
        (r"\b", "", 5),
        (r"\w", r"[\w\x{80}-\x{10FFFF}]", 1),
        (r"[\s:,-]", rf"[{wide_space}:,-]", 2),
        (r"\s?", rf"[{wide_space}]?", 1),
        ("$", r"\n?$", 1),
    ):
        if pattern.count(old) != count:
            raise AssertionError(f"_NOT_PAY_BEFORE changed: update _not_pay_superset ({old!r})")
        pattern = pattern.replace(old, new)
    return pattern


_NOT_PAY_SUPERSET = _not_pay_superset()


def _not_pay_ascii() -> str:
    r"""`_NOT_PAY_BEFORE` as a Rust regex for case-folded (`_fold`) ASCII text, where it answers exactly: on
    ASCII, ``\w`` and ``\b`` agree between the two engines; Python's ``\s`` also covers U+001C..U+001F and
    its ``$`` also matches before a final newline, both written out."""
    space = r"\t\n\x0b\x0c\r\x1c-\x1f "
    pattern = _NOT_PAY_BEFORE.pattern
    for old, new, count in ((r"[\s:,-]", f"[{space}:,-]", 2), (r"\s?", f"[{space}]?", 1), ("$", r"\n?$", 1)):
        if pattern.count(old) != count:
            raise AssertionError(f"_NOT_PAY_BEFORE changed: update _not_pay_ascii ({old!r})")
        pattern = pattern.replace(old, new)
    return pattern


_NOT_PAY_ASCII = _not_pay_ascii()
_NOT_PAY_AFTER = re.compile(
    r"\s*(?:in (?:revenue|funding|sales|assets|annual revenue|investment|capital|series)|arr\b|"
    r"of (?:revenue|funding|investment)|aum\b|valuation|(?:lifetime )?(?:max|maximum)\b|lifetime|reimburse|"
    r"budget|(?:annual |signing |sign-on |sign on |performance |referral |retention |joining )?bonus|"
    r"allowance|stipend for|(?:\w+ )?(?:match|matching)\b|per (?:employee|person|referral)|raised|funding)",
    re.IGNORECASE,
)
_UP_TO = re.compile(
    r"\b(?:up ?to|upto|maximum|max\.?|até|hasta|bis zu|jusqu'à|not to exceed)\s*:?\s*$", re.IGNORECASE
)
_FROM = re.compile(
    r"\b(?:from|starting (?:at|from)|starts at|minimum|min\.?|at least|a partir de|desde|ab|à partir de)\s*:?\s*$",
    re.IGNORECASE,
)
# Cheap necessary conditions for the regexes above, on the case-folded text (see `_fold`): `_UP_TO` / `_FROM`
# can only match when the text, less its trailing `\s*:?\s*`, ends with one of their words; `_PERIOD_BEFORE`
# and `_not_pay_before` only when one of these substrings occurs. The regex still decides when they pass.
_UP_TO_ENDINGS = ("to", "maximum", "max", "max.", "até", "hasta", "zu", "qu'à", "exceed")
_FROM_ENDINGS = ("from", "at", "minimum", "min", "min.", "least", "de", "ab")
_PERIOD_BEFORE_PROBES = ("hour", "day", "dai", "week", "month", "annu", "year", "mensal")
_PERIOD_BEFORE_PROBE = re.compile("|".join(map(re.escape, _PERIOD_BEFORE_PROBES)))  # any of them, one scan
_NOT_PAY_PROBES = (
    "401",
    "sign",
    "aum",
    "arr",
    "cost",
    "fee",
    "fund",
    "series",
    "tuition",
    "reimburs",
    "bonus",
    "relocation",
    "referral",
    "allowance",
    "revenue",
    "raised",
    "valuation",
    "lifetime",
    "contribut",
    "match",
    "assets",
    "market cap",
    "insurance",
    "learning",
    "wellness",
    "gym",
    "home office",
    "equipment",
    "donat",
    "grant",
    "invest",
    "turnover",
    "worth",
    "price",
    "spend",
    "saving",
    "discount",
    "credit",
    "per employee",
    "budget",
    "education",
    "loan",
    "capital",
)


def _has_not_pay_probe(folded: str) -> bool:
    """Some `_NOT_PAY_PROBES` word occurs in ``folded`` (a plain loop: cheaper than any() over a generator)."""
    for probe in _NOT_PAY_PROBES:  # noqa: SIM110
        if probe in folded:
            return True
    return False


def _word_follows(text: str, end: int) -> bool:
    r"""After its `\s*`, every `_NOT_PAY_AFTER` alternative starts with a word character (letters, or `\w+`);
    False when the first character after the spaces at ``end`` is none (True when undecided: long spaces)."""
    rest = text[end : end + 8].lstrip()
    return not rest or rest[0].isalnum() or rest[0] == "_"


def _strip_colon_tail(folded: str) -> str:
    r"""``folded`` without the trailing `\s*:?\s*` of `_UP_TO` / `_FROM`."""
    folded = folded.rstrip()
    return folded[:-1].rstrip() if folded.endswith(":") else folded


# Anchors: where a money expression can be. The full _MONEY regex is only tried at these positions, so a long
# description costs a few memchr-speed substring probes and charset scans, not a regex attempt per character.
_SYMBOL_CHARS = "$€£₹¥₩₪₺₱₫฿₦₴"
_SYMBOL_ANCHOR = re.compile("[" + re.escape(_SYMBOL_CHARS) + "]")
# Scans are led by a charset ([A-Z], a digit) without a leading look-behind, so the regex engine skips ahead in
# C; word boundaries and membership are checked in Python on the few hits. Rarer tokens use substring probes.
_UPPER3 = re.compile(r"[A-Z][A-Z][A-Z](?![A-Za-z])")
_UPPER3_TOKENS = frozenset(
    token for token in (*_CODES, *_WORDS, "LPA") if len(token) == 3 and token.isupper()
)
_OTHER_TOKENS = tuple(
    sorted(
        {token for token in _WORDS if token not in _UPPER3_TOKENS}
        | {"Kč", "zł", "lakh", "lakhs", "lac", "lacs", "crore", "crores", "Lakh", "Lakhs", "LPA"},
        key=len,
        reverse=True,
    )
)
_BARE_THOUSANDS = re.compile(r"\d[\d.,]*\s?[kK](?![A-Za-z])")
_NUMBER_START = re.compile(r"\d(?<![\d.,].)")  # a digit not after [\d.,]; led by \d so sre skips fast
_DOLLAR_PREFIX = re.compile(r"(?:USD|US|CAD|CA|AUD|AU|NZ|SG|HK|MX|NT|R|C|A|S)\Z")  # glued to the "$"
_PAY_PROBES = (
    "alar",
    "ompensation",
    "ay range",
    "ay rate",
    "CTC",
    "OTE",
    "age range",
    "emunera",
    "ehalt",
    "ueldo",
)


def _bare_thousands_allowed(text: str) -> bool:
    """Bare "120k" amounts are looked for only in short texts or texts with a pay word (decided on the whole text)."""
    return len(text) < 300 or any(probe in text for probe in _PAY_PROBES)


def _anchor_starts(text: str) -> list[int]:
    """Positions where a money expression may start: currency tokens, and numbers just before one.

    Three scans (currency symbols, currency words, digits followed by k), each led by a literal or a charset;
    the full money regex then runs only at these positions. The batch path finds the same starts in numba
    (`_scan_kernel`, then `salary_scan.starts_kernel`).
    """
    anchors: list[int] = []
    for found in _SYMBOL_ANCHOR.finditer(text):
        position = found.start()
        if position and text[position] == "$":
            prefix = _DOLLAR_PREFIX.search(text, max(0, position - 3), position)
            if prefix is not None:
                position = prefix.start()
        anchors.append(position)
    for found in _UPPER3.finditer(text):
        position = found.start()
        if found.group(0) in _UPPER3_TOKENS and not (position and text[position - 1].isalpha()):
            anchors.append(position)
    for token in _OTHER_TOKENS:
        position = text.find(token)
        while position >= 0:
            end = position + len(token)
            if not (position and text[position - 1].isalpha()) and not (
                end < len(text) and text[end].isalpha()
            ):
                anchors.append(position)
            position = text.find(token, end)
    return _starts_near(text, anchors, _bare_thousands_allowed(text))


def _starts_near(text: str, anchors: list[int], bare_thousands: bool) -> list[int]:
    """The anchors, the numbers just before them, and bare "120k" amounts (with their numbers) when allowed."""
    starts: set[int] = set()
    for position in anchors:
        starts.add(position)
        for number in _NUMBER_START.finditer(text, max(0, position - 32), position):
            starts.add(number.start())
    if bare_thousands:
        for found in _BARE_THOUSANDS.finditer(text):
            if found.start() and text[found.start() - 1] in "0123456789.,":
                continue
            starts.add(found.start())
            for number in _NUMBER_START.finditer(text, max(0, found.start() - 12), found.start()):
                starts.add(number.start())
    return sorted(starts)


def _resolve_currency(token: str | None, country: str | None) -> str | None:
    if not token:
        return None
    token = token.strip()
    if token == "$":
        return _DOLLAR_BY_COUNTRY.get(country or "", "USD")
    if token == "¥":
        return _YEN_BY_COUNTRY.get(country or "", "JPY")
    if token == "kr":
        return _KRONA_BY_COUNTRY.get(country or "", "SEK")
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    if token in _WORDS:
        return _WORDS[token]
    upper = token.upper()
    if len(upper) == 3 and upper in fx.known_currencies():
        return upper
    return None


def currency_from_label(label: Any, country: str | None = None) -> str | None:
    """ISO 4217 code for a base_salary currency label (symbol like "$", code like "usd", word like "euros")."""
    if not isinstance(label, str):
        return None
    token = label.strip()
    if not token:
        return None
    direct = _resolve_currency(token, None)
    if direct:
        return direct
    return _resolve_currency(token.upper(), None) or _resolve_currency(token.lower(), None)


_BASE_PERIODS = {
    "yr": "year",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "per year": "year",
    "y": "year",
    "hr": "hour",
    "hour": "hour",
    "hourly": "hour",
    "per hour": "hour",
    "h": "hour",
    "month": "month",
    "monthly": "month",
    "mo": "month",
    "mth": "month",
    "per month": "month",
    "week": "week",
    "weekly": "week",
    "wk": "week",
    "per week": "week",
    "day": "day",
    "daily": "day",
    "per day": "day",
}


def period_from_label(label: Any) -> str | None:
    """Our period for a payment_period label ("yr", "HOURLY", "month", ...); None when not recognized."""
    if not isinstance(label, str):
        return None
    return _BASE_PERIODS.get(label.strip().lower().rstrip("."))


def parse_amount(number: str, multiplier: str | None = None) -> float | None:
    """Parse one number in US, European, Swiss or Indian style ("120,000", "60.000", "12.000,00", "120'000",
    "12,00,000")."""
    raw = number.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("'", " ").replace("’", " ")
    if not raw:
        return None
    if " " in raw:
        raw = raw.replace(" ", "")
    has_comma = "," in raw
    has_dot = "." in raw
    if has_comma and has_dot:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif has_comma or has_dot:
        sep = "," if has_comma else "."
        parts = raw.split(sep)
        # Repeated, or followed by exactly three digits: a thousands separator; otherwise a decimal point.
        is_grouping = len(parts) > 2 or len(parts[-1]) == 3
        raw = raw.replace(sep, "" if is_grouping else ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    if multiplier:
        factor = _MULTIPLIERS.get(multiplier.strip().lower())
        if factor:
            value *= factor
    return value


# Pure and called for every money expression; the same amounts and tokens recur across postings.
_parse_amount_cached = lru_cache(maxsize=65_536)(parse_amount)
_resolve_currency_cached = lru_cache(maxsize=4_096)(_resolve_currency)


def _to_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, str):
        text = value.strip().lstrip("$€£").strip()
        if not text or text.lower() in {"none", "nan", "null"}:
            return None
        return parse_amount(text) if re.fullmatch(r"-?[\d.,\s]+", text) else float("nan")
    return float("nan")


# ------------------------------------------------------------------------------------------ validation
def _finalize(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str | None,
    source: str | None,
    text: str | None,
    infer_period: bool,
) -> SalaryResult:
    """Validate, infer a missing period from magnitude (text only), annualize and convert to USD."""

    def rejected(flag: str) -> SalaryResult:
        return SalaryResult(currency=currency, period=period, source=source, text=text, flag=flag)

    amounts = [value for value in (low, high) if value is not None]
    if not amounts:
        return NO_SALARY
    if any((not math.isfinite(value)) or value <= 0 for value in amounts):
        return rejected(FLAG_INVALID_AMOUNT)
    if low is not None and high is not None:
        if low > high:
            return rejected(FLAG_MIN_GT_MAX)
        if high / low > MAX_RANGE_RATIO:
            return rejected(FLAG_IMPLAUSIBLE_RANGE)
    table = fx._shipped_table()
    rate = table.rate(currency) if currency else None
    top = max(amounts)
    if period is None and infer_period:
        reference = top * rate if rate is not None else top
        if reference >= INFER_YEAR_MIN_USD:
            period = "year"
        elif reference <= INFER_HOUR_MAX_USD:
            period = "hour"
    if period is None:
        return SalaryResult(low, high, currency, None, source, text, flag=FLAG_UNKNOWN_PERIOD)
    if rate is not None:
        lower_bound, upper_bound = PLAUSIBLE_USD[period]
        if any(not (lower_bound <= value * rate <= upper_bound) for value in amounts):
            return rejected(FLAG_IMPLAUSIBLE_AMOUNT)
    factor = ANNUALIZATION[period]
    annual_min = low * factor if low is not None else None
    annual_max = high * factor if high is not None else None
    if rate is None:
        return SalaryResult(
            low,
            high,
            currency,
            period,
            source,
            text,
            annual_min,
            annual_max,
            flag=FLAG_UNKNOWN_CURRENCY,
        )
    return SalaryResult(
        low,
        high,
        currency,
        period,
        source,
        text,
        annual_min,
        annual_max,
        annual_min * rate if annual_min is not None else None,
        annual_max * rate if annual_max is not None else None,
        table.version,
        None,
    )


# ---------------------------------------------------------------------------------------------- sources
def parse_base_salary(base_salary: Any) -> SalaryResult | None:
    """Bright Data's ``base_salary`` object; None when it carries no amount."""
    if not isinstance(base_salary, dict):
        return None
    low = _to_float(base_salary.get("min_amount"))
    high = _to_float(base_salary.get("max_amount"))
    if low is None and high is None:
        return None
    currency = currency_from_label(base_salary.get("currency"))
    period = period_from_label(base_salary.get("payment_period"))
    return _finalize(low, high, currency, period, "base_salary", None, infer_period=False)


@dataclass(slots=True)
class _Candidate:
    score: int
    start: int
    low: float | None
    high: float | None
    currency: str | None
    period: str | None
    text: str


def _candidate(
    match: re.Match[str],
    text: str,
    country: str | None,
    in_pay_field: bool,
    maybe_not_pay: bool = True,
    has_context: bool | None = None,
) -> _Candidate | None:
    """The money expression ``match`` as a scored candidate, or None when it is not the job's pay.

    Batch hints: ``maybe_not_pay=False`` says (from `_NOT_PAY_SUPERSET`) that `_NOT_PAY_BEFORE` cannot match
    before it; ``has_context`` is `_has_salary_context` of the text before it when already known.
    """
    groups = match.group("n1", "n2", "k1", "k2", "c1", "s1", "c2", "s2")
    start, end = match.span()
    return _scored(groups, start, end, text, country, in_pay_field, maybe_not_pay, has_context)


def _scored(
    groups: tuple[Any, ...],
    start: int,
    end: int,
    text: str,
    country: str | None,
    in_pay_field: bool,
    maybe_not_pay: bool = True,
    has_context: bool | None = None,
    not_pay: bool | None = None,
    folded: str | None = None,
) -> _Candidate | None:
    """`_candidate` of the money expression ``text[start:end]`` whose groups n1, n2, k1, k2, c1, s1, c2, s2
    are ``groups`` (the batch path finds them without a match object). More batch hints: ``not_pay`` is
    `_not_pay_before` of the 60 characters before it when already known, ``folded`` `_fold` of the 100."""
    n1, n2, k1, k2, c1, s1, c2, s2 = groups
    # An explicit code ("$95,000 CAD") beats a bare "$" written beside it: the first unambiguous token, else
    # the first token.
    currency_token = c1 or s1 or c2 or s2
    if currency_token is not None and currency_token.strip() in _AMBIGUOUS_SYMBOLS:
        for token in (c1, s1, c2, s2):
            if token and token.strip() not in _AMBIGUOUS_SYMBOLS:
                currency_token = token
                break
    if k1 is None and k2 is None:
        indian_unit = False
        lpa = text[end : end + 4].lstrip().upper().startswith("LPA")
        if currency_token is None and not lpa and not in_pay_field:
            return None  # a bare number without units is only a salary in a pay field (see below)
    else:
        units = {(k1 or "").strip().lower(), (k2 or "").strip().lower()}
        indian_unit = bool(units & _INDIAN_UNITS)
        lpa = "lpa" in units or text[end : end + 4].lstrip().upper().startswith("LPA")
    if country is None or isinstance(country, str):
        currency = _resolve_currency_cached(currency_token, country)
    else:  # an unhashable country must fail (or not) exactly as the uncached rule does
        currency = _resolve_currency(currency_token, country)
    if currency is None and (indian_unit or lpa):
        currency = "INR"
    if k1 is None and k2 is not None and n2 is not None:
        k1 = k2  # "$80-100k": the multiplier is written once
    low = _parse_amount_cached(n1, k1)
    high = _parse_amount_cached(n2, k2) if n2 is not None else None
    if low is None:
        return None
    if lpa and not (k1 or k2) and max(low, high or 0.0) < 1000:
        low *= 1e5  # "25 LPA" = 25 lakh per annum
        high = high * 1e5 if high is not None else None
    if k1 is not None and k2 is None and n2 is not None and high is not None and high < low:
        high = _parse_amount_cached(n2, k1)  # "100k-120" is read as 100k-120k
    has_multiplier = bool(k1 or k2)
    period: str | None = None
    period_match = _PERIOD_AFTER.match(text, end) if _PERIOD_AFTER_START.match(text, end) else None
    matched_text = text[start:end]
    if period_match:
        period = _PERIOD_WORDS.get(period_match.group("period").lower().replace(" ", ""))
        if period is None:
            period = _PERIOD_WORDS.get(period_match.group("period").lower())
        matched_text = text[start : period_match.end()]
        end = period_match.end()
        tail = _RANGE_TAIL.match(text, end) if n2 is None else None
        if tail is not None:
            tail_period = _PERIOD_AFTER.match(text, tail.end())
            tail_high = parse_amount(tail.group("n2"), tail.group("k2") or k1)
            same_period = (
                tail_period is None or _PERIOD_WORDS.get(tail_period.group("period").lower()) == period
            )
            if tail_high is not None and same_period:
                high = tail_high
                end = tail_period.end() if tail_period else tail.end()
                matched_text = text[start:end]
    if lpa:
        period = "year"
    before = text[max(0, start - 100) : start]
    near_before = before[-45:]
    if folded is None or len(folded) != len(before):
        folded = _fold(before)
    if len(folded) == len(before):
        folded_60, folded_45 = folded[-60:], folded[-45:]
    else:  # `_fold` keeps lengths (it translates "İ" before lowering); this only guards the slicing
        folded_60, folded_45 = _fold(before[-60:]), _fold(near_before)
    if period is None and _PERIOD_BEFORE_PROBE.search(folded_60):
        mentions = _PERIOD_BEFORE.findall(before[-60:])
        if mentions:
            period = _PERIOD_BEFORE_MAP[mentions[-1].lower()]
    if not_pay is None:
        not_pay = maybe_not_pay and _has_not_pay_probe(folded_60) and _not_pay_before(before[-60:])
    if not in_pay_field and (not_pay or (_word_follows(text, end) and _NOT_PAY_AFTER.match(text, end))):
        return None
    if in_pay_field:
        keyword = True
    else:
        keyword = has_context if has_context is not None else _has_salary_context(before, folded)
    is_range = high is not None
    if currency is None:
        # Bare numbers are only salaries in a pay field, or with k/lakh units beside a pay word.
        if not (in_pay_field or ((has_multiplier or lpa) and keyword and (is_range or period))):
            return None
    elif not (keyword or is_range or period):
        return None
    if not is_range:
        ending = _strip_colon_tail(folded_45)
        if ending.endswith(_UP_TO_ENDINGS) and _UP_TO.search(near_before):
            low, high = None, low
        elif ending.endswith(_FROM_ENDINGS) and _FROM.search(near_before):
            pass
        else:
            high = low
    score = 3 * keyword + 2 * is_range + (period is not None) + (currency is not None)
    return _Candidate(score, start, low, high, currency, period, matched_text.strip())


def _pay_field_starts(text: str) -> list[int]:
    """A short pay-range field: every number start, plus currency tokens just before a number."""
    return sorted({*_anchor_starts(text), *(found.start() for found in _NUMBER_START.finditer(text))})


def parse_salary_text(
    text: str | None, country: str | None = None, *, pay_field: bool = False
) -> SalaryResult | None:
    """Find the posting's salary in free text (a pay-range field or a whole description).

    A description is scanned for money expressions; each needs a currency or k/lakh units, plus a pay word
    nearby, a range or a period. Money beside benefit words ("401(k)", "tuition", "bonus", "raised") is skipped.
    The best-scored candidate wins (earliest on ties). ``pay_field=True`` treats the whole text as a pay field.
    """
    if not text or not isinstance(text, str):
        return None
    if len(text) > MAX_TEXT_SCAN_CHARS:
        text = text[:MAX_TEXT_SCAN_CHARS]
    starts = _anchor_starts(text) if not pay_field else _pay_field_starts(text)
    return _text_result(_best_candidate(text, starts, country, pay_field))


def _best_candidate(text: str, starts: list[int], country: str | None, pay_field: bool) -> _Candidate | None:
    """The best-scored money expression starting at one of ``starts`` (earliest on ties)."""
    best: _Candidate | None = None
    consumed = 0
    for start in starts:
        if start < consumed:
            continue
        match = _MONEY.match(text, start)
        if match is None or not match.group("n1"):
            continue
        consumed = match.end()
        candidate = _candidate(match, text, country, pay_field)
        if candidate is None:
            continue
        if best is None or candidate.score > best.score:
            best = candidate
    return best


def _text_result(best: _Candidate | None) -> SalaryResult | None:
    if best is None:
        return None
    return _finalize(best.low, best.high, best.currency, best.period, "text", best.text, infer_period=True)


def parse_salary(
    base_salary: dict[str, Any] | None,
    pay_range: str | None,
    text: str | None,
    country: str | None = None,
) -> SalaryResult:
    """The posting's salary from the first source that has one: base_salary, then pay_range, then the text.

    ``country`` (ISO alpha-2, optional) resolves "$", "¥" and "kr" in free text (CA -> CAD, CN -> CNY, NO -> NOK);
    base_salary's "$" is always USD (LinkedIn labels other dollars "CA$", "A$", ...).
    """
    result = parse_base_salary(base_salary)
    if result is not None:
        return result
    if isinstance(pay_range, str) and pay_range.strip():
        found = parse_salary_text(pay_range, country, pay_field=True)
        if found is not None:
            return found.with_source("pay_range")
    found = parse_salary_text(text, country)
    if found is not None:
        return found
    return NO_SALARY


# ================================================================================================ batch path
# `_anchor_starts` reads a whole description three times with Python regexes (charset scans that cost ~10 ns a
# character). The batch path finds the same anchors in one numba pass over the column's UTF-8 bytes: every
# occurrence of a currency symbol / token (as character offsets, so Python indexes the text with them), plus a
# per-row superset test for a bare "120k" number. Python then applies `_anchor_starts`'s exact checks to the
# few hits and runs the money regex only there; rows without a hit settle without Python.
_KIND_SYMBOL, _KIND_UPPER, _KIND_OTHER = 0, 1, 2
_BATCH_LITERALS: tuple[tuple[str, int], ...] = (
    *((symbol, _KIND_SYMBOL) for symbol in _SYMBOL_CHARS),
    *((token, _KIND_UPPER) for token in sorted(_UPPER3_TOKENS)),
    *((token, _KIND_OTHER) for token in _OTHER_TOKENS),
)


def _padded_bytes(encoded: list[bytes]) -> tuple[Any, Any]:
    """Byte strings as a zero-padded uint8 matrix (one row each) and their lengths, for the kernels."""
    matrix = np.zeros((len(encoded), max(map(len, encoded))), dtype=np.uint8)
    for index, raw in enumerate(encoded):
        matrix[index, : len(raw)] = np.frombuffer(raw, dtype=np.uint8)
    return matrix, np.array([len(raw) for raw in encoded], dtype=np.int64)


def _by_first_byte(encoded: list[bytes]) -> tuple[list[list[int]], Any, Any]:
    """Ids of the byte strings grouped by first byte: the groups, and as CSR (start per byte, ids)."""
    by_first: list[list[int]] = [[] for _ in range(256)]
    for index, raw in enumerate(encoded):
        by_first[raw[0]].append(index)
    first_start = np.zeros(257, dtype=np.int64)
    first_start[1:] = np.cumsum([len(ids) for ids in by_first])
    first_ids = np.array([index for ids in by_first for index in ids], dtype=np.int64)
    return by_first, first_start, first_ids


def _literal_tables() -> tuple[Any, Any, Any, Any, Any, Any]:
    """Byte classes and byte pairs for `_scan_kernel`, the literals as a padded byte matrix, their byte
    lengths, and CSR lists of literal ids by first byte. ``pairs[first, second]`` has bit 1 when a literal can
    start with those bytes (second byte 0 at the end of a row) and bit 2 when the first is "k" or "K" (flat:
    index ``first << 8 | second``)."""
    encoded = [literal.encode("utf-8") for literal, _ in _BATCH_LITERALS]
    matrix, lengths = _padded_bytes(encoded)
    by_first, first_start, first_ids = _by_first_byte(encoded)
    classes = np.zeros(256, dtype=np.uint8)
    for byte in range(256):
        char = chr(byte)
        classes[byte] = (
            (1 if char.isascii() and char.isalpha() else 0)
            | (2 if by_first[byte] else 0)
            | (4 if char in "kK" else 0)
        )
    pairs = np.zeros((256, 256), dtype=np.uint8)
    for raw in encoded:
        if len(raw) == 1:
            pairs[raw[0], :] |= 1
        else:
            pairs[raw[0], raw[1]] |= 1
    pairs[ord("k"), :] |= 2
    pairs[ord("K"), :] |= 2
    return classes, pairs.reshape(-1), matrix, lengths, first_start, first_ids


@numba.njit(cache=True, nogil=True)
def _char_start(data: Any, low: int, index: int) -> int:
    """Start byte of the UTF-8 character holding byte ``index`` (not before ``low``)."""
    while index > low and (data[index] & 0xC0) == 0x80:
        index -= 1
    return index


@numba.njit(cache=True, nogil=True)
def _digit_run_ends_at(data: Any, low: int, index: int) -> bool:
    """A `\\d[\\d.,]*` run can end with the character at ``index`` (non-ASCII counts as a Unicode digit)."""
    while data[index] == 46 or data[index] == 44:  # "." or ","
        if index == low:
            return False
        index = _char_start(data, low, index - 1)
    return (48 <= data[index] <= 57) or data[index] >= 0x80


@numba.njit(cache=True, nogil=True)
def _k_number_before(data: Any, low: int, index: int) -> bool:
    """A superset of `\\d[\\d.,]*\\s?[kK]` ending with the k at byte ``index`` (non-ASCII counts as space)."""
    if index == low:
        return False
    first = _char_start(data, low, index - 1)
    if _digit_run_ends_at(data, low, first):
        return True
    byte = data[first]
    spacey = byte == 32 or 9 <= byte <= 13 or 28 <= byte <= 31 or byte >= 0x80
    if not spacey or first == low:
        return False
    return _digit_run_ends_at(data, low, _char_start(data, low, first - 1))


@numba.njit(cache=True, nogil=True)
def _fill_candidates(
    data: Any, index: int, high: int, previous: int, classes: Any, pairs: Any, out: Any
) -> Any:
    """`_scan_candidates` from byte ``index`` for at most ``out``'s size of bytes (so it cannot overflow):
    (bytes found, where it stopped, whether the byte before that is an ASCII letter). No array is rebound
    in the loop (numba then keeps reference counting out of it)."""
    count = 0
    stop = min(high - 1, index + out.shape[0])
    while index < stop:
        byte = np.int64(data[index])
        letter = classes[byte] & 1
        busy = pairs[(byte << 8) | np.int64(data[index + 1])] & ((letter & previous) - 1)
        previous = letter
        if busy != 0:
            out[count] = index
            count += 1
        index += 1
    if index == high - 1 and count < out.shape[0]:  # the last byte: nothing after it
        byte = np.int64(data[index])
        if pairs[byte << 8] & (((classes[byte] & 1) & previous) - 1) != 0:
            out[count] = index
            count += 1
        index += 1
    return count, index, previous


@numba.njit(cache=True, nogil=True)
def _scan_candidates(data: Any, low: int, high: int, classes: Any, pairs: Any) -> Any:
    """Byte offsets in ``data[low:high]`` where a literal or a bare "k" may start, over the whole column at
    once: `pairs` of the byte and the next one, less letters right after an ASCII letter. Row bounds are
    ignored here (`_scan_kernel` re-checks each candidate in its row, and each row's first byte): the loop is
    one table look-up per byte and no branch on the data."""
    chunk = np.empty(1 << 16, dtype=np.int64)
    found = np.empty(1024, dtype=np.int64)
    count = 0
    index, previous = low, 0
    while index < high:
        filled, index, previous = _fill_candidates(data, index, high, previous, classes, pairs, chunk)
        if count + filled > found.shape[0]:
            grown = np.empty(max(2 * found.shape[0], count + filled), dtype=np.int64)
            grown[:count] = found[:count]
            found = grown
        found[count : count + filled] = chunk[:filled]
        count += filled
    return found[:count]


@numba.njit(cache=True, nogil=True)
def _scan_kernel(
    data: Any,
    offsets: Any,
    classes: Any,
    pairs: Any,
    matrix: Any,
    lengths: Any,
    first_start: Any,
    first_ids: Any,
) -> Any:
    """Every literal occurrence (row, character offset, literal id, byte offset) and the bare-"k" superset
    per row.

    ``classes`` flags each byte: ASCII letter (1), first byte of a literal (2), "k"/"K" (4). A letter right
    after an ASCII letter is skipped: every literal that starts with a letter needs a non-letter before it in
    `salary_scan.starts_kernel`, and so does a bare "k". ``pairs`` says which (first, second) bytes can start a
    literal (bit 1; second byte 0 at the end of a row) or are a "k" (bit 2). `_scan_candidates` finds the
    bytes worth a look in one pass over the column; here each is checked within its row (the next byte is 0
    at the row's end, and a row's first byte has no letter before it). Character offsets are counted only at
    hits (UTF-8 continuation bytes do not start a character).
    """
    rows = offsets.shape[0] - 1
    k_number = np.zeros(rows, dtype=np.bool_)
    capacity = 1024
    hit_row = np.empty(capacity, dtype=np.int64)
    hit_char = np.empty(capacity, dtype=np.int64)
    hit_literal = np.empty(capacity, dtype=np.int64)
    hit_byte = np.empty(capacity, dtype=np.int64)
    count = 0
    candidates = _scan_candidates(data, offsets[0], offsets[rows], classes, pairs)
    total = candidates.shape[0]
    next_candidate = 0
    for row in range(rows):
        low, high = offsets[row], offsets[row + 1]
        if high <= low:
            continue
        counted, chars = low, 0
        # The row's first byte: the column pass saw it after the previous row's last byte.
        first = low if low > offsets[0] and classes[data[low]] & 1 and classes[data[low - 1]] & 1 else -1
        while next_candidate < total and candidates[next_candidate] < low:
            next_candidate += 1
        while True:
            if first >= 0:
                index, first = first, -1
            elif next_candidate < total and candidates[next_candidate] < high:
                index = candidates[next_candidate]
                next_candidate += 1
            else:
                break
            current = np.int64(data[index])
            following = np.int64(data[index + 1]) if index + 1 < high else np.int64(0)
            busy = pairs[(current << 8) | following]
            if busy == 0:
                continue
            if busy & 2 and not k_number[row]:
                k_number[row] = _k_number_before(data, low, index)
            if not busy & 1:
                continue
            for slot in range(first_start[current], first_start[current + 1]):
                literal = first_ids[slot]
                size = lengths[literal]
                if index + size > high:
                    continue
                same = True
                for k in range(1, size):
                    if data[index + k] != matrix[literal, k]:
                        same = False
                        break
                if not same:
                    continue
                for position in range(counted, index):
                    if (data[position] & 0xC0) != 0x80:
                        chars += 1
                counted = index
                if count == capacity:
                    capacity *= 2
                    grown_row = np.empty(capacity, dtype=np.int64)
                    grown_char = np.empty(capacity, dtype=np.int64)
                    grown_literal = np.empty(capacity, dtype=np.int64)
                    grown_byte = np.empty(capacity, dtype=np.int64)
                    grown_row[:count] = hit_row[:count]
                    grown_char[:count] = hit_char[:count]
                    grown_literal[:count] = hit_literal[:count]
                    grown_byte[:count] = hit_byte[:count]
                    hit_row, hit_char, hit_literal, hit_byte = (
                        grown_row,
                        grown_char,
                        grown_literal,
                        grown_byte,
                    )
                hit_row[count] = row
                hit_char[count] = chars
                hit_literal[count] = literal
                hit_byte[count] = index
                count += 1
    return k_number, hit_row[:count], hit_char[:count], hit_literal[:count], hit_byte[:count]


_TABLES: list[Any] = []


def _scan_money_tokens(texts: Any) -> tuple[Any, Any, Any, Any]:
    """(k_number per row, hit rows, hit character offsets, hit literal ids) for a polars String Series."""
    from dej_platform.silver.arrow_buffers import utf8_column

    if not _TABLES:
        _TABLES.append(_literal_tables())
    data, offsets = utf8_column(texts)
    return _scan_kernel(data, offsets, *_TABLES[0])[:4]


_LITERAL_KINDS = np.array([kind for _, kind in _BATCH_LITERALS], dtype=np.int64)
_DOLLAR_LITERAL = next(index for index, (token, _) in enumerate(_BATCH_LITERALS) if token == "$")


def _money_tables() -> tuple[Any, Any, Any]:
    """`_CUR` as tables for `salary_scan._currencies` (its alternatives in the alternation's order, padded
    bytes, byte lengths, word flags, CSR lists by first byte) and `_SEP_WORDS` as padded bytes and lengths."""
    ordered = [(token, False) for token in sorted(_SYMBOLS, key=len, reverse=True)] + [
        (token, True) for token in sorted(_CODES + list(_WORDS), key=len, reverse=True)
    ]
    symbols = _alternation([token for token, word in ordered if not word])
    words = _alternation([token for token, word in ordered if word])
    if f"(?:{symbols}|(?<![A-Za-z])(?:{words})(?![A-Za-z]))" != _CUR:
        raise AssertionError("_CUR changed: update _money_tables")
    encoded = [token.encode("utf-8") for token, _ in ordered]
    matrix, lengths = _padded_bytes(encoded)
    is_word = np.array([word for _, word in ordered], dtype=np.bool_)
    _, first_start, first_ids = _by_first_byte(encoded)
    separator_matrix, separator_lengths = _padded_bytes([word.encode("utf-8") for word in _SEP_WORDS])
    return (matrix, lengths, is_word, first_start, first_ids), separator_matrix, separator_lengths


_MONEY_TABLES: list[Any] = []


def _money_batch(texts: Any, decide: Any) -> tuple[Any, Any, Any, Any, Any]:
    """The token scan, then `_anchor_starts` and the `_MONEY` matches at those starts, all in numba.

    ``decide(candidates, k_number, offsets)`` gets the rows with a hit or a possible bare "k" amount (and the
    UTF-8 row offsets) and returns the rows where bare "120k" amounts are looked for and the rows to skip (left
    to the caller). Returns (k_number per
    row, hit rows, hit character offsets, hit literal ids) as `_scan_money_tokens`, the candidate rows, the
    skipped rows, and the matches: their rows and an (n, 18) array of character offsets (start, end, then the
    spans of c1, n1, k1, s1, c2, n2, k2, s2, -1 where a group did not take part).
    """
    from dej_platform.silver.arrow_buffers import utf8_column
    from dej_platform.silver.salary_scan import char_flags, money_kernel, starts_kernel

    if not _TABLES:
        _TABLES.append(_literal_tables())
    if not _MONEY_TABLES:
        _MONEY_TABLES.append(_money_tables())  # one item, read as [0]: safe if two threads get here
    data, offsets = utf8_column(texts)
    k_number, hit_row, hit_char, hit_literal, hit_byte = _scan_kernel(data, offsets, *_TABLES[0])
    flags = char_flags()
    candidates = np.union1d(np.unique(hit_row), np.flatnonzero(k_number))
    bare_rows, skipped = decide(candidates, k_number, offsets)
    bare = np.zeros(len(offsets) - 1, dtype=np.bool_)
    bare[bare_rows] = True
    start_row, start_char, start_byte = starts_kernel(
        data,
        offsets,
        hit_row,
        hit_byte,
        hit_char,
        hit_literal,
        _LITERAL_KINDS,
        _TABLES[0][3],
        _DOLLAR_LITERAL,
        bare,
        flags,
    )
    use_row = np.zeros(len(offsets) - 1, dtype=np.bool_)
    use_row[candidates] = True
    use_row[skipped] = False
    match_row, match_spans = money_kernel(
        data, offsets, start_row, start_char, start_byte, use_row, flags, *_MONEY_TABLES[0]
    )
    return (k_number, hit_row, hit_char, hit_literal), candidates, skipped, match_row, match_spans


def _parse_salary_texts(texts: Any, countries: list[Any]) -> list[SalaryResult | None]:
    """`parse_salary_text(text, country)` for a polars String Series (one country per row); same results.

    The kernels find the money expressions (`_money_batch`); texts over the scan limit take the per-record
    rule.
    """
    import polars as pl

    results: list[SalaryResult | None] = [None] * len(texts)

    def decide(candidates: Any, k_number: Any, offsets: Any) -> tuple[Any, Any]:
        maybe_bare = candidates[k_number[candidates]]
        # `_bare_thousands_allowed`, vectorized (the same substring tests; lengths in characters).
        found = texts.gather(maybe_bare).cast(pl.String)
        allowed = ((found.str.len_chars() < 300) | found.str.contains_any(list(_PAY_PROBES))).fill_null(False)
        # Texts over the scan limit (in characters; only those over it in bytes can be).
        long = candidates[(offsets[candidates + 1] - offsets[candidates]) > MAX_TEXT_SCAN_CHARS]
        long = long[(texts.gather(long).cast(pl.String).str.len_chars() > MAX_TEXT_SCAN_CHARS).to_numpy()]
        return maybe_bare[allowed.to_numpy()], long

    _, _, skipped, match_rows, match_spans = _money_batch(texts, decide)
    if len(skipped):
        for row, text in zip(skipped.tolist(), texts.gather(skipped).to_list(), strict=True):
            results[row] = parse_salary_text(text, countries[row])
    if not len(match_rows):
        return results
    # Python gets each row's text from 100 characters before its first expression (what `_candidate` looks
    # at before it) to its end: far fewer characters to copy, the same slices and regex matches at shifted
    # offsets (salary lines sit near the end of a posting).
    with_match, first = np.unique(match_rows, return_index=True)
    window = np.maximum(match_spans[first, 0] - 100, 0)
    windows = texts.gather(with_match).cast(pl.String).str.slice(pl.Series(window, dtype=pl.Int64)).to_list()
    which = np.searchsorted(with_match, match_rows)
    match_spans = np.where(match_spans >= 0, match_spans - window[which][:, None], -1)
    # The money expressions `_best_candidate` would score, row by row (which ones does not depend on scores),
    # kept as columns: few long-lived containers, so the garbage collector has little to walk.
    rows = match_rows.tolist()
    starts, ends, *spans = match_spans.T.tolist()
    matched = [windows[index] for index in which.tolist()]
    # Vectorized tests settle the costliest checks: `_not_pay_before` (a backtracking regex) is ruled out for
    # nearly every expression, and `_has_salary_context` is known wherever no non-ASCII character decides it.
    # (`_fold` maps character for character, so the last 60 of the folded 100 are the folded last 60; and
    # `_NOT_PAY_SUPERSET` treats every non-ASCII character alike, where final-sigma lowering could differ.)
    befores = [_fold(text[max(0, start - 100) : start]) for text, start in zip(matched, starts, strict=True)]
    folded = pl.Series(befores, dtype=pl.String)
    tails = folded.str.slice(-60)
    maybe = tails.str.contains(_NOT_PAY_SUPERSET).to_numpy()
    maybe_not_pay = maybe.tolist()
    # `_NOT_PAY_ASCII` (exact where the text is ASCII) where the superset says maybe; `_CONTEXT_LOOSE` where
    # `_CONTEXT_STRICT` fails (a strict match is a loose one).
    exact = np.zeros(len(maybe), dtype=np.bool_)
    exact[maybe] = tails.filter(maybe).str.contains(_NOT_PAY_ASCII).to_numpy()
    not_pay_ascii = exact.tolist()
    sure = folded.str.contains(_CONTEXT_STRICT).to_numpy()
    may = sure.copy()
    may[~sure] = folded.filter(~sure).str.contains(_CONTEXT_LOOSE).to_numpy()
    strict, loose = sure.tolist(), may.tolist()
    best: dict[int, _Candidate] = {}
    for (
        row,
        text,
        start,
        end,
        c1,
        c1_end,
        n1,
        n1_end,
        k1,
        k1_end,
        s1,
        s1_end,
        c2,
        c2_end,
        n2,
        n2_end,
        k2,
        k2_end,
        s2,
        s2_end,
        maybe,
        exact,
        sure,
        may,
        before,
    ) in zip(
        rows, matched, starts, ends, *spans, maybe_not_pay, not_pay_ascii, strict, loose, befores, strict=True
    ):
        not_pay = exact if maybe and text[max(0, start - 60) : start].isascii() else None
        if not_pay:
            continue  # money right after a benefit word: `_scored` would return None
        groups = (
            text[n1:n1_end],
            text[n2:n2_end] if n2 >= 0 else None,
            text[k1:k1_end] if k1 >= 0 else None,
            text[k2:k2_end] if k2 >= 0 else None,
            text[c1:c1_end] if c1 >= 0 else None,
            text[s1:s1_end] if s1 >= 0 else None,
            text[c2:c2_end] if c2 >= 0 else None,
            text[s2:s2_end] if s2 >= 0 else None,
        )
        known = sure if sure == may else None
        candidate = _scored(
            groups, start, end, text, countries[row], False, maybe, known, not_pay=not_pay, folded=before
        )
        if candidate is not None and (row not in best or candidate.score > best[row].score):
            best[row] = candidate
    for row, found in best.items():
        results[row] = _text_result_cached(found.low, found.high, found.currency, found.period, found.text)
    return results


@lru_cache(maxsize=16_384)
def _text_result_cached(
    low: float | None, high: float | None, currency: str | None, period: str | None, text: str
) -> SalaryResult:
    """`_text_result` of a candidate; the same pay lines recur across postings. (Equal keys that differ,
    0.0 and -0.0, are both rejected as invalid amounts, a result that does not carry the amounts.)"""
    return _finalize(low, high, currency, period, "text", text, infer_period=True)


SALARY_COLUMNS: tuple[str, ...] = tuple(SalaryResult.__dataclass_fields__)
_FLOAT_COLUMNS = frozenset({"min", "max", "annual_min", "annual_max", "annual_min_usd", "annual_max_usd"})


def _base_salary_key(value: Any) -> Any:
    """A cache key for a `base_salary` object. Values keep their type: 1, 1.0 and True are equal in Python but
    `parse_base_salary` reads them differently."""
    if not isinstance(value, dict):
        return None
    try:
        key = tuple(sorted((name, type(item), item) for name, item in value.items()))
        hash(key)
    except TypeError:
        return value  # unhashable inner values: parsed without the cache
    return key


def salary_frame_schema() -> dict[str, Any]:
    import polars as pl

    return {name: (pl.Float64 if name in _FLOAT_COLUMNS else pl.String) for name in SALARY_COLUMNS}


def parse_salary_batch(
    base_salary: Any,
    pay_range: Any,
    text: Any,
    country: Any = None,
) -> Any:
    """`parse_salary` for whole columns; returns a polars DataFrame with one column per SalaryResult field.

    Arguments are polars Series (or lists) of equal length: ``base_salary`` a Struct (min_amount, max_amount,
    currency, payment_period) or Object/list of dicts, ``pay_range``/``text``/``country`` strings (``country``
    may be None for all rows). Row for row identical to `parse_salary`: repeated base_salary objects and pay
    ranges are parsed once, and descriptions without any currency/pay anchor skip Python entirely.
    """
    import polars as pl

    texts = text if isinstance(text, pl.Series) else pl.Series(list(text), dtype=pl.String)
    n = len(texts)
    bases = base_salary.to_list() if isinstance(base_salary, pl.Series) else list(base_salary)
    ranges = pay_range.to_list() if isinstance(pay_range, pl.Series) else list(pay_range)
    if country is None:
        countries: list[Any] = [None] * n
    else:
        countries = country.to_list() if isinstance(country, pl.Series) else list(country)
    if not (len(bases) == len(ranges) == len(countries) == n):
        raise ValueError("parse_salary_batch: columns differ in length")
    results: list[SalaryResult | None] = [None] * n
    base_cache: dict[Any, SalaryResult | None] = {}
    range_cache: dict[tuple[str, Any], SalaryResult | None] = {}
    pending: list[int] = []
    for row in range(n):
        base = bases[row]
        # An object without amounts (most rows) is `parse_base_salary`'s None, without building a cache key.
        if isinstance(base, dict) and not (base.get("min_amount") is None and base.get("max_amount") is None):
            key = _base_salary_key(base)
            if isinstance(key, tuple):
                if key not in base_cache:
                    base_cache[key] = parse_base_salary(base)
                found = base_cache[key]
            else:
                found = parse_base_salary(base)
            if found is not None:
                results[row] = found
                continue
        pay = ranges[row]
        if isinstance(pay, str) and pay.strip():
            range_key = (pay, countries[row])
            if range_key not in range_cache:
                parsed = parse_salary_text(pay, countries[row], pay_field=True)
                range_cache[range_key] = parsed.with_source("pay_range") if parsed is not None else None
            found = range_cache[range_key]
            if found is not None:
                results[row] = found
                continue
        pending.append(row)
    if pending:
        found_texts = _parse_salary_texts(texts.gather(pending), [countries[row] for row in pending])
        for row, found in zip(pending, found_texts, strict=True):
            results[row] = found
    return _results_frame(results)


def _results_frame(results: list[SalaryResult | None]) -> Any:
    """The results as a DataFrame: the distinct result objects (cached results and NO_SALARY recur) are built
    once, then gathered per row; the same objects give the same row values."""
    import polars as pl

    fields = operator.attrgetter(*SALARY_COLUMNS)
    objects = [NO_SALARY if result is None else result for result in results]
    slots: dict[int, int] = {}
    index = [slots.setdefault(id(found), len(slots)) for found in objects]
    distinct = [fields(found) for found in {id(found): found for found in objects}.values()]
    frame = pl.DataFrame(distinct, schema=salary_frame_schema(), orient="row")
    return frame[pl.Series(index, dtype=pl.UInt32)] if len(distinct) != len(results) else frame
