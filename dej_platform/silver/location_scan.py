"""Numba kernels for the work-model batch path: where the rule literals occur, and the text windows around them.

Every match of a `location` text rule (and of its ambiguity test) contains one of five literals ("remote",
"hybrid", "office", "site", "from home", as Rust's (?i) reads them: ASCII case, plus "ſ" for s), and reaches a
bounded number of ASCII non-space characters away from it (only whitespace runs are unbounded). One pass over
the column's UTF-8 bytes finds the literals; each hit gets a window of `margin` such characters on each side
(whitespace and non-ASCII bytes are free, so a window always covers whole whitespace runs), overlapping windows
merge, and the rules then run on these short windows instead of the whole descriptions. A window that stops
before its text's end stops at least `margin` counted characters after its last literal, so no rule can see a
false ``$`` there, and one that starts after its text's start has `margin` counted characters before its first
literal, so no rule can match from its first character.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

# Bits of the per-row / per-window literal flags.
HYBRID = 1
OFFICE = 2
REMOTE = 4
SITE = 8  # any "site" (Rust (?i): s, S or ſ)
HOME = 16  # "from home"
ONSITE_PROBE = 32  # "on", an optional "-" or " ", then "site" with an ASCII s (`location._PROBE`'s on-site)
DOTTED_I = 64  # "ı" or "İ", where Python's and Rust's case rules differ
NON_ASCII = 128  # window only: a byte >= 0x80

_LITERALS = (b"hybrid", b"office", b"remote", b"site", b"from home")
_CHUNK = 1 << 15

_TABLES: list[Any] = []


def literals() -> Any:
    """`_LITERALS` as a zero-padded (5, 9) uint8 array, in the order of their flag bits."""
    if not _TABLES:
        table = np.zeros((len(_LITERALS), 9), dtype=np.uint8)
        for index, literal in enumerate(_LITERALS):
            table[index, : len(literal)] = np.frombuffer(literal, dtype=np.uint8)
        _TABLES.append(table)
    return _TABLES[0]


@numba.njit(cache=True, nogil=True)
def _fill_triggers(data: Any, begin: int, count: int, mask: Any) -> None:
    """``mask[t]`` = 1 where ``data[begin + t:]`` may start a trigger: "ybr" (hybrid), "ffi" (office), "mot"
    (remote), "site" or the second byte of "ſ" then "ite", "m h" (from home), or "ı" / "İ", in any ASCII case.

    Only ``| 32`` and comparisons, so the loop vectorizes; a trigger reads only bytes of its own literal, so a
    true one is seen whatever follows it (extra candidates are re-checked). "ı" / "İ" are C4 B1 / C4 B0, and
    C4 | 32 is E4. The slice keeps LLVM vectorizing.
    """
    src = data[begin : begin + count + 3]
    for t in range(count):
        b0, b1, b2 = src[t] | np.uint8(32), src[t + 1] | np.uint8(32), src[t + 2] | np.uint8(32)
        b3 = src[t + 3] | np.uint8(32)
        site = (b1 == np.uint8(105)) & (b2 == np.uint8(116)) & (b3 == np.uint8(101))
        site &= (b0 == np.uint8(115)) | (b0 == np.uint8(0xBF))
        hybrid = (b0 == np.uint8(121)) & (b1 == np.uint8(98)) & (b2 == np.uint8(114))
        office = (b0 == np.uint8(102)) & (b1 == np.uint8(102)) & (b2 == np.uint8(105))
        remote = (b0 == np.uint8(109)) & (b1 == np.uint8(111)) & (b2 == np.uint8(116))
        home = (b0 == np.uint8(109)) & (b1 == np.uint8(32)) & (b2 == np.uint8(104))
        dotted = (b0 == np.uint8(0xE4)) & ((b1 | np.uint8(1)) == np.uint8(0xB1))
        mask[t] = site | hybrid | office | remote | home | dotted


@numba.njit(cache=True, nogil=True)
def _literal_end(data: Any, start: int, high: int, literals: Any, which: int) -> int:
    """End byte of literal ``which`` read as Rust's (?i) does from ``start`` (ASCII case, "ſ" for s), or -1."""
    if start < 0:
        return -1
    index = start
    for k in range(literals.shape[1]):
        want = literals[which, k]
        if want == 0:
            break
        if index >= high:
            return -1
        byte = data[index]
        if byte == want or (97 <= want <= 122 and byte == want - 32):
            index += 1
        elif want == 115 and byte == 0xC5 and index + 1 < high and data[index + 1] == 0xBF:
            index += 2
        else:
            return -1
    return index


