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
from html.entities import html5 as _HTML5_ENTITIES
from typing import Any

import numba
import numpy as np
import polars as pl
import pyarrow as pa
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic
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
# `html_to_text_batch` gives exactly `html_to_text` per row. One numba pass over the UTF-8 bytes of the whole
# column replays `_collect_text` + `_tidy_lines` + `_drop_show_more_tail` for the HTML subset whose lexbor tree is
# the one its tokens suggest: whitelisted tags, properly nested (a small replay of the tree builder checks every
# tag), comments, LinkedIn's Show more/less buttons and icons. Anything else (scripts, styles, tables, broken
# nesting, unknown tags or entities that decode to control/zero-width characters, control characters, markup
# the kernel does not model) makes the kernel give up on that row, and `html_to_text` itself converts it, so both
# paths agree by construction. Structural line marks are written as "\n" directly: text nodes never keep one
# (every whitespace run becomes one space). `clean_text_batch` is the same idea for plain text (`_clean_kernel`).

# Tag categories of the kernel; a name not in `_KERNEL_TAGS` is category 0 (give up on the row).
_CAT_BLOCK, _CAT_HR, _CAT_BR, _CAT_LI, _CAT_INLINE, _CAT_STRIPPED, _CAT_WBR, _CAT_BUTTON, _CAT_ICON = range(
    1, 10
)
# Blocks the kernel models; tables, lists of definitions, forms, <pre>, <details> are left to lexbor, and <hr> has
# its own category.
_KERNEL_BLOCKS = _BLOCK_TAGS - {"dl", "table", "pre", "form", "fieldset", "details", "summary", "hr"}
_KERNEL_INLINE = (
    "a",
    "b",
    "big",
    "code",
    "em",
    "font",
    "i",
    "s",
    "small",
    "strike",
    "strong",
    "tt",
    "u",
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
)
_KERNEL_TAGS: dict[str, int] = {
    **dict.fromkeys(_KERNEL_BLOCKS, _CAT_BLOCK),
    **dict.fromkeys(_KERNEL_INLINE, _CAT_INLINE),
    **dict.fromkeys(("img", "input", "meta", "link"), _CAT_STRIPPED),
    "hr": _CAT_HR,
    "br": _CAT_BR,
    "li": _CAT_LI,
    "wbr": _CAT_WBR,
    "button": _CAT_BUTTON,
    "icon": _CAT_ICON,
}
_MAX_DEPTH = 40  # deeper rows take the per-record path (as lexbor's nesting limits are not modelled)
# Row status written by the kernel.
_OK, _NULL, _FALLBACK, _PY_TAIL = 0, 1, 2, 3


def _name_code(name: str) -> int:
    """Base-37 code of a lower-case ASCII tag name (letters 1-26, digits 27-36), as the kernel computes it."""
    code = 0
    for char in name:
        code = code * 37 + (ord(char) - 96 if char.isalpha() else ord(char) - 48 + 27)
    return code


def _tag_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Name codes in an open-addressing table (slot -> code, slot -> tag id) and per-id category / heading /
    list-item-scope-stop flags: a hash probe, not a binary search, as tags are frequent."""
    names = sorted(_KERNEL_TAGS)
    slot_codes = np.full(_TAG_SLOTS, -1, dtype=np.int64)
    slot_ids = np.zeros(_TAG_SLOTS, dtype=np.int64)
    category = np.zeros(len(names) + 1, dtype=np.int64)
    heading = np.zeros(len(names) + 1, dtype=np.bool_)
    stop = np.zeros(len(names) + 1, dtype=np.bool_)
    for tag_id, name in enumerate(names, start=1):
        slot = _tag_slot(_name_code(name))
        while slot_codes[slot] >= 0:
            slot = (slot + 1) & (_TAG_SLOTS - 1)
        slot_codes[slot] = _name_code(name)
        slot_ids[slot] = tag_id
        category[tag_id] = _KERNEL_TAGS[name]
        heading[tag_id] = name in _HEADINGS
        stop[tag_id] = _KERNEL_TAGS[name] == _CAT_BLOCK and name not in ("div", "address", "p")
    return slot_codes, slot_ids, category, heading, stop


_TAG_SLOTS = 512


@numba.njit(cache=True, nogil=True)
def _tag_slot(code: int) -> int:
    """Multiplicative hash of a name code into the tag table."""
    return ((code * 0x9E3779B1) >> 20) & (_TAG_SLOTS - 1)


@numba.njit(cache=True, nogil=True)
def _tag_id(code: int) -> int:
    """Tag id of a name code, 0 for names the kernel does not model (the table is a compile-time constant)."""
    slot = _tag_slot(code)
    while True:
        found = _TAG_CODES[slot]
        if found == code:
            return _TAG_IDS[slot]
        if found < 0:
            return 0
        slot = (slot + 1) & (_TAG_SLOTS - 1)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TAG_CODES, _TAG_IDS, _TAG_CATEGORY, _TAG_HEADING, _TAG_STOP = _tag_tables()
_ID_P, _ID_LI, _ID_A = (int(_tag_id(_name_code(name))) for name in ("p", "li", "a"))
_CODE_BUTTON = _name_code("button")
_CODE_ICON = _name_code("icon")
_CODE_SPAN = _name_code("span")


def _entity_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """HTML5 named references (with and without ";") in an open-addressing hash table keyed by FNV-1a."""
    keys = [name.encode("ascii") for name in _HTML5_ENTITIES]
    values = list(_HTML5_ENTITIES.values())
    size = 1 << (len(keys) * 4).bit_length()
    slots = np.full(size, -1, dtype=np.int64)
    key_offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    value_offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    key_bytes = bytearray()
    value_points: list[int] = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        key_bytes += key
        value_points.extend(map(ord, value))
        key_offsets[index + 1] = len(key_bytes)
        value_offsets[index + 1] = len(value_points)
        slot = _fnv1a(np.frombuffer(key, dtype=np.uint8), 0, len(key)) & (size - 1)
        while slots[slot] >= 0:
            slot = (slot + 1) & (size - 1)
        slots[slot] = index
    return (
        slots,
        key_offsets,
        np.frombuffer(bytes(key_bytes), dtype=np.uint8).copy(),
        value_offsets,
        np.array(value_points, dtype=np.int64),
        max(map(len, keys)),
    )


@numba.njit(cache=True, nogil=True, inline="always")
def _fnv1a(data: np.ndarray, start: int, end: int) -> int:
    """64-bit FNV-1a of data[start:end], folded to a non-negative int64."""
    value = np.uint64(14695981039346656037)
    for index in range(start, end):
        value = (value ^ np.uint64(data[index])) * np.uint64(1099511628211)
    return np.int64(value >> np.uint64(1))  # type: ignore[return-value]  # an int64 inside numba


_ENT_SLOTS, _ENT_KEY_OFFSETS, _ENT_KEYS, _ENT_VALUE_OFFSETS, _ENT_VALUES, _ENT_MAX_LEN = _entity_tables()


def _win1252() -> np.ndarray:
    """HTML's meaning of numeric references 0x80-0x9F: Windows-1252, 0 where it has none (kept as C1)."""
    table = np.zeros(32, dtype=np.int64)
    for offset in range(32):
        try:
            table[offset] = ord(bytes([0x80 + offset]).decode("cp1252"))
        except UnicodeDecodeError:
            continue
    return table


