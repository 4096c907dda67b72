"""Numba kernels for the salary batch path: where money expressions start, and the expressions themselves.

`salary._anchor_starts` checks each currency token and adds the numbers just before it (`_starts_near`), then
`salary._MONEY` runs at those starts; per posting that is ~20 Python regex calls. These kernels do the same
over the column's UTF-8 bytes (fed by `salary._scan_kernel`'s token hits), with Python's own character classes
(``str.isalpha``; re's ``\\d`` and ``\\s``, i.e. ``str.isdecimal`` / ``str.isspace``) looked up per code
point, and report character offsets as Python indexes them.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

FLAG_ALPHA = 1  # str.isalpha()
FLAG_DECIMAL = 2  # str.isdecimal(), which is what re's \d matches in a str pattern
FLAG_SPACE = 4  # str.isspace(), which is what re's \s matches in a str pattern

_FLAGS: list[Any] = []


def char_flags() -> Any:
    """uint8 flags for every code point (built once, ~40 ms, with numpy's vectorized str predicates)."""
    if not _FLAGS:
        chars = np.arange(0x110000, dtype=np.uint32).view("<U1")
        flags = np.strings.isalpha(chars).astype(np.uint8) * FLAG_ALPHA
        flags |= np.strings.isdecimal(chars).astype(np.uint8) * FLAG_DECIMAL
        flags |= np.strings.isspace(chars).astype(np.uint8) * FLAG_SPACE
        _FLAGS.append(flags)
    return _FLAGS[0]


@numba.njit(cache=True, nogil=True)
def _char_start(data: Any, low: int, index: int) -> int:
    """Start byte of the UTF-8 character holding byte ``index`` (not before ``low``)."""
    while index > low and (data[index] & 0xC0) == 0x80:
        index -= 1
    return index


@numba.njit(cache=True, nogil=True)
def _code_point(data: Any, index: int, high: int) -> Any:
    """The code point of the (valid UTF-8) character starting at byte ``index``."""
    byte = np.int64(data[index])
    if byte < 0x80:
        return byte
    if byte < 0xE0:
        size, value = 2, byte & 0x1F
    elif byte < 0xF0:
        size, value = 3, byte & 0x0F
    else:
        size, value = 4, byte & 0x07
    for k in range(1, size):
        if index + k >= high:
            break
        value = (value << 6) | (np.int64(data[index + k]) & 0x3F)
    return value


@numba.njit(cache=True, nogil=True)
def _is_ascii_letter(byte: int) -> bool:
    return (65 <= byte <= 90) or (97 <= byte <= 122)


@numba.njit(cache=True, nogil=True)
def _is_dollar_prefix(data: Any, begin: int, end: int) -> bool:
    """The bytes ``data[begin:end]`` are one of USD/CAD/AUD, US/CA/AU/NZ/SG/HK/MX/NT, R/C/A/S."""
    size = end - begin
    if size == 3:
        a, b, c = data[begin], data[begin + 1], data[begin + 2]
        return c == 68 and ((a == 85 and b == 83) or (a == 67 and b == 65) or (a == 65 and b == 85))
    if size == 2:
        a, b = data[begin], data[begin + 1]
        return (
            (a == 85 and b == 83)  # US
            or (a == 67 and b == 65)  # CA
            or (a == 65 and b == 85)  # AU
            or (a == 78 and b == 90)  # NZ
            or (a == 83 and b == 71)  # SG
            or (a == 72 and b == 75)  # HK
            or (a == 77 and b == 88)  # MX
            or (a == 78 and b == 84)  # NT
        )
    if size == 1:
        a = data[begin]
        return a == 82 or a == 67 or a == 65 or a == 83  # R C A S
    return False


@numba.njit(cache=True, nogil=True)
def _dollar_prefix(data: Any, low: int, index: int) -> int:
    """How many characters before the "$" at byte ``index`` `salary._DOLLAR_PREFIX.search(text, position - 3,
    position)` starts: the leftmost prefix that ends at the "$"; 0 if none. Prefixes are ASCII: bytes are
    characters."""
    for begin in range(index - 3, index):
        if begin < low:
            continue
        if _is_dollar_prefix(data, begin, index):
            return index - begin
    return 0


@numba.njit(cache=True, nogil=True)
def _alpha_before(data: Any, low: int, index: int, flags: Any) -> bool:
    """The character before byte ``index`` is alphabetic (str.isalpha); False at the start of the row."""
    if index <= low:
        return False
    previous = _char_start(data, low, index - 1)
    return flags[_code_point(data, previous, index)] & 1 != 0


@numba.njit(cache=True, nogil=True)
def _reserve(out_row: Any, out_char: Any, out_byte: Any, size: int, need: int) -> Any:
    """The output arrays, grown (doubled) when fewer than ``need`` slots are left after ``size``."""
    capacity = out_row.shape[0]
    if size + need <= capacity:
        return out_row, out_char, out_byte
    while size + need > capacity:
        capacity *= 2
    grown_row = np.empty(capacity, dtype=np.int64)
    grown_char = np.empty(capacity, dtype=np.int64)
    grown_byte = np.empty(capacity, dtype=np.int64)
    grown_row[:size] = out_row[:size]
    grown_char[:size] = out_char[:size]
    grown_byte[:size] = out_byte[:size]
    return grown_row, grown_char, grown_byte


@numba.njit(cache=True, nogil=True)
def _start_and_numbers(
    data: Any,
    low: int,
    high: int,
    row: int,
    index: int,
    position: int,
    window: int,
    flags: Any,
    out_row: Any,
    out_char: Any,
    out_byte: Any,
    size: int,
) -> int:
    """Write the start at byte ``index`` (character ``position``) and every `_NUMBER_START` among the
    ``window`` characters before it (`_NUMBER_START.finditer(text, max(0, position - window), position)`: a
    decimal digit not after a decimal digit, "." or ","), walking back; returns the new size. The arrays must
    have ``window + 1`` free slots."""
    out_row[size] = row
    out_char[size] = position
    out_byte[size] = index
    size += 1
    cursor, char = index, position
    for _ in range(window):
        if cursor <= low:
            break
        cursor = _char_start(data, low, cursor - 1)
        char -= 1
        if not flags[_code_point(data, cursor, high)] & 2:
            continue
        if cursor > low:
            before = _code_point(data, _char_start(data, low, cursor - 1), high)
            if before == 46 or before == 44 or flags[before] & 2:
                continue
        out_row[size] = row
        out_char[size] = char
        out_byte[size] = cursor
        size += 1
    return size


@numba.njit(cache=True, nogil=True)
def _next_bare(data: Any, low: int, high: int, index: int, position: int, flags: Any) -> Any:
    """The next `_BARE_THOUSANDS` match kept by `salary._starts_near` at or after byte ``index`` (character
    ``position``): (its byte, its character, where finditer goes on: byte, character), or -1 for none.
    `_BARE_THOUSANDS` (``\\d[\\d.,]*\\s?[kK]`` then no ASCII letter) can only end its ``[\\d.,]*`` at the end of
    the run (nothing after can match a run character), so finditer matches at the first digit of each such
    run followed by the "k" and skips the whole run otherwise; matches right after "." or "," are dropped."""
    while index < high:
        byte = data[index]
        if (byte < 0x80 and not 48 <= byte <= 57) or (byte >= 0x80 and not _has(data, index, high, flags, 2)):
            index = _next(data, index)
            position += 1
            continue
        run, run_position = index, position
        while run < high and (_has(data, run, high, flags, 2) or data[run] == 46 or data[run] == 44):
            run = _next(data, run)
            run_position += 1
        k = _next(data, run) if _has(data, run, high, flags, 4) else run
        if not (k < high and (data[k] == 107 or data[k] == 75) and not _letter_at(data, k + 1, high)):
            k = run
            if not (k < high and (data[k] == 107 or data[k] == 75) and not _letter_at(data, k + 1, high)):
                index, position = run, run_position  # no match at any digit of this run
                continue
        after, after_position = (
            k + 1,
            run_position + (1 if k != run else 0) + 1,
        )  # finditer goes on after the k
        if index > low and (data[index - 1] == 46 or data[index - 1] == 44):
            index, position = after, after_position
            continue
        return index, position, after, after_position
    return -1, -1, high, position


@numba.njit(cache=True, nogil=True)
def starts_kernel(
    data: Any,
    offsets: Any,
    hit_row: Any,
    hit_byte: Any,
    hit_char: Any,
    hit_literal: Any,
    literal_kind: Any,
    literal_bytes: Any,
    dollar: int,
    bare: Any,
    flags: Any,
) -> Any:
    """(rows, character offsets, byte offsets) of `salary._anchor_starts(text)` (with bare "k" amounts only in
    the rows flagged ``bare``, where `salary._bare_thousands_allowed` holds), sorted and unique per row.

    ``literal_kind`` is 0 for a symbol, 1 for a three-capital code, 2 for another token (``salary._KIND_*``);
    ``dollar`` is the literal id of "$". Per accepted anchor: the anchor and the numbers among the 32
    characters before it. In rows flagged ``bare``, also every `_BARE_THOUSANDS` match kept (`_next_bare`)
    with the numbers among the 12 characters before it.
    """
    rows = offsets.shape[0] - 1
    count = hit_row.shape[0]
    out_row = np.empty(1024, dtype=np.int64)
    out_char = np.empty(1024, dtype=np.int64)
    out_byte = np.empty(1024, dtype=np.int64)
    size = 0
    last = 0
    for row in range(rows):
        first = last
        while last < count and hit_row[last] == row:
            last += 1
        if first == last and not bare[row]:
            continue
        low, high = offsets[row], offsets[row + 1]
        row_begin = size
        for hit in range(first, last):
            index, position, literal = hit_byte[hit], hit_char[hit], hit_literal[hit]
            kind = literal_kind[literal]
            if kind == 0:
                if literal == dollar and index > low:
                    back = _dollar_prefix(data, low, index)
                    index -= back
                    position -= back
            elif kind == 1:
                after = index + 3
                if (after < high and _is_ascii_letter(data[after])) or _alpha_before(data, low, index, flags):
                    continue
            else:
                end = index + literal_bytes[literal]
                if _alpha_before(data, low, index, flags):
                    continue
                if end < high and flags[_code_point(data, end, high)] & 1:
                    continue
            out_row, out_char, out_byte = _reserve(out_row, out_char, out_byte, size, 33)
            size = _start_and_numbers(
                data, low, high, row, index, position, 32, flags, out_row, out_char, out_byte, size
            )
        if bare[row]:
            index, position = low, 0
            while True:
                found, found_position, index, position = _next_bare(data, low, high, index, position, flags)
                if found < 0:
                    break
                out_row, out_char, out_byte = _reserve(out_row, out_char, out_byte, size, 13)
                size = _start_and_numbers(
                    data, low, high, row, found, found_position, 12, flags, out_row, out_char, out_byte, size
                )
        size = _sort_unique(out_char, out_byte, row_begin, size)
    return out_row[:size], out_char[:size], out_byte[:size]


@numba.njit(cache=True, nogil=True)
def _sort_unique(chars: Any, starts: Any, begin: int, end: int) -> int:
    """Sort ``chars[begin:end]`` (``starts`` alongside) in place and drop repeats; returns the new end. A row
    has a handful of starts, mostly in order already: an insertion sort, nothing allocated (argsort for many)."""
    if end - begin > 48:
        order = np.argsort(chars[begin:end], kind="mergesort")
        chars[begin:end] = chars[begin:end][order]
        starts[begin:end] = starts[begin:end][order]
    for index in range(begin + 1, end):
        char, start = chars[index], starts[index]
        slot = index
        while slot > begin and chars[slot - 1] > char:
            chars[slot], starts[slot] = chars[slot - 1], starts[slot - 1]
            slot -= 1
        chars[slot], starts[slot] = char, start
    unique = begin
    for index in range(begin, end):
        if index == begin or chars[index] != chars[unique - 1]:
            chars[unique], starts[unique] = chars[index], starts[index]
            unique += 1
    return unique


# ------------------------------------------------------------------------------------ the money expression
# `salary._MONEY` by hand, over UTF-8 bytes. Everything after ``n1`` is an optional group that cannot match the
# empty string, so the backtracking engine keeps the first way each group matches (or skips it) and never
# revisits an earlier group; within a group the alternatives are tried in the regex's order. ``\s*`` and
# ``\s?`` are always followed by something that cannot start with a space, so only their longest form can
# succeed. ``\d`` and ``\s`` are Python's (``str.isdecimal`` / ``str.isspace`` per code point).


@numba.njit(cache=True, nogil=True)
def _next(data: Any, index: int) -> int:
    """Byte after the UTF-8 character starting at ``index``."""
    byte = data[index]
    if byte < 0x80:
        return index + 1
    if byte < 0xE0:
        return index + 2
    if byte < 0xF0:
        return index + 3
    return index + 4


@numba.njit(cache=True, nogil=True)
def _has(data: Any, index: int, high: int, flags: Any, flag: int) -> bool:
    """The character at byte ``index`` exists and has ``flag`` (ASCII answered without decoding). It calls no
    other kernel (the decoding is written out) so that it is inlined: a call that passes arrays costs ~10 ns,
    and this runs per character."""
    if index >= high:
        return False
    byte = np.int64(data[index])
    if byte < 0x80:
        return flags[byte] & flag != 0
    if byte < 0xE0:
        size, value = 2, byte & 0x1F
    elif byte < 0xF0:
        size, value = 3, byte & 0x0F
    else:
        size, value = 4, byte & 0x07
    for k in range(1, size):
        if index + k < high:
            value = (value << 6) | (np.int64(data[index + k]) & 0x3F)
    return flags[value] & flag != 0


@numba.njit(cache=True, nogil=True)
def _byte_is(data: Any, index: int, high: int, value: int) -> bool:
    return index < high and data[index] == value


@numba.njit(cache=True, nogil=True)
def _digits(data: Any, index: int, high: int, flags: Any, most: int, ends: Any) -> int:
    """Up to ``most`` decimal digits from ``index``; ``ends[k]`` is the byte after k of them. Returns how many."""
    ends[0] = index
    count = 0
    while count < most and _has(data, index, high, flags, 2):
        index = _next(data, index)
        count += 1
        ends[count] = index
    return count


@numba.njit(cache=True, nogil=True)
def _decimals_then(data: Any, index: int, high: int, flags: Any, dot_only: bool, no_comma_after: bool) -> int:
    """``(?:[.,]\\d{1,2})?`` (``(?:\\.\\d{1,2})?`` when ``dot_only``) then ``(?![\\d])`` (``(?![\\d,])`` when
    ``no_comma_after``) from ``index``: the end of the first way that succeeds, or -1."""
    if index < high and (data[index] == 46 or (data[index] == 44 and not dot_only)):
        first = index + 1
        if _has(data, first, high, flags, 2):
            second = _next(data, first)
            if _has(data, second, high, flags, 2):
                third = _next(data, second)
                if not _has(data, third, high, flags, 2) and not (
                    no_comma_after and _byte_is(data, third, high, 44)
                ):
                    return third
            elif not (no_comma_after and _byte_is(data, second, high, 44)):
                return second
    if _has(data, index, high, flags, 2) or (no_comma_after and _byte_is(data, index, high, 44)):
        return -1
    return index


@numba.njit(cache=True, nogil=True)
def _group_separator(data: Any, index: int, high: int) -> int:
    """``[,.\\u00a0\\u202f '’]`` at ``index``: the byte after it, or -1."""
    if index >= high:
        return -1
    byte = data[index]
    if byte == 44 or byte == 46 or byte == 32 or byte == 39:
        return index + 1
    if byte == 0xC2 and index + 1 < high and data[index + 1] == 0xA0:
        return index + 2
    if byte == 0xE2 and index + 2 < high and data[index + 1] == 0x80 and data[index + 2] in (0xAF, 0x99):
        return index + 3  # U+202F, U+2019
    return -1


@numba.njit(cache=True, nogil=True)
def _number(data: Any, low: int, high: int, index: int, flags: Any, lead: Any, digits: Any, ends: Any) -> int:
    """`salary._NUM` at byte ``index``: the end of its first successful alternative, or -1. ``lead`` and
    ``digits`` are scratch arrays of 10 and 4 slots, ``ends`` one with a slot per possible digit group."""
    if not _has(data, index, high, flags, 2):
        return -1
    if index > low:  # (?<![\d.,])
        code = _code_point(data, _char_start(data, low, index - 1), high)
        if code == 46 or code == 44 or flags[code] & 2:
            return -1
    # 1. Indian grouping: \d{1,2},\d{2}(?:,\d{2})*,\d{3}(?:\.\d{1,2})?(?![\d,])
    for take in range(_digits(data, index, high, flags, 2, lead), 0, -1):
        cursor = lead[take]
        if not _byte_is(data, cursor, high, 44) or _digits(data, cursor + 1, high, flags, 2, digits) < 2:
            continue
        repeats = 0
        ends[0] = digits[2]
        while (
            _byte_is(data, ends[repeats], high, 44)
            and _digits(data, ends[repeats] + 1, high, flags, 2, digits) == 2
        ):
            repeats += 1
            ends[repeats] = digits[2]
        for used in range(repeats, -1, -1):
            cursor = ends[used]
            if not _byte_is(data, cursor, high, 44) or _digits(data, cursor + 1, high, flags, 3, digits) < 3:
                continue
            end = _decimals_then(data, digits[3], high, flags, True, True)
            if end >= 0:
                return end
    # 2. grouped thousands: \d{1,3}(?:[,.\u00a0\u202f '’]\d{3})+(?:[.,]\d{1,2})?(?![\d])
    for take in range(_digits(data, index, high, flags, 3, lead), 0, -1):
        repeats = 0
        ends[0] = lead[take]
        while True:
            after = _group_separator(data, ends[repeats], high)
            if after < 0 or _digits(data, after, high, flags, 3, digits) < 3:
                break
            repeats += 1
            ends[repeats] = digits[3]
        for used in range(repeats, 0, -1):
            end = _decimals_then(data, ends[used], high, flags, False, False)
            if end >= 0:
                return end
    # 3. plain: \d{1,9}(?:[.,]\d{1,2})?(?![\d])
    for take in range(_digits(data, index, high, flags, 9, lead), 0, -1):
        end = _decimals_then(data, lead[take], high, flags, False, False)
        if end >= 0:
            return end
    return -1


_MM = np.frombuffer(b"MM", dtype=np.uint8)
_MIO = np.frombuffer(b"Mio", dtype=np.uint8)
_MN = np.frombuffer(b"mn", dtype=np.uint8)
_ILLION = np.frombuffer(b"illion", dtype=np.uint8)
_LPA = np.frombuffer(b"LPA", dtype=np.uint8)
_LAKH = np.frombuffer(b"lakh", dtype=np.uint8)
_LAC = np.frombuffer(b"lac", dtype=np.uint8)
_CRORE = np.frombuffer(b"crore", dtype=np.uint8)
_CR = np.frombuffer(b"Cr", dtype=np.uint8)


@numba.njit(cache=True, nogil=True)
def _literal(data: Any, index: int, high: int, literal: Any) -> bool:
    """The bytes of ``literal`` start at ``index``."""
    if index + literal.shape[0] > high:
        return False
    for k in range(literal.shape[0]):  # noqa: SIM110 (a plain loop: numba compiles it, not a generator)
        if data[index + k] != literal[k]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _letter_at(data: Any, index: int, high: int) -> bool:
    return index < high and _is_ascii_letter(data[index])


@numba.njit(cache=True, nogil=True)
def _optional_s(data: Any, index: int, high: int, letter: int) -> int:
    return index + 1 if _byte_is(data, index, high, letter) else index


@numba.njit(cache=True, nogil=True)
def _multiplier(data: Any, index: int, high: int, flags: Any) -> int:
    """`salary._MULT` (the k1/k2 group, its ``\\s?`` included) at ``index``: its end, or -1."""
    at = _next(data, index) if _has(data, index, high, flags, 4) else index
    if at >= high:
        return -1
    byte = data[at]
    if (byte == 107 or byte == 75) and not _letter_at(data, at + 1, high):  # [kK](?![A-Za-z])
        return at + 1
    if _literal(data, at, high, _MM):
        return at + 2
    if _literal(data, at, high, _MIO):
        return _optional_s(data, at + 3, high, 46)  # Mio\.?
    if _literal(data, at, high, _MN):
        return at + 2
    if (byte == 77 or byte == 109) and _literal(data, at + 1, high, _ILLION):  # [Mm]illion
        return at + 7
    if byte == 77 and not _letter_at(data, at + 1, high):  # M(?![A-Za-z])
        return at + 1
    if _literal(data, at, high, _LPA):
        return at + 3
    if _literal(data, at, high, _LAKH):
        return _optional_s(data, at + 4, high, 115)
    if _literal(data, at, high, _LAC):
        return _optional_s(data, at + 3, high, 115)
    if _literal(data, at, high, _CRORE):
        return _optional_s(data, at + 5, high, 115)
    if _literal(data, at, high, _CR) and not _letter_at(data, at + 2, high):  # Cr(?![A-Za-z])
        return at + 2
    return -1


@numba.njit(cache=True, nogil=True)
def _currencies(
    data: Any,
    low: int,
    high: int,
    index: int,
    matrix: Any,
    lengths: Any,
    is_word: Any,
    first_start: Any,
    first_ids: Any,
    out: Any,
) -> int:
    """Every way `salary._CUR` matches at ``index``, in the regex's order: their ends in ``out``; how many.
    Only alternatives that start with the byte at ``index`` can match, so the per-first-byte lists (kept in
    the alternation's order) are all there is to try. Words need no ASCII letter on either side."""
    if index >= high:
        return 0
    count = 0
    byte = data[index]
    for slot in range(first_start[byte], first_start[byte + 1]):
        alternative = first_ids[slot]
        size = lengths[alternative]
        if index + size > high:
            continue
        same = True
        for k in range(1, size):
            if data[index + k] != matrix[alternative, k]:
                same = False
                break
        if not same:
            continue
        if is_word[alternative] and (
            (index > low and _is_ascii_letter(data[index - 1])) or _letter_at(data, index + size, high)
        ):
            continue
        out[count] = index + size
        count += 1
    return count


@numba.njit(cache=True, nogil=True)
def _amount(
    data: Any,
    low: int,
    high: int,
    index: int,
    flags: Any,
    cur: Any,
    options: Any,
    lead: Any,
    digits: Any,
    ends: Any,
    spans: Any,
    slot: int,
) -> int:
    """``(?P<c>CUR)?\\s?(?P<n>NUM)`` at ``index`` (groups ``slot`` and ``slot + 1`` of ``spans``): the end of
    the number, or -1 with the spans untouched."""
    matrix, lengths, is_word, first_start, first_ids = cur
    count = _currencies(data, low, high, index, matrix, lengths, is_word, first_start, first_ids, options)
    for option in range(count + 1):
        after = options[option] if option < count else index
        begin = _next(data, after) if _has(data, after, high, flags, 4) else after
        end = _number(data, low, high, begin, flags, lead, digits, ends)
        if end < 0 and begin != after:
            begin = after
            end = _number(data, low, high, begin, flags, lead, digits, ends)
        if end >= 0:
            if option < count:
                spans[2 * slot] = index
                spans[2 * slot + 1] = after
            spans[2 * slot + 2] = begin
            spans[2 * slot + 3] = end
            return end
    return -1


@numba.njit(cache=True, nogil=True)
def _suffix_currency(
    data: Any, low: int, high: int, index: int, flags: Any, cur: Any, options: Any, spans: Any, slot: int
) -> int:
    """``(?:\\s?(?P<s>CUR))?`` at ``index``: where the match goes on (group ``slot`` of ``spans`` when found)."""
    matrix, lengths, is_word, first_start, first_ids = cur
    begin = _next(data, index) if _has(data, index, high, flags, 4) else index
    if _currencies(data, low, high, begin, matrix, lengths, is_word, first_start, first_ids, options):
        spans[2 * slot] = begin
        spans[2 * slot + 1] = options[0]
        return options[0]
    return index


@numba.njit(cache=True, nogil=True)
def _money(
    data: Any,
    low: int,
    high: int,
    start: int,
    flags: Any,
    cur: Any,
    separators: Any,
    separator_lengths: Any,
    options: Any,
    lead: Any,
    digits: Any,
    ends: Any,
    spans: Any,
) -> int:
    """`salary._MONEY.match` at byte ``start``: its end, or -1. ``spans`` gets the byte spans of c1, n1, k1,
    s1, c2, n2, k2, s2 (-1 where a group did not take part)."""
    spans[:] = -1
    position = _amount(data, low, high, start, flags, cur, options, lead, digits, ends, spans, 0)
    if position < 0:
        return -1
    found = _multiplier(data, position, high, flags)
    if found >= 0:
        spans[4], spans[5] = position, found
        position = found
    position = _suffix_currency(data, low, high, position, flags, cur, options, spans, 3)
    # (?:SEP(?P<c2>CUR)?\s?(?P<n2>NUM)(?P<k2>MULT)?)?
    word = position
    while _has(data, word, high, flags, 4):
        word = _next(data, word)
    for separator in range(separator_lengths.shape[0]):
        size = separator_lengths[separator]
        if not _literal(data, word, high, separators[separator, :size]):
            continue
        after = word + size
        while _has(data, after, high, flags, 4):
            after = _next(data, after)
        end = _amount(data, low, high, after, flags, cur, options, lead, digits, ends, spans, 4)
        if end >= 0:
            position = end
            found = _multiplier(data, position, high, flags)
            if found >= 0:
                spans[12], spans[13] = position, found
                position = found
            break
    return _suffix_currency(data, low, high, position, flags, cur, options, spans, 7)


@numba.njit(cache=True, nogil=True)
def money_kernel(
    data: Any,
    offsets: Any,
    start_row: Any,
    start_char: Any,
    start_byte: Any,
    use_row: Any,
    flags: Any,
    cur: Any,
    separators: Any,
    separator_lengths: Any,
) -> Any:
    """The money expressions `salary._parse_salary_texts` would score in the rows flagged ``use_row``: at each
    start in order, skipping starts inside the previous expression. Returns their rows and an (n, 18) array of
    character offsets: the expression's start and end, then the spans of c1, n1, k1, s1, c2, n2, k2, s2 (-1
    where a group did not take part)."""
    longest = 0
    for row in range(offsets.shape[0] - 1):
        longest = max(longest, offsets[row + 1] - offsets[row])
    options = np.empty(8, dtype=np.int64)
    lead = np.empty(10, dtype=np.int64)
    digits = np.empty(4, dtype=np.int64)
    ends = np.empty(longest // 2 + 4, dtype=np.int64)
    spans = np.empty(16, dtype=np.int64)
    # At most one expression per start: sized once, so no array is rebound in the loop (numba would then
    # count references on every pass).
    out_row = np.empty(start_row.shape[0], dtype=np.int64)
    out = np.empty((start_row.shape[0], 18), dtype=np.int64)
    count = 0
    current, consumed = -1, 0
    for index in range(start_row.shape[0]):
        row = start_row[index]
        if not use_row[row]:
            continue
        if row != current:
            current, consumed = row, 0
        begin = start_byte[index]
        if begin < consumed:
            continue
        low, high = offsets[row], offsets[row + 1]
        end = _money(
            data,
            low,
            high,
            begin,
            flags,
            cur,
            separators,
            separator_lengths,
            options,
            lead,
            digits,
            ends,
            spans,
        )
        if end < 0:
            continue
        consumed = end
        out_row[count] = row
        # Byte offsets to character offsets, counting characters forward from the start.
        base = start_char[index]
        out[count, 0] = base
        out[count, 1] = base + _chars_between(data, begin, end)
        for k in range(16):
            out[count, 2 + k] = -1 if spans[k] < 0 else base + _chars_between(data, begin, spans[k])
        count += 1
    return out_row[:count], out[:count]


@numba.njit(cache=True, nogil=True)
def _chars_between(data: Any, begin: int, end: int) -> int:
    """Characters in the bytes ``data[begin:end]`` (``begin`` at a character start)."""
    count = 0
    for index in range(begin, end):
        if (data[index] & 0xC0) != 0x80:
            count += 1
    return count