@numba.njit(cache=True, nogil=True)
def _free(byte: int) -> bool:
    """Bytes a rule may repeat without bound (whitespace, Rust's \\s and \\x1c-\\x1f) or any non-ASCII byte."""
    return byte >= 0x80 or byte == 32 or 9 <= byte <= 13 or 28 <= byte <= 31


@numba.njit(cache=True, nogil=True)
def _ends_with_on(data: Any, low: int, end: int) -> bool:
    return end - 2 >= low and (data[end - 2] | 32) == 111 and (data[end - 1] | 32) == 110


@numba.njit(cache=True, nogil=True)
def _is_onsite_probe(data: Any, low: int, start: int) -> bool:
    """``on``, then an optional "-" or " ", just before the "site" at ``start``."""
    if _ends_with_on(data, low, start):
        return True
    separator = start - 1 >= low and (data[start - 1] == 45 or data[start - 1] == 32)
    return separator and _ends_with_on(data, low, start - 1)


@numba.njit(cache=True, nogil=True)
def _left_edge(data: Any, low: int, start: int, margin: int) -> Any:
    """Where a window holding ``data[start:]`` begins: ``margin`` counted bytes back, then on through free
    bytes (or the row's start); and NON_ASCII if it passed a non-ASCII byte, else 0."""
    left, budget, seen = start, margin, 0
    while left > low and budget > 0:
        left -= 1
        seen |= data[left]
        if not _free(data[left]):
            budget -= 1
    while left > low and _free(data[left - 1]):
        left -= 1
        seen |= data[left]
    return left, NON_ASCII if seen & 0x80 else 0


@numba.njit(cache=True, nogil=True)
def _right_edge(data: Any, high: int, end: int, margin: int) -> Any:
    """Where a window holding ``data[:end]`` ends: ``margin`` counted bytes on, then on through free bytes (or
    the row's end); and NON_ASCII if it passed a non-ASCII byte, else 0."""
    right, budget, seen = end, margin, 0
    while right < high and budget > 0:
        seen |= data[right]
        if not _free(data[right]):
            budget -= 1
        right += 1
    while right < high and _free(data[right]):
        seen |= data[right]
        right += 1
    return right, NON_ASCII if seen & 0x80 else 0


@numba.njit(cache=True, nogil=True)
def _grow(values: Any, capacity: int) -> Any:
    grown = np.empty((capacity, values.shape[1]), dtype=values.dtype)
    grown[: values.shape[0]] = values
    return grown


@numba.njit(cache=True, nogil=True)
def _emit(windows: Any, count: int, row: int, start: int, end: int, flags: int) -> Any:
    if count == windows.shape[0]:
        windows = _grow(windows, 2 * count)
    windows[count, 0], windows[count, 1], windows[count, 2], windows[count, 3] = row, start, end, flags
    return windows


