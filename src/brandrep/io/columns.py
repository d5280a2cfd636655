"""Match the columns a file has against the columns a caller needs.

Exports from other tools rename headers in small ways: stray spaces, full-width letters
(``ｔｅｘｔ``), capitals, ``Period Start`` for ``period_start``, a BOM glued to the first name.
:func:`normalize_column_name` folds those (NFKC, strip, case-fold, runs of spaces, hyphens and
underscores become one underscore) and a required column matches a file column when both
normalise to the same key. A miss stops the read with an :class:`InputError` that names the
expected column, lists the columns found and suggests near misses (``difflib``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from brandrep.errors import InputError

_SEPARATORS = re.compile(r"[\s\-_]+")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")


def normalize_column_name(name) -> str:
    text = "" if name is None else str(name)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _SEPARATORS.sub("_", text.strip()).strip("_").casefold()


def match_columns(found: list[str], *, required=(), optional=(), rename=None, path=None):
    """Return ``{file column: canonical name}`` for every required/optional column present.

    ``rename`` maps a file's own column name (matched after normalisation) to the canonical name
    it stands for, e.g. ``{"content": "text"}``. Raises :class:`InputError` when a required
    column is missing or two file columns claim the same name.
    """
    by_key: dict[str, list[str]] = {}
    for column in found:
        by_key.setdefault(normalize_column_name(column), []).append(column)

    wanted: dict[str, str] = {}  # normalised key -> canonical name
    for canonical in [*required, *optional]:
        wanted.setdefault(normalize_column_name(canonical), canonical)
    for source, canonical in (rename or {}).items():
        wanted[normalize_column_name(source)] = canonical

    mapping: dict[str, str] = {}
    for key, canonical in wanted.items():
        columns = by_key.get(key, [])
        if canonical in columns:  # a column with exactly this name is the one meant
            columns = [canonical]
        if len(columns) > 1:
            raise InputError(
                f"columns {', '.join(repr(c) for c in columns)} all read as {canonical!r}; "
                "rename one of them",
                path=path,
                column=canonical,
            )
        if columns and canonical not in mapping.values():
            mapping[columns[0]] = canonical

    missing = [canonical for canonical in required if canonical not in mapping.values()]
    if missing:
        raise missing_column_error(missing[0], found, path=path, also=missing[1:])
    return mapping


def columns_text(found, *, quote=repr) -> str:
    """Column names for a message: a 10 MB header line is one "column", so at most 20 names,
    each cut to 60 characters."""
    shown = [quote(c if len(c) <= 60 else c[:60] + "...") for c in list(found)[:20]]
    if len(found) > 20:
        shown.append(f"... and {len(found) - 20} more")
    return ", ".join(shown) if shown else "(none)"


def missing_column_error(expected: str, found: list[str], *, path=None, also=()) -> InputError:
    keys = {normalize_column_name(c): c for c in found}
    close = difflib.get_close_matches(normalize_column_name(expected), list(keys), n=3, cutoff=0.6)
    found_text = columns_text(found)
    message = f"required column {expected!r} not found; columns found: {found_text}"
    if close:
        message += "; did you mean " + " or ".join(repr(keys[k]) for k in close) + "?"
    if also:
        message += f" (also missing: {', '.join(repr(c) for c in also)})"
    return InputError(message, path=path, column=expected)
