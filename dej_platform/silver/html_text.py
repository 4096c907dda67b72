"""HTML job descriptions to plain text that keeps their structure.

The seed replaced every tag with a space, which left entities (``&#x2019;``), the LinkedIn "Show more / Show less"
button text and one long line per posting; the LLM passes then could not tell a requirements list from the
company blurb. Here paragraphs and headings become their own lines, list items become ``- item`` lines, ``<br>``
is a line break and blocks are separated by one blank line. Parsing uses lexbor (selectolax), which decodes
entities (including the Windows-1252 numeric references such as ``&#x85;``) and repairs broken markup.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import polars as pl
from selectolax.lexbor import LexborHTMLParser

# Elements that start and end a paragraph-like block.
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "table",
        "blockquote",
        "pre",
        "figure",
        "form",
        "fieldset",
        "address",
        "details",
        "summary",
        "hr",
        "center",
    }
)
# Elements that start a new line but not a new block.
_LINE_TAGS = frozenset({"tr", "dt", "dd", "caption"})
# Elements whose content is never text for a reader.
_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "button",
        "icon",
        "svg",
        "iframe",
        "object",
        "embed",
        "select",
        "input",
        "img",
        "video",
        "audio",
        "canvas",
        "-comment",
    }
)
_SKIP_TAG_LIST = sorted(_SKIP_TAGS - {"-comment"})
_CELL_TAGS = frozenset({"td", "th"})

# Structural line breaks are emitted as U+E000 (a private-use character, not whitespace): a newline inside a text node is only
# whitespace in HTML, so it must not become a line of its own. U+E000 is removed from the input first.
_LINE_MARK = "\ue000"
_BLOCK_BREAK = "\ue000\ue000"
_LINE_BREAK = "\ue000"
# Literal prefixes ("  ", U+E000 x3, U+E000 "- ") let the regex engine skip ahead at memchr speed.
_SPACE_RUNS = re.compile("  +")
_MARK_RUNS = re.compile("\ue000\ue000\ue000+")
_EMPTY_ITEMS = re.compile("\ue000- ?(?=\ue000|$)")
_INVISIBLE = ("\u200b", "\ufeff", "\u2060")
_SHOW_MORE_WORDS = ("show more", "show less")
_MAX_CLIMB = 64
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_BLANK_RUN = 1


def _safe_unicode(value: str) -> str:
    """Replace lone surrogates (invalid UTF-8 decoded with surrogateescape) so the C parser can encode the input."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _needs_whitespace_fix(text: str) -> bool:
    """Cheap substring probes (memchr speed): most text nodes need no whitespace work at all."""
    return (
        "  " in text
        or "\n" in text
        or "\t" in text
        or "\r" in text
        or "\xa0" in text
        or "\f" in text
        or "\v" in text
        or not text.isascii()
    )


def _one_space(text: str) -> str:
    """Collapse whitespace runs (incl. newlines and no-break spaces) to one space, keeping edge spaces."""
    core = " ".join(text.split())
    if not core:
        return " "
    if text[0].isspace():
        core = " " + core
    if text[-1].isspace():
        core += " "
    return core


