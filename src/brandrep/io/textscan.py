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
