"""The window fast paths of the batch kernels (`_plain_window` + one memmove per run of plain windows) against the
per-record references, on long random text whose special bytes land on every offset of a 32-byte window."""

from __future__ import annotations

import random

import polars as pl
import pytest

from dej_platform.silver.html_text import clean_text, clean_text_batch, html_to_text, html_to_text_batch

# Pieces the kernels copy as they are, and pieces their byte loops must see (whitespace runs, entities, "<",
# characters that are or may be whitespace or zero-width, other non-ASCII text).
_PLAIN = ("a", "data", "Engineer", "x" * 40, "y" * 70, "5000", "(Remote),", "-", ".")
_SPECIAL = (
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    " \n ",
    "&amp;",
    "&",
    "& ",
    "&#x2019;",
    "&apos;",
    "<",
    "é",
    "ç",
    "’",
    "–",
    "€",
    "\u00a0",
    "\u200b",
    "\u2003",
    "\u3000",
    "\ufeff",
    "\u2060",
    "\u0085",
    "\x01",
)
_TAILS = ("", " Show more", " Show more Show less", "\nShow less  ", " é Show more", "xShow more")


def _random_text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(0, 60)):
        parts.append(rng.choice(_PLAIN))
        parts.append(" " if rng.random() < 0.8 else rng.choice(_SPECIAL))
    return "".join(parts) + rng.choice(_TAILS)


def _texts(seed: int, rows: int) -> list[str | None]:
    rng = random.Random(seed)
    texts: list[str | None] = [_random_text(rng) for _ in range(rows)]
    # One special piece at every offset of a long plain run, so it falls in every slot of a window.
    for offset in range(0, 140):
        for piece in ("  ", "\t", "&amp;", "’", "\u00a0", "\u200b", "é", "<"):
            texts.append("word " * 3 + "z" * offset + piece + "q" * (150 - offset) + " tail")
    texts += [None, "", " ", "x" * 200_000, ("plain words " * 5000) + "Show less"]
    return texts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clean_text_batch_matches_per_record_on_long_random_text(seed: int) -> None:
    texts = _texts(seed, 400)
    assert clean_text_batch(pl.Series("s", texts, dtype=pl.String)).to_list() == [
        clean_text(t) for t in texts
    ]


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_html_to_text_batch_matches_per_record_on_long_random_text(seed: int) -> None:
    rng = random.Random(seed)
    html: list[str | None] = []
    for text in _texts(seed, 300):
        if text is None:
            html.append(None)
            continue
        wrap = rng.choice(
            ("<p>{}</p>", "<div><p>{}</p></div>", "<ul><li>{}</li></ul>", "{}", "<p><b>{}</b> x</p>")
        )
        html.append(wrap.format(text.replace("<", "&lt;") if rng.random() < 0.5 else text))
    expected = [html_to_text(value) for value in html]
    assert html_to_text_batch(pl.Series("h", html, dtype=pl.String)).to_list() == expected
