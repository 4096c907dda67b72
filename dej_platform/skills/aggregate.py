"""The detector's set logic, compiled: context rules, sections, implied parents and per-row results on integer ids.

Input: the scan's items of one chunk, each stream sorted by (row, segment): counted tag matches (literal ids),
exact-case forms (rows of `MatcherSpec.case_table`) and headings (section codes). Output: one entry per
(row, skill) with its mention count and must / nice flags, plus the distinct (row, family) and (row, hit) pairs,
all sorted by row then id, from which the detector builds its list columns. Rules (see `detector.py`):

* a sure alias always counts; an ambiguous form counts when its skill needs no support, when the skill is named by
  a sure alias anywhere in the row, or when its segment holds a key its rule asks for: a support key (skill,
  ancestor, family) of a sure alias or of a form that needed no support, or `word:<hit>` of any item. Forms
  accepted by support in a first round support the others in a second ("Go & Rust");
* section: inline nice > heading nice > inline must > heading must, for the segment of the mention;
* every implied ancestor of a counted skill counts too, with 0 mentions and the child's section.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba.cpython.unsafe.numbers import trailing_zeros as _ctz

from dej_platform.skills.patterns import (
    KIND_CODES,
    KIND_FORM,
    KIND_INLINE_MUST,
    KIND_INLINE_NICE,
    KIND_SKILL,
    KIND_WORD,
)

SECTION_CODE_OTHER, SECTION_CODE_MUST, SECTION_CODE_NICE = 0, 1, 2
trailing_zeros: Any = _ctz  # a numba intrinsic: the index of a word's lowest set bit
_SURE, _FORM, _WORD, _INLINE_NICE, _INLINE_MUST = 0, 1, 2, 3, 4  # item kinds inside the kernel


def item_kinds(lit_kind: np.ndarray) -> np.ndarray:
    """Per literal id: the kernel's item kind (sure, form, word, inline nice, inline must), or -1 for none."""
    kinds = np.full(len(lit_kind), -1, dtype=np.int8)
    kinds[lit_kind == KIND_CODES[KIND_SKILL]] = _SURE
    kinds[lit_kind == KIND_CODES[KIND_FORM]] = _FORM
    kinds[lit_kind == KIND_CODES[KIND_WORD]] = _WORD
    kinds[lit_kind == KIND_CODES[KIND_INLINE_NICE]] = _INLINE_NICE
    kinds[lit_kind == KIND_CODES[KIND_INLINE_MUST]] = _INLINE_MUST
    return kinds


@numba.njit(cache=True, nogil=True, inline="always")
def _sort_prefix(values, n):  # type: ignore[no-untyped-def]
    """Sort values[:n] in place: insertion sort for a row's families (a few dozen at most; numba's quicksort costs
    more below ~64)."""
    for x in range(1, n):
        v = values[x]
        y = x - 1
        while y >= 0 and values[y] > v:
            values[y + 1] = values[y]
            y -= 1
        values[y + 1] = v


@numba.njit(cache=True, nogil=True, inline="always")
def _drain_sorted(bits, lo, hi, out):  # type: ignore[no-untyped-def]
    """Write the ids set in `bits` (all within lo..hi) to `out` in increasing order, clearing them: a row's ~40 ids
    come out sorted without a sort."""
    n = 0
    for word_at in range(lo >> 6, (hi >> 6) + 1):
        word = bits[word_at]
        bits[word_at] = 0
        while word:
            out[n] = (word_at << 6) + np.int64(trailing_zeros(word))
            n += 1
            word &= word - np.uint64(1)
    return n


