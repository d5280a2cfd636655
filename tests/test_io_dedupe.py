"""Duplicate detection state: vectorised, bounded, exact even when one of the two hashes collides."""

from __future__ import annotations

import numpy as np
import pandas as pd

from brandrep.io.dedupe import SeenRows, row_hashes

u = lambda *values: np.array(values, dtype=np.uint64)  # noqa: E731
i = lambda *values: np.array(values, dtype=np.int64)  # noqa: E731


def test_lookup_across_merged_runs_and_first_hash_collisions():
    seen = SeenRows()
    seen.add(u(5, 1), u(50, 10), i(2, 3))
    seen.add(u(5), u(51), i(4))  # same first hash as line 2, different row
    seen.add(u(9, 7), u(90, 70), i(5, 6))
    assert len(seen) == 5 and len(seen.runs) <= 2
    found = seen.lookup(u(5, 5, 5, 1, 7, 8), u(50, 51, 52, 10, 70, 80))
    assert found.tolist() == [2, 4, -1, 3, 6, -1]


def test_mark_within_and_across_chunks():
    seen = SeenRows()
    first = pd.DataFrame({"t": ["a", "b", "a"], "n": [1, 2, 1]})
    assert seen.mark(first, i(2, 3, 4)).tolist() == [-1, -1, 2]
    second = pd.DataFrame({"t": ["b", "c", "c", "a"], "n": [2, 3, 3, 1]})
    assert seen.mark(second, i(5, 6, 7, 8)).tolist() == [3, -1, 6, 2]
    assert len(seen) == 3


def test_typed_values_are_not_confused():
    frame = pd.DataFrame({"v": pd.Series([1, "1", True, None, 1.0], dtype=object)})
    a, b = row_hashes(frame)
    assert len(set(zip(a.tolist(), b.tolist()))) == 5


def test_many_chunks_keep_few_runs():
    seen = SeenRows()
    for chunk in range(64):
        frame = pd.DataFrame({"k": np.arange(chunk * 10, chunk * 10 + 10)})
        seen.mark(frame, np.arange(chunk * 10, chunk * 10 + 10, dtype=np.int64) + 2)
    assert len(seen) == 640 and len(seen.runs) <= 7
    again = pd.DataFrame({"k": [0, 639, 640]})
    assert seen.mark(again, i(1000, 1001, 1002)).tolist() == [2, 641, -1]