def _collect_text(root: Any) -> str:
    """One pre-order pass over the tree (lexbor's C traversal, no Python recursion).

    A pre-order walk has no closing events, so when a block opens we remember the node that will follow its
    subtree (its next sibling, or the next sibling of the nearest ancestor that has one) and emit the block
    break when the walk reaches that node. Spaces touching a line break are trimmed here, per node, so the
    joined text needs only cheap literal replacements afterwards.
    """
    out: list[str] = []
    append = out.append
    block_ends: set[int] = set()
    at_line_start = True

    def mark(value: str) -> None:
        nonlocal at_line_start
        if out and out[-1].endswith(" "):
            out[-1] = out[-1].rstrip(" ")
        append(value)
        at_line_start = True

    for node in root.traverse(include_text=True):
        if block_ends and node.mem_id in block_ends:
            mark(_BLOCK_BREAK)
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if not text:
                continue
            if _needs_whitespace_fix(text):
                text = _one_space(text)
            if at_line_start:
                text = text.lstrip(" ")
                if not text:
                    continue
                at_line_start = False
            append(text)
        elif tag == "br":
            mark(_LINE_BREAK)
        elif tag == "li":
            mark(_LINE_BREAK)
            append("- ")
        elif tag in _BLOCK_TAGS:
            mark(_BLOCK_BREAK)
            # Bounded climb: pathological nesting (thousands of last-children) would make this quadratic.
            following = node
            for _ in range(_MAX_CLIMB):
                if following is None or following.next is not None:
                    break
                following = following.parent
            if following is not None and following.next is not None:
                block_ends.add(following.next.mem_id)
        elif tag in _LINE_TAGS:
            mark(_LINE_BREAK)
        elif tag in _CELL_TAGS and not at_line_start:
            append(" ")
    return "".join(out)


def _tidy_lines(raw: str) -> str:
    """Drop empty list items, collapse spaces between inline nodes, keep at most one blank line between blocks."""
    if "  " in raw:
        raw = _SPACE_RUNS.sub(" ", raw)
    if _LINE_MARK not in raw:
        return raw.strip()
    if _LINE_MARK + "-" + _LINE_MARK in raw or raw.endswith((_LINE_MARK + "- ", _LINE_MARK + "-")):
        raw = _EMPTY_ITEMS.sub("", raw)
    if _LINE_MARK * 3 in raw:
        raw = _MARK_RUNS.sub(_BLOCK_BREAK, raw)
    return raw.strip(_LINE_MARK + " ").replace(_LINE_MARK, "\n")


def _drop_show_more_tail(text: str) -> str:
    """Remove trailing LinkedIn button words ("Show more Show less") without a regex scan of the whole text."""
    while True:
        stripped = text.rstrip()
        lowered_tail = stripped[-9:].lower()
        for word in _SHOW_MORE_WORDS:
            if lowered_tail == word and (len(stripped) == 9 or not stripped[-10].isalnum()):
                text = stripped[:-9]
                break
        else:
            return stripped


def _drop_invisible(text: str) -> str:
    for char in _INVISIBLE:
        if char in text:
            text = text.replace(char, "")
    return text


def html_to_text(html: str | None) -> str | None:
    """Readable text of an HTML description; None for None/empty input or when nothing readable remains."""
    if html is None:
        return None
    if not isinstance(html, str):
        html = str(html)
    if not html.strip():
        return None
    html = _safe_unicode(html)
    if "\x00" in html:
        html = html.replace("\x00", "")
    if _LINE_MARK in html:
        html = html.replace(_LINE_MARK, " ")
    tree = LexborHTMLParser(html)
    # LinkedIn's Show more/less buttons are <button> elements: their text is skipped with the other _SKIP_TAGS.
    tree.strip_tags(_SKIP_TAG_LIST)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return None
    text = _tidy_lines(_drop_invisible(_collect_text(root)))
    if _CONTROL_CHARS.search(text):
        text = _CONTROL_CHARS.sub("", text)
    text = _drop_show_more_tail(text).strip()
    return text or None


def clean_text(text: str | None) -> str | None:
    """Clean a plain-text field (job_summary, titles): decode entities, drop the Show more/less tail, one-space text."""
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    text = _safe_unicode(text)
    if "&" in text:
        text = html_lib.unescape(text)
    if _CONTROL_CHARS.search(text):
        text = _CONTROL_CHARS.sub(" ", text)
    text = _drop_show_more_tail(" ".join(_drop_invisible(text).split()))
    return text or None


