"""Text hygiene before scoring: what a complaint says, without the markup around it.

:func:`clean_text` does, in order:

1. drop ``<script>``/``<style>`` blocks, HTML comments and tags (only things shaped like a tag,
   ``<p>``, ``</div class=x>``, ``<br/>``, so ``价格<100元`` survives), then decode entities
   (``&nbsp;``, ``&amp;``, ``&#x5c0f;``; twice, because scraped text is often escaped twice)
   and strip tags that the decoding revealed (``&lt;br&gt;`` is a scraper's line break);
2. Unicode NFKC, so full-width letters and digits (``ＡＢＣ１２３``), the ideographic space and
   compatibility ideographs become their ordinary forms, EXCEPT the punctuation Chinese text
   writes full-width (``，！？：；（）～…``). Decision: those are kept, because NFKC would turn
   ``，`` into ``,`` and SnowNLP, trained on full-width punctuation, would then score a different
   token sequence; ``。、“”《》【】`` are not touched by NFKC anyway;
3. remove control and zero-width characters and collapse every run of whitespace (including
   newlines, tabs, U+00A0, U+3000) to one space, trimmed at both ends;
4. optionally convert traditional to simplified characters with OpenCC (config ``t2s``).

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


def clean_text(text, *, to_simplified: bool = False) -> CleanText:
    """Return the cleaned text and its status (``""``, ``"empty"`` or ``"no_chinese"``)."""
    if not isinstance(text, str):
        if text is None or text is pd.NA or (isinstance(text, float) and text != text):
            return CleanText("", STATUS_EMPTY)
        text = str(text)
    if "<" in text:
        text = _TAG.sub(" ", _BLOCKS.sub(" ", text))
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
        if "<" in text:  # escaped markup (``&lt;br&gt;``) is markup too in scraped text
            text = _TAG.sub(" ", _BLOCKS.sub(" ", text))
    text = _nfkc_keeping_chinese_punctuation(text)
    # str.split() splits on every Unicode space (U+3000, U+00A0, newlines) and is much faster
    # than a regular expression
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    text = " ".join(text.split())
    if to_simplified and text:
        text = _t2s().convert(text)
    if not text:
        return CleanText("", STATUS_EMPTY)
    if not _CJK.search(text):
        return CleanText(text, STATUS_NO_CHINESE)
    return CleanText(text, STATUS_OK)
