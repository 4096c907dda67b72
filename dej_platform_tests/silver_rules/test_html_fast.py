"""The compiled `html_to_text_batch` kernel: byte-identical to `html_to_text` on hostile input, and LinkedIn-shaped
postings stay on the compiled path (the per-record fallback is for what the kernel does not model)."""

from __future__ import annotations

import random
from html.entities import html5

import polars as pl
import pytest

from dej_platform.bronze.emulator.generator import iter_records
from dej_platform.silver import html_text
from dej_platform.silver.html_text import html_to_text, html_to_text_batch

# Pieces the kernel models (whitelisted tags with attributes, comments, buttons, entities, Unicode whitespace).
MODELLED = [
    "<p>",
    "</p>",
    "<P CLASS=x>",
    '<p class="a>b">',
    "<div id='x' data-x=\"1\">",
    "</div>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<li>",
    "</li>",
    "<Li value=2>",
    "</LI>",
    "<h2>",
    "</h2>",
    "<h3 >",
    "</h3>",
    "<section>",
    "</section>",
    "<blockquote>",
    "</blockquote>",
    "<b>",
    "</b>",
    "<strong>",
    "</strong>",
    "<em>",
    "</em>",
    "<u>",
    "</u>",
    "<span title=a>",
    "</span>",
    "<a href=/x/>",
    "</a>",
    "<br>",
    "<br/>",
    "<BR />",
    "</br>",
    "<hr>",
    "<hr/>",
    "<wbr>",
    "<img src=\"a.png\" alt='x'>",
    "<input type=text>",
    "<!--x-->",
    "<!---->",
    "<!-- <p> -- -->",
    "<button>Show more</button>",
    '<button class=x aria-label="i18n">\n<!---->\n Show less <icon a=b></icon>\n</button>',
    "<button><span>x</span></button>",
    "<icon class=y>z</icon>",
    "&amp;",
    "&amp",
    "&AMP;",
    "&apos;",
    "&nbsp;",
    "&notit;",
    "&notin;",
    "&nLt;",
    "&NewLine;",
    "&ThickSpace;",
    "&bogus;",
    "&#x2019;",
    "&#233;",
    "&#x85;",
    "&#150;",
    "&#0;",
    "&#xD800;",
    "&#x110000;",
    "&#9;",
    "&#10;",
    "&#13;",
    "&#xA0;",
    "&#",
    "&#x;",
    "&",
    "a < b",
    "<3",
    "<",
    ">",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\f",
    "\u00a0",
    "\u2003",
    "\u3000",
    "\u0085",
    "\u1680",
    "- ",
    "-",
    "\u00e9",
    "\u65e5\u672c",
    "\U0001f642",
    "\u0130",
    "\u212a",
    "Show more",
    "Show less",
    "SHOW MORE",
    "word",
    "Word.",
]
# Pieces that send a row to the per-record path (or, if the kernel mishandled them, would break equality).
HOSTILE = [
    '<p a=b"c>',
    '<p a=="x>y">',
    '<p a="x<y">',
    "<b/>",
    "<!--x--!>",
    "<!--->",
    "<!-->",
    "<!--",
    "<!DOCTYPE html>",
    "<?xml?>",
    "</>",
    "</ x>",
    "<button><b>x</b></button>",
    "<button>unclosed",
    "</button>",
    "<icon><b>z</b></icon>",
    "<td>",
    "<table><tr><td>c",
    "<script>x</script>",
    "<style>p{}</style>",
    "<pre> x</pre>",
    "<h1><h2>x</h2></h1>",
    "<p><div>x</div></p>",
    "<li><p>x</p></li>",
    "<b><p>x</b></p>",
    "<a><a>x</a></a>",
    "<custom-el>",
    "<x y>",
    "<p\ue000>",
    "&ZeroWidthSpace;",
    "&#x81;",
    "&#1;",
    "\u200b",
    "\ufeff",
    "\u2060",
    "\ue000",
    "\ue001",
    "\x0b",
    "\x1c",
    "\x00",
    "\x7f",
    "</hr>",
    "</img>",
    "<p",
    "<p class='x",
]


def _same_as_per_record(corpus: list[str | None]) -> None:
    got = html_to_text_batch(pl.Series("html", corpus, dtype=pl.String)).to_list()
    mismatches = [
        (html, expected, text)
        for html, expected, text in zip(corpus, map(html_to_text, corpus), got, strict=True)
        if expected != text
    ]
    assert mismatches == []


