"""Text hygiene before scoring: what a complaint says, without the markup around it.

:func:`clean_text` runs named steps (:data:`CLEAN_STEPS`), always in this order, whichever are
asked for (default: ``markup``, ``width``, ``whitespace``; ``steps=()`` returns the text as given,
with its status):

1. ``markup``: drop ``<script>``/``<style>`` blocks, HTML comments and tags (only things shaped like a tag,
   ``<p>``, ``</div class=x>``, ``<br/>``, so ``价格<100元`` survives), then decode entities
   (``&nbsp;``, ``&amp;``, ``&#x5c0f;``; twice, because scraped text is often escaped twice)
   and strip tags that the decoding revealed (``&lt;br&gt;`` is a scraper's line break);
2. ``width``: Unicode NFKC, so full-width letters and digits (``ＡＢＣ１２３``), the ideographic space and
   compatibility ideographs become their ordinary forms, EXCEPT the punctuation Chinese text
   writes full-width (``，！？：；（）～…``). Decision: those are kept, because NFKC would turn
   ``，`` into ``,`` and SnowNLP, trained on full-width punctuation, would then score a different
   token sequence; ``。、“”《》【】`` are not touched by NFKC anyway (``ＡＰＰ１２３．`` ->
   ``APP123.``; note NFKC also splits ``￣`` into a space and a combining macron);
3. ``whitespace``: remove control and zero-width characters and collapse every run of whitespace (including
   newlines, tabs, U+00A0, U+3000) to one space, trimmed at both ends (``" 门锁\t\t坏了 "`` ->
   ``"门锁 坏了"``);
4. ``simplified``: convert traditional to simplified characters with OpenCC (config ``t2s``; ``這個門鎖`` -> ``这个门锁``).

Emoji are kept (they are part of what was written). The status says whether there is text to
score: ``""`` usable, ``"empty"`` nothing left, ``"no_chinese"`` no CJK ideograph (emoji only,
Latin only, digits). Callers keep the original text beside the cleaned one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

STATUS_OK = ""
STATUS_EMPTY = "empty"
STATUS_NO_CHINESE = "no_chinese"

_BLOCKS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_KEEP_FULL_WIDTH = "，！？：；（）～…"
_KEEP_SPLIT = re.compile(f"([{_KEEP_FULL_WIDTH}]+)")
# Cc controls except whitespace, zero-width characters, BOM, soft hyphen
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


CLEAN_STEPS = ("markup", "width", "whitespace", "simplified")
DEFAULT_STEPS = ("markup", "width", "whitespace")


def parse_steps(spec) -> tuple[str, ...]:
    """``"markup,width"`` (or a sequence of names) -> the steps in :data:`CLEAN_STEPS` order;
    ``""``/``"none"`` -> ``()``; ``"all"`` -> every step. Unknown names: ``ValueError``."""
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    names = {n.strip().lower() for n in names} - {"", "none"}
    if "all" in names:
        names = (names - {"all"}) | set(CLEAN_STEPS)
    unknown = sorted(names - set(CLEAN_STEPS))
    if unknown:
        raise ValueError(f"unknown cleaning step(s) {', '.join(unknown)}; choose from {', '.join(CLEAN_STEPS)}")
    return tuple(s for s in CLEAN_STEPS if s in names)


@lru_cache(maxsize=64)
def _cached_step_set(spec) -> frozenset:
    return frozenset(parse_steps(spec))


def _step_set(spec) -> frozenset:
    """``parse_steps(spec)`` as a set, parsed once per distinct spec: ``clean_text`` runs per
    text with the same steps, and parsing them each time was almost half its cost (issue 17)."""
    try:
        return _cached_step_set(spec if isinstance(spec, str) else tuple(spec))
    except TypeError:  # unhashable step names: parse them (and let parse_steps judge them)
        return frozenset(parse_steps(spec))


class CleanText(NamedTuple):
    text: str
    status: str


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: only users who ask for conversion pay for it

    return opencc.OpenCC("t2s")


_KEPT = re.compile(f"[{_KEEP_FULL_WIDTH}]")


def _nfkc_keeping_chinese_punctuation(text: str) -> str:
    # fast path: nothing but the kept punctuation would change (most Chinese text)
    if unicodedata.is_normalized("NFKC", _KEPT.sub("", text)):
        return text
    parts = _KEEP_SPLIT.split(text)
    # odd indexes are the kept punctuation runs
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def clean_text(text, *, to_simplified: bool = False, steps=None) -> CleanText:
    """Return the cleaned text and its status (``""``, ``"empty"`` or ``"no_chinese"``).

    ``steps``: names from :data:`CLEAN_STEPS` (default :data:`DEFAULT_STEPS`);
    ``to_simplified=True`` adds ``simplified``. The status is judged on the returned text:
    ``empty`` when nothing but whitespace and invisible characters is left."""
    steps = _step_set(DEFAULT_STEPS if steps is None else steps)
    if to_simplified:
        steps = steps | {"simplified"}
    if not isinstance(text, str):
        if text is None or text is pd.NA or (isinstance(text, float) and text != text):
            return CleanText("", STATUS_EMPTY)
        text = str(text)
    if "markup" in steps:
        text = _strip_markup(text)
    if "width" in steps:
        text = _nfkc_keeping_chinese_punctuation(text)
    if "whitespace" in steps:
        # str.split() splits on every Unicode space (U+3000, U+00A0, newlines) and is much
        # faster than a regular expression
        if _INVISIBLE.search(text):
            text = _INVISIBLE.sub("", text)
        text = " ".join(text.split())
    if "simplified" in steps and text:
        text = _t2s().convert(text)
    if not _INVISIBLE.sub("", text).strip():
        return CleanText("", STATUS_EMPTY)
    if not _CJK.search(text):
        return CleanText(text, STATUS_NO_CHINESE)
    return CleanText(text, STATUS_OK)


def _strip_markup(text: str) -> str:
    if "<" in text:
        text = _TAG.sub(" ", _BLOCKS.sub(" ", text))
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
        if "<" in text:  # escaped markup (``&lt;br&gt;``) is markup too in scraped text
            text = _TAG.sub(" ", _BLOCKS.sub(" ", text))
    return text


# Code points a text may hold and still come out of markup, width and whitespace unchanged
# wherever they stand (issue 17): most complaints are nothing but these, and for them the
# per-text regular expressions and NFKC checks of clean_text can be skipped. Outside these
# blocks (emoji, Hangul, Indic scripts...) clean_text decides, text by text.
_UNCHANGED_CANDIDATES = ((0x20, 0x7E), (0xA1, 0xFF), (0x2010, 0x2027), (0x2030, 0x205E), (0x3001, 0x303F),
                         (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF65))


def _composes_as_second() -> set[int]:
    """Code points that are a later part of a canonical decomposition (in the BMP): NFKC may
    fuse them with the character before, so they never count as unchanged."""
    later = set()
    for cp in range(0x10000):
        mapping = unicodedata.decomposition(chr(cp))
        if mapping and not mapping.startswith("<"):
            later.update(int(part, 16) for part in mapping.split()[1:])
    return later


@lru_cache(maxsize=1)
def _unchanged_table() -> np.ndarray:
    """``table[cp]``: ``cp`` is left alone by the markup, width and whitespace steps in any text
    made only of such code points (the last entry, False, stands for every larger code point).

    Why that holds: markup acts only on ``<`` and ``&``; whitespace only on invisible characters
    (``_INVISIBLE``) and ``str.isspace`` ones (the ASCII space is in the table, and
    :func:`clean_texts` checks that no space leads, trails or follows another); width only when
    the text minus the kept punctuation is not NFKC, and a string of characters that are NFKC
    themselves, have combining class 0 and never compose with a character before them (Unicode's
    quick check answers "yes" for each) is NFKC (UAX #15, quick check); the kept full-width
    punctuation is taken out before that check and put back unchanged."""
    later = _composes_as_second()
    table = np.zeros(0x10000 + 1, dtype=np.bool_)
    for first, last in _UNCHANGED_CANDIDATES:
        for cp in range(first, last + 1):
            char = chr(cp)
            table[cp] = (char not in "<&" and (cp == 0x20 or not char.isspace())
                         and not _INVISIBLE.match(char) and cp not in later
                         and unicodedata.combining(char) == 0
                         and unicodedata.normalize("NFKC", char) == char)
    # the width step sets these aside before its NFKC check and puts them back as they were
    table[[ord(char) for char in _KEEP_FULL_WIDTH]] = True
    return table


def clean_texts(texts, *, steps=None) -> tuple[list[str], list[str]]:
    """``[clean_text(t, steps=steps) for t in texts]`` as two lists, texts and statuses, with
    the same values, decided for a whole batch at once where that is provably the same: a
    string with a Chinese character (status ``""``) whose code points the steps leave alone
    (:func:`_unchanged_table`) is returned as it is; every other text goes through
    :func:`clean_text`. ``simplified`` always goes text by text."""
    steps = _step_set(DEFAULT_STEPS if steps is None else steps)
    texts = list(texts)
    if "simplified" in steps or not texts:
        return _text_by_text(texts, steps)
    strings, chinese, unchanged = _scan(texts, check_steps=bool(steps))
    return _finish(texts, strings, chinese & unchanged, steps)


def clean_texts_twice(texts, steps, other_steps) -> tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]:
    """``(clean_texts(texts, steps=steps), clean_texts(texts, steps=other_steps))`` from one scan
    of the batch (``brandrep score`` cleans each chunk for scoring and for topic tagging)."""
    steps, other_steps = _step_set(steps), _step_set(other_steps)
    texts = list(texts)
    if "simplified" in steps | other_steps or not texts:
        return clean_texts(texts, steps=steps), clean_texts(texts, steps=other_steps)
    strings, chinese, unchanged = _scan(texts, check_steps=True)
    # a text unchanged by markup, width and whitespace together is unchanged by any of them
    return tuple(_finish(texts, list(strings), chinese & unchanged if chosen else chinese, chosen)
                 for chosen in (steps, other_steps))


def _text_by_text(texts: list, steps) -> tuple[list[str], list[str]]:
    cleaned = [clean_text(t, steps=steps) for t in texts]
    return [c.text for c in cleaned], [c.status for c in cleaned]


def _scan(texts: list, *, check_steps: bool):
    """The texts as strings (``""`` for anything else), and per text: has it a Chinese character,
    and (when ``check_steps``) are its code points all left alone by the steps."""
    strings = [t if type(t) is str else "" for t in texts]
    from brandrep.io.textscan import scan_texts

    codes = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    ends = np.cumsum(lengths)
    chinese, unchanged = scan_texts(codes, ends - lengths, ends, _unchanged_table(), check_steps)
    return strings, chinese, unchanged


def _finish(texts: list, strings: list, as_given: np.ndarray, steps) -> tuple[list[str], list[str]]:
    """``strings`` (changed in place) with status ``""`` where ``as_given``, every other text
    through :func:`clean_text`."""
    statuses = [STATUS_OK] * len(texts)
    for i in np.flatnonzero(~as_given).tolist():
        strings[i], statuses[i] = clean_text(texts[i], steps=steps)
    return strings, statuses
