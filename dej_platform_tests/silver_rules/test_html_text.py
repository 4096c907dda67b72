"""HTML to text: structure kept, entities decoded, LinkedIn buttons and scripts dropped, hostile input survives."""

from __future__ import annotations

import time

import pytest

from dej_platform.silver.html_text import clean_text, html_to_text

LINKEDIN_SHAPE = """<section class="show-more-less-html" data-max-lines="5">
  <div class="show-more-less-html__markup relative overflow-hidden">
    Acme&#x2019;s data team &amp; friends.<br><br><strong>What You&apos;ll Do<br><br></strong>
    <ul><li>Build pipelines in Spark.</li><li>Own   the
    lakehouse.<br><br></li></ul><strong>Nice to Have</strong><ul><li>dbt</li></ul>
  </div>
  <button class="show-more-less-html__button" aria-label="i18n_show_more">
    Show more <icon class="x" data-delayed-url="https://static.example/a"></icon></button>
  <button class="show-more-less-html__button" aria-label="i18n_show_less">Show less</button>
</section>"""


def test_linkedin_description_keeps_structure_and_drops_buttons():
    assert html_to_text(LINKEDIN_SHAPE) == (
        "Acme\u2019s data team & friends.\n\nWhat You'll Do\n\n- Build pipelines in Spark.\n- Own the lakehouse."
        "\n\nNice to Have\n\n- dbt"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<h2>Requirements</h2><p>Python</p>", "Requirements\n\nPython"),
        (
            "<p><strong>Requirements:</strong></p><ul><li>SQL</li><li>Spark</li></ul>",
            "Requirements:\n\n- SQL\n- Spark",
        ),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("a<br><br><br><br><br>b", "a\n\nb"),
        ("<ol><li>first</li><li>second</li></ol>after", "- first\n- second\n\nafter"),
        ("<ul><li></li><li> </li><li>real</li></ul>", "- real"),
        ("<div><strong><p>inner</p></strong>tail</div>", "inner\n\ntail"),
        ("<p>a <b>bold</b> and <i>italic</i> word</p>", "a bold and italic word"),
        (
            "Tom &amp; Jerry &#x2019;s &lt;tag&gt; &quot;q&quot; caf&eacute;",
            'Tom & Jerry \u2019s <tag> "q" caf\u00e9',
        ),
        ("non&nbsp;breaking&nbsp;&nbsp; space", "non breaking space"),
        ("foot&#x85;", "foot\u2026"),
        ("<p>x<script>alert('no')</script> y</p><style>p{color:red}</style>", "x y"),
        ("<p>kept</p><svg><text>vector</text></svg><template><p>hidden</p></template>", "kept"),
        ("<p>keep<!-- a comment --> this</p>", "keep this"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("Plain text, no tags at all.", "Plain text, no tags at all."),
        ("Text with a trailing button. Show more Show less", "Text with a trailing button."),
        ("zero\u200bwidth\ufeff chars", "zerowidth chars"),
        ("<p>   </p><br><div></div>", None),
        ("<script>only script</script>", None),
        ("   ", None),
        ("", None),
        (None, None),
    ],
)
def test_html_cases(html, expected):
    assert html_to_text(html) == expected


def test_broken_html_is_repaired_not_rejected():
    text = html_to_text("<div><p>unclosed <b>bold<li>item1<li>item2</div>tail</span></p></i>")
    assert text == "unclosed bold\n\n- item1\n- item2\n\ntail"


def test_deeply_nested_html_does_not_recurse():
    html = "<div>" * 5_000 + "deep" + "</div>" * 5_000  # deeper than the recursion limit
    assert html_to_text(html) == "deep"


def test_surrogates_and_control_characters_are_removed():
    text = html_to_text("<p>bad \udcff byte \x00 and \x07 bell</p>")
    assert text is not None
    assert "\x00" not in text and "\x07" not in text
    text.encode("utf-8")  # encodable, no lone surrogates left


def test_non_string_input_is_stringified():
    assert html_to_text(12345) == "12345"  # type: ignore[arg-type]


def test_one_megabyte_description_is_converted_quickly():
    block = "<p>" + "Data engineering with Spark &amp; Kafka. " * 20 + "</p><ul><li>item</li></ul>"
    html = block * (1_000_000 // len(block) + 1)
    assert len(html) >= 1_000_000
    started = time.perf_counter()
    text = html_to_text(html)
    elapsed = time.perf_counter() - started
    assert text is not None and "&amp;" not in text and text.count("- item") > 500
    assert elapsed < 2.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Great role &amp; team. Show more Show less", "Great role & team."),
        ("  spaced \n\t text  ", "spaced text"),
        ("Show more", None),
        ("nothing to change", "nothing to change"),
        ("caf&#xE9; &#x2019;", "caf\u00e9 \u2019"),
        ("bad \udcff byte", "bad ? byte"),
        ("", None),
        (None, None),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == expected