def _documents(rng: random.Random, pieces: list[str], count: int) -> list[str]:
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(count)]


TEXTS = [piece for piece in MODELLED if not piece.startswith("<") or piece in ("<", "<3", "a < b")]
VOIDS = ["<br>", "<br/>", "</br>", "<wbr>", "<img src=x>", "<!--c-->", "<button>Show more</button>", "<hr>"]


def _nested(rng: random.Random, depth: int = 0) -> str:
    """Properly nested markup (the tree lexbor builds is the token tree), so the kernel handles it itself."""
    parts = []
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        if roll < 0.4 or depth > 4:
            parts.append(rng.choice(TEXTS))
        elif roll < 0.55:
            parts.append(rng.choice(VOIDS))
        elif roll < 0.7:
            tag = rng.choice(["b", "em", "span", "a", "u"])
            parts.append(f"<{tag}>" + "".join(rng.choice(TEXTS + VOIDS[:3]) for _ in range(2)) + f"</{tag}>")
        elif roll < 0.85:
            tag = rng.choice(["ul", "ol"])
            items = "".join(f"<li>{_nested(rng, depth + 1)}</li>" for _ in range(rng.randint(0, 3)))
            parts.append(f"<{tag}>{items}</{tag}>")
        else:
            tag = rng.choice(["div", "section", "blockquote", "p", "h3"])
            inner = rng.choice(TEXTS) if tag in ("p", "h3") else _nested(rng, depth + 1)
            parts.append(f"<{tag}>{inner}</{tag}>")
    return "".join(parts)


def test_fuzzed_markup_matches_per_record_and_mostly_stays_compiled():
    rng = random.Random(17)
    nested = [_nested(rng) for _ in range(3000)]
    soup = _documents(rng, MODELLED, 1500)
    hostile = _documents(rng, MODELLED * 3 + HOSTILE, 1500)
    _same_as_per_record([*nested, *soup, *hostile])
    _, status = html_text._kernel_pass(pl.Series(nested, dtype=pl.String))
    compiled = int(((status == html_text._OK) | (status == html_text._NULL)).sum())
    assert compiled > len(nested) * 0.8  # the kernel itself is what these documents test


def test_character_references_decode_as_lexbor_does():
    names = list(html5)
    corpus = (
        [f"x&{name}y" for name in names] + [f"&{name};1" for name in names] + [f"a&{name}" for name in names]
    )
    rng = random.Random(3)
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    corpus += ["a&" + name[: rng.randint(1, len(name))] + rng.choice(alnum + "; ") for name in names]
    points = [
        *range(0, 0x300),
        *range(0x300, 0x110000, 211),
        0xD800,
        0xDFFF,
        0xFFFD,
        0xFFFE,
        0x10FFFF,
        0x110000,
    ]
    corpus += [f"x&#{point};y" for point in points] + [f"x&#x{point:X}y" for point in points]
    corpus += ["x&#99999999999999999999;", "&#x" + "f" * 40, "&" + "a" * 100 + ";"]
    _same_as_per_record(corpus)


@pytest.mark.parametrize(
    "html",
    [
        "caf\u00e9 Show more",
        "caf\u00e9Show more",
        "\u65e5\u672cShow less",
        "\u0130Show more",
        "x_Show more",
        "xShow more",
        "1Show more",
        "Show more",
        "<p>a</p><p>Show more</p><p>show LESS</p>",
        "a<br>- Show less",
        "a\u00a0Show more\u3000",
        "x<br>- <b> </b><br>y",
        "x <b> </b><br>y",
        "<div><br>- <b> </b></div><!---->",
        "<div><br>- <b> </b></div>",
        "<ul><li></li><li> </li><li>real</li></ul>",
        "<ul><li>-</li></ul><p>-</p>",
        "a</p>b",
        "<p>x<div>y</div>z</p>",
        "<hr><p>x</p><hr>",
        "</p>-",
        " </p>-",
        "<meta></p>-",
        "<!--c--></p>-",
        "<b></p>-",
        "&nbsp;</p>-",
        "x</p>-",
        "</br>-",
    ],
)
def test_tail_and_whitespace_quirks_match_per_record(html):
    _same_as_per_record([html])