@numba.njit(cache=True, nogil=True)
def aggregate(  # one pass per row; every array is indexed by integer ids
    n_rows,
    tag_row,
    tag_seg,
    tag_lit,
    case_row,
    case_seg,
    case_form,
    head_row,
    head_seg,
    head_code,
    lit_item,
    lit_skill,
    lit_hit,
    case_skill,
    case_hit,
    needs_support,
    support_off,
    support_val,
    rules_off,
    rules_val,
    hit_word_key,
    implied_off,
    implied_val,
    skill_family,
    key_count,
    max_implied,
):  # type: ignore[no-untyped-def]
    n_skills = len(needs_support)
    n_hits = len(hit_word_key)
    n_families = skill_family.max() + 1 if n_skills else 0
    # per-row scratch, reset through the lists of what was touched
    skill_count = np.zeros(n_skills, dtype=np.int64)
    skill_flags = np.zeros(n_skills, dtype=np.int8)  # 1 present, 2 must, 4 nice
    sure_in_row = np.zeros(n_skills, dtype=np.bool_)
    hit_seen = np.zeros(n_hits, dtype=np.bool_)
    family_seen = np.zeros(max(n_families, 1), dtype=np.bool_)
    key_seen = np.zeros(max(key_count, 1), dtype=np.bool_)

    cap = len(tag_row) + len(case_row) + 16
    wide = cap * (1 + max_implied)  # a mention and its implied ancestors
    out_srow = np.empty(wide, dtype=np.int64)
    out_skill = np.empty(wide, dtype=np.int64)
    out_count = np.empty(wide, dtype=np.int64)
    out_flags = np.empty(wide, dtype=np.int8)
    out_frow = np.empty(wide, dtype=np.int64)
    out_family = np.empty(wide, dtype=np.int64)
    out_hrow = np.empty(cap, dtype=np.int64)
    out_hit = np.empty(cap, dtype=np.int64)
    n_s = 0
    n_f = 0
    n_h = 0

    # scratch sized once per chunk for the row with most items (allocating it per row cost more than the rules)
    most = 0
    if n_rows:
        most = (np.bincount(tag_row, minlength=n_rows) + np.bincount(case_row, minlength=n_rows)).max()
    seg = np.empty(most, dtype=np.int64)
    kind = np.empty(most, dtype=np.int8)
    skill = np.empty(most, dtype=np.int64)
    hit = np.empty(most, dtype=np.int64)
    accepted = np.empty(most, dtype=np.bool_)
    helper = np.empty(most, dtype=np.bool_)
    pending = np.empty(most, dtype=np.bool_)
    newly = np.empty(most, dtype=np.bool_)
    touched = np.empty(max(key_count, 1), dtype=np.int64)
    # a row's skills and hits come out sorted through bitsets (an insertion sort of ~40 ids cost more)
    skill_bits = np.zeros(n_skills // 64 + 1, dtype=np.uint64)
    hit_bits = np.zeros(n_hits // 64 + 1, dtype=np.uint64)
    touched_skills = np.empty(max(n_skills, 1), dtype=np.int64)
    touched_hits = np.empty(max(n_hits, 1), dtype=np.int64)
    families = np.empty(max(n_families, 1), dtype=np.int64)

    t = 0
    c = 0
    h = 0
    for row in range(n_rows):
        t0 = t
        while t < len(tag_row) and tag_row[t] == row:
            t += 1
        c0 = c
        while c < len(case_row) and case_row[c] == row:
            c += 1
        h0 = h
        while h < len(head_row) and head_row[h] == row:
            h += 1
        n_items = (t - t0) + (c - c0)
        if n_items == 0:
            continue
        # items of the row, merged by segment (tag items first within a segment)
        i = t0
        j = c0
        k = 0
        while i < t or j < c:
            if j >= c or (i < t and tag_seg[i] <= case_seg[j]):
                seg[k] = tag_seg[i]
                kind[k] = lit_item[tag_lit[i]]
                skill[k] = lit_skill[tag_lit[i]]
                hit[k] = lit_hit[tag_lit[i]]
                i += 1
            else:
                seg[k] = case_seg[j]
                kind[k] = _FORM
                skill[k] = case_skill[case_form[j]]
                hit[k] = case_hit[case_form[j]]
                j += 1
            k += 1

        accepted[:n_items] = False
        pending[:n_items] = False
        any_pending = False
        for k in range(n_items):
            if kind[k] == _SURE:
                accepted[k] = True
                sure_in_row[skill[k]] = True
            elif kind[k] == _FORM and not needs_support[skill[k]]:
                accepted[k] = True
        for k in range(n_items):
            helper[k] = accepted[k]
        for k in range(n_items):
            if kind[k] == _FORM and needs_support[skill[k]]:
                if sure_in_row[skill[k]]:
                    accepted[k] = True  # named unambiguously elsewhere in the row (not a helper)
                else:
                    pending[k] = True
                    any_pending = True
        for k in range(n_items):
            if kind[k] == _SURE:
                sure_in_row[skill[k]] = False

        # two rounds of segment support: forms accepted in the first support the others
        for _round in range(2):
            if not any_pending:
                break
            newly[:n_items] = False
            a = 0
            while a < n_items:
                b = a
                has_pending = False
                while b < n_items and seg[b] == seg[a]:
                    has_pending = has_pending or pending[b]
                    b += 1
                if has_pending:
                    n_touched = 0
                    for m in range(a, b):
                        if helper[m] and skill[m] >= 0:
                            for q in range(support_off[skill[m]], support_off[skill[m] + 1]):
                                if not key_seen[support_val[q]]:
                                    key_seen[support_val[q]] = True
                                    touched[n_touched] = support_val[q]
                                    n_touched += 1
                        if hit[m] >= 0 and hit_word_key[hit[m]] >= 0 and not key_seen[hit_word_key[hit[m]]]:
                            key_seen[hit_word_key[hit[m]]] = True
                            touched[n_touched] = hit_word_key[hit[m]]
                            n_touched += 1
                    for m in range(a, b):
                        if pending[m]:
                            for q in range(rules_off[skill[m]], rules_off[skill[m] + 1]):
                                if key_seen[rules_val[q]]:
                                    newly[m] = True
                                    break
                    for x in range(n_touched):
                        key_seen[touched[x]] = False
                a = b
            any_pending = False
            for m in range(n_items):
                if newly[m]:
                    accepted[m] = True
                    helper[m] = True
                    pending[m] = False
                any_pending = any_pending or pending[m]

        # sections: inline phrases of the segment, else the last heading at or before it
        n_ts = 0
        n_th = 0
        s_lo = n_skills
        s_hi = 0
        h_lo = n_hits
        h_hi = 0
        hd = h0
        section = SECTION_CODE_OTHER
        a = 0
        while a < n_items:
            b = a
            inline_nice = False
            inline_must = False
            while b < n_items and seg[b] == seg[a]:
                b += 1
            for m in range(a, b):
                if kind[m] == _INLINE_NICE:
                    inline_nice = True
                elif kind[m] == _INLINE_MUST:
                    inline_must = True
            while hd < h and head_seg[hd] <= seg[a]:
                section = head_code[hd]
                hd += 1
            nice = inline_nice or section == SECTION_CODE_NICE
            must = (not nice) and (inline_must or section == SECTION_CODE_MUST)
            flags = 1 | (2 if must else 0) | (4 if nice else 0)
            for m in range(a, b):
                if not accepted[m]:
                    continue
                s = skill[m]
                if skill_flags[s] == 0:
                    skill_bits[s >> 6] |= np.uint64(1) << np.uint64(s & 63)
                    s_lo = min(s_lo, s)
                    s_hi = max(s_hi, s)
                    n_ts += 1
                skill_flags[s] |= flags
                skill_count[s] += 1
                x = hit[m]
                if not hit_seen[x]:
                    hit_seen[x] = True
                    hit_bits[x >> 6] |= np.uint64(1) << np.uint64(x & 63)
                    h_lo = min(h_lo, x)
                    h_hi = max(h_hi, x)
                    n_th += 1
                for q in range(implied_off[s], implied_off[s + 1]):
                    parent = implied_val[q]
                    if skill_flags[parent] == 0:
                        skill_bits[parent >> 6] |= np.uint64(1) << np.uint64(parent & 63)
                        s_lo = min(s_lo, parent)
                        s_hi = max(s_hi, parent)
                        n_ts += 1
                    skill_flags[parent] |= flags
            a = b

        if n_ts:
            _drain_sorted(skill_bits, s_lo, s_hi, touched_skills)
            n_fam = 0
            for x in range(n_ts):
                s = touched_skills[x]
                out_srow[n_s] = row
                out_skill[n_s] = s
                out_count[n_s] = skill_count[s]
                out_flags[n_s] = skill_flags[s]
                n_s += 1
                skill_count[s] = 0
                skill_flags[s] = 0
                f = skill_family[s]
                if not family_seen[f]:
                    family_seen[f] = True
                    families[n_fam] = f
                    n_fam += 1
            _sort_prefix(families, n_fam)
            for x in range(n_fam):
                f = families[x]
                out_frow[n_f] = row
                out_family[n_f] = f
                n_f += 1
                family_seen[f] = False
        if n_th:
            _drain_sorted(hit_bits, h_lo, h_hi, touched_hits)
            for y in range(n_th):
                x = touched_hits[y]
                out_hrow[n_h] = row
                out_hit[n_h] = x
                n_h += 1
                hit_seen[x] = False
    return (
        out_srow[:n_s],
        out_skill[:n_s],
        out_count[:n_s],
        out_flags[:n_s],
        out_frow[:n_f],
        out_family[:n_f],
        out_hrow[:n_h],
        out_hit[:n_h],
    )
