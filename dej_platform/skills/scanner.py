"""One compiled pass over a chunk's UTF-8 bytes: literal matches, exact-case forms, segments and heading lines.

Why compiled: polars' Aho-Corasick (`replace_many`, `find_many`) runs at ~110 MB/s with the catalog's ~5,100
literals, and the regex passes that turned its tags back into positions cost as much again (together ~90 us per 4 KB
description). This kernel walks a byte trie of the literals once per text (ASCII case-insensitive; every literal is
ASCII) and applies the word-boundary rules on the real neighbouring bytes, so it replaces the tag pass, the extract
regex and the case regex in one loop.

Semantics (the same as the polars passes it replaced; `dej_platform_tests/skills/reference_detector.py` keeps those
passes and `test_equivalence.py` compares both):

* **tag stream**: leftmost-longest, non-overlapping matches of the literals (aliases, forms, vetoes, words,
  abbreviations, inline must/nice phrases) and of the breaks ("\\n", ". ", "; ", ...). A literal counts only when the
  bytes on both sides are not ASCII word characters; a glued match ("mysql" for "sql") still consumes its bytes.
* **segments**: the running count of breaks in the row; a break belongs to the segment it opens.
* **exact-case forms** (`Go`, `R`, `Excel`, ...): found at word starts with their exact bytes and word boundaries, not
  counted when a longer tag match contains them (a veto or a longer name such as "go to market", "R&D").
* **heading candidates**: every line's head (after spaces, `#`, `*`, `>`) up to its first ":" or its end, when short;
  the detector classifies them with the catalog's heading regexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from dej_platform.skills.patterns import INERT_KINDS, MatcherSpec

HEADING_MAX_BYTES = 80  # a heading is a few words after the lead ("#", "*", spaces): longer heads never are


class Scratch:
    """Buffers reused from one chunk to the next: the normalized text and the scan's output arrays.

    Why: a chunk needs tens of MB of them; allocated and freed per chunk, glibc handed the pages back to the kernel
    and the next chunk faulted them in again (about a sixth of the detector's CPU). Arrays handed out are views,
    valid until the same buffer is asked for again; one `Scratch` serves one thread at a time. The detector keeps one
    per thread that ran a chunk: ~65 MB resident each for 8,192 descriptions of 4 KB.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, size: int, dtype: type[np.generic]) -> np.ndarray:
        """A 1-d array of at least `size` items (uninitialized), kept under `name` for the next call."""
        held = self._arrays.get(name)
        if held is None or held.size < size or held.dtype != dtype:
            grown = size if held is None else max(size, held.size + held.size // 4)
            held = self._arrays[name] = np.empty(grown, dtype=dtype)
        return held[:size]


@dataclass(frozen=True)
class ScanTables:
    """The trie and lookup tables the kernel reads (numpy arrays only, so numba can take them)."""

    byte_class: np.ndarray  # int32[256]: trie input class of a byte (ASCII letters folded), 0 = in no literal
    trie: Trie  # over byte classes
    literal_count: int  # scanner ids below this are catalog literals (tag ids); the rest are breaks
    tag_emitted: np.ndarray  # bool[literal_count]: False for inert literals (`patterns.INERT_KINDS`)
    case_first: np.ndarray  # bool[256]: a byte that can start an exact-case form
    group_offsets: np.ndarray  # int64[groups + 1]: forms of each case group (CSR into form_*)
    form_offsets: np.ndarray  # int64[forms + 1]: bytes of each exact form in form_bytes
    form_bytes: np.ndarray  # uint8
    form_code: np.ndarray  # int32[forms]: row of the form in `MatcherSpec.case_table`
    is_word: np.ndarray  # bool[256]: ASCII word character
    word_slots: np.ndarray  # int64[2^k]: hash table of whole words: the word's key, or -1 for a free slot
    word_info: np.ndarray  # int64[2^k, 3]: per slot, the word's trie state, class offset and length
    word_classes: (
        np.ndarray
    )  # int32: the words' byte classes, concatenated (compared past `word_exact` bytes)
    word_bits: int  # bits per byte class in a word key
    word_exact: int  # words up to this many bytes have a key that is the word itself
    word_class: (
        np.ndarray
    )  # int32[256]: 0 for a non-word byte, else its class, or `word_outside` if it has none
    word_outside: int
    root_byte: np.ndarray  # bool[256]: the first byte of some literal (other bytes skip the walk)
    heading_starts: Trie  # over lower-cased byte + 1: the heading prefixes (`MatcherSpec.heading_prefixes`)


def build_scan_tables(spec: MatcherSpec) -> ScanTables:
    """Compile the spec's literals, breaks and exact-case forms into a byte trie (pure, ~0.3 s for the catalog)."""
    literals = [*spec.tag_patterns, "\n"]  # catalog literals (ids = tag ids), sentence ends, newline
    forms = spec.case_table["form"].to_list()
    groups: dict[str, list[int]] = {}
    for code, form in enumerate(forms):
        groups.setdefault(form.lower(), []).append(code)
    group_keys = list(groups)

    alphabet = sorted({b for text in (*literals, *group_keys) for b in text.encode()})
    byte_class = np.zeros(256, dtype=np.int32)
    for index, byte in enumerate(alphabet, start=1):
        byte_class[byte] = index
    for upper in range(ord("A"), ord("Z") + 1):
        byte_class[upper] = byte_class[upper + 32]

    children: list[dict[int, int]] = [{}]
    term_tag: list[int] = [-1]
    term_case: list[int] = [-1]

    def insert(text: str) -> int:
        state = 0
        for byte in text.encode():
            cls = int(byte_class[byte])
            nxt = children[state].get(cls)
            if nxt is None:
                nxt = len(children)
                children[state][cls] = nxt
                children.append({})
                term_tag.append(-1)
                term_case.append(-1)
            state = nxt
        return state

    for lit_id, literal in enumerate(literals):
        if not literal.isascii() or literal != literal.lower():
            raise ValueError(f"scanner literals must be lower-case ASCII, got {literal!r}")
        term_tag[insert(literal)] = lit_id
    for group, key in enumerate(group_keys):
        if not key.isascii():
            raise ValueError(f"exact-case forms must be ASCII, got {key!r}")
        term_case[insert(key)] = group

    word = np.zeros(256, dtype=np.bool_)
    for char in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
        word[ord(char)] = True
    trie, slot = _placed_trie(children, term_tag, term_case, len(alphabet) + 1)
    word_classes = {int(byte_class[b]) for b in range(256) if word[b] and byte_class[b]}
    word_bits = max(1, len(alphabet).bit_length())
    word_slots, word_info, word_keys = _word_table(
        children, term_tag, term_case, word_classes, slot, word_bits
    )
    root_byte = np.array([byte_class[b] in children[0] for b in range(256)], dtype=np.bool_)
    word_outside = len(alphabet) + 1
    word_class = np.where(word, np.where(byte_class > 0, byte_class, word_outside), 0).astype(np.int32)

    group_offsets = np.zeros(len(group_keys) + 1, dtype=np.int64)
    ordered: list[int] = []
    for group, key in enumerate(group_keys):
        ordered += groups[key]
        group_offsets[group + 1] = len(ordered)
    encoded = [forms[code].encode() for code in ordered]
    form_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    form_offsets[1:] = np.cumsum([len(e) for e in encoded])
    case_first = np.zeros(256, dtype=np.bool_)
    for key in group_keys:
        case_first[ord(key[0])] = True
        case_first[ord(key[0].upper())] = True
    return ScanTables(
        byte_class=byte_class,
        trie=trie,
        literal_count=spec.literal_count,
        tag_emitted=~spec.tag_table["kind"].is_in(list(INERT_KINDS)).to_numpy(),
        case_first=case_first,
        group_offsets=group_offsets,
        form_offsets=form_offsets,
        form_bytes=np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(),
        form_code=np.array(ordered, dtype=np.int32),
        is_word=word,
        word_slots=word_slots,
        word_info=word_info,
        word_classes=word_keys,
        word_bits=word_bits,
        word_exact=63 // word_bits,
        word_class=word_class,
        word_outside=word_outside,
        root_byte=root_byte,
        heading_starts=_prefix_trie(spec.heading_prefixes),
    )


def _prefix_trie(prefixes: list[str]) -> Trie:
    """A byte trie whose terminal states end a prefix; with no prefixes the root is terminal (anything passes)."""
    if not prefixes:
        return build_trie([{}], [0], [-1], 257)
    return _byte_trie([prefix.encode() for prefix in prefixes])


def _byte_trie(patterns: list[bytes]) -> Trie:
    """A trie over byte + 1 whose terminal states hold the first listed pattern ending there."""
    children: list[dict[int, int]] = [{}]
    term: list[int] = [-1]
    for index, raw in enumerate(patterns):
        state = 0
        for byte in raw:
            nxt = children[state].get(byte + 1)
            if nxt is None:
                nxt = children[state][byte + 1] = len(children)
                children.append({})
                term.append(-1)
            state = nxt
        if term[state] < 0:
            term[state] = index
    return build_trie(children, term, [-1] * len(children), 257)


WORD_HASH_PRIME = 0x100000001B3  # mixes in the classes past `word_exact` (those words are then compared)
WORD_SLOT_MULTIPLIER = 0x4F1BBCDCBFA53E0B  # odd: multiplicative hashing of a key to a slot
_MASK63 = (1 << 63) - 1


def word_key(classes: list[int], bits: int) -> int:
    """The kernel's key of a word's byte classes: the classes packed `bits` apiece while they fit in 63 bits (the
    key is then the word, exactly), then folded in with a multiply."""
    key = 0
    for index, cls in enumerate(classes):
        key = (key << bits) | cls if index < 63 // bits else ((key ^ cls) * WORD_HASH_PRIME) & _MASK63
    return key


def word_slot(key: int, size_bits: int) -> int:
    """First slot of a key in a table of 2**size_bits slots (the kernel computes the same in uint64)."""
    return ((key * WORD_SLOT_MULTIPLIER) & ((1 << 64) - 1)) >> (64 - size_bits)


def _word_table(
    children: list[dict[int, int]],
    term_tag: list[int],
    term_case: list[int],
    word_classes: set[int],
    slot: np.ndarray,
    bits: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash table of the words (word-character paths from the root) whose state can matter to the scan: a literal
    or exact-case form ends there, or a literal continues with a non-word byte ("c" of "c++", "data" of
    "data modeling"). A word that is not in it cannot start a counted match."""
    entries: list[tuple[list[int], int]] = []
    stack: list[tuple[int, list[int]]] = [(0, [])]
    while stack:
        state, path = stack.pop()
        if path and (
            term_tag[state] >= 0
            or term_case[state] >= 0
            or any(cls not in word_classes for cls in children[state])
        ):
            entries.append((path, int(slot[state])))
        stack.extend((child, [*path, cls]) for cls, child in children[state].items() if cls in word_classes)
    size_bits = 4
    while (1 << size_bits) < 2 * len(entries):  # at most half full; the keys alone stay small enough for L1
        size_bits += 1
    size = 1 << size_bits
    table = np.full(size, -1, dtype=np.int64)
    info = np.full((size, 3), -1, dtype=np.int64)
    keys: list[int] = []
    for path, state in entries:
        key = word_key(path, bits)
        at = word_slot(key, size_bits)
        while table[at] >= 0:
            at = (at + 1) & (size - 1)
        table[at] = key
        info[at] = (state, len(keys), len(path))
        keys += path
    return table, info, np.array(keys or [0], dtype=np.int32)


TRIE_CHECK, TRIE_BASE, TRIE_TAG, TRIE_CASE = 0, 1, 2, 3


@dataclass(frozen=True)
class Trie:
    """A trie as a double array: the child of state `s` on input class `c` is `t = base[s] + c` when
    `check[t] == s`. One add and one compare per byte, with no branch on the number of children (a node-block layout
    spent most of the scan in its child search). A state's fields sit together in one 16-byte record, laid out
    depth-first, so a walk down the trie touches one cache line per byte or less. The root is state 0."""

    # int32[n, 4]: check (the parent; -1 free, -2 root), base, literal id or -1, case group or -1
    states: np.ndarray


def build_trie(
    children: list[dict[int, int]], term_tag: list[int], term_case: list[int], classes: int
) -> Trie:
    """Lay out a trie given as child maps (state 0 = root; classes 1 .. classes - 1) as a double array."""
    return _placed_trie(children, term_tag, term_case, classes)[0]


def _placed_trie(
    children: list[dict[int, int]], term_tag: list[int], term_case: list[int], classes: int
) -> tuple[Trie, np.ndarray]:
    """The trie and the double-array state of every input state."""
    edge_offsets = np.zeros(len(children) + 1, dtype=np.int64)
    edge_offsets[1:] = np.cumsum([len(c) for c in children])
    edges = [item for child_map in children for item in sorted(child_map.items())]
    edge_cls = np.array([cls for cls, _ in edges] or [0], dtype=np.int64)
    edge_child = np.array([child for _, child in edges] or [0], dtype=np.int64)
    if len(edges) and (edge_cls.min() < 1 or edge_cls.max() >= classes):
        raise ValueError(f"trie classes must lie in 1 .. {classes - 1}")
    base, check, slot = _double_array(edge_offsets, edge_cls, edge_child, classes)
    states = np.full((len(base), 4), -1, dtype=np.int32)
    states[:, TRIE_CHECK] = check
    states[:, TRIE_BASE] = base
    states[slot, TRIE_TAG] = term_tag
    states[slot, TRIE_CASE] = term_case
    return Trie(states=states), slot


@numba.njit(cache=True, nogil=True)
def _double_array(edge_offsets, edge_cls, edge_child, classes):  # type: ignore[no-untyped-def]
    """First-fit placement in depth-first order, searching from the parent's slot so that a path down the trie
    stays close in memory; returns base, check and the slot of every input state."""
    states = len(edge_offsets) - 1
    size = 2 * states + 2 * classes + 16
    base = np.zeros(size, dtype=np.int32)
    check = np.full(size, -1, dtype=np.int32)
    slot = np.full(states, -1, dtype=np.int64)
    slot[0] = 0
    check[0] = -2
    stack = np.empty(states, dtype=np.int64)
    stack[0] = 0
    top = 1
    used = 1
    while top > 0:
        top -= 1
        state = stack[top]
        lo = edge_offsets[state]
        hi = edge_offsets[state + 1]
        if lo == hi:
            continue
        parent = slot[state]
        free = max(1, parent + 1 - edge_cls[lo])
        while True:
            b = free - edge_cls[lo]
            if b >= 0:
                if b + classes > len(check):  # grow
                    grown = max(2 * len(check), b + classes + 16)
                    base2 = np.zeros(grown, dtype=np.int32)
                    check2 = np.full(grown, -1, dtype=np.int32)
                    base2[: len(base)] = base
                    check2[: len(check)] = check
                    base = base2
                    check = check2
                fits = check[free] == -1
                if fits:
                    for k in range(lo + 1, hi):
                        if check[b + edge_cls[k]] != -1:
                            fits = False
                            break
                if fits:
                    break
            free += 1
        base[parent] = b
        for k in range(lo, hi):
            target = b + edge_cls[k]
            check[target] = parent
            slot[edge_child[k]] = target
            used = max(used, target + 1)
        for k in range(hi - 1, lo - 1, -1):  # the first child is laid out next
            stack[top] = edge_child[k]
            top += 1
    # leaves keep base 0; every base + class stays inside the arrays
    high = 0
    for s in range(used):
        if check[s] != -1:
            high = max(high, base[s])
    length = max(used, high + classes)
    return base[:length].copy(), check[:length].copy(), slot


@dataclass(frozen=True)
class Replacements:
    """A replacement table compiled for `replace`: exact byte patterns, the first listed wins at a position."""

    trie: Trie  # over byte + 1
    first_bytes: tuple[int, ...]  # the bytes that can begin a pattern
    starts: np.ndarray  # bool[65536]: (first byte << 8 | next byte) can begin a pattern (next = 0 at the end)
    block_test: int  # how `_block_matches` skips clean 64-byte blocks: BLOCK_FIRST_BYTES, BLOCK_TYPOGRAPHY or BLOCK_NONE
    values: np.ndarray  # uint8: the replacements, concatenated
    value_offsets: np.ndarray  # int64[patterns + 1]


def build_replacements(table: dict[str, str]) -> Replacements:
    """Compile {pattern: replacement}; replacements may not be longer than their patterns (output fits input)."""
    starts = np.zeros(1 << 16, dtype=np.bool_)
    for pattern, value in table.items():
        raw = pattern.encode()
        if not raw or len(value.encode()) > len(raw):
            raise ValueError(f"replacement {pattern!r} -> {value!r}: empty or longer than its pattern")
        if len(raw) == 1:
            starts[raw[0] << 8 : (raw[0] + 1) << 8] = True
        else:
            starts[raw[0] << 8 | raw[1]] = True
    trie = _byte_trie([pattern.encode() for pattern in table])
    encoded = [value.encode() for value in table.values()]
    value_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    value_offsets[1:] = np.cumsum([len(e) for e in encoded])
    values = np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8).copy()
    first_bytes = tuple(sorted({pattern.encode()[0] for pattern in table}))
    if len(first_bytes) <= SPARSE_FIRST_BYTES:
        block_test = BLOCK_FIRST_BYTES
    elif all(_typography_start(pattern.encode()) for pattern in table):
        block_test = BLOCK_TYPOGRAPHY
    else:
        block_test = BLOCK_NONE
    return Replacements(trie, first_bytes, starts, block_test, values, value_offsets)


def _typography_start(raw: bytes) -> bool:
    """Whether `_block_is_clean(..., BLOCK_TYPOGRAPHY)` sees every position where `raw` can begin."""
    b = raw[0]
    return b >= 0x80 or (b < 0x20 and b != 10) or b in (0x2D, 0x5F, 0x7F) or raw[:2] == b"  "


def replace(
    data: np.ndarray,
    offsets: np.ndarray,
    table: Replacements,
    scratch: Scratch | None = None,
    name: str = "replace",
) -> tuple[np.ndarray, np.ndarray]:
    """Leftmost-first replacement over texts `data[offsets[i]:offsets[i + 1]]` (polars' `replace_many` with
    `leftmost=True`: at the leftmost position that starts a match, the first listed pattern wins).

    With `scratch`, the output is written into its buffers `name` and `name + "_offsets"` (a view on them)."""
    scratch = scratch if scratch is not None else Scratch()
    # find the matches first (clean 64-byte blocks are skipped in a vectorized test), then copy the spans between
    # them; a chunk without matches is not copied at all
    first = np.array(
        (*table.first_bytes, *(table.first_bytes or (0,))[:1] * SPARSE_FIRST_BYTES), dtype=np.uint8
    )
    capacity = len(data) // 64 + 1024
    while True:
        at, until, pattern, complete = _block_matches(
            data,
            offsets,
            table.trie.states,
            table.starts,
            table.block_test,
            first[0],
            first[1],
            first[2],
            capacity,
        )
        if complete:
            break
        capacity *= 4
    if len(at) == 0:
        return data, offsets
    out, out_offsets = _outputs(scratch, name, data, offsets)
    w = _apply_matches(data, offsets, at, until, pattern, table.values, table.value_offsets, out, out_offsets)
    return out[:w], out_offsets


SPARSE_FIRST_BYTES = 3
BLOCK_NONE = 0  # no cheap test fits the table: every byte is looked at
BLOCK_FIRST_BYTES = 1  # a pattern begins with one of at most SPARSE_FIRST_BYTES bytes ("&", "<")
BLOCK_TYPOGRAPHY = (
    2  # a pattern begins with a non-ASCII, control ("\n" aside), "-", "_" or DEL byte, or two spaces
)
BLOCK = 64


def _outputs(
    scratch: Scratch, name: str, data: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Output buffers of a replacement: it never grows the text (replacements are not longer than patterns)."""
    return scratch.array(name, len(data), np.uint8), scratch.array(name + "_offsets", len(offsets), np.int64)


@numba.njit(cache=True, nogil=True)
def _longest_first(data, i, end, trie):  # type: ignore[no-untyped-def]
    """(pattern, end) of the first-listed pattern among the longest run of trie matches from i, or (-1, i)."""
    best = -1
    best_end = i
    node = 0
    j = i
    while j < end:
        child = trie[node, 1] + data[j] + 1
        if trie[child, 0] != node:
            break
        node = child
        j += 1
        pattern = trie[node, 2]
        if pattern >= 0 and (best < 0 or pattern < best):
            best = pattern
            best_end = j
    return best, best_end


@numba.njit(cache=True, nogil=True, inline="always")
def _block_is_clean(data, i, test, f0, f1, f2):  # type: ignore[no-untyped-def]
    """Whether no pattern can begin in data[i:i + BLOCK] (reads one byte more). Branch-free, so it vectorizes."""
    block = data[i : i + BLOCK + 1]
    hit = False
    if test == BLOCK_NONE:
        return False
    if test == BLOCK_FIRST_BYTES:
        for k in range(BLOCK):
            c = block[k]
            hit |= (c == f0) | (c == f1) | (c == f2)
    else:
        for k in range(BLOCK):
            c = block[k]
            hit |= (
                (c >= 0x80)
                | ((c < 0x20) & (c != 10))
                | (c == 0x2D)
                | (c == 0x5F)
                | (c == 0x7F)
                | ((c == 32) & (block[k + 1] == 32))
            )
    return not hit


@numba.njit(cache=True, nogil=True)
def _block_matches(data, offsets, trie, starts, test, f0, f1, f2, capacity):  # type: ignore[no-untyped-def]
    """Leftmost-first matches (start, end, pattern), row by row; False when more than `capacity` (growing the arrays
    in the loop made numba's code 20x slower)."""
    at = np.empty(capacity, dtype=np.int64)
    until = np.empty(capacity, dtype=np.int64)
    pattern = np.empty(capacity, dtype=np.int64)
    n = 0
    for row in range(len(offsets) - 1):
        i = offsets[row]
        end = offsets[row + 1]
        checked = i  # bytes before this were looked at one by one
        while i < end:
            if i >= checked and i + BLOCK < end:
                if _block_is_clean(data, i, test, f0, f1, f2):
                    i += BLOCK
                    continue
                checked = i + BLOCK
            if not starts[(np.int64(data[i]) << 8) | (data[i + 1] if i + 1 < end else 0)]:
                i += 1
                continue
            best, best_end = _longest_first(data, i, end, trie)
            if best < 0:
                i += 1
                continue
            if n == capacity:
                return at, until, pattern, False
            at[n] = i
            until[n] = best_end
            pattern[n] = best
            n += 1
            i = best_end
    return at[:n], until[:n], pattern[:n], True


def _copy_bytes_typing(typingctx, out, w, data, i, n):  # type: ignore[no-untyped-def]
    """_copy_bytes(out, w, data, i, n): out[w:w + n] = data[i:i + n] as one memcpy (numba's slice copy goes byte
    by byte, ~4x slower)."""
    signature = types.void(out, w, data, i, n)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        target = context.make_array(sig.args[0])(context, builder, args[0])
        source = context.make_array(sig.args[2])(context, builder, args[2])
        cgutils.raw_memcpy(
            builder, builder.gep(target.data, [args[1]]), builder.gep(source.data, [args[3]]), args[4], 1
        )
        return context.get_dummy_value()

    return signature, codegen


_copy_bytes: Any = intrinsic(_copy_bytes_typing)


def _copy_from_address_typing(typingctx, out, w, address, n):  # type: ignore[no-untyped-def]
    """_copy_from_address(out, w, address, n): out[w:w + n] = the n bytes at memory `address` (an Arrow buffer the
    caller keeps alive and has bounds-checked), as one memcpy."""
    signature = types.void(out, w, address, n)

    def codegen(context, builder, sig, args):  # type: ignore[no-untyped-def]
        target = context.make_array(sig.args[0])(context, builder, args[0])
        source = builder.inttoptr(args[2], ir.IntType(8).as_pointer())
        cgutils.raw_memcpy(builder, builder.gep(target.data, [args[1]]), source, args[3], 1)
        return context.get_dummy_value()

    return signature, codegen


_copy_from_address: Any = intrinsic(_copy_from_address_typing)


@dataclass(frozen=True)
class StringViews:
    """An Arrow string-view column, zero-copy: 16-byte views (length, then the bytes inline up to 12, else a prefix,
    a buffer index and an offset), validity, and the data buffers' addresses and sizes."""

    views: np.ndarray  # uint8[n * 16]
    valid: np.ndarray  # bool[n]
    addresses: np.ndarray  # int64[buffers]
    sizes: np.ndarray  # int64[buffers]
    keep: tuple[object, ...]  # the Arrow objects that own the memory

    @property
    def lengths(self) -> np.ndarray:
        return np.where(self.valid, self.views.view(np.int32)[0::4], 0).astype(np.int64)


def string_views(array: Any) -> StringViews:
    """The views of a `pyarrow.StringViewArray` (polars hands its strings over as one without copying)."""
    n = len(array)
    buffers = array.buffers()
    views = np.frombuffer(buffers[1], dtype=np.uint8)[array.offset * 16 : (array.offset + n) * 16]
    if buffers[0] is None:
        valid = np.ones(n, dtype=np.bool_)
    else:
        bits = np.unpackbits(np.frombuffer(buffers[0], dtype=np.uint8), bitorder="little")
        valid = bits[array.offset : array.offset + n].astype(np.bool_)
    data = [b for b in buffers[2:] if b is not None]
    addresses = np.array([b.address for b in data] or [0], dtype=np.int64)
    sizes = np.array([b.size for b in data] or [0], dtype=np.int64)
    return StringViews(views, valid, addresses, sizes, (array, buffers))


def join_views(first: StringViews | None, second: StringViews, out: np.ndarray, offsets: np.ndarray) -> None:
    """Write each row's `first + "\n" + second` (or `second` alone; a null is empty) into `out`, with int64
    `offsets` (len rows + 1), sized from the views' lengths by the caller. Raises on a view outside its buffer."""
    if first is None:
        ok = _join_views(
            second.views,
            second.valid,
            second.addresses,
            second.sizes,
            second.views,
            second.valid,
            second.addresses,
            second.sizes,
            False,
            out,
            offsets,
        )
    else:
        ok = _join_views(
            first.views,
            first.valid,
            first.addresses,
            first.sizes,
            second.views,
            second.valid,
            second.addresses,
            second.sizes,
            True,
            out,
            offsets,
        )
    if not ok:
        raise ValueError("a string view points outside its Arrow buffer")


@numba.njit(cache=True, nogil=True, inline="always")
def _put_view(views, valid, addresses, sizes, row, out, w):  # type: ignore[no-untyped-def]
    """Copy row's string to out[w:]; the new w, or -1 if its view is out of bounds."""
    if not valid[row]:
        return w
    at = row * 16
    length = (
        np.int64(views[at])
        | (np.int64(views[at + 1]) << 8)
        | (np.int64(views[at + 2]) << 16)
        | (np.int64(views[at + 3]) << 24)
    )
    if length <= 12:
        _copy_bytes(out, w, views, at + 4, length)
        return w + length
    index = (
        np.int64(views[at + 8])
        | (np.int64(views[at + 9]) << 8)
        | (np.int64(views[at + 10]) << 16)
        | (np.int64(views[at + 11]) << 24)
    )
    offset = (
        np.int64(views[at + 12])
        | (np.int64(views[at + 13]) << 8)
        | (np.int64(views[at + 14]) << 16)
        | (np.int64(views[at + 15]) << 24)
    )
    if index >= len(addresses) or offset + length > sizes[index]:
        return -1
    _copy_from_address(out, w, addresses[index] + offset, length)
    return w + length


@numba.njit(cache=True, nogil=True)
def _join_views(  # type: ignore[no-untyped-def]
    views_a, valid_a, addresses_a, sizes_a, views_b, valid_b, addresses_b, sizes_b, both, out, offsets
):
    w = 0
    offsets[0] = 0
    for row in range(len(valid_b)):
        if both:
            w = _put_view(views_a, valid_a, addresses_a, sizes_a, row, out, w)
            if w < 0:
                return False
            out[w] = 10
            w += 1
        w = _put_view(views_b, valid_b, addresses_b, sizes_b, row, out, w)
        if w < 0:
            return False
        offsets[row + 1] = w
    return True


@numba.njit(cache=True, nogil=True)
def _apply_matches(data, offsets, at, until, pattern, values, value_offsets, out, out_offsets):  # type: ignore[no-untyped-def]
    """Write the text with the matches replaced into `out` (bytes written returned): the bytes between matches are
    copied in spans that cross rows (a match never does), and each row start moves back by what shrank before it."""
    out_offsets[0] = 0
    row = 0
    w = 0
    i = offsets[0]
    shrink = offsets[0]  # the output starts at 0
    for c in range(len(at)):
        while offsets[row + 1] <= at[c]:
            row += 1
            out_offsets[row] = offsets[row] - shrink
        _copy_bytes(out, w, data, i, at[c] - i)
        w += at[c] - i
        lo = value_offsets[pattern[c]]
        hi = value_offsets[pattern[c] + 1]
        out[w : w + hi - lo] = values[lo:hi]
        w += hi - lo
        shrink += (until[c] - at[c]) - (hi - lo)
        i = until[c]
    _copy_bytes(out, w, data, i, offsets[-1] - i)
    w += offsets[-1] - i
    for r in range(row + 1, len(offsets)):
        out_offsets[r] = offsets[r] - shrink
    return w


@numba.njit(cache=True, nogil=True)
def gather_slices(data, starts, ends):  # type: ignore[no-untyped-def]
    """The bytes data[starts[i]:ends[i]] concatenated, with int64 offsets (an arrow string array's buffers)."""
    offsets = np.empty(len(starts) + 1, dtype=np.int64)
    offsets[0] = 0
    for i in range(len(starts)):
        offsets[i + 1] = offsets[i] + ends[i] - starts[i]
    values = np.empty(max(offsets[-1], 1), dtype=np.uint8)
    w = 0
    for i in range(len(starts)):
        for k in range(starts[i], ends[i]):
            values[w] = data[k]
            w += 1
    return values, offsets


@dataclass(frozen=True)
class ScanResult:
    """Per chunk: counted tag matches, exact-case forms and heading candidates, each with row and segment."""

    tag_row: np.ndarray
    tag_seg: np.ndarray
    tag_lit: np.ndarray
    case_row: np.ndarray
    case_seg: np.ndarray
    case_form: np.ndarray  # row of `MatcherSpec.case_table`
    case_pos: np.ndarray  # absolute byte offset in the chunk buffer
    head_row: np.ndarray
    head_seg: np.ndarray
    head_start: np.ndarray  # absolute byte offsets [start, end) of the line head
    head_end: np.ndarray


def scan(
    data: np.ndarray, offsets: np.ndarray, tables: ScanTables, scratch: Scratch | None = None
) -> ScanResult:
    """Run the kernel over texts `data[offsets[i]:offsets[i + 1]]` (UTF-8 bytes, one buffer for the chunk).

    With `scratch`, the result's arrays are views on its buffers."""
    scratch = scratch if scratch is not None else Scratch()
    capacity = len(data) // 12 + 4096
    while True:
        out = _scan(
            data,
            offsets,
            tables.byte_class,
            # 2-d records indexed flat: the kernel's row offset is then a shift, not a multiply by the row stride
            # (~15% of the scan, on the walk's critical path)
            tables.trie.states.ravel(),
            tables.literal_count,
            tables.tag_emitted,
            tables.case_first,
            tables.group_offsets,
            tables.form_offsets,
            tables.form_bytes,
            tables.form_code,
            tables.is_word,
            tables.word_slots,
            tables.word_info.ravel(),
            tables.word_classes,
            tables.word_bits,
            tables.word_exact,
            tables.word_class,
            tables.word_outside,
            tables.root_byte,
            tables.heading_starts.states,
            scratch.array("tags", 3 * capacity, np.int64).reshape(3, capacity),
            scratch.array("cases", 4 * (capacity // 8 + 64), np.int64).reshape(4, capacity // 8 + 64),
            scratch.array("heads", 4 * (capacity // 4 + 64), np.int64).reshape(4, capacity // 4 + 64),
        )
        if out[-1]:
            break
        capacity *= 2
    tags, cases, heads = out[0], out[1], out[2]
    n_tag, n_case, n_head = out[3], out[4], out[5]
    return ScanResult(
        tag_row=tags[0, :n_tag],
        tag_seg=tags[1, :n_tag],
        tag_lit=tags[2, :n_tag],
        case_row=cases[0, :n_case],
        case_seg=cases[1, :n_case],
        case_form=cases[2, :n_case],
        case_pos=cases[3, :n_case],
        head_row=heads[0, :n_head],
        head_seg=heads[1, :n_head],
        head_start=heads[2, :n_head],
        head_end=heads[3, :n_head],
    )


@numba.njit(cache=True, nogil=True, inline="always")
def _starts_heading(data, j, end, trie):  # type: ignore[no-untyped-def]
    """Whether data[j:end] starts with a heading prefix (ASCII case-insensitive)."""
    node = 0
    if trie[0, 2] >= 0:
        return True
    while j < end:
        byte = data[j]
        if 65 <= byte <= 90:
            byte += 32
        child = trie[node, 1] + byte + 1
        if trie[child, 0] != node:
            return False
        node = child
        if trie[node, 2] >= 0:
            return True
        j += 1
    return False


@numba.njit(cache=True, nogil=True)
def _scan(  # one tight loop: splitting it would cost a call per byte
    data,
    offsets,
    byte_class,
    trie,
    literal_count,
    tag_emitted,
    case_first,
    group_offsets,
    form_offsets,
    form_bytes,
    form_code,
    is_word,
    word_slots,
    word_info,
    word_classes,
    word_bits,
    word_exact,
    word_class,
    word_outside,
    root_byte,
    heading_starts,
    tags,
    cases,
    heads,
):  # type: ignore[no-untyped-def]
    slot_shift = 64
    size = len(word_slots)
    while size > 1:
        size >>= 1
        slot_shift -= 1
    capacity = tags.shape[1]
    n_tag = 0
    n_case = 0
    n_head = 0
    for row in range(len(offsets) - 1):
        start = offsets[row]
        end = offsets[row + 1]
        seg = 0
        free_at = start  # the tag stream may start a match here or later
        cur_start = -1  # current (last) tag match [cur_start, cur_end)
        cur_end = -1
        line_start = True
        head_lead = -1  # where the current line's words start, while its head may be a heading
        head_start = start
        head_seg = 0
        i = start
        while i < end:
            byte = data[i]
            if line_start:
                line_start = False
                j = i
                while j < end and (data[j] == 32 or data[j] == 9):
                    j += 1
                if j < end and (data[j] == 35 or data[j] == 42 or data[j] == 62):  # '#', '*', '>'
                    j += 1
                    while j < end and (
                        data[j] == 32 or data[j] == 9 or data[j] == 35 or data[j] == 42 or data[j] == 62
                    ):
                        j += 1
                # a head that starts with no heading prefix is never a heading (bullets "- ", most sentences); the
                # head ends at the line's first ":" or its end, and is resolved when the loop gets there
                if _starts_heading(data, j, end, heading_starts):
                    head_lead = j
                    head_start = i
                    head_seg = seg
            if head_lead >= 0 and (byte == 58 or byte == 10):  # ':', '\n'
                if i - head_lead <= HEADING_MAX_BYTES:
                    if n_head >= heads.shape[1]:
                        return tags, cases, heads, n_tag, n_case, n_head, False
                    heads[0, n_head] = row
                    heads[1, n_head] = head_seg
                    heads[2, n_head] = head_start
                    heads[3, n_head] = i + 1 if byte == 58 else i
                    n_head += 1
                head_lead = -1
            word_start = i == start or not is_word[data[i - 1]]
            free = i >= free_at
            next_i = i + 1
            node = -1
            j = i
            if word_start and is_word[byte]:
                # A word: only its whole-word state can matter (a walk that stops inside the word ends at no
                # boundary, and the next candidate position is the word's end), so look it up instead of walking.
                e = i
                key = 0
                known = True
                while e < end:
                    cls = word_class[data[e]]
                    if cls == 0:
                        break
                    known &= cls < word_outside
                    key = (key << word_bits) | cls
                    e += 1
                if e - i > word_exact and known:  # the key overflowed: fold the rest in (`word_key`)
                    key = 0
                    for m in range(e - i):
                        cls = word_class[data[i + m]]
                        if m < word_exact:
                            key = (key << word_bits) | cls
                        else:
                            key = ((key ^ cls) * WORD_HASH_PRIME) & _MASK63
                next_i = e
                if known and (free or case_first[byte]):
                    size = len(word_slots)
                    slot = np.int64(
                        (np.uint64(key) * np.uint64(WORD_SLOT_MULTIPLIER)) >> np.uint64(slot_shift)
                    )
                    while word_slots[slot] >= 0:
                        if word_slots[slot] == key and word_info[3 * slot + 2] == e - i:
                            same = True
                            if e - i > word_exact:
                                lo = word_info[3 * slot + 1]
                                for m in range(e - i):
                                    if byte_class[data[i + m]] != word_classes[lo + m]:
                                        same = False
                                        break
                            if same:
                                node = word_info[3 * slot]
                                j = e
                                break
                        slot = (slot + 1) & (size - 1)
            elif root_byte[byte] and ((free and not is_word[byte]) or (word_start and case_first[byte])):
                node = 0
            if node >= 0:
                best_tag = -1
                best_tag_end = i
                best_form = -1
                best_form_end = i
                bounded_end = i  # end of the longest literal from i that ends at a word boundary
                while True:
                    tag = trie[(node << 2) + TRIE_TAG]  # records of 4 fields, flat (see `scan`)
                    group = trie[(node << 2) + TRIE_CASE]
                    if tag >= 0:
                        best_tag = tag
                        best_tag_end = j
                        if j == end or not is_word[data[j]]:
                            bounded_end = j
                    if group >= 0 and word_start and (j == end or not is_word[data[j]]):
                        for f in range(group_offsets[group], group_offsets[group + 1]):
                            lo = form_offsets[f]
                            if form_offsets[f + 1] - lo != j - i:
                                continue
                            same = True
                            for m in range(j - i):
                                if data[i + m] != form_bytes[lo + m]:
                                    same = False
                                    break
                            if same:
                                best_form = form_code[f]
                                best_form_end = j
                                break
                    if j == end:
                        break
                    cls = byte_class[data[j]]
                    if cls == 0:
                        break
                    child = trie[(node << 2) + TRIE_BASE] + cls
                    if trie[(child << 2) + TRIE_CHECK] != node:
                        break
                    node = child
                    j += 1
                if free and best_tag >= 0:
                    if best_tag >= literal_count:
                        seg += 1
                        if data[i] == 10:
                            line_start = True
                    elif word_start and (best_tag_end == end or not is_word[data[best_tag_end]]):
                        if tag_emitted[best_tag]:  # a veto still consumes its bytes and shadows its forms
                            if n_tag >= capacity:
                                return tags, cases, heads, n_tag, n_case, n_head, False
                            tags[0, n_tag] = row
                            tags[1, n_tag] = seg
                            tags[2, n_tag] = best_tag
                            n_tag += 1
                        cur_start = i  # only a match that stands as a word shadows the forms inside it
                        cur_end = best_tag_end
                    free_at = best_tag_end
                if best_form >= 0:
                    # a longer literal standing as a word around the form consumes it ("R&D", "go to market")
                    shadowed = (word_start and bounded_end > best_form_end) or (
                        cur_start <= i
                        and best_form_end <= cur_end
                        and cur_end - cur_start > best_form_end - i
                    )
                    if not shadowed:
                        if n_case >= cases.shape[1]:
                            return tags, cases, heads, n_tag, n_case, n_head, False
                        cases[0, n_case] = row
                        cases[1, n_case] = seg
                        cases[2, n_case] = best_form
                        cases[3, n_case] = i
                        n_case += 1
            i = next_i
        if head_lead >= 0 and end - head_lead <= HEADING_MAX_BYTES:
            if n_head >= heads.shape[1]:
                return tags, cases, heads, n_tag, n_case, n_head, False
            heads[0, n_head] = row
            heads[1, n_head] = head_seg
            heads[2, n_head] = head_start
            heads[3, n_head] = end
            n_head += 1
    return tags, cases, heads, n_tag, n_case, n_head, True