_WIN1252 = _win1252()


@numba.njit(cache=True, nogil=True)
def _entity_index(
    data: np.ndarray, start: int, end: int, slots: np.ndarray, key_offsets: np.ndarray, keys: np.ndarray
) -> int:
    """Index of the named reference spelled by data[start:end], or -1."""
    mask = len(slots) - 1
    slot = _fnv1a(data, start, end) & mask
    length = end - start
    while True:
        index = slots[slot]
        if index < 0:
            return -1
        key_start = key_offsets[index]
        if key_offsets[index + 1] - key_start == length:
            same = True
            for offset in range(length):
                if keys[key_start + offset] != data[start + offset]:
                    same = False
                    break
            if same:
                return index
        slot = (slot + 1) & mask


@numba.njit(cache=True, nogil=True)
def _is_space_point(point: int) -> bool:
    """str.isspace() for the code points that can reach text (U+001C..U+001F and U+000B send the row back)."""
    if point < 0x80:
        return point == 32 or point == 9 or point == 10 or point == 12 or point == 13
    if point < 0x2000:
        return point == 0x85 or point == 0xA0 or point == 0x1680
    if point <= 0x200A:
        return True
    return point == 0x2028 or point == 0x2029 or point == 0x202F or point == 0x205F or point == 0x3000


@numba.njit(cache=True, nogil=True)
def _is_alnum(byte: int) -> bool:
    return (48 <= byte <= 57) or (65 <= byte <= 90) or (97 <= byte <= 122)


@numba.njit(cache=True, nogil=True)
def _is_tag_space(byte: int) -> bool:
    return byte == 32 or byte == 9 or byte == 10 or byte == 12 or byte == 13


@numba.njit(cache=True, nogil=True)
def _is_control(byte: int) -> bool:
    """Raw control characters: the per-record path drops NUL (which can join markup) and the others."""
    return (byte < 32 and not (byte == 9 or byte == 10 or byte == 12 or byte == 13)) or byte == 127


