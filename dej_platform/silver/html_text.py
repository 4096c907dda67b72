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
