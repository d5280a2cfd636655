"""Exact-duplicate detection across the chunks of a file, in bounded memory.

A row's identity is two independent 64-bit hashes of its values (pandas' SipHash-based
``hash_pandas_object`` with two keys, so 128 bits: a false match between different rows is not a
practical risk at any file size). Rows seen so far are kept as sorted NumPy runs of
(hash a, hash b, first line): 24 bytes a row, where a Python dict of the same keys costs about
170. Runs are merged like a binary counter (a log-structured merge), so there are at most
log2(rows / chunk) of them and a lookup is a vectorised ``searchsorted`` in each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_HASH_KEYS = ("brandrep-dedup-1", "brandrep-dedup-2")  # 16 characters each, as pandas requires


def row_hashes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Two independent uint64 hashes per row of ``frame`` (index ignored)."""
    typed = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object:
            # keep 1, "1", True and None apart: hash a typed representation
            column = column.map(lambda v: f"{type(v).__name__}:{v!r}").astype(object)
        typed[name] = column
    keyed = pd.DataFrame(typed, index=frame.index)
    a, b = (
        pd.util.hash_pandas_object(keyed, index=False, hash_key=key).to_numpy(np.uint64)
        for key in _HASH_KEYS
    )
    return a, b


class SeenRows:
    """The first line of every distinct row seen so far."""

    def __init__(self):
        self.runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (a sorted, b, line)

    def __len__(self) -> int:
        return sum(len(run[0]) for run in self.runs)

    def lookup(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """First line of each (a, b) already seen, or -1."""
        found = np.full(len(a), -1, dtype=np.int64)
        for run_a, run_b, run_line in self.runs:
            pos = np.searchsorted(run_a, a, side="left")
            inside = pos < len(run_a)
            pos = np.where(inside, pos, 0)
            same_a = inside & (run_a[pos] == a)
            match = same_a & (run_b[pos] == b)
            found = np.where(match & (found < 0), run_line[pos], found)
            # two different rows with the same first hash (about 1 in 10^13 pairs): look past
            # the first entry of that hash for the second hash
            for i in np.flatnonzero(same_a & ~match & (found < 0)):
                j = pos[i] + 1
                while j < len(run_a) and run_a[j] == a[i]:
                    if run_b[j] == b[i]:
                        found[i] = run_line[j]
                        break
                    j += 1
        return found

    def add(self, a: np.ndarray, b: np.ndarray, lines: np.ndarray) -> None:
        order = np.argsort(a, kind="stable")
        self.runs.append((a[order], b[order], lines[order]))
        while len(self.runs) > 1 and len(self.runs[-1][0]) >= len(self.runs[-2][0]):
            (a1, b1, l1), (a2, b2, l2) = self.runs[-2], self.runs.pop()
            a_all, b_all, l_all = np.concatenate([a1, a2]), np.concatenate([b1, b2]), np.concatenate([l1, l2])
            order = np.argsort(a_all, kind="stable")
            self.runs[-1] = (a_all[order], b_all[order], l_all[order])

    def mark(self, frame: pd.DataFrame, lines: np.ndarray) -> np.ndarray:
        """For each row of ``frame`` (at ``lines``): the line it duplicates, or -1; remembers
        the rows that are new. Vectorised: no Python loop over rows."""
        if len(frame) == 0:
            return np.zeros(0, dtype=np.int64)
        a, b = row_hashes(frame)
        groups = pd.DataFrame({"a": a, "b": b}).groupby(["a", "b"], sort=False).ngroup().to_numpy()
        # groups are numbered in order of first appearance; first row of each group:
        _, first_row = np.unique(groups, return_index=True)
        group_a, group_b = a[first_row], b[first_row]
        prior = self.lookup(group_a, group_b)
        group_first_line = np.where(prior >= 0, prior, lines[first_row])
        row = np.arange(len(frame))
        is_duplicate = (prior[groups] >= 0) | (row != first_row[groups])
        new = prior < 0
        if new.any():
            self.add(group_a[new], group_b[new], lines[first_row][new])
        return np.where(is_duplicate, group_first_line[groups], -1)