@numba.njit(cache=True, nogil=True)
def literal_windows(data: Any, offsets: Any, literals: Any, margin: int) -> Any:
    """(row flags, windows) for a UTF-8 column: windows as (row, start byte, end byte, flags) rows, in order.

    Each window is a byte range of one row holding its literals with ``margin`` counted characters (ASCII, not
    whitespace) on both sides, or the row's edge. The column is read in chunks: `_fill_triggers` marks a chunk
    (row bounds ignored: each trigger is re-checked in its row), then the chunk's triggers are taken while its
    bytes are still in cache (a second pass over all triggers would miss the cache at each one).
    """
    rows = offsets.shape[0] - 1
    row_flags = np.zeros(rows, dtype=np.int64)
    windows = np.empty((1024, 4), dtype=np.int64)
    count = 0
    if rows == 0:
        return row_flags, windows[:0]
    row, cur_start, cur_end, cur_flags = 0, -1, -1, 0
    mask = np.zeros(_CHUNK + 8, dtype=np.uint8)
    words = mask.view(np.uint64)
    found = np.empty(_CHUNK + 3, dtype=np.int64)
    begin, top = offsets[0], offsets[rows]
    while begin < top - 1:
        size = min(_CHUNK, top - 3 - begin)
        found_count = 0
        if size > 0:
            _fill_triggers(data, begin, size, mask)
            mask[size : size + 8] = 0
            for w in range((size + 7) // 8):
                if words[w] != 0:
                    for t in range(8 * w, 8 * w + 8):
                        if mask[t]:
                            found[found_count] = begin + t
                            found_count += 1
            begin += size
        else:
            # The last three bytes can only start "ı" / "İ".
            for i in range(begin, top - 1):
                if data[i] == 0xC4:
                    found[found_count] = i
                    found_count += 1
            begin = top
        for i in found[:found_count]:
            if offsets[row + 1] <= i:
                if cur_start >= 0:
                    windows = _emit(windows, count, row, cur_start, cur_end, cur_flags)
                    count += 1
                cur_start, cur_end, cur_flags = -1, -1, 0
                while offsets[row + 1] <= i:
                    row += 1
            low, high = offsets[row], offsets[row + 1]
            byte = data[i] | 32
            if byte == 0xE4:
                if data[i] == 0xC4 and i + 1 < high and (data[i + 1] | 1) == 0xB1:
                    row_flags[row] |= DOTTED_I
                continue
            # The literal the trigger byte would sit in, and where it starts ("m": remote, else from home).
            for attempt in range(2):
                which, start = -1, -1
                if byte == 115 or byte == 0xBF:
                    which, start = 3, i - (1 if byte == 0xBF else 0)
                elif byte == 121:
                    which, start = 0, i - 1
                elif byte == 102:
                    which, start = 1, i - 1
                elif byte == 109:
                    which, start = (2, i - 2) if attempt == 0 else (4, i - 3)
                if which < 0 or (attempt == 1 and which != 4) or start < low:
                    continue
                end = _literal_end(data, start, high, literals, which)
                if end < 0:
                    continue
                bit = 1 << which
                if which == 3 and byte == 115 and _is_onsite_probe(data, low, start):
                    bit |= ONSITE_PROBE
                row_flags[row] |= bit
                if byte == 0xBF:
                    bit |= NON_ASCII  # "ſite", the only literal that can hold a non-ASCII character
                if cur_start >= 0 and start <= cur_end:
                    # Inside the open window, which already reaches far enough back (the left edge only grows).
                    right, seen = _right_edge(data, high, end, margin)
                    cur_end, cur_flags = max(cur_end, right), cur_flags | bit | seen
                    continue
                left, seen_left = _left_edge(data, low, start, margin)
                right, seen_right = _right_edge(data, high, end, margin)
                bit |= seen_left | seen_right
                if cur_start >= 0 and left <= cur_end:
                    cur_start, cur_end, cur_flags = min(cur_start, left), max(cur_end, right), cur_flags | bit
                    continue
                if cur_start >= 0:
                    windows = _emit(windows, count, row, cur_start, cur_end, cur_flags)
                    count += 1
                cur_start, cur_end, cur_flags = left, right, bit
    if cur_start >= 0:
        windows = _emit(windows, count, row, cur_start, cur_end, cur_flags)
        count += 1
    return row_flags, windows[:count]


@numba.njit(cache=True, nogil=True)
def window_bytes(data: Any, offsets: Any, windows: Any, pad: int) -> Any:
    """(UTF-8 bytes, int64 offsets) of the windows' texts, each led by byte ``pad`` when it starts its row
    (the rules' stand-in for ``^``, as `location._BATCH_PAD`)."""
    count = windows.shape[0]
    out_offsets = np.empty(count + 1, dtype=np.int64)
    total = 0
    for w in range(count):
        out_offsets[w] = total
        total += windows[w, 2] - windows[w, 1] + (1 if windows[w, 1] == offsets[windows[w, 0]] else 0)
    out_offsets[count] = total
    out = np.empty(total, dtype=np.uint8)
    for w in range(count):
        at = out_offsets[w]
        if windows[w, 1] == offsets[windows[w, 0]]:
            out[at] = pad
            at += 1
        out[at : at + windows[w, 2] - windows[w, 1]] = data[windows[w, 1] : windows[w, 2]]
    return out, out_offsets