# ================================================================================================ batch path
# `html_to_text_batch` gives exactly `html_to_text` per row, mostly with vectorized polars (Rust regex) passes.
# The per-record function walks lexbor's DOM; the batch path replays the same walk on the token stream, which
# is exact for a well-understood subset of HTML: whitelisted tags, properly nested (checked by a small tree-
# builder simulation over each distinct tag sequence), no tables/pre/forms/foreign content, no control or
# zero-width characters. Every other row (broken nesting, unknown tags, scripts with comments, ...) goes through
# `html_to_text` itself, so both paths agree by construction. Token stream markers (private-use characters;
# rows already containing U+E000..U+E003 take the per-record path):
#   U+E000 line mark (as in `_collect_text`), U+E001 text-node boundary, U+E002 a list item's "- " prefix.
_B = "\ue001"
_L = "\ue002"
_HTML_WS = "[\\t\\n\\x0c\\r ]"  # whitespace inside tags (HTML's, not Unicode's)
# Unicode White_Space (Rust's \\s) is str.isspace() minus U+001C..U+001F, which send a row to the per-record
# path; single spaces are left alone (most of the text).
_WS_TO_COLLAPSE = "(?:[\\s&&[^ ]]|  )\\s*"
_BLOCK_NAMES = [
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "address",
    "center",
]
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u"}
)
_INLINE_NAMES = frozenset(
    _FORMATTING
    | set(
        [
            "span",
            "sub",
            "sup",
            "mark",
            "abbr",
            "cite",
            "q",
            "ins",
            "del",
            "label",
            "time",
            "dfn",
            "kbd",
            "samp",
            "var",
            "bdi",
            "bdo",
            "data",
        ]
    )
)
_VOID_NAMES = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})
_SPECIAL_STOP = frozenset(_BLOCK_NAMES) - {"div", "address", "p"}


def _names(names: object) -> str:
    return "|".join(sorted(names, key=len, reverse=True))  # type: ignore[call-overload]


_ATTRS = f"(?:[\\t\\n\\x0c\\r /](?:[^>\"'=]|={_HTML_WS}*\"[^\"]*\"|={_HTML_WS}*'[^']*'|=)*)?>"
_END_ATTRS = "(?:[\\t\\n\\x0c\\r /][^>]*)?>"
# Removed with their content, in one left-to-right pass (the tokenizer's order): scripts, styles, comments,
# LinkedIn's Show more/less buttons (text, comments and icons inside only), icons.
_SKIPPED_BLOCKS = (
    f"(?s:(?i-u:<script){_END_ATTRS}.*?(?i-u:</script){_END_ATTRS}"
    f"|(?i-u:<style){_END_ATTRS}.*?(?i-u:</style){_END_ATTRS}"
    "|<!--.*?-->"
    f"|(?i-u:<button){_END_ATTRS}(?:[^<]|<!--.*?-->|(?i-u:</?(?:icon|span)){_END_ATTRS})*?"
    f"(?i-u:</button){_END_ATTRS}"
    f"|(?i-u:<icon){_END_ATTRS}[^<]*(?i-u:</icon){_END_ATTRS})"
)
_TAG = f"(?i-u:</?[a-z][a-z0-9]*){_ATTRS}"
_BLOCK_TAG = f"(?i-u:</?(?:{_names(_BLOCK_NAMES)})|<hr){_ATTRS}"
_BR_TAG = f"(?i-u:</?br){_ATTRS}"
_LI_OPEN = f"(?i-u:<li){_ATTRS}"
_PLAIN_TAG = f"(?i-u:</li|</?(?:{_names(_INLINE_NAMES)})|<(?:img|input|meta|link|wbr)){_ATTRS}"
_LEFTOVER_MARKUP = "<[a-zA-Z/!?]"
# Rows the batch path does not replay: control, zero-width and marker characters; comment forms the simple
# comment regex does not model; scripts together with comments (script data escapes).
_RAW_FALLBACK = (
    "[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f\\x{e000}-\\x{e003}\\x{200b}\\x{feff}\\x{2060}]|--!>|<!---?>"
    "|(?i-u:<script)|=[\\t\\n\\x0c\\r ]*\"[^\"]*<|=[\\t\\n\\x0c\\r ]*'[^']*<"
)
_ENTITY = "&(?:#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[a-zA-Z][a-zA-Z0-9]*;?)"
_ENTITY_CACHE: dict[str, str] = {}
_UNSAFE_DECODED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ue000-\ue003\u200b\ufeff\u2060]")
_TAIL_CANDIDATE = "(?i)(?:more|less)\\s*$"