def test_columns_of_every_shape():
    assert html_to_text_batch(pl.Series("d", [], dtype=pl.String)).name == "d"
    assert html_to_text_batch(pl.Series([None, None], dtype=pl.String)).to_list() == [None, None]
    values = [None, "", " ", "\n\t", "<p></p>", "&#32;", "<b>x</b>", "y"]
    _same_as_per_record(values)
    column = pl.Series("html", values * 3, dtype=pl.String)
    assert html_to_text_batch(column.slice(5, 9)).to_list() == [html_to_text(v) for v in (values * 3)[5:14]]
    chunked = pl.concat([column, column.reverse()], rechunk=False)
    assert chunked.n_chunks() > 1
    assert html_to_text_batch(chunked).to_list() == [html_to_text(v) for v in chunked.to_list()]
    assert html_to_text_batch(pl.Series("n", [12345, None])).to_list() == ["12345", None]


def test_megabyte_rows():
    block = "<p>" + "Data engineering with Spark &amp; Kafka. " * 20 + "</p><ul><li>item</li></ul>"
    structured = block * (1_000_000 // len(block) + 1)
    corpus = [structured, "word " * 250_000, "&" + "a" * 1_000_000, "<b>" * 30 + "x" * 1_000_000]
    _same_as_per_record(corpus)
    _, status = html_text._kernel_pass(pl.Series(corpus[:3], dtype=pl.String))
    assert status.tolist() == [html_text._OK] * 3


def test_deep_nesting_takes_the_per_record_path():
    html = "<div>" * 5_000 + "deep" + "</div>" * 5_000
    _, status = html_text._kernel_pass(pl.Series([html]))
    assert status.tolist() == [html_text._FALLBACK]
    assert html_to_text_batch(pl.Series([html])).to_list() == ["deep"]


def test_emulator_postings_stay_on_the_compiled_path():
    rows = list(iter_records(300, 29, quirk_rate=0.3))
    htmls = [r.get("job_description_formatted") or r.get("job_description_html") for r in rows]
    texts, status = html_text._kernel_pass(pl.Series(htmls, dtype=pl.String))
    assert set(status.tolist()) <= {html_text._OK, html_text._NULL}
    assert texts.to_list() == [html_to_text(h) for h in htmls]


CLEAN_PIECES = [
    "word",
    "Word.",
    " ",
    "  ",
    "\n",
    "\t",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x00",
    "\x07",
    "\x7f",
    "\x85",
    "\xa0",
    "\u1680",
    "\u2000",
    "\u200a",
    "\u200b",
    "\u2028",
    "\u202f",
    "\u205f",
    "\u2060",
    "\u3000",
    "\ufeff",
    "\u00e9",
    "\u0130",
    "\U0001f642",
    "&",
    "& ",
    "&&",
    "&;",
    "&<",
    "&amp;",
    "&#x2019;",
    "&#",
    "&nbsp;",
    "Show more",
    "Show less",
    "show MORE",
    "xShow more",
    "_",
    "-",
]


def test_clean_text_batch_matches_per_record_on_fuzzed_text():
    rng = random.Random(23)
    corpus: list[str | None] = [
        "".join(rng.choice(CLEAN_PIECES) for _ in range(rng.randint(0, 30))) for _ in range(4000)
    ]
    corpus += [None, "", "Show more Show less", "caf\u00e9 Show more", "\u00e9Show less", "a" * 1_000_000]
    got = html_text.clean_text_batch(pl.Series("summary", corpus, dtype=pl.String))
    assert got.name == "summary"
    assert got.to_list() == [html_text.clean_text(value) for value in corpus]
    assert html_text.clean_text_batch(pl.Series("e", [], dtype=pl.String)).to_list() == []


def test_columns_whose_long_strings_sit_in_several_buffers():
    """A concatenated column keeps one string-view data buffer per part: rows are read from the right one."""
    from dej_platform.silver.html_text import _column_buffers, clean_text, clean_text_batch

    parts = [
        pl.Series([f"<p>{tag} row {i} " + "word " * (i % 7 + 3) + "</p><li>item</li>" for i in range(300)])
        for tag in ("alpha", "beta", "gamma")
    ]
    column = pl.concat([*parts, pl.Series([None, "short", "<b>é</b>" * 40])]).rechunk()
    data_buffers = len(column.to_arrow(compat_level=pl.CompatLevel.newest()).buffers()) - 2
    assert data_buffers > 1, data_buffers
    values = column.to_list()
    assert html_to_text_batch(column).to_list() == [html_to_text(v) for v in values]
    assert clean_text_batch(column).to_list() == [clean_text(v) for v in values]
    assert html_to_text_batch(column.slice(450, 400)).to_list() == [html_to_text(v) for v in values[450:850]]
    total = _column_buffers(column)[-1]
    assert total == sum(len(v.encode()) for v in values if v is not None)