@numba.njit(cache=True, nogil=True, inline="always")
def _tag_name(data: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """(base-37 code, index after the name) of an ASCII tag name at data[start]; code -1 when it is not a
    plain [a-z][a-z0-9]* name ending at whitespace, "/" or ">" (or is longer than the codes hold)."""
    code = 0
    index = start
    while index < end and _is_alnum(data[index]):
        byte = data[index] | 32 if data[index] >= 65 else data[index]
        if index - start >= 12:
            return -1, index
        code = code * 37 + (byte - 96 if byte >= 97 else byte - 48 + 27)
        index += 1
    if index >= end:
        return -1, index
    after = data[index]
    if not (_is_tag_space(after) or after == 47 or after == 62):
        return -1, index
    return code, index


def _attr_stop() -> np.ndarray:
    """Per byte inside tags: 2 gives up (controls; 0xEE leads U+E000..U+EFFF, which the per-record path rewrites
    to a space), 1 for quotes and "<", 0 for the rest."""
    table = np.zeros(256, dtype=np.uint8)
    table[[34, 39, 60]] = 1
    table[[*range(9), 11, *range(14, 32), 127, 0xEE]] = 2
    return table


_ATTR_STOP = _attr_stop()


@numba.njit(cache=True, nogil=True, inline="always")
def _tag_end(data: np.ndarray, index: int, end: int) -> int:
    """Index after the ">" closing a tag whose name ends at `index` (lexbor's attribute states), or -1 for
    anything the states would treat as a parse error (quotes or "<" in names and unquoted values, EOF, NUL)."""
    if index < end and data[index] == 62:
        return index + 1
    state = 0  # 0 before name, 1 name, 2 after name, 3 before value, 4 "..." value, 5 '...' value, 6 after
    # quoted value, 7 unquoted value
    while index < end:
        byte = data[index]
        index += 1
        if state == 4 or state == 5:
            quote = 34 if state == 4 else 39
            while byte != quote and _ATTR_STOP[byte] == 0 and index < end:  # the value's plain bytes
                byte = data[index]
                index += 1
            if byte == quote:
                state = 6
                continue
            if byte == 34 or byte == 39:  # the other quote
                continue
            return -1
        if _ATTR_STOP[byte] == 2:
            return -1
        if byte == 62:
            return index
        space = _is_tag_space(byte)
        if state == 0:
            if byte == 34 or byte == 39 or byte == 60 or byte == 61:
                return -1
            if not space and byte != 47:
                state = 1
        elif state == 1 or state == 2:
            if byte == 34 or byte == 39 or byte == 60:
                return -1
            if space:
                state = 2
            elif byte == 47:
                state = 0
            elif byte == 61:
                state = 3
            elif state == 2:
                state = 1
        elif state == 3:
            if byte == 34:
                state = 4
            elif byte == 39:
                state = 5
            elif not space:
                if byte == 60 or byte == 61 or byte == 96:
                    return -1
                state = 7
        elif state == 6:
            if space or byte == 47:
                state = 0
            else:
                return -1
        elif space:  # state 7
            state = 0
        elif byte == 34 or byte == 39 or byte == 60 or byte == 61 or byte == 96:
            return -1
    return -1


@numba.njit(cache=True, nogil=True)
def _comment_end(data: np.ndarray, index: int, end: int) -> int:
    """Index after the "-->" ending the comment whose "<!--" ends at `index`; -1 for the forms lexbor ends
    elsewhere ("<!-->", "<!--->", "--!>"), unclosed comments and control characters."""
    if index < end and data[index] == 62:
        return -1
    if index + 1 < end and data[index] == 45 and data[index + 1] == 62:
        return -1
    while index + 2 < end:
        byte = data[index]
        if _is_control(byte):
            return -1
        if byte == 45 and data[index + 1] == 45:
            if data[index + 2] == 62:
                return index + 3
            if data[index + 2] == 33 and index + 3 < end and data[index + 3] == 62:
                return -1
        index += 1
    return -1


@numba.njit(cache=True, nogil=True)
def _skipped_end(data: np.ndarray, index: int, end: int, button: bool) -> int:
    """Index after the "</button>" ("</icon>") ending a LinkedIn button (icon) whose start tag ends at `index`.
    Buttons may hold text, comments and icon/span tags, icons only text; anything else gives -1."""
    while index < end:
        byte = data[index]
        if _ATTR_STOP[byte] != 2 and byte != 60:
            index += 1
            continue
        if byte != 60:
            return -1
        if (
            button
            and index + 3 < end
            and data[index + 1] == 33
            and data[index + 2] == 45
            and data[index + 3] == 45
        ):
            index = _comment_end(data, index + 4, end)
            if index < 0:
                return -1
            continue
        closing = index + 1 < end and data[index + 1] == 47
        code, after = _tag_name(data, index + 2 if closing else index + 1, end)
        if code < 0:
            return -1
        tag_end = _tag_end(data, after, end)
        if tag_end < 0:
            return -1
        if closing and code == (_CODE_BUTTON if button else _CODE_ICON):
            return tag_end
        if not button or code not in (_CODE_ICON, _CODE_SPAN):
            return -1
        index = tag_end
    return -1


@numba.njit(cache=True, nogil=True, inline="always")
def _count(counts: np.ndarray, tag: int, heading: np.ndarray, step: int) -> None:
    """Open <p>, heading and <a> counts (the replay asks "is one open?" on every tag)."""
    if tag == _ID_P:
        counts[0] += step
    elif tag == _ID_A:
        counts[2] += step
    elif heading[tag]:
        counts[1] += step


@numba.njit(cache=True, nogil=True, inline="always")
def _structure_step(
    stack: np.ndarray,
    counts: np.ndarray,
    depth: int,
    tag: int,
    closing: bool,
    category: np.ndarray,
    heading: np.ndarray,
    stop: np.ndarray,
) -> tuple[int, bool]:
    """One tag through the tree-builder replay: (new depth, closed an open <p> implicitly); depth -1 when lexbor
    would do something not modelled (implied closes that move text, misnesting, unknown end tags)."""
    kind = category[tag]
    closed_p = False
    if not closing:
        if kind == _CAT_INLINE:
            if tag == _ID_A and counts[2] > 0:
                return -1, False
        elif kind in (_CAT_BR, _CAT_STRIPPED, _CAT_WBR):
            return depth, False
        elif kind in (_CAT_BLOCK, _CAT_HR):
            if counts[0] > 0:
                if stack[depth - 1] != _ID_P:
                    return -1, False
                depth -= 1
                counts[0] -= 1
                closed_p = True
            if heading[tag] and counts[1] > 0:
                return -1, False
            if kind == _CAT_HR:
                return depth, closed_p
        elif kind == _CAT_LI:
            if counts[0] > 0:
                return -1, False
            for level in range(depth - 1, -1, -1):
                node = stack[level]
                if node == _ID_LI:
                    if level != depth - 1:
                        return -1, False
                    depth -= 1
                    break
                if stop[node]:
                    break
        else:
            return -1, False
        if depth >= _MAX_DEPTH:
            return -1, False
        stack[depth] = tag
        _count(counts, tag, heading, 1)
        return depth + 1, closed_p
    if kind == _CAT_BR:
        return depth, False
    if tag == _ID_P:
        if depth > 0 and stack[depth - 1] == _ID_P:
            counts[0] -= 1
            return depth - 1, False
        if counts[0] > 0:
            return -1, False
        return depth, False
    if kind in (_CAT_LI, _CAT_INLINE):
        if depth == 0 or stack[depth - 1] != tag:
            return -1, False
        _count(counts, tag, heading, -1)
        return depth - 1, False
    if kind == _CAT_BLOCK:
        while depth > 0 and (stack[depth - 1] == _ID_P or stack[depth - 1] == _ID_LI):
            depth -= 1
            _count(counts, stack[depth], heading, -1)
        if depth == 0 or stack[depth - 1] != tag:
            return -1, False
        _count(counts, tag, heading, -1)
        return depth - 1, False
    return -1, False


@numba.njit(cache=True, nogil=True, inline="always")
def _mark(out: np.ndarray, o: int, row: int, last_piece: int, count: int) -> tuple[int, int, bool]:
    """`_collect_text.mark`: trim the last piece's trailing spaces, append `count` line marks (runs of three
    or more are already cut to two, as `_tidy_lines` would). Returns (o, new last piece, wrote "\\n-\\n")."""
    if last_piece >= 0:
        while o > last_piece and out[o - 1] == 32:
            o -= 1
    empty_item = o - 2 >= row and out[o - 1] == 45 and out[o - 2] == 10
    piece = o
    for _ in range(count):
        if not (o - 2 >= row and out[o - 1] == 10 and out[o - 2] == 10):
            out[o] = 10
            o += 1
    return o, piece, empty_item


@numba.njit(cache=True, nogil=True, inline="always")
def _put_point(out: np.ndarray, o: int, point: int) -> int:
    """UTF-8 of one code point."""
    if point < 0x80:
        out[o] = point
        return o + 1
    if point < 0x800:
        out[o] = 0xC0 | (point >> 6)
        out[o + 1] = 0x80 | (point & 0x3F)
        return o + 2
    if point < 0x10000:
        out[o] = 0xE0 | (point >> 12)
        out[o + 1] = 0x80 | ((point >> 6) & 0x3F)
        out[o + 2] = 0x80 | (point & 0x3F)
        return o + 3
    out[o] = 0xF0 | (point >> 18)
    out[o + 1] = 0x80 | ((point >> 12) & 0x3F)
    out[o + 2] = 0x80 | ((point >> 6) & 0x3F)
    out[o + 3] = 0x80 | (point & 0x3F)
    return o + 4


def _copy_bytes_typing(typingctx: Any, out: Any, o: Any, data: Any, index: Any, count: Any) -> Any:
    """_copy_bytes(out, o, data, index, count): out[o:o + count] = data[index:index + count] as one memmove (numba's
    slice copy goes byte by byte; the ranges may overlap). Adapted from `dej_platform.skills.scanner._copy_bytes`:
    numba's cache only tracks the kernel's own file, so each kernel module keeps its own helpers."""
    signature = types.void(out, o, data, index, count)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        target = context.make_array(sig.args[0])(context, builder, args[0])
        source = context.make_array(sig.args[2])(context, builder, args[2])
        cgutils.raw_memmove(
            builder, builder.gep(target.data, [args[1]]), builder.gep(source.data, [args[3]]), args[4], 1
        )
        return context.get_dummy_value()

    return signature, codegen


_copy_bytes: Any = intrinsic(_copy_bytes_typing)
_WINDOW = 32


@numba.njit(cache=True, nogil=True, inline="always")
def _plain_window(data: np.ndarray, index: int, space_before: bool) -> bool:
    """Can data[index:index + _WINDOW] be copied as it is, by both kernels? Only bytes their byte loops copy
    unchanged: no "<", "&", controls, whitespace but single spaces (none first when `space_before`), or lead
    bytes of characters that may be whitespace or removed. A branch-free OR over the window, which LLVM
    vectorizes; the byte loops stopped on a mispredicted branch at every space."""
    window = data[index : index + _WINDOW]
    bad = window[0] == 32 and space_before
    for offset in range(_WINDOW):
        byte = window[offset]
        bad |= (
            (byte < 32)
            | (byte == 38)
            | (byte == 60)
            | (byte == 127)
            | (byte == 0xC2)
            | ((byte >= 0xE1) & (byte <= 0xEF) & ((byte <= 0xE3) | (byte >= 0xEE)))
        )
    for offset in range(1, _WINDOW):
        bad |= (window[offset] == 32) & (window[offset - 1] == 32)
    return not bad


@numba.njit(cache=True, nogil=True, inline="always")
def _copy_plain_windows(
    data: np.ndarray, index: int, end: int, out: np.ndarray, o: int, space_before: bool
) -> tuple[int, int]:
    """Copy the whole `_plain_window`s of data[index:end] to out[o:] in one memmove; the new (index, o)."""
    run = index
    while run + _WINDOW <= end and _plain_window(data, run, space_before):
        run += _WINDOW
        space_before = data[run - 1] == 32
    if run > index:
        _copy_bytes(out, o, data, index, run - index)
    return run, o + run - index


_SHOW_MORE = np.frombuffer(b"show more", dtype=np.uint8)
_SHOW_LESS = np.frombuffer(b"show less", dtype=np.uint8)


@numba.njit(cache=True, nogil=True)
def _lower_tail_is(out: np.ndarray, end: int, word: np.ndarray) -> bool:
    """Do the bytes before `end` spell `word` in ASCII any case (str.lower; no other character lowers to
    these letters, so non-ASCII bytes never match)?"""
    start = end - len(word)
    for offset in range(len(word)):
        byte = out[start + offset]
        if 65 <= byte <= 90:
            byte |= 32
        if byte != word[offset]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _drop_tail(out: np.ndarray, start: int, o: int) -> tuple[int, int]:
    """`_drop_show_more_tail` on out[start:o] (spaces and line marks are its only whitespace): (new end,
    status); _PY_TAIL when a "Show more/less" follows a non-ASCII character (str.isalnum decides)."""
    while True:
        while o > start and (out[o - 1] == 10 or out[o - 1] == 32):
            o -= 1
        if o - start < 9:
            return o, _OK
        if not (_lower_tail_is(out, o, _SHOW_MORE) or _lower_tail_is(out, o, _SHOW_LESS)):
            return o, _OK
        if o - start > 9:
            before = out[o - 10]
            if before >= 0x80:
                return o, _PY_TAIL
            if _is_alnum(before):
                return o, _OK
        o -= 9


@numba.njit(cache=True, nogil=True)
def _finish_row(out: np.ndarray, row: int, o: int, empty_item: bool) -> tuple[int, int, int]:
    """`_tidy_lines` (what is left of it) + `_drop_show_more_tail` + strip on out[row:o]: returns (start, end,
    status); status _PY_TAIL when a "Show more/less" follows a non-ASCII character (str.isalnum decides)."""
    if o - row >= 2 and out[o - 1] == 45 and out[o - 2] == 10:
        empty_item = True
    if o - row >= 3 and out[o - 1] == 32 and out[o - 2] == 45 and out[o - 3] == 10:
        empty_item = True
    if empty_item:  # re.sub("\n- ?(?=\n|$)", "") then "\n\n\n+" -> "\n\n"
        read = row
        write = row
        while read < o:
            if out[read] == 10 and read + 1 < o and out[read + 1] == 45:
                after = read + 2
                if after < o and out[after] == 32:
                    if after + 1 == o or out[after + 1] == 10:
                        read = after + 1
                        continue
                elif after == o or out[after] == 10:
                    read = after
                    continue
            byte = out[read]
            read += 1
            if byte == 10 and write - row >= 2 and out[write - 1] == 10 and out[write - 2] == 10:
                continue
            out[write] = byte
            write += 1
        o = write
    start = row
    while start < o and (out[start] == 10 or out[start] == 32):
        start += 1
    o, status = _drop_tail(out, start, o)
    return start, o, status


def _text_class() -> np.ndarray:
    """Per byte: 0 copied as is (ASCII text, UTF-8 bytes of characters that are neither whitespace nor removed
    by the per-record path), 1 ASCII whitespace, 2 anything the text loop must look at ("<", "&", controls,
    lead bytes of U+0080..U+00BF, U+1000..U+3FFF and U+E000..U+FFFF)."""
    table = np.zeros(256, dtype=np.uint8)
    table[[9, 10, 12, 13, 32]] = 1
    table[[*range(9), 11, *range(14, 32), 127, 38, 60, 0xC2, 0xE1, 0xE2, 0xE3, 0xEE, 0xEF]] = 2
    return table


_TEXT_CLASS = _text_class()


@numba.njit(cache=True, nogil=True)
def _is_unsafe_decoded(point: int) -> bool:
    """Decoded references the batch path leaves to the per-record path: controls (C1 included), zero-width and
    the per-record path's private-use markers."""
    if point < 0x20:
        return not (point == 9 or point == 10 or point == 12 or point == 13)
    if 0x7F <= point <= 0x9F:
        return True
    return (0xE000 <= point <= 0xE003) or point == 0x200B or point == 0xFEFF or point == 0x2060


@numba.njit(cache=True, nogil=True)
def _convert_row(
    data: np.ndarray,
    start: int,
    end: int,
    out: np.ndarray,
    row: int,
    stack: np.ndarray,
    counts: np.ndarray,
    category: np.ndarray,
    heading: np.ndarray,
    stop: np.ndarray,
    ent_slots: np.ndarray,
    ent_key_offsets: np.ndarray,
    ent_keys: np.ndarray,
    ent_value_offsets: np.ndarray,
    ent_values: np.ndarray,
    ent_max_len: int,
) -> tuple[int, int]:
    """`html_to_text` of data[start:end] written at out[row:]; returns (end in out, status).

    The walk of `_collect_text` in token order: pieces are written as they come (a piece's leading space is
    dropped when the previous byte is one, which is `_tidy_lines`' "  +" collapse), `last_piece` is where
    `mark` may trim, and `pending` is a block end waiting for the next node of the tree (text, comment or
    element that lexbor keeps), as `block_ends` waits for the node after the block's subtree.
    """
    o = row
    last_piece = -1
    at_line_start = True
    pending = False
    in_text = False
    node_start = row
    node_line_start = True
    node_has = False
    empty_item = False
    depth = 0
    counts[:] = 0
    body_open = False  # a start tag other than <meta>/<link> (or written text) has created <body>
    index = start
    while index < end:
        if in_text and node_has:  # the bulk of the text: copy plain bytes, one space per whitespace run
            stopped = False
            while index < end and not stopped:
                index, o = _copy_plain_windows(data, index, end, out, o, out[o - 1] == 32)
                window_end = min(index + _WINDOW, end)
                while index < window_end:
                    byte = data[index]
                    byte_class = _TEXT_CLASS[byte]
                    if byte_class > 1:
                        stopped = True
                        break
                    # Branch-free: a whitespace byte writes a space that only counts after a non-space.
                    space = byte_class == 1
                    out[o] = 32 if space else byte
                    o += not (space and out[o - 1] == 32)
                    index += 1
            if index >= end:
                break
        byte = data[index]
        if byte == 60 and index + 1 < end:  # "<"
            following = data[index + 1]
            lower = following | 32
            if (97 <= lower <= 122) or following == 47:
                closing = following == 47
                if closing and (index + 2 >= end or not (97 <= (data[index + 2] | 32) <= 122)):
                    return row, _FALLBACK
                code, after = _tag_name(data, index + 2 if closing else index + 1, end)
                if code < 0:
                    return row, _FALLBACK
                tag_end = _tag_end(data, after, end)
                if tag_end < 0:
                    return row, _FALLBACK
                tag = _tag_id(code)
                if tag == 0:
                    return row, _FALLBACK
                kind = category[tag]
                if in_text:
                    in_text = False
                    if node_has:
                        last_piece = node_start
                        at_line_start = False
                if kind in (_CAT_BUTTON, _CAT_ICON):
                    if closing:
                        return row, _FALLBACK
                    tag_end = _skipped_end(data, tag_end, end, kind == _CAT_BUTTON)
                    if tag_end < 0:
                        return row, _FALLBACK
                    index = tag_end
                    continue
                new_depth, closed_p = _structure_step(
                    stack, counts, depth, tag, closing, category, heading, stop
                )
                if new_depth < 0:
                    return row, _FALLBACK
                index = tag_end
                created_p = closing and tag == _ID_P and new_depth == depth  # "</p>" alone: an empty <p>
                if created_p and not (body_open or o > row):
                    return row, _FALLBACK  # before <body> exists lexbor ignores "</p>"
                body_open = body_open or (kind != _CAT_STRIPPED and (not closing or kind == _CAT_BR))
                depth = new_depth
                if kind == _CAT_STRIPPED:
                    continue
                if closing and not (kind == _CAT_BR or created_p):
                    if kind == _CAT_BLOCK:
                        pending = True
                    continue
                count = 2 if pending or closed_p else 0  # a block ended before this node, then its own marks
                if kind in (_CAT_BLOCK, _CAT_HR):
                    count += 2
                elif kind in (_CAT_BR, _CAT_LI):
                    count += 1
                pending = kind == _CAT_HR or created_p
                if count:
                    o, last_piece, hit = _mark(out, o, row, last_piece, count)
                    empty_item |= hit
                    at_line_start = True
                if kind == _CAT_LI:
                    last_piece = o
                    out[o] = 45
                    out[o + 1] = 32
                    o += 2
                continue
            if following == 33:  # "<!"
                if index + 3 < end and data[index + 2] == 45 and data[index + 3] == 45:
                    comment_end = _comment_end(data, index + 4, end)
                    if comment_end < 0:
                        return row, _FALLBACK
                    if in_text:
                        in_text = False
                        if node_has:
                            last_piece = node_start
                            at_line_start = False
                    if pending:
                        o, last_piece, hit = _mark(out, o, row, last_piece, 2)
                        empty_item |= hit
                        at_line_start = True
                        pending = False
                    index = comment_end
                    continue
                return row, _FALLBACK
            if following == 63:  # "<?"
                return row, _FALLBACK
        # Text (a "<" that opens no markup is text too).
        if not in_text:
            in_text = True
            if pending:
                o, last_piece, hit = _mark(out, o, row, last_piece, 2)
                empty_item |= hit
                at_line_start = True
                pending = False
            node_start = o
            node_line_start = at_line_start
            node_has = False
        if byte < 128 and byte != 38:
            index += 1
            if byte == 32 or byte == 10 or byte == 9 or byte == 13 or byte == 12:
                if node_has or not node_line_start:
                    node_has = True
                    if not (o > row and out[o - 1] == 32):
                        out[o] = 32
                        o += 1
            elif _is_control(byte):
                return row, _FALLBACK
            else:
                out[o] = byte
                o += 1
                node_has = True
            continue
        if byte >= 128:
            length = 2 if byte < 0xE0 else (3 if byte < 0xF0 else 4)
            if byte == 0xC2 or byte == 0xE1 or byte == 0xE2 or byte == 0xE3 or byte == 0xEE or byte == 0xEF:
                point = byte & (0x1F if length == 2 else 0x0F)
                for offset in range(1, length):
                    point = (point << 6) | (data[index + offset] & 0x3F)
                if _is_space_point(point):
                    index += length
                    if node_has or not node_line_start:
                        node_has = True
                        if not (o > row and out[o - 1] == 32):
                            out[o] = 32
                            o += 1
                    continue
                if (0xE000 <= point <= 0xE003) or point == 0x200B or point == 0xFEFF or point == 0x2060:
                    return row, _FALLBACK
            for offset in range(length):
                out[o + offset] = data[index + offset]
            o += length
            index += length
            node_has = True
            continue
        # "&": a character reference as lexbor reads it in text, or a literal "&".
        value_start = 0
        value_end = 0
        single = -1
        after = index + 1
        if after < end and data[after] == 35:  # "&#"
            cursor = after + 1
            base = 10
            if cursor < end and (data[cursor] | 32) == 120:
                base = 16
                cursor += 1
            digits = cursor
            number = 0
            while cursor < end:
                digit = data[cursor]
                if 48 <= digit <= 57:
                    digit -= 48
                elif base == 16 and 97 <= (digit | 32) <= 102:
                    digit = (digit | 32) - 87
                else:
                    break
                number = min(number * base + digit, 0x110000)
                cursor += 1
            if cursor > digits:
                if cursor < end and data[cursor] == 59:
                    cursor += 1
                if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
                    number = 0xFFFD
                elif 0x80 <= number <= 0x9F and _WIN1252[number - 0x80] != 0:
                    number = _WIN1252[number - 0x80]
                single = number
                after = cursor
        elif after < end and _is_alnum(data[after]):
            run = after
            limit = min(end, after + ent_max_len)
            while run < limit and _is_alnum(data[run]):
                run += 1
            found = -1
            if run < end and data[run] == 59 and run - after < ent_max_len:
                found = _entity_index(data, after, run + 1, ent_slots, ent_key_offsets, ent_keys)
                if found >= 0:
                    value_start = found
                    after = run + 1
            if found < 0:
                for stop_at in range(run, after, -1):
                    found = _entity_index(data, after, stop_at, ent_slots, ent_key_offsets, ent_keys)
                    if found >= 0:
                        after = stop_at
                        break
            if found >= 0:
                value_start = ent_value_offsets[found]
                value_end = ent_value_offsets[found + 1]
        if single < 0 and value_end == value_start:
            out[o] = 38
            o += 1
            node_has = True
            index += 1
            continue
        index = after
        count = 1 if single >= 0 else value_end - value_start
        for item in range(count):
            point = single if single >= 0 else ent_values[value_start + item]
            if _is_unsafe_decoded(point):
                return row, _FALLBACK
            if _is_space_point(point):
                if node_has or not node_line_start:
                    node_has = True
                    if not (o > row and out[o - 1] == 32):
                        out[o] = 32
                        o += 1
            else:
                o = _put_point(out, o, point)
                node_has = True
    text_start, text_end, status = _finish_row(out, row, o, empty_item)
    if text_start > row and text_end > text_start:  # postings open with a block: its line marks go
        _copy_bytes(out, row, out, text_start, text_end - text_start)
    return row + max(text_end - text_start, 0), status


@numba.njit(cache=True, nogil=True)
def _html_kernel(
    views: np.ndarray,
    inline: np.ndarray,
    data: np.ndarray,
    starts: np.ndarray,
    valid: np.ndarray,
    out: np.ndarray,
    out_offsets: np.ndarray,
    status: np.ndarray,
    category: np.ndarray,
    heading: np.ndarray,
    stop: np.ndarray,
    ent_slots: np.ndarray,
    ent_key_offsets: np.ndarray,
    ent_keys: np.ndarray,
    ent_value_offsets: np.ndarray,
    ent_values: np.ndarray,
    ent_max_len: int,
) -> None:
    """Every row of a String column's buffers (`_column_buffers`): texts back to back in `out`, `status` per
    row."""
    stack = np.empty(_MAX_DEPTH + 1, dtype=np.int64)
    counts = np.zeros(3, dtype=np.int64)
    o = 0
    for row in range(len(views)):
        out_offsets[row] = o
        if not valid[row]:
            status[row] = _NULL
            continue
        text, start, end = _row_bytes(views, inline, data, starts, row)
        if o + 2 * (end - start) + 64 > len(out):  # never: `out` is sized for the worst case
            status[row] = _FALLBACK
            continue
        new_o, row_status = _convert_row(
            text,
            start,
            end,
            out,
            o,
            stack,
            counts,
            category,
            heading,
            stop,
            ent_slots,
            ent_key_offsets,
            ent_keys,
            ent_value_offsets,
            ent_values,
            ent_max_len,
        )
        if row_status == _FALLBACK:
            status[row] = _FALLBACK
        elif new_o == o:
            status[row] = _NULL
        else:
            status[row] = row_status
            o = new_o
    out_offsets[len(views)] = o


@numba.njit(cache=True, nogil=True)
def _row_bytes(
    views: np.ndarray, inline: np.ndarray, data: np.ndarray, starts: np.ndarray, row: int
) -> tuple[np.ndarray, int, int]:
    """(bytes, start, end) of one string of an Arrow string-view column: up to 12 bytes sit in the view itself
    (`inline` holds the views), longer ones in `data` from `starts[row]` (see `_column_buffers`)."""
    length = views[row, 0]
    if length <= 12:
        return inline, row * 16 + 4, row * 16 + 4 + length
    return data, starts[row], starts[row] + length


def _column_buffers(
    column: pl.Series,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """(views, inline bytes, data bytes, start of each long string in them, validity, total string bytes) of a
    String column: polars' own string-view buffers, exported without a copy when the column has one data buffer
    (converting it to a contiguous large_string cost ~2 us per 4 KB posting, a fifth of the kernel); several
    buffers are joined. Plain arrays, not a numba typed list: that list compiled on first use in every process
    (~0.6 s of each silver worker's start)."""
    rows = len(column)
    arrow = column.rechunk().to_arrow(compat_level=pl.CompatLevel.newest())
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    if arrow.type != pa.string_view():
        arrow = arrow.cast(pa.string_view())
    buffers = arrow.buffers()
    first = arrow.offset
    views = np.frombuffer(buffers[1], dtype=np.int32).reshape(-1, 4)[first : first + rows]
    inline = np.frombuffer(buffers[1], dtype=np.uint8)[first * 16 : (first + rows) * 16]
    parts = [np.frombuffer(buffer, dtype=np.uint8) for buffer in buffers[2:] if buffer is not None]
    starts = views[:, 3].astype(np.int64)
    if len(parts) == 1:
        data = parts[0]
    else:
        data = np.concatenate(parts) if parts else np.zeros(1, dtype=np.uint8)
        data.flags.writeable = False  # the same numba type as a buffer exported from arrow
        if len(parts) > 1:
            base = np.concatenate(([0], np.cumsum([len(part) for part in parts])[:-1]))
            long = views[:, 0] > 12
            starts[long] += base[views[long, 2]]
    valid = column.is_not_null().to_numpy()
    total = int(np.where(valid, views[:, 0], 0).sum(dtype=np.int64))
    return views, inline, data, starts, valid, total


def _column_from_buffers(name: str, out: np.ndarray, offsets: np.ndarray, status: np.ndarray) -> pl.Series:
    """The kernel's output as a String column: rows with status _OK or _PY_TAIL, null elsewhere."""
    validity = np.packbits((status == _OK) | (status == _PY_TAIL), bitorder="little")
    return pl.Series(
        name,
        pa.LargeStringArray.from_buffers(
            len(status), pa.py_buffer(offsets), pa.py_buffer(out[: offsets[-1]]), pa.py_buffer(validity)
        ),
    )


def _kernel_pass(html: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """The kernel over a String column: (texts, per-row status). Texts are null for _NULL and _FALLBACK rows;
    _PY_TAIL rows hold the text before the Show more/less step `_drop_show_more_tail` finishes."""
    rows = len(html)
    views, inline, data, starts, valid, total = _column_buffers(html)
    # Worst case per row: 2 bytes out per byte in (a 5-byte "&nGt;" gives 6, tags give at most their length
    # twice in line marks), plus slack; np.empty does not touch the pages the kernel never writes.
    out = np.empty(2 * total + 64 * rows + 64, dtype=np.uint8)
    out_offsets = np.empty(rows + 1, dtype=np.int64)
    status = np.empty(rows, dtype=np.int8)
    _html_kernel(
        views,
        inline,
        data,
        starts,
        valid,
        out,
        out_offsets,
        status,
        _TAG_CATEGORY,
        _TAG_HEADING,
        _TAG_STOP,
        _ENT_SLOTS,
        _ENT_KEY_OFFSETS,
        _ENT_KEYS,
        _ENT_VALUE_OFFSETS,
        _ENT_VALUES,
        _ENT_MAX_LEN,
    )
    return _column_from_buffers(html.name, out, out_offsets, status), status


def html_to_text_batch(html: pl.Series) -> pl.Series:
    """`html_to_text` for a whole column (String), row for row identical; nulls and blank rows give null.

    One compiled pass over the column's UTF-8 buffer; the rows it leaves (outside the modelled subset, or a
    "Show more/less" after a non-ASCII character) are finished by the per-record code.
    """
    if html.dtype != pl.String:
        html = html.cast(pl.String)
    if len(html) == 0:
        return pl.Series(html.name, [], dtype=pl.String)
    texts, status = _kernel_pass(html)
    leftover = np.flatnonzero(status >= _FALLBACK)
    if len(leftover):
        values: list[str | None] = []
        for row, value, text in zip(
            leftover.tolist(), html.gather(leftover).to_list(), texts.gather(leftover).to_list(), strict=True
        ):
            if status[row] == _FALLBACK:
                values.append(html_to_text(value))
            else:
                values.append(_drop_show_more_tail(text).strip() or None)
        texts = texts.scatter(leftover, pl.Series(values, dtype=pl.String))
    return texts


def _clean_class() -> np.ndarray:
    """Per byte for `clean_text`: 0 copied, 1 whitespace (str.split's ASCII ones and the controls it turns into
    spaces), 2 "&", 3 lead bytes of characters that may be whitespace or zero-width (decoded)."""
    table = np.zeros(256, dtype=np.uint8)
    table[[*range(33), 127]] = 1
    table[38] = 2
    table[[0xC2, 0xE1, 0xE2, 0xE3, 0xEF]] = 3
    return table


_CLEAN_CLASS = _clean_class()


@numba.njit(cache=True, nogil=True)
def _clean_kernel(
    views: np.ndarray,
    inline: np.ndarray,
    column_data: np.ndarray,
    starts: np.ndarray,
    valid: np.ndarray,
    out: np.ndarray,
    out_offsets: np.ndarray,
    status: np.ndarray,
) -> None:
    """`clean_text` for every row without a character reference html.unescape would decode ("&" followed by
    anything but whitespace, "<", "&" or ";" gives _FALLBACK): zero-width characters dropped, whitespace and
    control runs folded to one space, ends stripped, the Show more/less tail dropped."""
    o = 0
    for row in range(len(views)):
        out_offsets[row] = o
        if not valid[row]:
            status[row] = _NULL
            continue
        row_start = o
        row_status = _OK
        data, index, end = _row_bytes(views, inline, column_data, starts, row)
        while index < end:
            if index + _WINDOW <= end:
                index, o = _copy_plain_windows(data, index, end, out, o, o == row_start or out[o - 1] == 32)
            # The window that needs work (or the row's last bytes), byte by byte.
            window_end = min(index + _WINDOW, end)
            while index < window_end:
                byte = data[index]
                byte_class = _CLEAN_CLASS[byte]
                if byte_class == 0:
                    out[o] = byte
                    o += 1
                    index += 1
                    continue
                if byte_class == 2 and index + 1 < end:
                    following = data[index + 1]
                    if following not in (9, 10, 12, 32, 38, 59, 60):
                        row_status = _FALLBACK
                        break
                space = byte_class == 1
                length = 1
                if byte_class == 3:
                    length = 2 if byte < 0xE0 else 3
                    point = byte & (0x1F if length == 2 else 0x0F)
                    for offset in range(1, length):
                        point = (point << 6) | (data[index + offset] & 0x3F)
                    if point in (0x200B, 0xFEFF, 0x2060):
                        index += length
                        continue
                    space = _is_space_point(point)
                if space:
                    if o > row_start and out[o - 1] != 32:
                        out[o] = 32
                        o += 1
                else:
                    for offset in range(length):
                        out[o + offset] = data[index + offset]
                    o += length
                index += length
            if row_status == _FALLBACK:
                break
        if row_status == _FALLBACK:
            status[row] = _FALLBACK
            o = row_start
            continue
        o, row_status = _drop_tail(out, row_start, o)
        status[row] = _NULL if o == row_start else row_status
    out_offsets[len(views)] = o


def clean_text_batch(text: pl.Series) -> pl.Series:
    """`clean_text` for a whole column (job_summary), row for row identical: one compiled pass; rows with a
    character reference, or a Show more/less tail after a non-ASCII character, are finished in Python."""
    if text.dtype != pl.String:
        text = text.cast(pl.String)
    if len(text) == 0:
        return pl.Series(text.name, [], dtype=pl.String)
    views, inline, data, starts, valid, total = _column_buffers(text)
    out = np.empty(total + 16, dtype=np.uint8)  # the text only ever shrinks
    out_offsets = np.empty(len(text) + 1, dtype=np.int64)
    status = np.empty(len(text), dtype=np.int8)
    _clean_kernel(views, inline, data, starts, valid, out, out_offsets, status)
    cleaned = _column_from_buffers(text.name, out, out_offsets, status)
    leftover = np.flatnonzero(status >= _FALLBACK)
    if len(leftover):
        values: list[str | None] = []
        for row, value, done in zip(
            leftover.tolist(),
            text.gather(leftover).to_list(),
            cleaned.gather(leftover).to_list(),
            strict=True,
        ):
            values.append(
                clean_text(value) if status[row] == _FALLBACK else _drop_show_more_tail(done) or None
            )
        cleaned = cleaned.scatter(leftover, pl.Series(values, dtype=pl.String))
    return cleaned