def _decode_entity(lexeme: str) -> str:
    """An entity lexeme decoded the way lexbor decodes it in text (the per-record path's parser)."""
    decoded = _ENTITY_CACHE.get(lexeme)
    if decoded is None:
        node = LexborHTMLParser("<p>" + lexeme + "</p>").css_first("p")
        decoded = node.text(deep=True) if node is not None else lexeme
        _ENTITY_CACHE[lexeme] = decoded
    return decoded


def _simple_structure(sequence: str) -> bool:
    """Does this tag sequence build the tree its tokens suggest (no implied closes that move text)?

    A tiny replay of the HTML tree builder for the whitelisted tags; anything it does not model returns False
    and the row takes the per-record path.
    """
    stack: list[str] = []
    for token in sequence.split():
        if token == "l":
            if not _simple_structure_step(stack, "li", False):
                return False
            token = "/li"
        elif token == "P":
            if not _simple_structure_step(stack, "p", False):
                return False
            token = "/p"
        closing = token[0] == "/"
        if not _simple_structure_step(stack, token[1:] if closing else token, closing):
            return False
    return True


def _simple_structure_step(stack: list[str], name: str, closing: bool) -> bool:
    """One token of `_simple_structure`; False when the tree builder would do something not modelled."""
    if not closing:
        if name in _VOID_NAMES and name != "hr":
            return True
        if name in _BLOCK_NAMES or name == "hr":
            if "p" in stack:
                if stack[-1] != "p":
                    return False
                stack.pop()
            if name in _HEADINGS and any(node in _HEADINGS for node in stack):
                return False
            if name != "hr":
                stack.append(name)
        elif name == "li":
            if "p" in stack:
                return False
            for depth in range(len(stack) - 1, -1, -1):
                node = stack[depth]
                if node == "li":
                    if depth != len(stack) - 1:
                        return False
                    stack.pop()
                    break
                if node in _SPECIAL_STOP:
                    break
            stack.append("li")
        elif name in _INLINE_NAMES:
            if name == "a" and "a" in stack:
                return False
            stack.append(name)
        else:
            return False
    elif name == "br":
        return True
    elif name == "p":
        if stack and stack[-1] == "p":
            stack.pop()
        elif "p" in stack:
            return False
    elif name == "li" or name in _INLINE_NAMES:
        if not stack or stack[-1] != name:
            return False
        stack.pop()
    elif name in _BLOCK_NAMES:
        while stack and stack[-1] in ("p", "li"):
            stack.pop()
        if not stack or stack[-1] != name:
            return False
        stack.pop()
    else:
        return False
    return len(stack) <= 40


def _literal_tags() -> dict[str, str]:
    """Attribute-less tags as literals: one Aho-Corasick pass handles most markup before the regex passes."""
    table: dict[str, str] = {}
    for name in _BLOCK_NAMES:
        table[f"<{name}>"] = _BLOCK_BREAK
        table[f"</{name}>"] = _BLOCK_BREAK
    for name in _INLINE_NAMES:
        table[f"<{name}>"] = _B
        table[f"</{name}>"] = _B
    table.update({"<li>": _LINE_MARK + _L, "</li>": _B, "<hr>": _BLOCK_BREAK, "<wbr>": _B})
    table.update({"<br>": _LINE_MARK, "<br/>": _LINE_MARK, "<br />": _LINE_MARK, "</br>": _LINE_MARK})
    return table


_LITERAL_TAGS = _literal_tags()
_COMPACT_VOIDS = " (?:/?br|img|input|meta|link|wbr)\\b"
_COMPACT_PAIRS = " (?:" + "|".join(f"{n} /{n}" for n in sorted(_INLINE_NAMES, key=len, reverse=True)) + ")\\b"


