"""One compiled pass over a batch of texts for :func:`brandrep.io.text.clean_texts` (issue 17).

Kept apart from :mod:`brandrep.io.text` so that importing the cleaning rules does not import numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def scan_texts(codes, starts, ends, unchanged, check_steps):
    """Per text ``codes[starts[t]:ends[t]]``: does it hold a Chinese character (``_CJK`` of
    :mod:`brandrep.io.text`), and, when ``check_steps``, is every code point in ``unchanged``
    (the last entry stands for all larger code points) with no ASCII space leading, trailing or
    following another?"""
    n = starts.shape[0]
    chinese = np.zeros(n, dtype=np.bool_)
    as_given = np.ones(n, dtype=np.bool_)
    last_entry = unchanged.shape[0] - 1
    for t in range(n):
        a = starts[t]
        b = ends[t]
        found = False
        ok = True
        previous_space = True  # a leading space counts as following one
        for i in range(a, b):
            c = codes[i]
            if (0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0xF900 <= c <= 0xFAFF
                    or 0x20000 <= c <= 0x3134F):
                found = True
            if check_steps and ok:
                if c == 0x20:
                    if previous_space:
                        ok = False
                    previous_space = True
                else:
                    previous_space = False
                    if not unchanged[min(c, last_entry)]:
                        ok = False
        if check_steps and previous_space and b > a:
            ok = False  # a trailing space
        chinese[t] = found
        as_given[t] = ok
    return chinese, as_given


# ------------------------------------------------------------------ byte ranges of a CSV (issue 17)
#
# Byte values the scanners below rely on: in every code they are used with (see
# brandrep.io.reading.RANGE_CODECS) the bytes 0x0A and 0x0D occur only as LF and CR, never inside
# another character, so a line starts at the same byte however the text is decoded.

_LF = 10
_CR = 13
_QUOTE = 34


@njit(cache=True)
def line_offset(buf, offset, line, target):
    """Byte offset where physical line ``target`` starts, counting from line ``line`` starting at
    ``offset``; lines end at LF, CR or CR LF (as ``io.TextIOWrapper(newline="")`` splits them).
    ``len(buf)`` when the file has fewer lines."""
    n = buf.shape[0]
    i = offset
    while line < target and i < n:
        c = buf[i]
        i += 1
        if c == _LF:
            line += 1
        elif c == _CR:
            if i < n and buf[i] == _LF:
                i += 1
            line += 1
    return i if line >= target else n


@njit(cache=True)
def record_starts(buf, offset, line, every, width, delimiter, limit):
    """Where reading stops after every ``every`` records, from byte ``offset`` (line ``line``): up
    to ``limit`` (line, byte offset) pairs, each the start of the line after a record that ends a
    run of ``every`` (before the end of the file), as the reader's chunks end. Records are read as ``csv.reader`` reads well-formed CSV (a quote opens a quoted
    field only at a field's start; a line end inside one does not end the record) and blank lines
    are not records, as :mod:`brandrep.io.reading` counts them; a record over several lines that
    is not well-formed costs its first line and the rest is read again, as the reader recovers
    from a stray quote. Still a guess: the reader's own pass over each range decides, and a wrong
    guess only costs that range again."""
    n = buf.shape[0]
    lines = np.empty(limit, dtype=np.int64)
    offsets = np.empty(limit, dtype=np.int64)
    found = 0
    records = 0
    i = offset
    while i < n and found < limit:
        # one record from byte i (its first line is `line`)
        start, start_line = i, line
        blank = True
        state = 0  # 0 field start, 1 in field, 2 in quoted field, 3 quote inside a quoted field
        fields = 1
        clean = True  # quotes only around whole fields (the reader's _closes_cleanly)
        second_offset = -1  # where the record's second line starts, when it has one
        second_line = 0
        while i < n:
            c = buf[i]
            i += 1
            if c == _LF or c == _CR:
                if c == _CR and i < n and buf[i] == _LF:
                    i += 1
                line += 1
                if state != 2:
                    break
                if second_offset < 0:
                    second_offset, second_line = i, line
                continue
            if not (c == 32 or c == 9 or c == 11 or c == 12 or 28 <= c <= 31):
                blank = False
            if state == 2:
                if c == _QUOTE:
                    state = 3
            elif state == 3:
                if c == _QUOTE:
                    state = 2
                elif c == delimiter:
                    state = 0
                    fields += 1
                else:
                    state = 1
                    clean = False  # text after a closing quote
            elif c == delimiter:
                state = 0
                fields += 1
            elif state == 0 and c == _QUOTE:
                state = 2
            else:
                if c == _QUOTE:
                    clean = False  # a bare quote inside an unquoted field
                state = 1
        empty_line = i - start <= 2 and (buf[start] == _LF or buf[start] == _CR)
        if empty_line or (blank and fields == 1 and width > 1 and line == start_line + 1):
            continue
        if second_offset >= 0 and (state == 2 or not clean or fields != width):
            # as the reader does with a record over several lines that is not well-formed (or
            # that the file ends inside): its first line is rejected, the others are read again
            i, line = second_offset, second_line
        records += 1
        if records % every == 0 and i < n:
            # the next range starts where this record ends, as the reader's next chunk does
            lines[found] = line
            offsets[found] = i
            found += 1
    return lines[:found], offsets[:found]