def _tag_sequence(cleaned: pl.Expr) -> pl.Expr:
    """Lower-cased tag names in order, compacted: void tags dropped, empty inline pairs dropped, text-only
    <li>/<p> as one token ("l"/"P"), repeats collapsed, so that few distinct sequences need replaying."""
    joined = pl.concat_str(
        pl.lit(" "),
        cleaned.str.extract_all("(?i-u)</?[a-z][a-z0-9]*").list.join(" ").str.slice(0),
        pl.lit(" "),
    )
    return (
        joined.str.replace_all("<", "", literal=True)
        .str.to_lowercase()
        .str.replace_all(_COMPACT_VOIDS, "")
        .str.replace_all(_COMPACT_PAIRS, "")
        .str.replace_all(_COMPACT_PAIRS, "")
        .str.replace_all(" li /li\\b", " l")
        .str.replace_all(" p /p\\b", " P")
        .str.replace_all("(?: l)+\\b", " l")
        .str.replace_all("(?: P)+\\b", " P")
    )


def _token_stream(cleaned: pl.Expr) -> pl.Expr:
    """Markup to the marker stream: blocks -> two line marks, <br> -> one, <li> -> mark + "- ", other tags
    and removed elements -> a text-node boundary."""
    return (
        cleaned.str.replace_many(list(_LITERAL_TAGS), list(_LITERAL_TAGS.values()))
        .str.replace_all(_BLOCK_TAG, _BLOCK_BREAK)
        .str.replace_all(_BR_TAG, _LINE_MARK)
        .str.replace_all(_LI_OPEN, _LINE_MARK + _L)
        .str.replace_all(_PLAIN_TAG, _B)
    )


def _replay_text(stream: pl.Expr) -> pl.Expr:
    """`_collect_text` + `_tidy_lines` on decoded marker streams: pieces one-spaced, spaces trimmed after a
    line mark (the walk's lstrip) and from the last piece before one (its rstrip), empty items dropped."""
    m = _LINE_MARK
    return (
        stream.str.replace_all(_WS_TO_COLLAPSE, " ")
        .str.replace_all(f"(^|[{m}{_L}])[ {_B}]+", "${1}")
        .str.replace_all(f" ({_B}*{m})", "${1}")
        .str.replace_all(f"{_L}({_B}*{m})", "-${1}")
        .str.replace_all(_L, "- ", literal=True)
        .str.replace_all(_B, "", literal=True)
        .str.replace_all("  +", " ")
        .str.replace_all(f"(?:{m}- ?)+({m}|$)", "${1}")
        .str.replace_all(f"{m}{m}{m}+", m + m)
        .str.replace_all(f"^[{m} ]+|[{m} ]+$", "")
        .str.replace_all(m, "\n", literal=True)
    )


def html_to_text_batch(html: pl.Series) -> pl.Series:
    """`html_to_text` for a whole column (String), row for row identical; nulls and blank rows give null.

    Vectorized passes run on polars' streaming engine (all cores); rows outside the replayable subset, and
    rows ending in a possible "Show more/less", are finished by the per-record code.
    """
    if html.dtype != pl.String:
        html = html.cast(pl.String)
    name = html.name
    cleaned = pl.col("html").str.replace_all(_SKIPPED_BLOCKS, _B)
    staged = (
        pl.DataFrame({"html": html})
        .lazy()
        .select(
            pl.col("html"),
            _token_stream(cleaned).alias("stream"),
            pl.col("html").str.contains(_RAW_FALLBACK).fill_null(False).alias("raw_fallback"),
            _tag_sequence(cleaned).alias("tags"),
        )
        .with_columns(
            pl.col("stream").str.contains(_LEFTOVER_MARKUP).fill_null(False).alias("leftover"),
            pl.col("stream").str.extract_all(_ENTITY).alias("entities"),
        )
        .collect(engine="streaming")
    )
    entities = staged["entities"].explode().drop_nulls().unique().to_list()
    decoded = [_decode_entity(lexeme) for lexeme in entities]
    unsafe = [lexeme for lexeme, text in zip(entities, decoded, strict=True) if _UNSAFE_DECODED.search(text)]
    structure_ok = {seq: _simple_structure(seq) for seq in staged["tags"].drop_nulls().unique().to_list()}
    stream = pl.col("stream")
    if entities:
        order = sorted(range(len(entities)), key=lambda i: len(entities[i]), reverse=True)
        stream = stream.str.replace_many(
            [entities[i] for i in order], [decoded[i] for i in order], leftmost=True
        )
    fallback = (
        pl.col("raw_fallback")
        | pl.col("leftover")
        | ~pl.col("tags").replace_strict(structure_ok, default=True, return_dtype=pl.Boolean).fill_null(True)
    )
    if unsafe:
        fallback = fallback | pl.col("stream").str.contains_any(unsafe).fill_null(False)
    result = (
        staged.lazy()
        .select(pl.col("html"), _replay_text(stream).alias("text"), fallback.alias("fallback"))
        .with_columns(
            (pl.col("fallback") | pl.col("text").str.contains(_TAIL_CANDIDATE).fill_null(False)).alias(
                "python"
            )
        )
        .collect(engine="streaming")
    )
    texts = result["text"]
    rows = result["python"].arg_true().to_list()
    if rows:
        values = texts.to_list()
        htmls = result["html"]
        fallback_flags = result["fallback"]
        for row in rows:
            if fallback_flags[row]:
                values[row] = html_to_text(htmls[row])
            else:
                values[row] = _drop_show_more_tail(values[row]).strip() or None
        texts = pl.Series(values, dtype=pl.String)
    return texts.set(texts.str.len_bytes() == 0, None).alias(name)


_SHOW_WORD = "[sS][hH][oO][wW] (?:[mM][oO][rR][eE]|[lL][eE][sS][sS])"
_SPACED_SHOW_TAIL = f"(?:^| ){_SHOW_WORD}(?: {_SHOW_WORD})*$"
# html.unescape only touches "&" followed by something other than whitespace, "<", "&" or ";".
_CLEAN_TEXT_PYTHON_CHARS = (
    "&[^\\t\\n\\x0c <&;]|[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f\\x85\\xa0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000"
    "\\ufeff\\u2060]"
)


def clean_text_batch(text: pl.Series) -> pl.Series:
    """`clean_text` for a whole column (job_summary), row for row identical.

    Rows without an entity-like "&", control characters, non-ASCII whitespace (str.split's) or zero-width characters are
    whitespace-folded and lose a space-separated "Show more/less" tail in vectorized passes (ASCII letters only,
    as ``str.lower`` compares them); rows that still end in "more"/"less" and the others go through `clean_text`.
    """
    if text.dtype != pl.String:
        text = text.cast(pl.String)
    name = text.name
    staged = (
        pl.DataFrame({"text": text})
        .lazy()
        .with_columns(
            pl.col("text")
            .str.replace_all("[\\t\\n\\x0c\\r ]{2,}|[\\t\\n\\x0c\\r]", " ")
            .str.strip_chars(" ")
            .str.replace(_SPACED_SHOW_TAIL, "")
            .alias("cleaned")
        )
        .select(
            "text",
            "cleaned",
            (
                pl.col("text").str.contains(_CLEAN_TEXT_PYTHON_CHARS)
                | pl.col("cleaned").str.contains(_TAIL_CANDIDATE)
            )
            .fill_null(False)
            .alias("python"),
        )
        .collect(engine="streaming")
    )
    cleaned = staged["cleaned"]
    rows = staged["python"].arg_true()
    if len(rows):
        values = cleaned.to_list()
        for row, value in zip(rows.to_list(), staged["text"].gather(rows).to_list(), strict=True):
            values[row] = clean_text(value)
        cleaned = pl.Series(values, dtype=pl.String)
    return cleaned.set(cleaned.str.len_bytes() == 0, None).alias(name)
